/* test_fmt.c - the canonical layout (fmt_write).
 *
 * Each case gives an input and the exact expected output, then checks three
 * things through expect_fmt: the output is what is written here, formatting
 * the output again changes nothing, and the token sequence (kinds and texts,
 * line breaks aside) of the output is the input's - so formatting can only
 * have moved white space. The last cases run the same properties over the
 * bundled rubrics when the test runs from the top of the checkout. */
#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#include "arena.h"
#include "diag.h"
#include "fmt.h"
#include "parse.h"
#include "parser.h"
#include "source.h"

/* What fmt_write gave for one text: its status, output and diagnostics. */
typedef struct {
    int rc;
    char *out, *diags; /* malloc'd by open_memstream */
    size_t out_len;
    int errors;
} Fmt;

static Fmt run_fmt(const char *text, size_t len)
{
    Fmt r;
    Arena a;
    arena_init(&a);
    size_t dlen;
    FILE *df = open_memstream(&r.diags, &dlen);
    FILE *of = open_memstream(&r.out, &r.out_len);
    assert_non_null(df);
    assert_non_null(of);
    Diags d;
    diag_init(&d, df);
    const Source *src = source_from_text(&a, "t.rubric", text, len);
    r.rc = fmt_write(&a, src, &d, of);
    r.errors = d.errors;
    assert_int_equal(fclose(of), 0);
    assert_int_equal(fclose(df), 0);
    arena_free(&a);
    return r;
}

static void fmt_free(Fmt *r)
{
    free(r->out);
    free(r->diags);
}

/* A token as text: kind and bytes (a comment without trailing white space). */
typedef struct {
    int kind;
    const char *s;
    size_t n;
} Tok;

static size_t tokens_of(Arena *a, const char *text, size_t len, Tok **out)
{
    Diags d;
    diag_init(&d, stderr);
    const Source *src = source_from_text(a, "t.rubric", text, len);
    Token *t;
    size_t n = parse_tokens(a, src, &d, &t), k = 0;
    assert_int_equal(d.errors, 0);
    *out = arena_alloc(a, (n + 1) * sizeof **out);
    for (size_t i = 0; i < n; i++) {
        if (t[i].kind == NL)
            continue;
        Tok x = {t[i].kind, src->text + t[i].start, t[i].end - t[i].start};
        if (x.kind == COMMENT) /* CRLF leaves a '\r', tabs and spaces may trail */
            while (x.n > 0 && strchr(" \t\r\f\v", x.s[x.n - 1]))
                x.n--;
        (*out)[k++] = x;
    }
    return k;
}

/* The tokens of a and b are the same, line breaks aside. */
static void same_tokens(const char *a, size_t alen, const char *b, size_t blen)
{
    Arena ar;
    arena_init(&ar);
    Tok *x, *y;
    size_t nx = tokens_of(&ar, a, alen, &x), ny = tokens_of(&ar, b, blen, &y);
    assert_int_equal(nx, ny);
    for (size_t i = 0; i < nx; i++) {
        assert_int_equal(x[i].kind, y[i].kind);
        assert_int_equal(x[i].n, y[i].n);
        assert_memory_equal(x[i].s, y[i].s, x[i].n);
    }
    arena_free(&ar);
}

/* fmt(in) == want, fmt(want) == want, and the tokens are kept. */
static void expect_fmt_n(const char *in, size_t len, const char *want)
{
    Fmt r = run_fmt(in, len);
    if (r.rc != 0)
        fprintf(stderr, "%s", r.diags);
    assert_int_equal(r.rc, 0);
    assert_string_equal(r.diags, "");
    assert_string_equal(r.out, want);
    Fmt again = run_fmt(r.out, r.out_len);
    assert_int_equal(again.rc, 0);
    assert_string_equal(again.out, r.out);
    same_tokens(in, len, r.out, r.out_len);
    fmt_free(&again);
    fmt_free(&r);
}

static void expect_fmt(const char *in, const char *want)
{
    expect_fmt_n(in, strlen(in), want);
}

