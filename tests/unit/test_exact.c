/* test_exact.c - exact aggregation above the items (edition 2): src/exact.c
 * and the evaluator's sums, floors, caps and rater sums.
 *
 * Every expected number here was computed with Python's fractions module
 * (half away from zero, once, on the exact value), never with the program:
 * ties at round 0, 1 and 2, thirds, sevenths, negative totals, raters and
 * weighted sections nested three deep. Each total is checked on the exact
 * path (what explain uses) and on the fast path (eval_use_fast_path). */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "eval.h"
#include "exact.h"
#include "parse.h"

typedef struct {
    Arena a, emp;
    Diags d;
    Program *p;
    Eval *e;
    Result r;
} Fix;

static FactCell cell(const char *key, const char *val, int line)
{
    return (FactCell){.key = key,
                      .key_len = strlen(key),
                      .val = val,
                      .val_len = strlen(val),
                      .line = line,
                      .col = -1};
}

/* Check text (which must be clean), then score the employee whose facts are
 * the keys and values in kv (NULL-terminated pairs). */
static bool score(Fix *f, const char *text, const char *const *kv)
{
    arena_init(&f->a);
    arena_init(&f->emp);
    diag_init(&f->d, stderr);
    Source *s = source_from_text(&f->a, "t.rubric", text, strlen(text));
    Node *root = parse_source(&f->a, s, &f->d, NULL);
    assert_non_null(root);
    f->p = check_program(&f->a, s, root, &f->d);
    assert_int_equal(f->d.errors, 0);
    f->e = eval_new(f->p, &f->d);
    FactCell cells[16];
    size_t n = 0;
    for (; kv[2 * n]; n++)
        cells[n] = cell(kv[2 * n], kv[2 * n + 1], (int)n + 1);
    FactRecord rec = {0};
    rec.cells = cells;
    rec.ncells = n;
    rec.source = "x.facts";
    rec.default_id = "x";
    rec.path = "x.facts";
    rec.line = 1;
    return eval_record(f->e, &rec, &f->emp, &f->r);
}

/* The reported total on the fast path (eval_use_fast_path), as text. */
static const char *fast_total(const char *text, const char *const *kv)
{
    static char buf[DEC_BUFSZ];
    Fix f;
    arena_init(&f.a);
    arena_init(&f.emp);
    diag_init(&f.d, stderr);
    Source *s = source_from_text(&f.a, "t.rubric", text, strlen(text));
    Node *root = parse_source(&f.a, s, &f.d, NULL);
    f.p = check_program(&f.a, s, root, &f.d);
    f.e = eval_new(f.p, &f.d);
    eval_use_fast_path(f.e, true);
    FactCell cells[16];
    size_t n = 0;
    for (; kv[2 * n]; n++)
        cells[n] = cell(kv[2 * n], kv[2 * n + 1], (int)n + 1);
    FactRecord rec = {0};
    rec.cells = cells;
    rec.ncells = n;
    rec.source = rec.default_id = rec.path = "x";
    assert_true(eval_record(f.e, &rec, &f.emp, &f.r));
    dec_format(f.r.total, buf);
    eval_free(f.e);
    arena_free(&f.emp);
    arena_free(&f.a);
    return buf;
}

static void done(Fix *f)
{
    eval_free(f->e);
    arena_free(&f->emp);
    arena_free(&f->a);
}

static const char *dtext(Fix *f, Dec d)
{
    char *b = arena_alloc(&f->emp, DEC_BUFSZ);
    dec_format(d, b);
    return b;
}

/* The reported score of the node named name. */
static const char *reported(Fix *f, const char *name)
{
    for (int i = 0; i < f->p->nnodes; i++)
        if (strcmp(f->p->nodes[i]->name, name) == 0)
            return dtext(f, f->r.scores[i]);
    fail_msg("no node %s", name);
    return NULL;
}

static const char *exact(Fix *f, const char *name)
{
    for (int i = 0; i < f->p->nnodes; i++)
        if (strcmp(f->p->nodes[i]->name, name) == 0)
            return ex_text(&f->emp, f->r.exact[i]);
    fail_msg("no node %s", name);
    return NULL;
}

/* ---- src/exact.c ---- */

