/* test_check.c - the name and type pass: names and suggestions, scopes,
 * types and percent coercion, weights, modes and inferred full scores, and
 * the settings (round, id). Every test parses a small rubric from memory,
 * checks it, and asserts the exact diagnostics and the Program built. Each
 * test gets a fresh arena and an in-memory diagnostics sink. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#include "fixture.h"

#include "arena.h"
#include "ast.h"
#include "check.h"
#include "code.h"
#include "decimal.h"
#include "diag.h"
#include "parse.h"
#include "source.h"

/* Parse (without syntax errors) and check text. */
static Program *check(Fx *x, const char *text)
{
    x->src = source_from_text(&x->a, "t.rubric", text, strlen(text));
    x->root = parse_source(&x->a, x->src, &x->d, NULL);
    if (x->d.errors)
        fail_msg("syntax errors:\n%s", diags(x));
    assert_non_null(x->root);
    Program *p = check_program(&x->a, x->src, x->root, &x->d);
    assert_non_null(p);
    return p;
}

/* Check text, which must give no diagnostics at all. */
static Program *check_clean(Fx *x, const char *text)
{
    Program *p = check(x, text);
    if (x->d.errors || x->d.warnings)
        fail_msg("unexpected diagnostics:\n%s", diags(x));
    return p;
}

static const char *dec_text(Fx *x, Dec d)
{
    char buf[DEC_BUFSZ];
    dec_format(d, buf);
    return arena_strndup(&x->a, buf, strlen(buf));
}

/* The score node named name. */
static ScoreNode *node(const Program *p, const char *name)
{
    for (int i = 0; i < p->nnodes; i++)
        if (strcmp(p->nodes[i]->name, name) == 0)
            return p->nodes[i];
    fail_msg("no node %s", name);
    return NULL;
}

static const char *full(Fx *x, const Program *p, const char *name)
{
    ScoreNode *n = node(p, name);
    assert_true(n->full_ok);
    return dec_text(x, n->full);
}

/* The result expression of rule k of item name (its score with k = -1). */
static const Node *result(const Program *p, const char *name, int k)
{
    ScoreNode *n = node(p, name);
    return k < 0 ? n->score : n->rules[k]->b;
}

static const Node *condition(const Program *p, const char *name, int k)
{
    return node(p, name)->rules[k]->a;
}

/* ---- names ---- */

static void test_undeclared_name_with_suggestion(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  fact 完成率: percent 0..100\n"
             "  item 甲 {\n"
             "    完成 >= 90 -> 20\n"
             "    else -> 0\n"
             "  }\n"
             "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_int_equal(x->d.warnings, 0);
    assert_string_equal(diags(x), "t.rubric:4:5: error: unknown name 完成 [undeclared]\n"
                                  "    4 |     完成 >= 90 -> 20\n"
                                  "      |     ^~~~\n"
                                  "hint: Did you mean 完成率?\n");
}

static void test_undeclared_name_without_suggestion(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n  fact 完成率: percent\n  item 甲 max 5 { score 出勤天数 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:3:24: error: unknown name 出勤天数 [undeclared]\n"
                                  "    3 |   item 甲 max 5 { score 出勤天数 }\n"
                                  "      |                         ^~~~~~~~\n"
                                  "hint: Declare it first, e.g. fact 出勤天数: number 0..100.\n");
}

static void test_glued_keyword_name_hint(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n  fact 满意度: number 0..100\n  item 甲 { score 且满意度 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:3:18: error: unknown name 且满意度 [undeclared]\n"
                                  "    3 |   item 甲 { score 且满意度 }\n"
                                  "      |                   ^~~~~~~~\n"
                                  "hint: A Chinese keyword must stand alone: write '且 满意度'.\n");
}

static void test_check_distance(void **state)
{
    (void)state;
    assert_int_equal(check_distance("完成率", "完成率"), 0);
    assert_int_equal(check_distance("完成", "完成率"), 1);
    assert_int_equal(check_distance("完成率", "完美率"), 1);
    assert_int_equal(check_distance("完成率", "率完成"), 2);
    assert_int_equal(check_distance("工作质量得分", "工作效率得分"), 2);
    assert_int_equal(check_distance("投诉2小时响应", "投诉２小时响应"), 1); /* not folded here */
    assert_int_equal(check_distance("", "满意度"), 3);
    assert_int_equal(check_distance("满意度", ""), 3);
    assert_int_equal(check_distance("kitten", "sitting"), 3);
    assert_int_equal(check_distance("a完成", "完成a"), 2);
}

static void test_find_and_suggest_fact(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(x, "rubric R {\n"
                                "  fact 工号: text\n"
                                "  fact 完成率: percent 0..100\n"
                                "  fact 满意度: number 0..100\n"
                                "  item 完成情况 max 1 { score 1 }\n"
                                "}\n");
    assert_int_equal(p->nfacts, 3);
    assert_int_equal(check_find_fact(p, "完成率", strlen("完成率")), 1);
    assert_int_equal(check_find_fact(p, "满意度", strlen("满意度")), 2);
    assert_int_equal(check_find_fact(p, "完成", strlen("完成")), -1);
    assert_int_equal(check_find_fact(p, "完成情况", strlen("完成情况")), -1); /* an item */
    assert_string_equal(check_suggest_fact(p, "完成", strlen("完成")), "完成率");
    assert_string_equal(check_suggest_fact(p, "满意率", strlen("满意率")), "满意度");
    assert_string_equal(check_suggest_fact(p, "工号码", strlen("工号码")), "工号");
    assert_null(check_suggest_fact(p, "出勤天数", strlen("出勤天数")));
}

static void test_name_clash(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  fact 完成率: percent\n"
             "  item 完成率 max 1 { score 1 }\n"
             "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:3:8: error: the name 完成率 is already used [clash]\n"
                        "    3 |   item 完成率 max 1 { score 1 }\n"
                        "      |        ^~~~~~\n"
                        "t.rubric:2:8: note: 完成率 was declared here\n"
                        "    2 |   fact 完成率: percent\n"
                        "      |        ^~~~~~\n"
                        "hint: Facts share one namespace with items, groups, sections and "
                        "outputs; keep 完成率 for the fact and call the other one 完成率得分, "
                        "for example.\n");
}

static void test_names_fold_fullwidth(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(x, "rubric R {\n"
                                "  fact 投诉2小时响应: percent 0..100\n"
                                "  item 甲 { score 投诉２小时响应 }\n"
                                "}\n");
    assert_int_equal(node(p, "甲")->nreads, 1);
    assert_int_equal(node(p, "甲")->reads[0], 0);
}

/* ---- scopes ---- */

static void test_item_cannot_read_item(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  fact a: number 0..10\n"
             "  item 甲 { score a }\n"
             "  item 乙 { score 甲 }\n"
             "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:4:18: error: item 乙 cannot read item 甲 [scope]\n"
                                  "    4 |   item 乙 { score 甲 }\n"
                                  "      |                   ^~\n"
                                  "hint: An item reads facts only.\n");
}

