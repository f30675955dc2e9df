/* unit.h - what every cmocka test file includes. */
#ifndef RUBRIC_UNIT_H
#define RUBRIC_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#endif