static void test_spacing(void **state)
{
    (void)state;
    expect_fmt("rubric \"间距\"{\n"
               "fact a :number 0 .. 100=5\"说明\"\n"
               "fact b: percent>=0\n"
               "item X weight 30%{score a*2+( a -1 )/max( a ,b)+round(b,2)}\n"
               "  item Y  max   10{score if( a>b , a , b )}\n"
               "}",
               "rubric \"间距\" {\n"
               "    fact a: number 0..100 = 5 \"说明\"\n"
               "    fact b: percent >= 0\n"
               "    item X weight 30% { score a * 2 + (a - 1) / max(a, b) + round(b, 2) }\n"
               "    item Y max 10 { score if(a > b, a, b) }\n"
               "}\n");
}

static void test_unary_minus(void **state)
{
    (void)state;
    expect_fmt("rubric R {\n"
               " fact t: number -5 .. - 1 = -2\n"
               " item A max 10 { score - t }\n"
               " item B max 10 { score abs( -t )- -t*-1 }\n"
               " item C max 10 {\n"
               " t>0-> - 5\n"
               " not(t < 0)->(-t)\n"
               " else->-(t)\n"
               " }\n"
               "}\n",
               "rubric R {\n"
               "    fact t: number -5..-1 = -2\n"
               "    item A max 10 { score -t }\n"
               "    item B max 10 { score abs(-t) - -t * -1 }\n"
               "    item C max 10 {\n"
               "        t > 0       -> -5\n"
               "        not (t < 0) -> (-t)\n"
               "        else        -> -(t)\n"
               "    }\n"
               "}\n");
}

static void test_arrow_alignment_cjk(void **state)
{
    (void)state;
    /* 完成率 is 6 columns, so `完成率 >= 90` ends at the column of `x` plus 11;
       the blank line in grade starts a new run */
    expect_fmt("rubric R {\n"
               "  item 客服流程 weight 100% {\n"
               "    完成率>=90->20 \"优\"\n"
               "    完成率>=85 -> 10\n"
               "    x->5\n"
               "    else -> 0\n"
               "  }\n"
               "  grade {\n"
               "    total >= 90 -> \"优秀\"\n"
               "\n"
               "    total >= 60 -> \"合格\"\n"
               "    else -> \"不合格\"\n"
               "  }\n"
               "}\n",
               "rubric R {\n"
               "    item 客服流程 weight 100% {\n"
               "        完成率 >= 90 -> 20 \"优\"\n"
               "        完成率 >= 85 -> 10\n"
               "        x            -> 5\n"
               "        else         -> 0\n"
               "    }\n"
               "    grade {\n"
               "        total >= 90 -> \"优秀\"\n"
               "\n"
               "        total >= 60 -> \"合格\"\n"
               "        else        -> \"不合格\"\n"
               "    }\n"
               "}\n");
}

static void test_comments(void **state)
{
    (void)state;
    expect_fmt("# 文件头注释\n"
               "rubric R {   # 行尾注释   \n"
               "# 整行注释,缩进跟随\n"
               "  fact a: number   ＃ 全角井号注释\n"
               "  item X weight 100% {\n"
               "      a >= 1 -> 1   # 一\n"
               "         # 中间的注释不打断对齐\n"
               "      else -> 0 #否则\n"
               "  # 块尾的注释\n"
               "  }\n"
               "}\n"
               "# 文件尾\n",
               "# 文件头注释\n"
               "rubric R { # 行尾注释\n"
               "    # 整行注释,缩进跟随\n"
               "    fact a: number ＃ 全角井号注释\n"
               "    item X weight 100% {\n"
               "        a >= 1 -> 1 # 一\n"
               "        # 中间的注释不打断对齐\n"
               "        else   -> 0 #否则\n"
               "        # 块尾的注释\n"
               "    }\n"
               "}\n"
               "# 文件尾\n");
}

