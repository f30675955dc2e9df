/* fuzz_eval.c - scoring: fuzzed facts against a fixed rubric, and fuzzed
 * rubrics against a fixed team.
 *
 * The first byte picks the mode: even, the rest is a CSV and a fact file
 * scored by rubrics/客户考核评分表.rubric; odd, the rest is a rubric that
 * scores examples/客户考核评分表/team.csv (both embedded at build time, see
 * the Makefile's hardening block). Every scored employee is written as JSON
 * and CSV to /dev/null (its row made by batch_row, as `rubric eval` makes it,
 * so a CSV row can take output.c's one-reservation writer), and every test
 * block is run. Each record is scored on the fast path (eval_use_fast_path:
 * the compiled items, the grid lookups, the column plans) and by a second
 * Eval on the general exact path only. Invariants: scoring the same record
 * twice gives the same result; the fast and the exact path give the same
 * outcome, error, scores, total and grade; a failure always says why; no item
 * reports more than its full score. */
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "batch.h"
#include "check.h"
#include "diag.h"
#include "eval.h"
#include "facts.h"
#include "fuzz_common.h"
#include "output.h"
#include "parse.h"
#include "source.h"

static const unsigned char seed_rubric[] = {
#include "seed_rubric.inc"
};
static const unsigned char seed_team[] = {
#include "seed_team.inc"
};

static void check_result(const Program *p, bool ok, const Result *res)
{
    if (!ok) {
        FUZZ_ASSERT(res->error && *res->error);
        return;
    }
    FUZZ_ASSERT(!res->error);
    for (int i = 0; i < p->nnodes; i++) {
        const ScoreNode *n = p->nodes[i];
        if (n->kind != SN_ITEM || !n->full_ok)
            continue;
        Dec full;
        if (dec_round(n->full, p->round, &full) == DEC_OK)
            FUZZ_ASSERT(dec_cmp(res->scores[i], full) <= 0);
    }
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* fast (the fast path) and exact (the general path) agree on a record */
static void check_same(const Program *p, bool ok, const Result *fast, bool okx, const Result *exact)
{
    FUZZ_ASSERT(ok == okx);
    FUZZ_ASSERT(same_text(fast->error, exact->error));
    if (!ok)
        return;
    FUZZ_ASSERT(dec_cmp(fast->total, exact->total) == 0);
    for (int i = 0; i < p->nnodes; i++)
        FUZZ_ASSERT(dec_cmp(fast->scores[i], exact->scores[i]) == 0);
    FUZZ_ASSERT(same_text(fast->grade, exact->grade));
}

static void score_file(const Program *p, Eval *e, Eval *ex, const char *path, Out *o)
{
    const char *paths[] = {path};
    FactReader *r = facts_open(paths, 1);
    Arena a;
    arena_init(&a);
    FactRecord rec;
    while (facts_next(r, &a, &rec)) {
        Result res, again;
        bool ok = eval_record(e, &rec, &a, &res);
        check_result(p, ok, &res);
        Dec total = res.total;
        const char *err = res.error;
        bool ok2 = eval_record(e, &rec, &a, &again);
        FUZZ_ASSERT(ok == ok2);
        if (ok)
            FUZZ_ASSERT(dec_cmp(total, again.total) == 0);
        else
            FUZZ_ASSERT(strcmp(err, again.error) == 0);
        Result exact;
        bool okx = eval_record(ex, &rec, &a, &exact);
        check_same(p, ok2, &again, okx, &exact);
        OutRow row;
        OutRaterRow *rr = arena_alloc(&a, ((size_t)p->nraters + 1) * sizeof *rr);
        batch_row(p, &again, &rec, &row, rr);
        out_row(o, &row);
        arena_reset(&a);
    }
    facts_close(r);
    arena_free(&a);
}

static void run_tests(const Program *p, Eval *e)
{
    Arena a;
    arena_init(&a);
    for (int t = 0; t < p->ntests; t++) {
        Result res;
        bool ok = eval_test(e, p->tests[t], &a, &res);
        check_result(p, ok, &res);
        if (ok) {
            for (uint32_t k = 0; k < p->tests[t]->nkids; k++) {
                const Node *x = p->tests[t]->kids[k];
                if (x->kind != AST_EXPECT || !x->a)
                    continue;
                const char *why = NULL;
                int v = eval_expect(e, x->a, &a, &why);
                if (v < 0)
                    FUZZ_ASSERT(why && *why);
                else if (v == 0)
                    FUZZ_ASSERT(eval_test_side(e, x->a, &a));
            }
        }
        arena_reset(&a);
    }
    arena_free(&a);
}

static void score(const uint8_t *rubric, size_t rlen, const char *const *facts, size_t nfacts)
{
    Arena a;
    arena_init(&a);
    Diags d;
    diag_init(&d, fuzz_null());
    const Source *src = source_from_text(&a, "fuzz.rubric", (const char *)rubric, rlen);
    Node *root = parse_source(&a, src, &d, NULL);
    Program *p = check_program(&a, src, root, &d);
    if (d.errors == 0 && p) {
        OutLayout lay;
        batch_layout(p, &lay, &a);
        Eval *e = eval_new(p, &d), *ex = eval_new(p, &d);
        eval_use_fast_path(e, true);
        for (size_t i = 0; i < nfacts; i++) {
            Out *o = out_open(fuzz_null(), i % 2 ? OUT_JSON : OUT_CSV, &lay);
            score_file(p, e, ex, facts[i], o);
            FUZZ_ASSERT(out_finish(o) == 0);
        }
        run_tests(p, e);
        eval_free(ex);
        eval_free(e);
    }
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20))
        return 0;
    if (data[0] % 2 == 0) {
        const char *facts[] = {fuzz_write_file(0, "t.csv", data + 1, size - 1),
                               fuzz_write_file(1, "e.facts", data + 1, size - 1)};
        score(seed_rubric, sizeof seed_rubric, facts, 2);
    } else {
        const char *facts[] = {fuzz_write_file(0, "t.csv", seed_team, sizeof seed_team)};
        score(data + 1, size - 1, facts, 1);
    }
    return 0;
}
