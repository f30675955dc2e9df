/* test_explain.c - unit tests for explain.c.
 *
 * Each test checks an in-memory rubric, scores one employee given as fact
 * cells (as the fact-file reader would hand them over) and explains the result
 * into an open_memstream: the text tree is compared whole, CJK alignment
 * included, and its contributions are added up again as an auditor would. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "eval.h"
#include "explain.h"
#include "parse.h"

typedef struct {
    Arena a, emp;
    Diags d;
    Program *p;
    Eval *e;
    Result r;
} Fix;

static const char rubric[] = "rubric \"月度考核\" {\n"                           /* 1 */
                             "    id 工号\n"                                     /* 2 */
                             "    fact 工号: text\n"                             /* 3 */
                             "    fact 完成率: percent 0..100\n"                 /* 4 */
                             "    fact 满意度: number 0..100\n"                  /* 5 */
                             "    fact 达标: bool\n"                             /* 6 */
                             "    section 业绩 weight 80% {\n"                   /* 7 */
                             "        item 完成情况 weight 50% {\n"              /* 8 */
                             "            完成率 >= 90 and 达标 -> 100 \"优\"\n" /* 9 */
                             "            完成率 < 80 ->   # 低于80%\n"          /* 10 */
                             "                60\n"                              /* 11 */
                             "        }\n"                                       /* 12 */
                             "        item 满意 weight 50% { score 满意度 }\n"   /* 13 */
                             "    }\n"                                           /* 14 */
                             "    section 行为考核 weight 20% {\n"               /* 15 */
                             "        item 态度 weight 100% max 10 {\n"          /* 16 */
                             "            满意度 >= 80 -> 10\n"                  /* 17 */
                             "            else -> 5\n"                           /* 18 */
                             "        }\n"                                       /* 19 */
                             "    }\n"                                           /* 20 */
                             "    grade {\n"                                     /* 21 */
                             "        total >= 80 -> \"良好\"\n"                 /* 22 */
                             "        else -> \"一般\"\n"                        /* 23 */
                             "    }\n"                                           /* 24 */
                             "}\n";

static FactCell cell(const char *key, const char *val, int line)
{
    return (FactCell){key, strlen(key), val, strlen(val), false, line, -1, NULL};
}

/* Score the employee whose facts are 完成率, 满意度 and 达标 as written. */
static bool score(Fix *f, const char *text, const char *done, const char *satisfied, const char *ok)
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
    FactCell cells[] = {cell("工号", "E01", 1), cell("完成率", done, 2),
                        cell("满意度", satisfied, 3), cell("达标", ok, 4)};
    FactRecord rec = {0};
    rec.cells = cells;
    rec.ncells = sizeof cells / sizeof *cells;
    rec.source = "x.facts";
    rec.default_id = "x";
    rec.path = "x.facts";
    rec.line = 1;
    return eval_record(f->e, &rec, &f->emp, &f->r);
}

static char *explain(Fix *f, bool json)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    explain_write(f->p, &f->r, "x.facts", json, out);
    assert_int_equal(fclose(out), 0);
    return buf;
}

static void done(Fix *f)
{
    eval_free(f->e);
    arena_free(&f->emp);
    arena_free(&f->a);
}

static const char tree_ok[] = "员工 E01  x.facts\n"
                              "评分表 月度考核  t.rubric\n"
                              "\n"
                              "项目        得分  满分  权重  贡献\n"
                              "业绩        87.5   100   80%    70\n"
                              "  完成情况   100   100   50%    50\n"
                              "      规则 t.rubric:9  完成率 >= 90 and 达标 -> 100 \"优\"\n"
                              "      数据 完成率 = 95%, 达标 = 是\n"
                              "  满意        75   100   50%  37.5\n"
                              "      规则 t.rubric:13  score 满意度\n"
                              "      数据 满意度 = 75\n"
                              "行为考核      50   100   20%    10\n"
                              "  态度         5    10  100%    50\n"
                              "      规则 t.rubric:18  else -> 5\n"
                              "      数据 满意度 = 75\n"
                              "\n"
                              "总分 = 业绩 87.5 ÷ 100 × 80% × 100 + 行为考核 50 ÷ 100 × 20% × 100\n"
                              "     = 70 + 10\n"
                              "     = 80\n"
                              "评级 良好  t.rubric:22  total >= 80 -> \"良好\"\n";

