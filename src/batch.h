/* batch.h - what every batch scorer shares (eval on one thread, the -j
 * workers, the fuzz harnesses): a program's output layout, the output row of
 * a result and an employee's error line. */
#ifndef RUBRIC_BATCH_H
#define RUBRIC_BATCH_H
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "eval.h"
#include "facts.h"
#include "output.h"

/* The columns of p's output (shown facts, nodes, outputs, raters) into *lay;
 * the name arrays are allocated in a and point into p. */
void batch_layout(const Program *p, OutLayout *lay, Arena *a);

/* The output row of res (rec: its record, or NULL). raters holds room for
 * p->nraters rows, which the row points to; res must outlive the row.
 * Inline: it runs for every row, and its caller then builds the row in
 * place (no call, no loads of res through a pointer it cannot see). */
static inline void batch_row(const Program *p, const Result *res, const FactRecord *rec,
                             OutRow *row, OutRaterRow *raters)
{
    /* a plain CSV row's id is its first cell, ended in place after id_len bytes */
    bool plain_id = rec && rec->row && res->id == rec->default_id;
    *row = (OutRow){.id = res->id ? res->id : "",
                    .id_len = plain_id ? rec->id_len : 0,
                    .source = rec ? rec->source : "",
                    .shown = res->shown,
                    .error = res->error,
                    .total = res->total,
                    .grade = res->grade,
                    .grade_rule = res->grade_fired,
                    .scores = res->scores,
                    .score_text = res->score_text,
                    .outputs = res->outputs,
                    .vetoes = res->vetoes,
                    .nvetoes = (size_t)res->nvetoes,
                    .raters = NULL};
    if (p->nraters && !res->error) {
        for (int r = 0; r < p->nraters; r++) {
            raters[r].total = res->rater_totals[r];
            raters[r].scores = res->rater_scores + (size_t)r * (size_t)p->nnodes;
            raters[r].vetoes = res->rater_vetoes
                                   ? res->rater_vetoes + (size_t)r * (size_t)res->rater_veto_stride
                                   : NULL;
            raters[r].nvetoes = res->rater_nvetoes ? (size_t)res->rater_nvetoes[r] : 0;
        }
        row->raters = raters;
    }
}

/* "SOURCE: error: MESSAGE" (with " (rule at LINE)" when res says where) on f. */
void batch_error(FILE *f, const FactRecord *rec, const Result *res);

#endif
