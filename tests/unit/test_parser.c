/* test_parser.c - the grammar: every declaration in both spellings, header
 * options, precedence, chained comparisons, calls, rules and test blocks, and
 * what a broken file reports. Trees are compared through ast_dump, which
 * prints kinds, names, operators and numbers but no offsets, so one string
 * shows the whole shape; single fields are asserted where the dump is silent.
 * Each test gets a fresh arena and an in-memory diagnostics sink. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#include "fixture.h"

#include "arena.h"
#include "ast.h"
#include "decimal.h"
#include "diag.h"
#include "parse.h"
#include "source.h"

/* Parse text, which must be free of syntax errors. */
static Node *parse_ok(Fx *x, const char *text)
{
    Node *r = parse(x, text);
    if (x->d.errors)
        fail_msg("unexpected diagnostics:\n%s", diags(x));
    assert_non_null(r);
    assert_int_equal(r->kind, AST_RUBRIC);
    return r;
}

/* The tree of the one expression in `rubric R { item i { score EXPR } }`. */
static const char *expr_tree(Fx *x, const char *expr)
{
    char text[512];
    snprintf(text, sizeof text, "rubric R {\n  item i { score %s }\n}\n", expr);
    Node *r = parse_ok(x, text);
    assert_int_equal(r->nkids, 1);
    assert_int_equal(r->kids[0]->kids[0]->kind, AST_SCORE);
    return tree(x, r->kids[0]->kids[0]->a);
}

static const Node *expr_node(Fx *x, const char *expr)
{
    char text[512];
    snprintf(text, sizeof text, "rubric R {\n  item i { score %s }\n}\n", expr);
    Node *r = parse_ok(x, text);
    return r->kids[0]->kids[0]->a;
}

static const char *num_text(Fx *x, const Node *n)
{
    char buf[DEC_BUFSZ];
    assert_non_null(n);
    assert_int_equal(n->kind, AST_NUM);
    dec_format(n->num, buf);
    return arena_strndup(&x->a, buf, strlen(buf));
}

/* ---- declarations ---- */

static void test_rubric_header(void **state)
{
    Fx *x = *state;
    Node *r = parse_ok(x, "rubric \"月度绩效考核评分表\" {\n}\n");
    assert_string_equal(r->name, "月度绩效考核评分表");
    assert_int_equal(r->nkids, 0);
    r = parse_ok(x, "\n\n评分表 考核表 { }\n\n");
    assert_string_equal(r->name, "考核表");
    r = parse_ok(x, "# 注释\nrubric `2026年` {}");
    assert_string_equal(r->name, "2026年");
    assert_int_equal(r->start, strlen("# 注释\n"));
}

static void test_empty_file_has_no_rubric(void **state)
{
    Fx *x = *state;
    assert_null(parse(x, ""));
    assert_null(parse(x, "\n# 只有注释\n;\n"));
    assert_int_equal(x->d.errors, 0);
}

static const char *const fact_src = "rubric R {\n"
                                    "  fact 工号: text\n"
                                    "  fact 工作质量得分: number 0..100 \"工作完成情况和质量\"\n"
                                    "  数据 次数: 整数 >= 0 = 0\n"
                                    "  fact 完成率: percent <= 120%\n"
                                    "  数据 达标: 布尔 = 是\n"
                                    "  fact 部门: 文本 = 客服部 \"所在部门\"\n"
                                    "  fact 增长: 数值 -10..10 = -2.5\n"
                                    "  数据 满意度: 百分比 0..100 = 90%\n"
                                    "  fact 在职: bool = false\n"
                                    "}\n";

