/* explain.h - why one employee got each score (`rubric explain`). */
#ifndef RUBRIC_EXPLAIN_H
#define RUBRIC_EXPLAIN_H
#include <stdbool.h>
#include <stdio.h>

#include "check.h"
#include "eval.h"

/* Write the explanation of res (from eval_record on p) for the employee read
 * from source: a tree in the rubric's order, as text for a terminal, or as one
 * JSON object. An employee who could not be scored gets the tree up to the
 * failure and the reason. */
void explain_write(const Program *p, const Result *res, const char *source, bool json, FILE *out);

#endif
