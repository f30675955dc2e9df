/* cmd_diff.c - rubric diff: score the same employees under two versions of a
 * rubric and list whose total, grade or an output changes. */
#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "i18n.h"

/* the help texts keep their layout: one source line per printed line */
/* clang-format off */
static const char diff_help[] = N_(
    "usage: rubric diff [--sheet NAME] OLD.rubric NEW.rubric FACTS...\n"
    "\n"
    "Scores the same employees under two versions of a rubric and lists each one\n"
    "whose total, grade or an output changes, with the change, then how many changed.\n"
    "Exit status: 0 all scored under both, 1 some employee could not be scored\n"
    "under one of them, 2 bad usage or a rubric with errors.\n");
/* clang-format on */

/* An employee's total and grade as text, or why they could not be scored. */
static const char *diff_side(Arena *a, const Result *r, bool ok)
{
    if (!ok)
        return arena_printf(a, _("error: %s"), r->error);
    char buf[DEC_BUFSZ];
    dec_format(r->total, buf);
    return r->grade ? arena_printf(a, "%s %s", buf, r->grade) : arena_strndup(a, buf, strlen(buf));
}

static bool same_value(const Value *x, const Value *y)
{
    if (x->kind != y->kind)
        return false;
    switch (x->kind) {
    case VAL_NUMBER:
    case VAL_PERCENT:
        return dec_cmp(x->d, y->d) == 0;
    case VAL_BOOL:
        return x->b == y->b;
    case VAL_TEXT:
        return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
    default:
        return true;
    }
}

/* The outputs (by name, those both rubrics declare) whose value changes, as
 * "; 系数 1 -> 1.2" each; "" when none does. */
static const char *diff_outputs(Arena *a, const Program *po, const Result *ro, const Program *pn,
                                const Result *rn)
{
    const char *s = "";
    for (int i = 0; i < pn->noutputs; i++)
        for (int j = 0; j < po->noutputs; j++) {
            if (strcmp(po->outputs[j].name, pn->outputs[i].name) != 0 ||
                same_value(&ro->outputs[j], &rn->outputs[i]))
                continue;
            const Value *x = &ro->outputs[j], *y = &rn->outputs[i];
            s = arena_printf(
                a, "%s; %s %s -> %s", s, pn->outputs[i].name,
                x->kind == VAL_TEXT ? arena_strndup(a, x->s, x->len) : value_text(a, x),
                y->kind == VAL_TEXT ? arena_strndup(a, y->s, y->len) : value_text(a, y));
        }
    return s;
}

int cmd_diff(int argc, char **argv)
{
    const char *sheet = NULL;
    int kept = 0; /* argv without --sheet NAME */
    for (int i = 0; i < argc; i++) {
        bool bad = false;
        if (cli_is_help(argv[i])) {
            fputs(_(diff_help), stdout);
            return 0;
        } else if (cli_sheet_option(argc, argv, &i, &sheet, &bad)) {
            if (bad)
                return cli_usage_error("diff: %s needs a sheet name", argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error("diff: unknown option %s", argv[i]);
        } else {
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    if (argc < 3)
        return cli_usage_error("diff: give the old rubric, the new rubric and the facts%s", "");
    Loaded old, new;
    if (!cli_load_for_scoring(&old, argv[0], true))
        return 2;
    if (!cli_load_for_scoring(&new, argv[1], true)) {
        arena_free(&old.arena);
        return 2;
    }
    Eval *eo = eval_new(old.prog, &old.diags), *en = eval_new(new.prog, &new.diags);
    eval_use_fast_path(eo, true);
    eval_use_fast_path(en, true);
    const Program *progs[] = {old.prog, new.prog, NULL};
    FactReader *r = cli_open_facts((const char *const *)argv + 2, (size_t)(argc - 2), sheet, progs);
    Arena ao, an;
    arena_init(&ao);
    arena_init(&an);
    FactRecord rec;
    long total = 0, changed = 0;
    int status = 0;
    while (facts_next(r, &ao, &rec)) {
        Result ro, rn;
        bool oko = eval_record(eo, &rec, &ao, &ro), okn = eval_record(en, &rec, &an, &rn);
        total++;
        if (!oko || !okn)
            status = 1;
        const char *outs = oko && okn ? diff_outputs(&ao, old.prog, &ro, new.prog, &rn) : "";
        bool same =
            oko == okn && (!oko ? strcmp(ro.error, rn.error) == 0
                                : (dec_cmp(ro.total, rn.total) == 0 && !*outs &&
                                   ((!ro.grade && !rn.grade) ||
                                    (ro.grade && rn.grade && strcmp(ro.grade, rn.grade) == 0))));
        /* one who cannot be scored under either version, for the same reason, is
           no change, but the exit status 1 needs its reason, as eval gives it */
        if (same && !okn)
            batch_error(stderr, &rec, &rn);
        if (!same) {
            changed++;
            const char *delta = "";
            if (oko && okn) {
                Dec d;
                char buf[DEC_BUFSZ];
                dec_sub(rn.total, ro.total, &d);
                dec_format(d, buf);
                delta = arena_printf(&ao, " (%s%s)", dec_is_neg(d) ? "" : "+", buf);
            }
            printf("%s\t%s -> %s%s%s\t%s\n", ro.id ? ro.id : rec.default_id,
                   diff_side(&ao, &ro, oko), diff_side(&an, &rn, okn), delta, outs, rec.source);
        }
        arena_reset(&ao);
        arena_reset(&an);
    }
    facts_close(r);
    /* the English line stays last, for scripts; "of 1 employee" takes the
       singular, so the choice goes by the total */
    static const char *const one = N_("%ld of %ld employee changes\n");
    static const char *const many = N_("%ld of %ld employees change\n");
    const char *tally = total == 1 ? one : many;
    if (i18n_translated(tally))
        printf(_(tally), changed, total);
    printf(tally, changed, total);
    eval_free(eo);
    eval_free(en);
    arena_free(&ao);
    arena_free(&an);
    arena_free(&old.arena);
    arena_free(&new.arena);
    return status;
}