static void test_fact_declarations(void **state)
{
    Fx *x = *state;
    Node *r = parse_ok(x, fact_src);
    assert_string_equal(tree(x, r), "RUBRIC R\n"
                                    "  FACT 工号 : text\n"
                                    "  FACT 工作质量得分 : number 0..100 \"工作完成情况和质量\"\n"
                                    "  FACT 次数 : integer 0..\n"
                                    "    NUM 0\n"
                                    "  FACT 完成率 : percent..120%\n"
                                    "  FACT 达标 : bool\n"
                                    "    BOOL true\n"
                                    "  FACT 部门 : text \"所在部门\"\n"
                                    "    STR \"客服部\"\n"
                                    "  FACT 增长 : number -10..10\n"
                                    "    NUM -2.5\n"
                                    "  FACT 满意度 : percent 0..100\n"
                                    "    NUM 90%\n"
                                    "  FACT 在职 : bool\n"
                                    "    BOOL false\n");
    const Node *f = r->kids[1];
    assert_int_equal(f->ftype, FT_NUMBER);
    assert_string_equal(num_text(x, f->lo), "0");
    assert_string_equal(num_text(x, f->hi), "100");
    assert_null(f->a);
    assert_int_equal(r->kids[0]->ftype, FT_TEXT);
    assert_null(r->kids[0]->lo);
    assert_null(r->kids[0]->hi);
    assert_int_equal(r->kids[2]->ftype, FT_INTEGER);
    assert_non_null(r->kids[2]->lo);
    assert_null(r->kids[2]->hi);
    assert_int_equal(r->kids[3]->ftype, FT_PERCENT);
    assert_null(r->kids[3]->lo);
    assert_true(r->kids[3]->hi->pct);
    assert_string_equal(num_text(x, r->kids[3]->hi), "1.2");
    assert_int_equal(r->kids[4]->ftype, FT_BOOL);
    assert_true(r->kids[4]->a->zh);
    assert_false(r->kids[8]->a->zh);
    assert_string_equal(num_text(x, r->kids[6]->lo), "-10");
    assert_string_equal(num_text(x, r->kids[6]->a), "-2.5");
    assert_int_equal(r->kids[7]->ftype, FT_PERCENT);
    /* spans: the fact's name as written */
    assert_int_equal(f->name_end - f->name_start, strlen("工作质量得分"));
    assert_memory_equal(x->src->text + f->name_start, "工作质量得分", strlen("工作质量得分"));
}

static void test_settings(void **state)
{
    Fx *x = *state;
    Node *r = parse_ok(x, "rubric R {\n  id 工号\n  round 2\n  max 100\n"
                          "  标识 编号; 保留 0; 满分 120\n}\n");
    assert_string_equal(tree(x, r), "RUBRIC R\n"
                                    "  ID 工号\n"
                                    "  ROUND\n    NUM 2\n"
                                    "  MAX\n    NUM 100\n"
                                    "  ID 编号\n"
                                    "  ROUND\n    NUM 0\n"
                                    "  MAX\n    NUM 120\n");
}

static void test_sections_groups_items(void **state)
{
    Fx *x = *state;
    Node *r = parse_ok(x, "rubric R {\n"
                          "  section 业绩考核 weight 80% {\n"
                          "    group 客服管理 weight 40% \"客服\" {\n"
                          "      item 流程 weight 20% max 20 { score 1 }\n"
                          "    }\n"
                          "  }\n"
                          "  维度 行为考核 权重 20% 满分 100 \"行为\" {\n"
                          "    类别 态度 {\n"
                          "      指标 出勤 权重 100% { 得分 2 }\n"
                          "    }\n"
                          "  }\n"
                          "}\n");
    assert_string_equal(tree(x, r), "RUBRIC R\n"
                                    "  SECTION 业绩考核 weight 80%\n"
                                    "    GROUP 客服管理 weight 40% \"客服\"\n"
                                    "      ITEM 流程 weight 20% max 20\n"
                                    "        SCORE\n"
                                    "          NUM 1\n"
                                    "  SECTION 行为考核 weight 20% max 100 \"行为\"\n"
                                    "    GROUP 态度\n"
                                    "      ITEM 出勤 weight 100%\n"
                                    "        SCORE\n"
                                    "          NUM 2\n");
    const Node *s = r->kids[0];
    assert_int_equal(s->kind, AST_SECTION);
    assert_true(s->weight->pct);
    assert_string_equal(num_text(x, s->weight), "0.8");
    assert_null(s->max);
    const Node *it = s->kids[0]->kids[0];
    assert_int_equal(it->kind, AST_ITEM);
    assert_string_equal(num_text(x, it->max), "20");
    assert_false(it->max->pct);
    assert_int_equal(r->kids[1]->kids[0]->kind, AST_GROUP);
    assert_null(r->kids[1]->kids[0]->weight);
}

static void test_header_options_in_any_order(void **state)
{
    Fx *x = *state;
    const char *orders[] = {
        "weight 30% max 20 \"说明\"", "weight 30% \"说明\" max 20", "max 20 weight 30% \"说明\"",
        "max 20 \"说明\" weight 30%", "\"说明\" weight 30% max 20", "\"说明\" max 20 weight 30%",
        "权重 30% 满分 20 “说明”",
    };
    for (size_t i = 0; i < sizeof orders / sizeof *orders; i++) {
        char text[256];
        snprintf(text, sizeof text, "rubric R {\n  item 甲 %s { score 1 }\n}\n", orders[i]);
        Node *r = parse_ok(x, text);
        assert_string_equal(tree(x, r->kids[0]), "ITEM 甲 weight 30% max 20 \"说明\"\n"
                                                 "  SCORE\n"
                                                 "    NUM 1\n");
    }
    /* every option is optional */
    Node *r = parse_ok(x, "rubric R {\n  section S { item 乙 \"d\" { score 1 } }\n}\n");
    assert_null(r->kids[0]->weight);
    assert_null(r->kids[0]->max);
    assert_null(r->kids[0]->str);
    assert_string_equal(r->kids[0]->kids[0]->str, "d");
}

