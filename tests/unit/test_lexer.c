/* test_lexer.c - the scanner, seen through the token dump (`--dump-tokens`:
 * one line per token, "LINE:COL\ttext") and, where the dump cannot tell two
 * tokens apart (a full-width '＞＝' prints as written), through the syntax
 * tree: a full-width rubric must parse to the same tree as its ASCII twin.
 * Each test gets a fresh arena and an in-memory diagnostics sink, so the
 * exact text of every message is asserted. */
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

/* The token dump of text[0..n). */
static const char *tokens_n(Fx *x, const char *text, size_t n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    x->src = source_from_text(&x->a, "t.rubric", text, n);
    assert_null(parse_source(&x->a, x->src, &x->d, f));
    fclose(f);
    /* the dump ends with the end-of-file token; its position is not asserted
       here (see the report on where it points), only that it comes once, last */
    static const char eof[] = "\tend of file\n";
    assert_true(len >= sizeof eof - 1);
    assert_memory_equal(buf + len - (sizeof eof - 1), eof, sizeof eof - 1);
    size_t keep = len - (sizeof eof - 1);
    while (keep > 0 && buf[keep - 1] != '\n')
        keep--;
    char *r = arena_strndup(&x->a, buf, keep);
    free(buf);
    assert_null(strstr(r, "end of file"));
    return r;
}

static const char *tokens(Fx *x, const char *text)
{
    return tokens_n(x, text, strlen(text));
}

static const char *num_text(Fx *x, const Node *n)
{
    char buf[DEC_BUFSZ];
    assert_non_null(n);
    assert_int_equal(n->kind, AST_NUM);
    dec_format(n->num, buf);
    return arena_strndup(&x->a, buf, strlen(buf));
}

/* ---- every token kind ---- */

static void test_every_ascii_token(void **state)
{
    Fx *x = *state;
    const char *dump = tokens(x, "rubric R {\n"
                                 "  fact a: number 0..100 = 5 \"d\"\n"
                                 "  x@y = -2.5\n"
                                 "  a + b - c * d / e == f != g < h <= i > j >= k -> 20% , ; ( )\n"
                                 "}\n");
    assert_string_equal(dump,
                        "1:1\trubric\n1:8\tR\n1:10\t{\n"
                        "2:3\tfact\n2:8\ta\n2:9\t:\n2:11\tnumber\n2:18\t0\n2:19\t..\n2:21\t100\n"
                        "2:25\t=\n2:27\t5\n2:29\t\"d\"\n2:32\tline break\n"
                        "3:3\tx\n3:4\t@\n3:5\ty\n3:7\t=\n3:9\t-\n3:10\t2.5\n3:13\tline break\n"
                        "4:3\ta\n4:5\t+\n4:7\tb\n4:9\t-\n4:11\tc\n4:13\t*\n4:15\td\n4:17\t/\n"
                        "4:19\te\n4:21\t==\n4:24\tf\n4:26\t!=\n4:29\tg\n4:31\t<\n4:33\th\n"
                        "4:35\t<=\n4:38\ti\n4:40\t>\n4:42\tj\n4:44\t>=\n4:47\tk\n4:49\t->\n"
                        "4:52\t20%\n4:56\t,\n4:58\t;\n4:60\t(\n4:62\t)\n4:63\tline break\n"
                        "5:1\t}\n5:2\tline break\n");
    assert_int_equal(x->d.errors, 0);
    assert_string_equal(diags(x), "");
}