static void test_round_half_away(void **state)
{
    (void)state;
    mpq_t q;
    mpq_init(q);
    Dec d;
    char b[DEC_BUFSZ];
    mpq_set_si(q, 2775, 30);
    assert_true(ex_round(q, 0, &d));
    dec_format(d, b);
    assert_string_equal(b, "93");
    mpq_set_si(q, -5, 2);
    assert_true(ex_round(q, 0, &d));
    dec_format(d, b);
    assert_string_equal(b, "-3");
    mpq_set_si(q, 100, 7);
    assert_true(ex_round(q, 4, &d));
    dec_format(d, b);
    assert_string_equal(b, "14.2857");
    assert_true(ex_round(q, 18, &d));
    dec_format(d, b);
    assert_string_equal(b, "14.285714285714285714");
    mpq_set_si(q, 200, 3);
    assert_true(ex_round(q, 18, &d));
    dec_format(d, b);
    assert_string_equal(b, "66.666666666666666667");
    /* half to even at 18 places (item arithmetic): 5e-19 -> 0, 15e-19 -> 2e-18 */
    mpq_set_str(q, "5/10000000000000000000", 10);
    mpq_canonicalize(q);
    assert_true(ex_round_even(q, &d));
    assert_true(dec_is_zero(d));
    mpq_set_str(q, "15/10000000000000000000", 10);
    mpq_canonicalize(q);
    assert_true(ex_round_even(q, &d));
    dec_format(d, b);
    assert_string_equal(b, "0.000000000000000002");
    /* beyond a Dec's range */
    mpq_set_str(q, "100000000000000000000", 10);
    assert_false(ex_round(q, 0, &d));
    mpq_clear(q);
}

static void test_text_and_round_q(void **state)
{
    (void)state;
    Arena a;
    arena_init(&a);
    mpq_t q;
    mpq_init(q);
    mpq_set_si(q, 250, 3);
    mpq_canonicalize(q);
    assert_string_equal(ex_text(&a, q), "250/3");
    mpq_set_si(q, -1, 20);
    assert_string_equal(ex_text(&a, q), "-0.05");
    mpq_set_si(q, 0, 1);
    assert_string_equal(ex_text(&a, q), "0");
    mpq_set_si(q, 185, 2);
    assert_string_equal(ex_text(&a, q), "92.5");
    ex_from_dec(q, dec_from_int(-40));
    assert_string_equal(ex_text(&a, q), "-40");
    mpq_set_si(q, 12345, 100);
    ex_round_q(q, q, -1); /* 123.45 to tens: 120 */
    assert_string_equal(ex_text(&a, q), "120");
    mpq_set_si(q, -1235, 1000);
    ex_round_q(q, q, 2); /* -1.235 -> -1.24, away from zero */
    assert_string_equal(ex_text(&a, q), "-1.24");
    /* between -1 and 0 the quotient is 0: the sign must come from the value */
    mpq_set_si(q, -1, 2);
    ex_round_q(q, q, 0); /* -0.5 -> -1 */
    assert_string_equal(ex_text(&a, q), "-1");
    mpq_set_si(q, -3, 5);
    ex_round_q(q, q, 0); /* -0.6 -> -1 */
    assert_string_equal(ex_text(&a, q), "-1");
    mpq_set_si(q, -2, 5);
    ex_round_q(q, q, 0); /* -0.4 -> 0 */
    assert_string_equal(ex_text(&a, q), "0");
    mpq_set_si(q, -45, 1000);
    ex_round_q(q, q, 1); /* -0.045 -> -0 -> 0; -0.05 -> -0.1 */
    assert_string_equal(ex_text(&a, q), "0");
    mpq_set_si(q, -1, 20);
    ex_round_q(q, q, 1);
    assert_string_equal(ex_text(&a, q), "-0.1");
    mpq_clear(q);
    arena_free(&a);
}

/* ---- aggregation ---- */

static const char three[] =
    "rubric R {\n"
    "  round %d\n"
    "  fact x: number 0..30\n  fact y: number 0..30\n  fact z: number 0..30\n"
    "  item A weight %s max 30 { score x }\n"
    "  item B weight %s max 30 { score y }\n"
    "  item C weight %s max 30 { score z }\n"
    "  grade { total >= 93 -> \"A\"; else -> \"B\" }\n"
    "}\n";

