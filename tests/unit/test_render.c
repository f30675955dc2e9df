/* test_render.c - unit tests for render.c and render_cells.c.
 *
 * Each test checks an in-memory rubric and renders it into an open_memstream,
 * so the whole Markdown sheet is pinned byte for byte and the HTML page is
 * searched for what a browser must get right: escaping, the rows, print CSS. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "parse.h"
#include "render.h"

typedef struct {
    Arena a;
    Diags d;
    Program *p;
} Fix;

static void compile(Fix *f, const char *text)
{
    arena_init(&f->a);
    diag_init(&f->d, stderr);
    Source *s = source_from_text(&f->a, "t.rubric", text, strlen(text));
    Node *root = parse_source(&f->a, s, &f->d, NULL);
    assert_non_null(root);
    f->p = check_program(&f->a, s, root, &f->d);
    assert_int_equal(f->d.errors, 0);
}

/* The sheet of f's program in fmt; the caller frees it. */
static char *render(Fix *f, RenderFormat fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    render_program(f->p, fmt, out);
    assert_int_equal(fclose(out), 0);
    return buf;
}

static const char weighted[] = "rubric \"客户考核\" {\n"
                               "    fact 完成率: percent 0..100\n"
                               "    fact 满意度: number 0..100\n"
                               "    fact 投诉: integer >= 0\n"
                               "    section 业绩考核 weight 80% {\n"
                               "        group 客户管理 weight 60% {\n"
                               "            item 流程建设 weight 40% \"建立CRM | 制度\" {\n"
                               "                完成率 >= 90 -> 40 \"90%以上\"\n"
                               "                完成率>=80 and 完成率 != 85 -> 20  # a comment\n"
                               "                else -> 0\n"
                               "            }\n"
                               "            item 信息掌控 weight 20% { score 满意度 / 5 }\n"
                               "        }\n"
                               "        item 投诉处理 weight 40% max 30 {\n"
                               "            投诉 == 0 -> 30\n"
                               "            投诉 <= 2 -> 10\n"
                               "            else -> 0\n"
                               "        }\n"
                               "    }\n"
                               "    section 行为考核 weight 20% {\n"
                               "        item 态度 weight 100% { score 满意度 }\n"
                               "    }\n"
                               "    grade {\n"
                               "        total >= 90 -> \"优秀\"\n"
                               "        else -> \"合格\"\n"
                               "    }\n"
                               "}\n";

static void md_weighted_sheet(void **state)
{
    (void)state;
    Fix f;
    compile(&f, weighted);
    char *got = render(&f, RENDER_MD);
    const char *want = "# 客户考核\n"
                       "\n"
                       "考核时间: ______ 年 ____ 月　　姓名: __________　　岗位: __________\n"
                       "\n"
                       "## 业绩考核（权重 80%）\n"
                       "\n"
                       "| 序号 | 考核项目 | 权重 | 目标值/要求 | 评分等级 | 得分（自评） | "
                       "得分（上级） | 得分（结果） |\n"
                       "|---|---|---|---|---|---|---|---|\n"
                       "| | **客户管理** | 60% | | | | | |\n"
                       "| 1 | 流程建设 | 40% | 建立CRM \\| 制度 | 完成率 ≥ 90% → "
                       "40分（90%以上）<br>完成率≥80% 且 完成率 ≠ 85% → "
                       "20分<br>否则 → 0分 | | | |\n"
                       "| 2 | 信息掌控 | 20% | | 得分 = 满意度 ÷ 5 | | | |\n"
                       "| 3 | 投诉处理 | 40%（满分 30） | | 投诉 = 0 → 30分<br>投诉 ≤ 2 → "
                       "10分<br>否则 → 0分 | | | |\n"
                       "| | **加权合计** | 100% | 满分 100 | Σ 得分 ÷ 满分 × 权重 × 100 | | | |\n"
                       "\n"
                       "## 行为考核（权重 20%）\n"
                       "\n"
                       "| 序号 | 考核项目 | 权重 | 目标值/要求 | 评分等级 | 得分（自评） | "
                       "得分（上级） | 得分（结果） |\n"
                       "|---|---|---|---|---|---|---|---|\n"
                       "| 1 | 态度 | 100% | | 得分 = 满意度 | | | |\n"
                       "| | **加权合计** | 100% | 满分 100 | Σ 得分 ÷ 满分 × 权重 × 100 | | | |\n"
                       "\n"
                       "**总分 = 业绩考核 × 80% + 行为考核 × 20%（满分 100）**\n"
                       "\n"
                       "## 评级\n"
                       "\n"
                       "| 评级 | 条件 |\n"
                       "|---|---|\n"
                       "| 优秀 | 总分 ≥ 90 |\n"
                       "| 合格 | 否则 |\n"
                       "\n"
                       "考核人签字: __________　　____ 年 ____ 月 ____ 日\n"
                       "\n"
                       "被考核人签字: __________　　____ 年 ____ 月 ____ 日\n"
                       "\n";
    assert_string_equal(got, want);
    free(got);
    arena_free(&f.a);
}

