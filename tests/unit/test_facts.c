/* test_facts.c - the fact readers: fact files, CSV, folders, standard input,
 * encodings, and facts_value. Fixture files are written by the tests into a
 * fresh temporary folder, so each test shows the exact bytes it reads. */
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "arena.h"
#include "decimal.h"
#include "facts.h"
#include "facts_impl.h"
#include "utf8.h"

static char tmpdir[256];

/* tmpdir/name, in one of a few rotating buffers. */
static const char *at(const char *name)
{
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", tmpdir, name);
    return b;
}

static void put_n(const char *name, const char *data, size_t n)
{
    FILE *f = fopen(at(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void put(const char *name, const char *text)
{
    put_n(name, text, strlen(text));
}

static int setup(void **state)
{
    (void)state;
    const char *t = getenv("TMPDIR");
#ifdef P_tmpdir
    const char *dflt = P_tmpdir;
#else
    const char *dflt = ".";
#endif
    snprintf(tmpdir, sizeof tmpdir, "%s/test_facts.XXXXXX", t && *t ? t : dflt);
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

typedef struct {
    FactReader *r;
    Arena a;
    FactRecord rec;
} Rd;

static void rd_open_n(Rd *x, const char *const *paths, size_t n)
{
    x->r = facts_open(paths, n);
    assert_non_null(x->r);
    arena_init(&x->a);
}

static void rd_open(Rd *x, const char *path)
{
    rd_open_n(x, &path, 1);
}

static bool rd_next(Rd *x)
{
    arena_reset(&x->a);
    if (!facts_next(x->r, &x->a, &x->rec))
        return false;
    if (x->rec.row) { /* a plain CSV row: its cells as any other row's */
        x->rec.cells = facts_row_cells(&x->rec, &x->a);
        x->rec.ncells = x->rec.nheader;
    }
    return true;
}

static void rd_close(Rd *x)
{
    facts_close(x->r);
    arena_free(&x->a);
}

static void assert_text(const char *p, size_t n, const char *want)
{
    char *got = strndup(p, n);
    assert_string_equal(got, want);
    free(got);
}

static void check_cell(const FactCell *c, const char *key, const char *val, bool quoted, int line,
                       int col)
{
    assert_text(c->key, c->key_len, key);
    assert_text(c->val, c->val_len, val);
    assert_int_equal(c->quoted, quoted);
    assert_int_equal(c->line, line);
    assert_int_equal(c->col, col);
}

/* Read the single record of a fact file holding text. */
static void read_one(Rd *x, const char *name, const char *text)
{
    put(name, text);
    rd_open(x, at(name));
    assert_true(rd_next(x));
}

static void expect_end(Rd *x)
{
    assert_false(rd_next(x));
    rd_close(x);
}

/* ---- fact files ---- */

static void test_fact_basic(void **state)
{
    (void)state;
    Rd x;
    read_one(&x, "张三.facts",
             "# 张三 2026年11月\n工号 = E1001\n姓名 = 张三\n完成率 = 92%\n投诉2小时响应 = 是\n");
    assert_null(x.rec.error);
    assert_string_equal(x.rec.source, at("张三.facts"));
    assert_string_equal(x.rec.path, at("张三.facts"));
    assert_string_equal(x.rec.default_id, "张三");
    assert_int_equal(x.rec.line, 1);
    assert_false(x.rec.is_csv);
    assert_null(x.rec.header);
    assert_int_equal(x.rec.ncells, 4);
    check_cell(&x.rec.cells[0], "工号", "E1001", false, 2, -1);
    check_cell(&x.rec.cells[1], "姓名", "张三", false, 3, -1);
    check_cell(&x.rec.cells[2], "完成率", "92%", false, 4, -1);
    check_cell(&x.rec.cells[3], "投诉2小时响应", "是", false, 5, -1);
    expect_end(&x);
}

static void test_fact_comments_blank_empty(void **state)
{
    (void)state;
    Rd x;
    read_one(&x, "c.facts",
             "  # indented comment\n"
             "＃ full-width comment\n"
             "\n"
             "   \t\n"
             "a = 5 # five\n"
             "b\t=\t6＃six\n"
             "c =\n"
             "d = # nothing but a comment\n"
             "e = x#y\n"
             "no final newline = 7");
    assert_null(x.rec.error);
    assert_int_equal(x.rec.ncells, 6);
    check_cell(&x.rec.cells[0], "a", "5", false, 5, -1);
    check_cell(&x.rec.cells[1], "b", "6", false, 6, -1);
    check_cell(&x.rec.cells[2], "c", "", false, 7, -1);
    check_cell(&x.rec.cells[3], "d", "", false, 8, -1);
    check_cell(&x.rec.cells[4], "e", "x", false, 9, -1);
    check_cell(&x.rec.cells[5], "no final newline", "7", false, 10, -1);
    expect_end(&x);
}

static void test_fact_quotes(void **state)
{
    (void)state;
    Rd x;
    read_one(&x, "q.facts",
             "a = \"x # not a comment\"\n"
             "b = “ 你好 ” # greeting\n"
             "c =「A=B」\n"
             "d = \"\"\n"
             "e = 「“mixed”」\n");
    assert_null(x.rec.error);
    assert_int_equal(x.rec.ncells, 5);
    check_cell(&x.rec.cells[0], "a", "x # not a comment", true, 1, -1);
    check_cell(&x.rec.cells[1], "b", " 你好 ", true, 2, -1);
    check_cell(&x.rec.cells[2], "c", "A=B", true, 3, -1);
    check_cell(&x.rec.cells[3], "d", "", true, 4, -1);
    check_cell(&x.rec.cells[4], "e", "“mixed”", true, 5, -1);
    expect_end(&x);
}

static void test_fact_quote_errors(void **state)
{
    (void)state;
    Rd x;
    read_one(&x, "q1.facts", "ok = 1\na = “abc\"\nb = \"x\n");
    assert_string_equal(x.rec.error, "line 2: the quote “ is not closed (expected ”); "
                                     "line 3: the quote \" is not closed (expected \")");
    assert_int_equal(x.rec.ncells, 3);
    expect_end(&x);

    read_one(&x, "q2.facts", "a = \"x\" y # z\n");
    assert_string_equal(x.rec.error, "line 1: unexpected text after the closing quote: \"y # z\"");
    expect_end(&x);

    read_one(&x, "q3.facts", "a = 「x」 # fine\n");
    assert_null(x.rec.error);
    check_cell(&x.rec.cells[0], "a", "x", true, 1, -1);
    expect_end(&x);
}

static void test_fact_fullwidth_equals_and_spaces(void **state)
{
    (void)state;
    Rd x;
    read_one(&x, "fw.facts",
             "　完成率　＝　９２％　\n名称＝a = b\n备注 = a＝b ＃ 注\n（甲） = 1\n代号＝Ｅ＝１\n");
    assert_null(x.rec.error);
    assert_int_equal(x.rec.ncells, 5);
    /* keys and values are trimmed, not folded; the first = or ＝ splits */
    check_cell(&x.rec.cells[0], "完成率", "９２％", false, 1, -1);
    check_cell(&x.rec.cells[1], "名称", "a = b", false, 2, -1);
    check_cell(&x.rec.cells[2], "备注", "a＝b", false, 3, -1);
    check_cell(&x.rec.cells[3], "（甲）", "1", false, 4, -1);
    check_cell(&x.rec.cells[4], "代号", "Ｅ＝１", false, 5, -1);
    expect_end(&x);
}

static void test_fact_crlf_bom(void **state)
{
    (void)state;
    Rd x;
    read_one(&x, "bom.facts", "\xEF\xBB\xBF工号 = E1\r\n\r\n# c\r\n姓名 = \"李四\"\r\n分数 = 90");
    assert_null(x.rec.error);
    assert_int_equal(x.rec.ncells, 3);
    check_cell(&x.rec.cells[0], "工号", "E1", false, 1, -1);
    check_cell(&x.rec.cells[1], "姓名", "李四", true, 4, -1);
    check_cell(&x.rec.cells[2], "分数", "90", false, 5, -1);
    expect_end(&x);
}

static void test_fact_missing_equals(void **state)
{
    (void)state;
    Rd x;
    read_one(&x, "m.facts", "a = 1\nb = 2\n  xyz  \n= 5\nc = 3\n");
    /* every bad line is reported, and stands among the cells in line order */
    assert_string_equal(x.rec.error, "line 3: expected NAME = VALUE, got \"xyz\"; "
                                     "line 4: expected NAME = VALUE, got \"= 5\"");
    assert_int_equal(x.rec.ncells, 5);
    assert_null(x.rec.cells[2].key);
    assert_string_equal(x.rec.cells[2].error, "line 3: expected NAME = VALUE, got \"xyz\"");
    assert_int_equal(x.rec.cells[3].line, 4);
    check_cell(&x.rec.cells[4], "c", "3", false, 5, -1);
    expect_end(&x);

    read_one(&x, "m2.facts", "# only the name is missing\n　＝ 5\n");
    assert_string_equal(x.rec.error, "line 2: expected NAME = VALUE, got \"＝ 5\"");
    expect_end(&x);

    read_one(&x, "m3.facts",
             "this line is a long run of text with no equals sign at all, far too long\n");
    assert_string_equal(x.rec.error, "line 1: expected NAME = VALUE, got \"this line is a long "
                                     "run of text with no …\"");
    expect_end(&x);
}

static void test_fact_empty_file(void **state)
{
    (void)state;
    Rd x;
    read_one(&x, "empty.facts", "");
    assert_null(x.rec.error);
    assert_int_equal(x.rec.ncells, 0);
    assert_string_equal(x.rec.default_id, "empty");
    expect_end(&x);
}

static void test_fact_gb18030(void **state)
{
    (void)state;
    Rd x;
    /* "工号 = E1001\n姓名 = 张三\n表情 = 😀\n" in GB18030 (😀 is a four-byte code) */
    static const char gb[] = "\xb9\xa4\xba\xc5 = E1001\n\xd0\xd5\xc3\xfb = \xd5\xc5\xc8\xfd\n"
                             "\xb1\xed\xc7\xe9 = \x94\x39\xfc\x36\n";
    put_n("gb.facts", gb, sizeof gb - 1);
    rd_open(&x, at("gb.facts"));
    assert_true(rd_next(&x));
    assert_null(x.rec.error);
    assert_int_equal(x.rec.ncells, 3);
    check_cell(&x.rec.cells[0], "工号", "E1001", false, 1, -1);
    check_cell(&x.rec.cells[1], "姓名", "张三", false, 2, -1);
    check_cell(&x.rec.cells[2], "表情", "😀", false, 3, -1);
    expect_end(&x);
}

static void test_fact_bad_encoding(void **state)
{
    (void)state;
    Rd x;
    static const char bad[] = "a = 1\nb = 2\nc = \x80\xff\n";
    put_n("bad.facts", bad, sizeof bad - 1);
    rd_open(&x, at("bad.facts"));
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "line 3: not valid UTF-8 or GB18030 text");
    expect_end(&x);

    /* UTF-8 first, then a byte that is neither */
    static const char late[] = "名 = 张三\nb = \xff\n";
    put_n("late.facts", late, sizeof late - 1);
    rd_open(&x, at("late.facts"));
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "line 2: not valid UTF-8 or GB18030 text");
    expect_end(&x);

    /* GB18030 first, then a byte iconv rejects */
    static const char gbbad[] = "\xd5\xc5 = 1\nb = \x85\x30\x81\x30\n";
    put_n("gbbad.facts", gbbad, sizeof gbbad - 1);
    rd_open(&x, at("gbbad.facts"));
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "line 2: not valid UTF-8 or GB18030 text");
    expect_end(&x);
}

static void test_default_id_and_missing(void **state)
{
    (void)state;
    Rd x;
    read_one(&x, "a.b.facts", "x = 1\n");
    assert_string_equal(x.rec.default_id, "a.b");
    expect_end(&x);
    read_one(&x, "noext", "x = 1\n");
    assert_string_equal(x.rec.default_id, "noext");
    expect_end(&x);

    rd_open(&x, at("nobody.facts"));
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "cannot read: No such file or directory");
    assert_string_equal(x.rec.source, at("nobody.facts"));
    assert_string_equal(x.rec.default_id, "nobody");
    assert_int_equal(x.rec.ncells, 0);
    expect_end(&x);

    rd_open(&x, at("missing.CSV"));
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "cannot read: No such file or directory");
    assert_true(x.rec.is_csv);
    expect_end(&x);
}