static void test_blank_lines(void **state)
{
    (void)state;
    /* at most one in a row; none at the start or end of the file or a block;
       the missing final line break is added */
    expect_fmt("\n\n  \n"
               "rubric R {\n\n\n"
               "  fact a: number\n\n\n\n"
               "  fact b: number\n"
               "  item X { score a }\n"
               "\t\n"
               "}\n\n\n",
               "rubric R {\n"
               "    fact a: number\n"
               "\n"
               "    fact b: number\n"
               "    item X { score a }\n"
               "}\n");
    expect_fmt("rubric R { fact a: number }", "rubric R { fact a: number }\n");
}

static void test_continuation_lines(void **state)
{
    (void)state;
    expect_fmt("rubric R {\n"
               "fact a: number\n"
               "fact b: number\n"
               "item X max 100 {\n"
               "score a +\n"
               "b *\n"
               "      2\n"
               "}\n"
               "item Y max 100 {\n"
               "score max(a,\n"
               "b,\n"
               "  min(a, b)\n"
               ")\n"
               "}\n"
               "item W max 100 {\n"
               "score (a\n"
               "- b) + 1\n"
               "}\n"
               "item Z weight 1% {\n"
               "a >= 1 and\n"
               "b >= 2 -> 1\n"
               "else -> 0\n"
               "}\n"
               "}\n",
               "rubric R {\n"
               "    fact a: number\n"
               "    fact b: number\n"
               "    item X max 100 {\n"
               "        score a +\n"
               "            b *\n"
               "            2\n"
               "    }\n"
               "    item Y max 100 {\n"
               "        score max(a,\n"
               "            b,\n"
               "            min(a, b)\n"
               "        )\n"
               "    }\n"
               "    item W max 100 {\n"
               "        score (a\n"
               "            - b) + 1\n"
               "    }\n"
               "    item Z weight 1% {\n"
               "        a >= 1 and\n"
               "            b >= 2 -> 1\n"
               "        else       -> 0\n"
               "    }\n"
               "}\n");
}

static void test_fullwidth_kept(void **state)
{
    (void)state;
    /* ＞＝ is 4 columns, ≥ one; ，：； carry their own space */
    expect_fmt("评分表 “全角” {\n"
               "  数据 完成率：百分比 0..100\n"
               "  数据 满意度 ： 数值 ０..１００\n"
               "  指标 服务 权重 100％ {\n"
               "    完成率＞＝90→50 「好」\n"
               "    完成率 ≥ 80 → 30\n"
               "    否则→0\n"
               "  }\n"
               "  指标 加班 满分 20 { 得分 min（ 满意度 ÷ 2 ， 20 ） }\n"
               "}\n",
               "评分表 “全角” {\n"
               "    数据 完成率：百分比 0..100\n"
               "    数据 满意度：数值 ０..１００\n"
               "    指标 服务 权重 100％ {\n"
               "        完成率 ＞＝ 90 → 50 「好」\n"
               "        完成率 ≥ 80    → 30\n"
               "        否则           → 0\n"
               "    }\n"
               "    指标 加班 满分 20 { 得分 min（满意度 ÷ 2，20） }\n"
               "}\n");
}

static void test_one_line_blocks(void **state)
{
    (void)state;
    /* a block on one line stays there; one that spans lines gets its '{' at
       the end of the header line and its '}' on a line of its own */
    expect_fmt("rubric R { fact a: number\n"
               "item X weight 30% { score a }\n"
               "item Y weight 70% {a > 1 -> 1; else -> 0}\n"
               "item Z max 1 {  }\n"
               "section S { item T weight 100% { score a } }\n"
               "group G { item U { score a\n"
               "}\n"
               "}\n"
               "item V { a > 1 -> 1\n"
               "else -> 0 }}\n",
               "rubric R {\n"
               "    fact a: number\n"
               "    item X weight 30% { score a }\n"
               "    item Y weight 70% { a > 1 -> 1; else -> 0 }\n"
               "    item Z max 1 {}\n"
               "    section S { item T weight 100% { score a } }\n"
               "    group G {\n"
               "        item U {\n"
               "            score a\n"
               "        }\n"
               "    }\n"
               "    item V {\n"
               "        a > 1 -> 1\n"
               "        else  -> 0\n"
               "    }\n"
               "}\n");
}