static void test_total_in_item(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n  item 甲 { total >= 90 -> 1; else -> 0 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:2:12: error: item 甲 cannot read total [scope]\n"
                                  "    2 |   item 甲 { total >= 90 -> 1; else -> 0 }\n"
                                  "      |             ^~~~~\n"
                                  "hint: total is read by grade rules, outputs and expect.\n");
}

static void test_section_score_reads_its_children(void **state)
{
    Fx *x = *state;
    Program *p =
        check_clean(x, "rubric R {\n"
                       "  fact a: number 0..10\n"
                       "  section S {\n"
                       "    group G { item 甲 { score a } }\n"
                       "    item 乙 { score a * 2 }\n"
                       "    score max(甲, 乙)\n"
                       "  }\n"
                       "  grade { S >= 10 and 甲 > 1 and total > 0 -> \"好\"; else -> \"差\" }\n"
                       "}\n");
    ScoreNode *s = node(p, "S");
    assert_non_null(s->score);
    assert_string_equal(full(x, p, "S"), "20");
    assert_int_equal(check_info(p, s->score->kids[0])->ref, REF_NODE);
    assert_int_equal(check_info(p, s->score->kids[0])->slot, node(p, "甲")->index);
    assert_int_equal(p->ngrade, 2);
}

static void test_section_cannot_read_others_children(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  section S { item 甲 max 5 { score 1 } }\n"
             "  section T { item 乙 max 5 { score 1 }\n"
             "    score 甲 }\n"
             "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:4:11: error: section T cannot read item 甲 [scope]\n"
                                  "    4 |     score 甲 }\n"
                                  "      |           ^~\n"
                                  "hint: A section's score reads facts and its own children.\n");
}

/* ---- types ---- */

static void test_condition_must_be_bool(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n  fact a: number 0..10\n  item 甲 { a -> 1; else -> 0 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:3:12: error: a rule's condition must be true or false, but "
                        "this is a number [type]\n"
                        "    3 |   item 甲 { a -> 1; else -> 0 }\n"
                        "      |             ^\n"
                        "hint: Compare it with something, e.g. 完成率 >= 90.\n");
}

static void test_text_ordering(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  fact t: text\n"
             "  item 甲 { t < \"b\" -> 1; t == \"a\" -> 2; t != \"c\" -> 3; else -> 0 }\n"
             "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:3:12: error: text can only be compared with == or != [type]\n"
                        "    3 |   item 甲 { t < \"b\" -> 1; t == \"a\" -> 2; t != \"c\" -> 3; "
                        "else -> 0 }\n"
                        "      |             ^~~~~~~\n");
}

static void test_bool_arithmetic(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  fact p: bool\n"
             "  item 甲 max 2 { score p + 1 }\n"
             "  item 乙 max 2 { p > 是 -> 1; else -> 0 }\n"
             "}\n");
    assert_int_equal(x->d.errors, 2);
    assert_string_equal(diags(x),
                        "t.rubric:3:24: error: cannot use + with true/false and a number "
                        "[type]\n"
                        "    3 |   item 甲 max 2 { score p + 1 }\n"
                        "      |                         ^~~~~\n"
                        "t.rubric:4:18: error: true/false can only be compared with == or != "
                        "[type]\n"
                        "    4 |   item 乙 max 2 { p > 是 -> 1; else -> 0 }\n"
                        "      |                   ^~~~~~\n");
}

static void test_text_compared_with_number(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n  fact t: text\n  item 甲 { t == 1 -> 1; else -> 0 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:3:12: error: cannot compare text with a number [type]\n"
                                  "    3 |   item 甲 { t == 1 -> 1; else -> 0 }\n"
                                  "      |             ^~~~~~\n"
                                  "hint: A fact declared text never equals a number; declare it "
                                  "number.\n");
}

static void test_percent_literal_coercion(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(x, "rubric R {\n"
                                "  fact 完成率: percent 0..100\n"
                                "  item 甲 {\n"
                                "    完成率 >= 90 -> 20\n"
                                "    80 <= 完成率 < 85.5 -> 10\n"
                                "    完成率 >= (70) -> 5\n"
                                "    完成率 > -5 -> 1\n"
                                "    完成率 == 60% -> 1\n"
                                "    else -> 0\n"
                                "  }\n"
                                "}\n");
    const Node *c = condition(p, "甲", 0);
    assert_int_equal(c->kind, AST_CHAIN);
    assert_int_equal(check_info(p, c->kids[0])->ty, TY_PERCENT);
    assert_int_equal(c->kids[1]->kind, AST_NUM);
    assert_int_equal(check_info(p, c->kids[1])->ty, TY_PERCENT);
    assert_string_equal(dec_text(x, check_num(p, c->kids[1])), "0.9");
    assert_string_equal(dec_text(x, c->kids[1]->num), "90"); /* the tree keeps what was written */
    assert_int_equal(check_info(p, c)->ty, TY_BOOL);
    c = condition(p, "甲", 1);
    assert_string_equal(dec_text(x, check_num(p, c->kids[0])), "0.8");
    assert_string_equal(dec_text(x, check_num(p, c->kids[2])), "0.855");
    assert_int_equal(check_info(p, c->kids[0])->ty, TY_PERCENT);
    assert_int_equal(check_info(p, c->kids[2])->ty, TY_PERCENT);
    c = condition(p, "甲", 2);
    assert_int_equal(c->kids[1]->kind, AST_PAREN);
    assert_int_equal(check_info(p, c->kids[1])->ty, TY_PERCENT);
    assert_string_equal(dec_text(x, check_num(p, c->kids[1]->a)), "0.7");
    c = condition(p, "甲", 3);
    assert_int_equal(c->kids[1]->kind, AST_NEG);
    assert_string_equal(dec_text(x, check_num(p, c->kids[1]->a)), "0.05");
    c = condition(p, "甲", 4);
    assert_string_equal(dec_text(x, check_num(p, c->kids[1])), "0.6"); /* already a percent */
    /* results are plain numbers: not coerced */
    assert_string_equal(dec_text(x, check_num(p, result(p, "甲", 0))), "20");
    assert_int_equal(check_info(p, result(p, "甲", 0))->ty, TY_NUMBER);
}

