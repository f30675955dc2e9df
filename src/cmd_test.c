/* cmd_test.c - rubric test: run the test blocks of rubrics, report each failed
 * expectation with its actual value, and with --coverage the rules no test fired. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"

/* the help texts keep their layout: one source line per printed line */
/* clang-format off */
static const char test_help[] = N_(
    "usage: rubric test [--run PATTERN] RUBRIC...\n"
    "\n"
    "Runs the test blocks of each rubric and reports each failed expectation with its\n"
    "actual value. Ends with 'N passed, N failed'. Exit status 1 if any test failed.\n"
    "\n"
    "  --run PATTERN   only the tests whose name contains PATTERN\n"
    "  --coverage      also list the rules that no test made fire\n");

/* clang-format on */

int cmd_test(int argc, char **argv)
{
    const char *pattern = NULL;
    bool coverage = false;
    int passed = 0, failed = 0, nfiles = 0, tested = 0;
    bool bad_rubric = false;
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(_(test_help), stdout);
            return 0;
        }
        if (strcmp(argv[i], "--run") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("test: %s needs a pattern", argv[i]);
            pattern = argv[++i];
        } else if (strcmp(argv[i], "--coverage") == 0) {
            coverage = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error("test: unknown option %s", argv[i]);
        }
    }
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--run") == 0) {
            i++;
            continue;
        }
        if (strcmp(argv[i], "--coverage") == 0)
            continue;
        nfiles++;
        Loaded l;
        if (!cli_load_for(&l, argv[i], N_("tested"), false)) {
            bad_rubric = true; /* its errors are printed, as check prints them */
            continue;
        }
        tested++;
        const Program *p = l.prog;
        Eval *e = eval_new(p, &l.diags);
        Arena emp;
        arena_init(&emp);
        /* hit[i][r]: rule r of node i fired in some test; the grade block last */
        bool **hit = arena_zalloc(&l.arena, ((size_t)p->nnodes + 1) * sizeof *hit);
        for (int n = 0; n < p->nnodes; n++)
            hit[n] = arena_zalloc(&l.arena, (size_t)p->nodes[n]->nrules + 1);
        hit[p->nnodes] = arena_zalloc(&l.arena, (size_t)p->ngrade + 1);
        for (int t = 0; t < p->ntests; t++) {
            const Node *test = p->tests[t];
            if (pattern && !strstr(test->name, pattern))
                continue;
            Result res;
            int line = source_line(l.src, test->start);
            bool ok = eval_test(e, test, &emp, &res);
            if (!ok) {
                printf(_("FAIL %s:%d: test \"%s\": employee cannot be scored: %s\n"), argv[i], line,
                       test->name, res.error);
                failed++;
                arena_reset(&emp);
                continue;
            }
            for (int n = 0; n < p->nnodes; n++)
                if (res.fired[n] >= 0)
                    hit[n][res.fired[n]] = true;
            /* with raters, a rule fired in any rater's view is exercised */
            for (int v = 0; res.rater_fired && v < p->nraters; v++)
                for (int n = 0; n < p->nnodes; n++) {
                    int f = res.rater_fired[(size_t)v * (size_t)p->nnodes + (size_t)n];
                    if (f >= 0)
                        hit[n][f] = true;
                }
            if (res.grade_fired >= 0)
                hit[p->nnodes][res.grade_fired] = true;
            bool all = true;
            for (uint32_t k = 0; k < test->nkids; k++) {
                const Node *x = test->kids[k];
                if (x->kind != AST_EXPECT)
                    continue;
                const char *why = NULL;
                int v = eval_expect(e, x->a, &emp, &why);
                if (v == 1)
                    continue;
                if (all)
                    printf(_("FAIL %s:%d: test \"%s\"\n"), argv[i], line, test->name);
                all = false;
                int xl = source_line(l.src, x->start);
                printf(_("  %s:%d: expect %.*s\n"), argv[i], xl, (int)(x->a->end - x->a->start),
                       l.src->text + x->a->start);
                if (v < 0) {
                    printf(_("    error: %s\n"), why);
                } else if (x->a->kind == AST_CHAIN && x->a->nkids == 2) {
                    for (int s = 0; s < 2; s++) {
                        const Node *side = x->a->kids[s];
                        if (side->kind == AST_NUM || side->kind == AST_STR ||
                            side->kind == AST_BOOL)
                            continue;
                        const char *sv = eval_test_side(e, side, &emp);
                        printf(_("    %.*s is %s\n"), (int)(side->end - side->start),
                               l.src->text + side->start, sv);
                    }
                }
            }
            if (all)
                passed++;
            else
                failed++;
            arena_reset(&emp);
        }
        if (coverage) {
            int missed = 0;
            for (int n = 0; n <= p->nnodes; n++) {
                int nr = n < p->nnodes ? p->nodes[n]->nrules : p->ngrade;
                for (int r = 0; r < nr; r++) {
                    if (hit[n][r])
                        continue;
                    const Node *rule = n < p->nnodes ? p->nodes[n]->rules[r] : p->grade[r];
                    const char *owner = n < p->nnodes ? p->nodes[n]->name : _("grade");
                    printf(_("%s:%d: not exercised by any test: %s: %.*s\n"), argv[i],
                           source_line(l.src, rule->start), owner, (int)(rule->end - rule->start),
                           l.src->text + rule->start);
                    missed++;
                }
            }
            printf(ngettext("coverage: %s: %d rule not exercised\n",
                            "coverage: %s: %d rules not exercised\n", (unsigned long)missed),
                   argv[i], missed);
        }
        eval_free(e);
        arena_free(&emp);
        arena_free(&l.arena);
    }
    if (nfiles == 0)
        return cli_usage_error("test: no rubric file given%s", "");
    /* the English line stays last, for CI scripts that read it; when no
     * rubric could be tested, "0 passed, 0 failed" would read as a clean run
     * of a rubric without tests, so there is no tally, only the errors */
    static const char *const tally = N_("%d passed, %d failed\n");
    if (tested > 0 && i18n_translated(tally))
        printf(_(tally), passed, failed);
    if (tested > 0)
        printf(tally, passed, failed);
    if (bad_rubric)
        return 2;
    return failed ? 1 : 0;
}