static void test_duplicated_header_options(void **state)
{
    Fx *x = *state;
    Node *r = parse(x, "rubric R {\n"
                       "  item 甲 weight 50% max 3 weight 40% \"x\" max 4 \"y\" { score 1 }\n"
                       "}\n");
    assert_non_null(r);
    assert_int_equal(x->d.errors, 3);
    assert_string_equal(
        diags(x), "t.rubric:2:27: error: weight given twice in this header [duplicate]\n"
                  "    2 |   item 甲 weight 50% max 3 weight 40% \"x\" max 4 \"y\" { score 1 }\n"
                  "      |                            ^~~~~~~~~~\n"
                  "t.rubric:2:42: error: max given twice in this header [duplicate]\n"
                  "    2 |   item 甲 weight 50% max 3 weight 40% \"x\" max 4 \"y\" { score 1 }\n"
                  "      |                                           ^~~~~\n"
                  "t.rubric:2:48: error: description given twice in this header "
                  "[duplicate]\n"
                  "    2 |   item 甲 weight 50% max 3 weight 40% \"x\" max 4 \"y\" { score 1 }\n"
                  "      |                                                 ^~~\n");
    /* the first of each stays */
    assert_string_equal(tree(x, r->kids[0]), "ITEM 甲 weight 50% max 3 \"x\"\n"
                                             "  SCORE\n"
                                             "    NUM 1\n");
}

static void test_grade_block(void **state)
{
    Fx *x = *state;
    Node *r = parse_ok(x, "rubric R {\n"
                          "  grade {\n"
                          "    total >= 90 -> \"优秀\"\n"
                          "    总分 >= 75 → “良好”\n"
                          "    else -> \"合格\"\n"
                          "  }\n"
                          "  评级 { 否则 -> 「合格」 }\n"
                          "}\n");
    assert_string_equal(tree(x, r), "RUBRIC R\n"
                                    "  GRADE\n"
                                    "    RULE\n"
                                    "      CHAIN >=\n"
                                    "        TOTAL\n"
                                    "        NUM 90\n"
                                    "      STR \"优秀\"\n"
                                    "    RULE\n"
                                    "      CHAIN >=\n"
                                    "        TOTAL\n"
                                    "        NUM 75\n"
                                    "      STR \"良好\"\n"
                                    "    RULE\n"
                                    "      else\n"
                                    "      STR \"合格\"\n"
                                    "  GRADE\n"
                                    "    RULE\n"
                                    "      else\n"
                                    "      STR \"合格\"\n");
    assert_null(r->kids[0]->kids[2]->a);
}

static void test_test_blocks(void **state)
{
    Fx *x = *state;
    Node *r = parse_ok(x, "rubric R {\n"
                          "  test \"张三\" {\n"
                          "    工号 = E1001\n"
                          "    完成率 = 92%; 得分率 = 92.5\n"
                          "    扣分 = -5\n"
                          "    达标 = 是; 在职 = false\n"
                          "    姓名 = \"张 三\"\n"
                          "    满意度@自评 = 80\n"
                          "    满意度＠上级 ＝ 70\n"
                          "    expect total == 87.2\n"
                          "    期望 grade == \"良好\"\n"
                          "  }\n"
                          "  测试 “李四” { expect 客户投诉处理 == 20 }\n"
                          "}\n");
    assert_string_equal(tree(x, r), "RUBRIC R\n"
                                    "  TEST 张三\n"
                                    "    ASSIGN 工号\n"
                                    "      STR \"E1001\"\n"
                                    "    ASSIGN 完成率\n"
                                    "      NUM 92%\n"
                                    "    ASSIGN 得分率\n"
                                    "      NUM 92.5\n"
                                    "    ASSIGN 扣分\n"
                                    "      NUM -5\n"
                                    "    ASSIGN 达标\n"
                                    "      BOOL true\n"
                                    "    ASSIGN 在职\n"
                                    "      BOOL false\n"
                                    "    ASSIGN 姓名\n"
                                    "      STR \"张 三\"\n"
                                    "    ASSIGN 满意度\n"
                                    "      NAME 自评\n"
                                    "      NUM 80\n"
                                    "    ASSIGN 满意度\n"
                                    "      NAME 上级\n"
                                    "      NUM 70\n"
                                    "    EXPECT\n"
                                    "      CHAIN ==\n"
                                    "        TOTAL\n"
                                    "        NUM 87.2\n"
                                    "    EXPECT\n"
                                    "      CHAIN ==\n"
                                    "        GRADEREF\n"
                                    "        STR \"良好\"\n"
                                    "  TEST 李四\n"
                                    "    EXPECT\n"
                                    "      CHAIN ==\n"
                                    "        NAME 客户投诉处理\n"
                                    "        NUM 20\n");
    const Node *t = r->kids[0];
    assert_int_equal(t->kind, AST_TEST);
    assert_null(t->kids[0]->rater);
    assert_int_equal(t->kids[7]->rater->kind, AST_NAME);
    assert_string_equal(t->kids[7]->rater->name, "自评");
    assert_string_equal(num_text(x, t->kids[7]->a), "80");
    assert_string_equal(num_text(x, t->kids[3]->a), "-5");
    assert_true(t->kids[1]->a->pct);
    assert_string_equal(num_text(x, t->kids[1]->a), "0.92");
}