static void test_keywords_both_spellings(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"rubric", "评分表"}, {"section", "维度"},   {"group", "类别"},   {"item", "指标"},
        {"fact", "数据"},     {"weight", "权重"},    {"max", "满分"},     {"score", "得分"},
        {"else", "否则"},     {"and", "且"},         {"or", "或"},        {"not", "非"},
        {"grade", "评级"},    {"test", "测试"},      {"expect", "期望"},  {"round", "保留"},
        {"id", "标识"},       {"total", "总分"},     {"true", "是"},      {"false", "否"},
        {"number", "数值"},   {"percent", "百分比"}, {"integer", "整数"}, {"bool", "布尔"},
        {"text", "文本"},     {"output", "输出"},    {"veto", "否决"},    {"rater", "评价人"},
        {"quota", "配额"},
    };
    int seen[64];
    int nseen = 0;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        bool zh = true;
        int en = parse_keyword(pairs[i][0], strlen(pairs[i][0]), &zh);
        assert_int_not_equal(en, 0);
        assert_false(zh);
        int cn = parse_keyword(pairs[i][1], strlen(pairs[i][1]), &zh);
        assert_int_equal(cn, en);
        assert_true(zh);
        for (int j = 0; j < nseen; j++)
            assert_int_not_equal(seen[j], en); /* every keyword is its own token */
        seen[nseen++] = en;
    }
    assert_int_equal(nseen, 29);
    /* case-sensitive, whole words only, functions are not keywords */
    bool zh;
    assert_int_equal(parse_keyword("Rubric", 6, &zh), 0);
    assert_int_equal(parse_keyword("ITEM", 4, &zh), 0);
    assert_int_equal(parse_keyword("items", 5, &zh), 0);
    assert_int_equal(parse_keyword("满分率", strlen("满分率"), &zh), 0);
    assert_int_equal(parse_keyword("min", 3, &zh), 0);
    assert_int_equal(parse_keyword("clamp", 5, &zh), 0);
    /* a keyword given with its length: a prefix is not the keyword */
    assert_int_equal(parse_keyword("rubric", 3, &zh), 0);
}

static void test_keyword_tokens_stand_alone(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "评分表 维度 类别 指标 否则 且 或 非"),
                        "1:1\t评分表\n1:5\t维度\n1:8\t类别\n1:11\t指标\n1:14\t否则\n1:17\t且\n"
                        "1:19\t或\n1:21\t非\n");
    assert_int_equal(x->d.errors, 0);
}

/* ---- full-width input ---- */

static void test_fullwidth_operators_are_one_token_each(void **state)
{
    Fx *x = *state;
    const char *dump =
        tokens(x, "a＞＝b ≥ ≤ ≠ → （） ： ， ； ９０ ９０％ ＜＝ ！＝ ＝＝ －＞ × ÷ ＋ "
                  "－ ＊ ／ ｛ ｝ ＠ ．． ＞ ＜ ＝\n");
    assert_string_equal(dump, "1:1\ta\n1:2\t＞＝\n1:4\tb\n1:6\t≥\n1:8\t≤\n1:10\t≠\n1:12\t→\n"
                              "1:14\t（\n1:15\t）\n1:17\t：\n1:19\t，\n1:21\t；\n1:23\t９０\n"
                              "1:26\t９０％\n1:30\t＜＝\n1:33\t！＝\n1:36\t＝＝\n1:39\t－＞\n"
                              "1:42\t×\n1:44\t÷\n1:46\t＋\n1:48\t－\n1:50\t＊\n1:52\t／\n"
                              "1:54\t｛\n1:56\t｝\n1:58\t＠\n1:60\t．．\n1:63\t＞\n1:65\t＜\n"
                              "1:67\t＝\n1:68\tline break\n");
    assert_int_equal(x->d.errors, 0);
}