static void test_percent_coercion_in_arithmetic_and_calls(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(x, "rubric R {\n"
                                "  fact r: percent 0..100\n"
                                "  fact n: number 0..10\n"
                                "  item 甲 { score r + 5 }\n"
                                "  item 乙 { score max(r, 50, 30%) }\n"
                                "  item 丙 { score n * 80% }\n"
                                "  item 丁 { score if(n > 5, r, 10) }\n"
                                "}\n");
    const Node *e = result(p, "甲", -1);
    assert_int_equal(check_info(p, e)->ty, TY_PERCENT);
    assert_string_equal(dec_text(x, check_num(p, e->b)), "0.05");
    e = result(p, "乙", -1);
    assert_int_equal(check_info(p, e)->ty, TY_PERCENT);
    assert_string_equal(dec_text(x, check_num(p, e->kids[1])), "0.5");
    assert_string_equal(dec_text(x, check_num(p, e->kids[2])), "0.3");
    e = result(p, "丙", -1);
    assert_int_equal(check_info(p, e)->ty, TY_NUMBER); /* a percent in * acts as its fraction */
    e = result(p, "丁", -1);
    assert_int_equal(check_info(p, e)->ty, TY_PERCENT);
    assert_string_equal(dec_text(x, check_num(p, e->kids[2])), "0.1");
    /* a percent score counts its points */
    assert_string_equal(full(x, p, "甲"), "105");
    assert_string_equal(full(x, p, "乙"), "100");
    assert_string_equal(full(x, p, "丙"), "8");
    assert_string_equal(full(x, p, "丁"), "100");
}

static void test_percent_mixed_with_number_fact(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  fact 完成率: percent 0..100\n"
             "  fact 目标: number 0..100\n"
             "  item 甲 { 完成率 >= 目标 -> 1; else -> 0 }\n"
             "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:4:19: error: a percent cannot be mixed with this number "
                        "[percent-mix]\n"
                        "    4 |   item 甲 { 完成率 >= 目标 -> 1; else -> 0 }\n"
                        "      |                       ^~~~\n"
                        "hint: If this value is a rate, declare its fact as percent; a plain "
                        "literal like 90 next to a percent is read as 90%.\n");
}

static void test_percent_mixed_with_computed_number(void **state)
{
    Fx *x = *state;
    /* 80 + 5 is not a plain literal */
    check(x, "rubric R {\n  fact r: percent\n  item 甲 { r >= 80 + 5 -> 1; else -> 0 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_non_null(strstr(diags(x),
                           "t.rubric:3:17: error: a percent cannot be mixed with this number "
                           "[percent-mix]\n"));
}

static void test_percent_compared_with_fraction_warns(void **state)
{
    Fx *x = *state;
    Program *p = check(x, "rubric R {\n"
                          "  fact 完成率: percent 0..100\n"
                          "  item 甲 { 完成率 >= 0.9 -> 1; else -> 0 }\n"
                          "}\n");
    assert_int_equal(x->d.errors, 0);
    assert_int_equal(x->d.warnings, 1);
    assert_string_equal(diags(x), "t.rubric:3:19: warning: 0.9 is compared with a percent, so it "
                                  "means 0.9% [percent-fraction]\n"
                                  "    3 |   item 甲 { 完成率 >= 0.9 -> 1; else -> 0 }\n"
                                  "      |                       ^~~\n"
                                  "hint: Write 90% if that is what you meant.\n");
    assert_string_equal(dec_text(x, check_num(p, condition(p, "甲", 0)->kids[1])), "0.009");
    /* 0 and 1 themselves, and fractions outside comparisons, do not warn */
    reset(x);
    check_clean(x, "rubric R {\n"
                   "  fact r: percent 0..100\n"
                   "  item 乙 { r >= 1 -> 1; r > 0 -> 1; else -> 0 }\n"
                   "  item 丙 { score max(r, 0.5) }\n"
                   "}\n");
}

static void test_function_checks(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  fact a: number 0..10\n"
             "  fact p: bool\n"
             "  item 甲 max 99 { score mx(a, 1) }\n"
             "  item 乙 max 99 { score clamp(a, 1) }\n"
             "  item 丙 max 99 { score 满分(a, 1) }\n"
             "  item 丁 max 99 { score count(a, p) }\n"
             "  item 戊 max 99 { score round(a, 1) + abs(a) }\n"
             "}\n");
    assert_int_equal(x->d.errors, 4);
    assert_string_equal(diags(x),
                        "t.rubric:4:25: error: unknown function mx [function]\n"
                        "    4 |   item 甲 max 99 { score mx(a, 1) }\n"
                        "      |                          ^~\n"
                        "hint: Did you mean max?\n"
                        "t.rubric:5:25: error: clamp takes 3 arguments, not 2 [arguments]\n"
                        "    5 |   item 乙 max 99 { score clamp(a, 1) }\n"
                        "      |                          ^~~~~~~~~~~\n"
                        "t.rubric:6:25: error: functions have English names only [function]\n"
                        "    6 |   item 丙 max 99 { score 满分(a, 1) }\n"
                        "      |                          ^~~~~~~~~~\n"
                        "hint: Write max(…).\n"
                        "t.rubric:7:31: error: count counts conditions that hold; this is a "
                        "number [type]\n"
                        "    7 |   item 丁 max 99 { score count(a, p) }\n"
                        "      |                                ^\n");
    reset(x);
    const Program *q = check(x, "rubric R {\n  fact a: number 0..10\n"
                                "  item 甲 max 99 { score round(a, 1) }\n}\n");
    assert_int_equal(check_info(q, result(q, "甲", -1))->fn, FN_ROUND);
}

/* ---- rules ---- */

static void test_rule_after_else_is_unreachable(void **state)
{
    Fx *x = *state;
    check(
        x,
        "rubric R {\n  fact a: number 0..10\n  item 甲 {\n    else -> 0\n    a > 5 -> 5\n  }\n}\n");
    assert_int_equal(x->d.errors, 0);
    assert_int_equal(x->d.warnings, 1);
    assert_string_equal(diags(x), "t.rubric:5:5: warning: this rule comes after else, so it never "
                                  "applies [unreachable]\n"
                                  "    5 |     a > 5 -> 5\n"
                                  "      |     ^~~~~~~~~~\n");
}

static void test_item_body(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  fact a: number 0..10\n"
             "  item 甲 { }\n"
             "  item 乙 { score a; a > 1 -> 2 }\n"
             "}\n");
    assert_int_equal(x->d.errors, 2);
    assert_string_equal(diags(x), "t.rubric:3:8: error: item 甲 gives no score [item-body]\n"
                                  "    3 |   item 甲 { }\n"
                                  "      |        ^~\n"
                                  "hint: Add score EXPR, or rules such as 完成率 >= 90 -> 20.\n"
                                  "t.rubric:4:21: error: item 乙 has both a score and rules "
                                  "[item-body]\n"
                                  "    4 |   item 乙 { score a; a > 1 -> 2 }\n"
                                  "      |                      ^~~~~~~~~~\n"
                                  "hint: Give either score EXPR or a list of rules.\n");
}

static void test_grade_results_are_text(void **state)
{
    Fx *x = *state;
    Program *p = check(x, "rubric R {\n"
                          "  item 甲 max 5 { score 5 }\n"
                          "  grade { total >= 90 -> 1; else -> \"差\" }\n"
                          "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:3:26: error: a grade must be text in quotes, but this is a "
                        "number [type]\n"
                        "    3 |   grade { total >= 90 -> 1; else -> \"差\" }\n"
                        "      |                          ^\n");
    assert_true(p->has_grade);
    assert_int_equal(p->ngrade, 2);
}

/* ---- weights and modes ---- */