static void test_output_veto_rater_quota(void **state)
{
    Fx *x = *state;
    Node *r = parse_ok(x, "rubric R {\n"
                          "  output 系数 { total >= 90 -> 1.2; else -> 0.5 }\n"
                          "  输出 备注 { 得分 \"无\" }\n"
                          "  veto 违纪 \"严重违纪\"\n"
                          "  否决 not 在职\n"
                          "  rater 自评 weight 30%\n"
                          "  评价人 上级 权重 70%\n"
                          "  quota \"优秀\" <= 20%\n"
                          "  配额 不合格 >= 5%\n"
                          "}\n");
    assert_string_equal(tree(x, r), "RUBRIC R\n"
                                    "  OUTPUT 系数\n"
                                    "    RULE\n"
                                    "      CHAIN >=\n"
                                    "        TOTAL\n"
                                    "        NUM 90\n"
                                    "      NUM 1.2\n"
                                    "    RULE\n"
                                    "      else\n"
                                    "      NUM 0.5\n"
                                    "  OUTPUT 备注\n"
                                    "    SCORE\n"
                                    "      STR \"无\"\n"
                                    "  VETO \"严重违纪\"\n"
                                    "    NAME 违纪\n"
                                    "  VETO\n"
                                    "    NOT\n"
                                    "      NAME 在职\n"
                                    "  RATER 自评 weight 30%\n"
                                    "  RATER 上级 weight 70%\n"
                                    "  QUOTA 优秀 <=\n"
                                    "    NUM 20%\n"
                                    "  QUOTA 不合格 >=\n"
                                    "    NUM 5%\n");
    assert_int_equal(r->kids[6]->qop, OP_LE);
    assert_int_equal(r->kids[7]->qop, OP_GE);
    assert_string_equal(num_text(x, r->kids[7]->a), "0.05");
}

/* ---- expressions ---- */

static void test_precedence_arithmetic(void **state)
{
    Fx *x = *state;
    assert_string_equal(expr_tree(x, "a + b * c"), "BIN +\n"
                                                   "  NAME a\n"
                                                   "  BIN *\n"
                                                   "    NAME b\n"
                                                   "    NAME c\n");
    assert_string_equal(expr_tree(x, "a * b + c"), "BIN +\n"
                                                   "  BIN *\n"
                                                   "    NAME a\n"
                                                   "    NAME b\n"
                                                   "  NAME c\n");
    /* left associative */
    assert_string_equal(expr_tree(x, "a - b - c"), "BIN -\n"
                                                   "  BIN -\n"
                                                   "    NAME a\n"
                                                   "    NAME b\n"
                                                   "  NAME c\n");
    assert_string_equal(expr_tree(x, "a / b * c"), "BIN *\n"
                                                   "  BIN /\n"
                                                   "    NAME a\n"
                                                   "    NAME b\n"
                                                   "  NAME c\n");
    assert_string_equal(expr_tree(x, "(a + b) * c"), "BIN *\n"
                                                     "  PAREN\n"
                                                     "    BIN +\n"
                                                     "      NAME a\n"
                                                     "      NAME b\n"
                                                     "  NAME c\n");
}