static void md_points_sheet(void **state)
{
    (void)state;
    Fix f;
    compile(&f, "评分表 \"售后\" {\n"
                "    数据 专业: 数值 0..30\n"
                "    数据 效率: 数值 0..20\n"
                "    指标 专业知识 满分 30 \"熟悉产品\" { 得分 专业 }\n"
                "    指标 工作效率 { 得分 效率 }\n"
                "}\n");
    char *got = render(&f, RENDER_MD);
    assert_non_null(strstr(got, "| 1 | 专业知识 | 满分 30 | 熟悉产品 | 得分 = 专业 | | | |\n"
                                "| 2 | 工作效率 | 满分 20 | | 得分 = 效率 | | | |\n"
                                "| | **合计** | | 满分 50 | 各项得分之和 | | | |\n"));
    assert_non_null(strstr(got, "**总分 = 专业知识 + 工作效率（满分 50）**\n"));
    assert_null(strstr(got, "## 评级")); /* no grade block, no grade table */
    free(got);
    arena_free(&f.a);
}

static void md_raters_are_columns(void **state)
{
    (void)state;
    Fix f;
    compile(&f, "rubric \"r\" {\n"
                "    rater 自评 weight 30%\n"
                "    rater 上级 weight 70%\n"
                "    fact x: number 0..10\n"
                "    item a { score x }\n"
                "}\n");
    char *got = render(&f, RENDER_MD);
    /* each rater's column says what its view counts */
    assert_non_null(strstr(got, "| 评分等级 | 得分（自评 30%） | 得分（上级 70%） | 得分（结果） "
                                "|\n|---|---|---|---|---|---|---|---|\n"));
    free(got);
    arena_free(&f.a);
}

static void html_escapes_and_rows(void **state)
{
    (void)state;
    Fix f;
    compile(&f, "rubric \"A&B <考核> 'x'\" {\n"
                "    fact n: number 0..100\n"
                "    item 质量 weight 60% “\"好\" & <b>” {\n"
                "        n > 90 -> 100 \"<优>\"\n"
                "        n < 60 -> 0\n"
                "        else -> 80\n"
                "    }\n"
                "    item 效率 weight 40% { score n }\n"
                "}\n");
    char *got = render(&f, RENDER_HTML);
    assert_true(
        strncmp(got, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n",
                64) == 0);
    assert_non_null(strstr(got, "<title>A&amp;B &lt;考核&gt; &#39;x&#39;</title>"));
    assert_non_null(strstr(got, "<h1>A&amp;B &lt;考核&gt; &#39;x&#39;</h1>"));
    assert_non_null(strstr(got, "@page { size: A4;"));
    assert_non_null(strstr(got, "thead { display: table-header-group; }"));
    assert_non_null(strstr(got, "<th colspan=\"3\">得分</th>"));
    assert_non_null(strstr(
        got,
        "<tr><td class=\"n\">1</td><td class=\"name\">质量</td><td class=\"w\">60%（满分 100）</td>"
        "<td class=\"goal\">&quot;好&quot; &amp; &lt;b&gt;</td>"
        "<td class=\"rules\">n &gt; 90 → 100分（&lt;优&gt;）<br>n &lt; 60 → 0分<br>否则 → 80分</td>"
        "<td class=\"s\"></td><td class=\"s\"></td><td class=\"s\"></td></tr>\n"));
    assert_non_null(strstr(got, "<td class=\"n\">2</td><td class=\"name\">效率</td>"));
    assert_non_null(strstr(got, "<td class=\"name\">加权合计</td>"));
    assert_non_null(
        strstr(got, "<p class=\"total\">总分 = 质量 × 60% + 效率 × 40%（满分 100）</p>"));
    assert_non_null(strstr(got, "考核人签字"));
    assert_non_null(strstr(got, "被考核人签字"));
    /* self-contained: nothing fetched from elsewhere */
    assert_null(strstr(got, "http"));
    assert_null(strstr(got, "<link"));
    assert_null(strstr(got, "<script"));
    assert_non_null(strstr(got, "</html>\n"));
    free(got);
    arena_free(&f.a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(md_weighted_sheet),
        cmocka_unit_test(md_points_sheet),
        cmocka_unit_test(md_raters_are_columns),
        cmocka_unit_test(html_escapes_and_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