static void text_tree(void **state)
{
    (void)state;
    Fix f;
    assert_true(score(&f, rubric, "95%", "75", "是"));
    char *got = explain(&f, false);
    assert_string_equal(got, tree_ok);
    free(got);
    done(&f);
}

/* A decimal as written ("37.5") in hundredths. */
static long cents(const char *s, size_t n)
{
    long v = 0, frac = -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            frac = 0;
            continue;
        }
        v = v * 10 + (s[i] - '0');
        if (frac >= 0)
            frac++;
    }
    for (long k = frac < 0 ? 0 : frac; k < 2; k++)
        v *= 10;
    return v;
}

/* The top-level rows' 贡献 column adds up to the total on the last "= " line. */
static void contributions_add_up(void **state)
{
    (void)state;
    Fix f;
    assert_true(score(&f, rubric, "70%", "92.5", "否"));
    char *got = explain(&f, false);
    long sum = 0, total = -1;
    int rows = 0;
    char *end = strstr(got, "\n\n总分");
    assert_non_null(end);
    for (char *line = strstr(got, "项目"); line && line < end; line = strchr(line, '\n') + 1) {
        char *nl = strchr(line, '\n');
        if (line[0] != ' ' && strncmp(line, "项目", strlen("项目")) != 0) {
            char *last = nl;
            while (last[-1] != ' ')
                last--;
            sum += cents(last, (size_t)(nl - last));
            rows++;
        }
    }
    for (char *l = strstr(got, "     = "); l; l = strstr(l + 1, "     = "))
        total = cents(l + 7, strcspn(l + 7, "\n"));
    assert_int_equal(rows, 2);
    /* 完成情况 60, 满意 92.5: 业绩 76.25 → 61; 态度 10: 行为考核 100 → 20; total 81 */
    assert_int_equal(total, 8100);
    assert_int_equal(sum, total);
    assert_non_null(
        strstr(got, "      规则 t.rubric:10  完成率 < 80 -> 60\n")); /* comment dropped */
    free(got);
    done(&f);
}

static void no_rule_matched(void **state)
{
    (void)state;
    Fix f;
    assert_false(score(&f, rubric, "85%", "75", "是"));
    char *got = explain(&f, false);
    assert_string_equal(
        got, "员工 E01  x.facts\n"
             "评分表 月度考核  t.rubric\n"
             "\n"
             "项目          得分  满分  权重\n"
             "业绩        未评到   100   80%\n"
             "  完成情况    失败   100   50%\n"
             "      数据 完成率 = 85%, 达标 = 是\n"
             "  满意      未评到   100   50%\n"
             "行为考核    未评到   100   20%\n"
             "  态度      未评到    10  100%\n"
             "\n"
             "无法评分 t.rubric:8  item 完成情况: no rule matched (完成率 = 85%, 达标 = 是)\n");
    free(got);
    got = explain(&f, true);
    assert_non_null(strstr(
        got, "{\"id\":\"E01\",\"source\":\"x.facts\",\"total\":null,\"grade\":null,\"nodes\":["));
    assert_non_null(
        strstr(got, "{\"name\":\"完成情况\",\"kind\":\"item\",\"status\":\"failed\",\"score\":null,"
                    "\"full\":100,\"weight\":50,\"contribution\":null,\"rule\":null,"
                    "\"facts\":{\"完成率\":85,\"达标\":true}}"));
    assert_non_null(strstr(
        got, "{\"name\":\"满意\",\"kind\":\"item\",\"status\":\"not reached\",\"score\":null,"));
    assert_non_null(
        strstr(got, "\"total_formula\":[],\"grade_rule\":null,\"error\":\"item 完成情况: no rule "
                    "matched (完成率 = 85%, 达标 = 是)\",\"error_line\":8}\n"));
    free(got);
    done(&f);
}

static void missing_fact_reaches_nothing(void **state)
{
    (void)state;
    Fix f;
    assert_false(score(&f, rubric, "", "75", "是"));
    char *got = explain(&f, false);
    assert_non_null(strstr(got, "  完成情况  未评到   100   50%\n  满意"));
    assert_null(strstr(got, "数据"));
    assert_non_null(strstr(got, "\n无法评分  fact 完成率 is missing\n"));
    free(got);
    done(&f);
}