static const char *three_text(Fix *f, int round, const char *wa, const char *wb, const char *wc)
{
    (void)f;
    static char buf[1024];
    snprintf(buf, sizeof buf, three, round, wa, wb, wc);
    return buf;
}

static void test_tie_round0(void **state)
{
    (void)state;
    Fix f;
    const char *kv[] = {"x", "25", "y", "28", "z", "29", NULL};
    assert_true(score(&f, three_text(&f, 0, "25%", "25%", "50%"), kv));
    assert_string_equal(dtext(&f, f.r.total), "93"); /* 2775/30 = 92.5 */
    assert_string_equal(fast_total(three_text(&f, 0, "25%", "25%", "50%"), kv), "93");
    assert_string_equal(f.r.grade, "A");
    assert_string_equal(ex_text(&f.emp, f.r.total_exact), "92.5");
    done(&f);
}

static void test_tie_round1(void **state)
{
    (void)state;
    Fix f;
    const char *kv[] = {"x", "1.16", "y", "1.15", "z", "0", NULL};
    assert_true(score(&f, three_text(&f, 1, "50%", "50%", "0%"), kv));
    assert_string_equal(dtext(&f, f.r.total), "3.9"); /* 77/20 = 3.85 */
    assert_string_equal(fast_total(three_text(&f, 1, "50%", "50%", "0%"), kv), "3.9");
    done(&f);
}

static void test_tie_round2(void **state)
{
    (void)state;
    Fix f;
    const char *kv[] = {"x", "5.89", "y", "13.96", "z", "10.61", NULL};
    assert_true(score(&f, three_text(&f, 2, "25%", "25%", "50%"), kv));
    assert_string_equal(dtext(&f, f.r.total), "34.23"); /* 34.225 */
    assert_string_equal(fast_total(three_text(&f, 2, "25%", "25%", "50%"), kv), "34.23");
    done(&f);
}

static void test_thirds_and_sevenths(void **state)
{
    (void)state;
    Fix f;
    const char *kv[] = {"x", "10", "y", "20", "z", "0", NULL};
    /* 10/30 x 100 = 100/3 at 18 places, 20/30 x 100 = 200/3 */
    assert_true(score(&f, three_text(&f, 18, "100%", "0%", "0%"), kv));
    assert_string_equal(dtext(&f, f.r.total), "33.333333333333333333");
    assert_string_equal(fast_total(three_text(&f, 18, "100%", "0%", "0%"), kv),
                        "33.333333333333333333");
    done(&f);
    assert_true(score(&f, three_text(&f, 18, "0%", "100%", "0%"), kv));
    assert_string_equal(dtext(&f, f.r.total), "66.666666666666666667");
    done(&f);
    static const char sevenths[] = "rubric R {\n  round 4\n  fact a: number 0..7\n"
                                   "  section S weight 100% {\n"
                                   "    item I weight 100% max 7 { score a }\n  }\n}\n";
    const char *kv7[] = {"a", "1", NULL};
    assert_true(score(&f, sevenths, kv7));
    assert_string_equal(dtext(&f, f.r.total), "14.2857"); /* 100/7 */
    assert_string_equal(fast_total(sevenths, kv7), "14.2857");
    assert_string_equal(exact(&f, "S"), "100/7");
    done(&f);
}

static void test_negative_totals(void **state)
{
    (void)state;
    static const char text[] = "rubric R {\n  round 0\n  base 0\n  fact a: number 0..20\n"
                               "  item I { score a - 10 }\n}\n";
    const char *in[] = {"7.5", "7.4", "7.6", "10"};
    const char *want[] = {"-3", "-3", "-2", "0"}; /* -2.5 -> -3, half away from zero */
    for (int i = 0; i < 4; i++) {
        Fix f;
        const char *kv[] = {"a", in[i], NULL};
        assert_true(score(&f, text, kv));
        assert_string_equal(dtext(&f, f.r.total), want[i]);
        assert_string_equal(fast_total(text, kv), want[i]);
        done(&f);
    }
}