/* ---- folders ---- */

static void test_folder_order(void **state)
{
    (void)state;
    assert_int_equal(mkdir(at("team"), 0700), 0);
    put("team/b.facts", "n = b\n");
    put("team/a.facts", "n = a\n");
    put("team/B.facts", "n = B\n");
    put("team/张三.facts", "n = 张三\n");
    put("team/notes.txt", "n = no\n");
    put("team/.hidden.facts", "n = no\n");
    put("team/x.facts.bak", "n = no\n");
    assert_int_equal(mkdir(at("team/dir.facts"), 0700), 0);
    assert_int_equal(symlink("loop.facts", at("team/loop.facts")), 0);

    static const char *const want[][2] = {
        {"B.facts", "B"},
        {"a.facts", "a"},
        {"b.facts", "b"},
        {"dir.facts", "cannot read: Is a directory"},
        {"loop.facts", "cannot read: Too many levels of symbolic links"},
        {"张三.facts", "张三"},
    };
    for (int slash = 0; slash < 2; slash++) {
        char dir[600];
        snprintf(dir, sizeof dir, "%s%s", at("team"), slash ? "/" : "");
        Rd x;
        rd_open(&x, dir);
        for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
            assert_true(rd_next(&x));
            char src[700];
            snprintf(src, sizeof src, "%s/team/%s", tmpdir, want[i][0]);
            assert_string_equal(x.rec.source, src);
            assert_string_equal(x.rec.path, src);
            if (strncmp(want[i][1], "cannot", 6) == 0) {
                assert_string_equal(x.rec.error, want[i][1]);
                assert_int_equal(x.rec.ncells, 0);
            } else {
                assert_null(x.rec.error);
                assert_int_equal(x.rec.ncells, 1);
                check_cell(&x.rec.cells[0], "n", want[i][1], false, 1, -1);
            }
        }
        expect_end(&x);
    }
    Rd x;
    rd_open(&x, at("team/dir.facts"));
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "the folder holds no .facts files");
    expect_end(&x);
    rd_open(&x, at("team/loop.facts"));
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "cannot read: Too many levels of symbolic links");
    expect_end(&x);
}

static void test_folder_unreadable_entry(void **state)
{
    (void)state;
    assert_int_equal(mkdir(at("t2"), 0700), 0);
    assert_int_equal(mkdir(at("t2/sub.facts"), 0700), 0);
    put("t2/z.facts", "n = 1\n");
    Rd x;
    rd_open(&x, at("t2"));
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "cannot read: Is a directory");
    assert_string_equal(x.rec.default_id, "sub");
    assert_true(rd_next(&x));
    assert_null(x.rec.error);
    assert_string_equal(x.rec.default_id, "z");
    expect_end(&x);
}