static void test_precedence_unary_minus(void **state)
{
    Fx *x = *state;
    assert_string_equal(expr_tree(x, "-a * -b - -c"), "BIN -\n"
                                                      "  BIN *\n"
                                                      "    NEG\n"
                                                      "      NAME a\n"
                                                      "    NEG\n"
                                                      "      NAME b\n"
                                                      "  NEG\n"
                                                      "    NAME c\n");
    assert_string_equal(expr_tree(x, "- -5"), "NEG\n"
                                              "  NEG\n"
                                              "    NUM 5\n");
    /* in an expression, -5 is the operator applied to 5 */
    const Node *n = expr_node(x, "-5");
    assert_int_equal(n->kind, AST_NEG);
    assert_string_equal(num_text(x, n->a), "5");
}

static void test_precedence_logic(void **state)
{
    Fx *x = *state;
    assert_string_equal(expr_tree(x, "not a and b or c"), "OR\n"
                                                          "  AND\n"
                                                          "    NOT\n"
                                                          "      NAME a\n"
                                                          "    NAME b\n"
                                                          "  NAME c\n");
    assert_string_equal(expr_tree(x, "a or b and not c"), "OR\n"
                                                          "  NAME a\n"
                                                          "  AND\n"
                                                          "    NAME b\n"
                                                          "    NOT\n"
                                                          "      NAME c\n");
    assert_string_equal(expr_tree(x, "非 a 且 b 或 c"), expr_tree(x, "not a and b or c"));
    /* not binds looser than a comparison, comparisons looser than + */
    assert_string_equal(expr_tree(x, "not a + 1 > b"), "NOT\n"
                                                       "  CHAIN >\n"
                                                       "    BIN +\n"
                                                       "      NAME a\n"
                                                       "      NUM 1\n"
                                                       "    NAME b\n");
    assert_string_equal(expr_tree(x, "not not a"), "NOT\n"
                                                   "  NOT\n"
                                                   "    NAME a\n");
}

static void test_chained_comparisons(void **state)
{
    Fx *x = *state;
    const Node *c = expr_node(x, "80 <= x < 85");
    assert_int_equal(c->kind, AST_CHAIN);
    assert_int_equal(c->nkids, 3);
    assert_int_equal(c->ops[0], OP_LE);
    assert_int_equal(c->ops[1], OP_LT);
    assert_string_equal(num_text(x, c->kids[0]), "80");
    assert_string_equal(c->kids[1]->name, "x");
    assert_string_equal(num_text(x, c->kids[2]), "85");
    c = expr_node(x, "a == b != c > d >= e");
    assert_int_equal(c->nkids, 5);
    assert_int_equal(c->ops[0], OP_EQ);
    assert_int_equal(c->ops[1], OP_NE);
    assert_int_equal(c->ops[2], OP_GT);
    assert_int_equal(c->ops[3], OP_GE);
    /* one comparison is a chain of two */
    c = expr_node(x, "x >= 90");
    assert_int_equal(c->kind, AST_CHAIN);
    assert_int_equal(c->nkids, 2);
    assert_int_equal(c->ops[0], OP_GE);
    assert_string_equal(expr_tree(x, "1 + a < b * 2 and c"), "AND\n"
                                                             "  CHAIN <\n"
                                                             "    BIN +\n"
                                                             "      NUM 1\n"
                                                             "      NAME a\n"
                                                             "    BIN *\n"
                                                             "      NAME b\n"
                                                             "      NUM 2\n"
                                                             "  NAME c\n");
}

static void test_calls(void **state)
{
    Fx *x = *state;
    assert_string_equal(expr_tree(x, "max(a, b + 1, 3) + round(a / 3, 2)"), "BIN +\n"
                                                                            "  CALL max\n"
                                                                            "    NAME a\n"
                                                                            "    BIN +\n"
                                                                            "      NAME b\n"
                                                                            "      NUM 1\n"
                                                                            "    NUM 3\n"
                                                                            "  CALL round\n"
                                                                            "    BIN /\n"
                                                                            "      NAME a\n"
                                                                            "      NUM 3\n"
                                                                            "    NUM 2\n");
    const Node *c = expr_node(x, "count(a > 1, not b, c)");
    assert_int_equal(c->kind, AST_CALL);
    assert_string_equal(c->name, "count");
    assert_int_equal(c->nkids, 3);
    assert_int_equal(c->kids[1]->kind, AST_NOT);
    c = expr_node(x, "f()");
    assert_int_equal(c->kind, AST_CALL);
    assert_int_equal(c->nkids, 0);
    c = expr_node(x, "if(a,\n 1,\n 2)");
    assert_string_equal(c->name, "if");
    assert_int_equal(c->nkids, 3);
    /* the keywords max and round as functions, in either spelling */
    c = expr_node(x, "max（a， b）");
    assert_string_equal(c->name, "max");
    assert_false(c->zh);
    c = expr_node(x, "满分(a, b)");
    assert_string_equal(c->name, "max");
    assert_true(c->zh);
    c = expr_node(x, "保留(a, 1)");
    assert_string_equal(c->name, "round");
    assert_true(c->zh);
}