static void test_raters(void **state)
{
    (void)state;
    static const char text[] = "rubric R {\n  round 0\n  fact a: number 0..30\n"
                               "  rater 甲 weight 50%\n  rater 乙 weight 50%\n"
                               "  item I weight 100% max 30 { score a }\n}\n";
    Fix f;
    const char *kv[] = {"a@甲", "25", "a@乙", "26.3", NULL};
    assert_true(score(&f, text, kv));
    /* 250/3 and 263/3 (reported 83, 88); the exact mean 171/2 = 85.5 -> 86 */
    assert_string_equal(dtext(&f, f.r.rater_totals[0]), "83");
    assert_string_equal(dtext(&f, f.r.rater_totals[1]), "88");
    assert_string_equal(dtext(&f, f.r.total), "86");
    assert_string_equal(ex_text(&f.emp, f.r.total_exact), "85.5");
    assert_string_equal(reported(&f, "I"), "26"); /* 25 x 50% + 26.3 x 50% = 25.65 */
    done(&f);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    static const char text[] = "rubric R {\n"
                               "  fact a: number 0..3\n  fact b: number 0..11\n"
                               "  fact c: number 0..9\n  fact d: number 0..13\n"
                               "  section S1 weight 50% max 7 {\n"
                               "    section S2 weight 50% max 3 {\n"
                               "      item i1 weight 50% { score a }\n"
                               "      item i2 weight 50% { score b }\n"
                               "    }\n"
                               "    item i3 weight 50% { score c }\n"
                               "  }\n"
                               "  item i4 weight 50% { score d }\n"
                               "}\n";
    Fix f;
    const char *kv[] = {"a", "1", "b", "2", "c", "4", "d", "5", NULL};
    assert_true(score(&f, text, kv));
    assert_string_equal(exact(&f, "S2"), "17/22");
    assert_string_equal(exact(&f, "S1"), "973/396");
    assert_string_equal(ex_text(&f.emp, f.r.total_exact), "94675/2574");
    assert_string_equal(dtext(&f, f.r.total), "36.78");
    assert_string_equal(fast_total(text, kv), "36.78");
    assert_string_equal(reported(&f, "S1"), "2.46");
    assert_string_equal(reported(&f, "S2"), "0.77");
    done(&f);
    const char *kv2[] = {"a", "2.5", "b", "7.3", "c", "8.1", "d", "12.9", NULL};
    assert_true(score(&f, text, kv2));
    assert_string_equal(ex_text(&f.emp, f.r.total_exact), "38965/429");
    assert_string_equal(dtext(&f, f.r.total), "90.83");
    assert_string_equal(fast_total(text, kv2), "90.83");
    assert_string_equal(reported(&f, "S1"), "5.77");
    assert_string_equal(reported(&f, "S2"), "2.25");
    done(&f);
}

static void test_deduction_sheet(void **state)
{
    (void)state;
    static const char text[] = "rubric R {\n"
                               "  fact n: integer >= 0\n  fact m: integer >= 0\n"
                               "  section Q base 30 floor 0 { item e { score -5 * n } }\n"
                               "  section P base 30 cap 30 { item b { score 3 * m }\n"
                               "    item s { score -1.5 * n } }\n"
                               "}\n";
    Fix f;
    const char *kv[] = {"n", "7", "m", "2", NULL};
    assert_true(score(&f, text, kv));
    /* Q: 30 - 35 = -5 -> floor 0; P: 30 + 6 - 10.5 = 25.5 */
    assert_string_equal(reported(&f, "Q"), "0");
    assert_string_equal(reported(&f, "P"), "25.5");
    assert_string_equal(dtext(&f, f.r.total), "25.5");
    assert_string_equal(fast_total(text, kv), "25.5");
    assert_int_equal(f.r.clamped[0], 1); /* Q's floor applied */
    done(&f);
    const char *kv2[] = {"n", "1", "m", "9", NULL};
    assert_true(score(&f, text, kv2));
    /* Q: 25; P: 30 + 27 - 1.5 = 55.5 -> cap 30; total 55 */
    assert_string_equal(reported(&f, "P"), "30");
    assert_string_equal(dtext(&f, f.r.total), "55");
    assert_string_equal(fast_total(text, kv2), "55");
    done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_half_away), cmocka_unit_test(test_text_and_round_q),
        cmocka_unit_test(test_tie_round0),      cmocka_unit_test(test_tie_round1),
        cmocka_unit_test(test_tie_round2),      cmocka_unit_test(test_thirds_and_sevenths),
        cmocka_unit_test(test_negative_totals), cmocka_unit_test(test_raters),
        cmocka_unit_test(test_deep_nesting),    cmocka_unit_test(test_deduction_sheet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