/* ---- CSV ---- */

static void test_csv_basic(void **state)
{
    (void)state;
    Rd x;
    put("team.csv", "工号,姓名,得分\nE1,张三,90\nE2,李四,85.5\n");
    rd_open(&x, at("team.csv"));
    char src[600];
    assert_true(rd_next(&x));
    unsigned gen = x.rec.header_gen;
    assert_null(x.rec.error);
    assert_true(x.rec.is_csv);
    snprintf(src, sizeof src, "%s:2", at("team.csv"));
    assert_string_equal(x.rec.source, src);
    assert_string_equal(x.rec.path, at("team.csv"));
    assert_string_equal(x.rec.default_id, "E1");
    assert_int_equal(x.rec.line, 2);
    assert_int_equal(x.rec.nheader, 3);
    check_cell(&x.rec.header[0], "工号", "工号", false, 1, 0);
    check_cell(&x.rec.header[2], "得分", "得分", false, 1, 2);
    assert_int_equal(x.rec.ncells, 3);
    check_cell(&x.rec.cells[0], "工号", "E1", false, 2, 0);
    check_cell(&x.rec.cells[1], "姓名", "张三", false, 2, 1);
    check_cell(&x.rec.cells[2], "得分", "90", false, 2, 2);
    assert_true(rd_next(&x));
    assert_int_equal(x.rec.header_gen, gen);
    snprintf(src, sizeof src, "%s:3", at("team.csv"));
    assert_string_equal(x.rec.source, src);
    check_cell(&x.rec.cells[2], "得分", "85.5", false, 3, 2);
    expect_end(&x);
}

static void test_csv_quoting(void **state)
{
    (void)state;
    Rd x;
    put("q.csv", "a,b,c\n"
                 "\"x,y\", \"say \"\"hi\"\"\" ,\"line1\nline2\n\"\n"
                 "\"80\",\"\",\"\"\"\"\n"
                 "4,5\"in,6\n");
    rd_open(&x, at("q.csv"));
    assert_true(rd_next(&x));
    assert_null(x.rec.error);
    assert_int_equal(x.rec.line, 2);
    check_cell(&x.rec.cells[0], "a", "x,y", false, 2, 0);
    check_cell(&x.rec.cells[1], "b", "say \"hi\"", false, 2, 1);
    check_cell(&x.rec.cells[2], "c", "line1\nline2\n", false, 2, 2);
    assert_string_equal(x.rec.default_id, "x,y");
    assert_true(rd_next(&x));
    assert_int_equal(x.rec.line, 5);
    check_cell(&x.rec.cells[0], "a", "80", false, 5, 0);
    check_cell(&x.rec.cells[1], "b", "", false, 5, 1);
    check_cell(&x.rec.cells[2], "c", "\"", false, 5, 2);
    assert_true(rd_next(&x));
    assert_int_equal(x.rec.line, 6);
    check_cell(&x.rec.cells[1], "b", "5\"in", false, 6, 1);
    expect_end(&x);
}

static void test_csv_trim_and_empty_rows(void **state)
{
    (void)state;
    Rd x;
    put("t.csv", "\n  a , b \n 1 ,\t2\t\n,\n , \n\"\",\n　3　,4\n\n");
    rd_open(&x, at("t.csv"));
    assert_true(rd_next(&x));
    assert_int_equal(x.rec.nheader, 2);
    check_cell(&x.rec.header[0], "a", "a", false, 2, 0);
    check_cell(&x.rec.cells[0], "a", "1", false, 3, 0);
    check_cell(&x.rec.cells[1], "b", "2", false, 3, 1);
    assert_true(rd_next(&x));
    check_cell(&x.rec.cells[0], "a", "3", false, 7, 0);
    assert_string_equal(x.rec.default_id, "3");
    expect_end(&x);
}

static void test_csv_ragged(void **state)
{
    (void)state;
    Rd x;
    put("r.csv", "a,b,c,d\n1,2,3,4,5\nE9,2\n\"q\",2,3,4\n");
    rd_open(&x, at("r.csv"));
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "row has 5 cells, the header has 4");
    assert_string_equal(x.rec.default_id, "1");
    assert_int_equal(x.rec.line, 2);
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "row has 2 cells, the header has 4");
    assert_string_equal(x.rec.default_id, "E9");
    assert_int_equal(x.rec.line, 3);
    assert_true(rd_next(&x));
    assert_null(x.rec.error);
    assert_int_equal(x.rec.ncells, 4);
    expect_end(&x);
}

static void test_csv_empty_header_column(void **state)
{
    (void)state;
    Rd x;
    put("h.csv", "a,, c ,\n1,2,3,4\n");
    rd_open(&x, at("h.csv"));
    assert_true(rd_next(&x));
    assert_null(x.rec.error);
    assert_int_equal(x.rec.nheader, 2);
    check_cell(&x.rec.header[0], "a", "a", false, 1, 0);
    check_cell(&x.rec.header[1], "c", "c", false, 1, 2);
    assert_int_equal(x.rec.ncells, 2);
    check_cell(&x.rec.cells[0], "a", "1", false, 2, 0);
    check_cell(&x.rec.cells[1], "c", "3", false, 2, 2);
    expect_end(&x);
}

static void test_csv_bom_crlf(void **state)
{
    (void)state;
    Rd x;
    put("w.CSV", "\xEF\xBB\xBF工号,得分\r\nE1,90\r\n\"E\r\n2\",\"85\"\r\n\r\nE3,70");
    rd_open(&x, at("w.CSV"));
    assert_true(rd_next(&x));
    assert_true(x.rec.is_csv);
    check_cell(&x.rec.header[0], "工号", "工号", false, 1, 0);
    check_cell(&x.rec.cells[0], "工号", "E1", false, 2, 0);
    check_cell(&x.rec.cells[1], "得分", "90", false, 2, 1);
    assert_true(rd_next(&x));
    check_cell(&x.rec.cells[0], "工号", "E\r\n2", false, 3, 0);
    check_cell(&x.rec.cells[1], "得分", "85", false, 3, 1);
    assert_true(rd_next(&x));
    check_cell(&x.rec.cells[0], "工号", "E3", false, 6, 0);
    check_cell(&x.rec.cells[1], "得分", "70", false, 6, 1);
    expect_end(&x);
}

static void test_csv_quote_errors(void **state)
{
    (void)state;
    Rd x;
    put("u.csv", "a,b\n\"x\"y,2\n3,4\n1,\"oops\n2,3\n");
    rd_open(&x, at("u.csv"));
    char src[600];
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "column 1: unexpected text after the closing quote");
    assert_int_equal(x.rec.line, 2);
    assert_true(rd_next(&x));
    assert_null(x.rec.error);
    check_cell(&x.rec.cells[0], "a", "3", false, 3, 0);
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error,
                        "column 2: the quote is not closed before the end of the file");
    assert_string_equal(x.rec.default_id, "1");
    snprintf(src, sizeof src, "%s:4", at("u.csv"));
    assert_string_equal(x.rec.source, src);
    expect_end(&x);
}

static void test_csv_empty_file(void **state)
{
    (void)state;
    Rd x;
    put("e.csv", "");
    put("blank.csv", "\n , \n");
    const char *paths[] = {at("e.csv"), at("blank.csv")};
    rd_open_n(&x, paths, 2);
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "the file is empty: no header row");
    assert_string_equal(x.rec.source, at("e.csv"));
    assert_string_equal(x.rec.default_id, "e");
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "the file is empty: no header row");
    assert_string_equal(x.rec.source, at("blank.csv"));
    expect_end(&x);

    put("hdr.csv", "a,b\n"); /* a header and no rows: nobody to score, no error */
    rd_open(&x, at("hdr.csv"));
    expect_end(&x);
}