static void test_fullwidth_parses_like_ascii(void **state)
{
    Fx *x = *state;
    Node *ascii = parse(x, "rubric R {\n"
                           "  fact a: percent 0..100\n"
                           "  fact b: number 0..90\n"
                           "  item i max 100 {\n"
                           "    a >= 90 and b <= 80 -> 20\n"
                           "    a != 85% or b == 5 -> max(b, 3) * 2 / 1\n"
                           "    a > 1 -> (b + 1) - 2\n"
                           "    a < 2; else -> 0\n"
                           "  }\n"
                           "}\n");
    assert_non_null(ascii);
    Node *wide = parse(x, "rubric R ｛\n"
                          "  fact a： percent ０．．１００\n"
                          "  fact b: number ０..９０\n"
                          "  item i max １００ ｛\n"
                          "    a ≥ ９０ and b ≤ ８０ → ２０\n"
                          "    a ≠ ８５％ or b ＝＝ ５ －＞ max（b， ３） × ２ ÷ １\n"
                          "    a ＞ １ -> （b ＋ １） － ２\n"
                          "    a ＜ ２； else → ０\n"
                          "  ｝\n"
                          "｝\n");
    assert_non_null(wide);
    /* the rule `a < 2` has no arrow: both report the same single error */
    assert_int_equal(x->d.errors, 2);
    assert_string_equal(tree(x, wide), tree(x, ascii));
    const Node *item = wide->kids[2];
    assert_int_equal(item->kind, AST_ITEM);
    assert_string_equal(num_text(x, item->max), "100");
    const Node *r0 = item->kids[0];
    assert_int_equal(r0->kind, AST_RULE);
    assert_int_equal(r0->a->kind, AST_AND);
    assert_int_equal(r0->a->a->kind, AST_CHAIN);
    assert_int_equal(r0->a->a->ops[0], OP_GE);
    assert_string_equal(num_text(x, r0->a->a->kids[1]), "90");
    assert_int_equal(r0->a->b->ops[0], OP_LE);
    const Node *r1 = item->kids[1];
    assert_int_equal(r1->a->a->ops[0], OP_NE);
    assert_true(r1->a->a->kids[1]->pct);
    assert_string_equal(num_text(x, r1->a->a->kids[1]), "0.85");
    assert_int_equal(r1->a->b->ops[0], OP_EQ);
    assert_int_equal(r1->b->kind, AST_BIN);
    assert_int_equal(r1->b->op, OP_DIV);
    assert_int_equal(r1->b->a->op, OP_MUL);
    const Node *fb = wide->kids[1];
    assert_string_equal(num_text(x, fb->lo), "0");
    assert_string_equal(num_text(x, fb->hi), "90");
}

static void test_fullwidth_digits_in_names_fold(void **state)
{
    Fx *x = *state;
    Node *r =
        parse(x, "rubric R {\n  fact 完成率２: number\n  item i max 1 { score 完成率2 }\n}\n");
    assert_non_null(r);
    assert_int_equal(x->d.errors, 0);
    assert_string_equal(r->kids[0]->name, "完成率2");
    assert_string_equal(r->kids[1]->kids[0]->a->name, "完成率2");
}

static void test_fullwidth_letters_make_names(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "ａｂｃ 得分Ａ"), "1:1\tａｂｃ\n1:5\t得分Ａ\n");
    assert_int_equal(x->d.errors, 0);
    Node *r = parse(x, "rubric R {\n  fact ａｂｃ: number 0..5\n  item i { score abc }\n}\n");
    assert_non_null(r);
    assert_int_equal(x->d.errors, 0);
    assert_string_equal(r->kids[0]->name, "abc");
    assert_string_equal(r->kids[1]->kids[0]->a->name, "abc");
}

static void test_unicode_spaces(void **state)
{
    Fx *x = *state;
    /* U+00A0, U+3000, U+2003 and a tab separate tokens like a space */
    assert_string_equal(tokens(x, "a\xc2\xa0"
                                  "b\xe3\x80\x80"
                                  "c\xe2\x80\x83"
                                  "d\te"),
                        "1:1\ta\n1:3\tb\n1:5\tc\n1:7\td\n1:9\te\n");
    assert_int_equal(x->d.errors, 0);
}

/* ---- BOM, CRLF, comments ---- */

static void test_bom_is_skipped(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "\xef\xbb\xbfrubric R"), "1:1\trubric\n1:8\tR\n");
    assert_int_equal(x->d.errors, 0);
    /* columns of diagnostics do not count the BOM either */
    assert_string_equal(tokens(x, "\xef\xbb\xbf"
                                  "a、"),
                        "1:1\ta\n");
    assert_string_equal(
        diags(x), "t.rubric:1:2: error: the Chinese punctuation '、' has no meaning in a rubric "
                  "[lexical]\n"
                  "    1 | a、\n"
                  "      |  ^~\n"
                  "hint: Put descriptions in quotes, separate arguments with ',' and write names "
                  "with letters, digits and '_' only.\n");
}