static void test_rules_labels_else(void **state)
{
    Fx *x = *state;
    Node *r = parse_ok(x, "rubric R {\n"
                          "  item 客服流程 weight 20% \"建立CRM\" {\n"
                          "    完成率 >= 90 -> 20 \"达标\"\n"
                          "    完成率 >= 85 -> 10\n"
                          "    否则 → 0 “未达标”\n"
                          "  }\n"
                          "}\n");
    assert_string_equal(tree(x, r->kids[0]), "ITEM 客服流程 weight 20% \"建立CRM\"\n"
                                             "  RULE \"达标\"\n"
                                             "    CHAIN >=\n"
                                             "      NAME 完成率\n"
                                             "      NUM 90\n"
                                             "    NUM 20\n"
                                             "  RULE\n"
                                             "    CHAIN >=\n"
                                             "      NAME 完成率\n"
                                             "      NUM 85\n"
                                             "    NUM 10\n"
                                             "  RULE \"未达标\"\n"
                                             "    else\n"
                                             "    NUM 0\n");
    const Node *it = r->kids[0];
    assert_string_equal(it->kids[0]->str, "达标");
    assert_null(it->kids[1]->str);
    assert_null(it->kids[2]->a);
    assert_string_equal(num_text(x, it->kids[2]->b), "0");
}

static void test_long_expression_over_lines(void **state)
{
    Fx *x = *state;
    Node *r = parse_ok(x, "rubric R {\n"
                          "  item i {\n"
                          "    a >= 90 and\n"
                          "    b >= 80 ->\n"
                          "      20\n"
                          "    else -> min(a,\n"
                          "                b)\n"
                          "  }\n"
                          "}\n");
    assert_int_equal(r->kids[0]->nkids, 2);
    assert_int_equal(r->kids[0]->kids[0]->a->kind, AST_AND);
    assert_int_equal(r->kids[0]->kids[1]->b->nkids, 2);
}

/* ---- syntax errors ---- */

static void test_three_broken_statements_three_errors(void **state)
{
    Fx *x = *state;
    Node *r = parse(x, "rubric R {\n"
                       "  fact a number 0..10\n"
                       "  fact b: number 0..10\n"
                       "  round 2 2\n"
                       "  item x max 5 { score b }\n"
                       "  fact : number\n"
                       "  id b\n"
                       "}\n");
    assert_non_null(r);
    assert_int_equal(x->d.errors, 3);
    assert_string_equal(diags(x),
                        "t.rubric:2:10: error: unexpected 'number', expected ':' [syntax]\n"
                        "    2 |   fact a number 0..10\n"
                        "      |          ^~~~~~\n"
                        "t.rubric:4:11: error: unexpected '2', expected line break, ';' or "
                        "'}' [syntax]\n"
                        "    4 |   round 2 2\n"
                        "      |           ^\n"
                        "t.rubric:6:8: error: unexpected ':', expected name [syntax]\n"
                        "    6 |   fact : number\n"
                        "      |        ^\n");
    /* the statement after the last error is kept */
    assert_int_equal(r->kids[r->nkids - 1]->kind, AST_ID);
}

static void test_errors_in_nested_blocks(void **state)
{
    Fx *x = *state;
    Node *r = parse(x, "rubric R {\n"
                       "  item x {\n"
                       "    a >= -> 3\n"
                       "    else -> 0\n"
                       "  }\n"
                       "  item y { score 1 * }\n"
                       "}\n");
    assert_non_null(r);
    assert_int_equal(x->d.errors, 2);
    assert_string_equal(diags(x), "t.rubric:3:10: error: unexpected '->' [syntax]\n"
                                  "    3 |     a >= -> 3\n"
                                  "      |          ^~\n"
                                  "t.rubric:6:22: error: unexpected '}' [syntax]\n"
                                  "    6 |   item y { score 1 * }\n"
                                  "      |                      ^\n");
    /* both items survive; the broken rule and the broken score are dropped */
    assert_int_equal(r->nkids, 2);
    assert_string_equal(tree(x, r), "RUBRIC R\n"
                                    "  ITEM x\n"
                                    "    RULE\n"
                                    "      else\n"
                                    "      NUM 0\n"
                                    "  ITEM y\n");
}