static void test_csv_header_gen_and_mixed_inputs(void **state)
{
    (void)state;
    Rd x;
    put("g1.csv", "a\n1\n");
    put("g2.csv", "a\n2\n");
    put("g.facts", "a = 3\n");
    const char *paths[] = {at("g1.csv"), at("g.facts"), at("g2.csv")};
    rd_open_n(&x, paths, 3);
    assert_true(rd_next(&x));
    unsigned g1 = x.rec.header_gen;
    check_cell(&x.rec.cells[0], "a", "1", false, 2, 0);
    assert_true(rd_next(&x));
    assert_false(x.rec.is_csv);
    check_cell(&x.rec.cells[0], "a", "3", false, 1, -1);
    assert_true(rd_next(&x));
    assert_true(x.rec.header_gen != g1);
    check_cell(&x.rec.cells[0], "a", "2", false, 2, 0);
    expect_end(&x);
}

static void test_csv_gb18030(void **state)
{
    (void)state;
    Rd x;
    /* "工号,姓名,备注\nE1,张三,café\n" in GB18030 */
    static const char gb[] =
        "\xb9\xa4\xba\xc5,\xd0\xd5\xc3\xfb,\xb1\xb8\xd7\xa2\nE1,\xd5\xc5\xc8\xfd,caf\xa8\xa6\n";
    put_n("gb.csv", gb, sizeof gb - 1);
    rd_open(&x, at("gb.csv"));
    assert_true(rd_next(&x));
    assert_null(x.rec.error);
    check_cell(&x.rec.header[1], "姓名", "姓名", false, 1, 1);
    check_cell(&x.rec.cells[0], "工号", "E1", false, 2, 0);
    check_cell(&x.rec.cells[1], "姓名", "张三", false, 2, 1);
    check_cell(&x.rec.cells[2], "备注", "café", false, 2, 2);
    expect_end(&x);
}

/* A big file: the encoding is decided at the first non-ASCII block, rows and
 * quoted cells cross block boundaries, and one row is larger than a block. */
static void test_csv_streaming(void **state)
{
    (void)state;
    enum { ROWS = 100000 };
    FILE *f = fopen(at("big.csv"), "wb");
    assert_non_null(f);
    fputs("id,note,score\n", f);
    for (int i = 0; i < ROWS; i++) {
        if (i == 50000)
            fputs("Q,\"multi\nline\",1\n", f); /* two lines */
        if (i == 60000) {
            fputs("L,", f);
            for (int k = 0; k < 300000; k++)
                fputs("abcdefg", f); /* 2.1 MB cell */
            fputs(",2\n", f);
        }
        fprintf(f, "E%d,n%d,%d\n", i, i % 7, i % 100);
    }
    fputs("G,\xd5\xc5\xc8\xfd,3\n", f); /* GB18030 after 3 MB of ASCII */
    assert_int_equal(fclose(f), 0);

    Rd x;
    rd_open(&x, at("big.csv"));
    int rows = 0, line = 2;
    while (rd_next(&x)) {
        assert_null(x.rec.error);
        assert_int_equal(x.rec.ncells, 3);
        assert_int_equal(x.rec.line, line);
        const FactCell *c = x.rec.cells;
        if (rows == 50000) {
            check_cell(&c[1], "note", "multi\nline", false, line, 1);
            line += 2;
        } else if (rows == 60001) {
            assert_string_equal(x.rec.default_id, "L");
            assert_int_equal(c[1].val_len, 2100000);
            assert_memory_equal(c[1].val + 2099993, "abcdefg", 7);
            line++;
        } else if (rows == ROWS + 2) {
            check_cell(&c[1], "note", "张三", false, line, 1);
            line++;
        } else {
            int i = rows - (rows > 50000) - (rows > 60001);
            char want[32];
            snprintf(want, sizeof want, "E%d", i);
            assert_string_equal(x.rec.default_id, want);
            snprintf(want, sizeof want, "%d", i % 100);
            check_cell(&c[2], "score", want, false, line, 2);
            line++;
        }
        rows++;
    }
    assert_int_equal(rows, ROWS + 3);
    rd_close(&x);
}

static void test_csv_bad_row_encoding(void **state)
{
    (void)state;
    Rd x;
    static const char bad[] = "名,b\n张,1\nx\xff,2\ny,3\n";
    put_n("bad.csv", bad, sizeof bad - 1);
    rd_open(&x, at("bad.csv"));
    assert_true(rd_next(&x));
    assert_null(x.rec.error);
    assert_true(rd_next(&x));
    assert_string_equal(x.rec.error, "not valid UTF-8 or GB18030 text");
    assert_int_equal(x.rec.line, 3);
    assert_string_equal(x.rec.default_id, "");
    assert_true(rd_next(&x));
    check_cell(&x.rec.cells[0], "名", "y", false, 4, 0);
    expect_end(&x);
}

/* ---- standard input ---- */

static int saved_stdin = -1; /* the real fd 0 while a test reads a file as stdin */

static void read_stdin(Rd *x, const char *name, const char *text)
{
    put(name, text);
    int saved = dup(0), fd = open(at(name), O_RDONLY);
    assert_true(saved >= 0 && fd >= 0);
    assert_int_equal(dup2(fd, 0), 0);
    close(fd);
    rd_open(x, "-");
    assert_true(rd_next(x));
    saved_stdin = saved;
}

/* The end of a standard-input read, then fd 0 back: the reader may read
 * again at the end, and must see the test's file there, not the real stdin. */
static void expect_end_stdin(Rd *x)
{
    expect_end(x);
    assert_int_equal(dup2(saved_stdin, 0), 0);
    close(saved_stdin);
}

static void test_stdin(void **state)
{
    (void)state;
    Rd x;
    read_stdin(&x, "in1", "\xEF\xBB\xBF工号,得分\n\"E1\",90\n");
    assert_true(x.rec.is_csv);
    assert_string_equal(x.rec.source, "-:2");
    assert_string_equal(x.rec.path, "-");
    assert_string_equal(x.rec.default_id, "E1");
    check_cell(&x.rec.cells[1], "得分", "90", false, 2, 1);
    expect_end_stdin(&x);

    read_stdin(&x, "in2", "名单 = 张三, 李四\n分 = 1\n");
    assert_false(x.rec.is_csv);
    assert_string_equal(x.rec.source, "-");
    assert_string_equal(x.rec.default_id, "-");
    assert_int_equal(x.rec.ncells, 2);
    check_cell(&x.rec.cells[0], "名单", "张三, 李四", false, 1, -1);
    expect_end_stdin(&x);

    read_stdin(&x, "in3", "# 张三, 2026年11月\n分 = 1\n");
    assert_false(x.rec.is_csv);
    check_cell(&x.rec.cells[0], "分", "1", false, 2, -1);
    expect_end_stdin(&x);

    read_stdin(&x, "in4", "a,b＝c\n1,2\n");
    assert_false(x.rec.is_csv);
    assert_string_equal(x.rec.error, "line 2: expected NAME = VALUE, got \"1,2\"");
    expect_end_stdin(&x);
}

/* ---- facts_value ---- */

static Arena va;

static Dec num(const char *s)
{
    Dec d;
    assert_int_equal(dec_parse(s, strlen(s), 18, &d), DEC_OK);
    return d;
}

