/* report.h - one self-contained HTML report of a scored team (`rubric report`).
 *
 * The caller scores the employees and hands each result to report_add, which
 * keeps what the report needs (id, total, grade, reported scores, the rules
 * that fired); report_write then prints the summary (distribution of totals,
 * grade shares against quotas, rules that never fired) and a printable score
 * sheet per employee with signature lines. */
#ifndef RUBRIC_REPORT_H
#define RUBRIC_REPORT_H
#include <stdio.h>

#include "check.h"
#include "eval.h"

typedef struct Report Report;

Report *report_new(const Program *p);
/* Keep employee res (from eval_record), read from source. */
void report_add(Report *r, const Result *res, const char *source);
/* Write the whole report as HTML to out. */
void report_write(Report *r, FILE *out);
void report_free(Report *r);

#endif