static void test_nested_sections(void **state)
{
    (void)state;
    expect_fmt("rubric R {\n"
               "section A weight 60% {\n"
               "        group G weight 60% {\n"
               "  item X weight 60% { score a }\n"
               "            item Y weight 40% {\n"
               "a >= 1 -> 1\n"
               "     else -> 0\n"
               "}\n"
               "   }\n"
               " item Z weight 40% { score a }\n"
               "}\n"
               "    section B weight 40% {\n"
               "item W { score a }\n"
               "    }\n"
               "}\n",
               "rubric R {\n"
               "    section A weight 60% {\n"
               "        group G weight 60% {\n"
               "            item X weight 60% { score a }\n"
               "            item Y weight 40% {\n"
               "                a >= 1 -> 1\n"
               "                else   -> 0\n"
               "            }\n"
               "        }\n"
               "        item Z weight 40% { score a }\n"
               "    }\n"
               "    section B weight 40% {\n"
               "        item W { score a }\n"
               "    }\n"
               "}\n");
}

static void test_semicolons_tests_raters(void **state)
{
    (void)state;
    expect_fmt("rubric R {\n"
               "  id 工号 ;round 2\n"
               "  rater 上级 weight 100%\n"
               "  fact 工号: text\n"
               "  test \"一\" { 工号 = E1 ; a @ 上级 = 5；expect total == 5 }\n"
               "  test \"二\" {\n"
               "    a@上级=5\n"
               "    expect grade==\"良好\"\n"
               "  }\n"
               "  output 系数 { total >= 90 -> 1.2; else -> 0.5 }\n"
               "  quota \"优秀\"<=20%\n"
               "  veto a<0 \"否决\"\n"
               "}\n",
               "rubric R {\n"
               "    id 工号; round 2\n"
               "    rater 上级 weight 100%\n"
               "    fact 工号: text\n"
               "    test \"一\" { 工号 = E1; a@上级 = 5；expect total == 5 }\n"
               "    test \"二\" {\n"
               "        a@上级 = 5\n"
               "        expect grade == \"良好\"\n"
               "    }\n"
               "    output 系数 { total >= 90 -> 1.2; else -> 0.5 }\n"
               "    quota \"优秀\" <= 20%\n"
               "    veto a < 0 \"否决\"\n"
               "}\n");
}

static void test_bom_crlf_tabs(void **state)
{
    (void)state;
    expect_fmt("\xEF\xBB\xBFrubric R {\r\n"
               "\tfact a:\tnumber\xE3\x80\x80 # 注释 \t\r\n"
               "\r\n"
               "\r\n"
               "\titem X { score a }\r\n"
               "}\r\n",
               "rubric R {\n"
               "    fact a: number # 注释\n"
               "\n"
               "    item X { score a }\n"
               "}\n");
}

static void test_empty_and_comment_only(void **state)
{
    (void)state;
    expect_fmt("", "");
    expect_fmt("\n\n \n", "");
    expect_fmt("\n\n   # 只有注释  \n\n\n# 第二条\n\n", "# 只有注释\n\n# 第二条\n");
}

static void test_refuses_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "rubric R {\n  item X weight 10% {\n    完成率 >= 90 20\n  }\n}\n", /* no '->' */
        "rubric R { fact a: number 。 }\n",                                 /* lexical */
        "rubric R {\n  item X {\n    score a\n",                            /* unclosed */
        "rubric R {\n  item X weight 10%\n  {\n    score a\n  }\n}\n",      /* '{' on next line */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        Fmt r = run_fmt(bad[i], strlen(bad[i]));
        assert_int_equal(r.rc, -1);
        assert_true(r.errors > 0);
        assert_int_equal(r.out_len, 0);
        assert_non_null(strstr(r.diags, "error"));
        fmt_free(&r);
    }
}

/* text re-spelt from its tokens with random white space around each (spaces,
 * tabs, ideographic spaces, CRLF line breaks), which must not change its layout:
 * the formatter may only depend on the tokens and the line breaks. */