static void test_crlf_is_a_line_break(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "a\r\nb\r\n\r\nc"),
                        "1:1\ta\n1:3\tline break\n2:1\tb\n2:3\tline break\n4:1\tc\n");
}

static void test_crlf_diagnostic_line_has_no_cr(void **state)
{
    Fx *x = *state;
    tokens(x, "a\r\nb 、\r\nc");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(
        diags(x), "t.rubric:2:3: error: the Chinese punctuation '、' has no meaning in a rubric "
                  "[lexical]\n"
                  "    2 | b 、\n"
                  "      |   ^~\n"
                  "hint: Put descriptions in quotes, separate arguments with ',' and write names "
                  "with letters, digits and '_' only.\n");
}

static void test_comments(void **state)
{
    Fx *x = *state;
    /* a comment ends at the line break, which stays; a line holding only a
       comment gives no second line break */
    assert_string_equal(tokens(x, "a # c -> 1 \"x\n\n  # only\nb ＃ 全角 # 注释\nc#d"),
                        "1:1\ta\n1:14\tline break\n4:1\tb\n4:12\tline break\n5:1\tc\n");
    assert_int_equal(x->d.errors, 0);
}

/* ---- names and strings ---- */

static void test_backquoted_names(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "`2小时响应率` `得分` `a b`"),
                        "1:1\t`2小时响应率`\n1:10\t`得分`\n1:15\t`a b`\n");
    assert_int_equal(x->d.errors, 0);
    Node *r = parse(x, "rubric R {\n"
                       "  fact `2小时响应率`: percent\n"
                       "  fact `得分`: number 0..10\n"
                       "  fact `score`: number 0..10\n"
                       "  item i { score `得分` + `score` }\n"
                       "}\n");
    assert_non_null(r);
    assert_int_equal(x->d.errors, 0);
    assert_int_equal(r->kids[0]->kind, AST_FACT);
    assert_string_equal(r->kids[0]->name, "2小时响应率");
    assert_string_equal(r->kids[1]->name, "得分");
    assert_string_equal(r->kids[2]->name, "score");
    const Node *sum = r->kids[3]->kids[0]->a;
    assert_int_equal(sum->kind, AST_BIN);
    assert_int_equal(sum->a->kind, AST_NAME);
    assert_string_equal(sum->a->name, "得分");
    assert_int_equal(sum->b->kind, AST_NAME);
    assert_string_equal(sum->b->name, "score");
}

static void test_empty_and_unterminated_backquotes(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "`` `q\nz"), "1:1\t``\n1:4\t`q\n1:6\tline break\n2:1\tz\n");
    assert_int_equal(x->d.errors, 2);
    assert_string_equal(diags(x),
                        "t.rubric:1:1: error: empty name between backquotes [lexical]\n"
                        "    1 | `` `q\n"
                        "      | ^~\n"
                        "t.rubric:1:4: error: unterminated name: the closing ` is missing "
                        "on this line [lexical]\n"
                        "    1 | `` `q\n"
                        "      |    ^~\n");
}

static void test_chinese_quotes(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "“中 文” 「甲」 \"x\" “a—b≥”"),
                        "1:1\t“中 文”\n1:7\t「甲」\n1:11\t\"x\"\n1:15\t“a—b≥”\n");
    assert_int_equal(x->d.errors, 0);
    Node *r = parse(x, "rubric “考核” {\n"
                       "  fact a: number 0..10 「说明」\n"
                       "  item i “指标说明” { a > 1 -> 1 “标签”; else -> 0 \"x\" }\n"
                       "}\n");
    assert_non_null(r);
    assert_int_equal(x->d.errors, 0);
    assert_string_equal(r->name, "考核");
    assert_string_equal(r->kids[0]->str, "说明");
    assert_string_equal(r->kids[1]->str, "指标说明");
    assert_string_equal(r->kids[1]->kids[0]->str, "标签");
    assert_string_equal(r->kids[1]->kids[1]->str, "x");
}