static FactSpec spec(FactType t, const char *lo, const char *hi)
{
    FactSpec s = {.type = t, .has_lo = lo != NULL, .has_hi = hi != NULL};
    if (lo)
        s.lo = num(lo);
    if (hi)
        s.hi = num(hi);
    return s;
}

/* Convert text; return the error, or "" with *out set. */
static const char *conv(const FactSpec *s, const char *text, bool quoted, Value *out,
                        const char **warn)
{
    const char *w;
    const char *e = facts_value(s, text, strlen(text), quoted, &va, out, &w);
    if (warn)
        *warn = w;
    else
        assert_null(w);
    return e ? e : "";
}

static void expect_dec(const FactSpec *s, const char *text, ValKind kind, const char *want)
{
    Value v;
    assert_string_equal(conv(s, text, false, &v, NULL), "");
    assert_int_equal(v.kind, kind);
    char buf[DEC_BUFSZ];
    dec_format(v.d, buf);
    assert_string_equal(buf, want);
}

static void expect_err(const FactSpec *s, const char *text, bool quoted, const char *want)
{
    Value v;
    const char *w;
    assert_string_equal(conv(s, text, quoted, &v, &w), want);
}

static void test_value_number(void **state)
{
    (void)state;
    arena_init(&va);
    FactSpec s = spec(FT_NUMBER, NULL, NULL);
    expect_dec(&s, "92", VAL_NUMBER, "92");
    expect_dec(&s, "92.5", VAL_NUMBER, "92.5");
    expect_dec(&s, " -5 ", VAL_NUMBER, "-5");
    expect_dec(&s, "９２．５", VAL_NUMBER, "92.5");
    expect_dec(&s, "－５", VAL_NUMBER, "-5");
    expect_dec(&s, "　7　", VAL_NUMBER, "7");
    expect_dec(&s, "0.123456789012345678", VAL_NUMBER, "0.123456789012345678");
    expect_err(&s, "92%", false,
               "expected a number, got \"92%\" (if it is a rate, declare the fact percent)");
    expect_err(&s, "９２％", false,
               "expected a number, got \"９２％\" (if it is a rate, declare the fact percent)");
    expect_err(&s, "abc", false, "expected a number, got \"abc\"");
    expect_err(&s, ".5", false, "expected a number, got \".5\"");
    expect_err(&s, "1,000", false,
               "expected a number, got \"1,000\" (write it without thousands separators)");
    expect_err(&s, "92", true, "expected a number, got the quoted text \"92\"");
    expect_err(&s, "1.1234567890123456789", false,
               "too many digits after the point in \"1.1234567890123456789\"");
    expect_err(&s, "123456789012345678901", false, "\"123456789012345678901\" is too large");
    expect_err(&s, "1e309", false, "\"1e309\" is not a number");
    expect_err(&s, "-2.5E-3", false, "\"-2.5E-3\" is not a number");
    Value v;
    assert_string_equal(conv(&s, "", false, &v, NULL), "");
    assert_int_equal(v.kind, VAL_NONE);
    assert_string_equal(conv(&s, " \t", false, &v, NULL), "");
    assert_int_equal(v.kind, VAL_NONE);
    arena_free(&va);
}

static void test_value_ranges(void **state)
{
    (void)state;
    arena_init(&va);
    FactSpec s = spec(FT_NUMBER, "0", "80");
    expect_dec(&s, "0", VAL_NUMBER, "0");
    expect_dec(&s, "80", VAL_NUMBER, "80");
    expect_err(&s, "92", false, "92 is out of the declared range 0..80");
    expect_err(&s, "80.000001", false, "80.000001 is out of the declared range 0..80");
    expect_err(&s, "-0.5", false, "-0.5 is out of the declared range 0..80");
    FactSpec lo = spec(FT_INTEGER, "1", NULL);
    expect_err(&lo, "0", false, "0 is out of the declared range >= 1");
    FactSpec hi = spec(FT_NUMBER, NULL, "100");
    expect_err(&hi, "100.5", false, "100.5 is out of the declared range <= 100");
    FactSpec p = spec(FT_PERCENT, "0", "1");
    expect_dec(&p, "100%", VAL_PERCENT, "1");
    expect_dec(&p, "0", VAL_PERCENT, "0");
    expect_err(&p, "120%", false, "120% is out of the declared range 0%..100%");
    expect_err(&p, "-1", false, "-1% is out of the declared range 0%..100%");
    arena_free(&va);
}

static void test_value_integer(void **state)
{
    (void)state;
    arena_init(&va);
    FactSpec s = spec(FT_INTEGER, NULL, NULL);
    expect_dec(&s, "3", VAL_NUMBER, "3");
    expect_dec(&s, "3.00", VAL_NUMBER, "3");
    expect_dec(&s, "-12", VAL_NUMBER, "-12");
    expect_err(&s, "3.5", false, "expected a whole number, got \"3.5\"");
    expect_err(&s, "92%", false,
               "expected a whole number, got \"92%\" (if it is a rate, declare the fact percent)");
    expect_err(&s, "x", false, "expected a whole number, got \"x\"");
    arena_free(&va);
}

static void test_value_percent(void **state)
{
    (void)state;
    arena_init(&va);
    FactSpec s = spec(FT_PERCENT, NULL, NULL);
    expect_dec(&s, "92", VAL_PERCENT, "0.92");
    expect_dec(&s, "92%", VAL_PERCENT, "0.92");
    expect_dec(&s, "92 %", VAL_PERCENT, "0.92");
    expect_dec(&s, "９２％", VAL_PERCENT, "0.92");
    expect_dec(&s, "92.5%", VAL_PERCENT, "0.925");
    expect_dec(&s, "-5%", VAL_PERCENT, "-0.05");
    expect_dec(&s, "1%", VAL_PERCENT, "0.01");
    expect_dec(&s, "1.5", VAL_PERCENT, "0.015");
    expect_dec(&s, "-0.5", VAL_PERCENT, "-0.005");
    expect_dec(&s, "0", VAL_PERCENT, "0");
    expect_dec(&s, "0.92%", VAL_PERCENT, "0.0092");
    expect_dec(&s, "150", VAL_PERCENT, "1.5");
    expect_dec(&s, "1.1234567890123456", VAL_PERCENT, "0.011234567890123456");
    /* a bare number in (0, 1] is ambiguous (edition 2): an error saying what to write */
    expect_err(&s, "0.92", false,
               "0.92 is ambiguous for a percent: it could mean 92% or 0.92%; write 92% or 0.92%");
    expect_err(&s, "1", false,
               "1 is ambiguous for a percent: it could mean 100% or 1%; write 100% or 1%");
    expect_err(&s, "1.00", false,
               "1 is ambiguous for a percent: it could mean 100% or 1%; write 100% or 1%");
    expect_err(&s, "０．５", false,
               "0.5 is ambiguous for a percent: it could mean 50% or 0.5%; write 50% or 0.5%");
    expect_err(&s, "1.12345678901234567%", false,
               "too many digits after the point in \"1.12345678901234567%\"");
    expect_err(&s, "abc%", false, "expected a percent, got \"abc%\"");
    expect_err(&s, "92%%", false, "expected a percent, got \"92%%\"");
    expect_err(&s, "%", false, "expected a percent, got \"%\"");
    expect_err(&s, "92%", true, "expected a percent, got the quoted text \"92%\"");
    arena_free(&va);
}