static char *respace(const char *text, size_t len, unsigned seed, size_t *out_len)
{
    static const char *const ws[] = {"", " ", "  ", "\t", "\xE3\x80\x80", " \t "};
    Arena a;
    arena_init(&a);
    Diags d;
    diag_init(&d, stderr);
    const Source *src = source_from_text(&a, "t.rubric", text, len);
    Token *t;
    size_t n = parse_tokens(&a, src, &d, &t);
    char *buf;
    FILE *f = open_memstream(&buf, out_len);
    assert_non_null(f);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        const char *w = ws[(seed >> 16) % 6];
        if (t[i].kind == NL) {
            fputs((seed >> 8) & 1 ? "\r\n" : "\n", f);
            continue;
        }
        bool line_start = i == 0 || t[i - 1].kind == NL;
        fputs(*w || line_start ? w : " ", f); /* tokens on a line stay apart */
        fwrite(src->text + t[i].start, 1, t[i].end - t[i].start, f);
    }
    assert_int_equal(fclose(f), 0);
    arena_free(&a);
    return buf;
}

static void expect_same_layout(const char *text, size_t len)
{
    Fmt want = run_fmt(text, len);
    assert_int_equal(want.rc, 0);
    for (unsigned seed = 1; seed <= 5; seed++) {
        size_t n;
        char *in = respace(text, len, seed, &n);
        Fmt got = run_fmt(in, n);
        assert_int_equal(got.rc, 0);
        assert_string_equal(got.out, want.out);
        fmt_free(&got);
        free(in);
    }
    fmt_free(&want);
}

static void test_white_space_ignored(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "rubric R {\n  fact t: number -5..-1 = -2\n  item C max 10 {\n    t > 0 -> -5 # 注释\n"
        "\n\n    not (t < 0) -> (-t)\n    else -> -(t)\n  }\n  item Y max 100 {\n"
        "    score max(t,\n      min(t, 1) * 2\n    )\n  }\n}\n",
        "评分表 “全角” {\n  数据 完成率：百分比 0..100\n  指标 服务 权重 100％ {\n"
        "    完成率＞＝90→50 「好」\n    否则→0 }\n  测试 \"一\" { 完成率 ＝ 90；期望 总分 ＝＝ 50 "
        "}\n}\n",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_same_layout(cases[i], strlen(cases[i]));
}

/* The properties on every bundled rubric, when run from the checkout. */
static void test_bundled_rubrics(void **state)
{
    (void)state;
    glob_t g;
    if (glob("rubrics/*.rubric", 0, NULL, &g) != 0) {
        skip();
        return;
    }
    for (size_t i = 0; i < g.gl_pathc; i++) {
        Arena a;
        arena_init(&a);
        const char *err = NULL;
        const Source *src = source_load(&a, g.gl_pathv[i], &err);
        assert_non_null(src);
        Fmt r = run_fmt(src->text, src->len);
        assert_int_equal(r.rc, 0);
        Fmt again = run_fmt(r.out, r.out_len);
        assert_string_equal(again.out, r.out);
        same_tokens(src->text, src->len, r.out, r.out_len);
        expect_same_layout(src->text, src->len);
        fmt_free(&again);
        fmt_free(&r);
        arena_free(&a);
    }
    globfree(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spacing),
        cmocka_unit_test(test_unary_minus),
        cmocka_unit_test(test_arrow_alignment_cjk),
        cmocka_unit_test(test_comments),
        cmocka_unit_test(test_blank_lines),
        cmocka_unit_test(test_continuation_lines),
        cmocka_unit_test(test_fullwidth_kept),
        cmocka_unit_test(test_one_line_blocks),
        cmocka_unit_test(test_nested_sections),
        cmocka_unit_test(test_semicolons_tests_raters),
        cmocka_unit_test(test_bom_crlf_tabs),
        cmocka_unit_test(test_empty_and_comment_only),
        cmocka_unit_test(test_refuses_errors),
        cmocka_unit_test(test_white_space_ignored),
        cmocka_unit_test(test_bundled_rubrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