static void test_quotes_close_with_their_partner(void **state)
{
    Fx *x = *state;
    /* “ does not close with 」 or ", so the text runs to the end of the line */
    assert_string_equal(tokens(x, "“a」\" b\nc"), "1:1\t“a」\" b\n1:7\tline break\n2:1\tc\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(
        diags(x), "t.rubric:1:1: error: unterminated text: the closing quote is missing on this "
                  "line [lexical]\n"
                  "    1 | “a」\" b\n"
                  "      | ^~~~~~~\n"
                  "hint: A quoted text must end on the line it starts; close it with its partner "
                  "quote.\n");
}

static void test_unterminated_strings(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "a \"abc\nb “x\nc 「y\nd"),
                        "1:1\ta\n1:3\t\"abc\n1:7\tline break\n2:1\tb\n2:3\t“x\n2:5\tline break\n"
                        "3:1\tc\n3:3\t「y\n3:5\tline break\n4:1\td\n");
    assert_int_equal(x->d.errors, 3);
    assert_string_equal(
        diags(x), "t.rubric:1:3: error: unterminated text: the closing quote is missing on this "
                  "line [lexical]\n"
                  "    1 | a \"abc\n"
                  "      |   ^~~~\n"
                  "hint: A quoted text must end on the line it starts; close it with its partner "
                  "quote.\n"
                  "t.rubric:2:3: error: unterminated text: the closing quote is missing on this "
                  "line [lexical]\n"
                  "    2 | b “x\n"
                  "      |   ^~\n"
                  "hint: A quoted text must end on the line it starts; close it with its partner "
                  "quote.\n"
                  "t.rubric:3:3: error: unterminated text: the closing quote is missing on this "
                  "line [lexical]\n"
                  "    3 | c 「y\n"
                  "      |   ^~~\n"
                  "hint: A quoted text must end on the line it starts; close it with its partner "
                  "quote.\n");
}

static void test_glued_chinese_keyword_is_one_name(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "完成率>=90且满意度>=80 且 满意度"),
                        "1:1\t完成率\n1:4\t>=\n1:6\t90\n1:8\t且满意度\n1:12\t>=\n1:14\t80\n"
                        "1:17\t且\n1:19\t满意度\n");
    assert_int_equal(x->d.errors, 0);
    assert_string_equal(parse_glued_keyword("且满意度"), "且");
    assert_string_equal(parse_glued_keyword("否则加分"), "否则"); /* the longest keyword wins */
    assert_string_equal(parse_glued_keyword("否决权"), "否决");
    assert_null(parse_glued_keyword("且"));
    assert_null(parse_glued_keyword("满意度"));
    assert_null(parse_glued_keyword("andx"));
}

static void test_glued_keyword_syntax_hint(void **state)
{
    Fx *x = *state;
    Node *r = parse(x, "rubric R {\n"
                       "  fact 完成率: percent\n"
                       "  fact 满意度: number\n"
                       "  item i max 1 {\n"
                       "    完成率>=90且满意度>=80 -> 1\n"
                       "    else -> 0\n"
                       "  }\n"
                       "}\n");
    assert_non_null(r);
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(
        diags(x),
        "t.rubric:5:12: error: unexpected '且满意度', expected '->' or an operator [syntax]\n"
        "    5 |     完成率>=90且满意度>=80 -> 1\n"
        "      |               ^~~~~~~~\n"
        "hint: A Chinese keyword must stand alone: '且满意度' is read as one "
        "name; write '且 满意度'.\n");
}

/* ---- statement ends ---- */

