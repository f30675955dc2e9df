/* eval.h - scoring one employee against a checked program.
 *
 * An Eval holds every per-employee array, sized once from the program, so
 * scoring a batch allocates nothing from malloc once warm: facts are bound to
 * slots (CSV columns mapped once per header), the score tree is computed
 * exactly in decimal, every score is then rounded once for reporting, and
 * grade rules and outputs read the reported values. */
#ifndef RUBRIC_EVAL_H
#define RUBRIC_EVAL_H
#include <stdbool.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "facts.h"
#include "value.h"

typedef struct {
    const char *id;          /* the employee's id as written */
    const Value *shown;      /* Program.nshow values of the shown facts (shared values),
                                VAL_NONE where one could not be read */
    const char *error;       /* NULL when scored; else why not (no source prefix) */
    const char *error_where; /* rubric location of the failing rule ("file:line"), or NULL */
    Dec total;               /* reported (rounded) */
    const char *grade;       /* NULL without a grade block */
    const Dec *scores;       /* reported score of every node, Program.nodes order */
    const DecText *const *score_text; /* NULL, or nnodes + 1 (the total last): each score's
                                         text (dec_format's), or NULL where not made */
    const Value *outputs;             /* Program.noutputs values, as computed */
    const char **vetoes;              /* reasons of the vetoes that held */
    int nvetoes;
    const Dec *rater_totals;         /* per rater, reported */
    const Dec *rater_scores;         /* nraters x nnodes, reported */
    const char *const *rater_vetoes; /* per rater (stride rater_veto_stride): its vetoes */
    const int *rater_nvetoes;        /* per rater: how many held in its view */
    int rater_veto_stride;
    /* for explain: valid up to the failure when the employee could not be scored */
    const mpq_t *exact;           /* exact score of every node */
    mpq_srcptr total_exact;       /* the total before rounding (0 until the total was reached) */
    const mpq_t *contrib;         /* exact contribution of every node to its section */
    const unsigned char *clamped; /* nnodes + 1 (the rubric last): 1 the floor applied,
                                     2 the cap applied, 0 neither (without raters) */
    const int *fired; /* per node: rule index that fired, -1 score expression, -2 not reached */
    const int *rater_fired;   /* with raters: nraters x nnodes, the same in each rater's view;
                                 NULL without raters */
    int grade_fired;          /* grade rule that fired, -1 none */
    const Value *facts;       /* the values the facts had (with raters, the shared ones) */
    const Value *rater_facts; /* with raters: nraters x nfacts, each rater's own values
                                 (VAL_NONE where it has none); NULL without raters */
    const Node *error_node;   /* where scoring failed, or NULL */
} Result;

typedef struct Eval Eval;

/* An evaluator for p; warnings about fact files go to d. */
Eval *eval_new(const Program *p, Diags *d);
void eval_free(Eval *e);
/* Let eval_record skip the exact values explain reads (Result.exact,
 * total_exact, contrib stay unset) and use 128-bit fixed denominators where
 * the rubric allows; the reported numbers are the same. For batch scoring. */
void eval_use_fast_path(Eval *e, bool on);
/* Score the employee in rec; strings of the result live in a (the caller
 * resets it between employees) or, like rec's own text (a CSV row's id and
 * shown text), in the reader's buffer until the next facts_next (facts_keep
 * rec first to keep them longer). Returns false when the employee could not
 * be scored (res->error says why). */
bool eval_record(Eval *e, const FactRecord *rec, Arena *a, Result *res);
/* Map the columns of rec's CSV header now, if they are not mapped yet, as
 * eval_record does at the first row it can read; its warnings (unknown
 * columns) go to the Diags now. For parallel scoring (parallel.c), which
 * prints them once. */
void eval_map_header(Eval *e, const FactRecord *rec);
/* Score a test block's employee (its fact values). */
bool eval_test(Eval *e, const Node *test, Arena *a, Result *res);
/* Evaluate expect's expression for the employee just scored: 1 true, 0 false,
 * -1 error (*why set). */
int eval_expect(Eval *e, const Node *expr, Arena *a, const char **why);
/* The value of expression x (read like expect) as text, for failure reports. */
const char *eval_test_side(Eval *e, const Node *x, Arena *a);

#endif