static const char *const seed_c = "rubric \"月度绩效考核评分表\" {\n"
                                  "  id 工号\n"
                                  "  round 2\n"
                                  "  fact 工号: text\n"
                                  "  fact 工作质量得分: number 0..100 \"工作完成情况和质量\"\n"
                                  "  fact 工作效率得分: number 0..100\n"
                                  "  fact 工作态度得分: number 0..100\n"
                                  "  fact 团队合作得分: number 0..100\n"
                                  "  fact 创新能力得分: number 0..100\n"
                                  "  fact 学习能力得分: number 0..100\n"
                                  "  item 工作质量 weight 30% { score 工作质量得分 }\n"
                                  "  item 工作效率 weight 20% { score 工作效率得分 }\n"
                                  "  item 工作态度 weight 15% { score 工作态度得分 }\n"
                                  "  item 团队合作 weight 15% { score 团队合作得分 }\n"
                                  "  item 创新能力 weight 10% { score 创新能力得分 }\n"
                                  "  item 学习能力 weight 10% { score 学习能力得分 }\n"
                                  "  grade {\n"
                                  "    total >= 90 -> \"优秀\"\n"
                                  "    total >= 75 -> \"良好\"\n"
                                  "    total >= 60 -> \"合格\"\n"
                                  "    else -> \"不合格\"\n"
                                  "  }\n"
                                  "}\n";

static void test_weighted_rubric(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(x, seed_c);
    assert_int_equal(p->nfacts, 7);
    assert_int_equal(p->nnodes, 6);
    assert_int_equal(p->rubric->mode, MODE_WEIGHTED);
    assert_true(p->rubric->full_ok);
    assert_string_equal(dec_text(x, p->rubric->full), "100");
    assert_string_equal(p->rubric->name, "月度绩效考核评分表");
    const char *names[] = {"工作质量", "工作效率", "工作态度", "团队合作", "创新能力", "学习能力"};
    const char *weights[] = {"0.3", "0.2", "0.15", "0.15", "0.1", "0.1"};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(p->nodes[i]->name, names[i]);
        assert_int_equal(p->nodes[i]->index, i);
        assert_int_equal(p->nodes[i]->kind, SN_ITEM);
        assert_true(p->nodes[i]->has_weight);
        assert_string_equal(dec_text(x, p->nodes[i]->weight), weights[i]);
        assert_string_equal(full(x, p, names[i]), "100");
        assert_ptr_equal(p->nodes[i]->parent, p->rubric);
    }
    assert_int_equal(p->rubric->nmembers, 6);
    assert_int_equal(p->id_fact, 0);
    assert_int_equal(p->round, 2);
    assert_true(p->has_grade);
    assert_int_equal(p->ngrade, 4);
    assert_false(p->declared_max);
}

static void test_points_rubric(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(x, "rubric R {\n"
                                "  fact a: number 0..30\n"
                                "  item 甲 { score a }\n"
                                "  item 乙 { a >= 20 -> 20; else -> 0 }\n"
                                "  item 丙 max 10 { score a / 3 }\n"
                                "}\n");
    assert_int_equal(p->rubric->mode, MODE_POINTS);
    assert_string_equal(dec_text(x, p->rubric->full), "60");
    assert_false(node(p, "甲")->has_weight);
}

static void test_weights_must_sum_to_100(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  item 甲 weight 30% max 5 { score 1 }\n"
             "  item 乙 weight 60% max 5 { score 1 }\n"
             "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:1:1: error: the weights in the rubric add up to 90%, not "
                        "100% [weights]\n"
                        "    1 | rubric R {\n"
                        "      | ^~~~~~~~\n"
                        "hint: The weights are: 甲 30%, 乙 60%.\n");
}

static void test_section_weights_and_group_sum(void **state)
{
    Fx *x = *state;
    Program *p = check(x, "rubric R {\n"
                          "  fact a: number 0..30\n"
                          "  section 业绩 weight 80% {\n"
                          "    group 客服 weight 40% {\n"
                          "      item 甲 weight 30% { score a }\n"
                          "      item 乙 weight 20% { score a }\n"
                          "    }\n"
                          "    item 丙 weight 50% { score a }\n"
                          "  }\n"
                          "  section 行为 weight 20% max 50 { item 丁 weight 100% { score a } }\n"
                          "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:4:11: error: group 客服 has weight 40% but its items' "
                                  "weights add up to 50% [weights]\n"
                                  "    4 |     group 客服 weight 40% {\n"
                                  "      |           ^~~~\n");
    /* report order: a section before its children, groups before their items */
    const char *order[] = {"业绩", "客服", "甲", "乙", "丙", "行为", "丁"};
    assert_int_equal(p->nnodes, 7);
    for (int i = 0; i < 7; i++)
        assert_string_equal(p->nodes[i]->name, order[i]);
    ScoreNode *s = node(p, "业绩");
    assert_int_equal(s->mode, MODE_WEIGHTED);
    assert_int_equal(s->nkids, 2);
    assert_int_equal(s->nmembers, 3); /* the group's items count as its children */
    assert_ptr_equal(s->members[0], node(p, "甲"));
    assert_ptr_equal(node(p, "甲")->parent, node(p, "客服"));
    assert_int_equal(node(p, "客服")->kind, SN_GROUP);
    assert_string_equal(full(x, p, "业绩"), "100");
    assert_string_equal(full(x, p, "行为"), "50");
    assert_string_equal(dec_text(x, s->weight), "0.8");
}

static void test_mixed_weighted_and_unweighted(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  section S weight 100% {\n"
             "    item 甲 weight 50% max 5 { score 1 }\n"
             "    item 乙 max 5 { score 1 }\n"
             "  }\n"
             "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:2:11: error: section S mixes weighted and unweighted "
                                  "children [weights]\n"
                                  "    2 |   section S weight 100% {\n"
                                  "      |           ^\n"
                                  "t.rubric:4:10: note: item 乙 has no weight\n"
                                  "    4 |     item 乙 max 5 { score 1 }\n"
                                  "      |          ^~\n"
                                  "hint: Give every child a weight (they add up to 100%), or none "
                                  "(points are added).\n");
}

static void test_weight_without_percent(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  item 甲 weight 20 max 5 { score 1 }\n"
             "  item 乙 weight 0.8 max 5 { score 1 }\n"
             "}\n");
    /* the sum of the weights is not reported on top */
    assert_int_equal(x->d.errors, 2);
    assert_string_equal(diags(x),
                        "t.rubric:2:10: error: the weight of 甲 is written 20; a weight is a "
                        "percent [weight-percent]\n"
                        "    2 |   item 甲 weight 20 max 5 { score 1 }\n"
                        "      |           ^~~~~~~~~\n"
                        "hint: Write the weight with a percent sign: weight 20%.\n"
                        "t.rubric:3:10: error: the weight of 乙 is written 0.8; a weight is a "
                        "percent [weight-percent]\n"
                        "    3 |   item 乙 weight 0.8 max 5 { score 1 }\n"
                        "      |           ^~~~~~~~~~\n"
                        "hint: Write the weight with a percent sign: weight 80%.\n");
}