static void test_no_statement_end_after_operators(void **state)
{
    Fx *x = *state;
    /* each pair of lines is one statement: no line break between them */
    const char *ops[] = {"+",  "-",  "*",  "/", "==", "!=", "<", "<=", ">",  ">=", "and",
                         "且", "or", "或", ",", "{",  "->", "→", "≥",  "＋", "（"};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++) {
        char text[64], want[128];
        snprintf(text, sizeof text, "a %s\nb", ops[i]);
        snprintf(want, sizeof want, "1:1\ta\n1:3\t%s\n2:1\tb\n", ops[i]);
        const char *got = tokens(x, text);
        if (strcmp(got, want) != 0)
            fail_msg("after '%s': got\n%s", ops[i], got);
    }
    /* not, in both spellings, at the start of a line */
    assert_string_equal(tokens(x, "not\nb\n非\nc"),
                        "1:1\tnot\n2:1\tb\n2:2\tline break\n3:1\t非\n4:1\tc\n");
}

static void test_statement_end_after_operands(void **state)
{
    Fx *x = *state;
    /* names, numbers, texts, ')' and '}' end a statement at the line break */
    assert_string_equal(tokens(x, "a\n1\n\"t\"\n(x)\n}\nb"),
                        "1:1\ta\n1:2\tline break\n2:1\t1\n2:2\tline break\n3:1\t\"t\"\n"
                        "3:4\tline break\n4:1\t(\n4:2\tx\n4:3\t)\n4:4\tline break\n5:1\t}\n"
                        "5:2\tline break\n6:1\tb\n");
}

static void test_no_statement_end_inside_parentheses(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "f(a\nb\n(c\n)\n)\nd"),
                        "1:1\tf\n1:2\t(\n1:3\ta\n2:1\tb\n3:1\t(\n3:2\tc\n4:1\t)\n5:1\t)\n"
                        "5:2\tline break\n6:1\td\n");
}

static void test_blank_lines_and_semicolons(void **state)
{
    Fx *x = *state;
    /* a run of line breaks is one; ';' separates statements on one line */
    assert_string_equal(tokens(x, "\n\na\n\n\nb;c；d\n"),
                        "3:1\ta\n3:2\tline break\n6:1\tb\n6:2\t;\n6:3\tc\n6:4\t；\n6:5\td\n"
                        "6:6\tline break\n");
}

/* ---- errors ---- */

static void test_invalid_utf8_byte(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens_n(x, "完成\xff率 ab", 13), "1:1\t完成\n1:4\t率\n1:6\tab\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:1:3: error: these bytes are not valid UTF-8 [encoding]\n"
                        "    1 | 完成\xef\xbf\xbd率 ab\n"
                        "      |     ^\n"
                        "hint: Save the rubric file as UTF-8.\n");
}

static void test_invalid_utf8_reported_once(void **state)
{
    Fx *x = *state;
    /* a run of bad bytes is one mistake, and a second run is not reported again */
    assert_string_equal(tokens(x, "a\n\xc0 b \xff"), "1:1\ta\n1:2\tline break\n2:3\tb\n");
    assert_int_equal(x->d.errors, 1);
    assert_non_null(
        strstr(diags(x), "t.rubric:2:1: error: these bytes are not valid UTF-8 [encoding]\n"));
}

static void test_file_in_another_encoding(void **state)
{
    Fx *x = *state;
    /* 考核 in GB18030: four bytes that are not UTF-8 make one message for the file */
    assert_null(parse(x, "rubric R {\n  item \xbf\xbc\xba\xcb { score 1 }\n}\n"));
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(
        diags(x), "t.rubric:2:8: error: this file is not UTF-8 text [encoding]\n"
                  "    2 |   item \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd { score 1 }\n"
                  "      |        ^\n"
                  "hint: It looks saved as GBK/GB18030; save the rubric as UTF-8 "
                  "(另存为 → 编码 UTF-8).\n");
}

static void test_invalid_utf8_in_text(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "\"a\xff\" `b\xfe`"), "1:1\t\"a\xff\"\n1:6\t`b\xfe`\n");
    assert_int_equal(x->d.errors, 2);
    const char *out = diags(x);
    assert_non_null(strstr(out, "t.rubric:1:1: error: this text is not valid UTF-8 [lexical]\n"
                                "    1 | \"a\xef\xbf\xbd\" `b\xef\xbf\xbd`\n"
                                "      | ^~~~\n"));
    assert_non_null(strstr(out, "t.rubric:1:6: error: this name is not valid UTF-8 [lexical]\n"
                                "    1 | \"a\xef\xbf\xbd\" `b\xef\xbf\xbd`\n"
                                "      |      ^~~~\n"));
}