static void json_object(void **state)
{
    (void)state;
    Fix f;
    assert_true(score(&f, rubric, "95%", "75", "是"));
    char *got = explain(&f, true);
    assert_string_equal(
        got,
        "{\"id\":\"E01\",\"source\":\"x.facts\",\"total\":80,\"grade\":\"良好\",\"nodes\":["
        "{\"name\":\"业绩\",\"kind\":\"section\",\"status\":\"scored\",\"score\":87.5,\"full\":100,"
        "\"weight\":80,\"contribution\":70,\"nodes\":["
        "{\"name\":\"完成情况\",\"kind\":\"item\",\"status\":\"scored\",\"score\":100,\"full\":100,"
        "\"weight\":50,\"contribution\":50,\"rule\":{\"text\":\"完成率 >= 90 and 达标 -> 100 "
        "\\\"优\\\"\","
        "\"line\":9},\"facts\":{\"完成率\":95,\"达标\":true}},"
        "{\"name\":\"满意\",\"kind\":\"item\",\"status\":\"scored\",\"score\":75,\"full\":100,"
        "\"weight\":50,\"contribution\":37.5,\"rule\":{\"text\":\"score 满意度\",\"line\":13},"
        "\"facts\":{\"满意度\":75}}]},"
        "{\"name\":\"行为考核\",\"kind\":\"section\",\"status\":\"scored\",\"score\":50,\"full\":"
        "100,"
        "\"weight\":20,\"contribution\":10,\"nodes\":["
        "{\"name\":\"态度\",\"kind\":\"item\",\"status\":\"scored\",\"score\":5,\"full\":10,"
        "\"weight\":100,\"contribution\":50,\"rule\":{\"text\":\"else -> 5\",\"line\":18},"
        "\"facts\":{\"满意度\":75}}]}],"
        "\"total_formula\":[\"总分 = 业绩 87.5 ÷ 100 × 80% × 100 + 行为考核 50 ÷ 100 × 20% × 100\","
        "\"= 70 + 10\",\"= 80\"],"
        "\"grade_rule\":{\"text\":\"total >= 80 -> \\\"良好\\\"\",\"line\":22},\"error\":null}\n");
    free(got);
    done(&f);
}

/* Exact values in the sum, the rounding on its own line; points mode is a plain sum. */
static void rounding_and_points(void **state)
{
    (void)state;
    Fix f;
    assert_true(score(&f,
                      "rubric \"r\" {\n"
                      "    fact 工号: text\n"
                      "    fact 完成率: percent 0..100\n"
                      "    fact 满意度: number 0..100\n"
                      "    fact 达标: bool\n"
                      "    item 甲 weight 30% { score 满意度 }\n"
                      "    item 乙 weight 30% { score 完成率 }\n"
                      "    item 丙 weight 40% max 30 { 达标 -> 30; else -> 10 }\n"
                      "}\n",
                      "88.5%", "90.9", "否"));
    char *got = explain(&f, false);
    assert_non_null(strstr(got, "\n总分 = 甲 90.9 ÷ 100 × 30% × 100\n"
                                "     + 乙 88.5 ÷ 100 × 30% × 100\n"
                                "     + 丙 10 ÷ 30 × 40% × 100\n"
                                "     = 27.27 + 26.55 + 40/3\n"
                                "     = 10073/150\n"
                                "     ≈ 67.15（保留 2 位小数，四舍五入）\n"));
    free(got);
    done(&f);

    assert_true(score(&f,
                      "rubric \"p\" {\n"
                      "    fact 工号: text\n"
                      "    fact 完成率: percent 0..100\n"
                      "    fact 满意度: number 0..100\n"
                      "    fact 达标: bool\n"
                      "    item 专业知识 max 30 { score 满意度 / 10 }\n"
                      "    item 效率 { 达标 -> 20; else -> 0 }\n"
                      "}\n",
                      "50%", "25", "是"));
    got = explain(&f, false);
    assert_non_null(strstr(got, "项目      得分  满分  贡献\n"
                                "专业知识   2.5    30   2.5\n"));
    assert_non_null(strstr(got, "\n总分 = 专业知识 2.5 + 效率 20\n     = 22.5\n"));
    free(got);
    done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_tree),       cmocka_unit_test(contributions_add_up),
        cmocka_unit_test(no_rule_matched), cmocka_unit_test(missing_fact_reaches_nothing),
        cmocka_unit_test(json_object),     cmocka_unit_test(rounding_and_points),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