static void test_value_bool_text(void **state)
{
    (void)state;
    arena_init(&va);
    FactSpec b = spec(FT_BOOL, NULL, NULL);
    static const struct {
        const char *text;
        bool want;
    } ok[] = {{"true", true}, {"TRUE", true}, {"Yes", true},   {"是", true},    {"false", false},
              {"No", false},  {"否", false},  {" yes ", true}, {"ｙｅｓ", true}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        Value v;
        assert_string_equal(conv(&b, ok[i].text, false, &v, NULL), "");
        assert_int_equal(v.kind, VAL_BOOL);
        assert_int_equal(v.b, ok[i].want);
    }
    expect_err(&b, "1", false, "expected 是/否 (true/false), got \"1\"");
    expect_err(&b, "对", false, "expected 是/否 (true/false), got \"对\"");
    expect_err(&b, "是", true, "expected 是/否 (true/false), got the quoted text \"是\"");

    FactSpec t = spec(FT_TEXT, NULL, NULL);
    Value v;
    assert_string_equal(conv(&t, "张三", false, &v, NULL), "");
    assert_int_equal(v.kind, VAL_TEXT);
    assert_text(v.s, v.len, "张三");
    assert_string_equal(conv(&t, " x ", true, &v, NULL), "");
    assert_text(v.s, v.len, " x ");
    assert_string_equal(conv(&t, "92", false, &v, NULL), "");
    assert_int_equal(v.kind, VAL_TEXT);
    assert_string_equal(conv(&t, "", false, &v, NULL), "");
    assert_int_equal(v.kind, VAL_NONE);
    assert_string_equal(conv(&t, "", true, &v, NULL), "");
    assert_int_equal(v.kind, VAL_TEXT);
    assert_int_equal(v.len, 0);
    arena_free(&va);
}

/* utf8_fold as it was before it copied the text up to the first E3 or EF
 * byte in one go: character by character. */
static size_t fold_by_char(const char *s, size_t n, char *out)
{
    size_t i = 0, o = 0;
    while (i < n) {
        uint32_t cp;
        int k = (unsigned char)s[i] < 0x80 ? 0 : utf8_decode(s + i, n - i, &cp);
        if (!k) {
            out[o++] = s[i++];
            continue;
        }
        uint32_t f = uni_fold(cp);
        if (f != cp)
            o += (size_t)utf8_encode(f, out + o);
        else
            for (int j = 0; j < k; j++)
                out[o++] = s[i + j];
        i += (size_t)k;
    }
    return o;
}

/* utf8_fold on 20,000 strings of pieces that fold (Ａ ｚ U+3000), that do
 * not (张 あ ｡ ~), and stray or cut-off bytes (E3, EF, EF BC, 80): the same
 * bytes as character by character. */
static void test_fold_matches_char_by_char(void **state)
{
    (void)state;
    static const char *const pieces[] = {
        "a", "Ａ",   "ｚ",   "\xE3\x80\x80", "张",   "あ",     "｡",
        "~", "\xE3", "\xEF", "\xEF\xBC",     "\x80", "完成率", "\xF0\x9F\x98\x80"};
    enum { NP = sizeof pieces / sizeof pieces[0] };
    uint32_t seed = 12345;
    size_t folded = 0;
    for (int t = 0; t < 20000; t++) {
        char in[64], want[64], got[64];
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int k = (int)((seed >> 16) % 9);
        for (int j = 0; j < k; j++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % NP];
            memcpy(in + n, p, strlen(p));
            n += strlen(p);
        }
        size_t wn = fold_by_char(in, n, want);
        size_t gn = utf8_fold(in, n, got);
        assert_int_equal(gn, wn);
        assert_memory_equal(got, want, wn);
        folded += wn != n || memcmp(in, want, n) != 0;
    }
    assert_true(folded > 1000); /* the pieces that fold were folded */
    char out[16];
    assert_int_equal(utf8_fold("张Ａ　1", 10, out), 6);
    assert_memory_equal(out, "张A 1", 6);
}

/* facts_utf8_bad (runs of three-byte characters in one loop, ASCII eight
 * bytes at a time) and utf8_fold_same (eight bytes at a time) against one
 * character at a time with utf8_decode, on 200,000 random strings of
 * ASCII, CJK, E0/ED/E3/EF/F0 sequences, continuation and stray bytes. */
static void test_utf8_scans_match_decode(void **state)
{
    (void)state;
    static const char *const pieces[] = {"a",
                                         "abcdefgh",
                                         "张",
                                         "完成率",
                                         "\xE3\x80\x80",
                                         "\xEF\xBC\x9D",
                                         "\xE0\xA0\x80",
                                         "\xE0\x80\x80",
                                         "\xED\x9F\xBF",
                                         "\xED\xA0\x80",
                                         "\xF0\x9F\x98\x80",
                                         "\xC3\xA9",
                                         "\x80",
                                         "\xE5\xAE",
                                         "\xE5",
                                         "\xFF",
                                         " "};
    enum { NP = sizeof pieces / sizeof pieces[0] };
    uint32_t seed = 99;
    size_t bad_seen = 0;
    for (int t = 0; t < 200000; t++) {
        char in[128];
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int k = (int)((seed >> 16) % 14);
        for (int j = 0; j < k; j++) {
            seed = seed * 1103515245u + 12345u;
            const char *p = pieces[(seed >> 16) % NP];
            memcpy(in + n, p, strlen(p));
            n += strlen(p);
        }
        size_t want = 0;
        while (want < n) {
            uint32_t cp;
            int len = (unsigned char)in[want] < 0x80 ? 1 : utf8_decode(in + want, n - want, &cp);
            if (!len)
                break;
            want += (size_t)len;
        }
        assert_int_equal(facts_utf8_bad(in, n), want);
        bad_seen += want < n;
        size_t same = 0;
        while (same < n && (unsigned char)in[same] != 0xE3 && (unsigned char)in[same] != 0xEF)
            same++;
        assert_int_equal(utf8_fold_same(in, n), same);
    }
    assert_true(bad_seen > 10000 && bad_seen < 190000); /* both outcomes were tried */
}

/* facts_count_lines a byte at a time, with SSE2 and with AVX2 (those the
 * processor has) give the same count and quote on every length of texts of
 * line breaks, quotes and other bytes, and on 70,000 line breaks in a row
 * (a byte counter of the vector ways would wrap if not summed in time). */
static void test_count_lines_ways(void **state)
{
    (void)state;
    enum { N = 70000 };
    char *b = malloc(N);
    assert_non_null(b);
    memset(b, '\n', N);
    for (int how = 0; how <= facts_count_lines_best(); how++) {
        bool q = true;
        assert_int_equal(facts_count_lines(how, b, N, &q), N);
        assert_false(q);
    }
    uint32_t seed = 3;
    for (int t = 0; t < 2000; t++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 16) % 700, want = 0;
        int kinds = (int)((seed >> 8) % 4); /* no quote in a quarter of them */
        for (; n < len; n++) {
            seed = seed * 1103515245u + 12345u;
            unsigned r = (seed >> 16) % 64;
            b[n] = r < 8 ? '\n' : r == 9 && kinds ? '"' : (char)('a' + r % 26);
            want += b[n] == '\n';
        }
        bool wantq = memchr(b, '"', n) != NULL;
        for (int how = 0; how <= facts_count_lines_best(); how++) {
            bool q;
            assert_int_equal(facts_count_lines(how, b, n, &q), want);
            assert_int_equal(q, wantq);
        }
    }
    free(b);
}

/* A record as one line of text (source, id, error, whether it came as a
 * plain row, cells), malloc'd. */