static void test_chinese_punctuation(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "a、b。c"), "1:1\ta\n1:3\tb\n1:5\tc\n");
    assert_int_equal(x->d.errors, 2);
    assert_string_equal(
        diags(x), "t.rubric:1:2: error: the Chinese punctuation '、' has no meaning in a rubric "
                  "[lexical]\n"
                  "    1 | a、b。c\n"
                  "      |  ^~\n"
                  "hint: Put descriptions in quotes, separate arguments with ',' and write names "
                  "with letters, digits and '_' only.\n"
                  "t.rubric:1:4: error: the Chinese punctuation '。' has no meaning in a rubric "
                  "[lexical]\n"
                  "    1 | a、b。c\n"
                  "      |     ^~\n"
                  "hint: Put descriptions in quotes, separate arguments with ',' and write names "
                  "with letters, digits and '_' only.\n");
}

static void test_every_chinese_punctuation_mark(void **state)
{
    Fx *x = *state;
    const char *marks[] = {"、", "。", "《", "》", "【", "】", "…", "—", "·", "‘", "’"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        char text[32], want[160];
        snprintf(text, sizeof text, "名%s称", marks[i]);
        assert_string_equal(tokens(x, text), "1:1\t名\n1:3\t称\n");
        snprintf(want, sizeof want,
                 "t.rubric:1:2: error: the Chinese punctuation '%s' has no meaning in a rubric "
                 "[lexical]\n",
                 marks[i]);
        assert_non_null(strstr(diags(x), want));
    }
    assert_int_equal(x->d.errors, 11);
}

static void test_other_characters(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "a $ & b"), "1:1\ta\n1:7\tb\n");
    assert_int_equal(x->d.errors, 2);
    assert_string_equal(diags(x), "t.rubric:1:3: error: unexpected character '$' [lexical]\n"
                                  "    1 | a $ & b\n"
                                  "      |   ^\n"
                                  "t.rubric:1:5: error: unexpected character '&' [lexical]\n"
                                  "    1 | a $ & b\n"
                                  "      |     ^\n"
                                  "hint: Write and (or 且) to require both conditions.\n");
}

static void test_other_symbols(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "a ☆ b"), "1:1\ta\n1:5\tb\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:1:3: error: unexpected character '☆' (U+2606) [lexical]\n"
                        "    1 | a ☆ b\n"
                        "      |   ^\n");
}

/* ---- numbers ---- */

static void test_numbers(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "0..100 20% 92.5 ９２．５ ５％ 1..2.5"),
                        "1:1\t0\n1:2\t..\n1:4\t100\n1:8\t20%\n1:12\t92.5\n1:17\t９２．５\n"
                        "1:22\t５％\n1:25\t1\n1:26\t..\n1:28\t2.5\n");
    assert_int_equal(x->d.errors, 0);
    Node *r = parse(x, "rubric R {\n"
                       "  fact a: number 0..100 = 92.5\n"
                       "  fact b: percent 0..100% = 20%\n"
                       "  fact c: number -10..１０\n"
                       "}\n");
    assert_non_null(r);
    assert_int_equal(x->d.errors, 0);
    assert_string_equal(num_text(x, r->kids[0]->lo), "0");
    assert_string_equal(num_text(x, r->kids[0]->hi), "100");
    assert_false(r->kids[0]->hi->pct);
    assert_string_equal(num_text(x, r->kids[0]->a), "92.5");
    assert_true(r->kids[1]->hi->pct);
    assert_string_equal(num_text(x, r->kids[1]->hi), "1"); /* a percent holds its fraction */
    assert_true(r->kids[1]->a->pct);
    assert_string_equal(num_text(x, r->kids[1]->a), "0.2");
    assert_string_equal(num_text(x, r->kids[2]->lo), "-10");
    assert_string_equal(num_text(x, r->kids[2]->hi), "10");
}