/* ---- full scores ---- */

static void test_full_score_of_rules(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(x, "rubric R {\n"
                                "  fact 完成率: percent 0..100\n"
                                "  item 客服流程 weight 100% {\n"
                                "    完成率 >= 90 -> 10\n"
                                "    完成率 >= 85 -> 20\n"
                                "    完成率 >= 80 -> 5\n"
                                "    else -> 0\n"
                                "  }\n"
                                "}\n");
    assert_string_equal(full(x, p, "客服流程"), "20");
    assert_string_equal(dec_text(x, node(p, "客服流程")->low), "0");
    assert_int_equal(node(p, "客服流程")->nrules, 4);
    assert_int_equal(node(p, "客服流程")->nreads, 1);
}

static void test_full_score_of_expressions(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(x, "rubric R {\n"
                                "  fact a: number 0..30\n"
                                "  fact n: integer >= 0\n"
                                "  fact 及时: bool\n"
                                "  fact 准确: bool\n"
                                "  item 甲 { score a }\n"
                                "  item 乙 { score 30 - 10 * count(及时, 准确, a > 3) }\n"
                                "  item 丙 { score min(a, 5) }\n"
                                "  item 丁 { score clamp(n, 0, 10) }\n"
                                "  item 戊 { score 10 - n }\n"
                                "  item 己 { score abs(a - 40) }\n"
                                "  item 庚 { score avg(a, 10) }\n"
                                "  item 辛 { score if(及时, 5, a) }\n"
                                "  item 壬 { score -a + 50 }\n"
                                "  item 癸 max 12 { score n }\n"
                                "  item 子 { score round(a, 0) }\n"
                                "  item 丑 { score round(a / 7, 1) }\n"
                                "}\n");
    assert_string_equal(full(x, p, "甲"), "30");
    assert_string_equal(full(x, p, "乙"), "30");
    assert_string_equal(dec_text(x, node(p, "乙")->low), "0");
    assert_string_equal(full(x, p, "丙"), "5");
    assert_string_equal(full(x, p, "丁"), "10");
    assert_string_equal(full(x, p, "戊"), "10");
    assert_string_equal(full(x, p, "己"), "40");
    assert_string_equal(full(x, p, "庚"), "20");
    assert_string_equal(full(x, p, "辛"), "30");
    assert_string_equal(full(x, p, "壬"), "50");
    assert_string_equal(full(x, p, "癸"), "12"); /* declared */
    /* rounding is monotonic: its bound is the rounded bound */
    assert_string_equal(full(x, p, "子"), "30");
    assert_string_equal(full(x, p, "丑"), "4.3");
    assert_string_equal(dec_text(x, p->rubric->full), "271.3");
}

static void test_unbounded_full_score(void **state)
{
    Fx *x = *state;
    Program *p = check(x, "rubric R {\n  fact a: number >= 0\n  item 甲 { score a * 2 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:3:18: error: cannot work out the full score of item 甲: "
                        "this can be any size [max]\n"
                        "    3 |   item 甲 { score a * 2 }\n"
                        "      |                   ^~~~~\n"
                        "hint: a has no upper bound: give it a range (e.g. 0..10), or declare "
                        "the item's full score, e.g. item 甲 max 20 { … }, or cap it.\n");
    assert_false(node(p, "甲")->full_ok);
    assert_true(node(p, "甲")->full_inf);
}

static void test_points_section_max_mismatch(void **state)
{
    Fx *x = *state;
    Program *p = check(x, "rubric R {\n"
                          "  fact a: number 0..30\n"
                          "  section S max 50 {\n"
                          "    item 甲 { score a }\n"
                          "    item 乙 max 10 { a > 3 -> 10; else -> 0 }\n"
                          "  }\n"
                          "}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:3:13: error: section S declares max 50 but its children's "
                        "full scores add up to 40 [max]\n"
                        "    3 |   section S max 50 {\n"
                        "      |             ^~~~~~\n");
    assert_int_equal(node(p, "S")->mode, MODE_POINTS);
}

static void test_full_score_in_percent_is_an_error(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n  item 甲 max 20% { score 1 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_non_null(strstr(diags(x),
                           "t.rubric:2:10: error: a full score is a number of points, not a "
                           "percent [max]\n"
                           "    2 |   item 甲 max 20% { score 1 }\n"
                           "      |           ^~~~~~~\n"));
}

/* ---- settings ---- */

static void test_round_and_id(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(x, "rubric R {\n"
                                "  fact 姓名: text\n"
                                "  fact 工号: text\n"
                                "  id 工号\n"
                                "  round 0\n"
                                "  item 甲 max 1 { score 1 }\n"
                                "}\n");
    assert_int_equal(p->id_fact, 1);
    assert_int_equal(p->round, 0);
    reset(x);
    p = check_clean(x, "rubric R {\n  item 甲 max 1 { score 1 }\n}\n");
    assert_int_equal(p->id_fact, -1);
    assert_int_equal(p->round, 2);
    reset(x);
    p = check_clean(x, "评分表 R {\n  保留 18\n  满分 1\n  指标 甲 满分 1 { 得分 1 }\n}\n");
    assert_int_equal(p->round, 18);
    assert_true(p->declared_max);
}

static void test_round_and_id_errors(void **state)
{
    Fx *x = *state;
    Program *p = check(x, "rubric R {\n"
                          "  fact 工号: text\n"
                          "  id 工\n"
                          "  round 2.5\n"
                          "  round 1\n"
                          "  item 甲 max 1 { score 1 }\n"
                          "}\n");
    assert_int_equal(x->d.errors, 3);
    assert_string_equal(diags(x),
                        "t.rubric:5:3: error: round is given twice [duplicate]\n"
                        "    5 |   round 1\n"
                        "      |   ^\n"
                        "t.rubric:4:3: note: first given here\n"
                        "    4 |   round 2.5\n"
                        "      |   ^\n"
                        "t.rubric:3:6: error: id names 工, which is not a declared fact "
                        "[undeclared]\n"
                        "    3 |   id 工\n"
                        "      |      ^~\n"
                        "hint: Did you mean 工号?\n"
                        "t.rubric:4:9: error: round takes a whole number of digits from 0 to "
                        "18 [round]\n"
                        "    4 |   round 2.5\n"
                        "      |         ^~~\n");
    assert_int_equal(p->id_fact, -1);
    assert_int_equal(p->round, 2);
    reset(x);
    check(x, "rubric R {\n  round 19\n  item 甲 max 1 { score 1 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:2:9: error: round takes a whole number of digits from 0 to "
                        "18 [round]\n"
                        "    2 |   round 19\n"
                        "      |         ^~\n");
}

/* ---- facts and tests ---- */

static void test_facts_and_defaults(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(x, "rubric R {\n"
                                "  fact 完成率: percent 0..100 = 90\n"
                                "  fact 次数: integer >= 0 = 3\n"
                                "  fact 达标: bool = 是\n"
                                "  fact 部门: text = 客服部\n"
                                "  fact 满意度: percent <= 100% = 95.5%\n"
                                "  item 甲 max 1 { score 1 }\n"
                                "}\n");
    assert_int_equal(p->nfacts, 5);
    const FactInfo *f = &p->facts[0];
    assert_string_equal(f->name, "完成率");
    assert_int_equal(f->spec.type, FT_PERCENT);
    assert_true(f->spec.has_lo && f->spec.has_hi);
    assert_string_equal(dec_text(x, f->spec.lo), "0");
    assert_string_equal(dec_text(x, f->spec.hi), "1");
    assert_true(f->has_default);
    assert_int_equal(f->dflt.kind, VAL_PERCENT);
    assert_string_equal(dec_text(x, f->dflt.d), "0.9");
    f = &p->facts[1];
    assert_true(f->spec.has_lo);
    assert_false(f->spec.has_hi);
    assert_int_equal(f->dflt.kind, VAL_NUMBER);
    assert_string_equal(dec_text(x, f->dflt.d), "3");
    assert_int_equal(p->facts[2].dflt.kind, VAL_BOOL);
    assert_true(p->facts[2].dflt.b);
    assert_int_equal(p->facts[3].dflt.kind, VAL_TEXT);
    assert_int_equal(p->facts[3].dflt.len, strlen("客服部"));
    assert_memory_equal(p->facts[3].dflt.s, "客服部", strlen("客服部"));
    assert_false(p->facts[4].spec.has_lo);
    assert_string_equal(dec_text(x, p->facts[4].dflt.d), "0.955");
}

static void test_fact_range_and_default_errors(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  fact a: number 10..0\n"
             "  fact b: integer 0..10 = 2.5\n"
             "  fact c: number 0..100%\n"
             "  fact d: bool 0..1\n"
             "  fact e: number 0..10 = 11\n"
             "  item 甲 max 1 { score 1 }\n"
             "}\n");
    assert_int_equal(x->d.errors, 5);
    const char *out = diags(x);
    assert_non_null(
        strstr(out, "t.rubric:2:18: error: the range of a is empty: its low end is above its "
                    "high end [range]\n"));
    assert_non_null(strstr(out, "t.rubric:3:27: error: bad default for b: expected a whole number "
                                "[default]\n"));
    assert_non_null(strstr(out, "t.rubric:4:21: error: a number fact cannot have a percent bound "
                                "[range]\n"));
    assert_non_null(strstr(out, "t.rubric:5:16: error: a bool fact cannot have a range [range]\n"));
    assert_non_null(strstr(out,
                           "t.rubric:6:26: error: bad default for e: 11 is out of the declared "
                           "range [default]\n"));
}

