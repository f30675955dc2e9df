/* batch.h - what every batch scorer shares (eval on one thread, the -j
 * workers, the fuzz harnesses): a program's output layout, the output row of
 * a result and an employee's error line. */
#ifndef RUBRIC_BATCH_H
#define RUBRIC_BATCH_H
#include <stdio.h>

#include "arena.h"
#include "check.h"
#include "eval.h"
#include "facts.h"
#include "output.h"

/* The columns of p's output (shown facts, nodes, outputs, raters) into *lay;
 * the name arrays are allocated in a and point into p. */
void batch_layout(const Program *p, OutLayout *lay, Arena *a);

/* The output row of res (rec: its record, or NULL). raters holds room for
 * p->nraters rows, which the row points to; res must outlive the row. */
void batch_row(const Program *p, const Result *res, const FactRecord *rec, OutRow *row,
               OutRaterRow *raters);

/* "SOURCE: error: MESSAGE" (with " (rule at LINE)" when res says where) on f. */
void batch_error(FILE *f, const FactRecord *rec, const Result *res);

#endif
