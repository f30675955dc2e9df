/* batch.c - what every batch scorer shares: a program's output layout, the
 * output row of a result and an employee's error line (batch.h). */
#include "batch.h"

#include <string.h>

#include "i18n.h"

void batch_layout(const Program *p, OutLayout *lay, Arena *a)
{
    memset(lay, 0, sizeof *lay);
    const char **shown = arena_alloc(a, ((size_t)p->nshow + 1) * sizeof *shown);
    for (int i = 0; i < p->nshow; i++)
        shown[i] = p->facts[p->show[i]].name;
    lay->show_names = shown;
    lay->nshow = (size_t)p->nshow;
    const char **names = arena_alloc(a, ((size_t)p->nnodes + 1) * sizeof *names);
    for (int i = 0; i < p->nnodes; i++)
        names[i] = p->nodes[i]->name;
    lay->score_names = names;
    lay->nscores = (size_t)p->nnodes;
    const char **outs = arena_alloc(a, ((size_t)p->noutputs + 1) * sizeof *outs);
    for (int i = 0; i < p->noutputs; i++)
        outs[i] = p->outputs[i].name;
    lay->output_names = outs;
    lay->noutputs = (size_t)p->noutputs;
    lay->has_grade = p->has_grade;
    if (p->has_grade && p->ngrade > 0) {
        /* a literal's string is what eval reports as the grade (code.c's rule text) */
        const char **gt = arena_alloc(a, (size_t)p->ngrade * sizeof *gt);
        for (int i = 0; i < p->ngrade; i++)
            gt[i] = p->grade[i]->b && p->grade[i]->b->kind == AST_STR ? p->grade[i]->b->str : NULL;
        lay->grade_texts = gt;
        lay->ngrades = (size_t)p->ngrade;
    }
    lay->has_vetoes = p->has_vetoes;
    const char **raters = arena_alloc(a, ((size_t)p->nraters + 1) * sizeof *raters);
    for (int i = 0; i < p->nraters; i++)
        raters[i] = p->raters[i]->name;
    lay->rater_names = raters;
    lay->nraters = (size_t)p->nraters;
}

void batch_error(FILE *f, const FactRecord *rec, const Result *res)
{
    if (res->error_where)
        fprintf(f, _("%s: error: %s (rule at %s)\n"), rec->source, res->error, res->error_where);
    else
        fprintf(f, _("%s: error: %s\n"), rec->source, res->error);
}