static void test_check_literal_value(void **state)
{
    Fx *x = *state;
    Program *p = check_clean(
        x, "rubric R {\n"
           "  fact a: text; fact b: text; fact c: text; fact d: text\n"
           "  fact e: text; fact f: text; fact g: text; fact h: text\n"
           "  item 甲 max 1 { score 1 }\n"
           "  test \"t\" {\n"
           "    a = 92; b = 92%; c = 0.5; d = 是; e = 张三; f = \"x y\"; g = 101; h = 2.5\n"
           "  }\n"
           "}\n");
    assert_int_equal(p->ntests, 1);
    const Node *t = p->tests[0];
    const Node *n92 = t->kids[0]->a, *p92 = t->kids[1]->a, *half = t->kids[2]->a,
               *yes = t->kids[3]->a;
    const Node *bare = t->kids[4]->a, *quoted = t->kids[5]->a, *n101 = t->kids[6]->a;
    const Node *frac = t->kids[7]->a;
    Value v;
    FactSpec pct = {FT_PERCENT, true, true, dec_zero(), dec_from_int(1)};
    assert_null(check_literal_value(&x->a, x->src, &pct, n92, &v));
    assert_int_equal(v.kind, VAL_PERCENT);
    assert_string_equal(dec_text(x, v.d), "0.92");
    assert_null(check_literal_value(&x->a, x->src, &pct, p92, &v));
    assert_string_equal(dec_text(x, v.d), "0.92");
    assert_null(check_literal_value(&x->a, x->src, &pct, half, &v));
    assert_string_equal(dec_text(x, v.d), "0.005");
    assert_string_equal(check_literal_value(&x->a, x->src, &pct, yes, &v), "expected a percent");
    assert_string_equal(check_literal_value(&x->a, x->src, &pct, n101, &v),
                        "101 is out of the declared range");
    FactSpec num = {FT_NUMBER, false, false, dec_zero(), dec_zero()};
    assert_null(check_literal_value(&x->a, x->src, &num, frac, &v));
    assert_int_equal(v.kind, VAL_NUMBER);
    assert_string_equal(dec_text(x, v.d), "2.5");
    assert_string_equal(check_literal_value(&x->a, x->src, &num, p92, &v), "expected a number");
    assert_string_equal(check_literal_value(&x->a, x->src, &num, bare, &v), "expected a number");
    FactSpec whole = {FT_INTEGER, true, true, dec_zero(), dec_from_int(100)};
    assert_null(check_literal_value(&x->a, x->src, &whole, n92, &v));
    assert_string_equal(check_literal_value(&x->a, x->src, &whole, frac, &v),
                        "expected a whole number");
    assert_string_equal(check_literal_value(&x->a, x->src, &whole, n101, &v),
                        "101 is out of the declared range");
    FactSpec flag = {FT_BOOL, false, false, dec_zero(), dec_zero()};
    assert_null(check_literal_value(&x->a, x->src, &flag, yes, &v));
    assert_int_equal(v.kind, VAL_BOOL);
    assert_true(v.b);
    assert_string_equal(check_literal_value(&x->a, x->src, &flag, n92, &v),
                        "expected 是/否 (true/false)");
    FactSpec text = {FT_TEXT, false, false, dec_zero(), dec_zero()};
    assert_null(check_literal_value(&x->a, x->src, &text, bare, &v));
    assert_int_equal(v.kind, VAL_TEXT);
    assert_int_equal(v.len, strlen("张三"));
    assert_memory_equal(v.s, "张三", v.len);
    assert_null(check_literal_value(&x->a, x->src, &text, quoted, &v));
    assert_int_equal(v.len, 3);
    assert_memory_equal(v.s, "x y", 3);
    assert_null(check_literal_value(&x->a, x->src, &text, n92, &v)); /* text as written */
    assert_int_equal(v.len, 2);
    assert_memory_equal(v.s, "92", 2);
}