static char *rec_text(const FactRecord *rec, Arena *a)
{
    const FactCell *cells = rec->row ? facts_row_cells(rec, a) : rec->cells;
    size_t n = rec->row ? rec->nheader : rec->ncells, len = 0, cap = 256;
    char *t = malloc(cap);
    assert_non_null(t);
    len = (size_t)snprintf(t, cap, "%s|%d|%s|%s|%s", rec->source, rec->line, rec->default_id,
                           rec->error ? rec->error : "-", rec->row ? "plain" : "cells");
    for (size_t i = 0; i < n; i++) {
        while (len + cells[i].val_len + 2 > cap)
            t = realloc(t, cap *= 2);
        assert_non_null(t);
        t[len++] = '|';
        memcpy(t + len, cells[i].val, cells[i].val_len);
        len += cells[i].val_len;
        t[len] = 0;
    }
    return t;
}

/* A CSV file cut into chunks (facts_take_chunk, each read by a
 * facts_chunk_reader, the rest by the reader itself) gives the records, line
 * numbers and all, that one reader gives: chunks of 1 byte to 300,000 (read
 * straight from the file, and row by row from the buffer), rows found a
 * region at a time and sixteen bytes at a time, with a stretch of
 * quoted line breaks and quotes, CRLF rows, bad rows, a row longer than a
 * chunk and the buffer, 5,000 empty lines and a last row without a line
 * break. */
static void test_csv_chunks_match_rows(void **state)
{
    (void)state;
    enum { ROWS = 40000 };
    FILE *f = fopen(at("chunks.csv"), "wb");
    assert_non_null(f);
    fputs("工号,说明,分数\n", f);
    for (int i = 0; i < ROWS; i++) {
        if (i >= 15000 && i < 25000 && i % 5 == 1) /* its first line has three cells */
            fprintf(f, "Q%d,\"x,y\nz\",%d\n", i, i % 100);
        else if (i >= 15000 && i < 25000 && i % 5) /* cut in a quoted cell, were quotes missed */
            fprintf(f, "Q%d,\"two\nlines, \"\"quoted\"\"\",%d\n", i, i % 100);
        else if (i % 1500 == 7)
            fprintf(f, "C%d,crlf,%d\r\n", i, i % 100);
        else if (i % 3001 == 9)
            fprintf(f, "B%d,too,many,cells\n", i);
        else if (i == 35000) /* empty lines (skipped): every byte a line break */
            for (int k = 0; k < 5000; k++)
                fputc('\n', f);
        else if (i == 20000) {
            fputs("L,", f);
            for (int k = 0; k < 20000; k++)
                fputs("abcdefghij", f); /* 200,000 bytes: more than a chunk of 1,000 */
            fputs(",1\n", f);
        } else
            fprintf(f, "E%d,张%d,%d\n", i, i % 7, i % 100);
    }
    fputs("Z,last,1", f);
    assert_int_equal(fclose(f), 0);

    Rd x;
    rd_open(&x, at("chunks.csv"));
    size_t nwant = 0, cap = ROWS + 16;
    char **want = malloc(cap * sizeof *want);
    assert_non_null(want);
    while (rd_next(&x)) {
        assert_true(nwant < cap);
        want[nwant++] = rec_text(&x.rec, &x.a);
    }
    rd_close(&x);
    assert_int_equal(nwant, ROWS); /* row 35000 is the empty lines; and Z */

    /* the same records row by row, without regions (csv_plain's sixteen
       bytes at a time; the records above came by regions where the
       processor has AVX2) */
    rd_open(&x, at("chunks.csv"));
    facts_regions(x.r, false);
    size_t k0 = 0;
    while (rd_next(&x)) {
        assert_true(k0 < nwant);
        char *t = rec_text(&x.rec, &x.a);
        assert_string_equal(t, want[k0++]);
        free(t);
    }
    rd_close(&x);
    assert_int_equal(k0, nwant);

    /* chunks, with regions (where the processor has them) for odd sizes */
    static const size_t targets[] = {1, 1000, 70000, 300000, 4097, 65537};
    for (size_t ti = 0; ti < sizeof targets / sizeof targets[0]; ti++) {
        rd_open(&x, at("chunks.csv"));
        facts_regions(x.r, targets[ti] % 2);
        size_t k = 0, nchunks = 0;
        assert_true(rd_next(&x));
        char *t = rec_text(&x.rec, &x.a);
        assert_string_equal(t, want[k++]);
        free(t);
        assert_true(facts_can_split(x.r, 0));
        FactChunk c;
        while (facts_take_chunk(x.r, targets[ti], &c)) {
            nchunks++;
            Rd y = {.r = facts_chunk_reader(x.r, &c)};
            arena_init(&y.a);
            while (rd_next(&y)) {
                assert_true(k < nwant);
                t = rec_text(&y.rec, &y.a);
                assert_string_equal(t, want[k++]);
                free(t);
            }
            rd_close(&y);
        }
        while (rd_next(&x)) {
            assert_true(k < nwant);
            t = rec_text(&x.rec, &x.a);
            assert_string_equal(t, want[k++]);
            free(t);
        }
        rd_close(&x);
        assert_int_equal(k, nwant);
        assert_true(nchunks > 1);
    }
    for (size_t i = 0; i < nwant; i++)
        free(want[i]);
    free(want);
}

/* The first bad offset one character at a time with utf8_decode: the
 * definition facts_utf8_bad is held to. */
static size_t utf8_bad_ref(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int len = (unsigned char)s[i] < 0x80 ? 1 : utf8_decode(s + i, n - i, &cp);
        if (!len)
            break;
        i += (size_t)len;
    }
    return i;
}

/* facts_utf8_bad, its plain loop and its SSSE3 and AVX2 tables (those the
 * processor has: the count of vector checks says which ran) all give
 * utf8_decode's answer for s[0..n). */
static void check_utf8_bad(const char *s, size_t n, long *vec_checks)
{
    size_t want = utf8_bad_ref(s, n);
    assert_int_equal(facts_utf8_bad(s, n), want);
    assert_int_equal(facts_utf8_bad_plain(s, n), want);
    for (int how = 1; how <= facts_utf8_best(); how++) {
        assert_int_equal(facts_utf8_bad_with(how, s, n), want);
        vec_checks[how - 1]++;
    }
}

/* Sixteen bytes at a time must reject exactly what one character at a time
 * rejects, at the same offset: a text of every sequence length, with every
 * byte and byte pair that is wrong somewhere (stray and doubled continuation
 * bytes, C0/C1, E0 80, ED A0, F0 8F, F4 90, F5-FF, a lead before a lead or
 * ASCII) put at every position, the text cut at every length (sequences cut
 * off at the end and at a sixteen-byte block edge), and 100,000 random
 * strings of up to 200 bytes from those pieces. */