static void test_unclosed_brace_names_its_line(void **state)
{
    Fx *x = *state;
    parse(x, "rubric R {\n"
             "  item x max 5 {\n"
             "    score 1\n"
             "  }\n"
             "  item y max 5 {\n"
             "    score 2\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:5:16: error: this '{' is never closed [unclosed]\n"
                                  "    5 |   item y max 5 {\n"
                                  "      |                ^\n"
                                  "hint: Add a '}' where the block opened on line 5 ends.\n");
}

static void test_unclosed_rubric_brace(void **state)
{
    Fx *x = *state;
    parse(x, "评分表 考核 {\n  指标 甲 满分 5 {\n    得分 1\n  }\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:1:8: error: this '{' is never closed [unclosed]\n"
                                  "    1 | 评分表 考核 {\n"
                                  "      |             ^\n"
                                  "hint: Add a '}' where the block opened on line 1 ends.\n");
}

static void test_brace_must_stay_on_header_line(void **state)
{
    Fx *x = *state;
    Node *r = parse(x, "rubric R\n{\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:1:9: error: unexpected line break, expected '{' [syntax]\n"
                        "    1 | rubric R\n"
                        "      |         ^\n"
                        "hint: An opening '{' must stay on the line of its header.\n");
    (void)r;
}

static void test_expected_token_lists(void **state)
{
    Fx *x = *state;
    parse(x, "rubric R {\n  fact a:\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_non_null(strstr(diags(x), "t.rubric:2:10: error: unexpected line break, expected "));
    fclose(x->f);
    free(x->buf);
    x->buf = NULL;
    x->f = open_memstream(&x->buf, &x->len);
    diag_init(&x->d, x->f);
    parse(x, "rubric R {\n  rater 自评 30%\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:2:12: error: unexpected '30%', expected 'weight' [syntax]\n"
                        "    2 |   rater 自评 30%\n"
                        "      |              ^~~\n");
    fclose(x->f);
    free(x->buf);
    x->buf = NULL;
    x->f = open_memstream(&x->buf, &x->len);
    diag_init(&x->d, x->f);
    parse(x, "rubric R {\n  fact a: numbr\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:2:11: error: unexpected 'numbr', expected 'number', "
                                  "'percent', 'integer', 'bool' or 'text' [syntax]\n"
                                  "    2 |   fact a: numbr\n"
                                  "      |           ^~~~~\n");
}

static void test_else_without_arrow(void **state)
{
    Fx *x = *state;
    parse(x, "rubric R {\n  item i {\n    else\n  }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:3:9: error: unexpected line break, expected '->' [syntax]\n"
                        "    3 |     else\n"
                        "      |         ^\n");
}

static void test_nesting_limits(void **state)
{
    Fx *x = *state;
    char text[1024];
    int n = snprintf(text, sizeof text, "rubric R {\n  item i { score ");
    for (int i = 0; i < PARSE_MAX_NESTING + 1; i++)
        text[n++] = '(';
    strcpy(text + n, "1");
    parse(x, text);
    assert_int_equal(x->d.errors, 1);
    assert_non_null(strstr(diags(x), "error: parentheses nested deeper than 64 levels [limit]\n"));
}

static void test_expression_depth_limit(void **state)
{
    Fx *x = *state;
    /* 201 additions nest 201 levels deep; reported once */
    char text[2048];
    int n = snprintf(text, sizeof text, "rubric R {\n  item i { score 1");
    for (int i = 0; i < PARSE_MAX_DEPTH + 1; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "+1");
    snprintf(text + n, sizeof text - (size_t)n, " }\n}\n");
    parse(x, text);
    assert_int_equal(x->d.errors, 1);
    assert_non_null(strstr(diags(x),
                           "t.rubric:2:18: error: expression nested deeper than 200 levels "
                           "[limit]\n"));
}

/* regression: a comparison chain took its depth from its last operand only,
 * so a deep first operand slipped past the limit */
static void test_chain_depth_counts_first_operand(void **state)
{
    Fx *x = *state;
    char text[2048];
    int n = snprintf(text, sizeof text, "rubric R {\n  item i { ");
    for (int i = 0; i < PARSE_MAX_DEPTH; i++)
        n += snprintf(text + n, sizeof text - (size_t)n, "-");
    snprintf(text + n, sizeof text - (size_t)n, "1 < 2 -> 1 }\n}\n");
    parse(x, text);
    assert_int_equal(x->d.errors, 1);
    assert_non_null(strstr(diags(x), "error: expression nested deeper than 200 levels [limit]\n"));
}

/* regression: a syntax error used to throw away the statements before it */
static void test_recovery_keeps_earlier_statements(void **state)
{
    Fx *x = *state;
    Node *r =
        parse(x, "rubric R {\n  fact a: number 0..10\n  round 2 2\n  item b { score a }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(tree(x, r), "RUBRIC R\n  FACT a : number 0..10\n  ROUND\n    NUM 2\n  ITEM "
                                    "b\n    SCORE\n      NAME a\n");
}

/* regression: a stray '}' after the rubric used to drop the rubric */
static void test_stray_brace_keeps_rubric(void **state)
{
    Fx *x = *state;
    Node *r = parse(x, "rubric R {\n  fact a: number 0..10\n  item x max 10 { score a }\n}\n}\n");
    assert_non_null(r);
    assert_int_equal(r->nkids, 2);
    assert_int_equal(x->d.errors, 1);
}

/* regression: an error in a block's first statement recovers in that block */
static void test_recovery_in_first_statement_of_block(void **state)
{
    Fx *x = *state;
    Node *r = parse(
        x, "rubric R {\n  item i {\n    a >= 9 b\n    else -> 1\n  }\n  item j { score 2 }\n}\n");
    assert_int_equal(x->d.errors, 1);
    assert_non_null(r);
    assert_int_equal(r->nkids, 2);
    assert_int_equal(r->kids[0]->nkids, 1);
}

/* regression: a rule without its arrow got a bare "unexpected line break" */
static void test_rule_without_arrow(void **state)
{
    Fx *x = *state;
    parse(x, "rubric R {\n  item i {\n    a >= 90\n  }\n}\n");
    assert_non_null(strstr(diags(x), "unexpected line break, expected '->' or an operator"));
}

/* Mark the ids of n and every node under it in seen[]; false when one is out
 * of range or met twice. */
static bool mark_ids(const Node *n, uint32_t nids, bool *seen)
{
    if (!n)
        return true;
    if (n->id >= nids || seen[n->id])
        return false;
    seen[n->id] = true;
    const Node *one[] = {n->a,     n->b,   n->weight, n->max, n->base,
                         n->floor, n->cap, n->lo,     n->hi,  n->rater};
    for (size_t i = 0; i < sizeof one / sizeof *one; i++)
        if (!mark_ids(one[i], nids, seen))
            return false;
    for (uint32_t i = 0; i < n->nkids; i++)
        if (!mark_ids(n->kids[i], nids, seen))
            return false;
    return true;
}

/* The checker's tables are indexed by Node.id: every node of the tree has an
 * id of its own below the root's nids (the parse's scaffolding LIST nodes
 * take ids too, so some ids are not in the tree). */
static void test_node_ids_unique_below_nids(void **state)
{
    Fx *x = *state;
    Node *r =
        parse_ok(x, "rubric R {\n"
                    "  fact a: percent 0..100 = 50%\n"
                    "  rater 主管 weight 60%\n"
                    "  section S weight 100% base 10 floor 0 cap 20 {\n"
                    "    item i max 10 { a >= 90 -> 10; 80 <= a < 90 -> max(1, -2); else -> 0 }\n"
                    "  }\n"
                    "  grade { total >= 5 -> \"好\"; else -> \"差\" }\n"
                    "  test \"t\" { a = 95%; expect i == 10 }\n"
                    "}\n");
    assert_true(r->nids > 30);
    bool *seen = arena_zalloc(&x->a, r->nids);
    assert_true(mark_ids(r, r->nids, seen));
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->nids; i++)
        n += seen[i];
    assert_true(n > 30);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_recovery_keeps_earlier_statements, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stray_brace_keeps_rubric, setup, teardown),
        cmocka_unit_test_setup_teardown(test_recovery_in_first_statement_of_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_without_arrow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rubric_header, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file_has_no_rubric, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fact_declarations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sections_groups_items, setup, teardown),
        cmocka_unit_test_setup_teardown(test_header_options_in_any_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicated_header_options, setup, teardown),
        cmocka_unit_test_setup_teardown(test_grade_block, setup, teardown),
        cmocka_unit_test_setup_teardown(test_test_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output_veto_rater_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(test_precedence_arithmetic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_precedence_unary_minus, setup, teardown),
        cmocka_unit_test_setup_teardown(test_precedence_logic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chained_comparisons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_calls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rules_labels_else, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_expression_over_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_three_broken_statements_three_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_in_nested_blocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unclosed_brace_names_its_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unclosed_rubric_brace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_brace_must_stay_on_header_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expected_token_lists, setup, teardown),
        cmocka_unit_test_setup_teardown(test_else_without_arrow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nesting_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_expression_depth_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chain_depth_counts_first_operand, setup, teardown),
        cmocka_unit_test_setup_teardown(test_node_ids_unique_below_nids, setup, teardown),
    };
    return cmocka_run_group_tests_name("parser", tests, NULL, NULL);
}