static void test_test_block_values(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n"
             "  fact 满意度: number 0..100\n"
             "  fact 达标: bool\n"
             "  rater 自评 weight 40%\n"
             "  rater 上级 weight 60%\n"
             "  item 甲 max 1 { score 1 }\n"
             "  test \"t1\" {\n"
             "    满意度 = 90; 达标 = 1\n"
             "    满意度@自评 = 80\n"
             "    满意 = 3\n"
             "    满意度@他人 = 3\n"
             "    满意度 = 101\n"
             "  }\n"
             "  test \"t1\" { expect total == 1 }\n"
             "}\n");
    assert_int_equal(x->d.errors, 6);
    const char *out = diags(x);
    assert_non_null(strstr(out, "t.rubric:14:8: error: there is already a test named \"t1\" "
                                "[duplicate]\n"));
    assert_non_null(strstr(out, "t.rubric:8:20: error: 达标: expected 是/否 (true/false) "
                                "[fact-value]\n"));
    assert_non_null(strstr(out, "t.rubric:10:5: error: 满意 is not a fact of this rubric "
                                "[undeclared]\n"
                                "   10 |     满意 = 3\n"
                                "      |     ^~~~\n"
                                "hint: Did you mean 满意度?\n"));
    assert_non_null(strstr(out, "t.rubric:11:9: error: 他人 is not a rater of this rubric "
                                "[undeclared]\n"));
    assert_non_null(strstr(out, "t.rubric:12:5: error: 满意度 is given twice in this test "
                                "[duplicate]\n"));
    assert_non_null(strstr(out, "t.rubric:12:11: error: 满意度: 101 is out of the declared range "
                                "[fact-value]\n"));
    assert_int_equal(x->d.warnings, 0);
}

/* regression: max 0 on the rubric was reported three times */
static void test_max_zero_reported_once(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n  max 0\n  item x { score 1 }\n}\n");
    assert_int_equal(x->d.errors, 1);
}