static void test_utf8_bad_vector_matches_plain(void **state)
{
    (void)state;
    static const char base[] = "E0000001,林军霞,95.73%,\xC3\xA9\xF0\x9F\x98\x80是否,"
                               "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                               "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ\xF4"
                               "\x8F\xBF\xBF\xEF\xBF\xBF\xE0\xA0\x80"
                               "\xED\x9F\xBF\xC2\x80\xDF\xBF完成率,3\n"
                               "E0000002,王桂华,77.69%,\xF0\x9F\x98\x80\xC3\xA9是,否\n";
    static const char *const bad[] = {
        "\x80",     "\xBF",     "\x8F",         "\x90",         "\x9F",     "\xA0",
        "\xC0",     "\xC1",     "\xC2",         "\xDF",         "\xE0",     "\xE1",
        "\xED",     "\xEF",     "\xF0",         "\xF4",         "\xF5",     "\xF8",
        "\xFF",     "a",        "\n",           "\xC0\x80",     "\xC1\xBF", "\xE0\x80",
        "\xE0\x9F", "\xED\xA0", "\xED\xBF",     "\xF0\x8F",     "\xF4\x90", "\xF5\x80",
        "\xE5\xAE", "\xE0\xA0", "\xF0\x9F\x98", "\xF0\x90\x80", "\x80\x80"};
    enum { NB = sizeof bad / sizeof bad[0], BASE = sizeof base - 1 };
    long vec[2] = {0, 0}, bad_seen = 0;
    char s[BASE + 64];
    /* the text after 0 to 63 ASCII bytes, so that each of its characters
       ends once at each place in the 64 bytes checked at once (and once
       before 64 ASCII bytes); every length is tried after none, and after
       the others the length just after the bad bytes and the whole */
    for (size_t off = 0; off < 64; off++) {
        memset(s, 'x', off);
        for (size_t pos = 0; pos < BASE; pos++) {
            for (size_t k = 0; k < NB; k++) {
                size_t bl = strlen(bad[k]);
                if (pos + bl > BASE)
                    continue;
                memcpy(s + off, base, BASE);
                memcpy(s + off + pos, bad[k], bl); /* over the text */
                if (!off) {
                    for (size_t n = 0; n <= BASE; n++)
                        check_utf8_bad(s, n, vec);
                } else {
                    check_utf8_bad(s, off + pos + bl, vec);
                    check_utf8_bad(s, off + BASE, vec);
                }
                bad_seen += utf8_bad_ref(s, off + BASE) < off + BASE;
            }
        }
        memcpy(s + off, base, BASE); /* well-formed, cut at every length */
        for (size_t n = 0; n <= BASE + off; n++)
            check_utf8_bad(s, n, vec);
        assert_int_equal(facts_utf8_bad(s, BASE + off), BASE + off);
    }
    static const char *const pieces[] = {"a",
                                         "abcdefghijklmno",
                                         "张",
                                         "完成率",
                                         "\xE3\x80\x80",
                                         "\xEF\xBC\x9D",
                                         "\xE0\xA0\x80",
                                         "\xE0\x80\x80",
                                         "\xED\x9F\xBF",
                                         "\xED\xA0\x80",
                                         "\xF0\x9F\x98\x80",
                                         "\xF4\x8F\xBF\xBF",
                                         "\xF4\x90\x80\x80",
                                         "\xF0\x8F\xBF\xBF",
                                         "\xC3\xA9",
                                         "\xC1\xBF",
                                         "\x80",
                                         "\xE5\xAE",
                                         "\xE5",
                                         "\xF0\x9F",
                                         "\xFF",
                                         "\xF5\x80\x80\x80",
                                         " ",
                                         "\n"};
    enum { NP = sizeof pieces / sizeof pieces[0] };
    uint32_t seed = 7;
    for (int t = 0; t < 100000; t++) {
        char in[256];
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int k = (int)((seed >> 16) % 60);
        /* mostly well-formed pieces, so that errors fall late in the text */
        for (int j = 0; j < k; j++) {
            seed = seed * 1103515245u + 12345u;
            size_t pi = (seed >> 16) % NP;
            if ((seed >> 8) % 8 &&
                (pi >= 16 || pi == 7 || pi == 9 || pi == 12 || pi == 13 || pi == 15))
                pi = (seed >> 20) % 7; /* a well-formed one instead */
            const char *p = pieces[pi];
            if (n + strlen(p) > 200)
                break;
            memcpy(in + n, p, strlen(p));
            n += strlen(p);
        }
        check_utf8_bad(in, n, vec);
        bad_seen += utf8_bad_ref(in, n) < n;
    }
    assert_true(bad_seen > 20000);
    printf("utf8: %ld SSSE3 and %ld AVX2 checks\n", vec[0], vec[1]);
}

/* A fact file's cells live in the reader's array, grown as lines come
 * (from 64) and reused by the next file: 300 lines with blank and bad
 * lines between them, then a file of two lines and an empty file. */
static void test_fact_many_lines_then_few(void **state)
{
    (void)state;
    static char big[300 * 16];
    size_t n = 0;
    for (int i = 1; i <= 300; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, i % 7 ? "k%d = %d\n" : "\nbad%d\n", i, i);
    put("many.facts", big);
    put("few.facts", "a = 1\nb = 2\n");
    put("none.facts", "");
    const char *paths[] = {at("many.facts"), at("few.facts"), at("none.facts")};
    Rd x;
    rd_open_n(&x, paths, 3);
    assert_true(rd_next(&x));
    assert_int_equal(x.rec.ncells, 300); /* 258 facts and 42 bad lines, each a cell */
    int line = 1;
    for (int i = 1; i <= 300; i++) {
        const FactCell *c = &x.rec.cells[i - 1];
        char key[16], val[16];
        snprintf(key, sizeof key, "k%d", i);
        snprintf(val, sizeof val, "%d", i);
        if (i % 7) {
            check_cell(c, key, val, false, line, -1);
            line++;
        } else {
            assert_int_equal(c->line, line + 1); /* after its blank line */
            assert_non_null(c->error);
            line += 2;
        }
    }
    assert_true(rd_next(&x));
    assert_null(x.rec.error);
    assert_int_equal(x.rec.ncells, 2);
    check_cell(&x.rec.cells[0], "a", "1", false, 1, -1);
    check_cell(&x.rec.cells[1], "b", "2", false, 2, -1);
    assert_true(rd_next(&x));
    assert_null(x.rec.error);
    assert_int_equal(x.rec.ncells, 0);
    expect_end(&x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fact_basic),
        cmocka_unit_test(test_fact_comments_blank_empty),
        cmocka_unit_test(test_fact_quotes),
        cmocka_unit_test(test_fact_quote_errors),
        cmocka_unit_test(test_fact_fullwidth_equals_and_spaces),
        cmocka_unit_test(test_fact_crlf_bom),
        cmocka_unit_test(test_fact_many_lines_then_few),
        cmocka_unit_test(test_fact_missing_equals),
        cmocka_unit_test(test_fact_empty_file),
        cmocka_unit_test(test_fact_gb18030),
        cmocka_unit_test(test_fact_bad_encoding),
        cmocka_unit_test(test_default_id_and_missing),
        cmocka_unit_test(test_folder_order),
        cmocka_unit_test(test_folder_unreadable_entry),
        cmocka_unit_test(test_csv_basic),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_trim_and_empty_rows),
        cmocka_unit_test(test_csv_ragged),
        cmocka_unit_test(test_csv_empty_header_column),
        cmocka_unit_test(test_csv_bom_crlf),
        cmocka_unit_test(test_csv_quote_errors),
        cmocka_unit_test(test_csv_empty_file),
        cmocka_unit_test(test_csv_header_gen_and_mixed_inputs),
        cmocka_unit_test(test_csv_gb18030),
        cmocka_unit_test(test_csv_streaming),
        cmocka_unit_test(test_csv_chunks_match_rows),
        cmocka_unit_test(test_count_lines_ways),
        cmocka_unit_test(test_csv_bad_row_encoding),
        cmocka_unit_test(test_stdin),
        cmocka_unit_test(test_value_number),
        cmocka_unit_test(test_value_ranges),
        cmocka_unit_test(test_value_integer),
        cmocka_unit_test(test_value_percent),
        cmocka_unit_test(test_value_bool_text),
        cmocka_unit_test(test_fold_matches_char_by_char),
        cmocka_unit_test(test_utf8_scans_match_decode),
        cmocka_unit_test(test_utf8_bad_vector_matches_plain),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