static void test_percent_must_touch(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, "20 %"), "1:1\t20\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x),
                        "t.rubric:1:4: error: '%' must touch the number before it [lexical]\n"
                        "    1 | 20 %\n"
                        "      |    ^\n"
                        "hint: Write the percent sign right after the number, e.g. 20%.\n");
}

static void test_number_starting_with_point(void **state)
{
    Fx *x = *state;
    assert_string_equal(tokens(x, ".5"), "1:1\t.5\n");
    assert_int_equal(x->d.errors, 1);
    assert_string_equal(diags(x), "t.rubric:1:1: error: a number cannot start with '.' [lexical]\n"
                                  "    1 | .5\n"
                                  "      | ^~\n"
                                  "hint: Write 0.5.\n");
}

static void test_too_many_decimals(void **state)
{
    Fx *x = *state;
    /* 18 digits after the point are fine, 19 are not; a percent keeps 16 */
    tokens(x, "0.123456789012345678 0.1234567890123456789\n"
              "1.1234567890123456% 1.12345678901234567%\n"
              "99999999999999999999 100000000000000000000");
    assert_int_equal(x->d.errors, 3);
    assert_string_equal(
        diags(x), "t.rubric:1:22: error: too many digits after the point (at most 18) "
                  "[lexical]\n"
                  "    1 | 0.123456789012345678 0.1234567890123456789\n"
                  "      |                      ^~~~~~~~~~~~~~~~~~~~~\n"
                  "t.rubric:2:21: error: too many digits after the point (a percent has at "
                  "most 16) [lexical]\n"
                  "    2 | 1.1234567890123456% 1.12345678901234567%\n"
                  "      |                     ^~~~~~~~~~~~~~~~~~~~\n"
                  "t.rubric:3:22: error: number too large (at most 20 digits before the point) "
                  "[lexical]\n"
                  "    3 | 99999999999999999999 100000000000000000000\n"
                  "      |                      ^~~~~~~~~~~~~~~~~~~~~\n");
}

/* regression: the end-of-file token carried the last token's position */
static void test_eof_position(void **state)
{
    Fx *x = *state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    Source *src = source_from_text(&x->a, "t.rubric", "\"x\"", 3);
    parse_source(&x->a, src, &x->d, f);
    fclose(f);
    assert_string_equal(buf, "1:1\t\"x\"\n1:4\tend of file\n");
    free(buf);
}

/* regression: the full-width underscore was not folded into names */
static void test_fullwidth_underscore(void **state)
{
    Fx *x = *state;
    Node *r = parse(x, "rubric R {\n  fact x＿y: number\n}\n");
    assert_int_equal(x->d.errors, 0);
    assert_string_equal(r->kids[0]->name, "x_y");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_eof_position, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fullwidth_underscore, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_ascii_token, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keywords_both_spellings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyword_tokens_stand_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fullwidth_operators_are_one_token_each, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_fullwidth_parses_like_ascii, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fullwidth_digits_in_names_fold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fullwidth_letters_make_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unicode_spaces, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bom_is_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_is_a_line_break, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crlf_diagnostic_line_has_no_cr, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backquoted_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_and_unterminated_backquotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chinese_quotes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quotes_close_with_their_partner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unterminated_strings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_glued_chinese_keyword_is_one_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_glued_keyword_syntax_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_statement_end_after_operators, setup, teardown),
        cmocka_unit_test_setup_teardown(test_statement_end_after_operands, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_statement_end_inside_parentheses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_blank_lines_and_semicolons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_reported_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_in_another_encoding, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_utf8_in_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chinese_punctuation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_chinese_punctuation_mark, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_characters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_other_symbols, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_percent_must_touch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_number_starting_with_point, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_many_decimals, setup, teardown),
    };
    return cmocka_run_group_tests_name("lexer", tests, NULL, NULL);
}