/* regression: a percent max also drew an over-max warning */
static void test_percent_max_no_over_max_warning(void **state)
{
    Fx *x = *state;
    check(x, "rubric R {\n  item 甲 max 20% { score 1 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_int_equal(x->d.warnings, 0);
}

/* x OP k, straight from the operator: the reference for the segments. */
static bool op_holds(int op, dec_i128 x, dec_i128 k)
{
    switch (op) {
    case OP_EQ:
        return x == k;
    case OP_NE:
        return x != k;
    case OP_LT:
        return x < k;
    case OP_LE:
        return x <= k;
    case OP_GT:
        return x > k;
    default:
        return x >= k;
    }
}

/* A table item's segments (code_table_rule) give the rule the rules tested
 * in order give, at every end of every interval, one unit either side, and
 * at 20,000 random values; a gap where no rule holds gives -1. */
static void test_table_segments_match_rules(void **state)
{
    Fx *x = *state;
    Program *p = check(x, "rubric \"r\" {\n"
                          "    fact n: number\n"
                          "    fact g: integer 1..5\n"
                          "    section s {\n"
                          "        item a max 20 { n >= 90 -> 20\n n >= 85 -> 10\n n > 80 -> 5\n"
                          "                        else -> 0 }\n"
                          "        item b max 20 { g == 5 -> 20\n g == 4 -> 16\n g == 3 -> 12\n"
                          "                        g == 2 -> 8\n g == 1 -> 4 }\n"
                          "        item c max 9 { n != 3 -> 1\n n <= 3 -> 9 }\n"
                          "        item d max 9 { n < 2.5 -> 1\n n <= 2.5 -> 2\n n == 7 -> 3\n"
                          "                       n >= 7 -> 4\n n == 7 -> 9 }\n"
                          "    }\n"
                          "}\n");
    Code *c = code_compile(p);
    int tables = 0;
    uint64_t seed = 12345;
    for (int i = 0; i < c->nnodes; i++) {
        const CodeItem *ci = &c->items[i];
        if (!ci->compiled || ci->table < 0)
            continue;
        tables++;
        dec_i128 probe[64];
        int np = 0;
        for (int r = ci->first; r < ci->first + ci->n && np < 60; r++)
            if (c->rules[r].kind == CR_CMP)
                for (int d = -1; d <= 1; d++)
                    probe[np++] = c->rules[r].k + d;
        for (int t = 0; t < np + 20000; t++) {
            dec_i128 v;
            if (t < np) {
                v = probe[t];
            } else {
                seed = seed * 6364136223846793005ull + 1442695040888963407ull;
                v = (dec_i128)((int64_t)(seed >> 11) % 200000000000000000LL) * 1000 -
                    (dec_i128)50000000000000000LL * 1000;
            }
            int want = -1;
            for (int r = ci->first; r < ci->first + ci->n && want < 0; r++)
                if (c->rules[r].kind == CR_ELSE || op_holds(c->rules[r].cmp, v, c->rules[r].k))
                    want = r;
            assert_int_equal(code_table_rule(c, ci, v), want);
        }
    }
    if (tables != 4)
        fail_msg("%d tables:\n%s", tables, diags(x));
    DecText t;
    assert_true(dec_text_fill((Dec){(dec_i128)875 * 100000000000000000LL}, &t));
    assert_int_equal(t.len, 4);
    assert_memory_equal(t.s, "87.5", 4);
    assert_false(dec_text_fill((Dec){(dec_i128)1234567890123456789LL * 10}, &t)); /* 20 bytes */
    code_free(c);
}

/* The rule the rules tested in order give for v (the reference), -1 none. */
static int rule_by_rules(const Code *c, const CodeItem *ci, dec_i128 v)
{
    for (int r = ci->first; r < ci->first + ci->n; r++)
        if (c->rules[r].kind == CR_ELSE || op_holds(c->rules[r].cmp, v, c->rules[r].k))
            return r;
    return -1;
}

/* The value in the rule the grid found by itself for v, as code_table_seg's
 * grid part computes it (-1: a marked cell away from its start, the binary
 * search's); the reference for whether the grid answered. */
static int grid_cell(const Code *c, const CodeItem *ci, dec_i128 v)
{
    dec_i128 y = v < ci->glo ? ci->glo : v > ci->ghi ? ci->ghi : v;
    unsigned __int128 d = (unsigned __int128)(y - ci->glo);
    int q = (int)(d / ci->g);
    unsigned cell = c->cells[ci->cell + q];
    if ((cell & CODE_CELL_EXACT) && d % ci->g)
        return -1;
    return (int)(cell & ~(unsigned)CODE_CELL_EXACT);
}

static uint64_t next_rand(uint64_t *seed)
{
    *seed = *seed * 6364136223846793005ull + 1442695040888963407ull;
    return *seed >> 11;
}

/* Tables answered by a grid (code_table_seg: one multiply instead of the
 * binary search) give the rule the rules tested in order give: 400 random
 * tables of every operator over integers, two-place decimals, percents,
 * large and negative constants, probed at every cell's start and one unit
 * either side, at every constant and one unit either side, far outside the
 * grid and at random values; the grid's own cell (where it answers without
 * the search) agrees too, and the tables that cannot have one (too many
 * cells) keep the search. */
static void test_table_grids(void **state)
{
    Fx *x = *state;
    uint64_t seed = 777;
    static const char *const ops[] = {">=", ">", "==", "<", "<=", "!="};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    fprintf(f, "rubric \"r\" {\n    fact n: number\n    fact r: percent\n"
               "    fact g: integer 0..9\n    fact q: percent 0..100\n    section s {\n");
    for (int t = 0; t < 400; t++) {
        int kind = (int)(next_rand(&seed) % 7), nr = 1 + (int)(next_rand(&seed) % 6);
        fprintf(f, "        item i%d max 9 {\n", t);
        for (int j = 0; j < nr; j++) {
            const char *op = ops[next_rand(&seed) % 6];
            uint64_t k = next_rand(&seed);
            switch (kind) {
            case 0: /* small integers: ratings, counts */
                fprintf(f, "            n %s %d -> %d\n", op, (int)(k % 8), j);
                break;
            case 1: /* two places, steps of 5 most often */
                fprintf(f, "            n %s %d.%02d -> %d\n", op, (int)(k % 100),
                        k % 3 ? (int)(k / 100 % 20) * 5 : (int)(k / 100 % 100), j);
                break;
            case 2: /* percents: their fractions */
                fprintf(f, "            r %s %d.%d%% -> %d\n", op, (int)(k % 101),
                        (int)(k / 101 % 10), j);
                break;
            case 3: /* large and spread out: most need the search */
                fprintf(f, "            n %s %llu -> %d\n", op,
                        (unsigned long long)(k % 4 ? k % 64 * 1000000 : k % 1000), j);
                break;
            case 4: /* negative */
                fprintf(f, "            n %s -%d.5 -> %d\n", op, (int)(k % 30), j);
                break;
            case 5: /* a declared range: the grid widened to it */
                fprintf(f, "            g %s %d -> %d\n", op, (int)(k % 10), j);
                break;
            default:
                fprintf(f, "            q %s %d%% -> %d\n", op, (int)(k % 21) * 5, j);
                break;
            }
        }
        if (next_rand(&seed) % 2)
            fprintf(f, "            else -> 9\n");
        fprintf(f, "        }\n");
    }
    fprintf(f, "    }\n}\n");
    fclose(f);
    Program *p = check(x, text);
    Code *c = code_compile(p);
    const dec_i128 U = 1000000000000000000LL;
    int tables = 0, grids = 0, marked = 0, answered = 0, widened = 0;
    for (int i = 0; i < c->nnodes; i++) {
        const CodeItem *ci = &c->items[i];
        if (!ci->compiled || ci->table < 0)
            continue;
        tables++;
        grids += ci->grid;
        dec_i128 probe[4096];
        int np = 0;
        for (int r = ci->first; r < ci->first + ci->n; r++)
            if (c->rules[r].kind == CR_CMP)
                for (int d = -1; d <= 1; d++)
                    probe[np++] = c->rules[r].k + d;
        if (ci->grid) {
            assert_true(ci->ncell >= 2 && ci->ncell <= CODE_GRID_CELLS);
            assert_true(ci->gspan == (uint64_t)(ci->ghi - ci->glo));
            const FactSpec *sp = &p->facts[ci->table].spec;
            widened += sp->has_lo && sp->has_hi && ci->glo <= sp->lo.v && ci->ghi >= sp->hi.v;
            for (int q = 0; q < ci->ncell; q++) {
                dec_i128 at = ci->glo + (dec_i128)q * (dec_i128)ci->g;
                marked += (c->cells[ci->cell + q] & CODE_CELL_EXACT) != 0;
                for (int d = -1; d <= 1; d++)
                    probe[np++] = at + d;
                probe[np++] = at + (dec_i128)(ci->g / 2);
                probe[np++] = at + (dec_i128)ci->g - 1;
            }
        }
        probe[np++] = U * 100000000000000000LL * 100; /* 10^37 */
        probe[np++] = -U * 100000000000000000LL * 100;
        for (int t = 0; t < np + 3000; t++) {
            dec_i128 v;
            if (t < np) {
                v = probe[t];
            } else {
                uint64_t r = next_rand(&seed);
                switch (t % 4) {
                case 0: /* a whole number */
                    v = ((dec_i128)(r % 140) - 40) * U;
                    break;
                case 1: /* two places */
                    v = ((dec_i128)(r % 14000) - 4000) * (U / 100);
                    break;
                case 2: /* a fraction (percents) */
                    v = (dec_i128)(r % (2 * (uint64_t)U)) - U / 4;
                    break;
                default: /* anywhere in the large constants' range */
                    v = (dec_i128)(r % 70000000) * U - 1000 * U;
                    break;
                }
            }
            int want = rule_by_rules(c, ci, v);
            assert_int_equal(code_table_rule(c, ci, v), want);
            if (ci->grid) {
                int cell = grid_cell(c, ci, v);
                if (cell >= 0) {
                    answered++;
                    assert_int_equal(c->segs[ci->seg + cell].rule, want);
                }
            }
        }
    }
    /* every kind is represented: most tables take a grid, some marked cells
       send values to the search, some tables keep the search */
    if (x->d.errors || tables < 300 || grids < 200 || grids == tables || marked < 50 ||
        answered < 100000 || widened < 50)
        fail_msg("%d tables, %d grids (%d widened to the declared range), %d marked cells, %d "
                 "answered by a grid\n%s",
                 tables, grids, widened, marked, answered, diags(x));
    code_free(c);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_max_zero_reported_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_percent_max_no_over_max_warning, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undeclared_name_with_suggestion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_undeclared_name_without_suggestion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_glued_keyword_name_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_distance, setup, teardown),
        cmocka_unit_test_setup_teardown(test_find_and_suggest_fact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_name_clash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_names_fold_fullwidth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_item_cannot_read_item, setup, teardown),
        cmocka_unit_test_setup_teardown(test_total_in_item, setup, teardown),
        cmocka_unit_test_setup_teardown(test_section_score_reads_its_children, setup, teardown),
        cmocka_unit_test_setup_teardown(test_section_cannot_read_others_children, setup, teardown),
        cmocka_unit_test_setup_teardown(test_condition_must_be_bool, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_ordering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bool_arithmetic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_text_compared_with_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_percent_literal_coercion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_percent_coercion_in_arithmetic_and_calls, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_percent_mixed_with_number_fact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_percent_mixed_with_computed_number, setup, teardown),
        cmocka_unit_test_setup_teardown(test_percent_compared_with_fraction_warns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_function_checks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_after_else_is_unreachable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_item_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grade_results_are_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weighted_rubric, setup, teardown),
        cmocka_unit_test_setup_teardown(test_points_rubric, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weights_must_sum_to_100, setup, teardown),
        cmocka_unit_test_setup_teardown(test_section_weights_and_group_sum, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mixed_weighted_and_unweighted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_weight_without_percent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_score_of_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_score_of_expressions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unbounded_full_score, setup, teardown),
        cmocka_unit_test_setup_teardown(test_points_section_max_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_full_score_in_percent_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_and_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_round_and_id_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_facts_and_defaults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fact_range_and_default_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_literal_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_test_block_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_segments_match_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_grids, setup, teardown),
    };
    return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
