/* test_output.c - unit tests for output.c, output_text.c and output_table.c.
 *
 * Every test writes through a real Out into an open_memstream and compares the
 * exact bytes, so key order, quoting, alignment and line endings are all
 * pinned down. Numbers are built from scaled integers here (87.20 is 8720 at 2
 * places), so only dec_format is exercised from decimal.c. */
#include "unit.h"

#include <stdio.h>
#include <stdlib.h>

#include "output.h"

/* units / 10^places as a Dec. */
static Dec N(int64_t units, int places)
{
    Dec d;
    d.v = units;
    for (int i = places; i < DEC_SCALE; i++)
        d.v *= 10;
    return d;
}

static Value num(int64_t units, int places)
{
    return (Value){.kind = VAL_NUMBER, .d = N(units, places)};
}
static Value pct(int64_t units, int places)
{
    return (Value){.kind = VAL_PERCENT, .d = N(units, places)};
}
static Value text(const char *s)
{
    return (Value){.kind = VAL_TEXT, .s = s, .len = strlen(s)};
}
static Value boolean(bool b)
{
    return (Value){.kind = VAL_BOOL, .b = b};
}

typedef struct {
    FILE *f;
    char *buf;
    size_t len;
    Out *o;
} Sink;

static void sink_open(Sink *s, OutFormat fmt, const OutLayout *lay)
{
    s->buf = NULL, s->len = 0;
    s->f = open_memstream(&s->buf, &s->len);
    assert_non_null(s->f);
    s->o = out_open(s->f, fmt, lay);
    assert_non_null(s->o);
}

/* Finish, and the whole output must be exactly want. */
static void sink_expect(Sink *s, const char *want)
{
    assert_int_equal(out_finish(s->o), 0);
    assert_int_equal(fclose(s->f), 0);
    assert_string_equal(s->buf, want);
    assert_int_equal(s->len, strlen(want));
    free(s->buf);
}

/* The seed example of LANGUAGE.md. */
static const char *const seed_names[] = {"业绩考核", "客户管理", "客服流程体系的建立与完善"};

static const OutLayout seed_layout = {.score_names = seed_names, .nscores = 3, .has_grade = true};

static void seed_rows(Out *o)
{
    Dec s1[] = {N(9000, 2), N(54, 0), N(200, 1)};
    out_row(o, &(OutRow){.id = "E1001",
                         .source = "facts/张三.facts",
                         .total = N(8720, 2),
                         .grade = "良好",
                         .scores = s1});
    out_row(o, &(OutRow){.id = "E1002",
                         .source = "facts/李四.facts",
                         .error = "item 客服流程体系的建立与完善: no rule matched (完成率 = 82%)"});
}

/* ---- JSON ---------------------------------------------------------------- */

static void json_seed_example(void **state)
{
    (void)state;
    Sink s;
    sink_open(&s, OUT_JSON, &seed_layout);
    seed_rows(s.o);
    sink_expect(&s, "{\"id\":\"E1001\",\"source\":\"facts/张三.facts\",\"total\":87.2,"
                    "\"grade\":\"良好\",\"scores\":{\"业绩考核\":90,\"客户管理\":54,"
                    "\"客服流程体系的建立与完善\":20}}\n"
                    "{\"id\":\"E1002\",\"source\":\"facts/李四.facts\",\"error\":"
                    "\"item 客服流程体系的建立与完善: no rule matched (完成率 = 82%)\"}\n");
}

static void json_without_grade(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    OutLayout lay = {.score_names = names, .nscores = 1};
    Dec sc[] = {N(-0, 0)};
    Sink s;
    sink_open(&s, OUT_JSON, &lay);
    out_row(s.o, &(OutRow){.id = "x", .source = "x.facts", .total = N(12345, 3), .scores = sc});
    sink_expect(&s,
                "{\"id\":\"x\",\"source\":\"x.facts\",\"total\":12.345,\"scores\":{\"a\":0}}\n");
}

static void json_numbers_shortest(void **state)
{
    (void)state;
    const char *names[] = {"a", "b", "c", "d"};
    OutLayout lay = {.score_names = names, .nscores = 4};
    Dec neg_zero = {-N(0, 0).v};
    Dec sc[] = {neg_zero, N(-55, 1), N(100000, 3), N(1, 18)};
    Sink s;
    sink_open(&s, OUT_JSON, &lay);
    out_row(s.o, &(OutRow){.id = "1", .source = "s", .total = N(-0, 2), .scores = sc});
    sink_expect(&s, "{\"id\":\"1\",\"source\":\"s\",\"total\":0,\"scores\":{\"a\":0,\"b\":-5.5,"
                    "\"c\":100,\"d\":0.000000000000000001}}\n");
}

static void json_outputs(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    const char *outs[] = {"系数", "达成", "等级说明", "合格", "小", "大", "负"};
    OutLayout lay = {
        .score_names = names, .nscores = 1, .output_names = outs, .noutputs = 7, .has_grade = true};
    Dec sc[] = {N(90, 0)};
    Value ov[] = {num(12, 1), pct(925, 3),     text("优\"秀\""), boolean(true),
                  pct(1, 4),  pct(1234567, 4), pct(-5, 1)};
    Sink s;
    sink_open(&s, OUT_JSON, &lay);
    out_row(s.o, &(OutRow){.id = "E1",
                           .source = "s",
                           .total = N(90, 0),
                           .grade = "A",
                           .scores = sc,
                           .outputs = ov});
    sink_expect(
        &s, "{\"id\":\"E1\",\"source\":\"s\",\"total\":90,\"grade\":\"A\",\"scores\":{\"a\":90},"
            "\"outputs\":{\"系数\":1.2,\"达成\":92.5,\"等级说明\":\"优\\\"秀\\\"\",\"合格\":true,"
            "\"小\":0.01,\"大\":12345.67,\"负\":-50}}\n");
}

static void json_vetoes(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    OutLayout lay = {.score_names = names, .nscores = 1, .has_vetoes = true};
    const char *reasons[] = {"重大安全事故", "出勤率 < 80%"};
    Dec sc[] = {N(0, 0)};
    Sink s;
    sink_open(&s, OUT_JSON, &lay);
    out_row(s.o,
            &(OutRow){.id = "E1", .source = "s", .scores = sc, .vetoes = reasons, .nvetoes = 2});
    out_row(s.o, &(OutRow){.id = "E2", .source = "s", .scores = sc});
    out_row(s.o, &(OutRow){.id = "E3", .source = "s", .error = "bad"});
    sink_expect(&s, "{\"id\":\"E1\",\"source\":\"s\",\"total\":0,\"scores\":{\"a\":0},"
                    "\"vetoes\":[\"重大安全事故\",\"出勤率 < 80%\"]}\n"
                    "{\"id\":\"E2\",\"source\":\"s\",\"total\":0,\"scores\":{\"a\":0}}\n"
                    "{\"id\":\"E3\",\"source\":\"s\",\"error\":\"bad\"}\n");
}

static void json_raters_last(void **state)
{
    (void)state;
    const char *names[] = {"业绩", "态度"};
    const char *outs[] = {"系数"};
    const char *raters[] = {"自评", "上级"};
    OutLayout lay = {.score_names = names,
                     .nscores = 2,
                     .output_names = outs,
                     .noutputs = 1,
                     .has_grade = true,
                     .rater_names = raters,
                     .nraters = 2,
                     .has_vetoes = true};
    Dec sc[] = {N(80, 0), N(95, 1)};
    Dec self[] = {N(90, 0), N(10, 0)};
    Dec boss[] = {N(7550, 2), N(9, 0)};
    OutRaterRow rr[] = {{.total = N(100, 0), .scores = self}, {.total = N(845, 1), .scores = boss}};
    Value ov[] = {num(1, 0)};
    Sink s;
    sink_open(&s, OUT_JSON, &lay);
    out_row(s.o, &(OutRow){.id = "E1",
                           .source = "s",
                           .total = N(895, 1),
                           .grade = "良好",
                           .scores = sc,
                           .outputs = ov,
                           .raters = rr});
    sink_expect(&s, "{\"id\":\"E1\",\"source\":\"s\",\"total\":89.5,\"grade\":\"良好\","
                    "\"scores\":{\"业绩\":80,\"态度\":9.5},\"outputs\":{\"系数\":1},"
                    "\"raters\":{\"自评\":{\"total\":100,\"scores\":{\"业绩\":90,\"态度\":10}},"
                    "\"上级\":{\"total\":84.5,\"scores\":{\"业绩\":75.5,\"态度\":9}}}}\n");
}

static void json_escaping(void **state)
{
    (void)state;
    const char *names[] = {"a\"b"};
    OutLayout lay = {.score_names = names, .nscores = 1};
    Dec sc[] = {N(1, 0)};
    Sink s;
    sink_open(&s, OUT_JSON, &lay);
    out_row(s.o, &(OutRow){.id = "q\"b\\s/", .source = "张三\x7f", .total = N(1, 0), .scores = sc});
    out_row(s.o, &(OutRow){.id = "n\nt\tr\rb\bf\f",
                           .source = "\x01\x1f",
                           .error = "bad \xff byte, cut \xe5\xbc and \xc0\xaf overlong"});
    sink_expect(&s, "{\"id\":\"q\\\"b\\\\s/\",\"source\":\"张三\x7f\",\"total\":1,"
                    "\"scores\":{\"a\\\"b\":1}}\n"
                    "{\"id\":\"n\\nt\\tr\\rb\\bf\\f\",\"source\":\"\\u0001\\u001f\","
                    "\"error\":\"bad \xef\xbf\xbd byte, cut \xef\xbf\xbd\xef\xbf\xbd and "
                    "\xef\xbf\xbd\xef\xbf\xbd overlong\"}\n");
}

/* Strings and rows far larger than the 64 KiB buffer arrive whole and in order. */
static void json_large_output(void **state)
{
    (void)state;
    const char *names[] = {"分"};
    OutLayout lay = {.score_names = names, .nscores = 1};
    size_t big = 100000;
    char *id = malloc(big + 1);
    for (size_t i = 0; i < big; i++)
        id[i] = "张"[i % 3]; /* whole characters: 100000 is not a multiple of 3 */
    big -= big % 3;
    id[big] = 0;
    enum { ROWS = 3000 };
    Sink s;
    sink_open(&s, OUT_JSON, &lay);
    for (int i = 0; i < ROWS; i++) {
        Dec sc[] = {N(i, 1)};
        out_row(
            s.o,
            &(OutRow){.id = i == 1000 ? id : "E", .source = "s", .total = N(i, 2), .scores = sc});
    }
    assert_int_equal(out_finish(s.o), 0);
    assert_int_equal(fclose(s.f), 0);

    size_t cap = big + ROWS * 128, len = 0;
    char *want = malloc(cap);
    for (int i = 0; i < ROWS; i++) {
        if (i == 1000)
            len += (size_t)sprintf(want + len, "{\"id\":\"%s\"", id);
        else
            len += (size_t)sprintf(want + len, "{\"id\":\"E\"");
        len += (size_t)sprintf(want + len, ",\"source\":\"s\",\"total\":%d.%02d", i / 100, i % 100);
        len -= (i % 100 == 0) ? 3 : (i % 10 == 0) ? 1 : 0;
        len += (size_t)sprintf(want + len, ",\"scores\":{\"分\":%d", i / 10);
        if (i % 10)
            len += (size_t)sprintf(want + len, ".%d", i % 10);
        len += (size_t)sprintf(want + len, "}}\n");
    }
    assert_int_equal(s.len, len);
    assert_memory_equal(s.buf, want, len);
    free(want);
    free(id);
    free(s.buf);
}

static void write_error_is_reported(void **state)
{
    (void)state;
    FILE *f = fopen("/dev/full", "w");
    if (!f)
        skip();
    const char *names[] = {"a"};
    OutLayout lay = {.score_names = names, .nscores = 1};
    Dec sc[] = {N(1, 0)};
    Out *o = out_open(f, OUT_CSV, &lay);
    for (int i = 0; i < 10000; i++)
        out_row(o, &(OutRow){.id = "E", .source = "s", .total = N(1, 0), .scores = sc});
    assert_int_equal(out_finish(o), -1);
    fclose(f);
}

/* ---- CSV and TSV --------------------------------------------------------- */

static void csv_seed_example(void **state)
{
    (void)state;
    Sink s;
    sink_open(&s, OUT_CSV, &seed_layout);
    seed_rows(s.o);
    sink_expect(&s, "id,业绩考核,客户管理,客服流程体系的建立与完善,total,grade,error\n"
                    "E1001,90,54,20,87.2,良好,\n"
                    "E1002,,,,,,item 客服流程体系的建立与完善: no rule matched (完成率 = 82%)\n");
}

static void csv_quoting_and_formula_guard(void **state)
{
    (void)state;
    const char *names[] = {"-扣分", "b"};
    const char *outs[] = {"系数", "达成", "备注", "合格"};
    OutLayout lay = {
        .score_names = names, .nscores = 2, .output_names = outs, .noutputs = 4, .has_grade = true};
    Dec sc[] = {N(-5, 0), N(125, 1)};
    Value ov[] = {num(-5, 1), pct(925, 3), text("=SUM(A1:A9)"), boolean(false)};
    Value ov2[] = {num(1, 0), pct(1, 0), text("a,\"b\"\nc"), boolean(true)};
    Sink s;
    sink_open(&s, OUT_CSV, &lay);
    out_row(s.o, &(OutRow){.id = "=HYPERLINK(\"x\")",
                           .source = "s",
                           .total = N(-5, 0),
                           .grade = "+A",
                           .scores = sc,
                           .outputs = ov});
    out_row(s.o, &(OutRow){.id = "@x,y",
                           .source = "s",
                           .total = N(100, 0),
                           .grade = "优秀",
                           .scores = sc,
                           .outputs = ov2});
    out_row(s.o, &(OutRow){.id = "王五", .source = "s", .error = "-1 is out of range, \"完成率\""});
    out_row(s.o, &(OutRow){.id = "cr\rlf", .source = "s", .error = "line one\nline two"});
    sink_expect(&s, "id,'-扣分,b,total,grade,系数,达成,备注,合格,error\n"
                    "\"'=HYPERLINK(\"\"x\"\")\",-5,12.5,-5,'+A,-0.5,92.5%,'=SUM(A1:A9),false,\n"
                    "\"'@x,y\",-5,12.5,100,优秀,1,100%,\"a,\"\"b\"\"\nc\",true,\n"
                    "王五,,,,,,,,,\"'-1 is out of range, \"\"完成率\"\"\"\n"
                    "\"cr\rlf\",,,,,,,,,\"line one\nline two\"\n");
}

/* Without a grade block the grade column is still there, empty. */
static void csv_without_grade_or_outputs(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    OutLayout lay = {.score_names = names, .nscores = 1};
    Dec sc[] = {N(333, 2)};
    Sink s;
    sink_open(&s, OUT_CSV, &lay);
    out_row(s.o, &(OutRow){.id = "E1", .source = "s", .total = N(333, 2), .scores = sc});
    out_row(s.o, &(OutRow){.id = "E2", .source = "s", .error = "oops"});
    sink_expect(&s, "id,a,total,grade,error\nE1,3.33,3.33,,\nE2,,,,oops\n");
}

static void csv_invalid_utf8_replaced(void **state)
{
    (void)state;
    OutLayout lay = {0};
    Sink s;
    sink_open(&s, OUT_CSV, &lay);
    out_row(s.o, &(OutRow){.id = "\xd5\xc5\xc8\xfd", .source = "s", .error = "x"});
    sink_expect(&s, "id,total,grade,error\n\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd,,,x\n");
}

static void tsv_rows(void **state)
{
    (void)state;
    const char *names[] = {"业绩", "+加分"};
    const char *outs[] = {"达成", "备注"};
    OutLayout lay = {
        .score_names = names, .nscores = 2, .output_names = outs, .noutputs = 2, .has_grade = true};
    Dec sc[] = {N(-5, 0), N(3, 0)};
    Value ov[] = {pct(-125, 3), text("a\tb, \"c\"\r\nd")};
    Sink s;
    sink_open(&s, OUT_TSV, &lay);
    out_row(s.o, &(OutRow){.id = "-E1",
                           .source = "s",
                           .total = N(-2, 0),
                           .grade = "合格",
                           .scores = sc,
                           .outputs = ov});
    out_row(s.o, &(OutRow){.id = "E2", .source = "s", .error = "=bad\tline\nnext"});
    sink_expect(&s, "id\t业绩\t'+加分\ttotal\tgrade\t达成\t备注\terror\n"
                    "'-E1\t-5\t3\t-2\t合格\t-12.5%\ta b, \"c\"  d\t\n"
                    "E2\t\t\t\t\t\t\t'=bad line next\n");
}

/* ---- CSV and TSV: the one-reservation row (csv_row) ---------------------- */

/* A text cell as the design says, written here independently of output.c:
 * CSV quotes a cell holding , " CR or LF and doubles its quotes, TSV turns tab,
 * CR and LF into spaces; a cell starting with = + - @ gets a leading '. The
 * pieces of ins (each: bytes in, bytes out in this format) spell the text. */
typedef struct {
    const char *in;
    const char *csv, *tsv, *json; /* the piece as written */
    bool quote;                   /* CSV quotes the cell */
} Piece;

static const Piece pieces[] = {
    {"A", "A", "A", "A", false},
    {"\x01", "\x01", "\x01", "\\u0001", false},
    {"\t", "\t", " ", "\\t", false},
    {"\n", "\n", " ", "\\n", true},
    {"\r", "\r", " ", "\\r", true},
    {" ", " ", " ", " ", false},
    {"\"", "\"\"", "\"", "\\\"", true},
    {"'", "'", "'", "'", false},
    {"+", "+", "+", "+", false},
    {",", ",", ",", ",", true},
    {"-", "-", "-", "-", false},
    {".", ".", ".", ".", false},
    {"/", "/", "/", "/", false},
    {"0", "0", "0", "0", false},
    {"=", "=", "=", "=", false},
    {"@", "@", "@", "@", false},
    {"\\", "\\", "\\", "\\\\", false},
    {"\x1f", "\x1f", "\x1f", "\\u001f", false},
    {"\x7f", "\x7f", "\x7f", "\x7f", false},
    {"\x80", "\xef\xbf\xbd", "\xef\xbf\xbd", "\xef\xbf\xbd", false}, /* invalid: U+FFFD a byte */
    {"\xff", "\xef\xbf\xbd", "\xef\xbf\xbd", "\xef\xbf\xbd", false},
    {"\xc3", "\xef\xbf\xbd", "\xef\xbf\xbd", "\xef\xbf\xbd", false}, /* a lead byte alone */
    {"张", "张", "张", "张", false},
    {"\xe5\xbc", "\xef\xbf\xbd\xef\xbf\xbd", "\xef\xbf\xbd\xef\xbf\xbd", "\xef\xbf\xbd\xef\xbf\xbd",
     false},
};

/* Every id of len pieces, all "A" but piece k at position pos, through a real
 * Out with texts made ahead (the one-reservation path), against the cell the
 * design asks for: the 8-byte check of ids (csv_plain_copy, ascii_plain) at
 * every length around its word size, every byte position and every kind of
 * byte, and the escaping paths where the checks say no. CSV, TSV and JSON. */
static void ids_every_position(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    const char *grades[] = {"良"};
    OutLayout lay = {
        .score_names = names, .nscores = 1, .has_grade = true, .grade_texts = grades, .ngrades = 1};
    Dec sc[] = {N(-125, 1)};
    DecText t1 = {.s = "-12.5", .len = 5}, t2 = {.s = "7", .len = 1};
    const DecText *tx[] = {&t1, &t2};
    for (int fmt = 0; fmt < 3; fmt++) {
        for (size_t len = 0; len <= 18; len++) {
            for (size_t pos = 0; pos < (len ? len : 1); pos++) {
                for (size_t k = 0; k < sizeof pieces / sizeof *pieces; k++) {
                    if (!len && k)
                        break;
                    char id[64] = "", body[128] = "", want[256];
                    bool quote = false;
                    for (size_t i = 0; i < len; i++) {
                        const Piece *pc = i == pos ? &pieces[k] : &pieces[0];
                        strcat(id, pc->in);
                        strcat(body, fmt == 0 ? pc->csv : fmt == 1 ? pc->tsv : pc->json);
                        quote |= fmt == 0 && pc->quote;
                    }
                    bool guard = strchr("=+-@", id[0]) && id[0];
                    char sep = fmt == 1 ? '\t' : ',';
                    if (fmt == 2)
                        snprintf(want, sizeof want,
                                 "{\"id\":\"%s\",\"source\":\"s\",\"total\":7,\"grade\":\"良\","
                                 "\"scores\":{\"a\":-12.5}}\n",
                                 body);
                    else
                        snprintf(want, sizeof want, "%s%s%s%s%c-12.5%c7%c良%c\n", quote ? "\"" : "",
                                 guard ? "'" : "", body, quote ? "\"" : "", sep, sep, sep, sep);
                    char *buf = NULL;
                    size_t blen = 0;
                    FILE *f = open_memstream(&buf, &blen);
                    assert_non_null(f);
                    Out *o = out_open(f, fmt == 0 ? OUT_CSV : fmt == 1 ? OUT_TSV : OUT_JSON, &lay);
                    out_row(o, &(OutRow){.id = id,
                                         .source = "s",
                                         .total = N(7, 0),
                                         .grade = grades[0],
                                         .grade_rule = 0,
                                         .scores = sc,
                                         .score_text = tx});
                    assert_int_equal(out_finish(o), 0);
                    assert_int_equal(fclose(f), 0);
                    const char *row = fmt == 2 ? buf : strchr(buf, '\n') + 1; /* no header */
                    if (strcmp(row, want) != 0)
                        fail_msg("id of %zu pieces, piece %zu at %zu (format %d): got [%s] want "
                                 "[%s]",
                                 len, k, pos, fmt, row, want);
                    free(buf);
                }
            }
        }
    }
}

static DecText dt(const char *s)
{
    DecText t = {.len = (uint8_t)strlen(s)};
    memcpy(t.s, s, t.len);
    return t;
}

/* A memory Out (a -j worker's) writes no header, and its rows are the
 * bytes a file Out writes after its header: exact rows for a small job into
 * a 16-byte buffer it must grow; then rows in jobs (a buffer of none, of 16
 * bytes, the last job's again) with a 1,500,000-byte id (more than the first
 * buffer, and over the limits of the one-reservation paths) between
 * plain rows, in each format, against a file Out of the same rows. */
static void mem_out_jobs(void **state)
{
    (void)state;
    const char *names[] = {"a", "b"};
    OutLayout lay = {.score_names = names, .nscores = 2, .has_grade = true};
    Dec sc[] = {N(15, 1), N(-2, 0)};
    DecText t1 = dt("1.5"), t2 = dt("-2"), tt = dt("9");
    const DecText *tx[] = {&t1, &t2, &tt};

    Out *m = out_open_mem(OUT_CSV, &lay);
    out_mem_give(m, malloc(16), 16);
    for (int i = 0; i < 3; i++)
        out_row(m, &(OutRow){.id = "E1",
                             .source = "s",
                             .total = N(9, 0),
                             .grade = "优",
                             .scores = sc,
                             .score_text = i == 1 ? tx : NULL});
    char *buf;
    size_t cap, len = out_mem_take(m, &buf, &cap);
    const char *want = "E1,1.5,-2,9,优,\nE1,1.5,-2,9,优,\nE1,1.5,-2,9,优,\n";
    assert_int_equal(len, strlen(want));
    assert_true(cap >= len);
    assert_memory_equal(buf, want, len);
    free(buf);
    out_mem_give(m, NULL, 0); /* an empty job */
    assert_int_equal(out_mem_take(m, &buf, &cap), 0);
    assert_null(buf);
    assert_int_equal(out_finish(m), 0);

    size_t big = 1500000;
    char *id = malloc(big + 1);
    for (size_t i = 0; i < big; i++)
        id[i] = i % 7 == 3 ? ',' : 'x'; /* quoted in CSV */
    id[big] = 0;
    OutFormat fmts[] = {OUT_CSV, OUT_TSV, OUT_JSON};
    for (size_t f = 0; f < 3; f++) {
        Sink s;
        sink_open(&s, fmts[f], &lay);
        out_flush(s.o);
        size_t header = s.len;
        m = out_open_mem(fmts[f], &lay);
        char *jobs = NULL, *keep = NULL;
        size_t njobs = 0, kcap = 0;
        for (int job = 0; job < 4; job++) {
            if (job == 0)
                out_mem_give(m, NULL, 0);
            else if (job == 1)
                free(keep), out_mem_give(m, malloc(16), 16);
            else
                out_mem_give(m, keep, kcap); /* the last job's buffer again */
            for (int i = 0; i < 500; i++) {
                OutRow r = {.id = job == 2 && i == 250 ? id : "E7",
                            .source = "s",
                            .total = N(9, 0),
                            .grade = i % 3 ? "优" : "a\"b",
                            .scores = sc,
                            .score_text = i % 2 ? tx : NULL};
                if (i == 100)
                    r.error = "bad, \"row\"";
                out_row(s.o, &r);
                out_row(m, &r);
            }
            size_t n = out_mem_take(m, &keep, &kcap);
            assert_true(kcap >= n);
            jobs = realloc(jobs, njobs + n);
            memcpy(jobs + njobs, keep, n);
            njobs += n;
        }
        free(keep);
        assert_int_equal(out_finish(m), 0);
        assert_int_equal(out_finish(s.o), 0);
        assert_int_equal(fclose(s.f), 0);
        assert_true(njobs > big);
        assert_int_equal(s.len, header + njobs);
        assert_memory_equal(s.buf + header, jobs, njobs);
        free(jobs);
        free(s.buf);
    }
    free(id);
}

/* The usual CSV/TSV row in one go (csv_row_fast) and each of its ways out to
 * the general row: 0 to 9 scores (the numbers four at a time and the rest
 * one at a time), every text made ahead or one missing at each place; a
 * grade with or without its prepared tail; ids with their length given
 * (id_len): plain, cut at a NUL, needing a formula guard or quotes. */
static void csv_fast_rows_and_fallbacks(void **state)
{
    (void)state;
    const char *names[] = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"};
    /* rule 1's tail is over 32 bytes (copied in two), rule 2 is not a literal */
    const char *grades[] = {"优", "很长很长很长很长很长很长", NULL};
    char copy[] = "优"; /* rule 0's bytes, not its string */
    /* each score's number and its text; the total's is 87.5 */
    const char *texts[] = {"1.5", "-2", "0", "12.25", "100", "3.1", "-0.5", "7", "99.99"};
    Dec sc[] = {N(15, 1), N(-2, 0), N(0, 0), N(1225, 2), N(100, 0),
                N(31, 1), N(-5, 1), N(7, 0), N(9999, 2)};
    DecText dts[10];
    for (int i = 0; i < 9; i++)
        dts[i] = dt(texts[i]);
    DecText tot = dt("87.5");
    OutFormat fmts[] = {OUT_CSV, OUT_TSV};
    for (size_t f = 0; f < 2; f++) {
        char sep = fmts[f] == OUT_TSV ? '\t' : ',';
        for (size_t ns = 0; ns <= 9; ns++) {
            OutLayout lay = {.score_names = names,
                             .nscores = ns,
                             .has_grade = true,
                             .grade_texts = grades,
                             .ngrades = 3};
            Sink s;
            sink_open(&s, fmts[f], &lay);
            char want[16384];
            size_t wl = 0;
            wl += (size_t)sprintf(want + wl, "id");
            for (size_t i = 0; i < ns; i++)
                wl += (size_t)sprintf(want + wl, "%c%s", sep, names[i]);
            wl += (size_t)sprintf(want + wl, "%ctotal%cgrade%cerror\n", sep, sep, sep);
            /* missing = ns + 1: none missing; else the text missing there */
            for (size_t missing = 0; missing <= ns + 1; missing++) {
                for (int g = 0; g < 5; g++) {
                    const DecText *tx[11];
                    for (size_t i = 0; i < ns; i++)
                        tx[i] = i == missing ? NULL : &dts[i];
                    tx[ns] = missing == ns ? NULL : &tot;
                    /* g 0: rule 0's own string (its tail), 1: a grade of no rule,
                       2: no grade, 3: rule 0's bytes elsewhere, 4: rule 1's string */
                    const char *grade = g == 0   ? grades[0]
                                        : g == 1 ? "良"
                                        : g == 2 ? NULL
                                        : g == 3 ? copy
                                                 : grades[1];
                    out_row(s.o, &(OutRow){.id = "E12",
                                           .id_len = g == 1 ? 0 : 3,
                                           .source = "s",
                                           .total = N(875, 1),
                                           .grade = grade,
                                           .grade_rule = g == 0 || g == 3 ? 0
                                                         : g == 4         ? 1
                                                                          : -1,
                                           .scores = sc,
                                           .score_text = tx});
                    wl += (size_t)sprintf(want + wl, "E12");
                    for (size_t i = 0; i < ns; i++)
                        wl += (size_t)sprintf(want + wl, "%c%s", sep, texts[i]);
                    wl += (size_t)sprintf(want + wl, "%c87.5%c%s%c\n", sep, sep, grade ? grade : "",
                                          sep);
                }
            }
            /* ids whose length is given */
            const DecText *all[11];
            for (size_t i = 0; i < ns; i++)
                all[i] = &dts[i];
            all[ns] = &tot;
            const char nul_id[] = "E1\0xyz";
            const char *ids[] = {"ABCDEFGHIJKLMNOPQ", nul_id, "-5", "a,b", "张三"};
            const size_t lens[] = {17, 6, 2, 3, 6};
            const char *shown[] = {"ABCDEFGHIJKLMNOPQ", "E1", "'-5",
                                   fmts[f] == OUT_CSV ? "\"a,b\"" : "a,b", "张三"};
            for (size_t k = 0; k < 5; k++) {
                out_row(s.o, &(OutRow){.id = ids[k],
                                       .id_len = lens[k],
                                       .source = "s",
                                       .total = N(875, 1),
                                       .grade = grades[0],
                                       .grade_rule = 0,
                                       .scores = sc,
                                       .score_text = all});
                wl += (size_t)sprintf(want + wl, "%s", shown[k]);
                for (size_t i = 0; i < ns; i++)
                    wl += (size_t)sprintf(want + wl, "%c%s", sep, texts[i]);
                wl += (size_t)sprintf(want + wl, "%c87.5%c优%c\n", sep, sep, sep);
            }
            assert_true(wl < sizeof want);
            sink_expect(&s, want);
        }
    }
}

/* JSON ids with their length given (id_len): plain, cut at a NUL, escaped,
 * not UTF-8; and without it. */
static void json_id_len(void **state)
{
    (void)state;
    OutLayout lay = {0};
    Sink s;
    sink_open(&s, OUT_JSON, &lay);
    const char nul_id[] = "E1\0xyz";
    const char *ids[] = {"E0000001", nul_id, "a\"b\\", "张\xff", "E9"};
    const size_t lens[] = {8, 6, 4, 4, 0};
    for (size_t k = 0; k < 5; k++)
        out_row(s.o, &(OutRow){.id = ids[k], .id_len = lens[k], .source = "s", .total = N(1, 0)});
    sink_expect(&s, "{\"id\":\"E0000001\",\"source\":\"s\",\"total\":1,\"scores\":{}}\n"
                    "{\"id\":\"E1\",\"source\":\"s\",\"total\":1,\"scores\":{}}\n"
                    "{\"id\":\"a\\\"b\\\\\",\"source\":\"s\",\"total\":1,\"scores\":{}}\n"
                    "{\"id\":\"张\xef\xbf\xbd\",\"source\":\"s\",\"total\":1,\"scores\":{}}\n"
                    "{\"id\":\"E9\",\"source\":\"s\",\"total\":1,\"scores\":{}}\n");
}

/* Numbers from their texts made ahead, two at a time, and formatted where a
 * text is missing (NULL: first, between two, last, the total): negative
 * numbers, zero (-0 rounds to 0 and prints 0), a number too long for a text
 * (dec_format's digits); the same row with no texts at all. */
static void csv_numbers_texts_and_not(void **state)
{
    (void)state;
    const char *names[] = {"a", "b", "c", "d", "e", "f"};
    OutLayout lay = {.score_names = names, .nscores = 6};
    Dec big = {.v = (__int128)123456789012345678 * 1000000000000000000 + 500000000000000000};
    Dec neg_zero = {-N(0, 0).v};
    Dec sc[] = {N(-125, 1), N(0, 0), neg_zero, N(-1, 2), big, N(99999, 2)};
    DecText a = dt("-12.5"), c = dt("0"), d = dt("-0.01"), f = dt("999.99"), tot = dt("-3");
    const DecText *some[] = {NULL, &a, &c, &d, NULL, &f, NULL};
    const DecText *most[] = {&a, NULL, &c, &d, &c, &f, &tot};
    Sink s;
    sink_open(&s, OUT_CSV, &lay);
    /* the texts are what dec_format makes of the same numbers (some[1] is a's
       text on purpose: a text made ahead is copied, never checked) */
    out_row(
        s.o,
        &(OutRow){.id = "E1", .source = "s", .total = N(-3, 0), .scores = sc, .score_text = some});
    out_row(
        s.o,
        &(OutRow){.id = "E2", .source = "s", .total = N(-3, 0), .scores = sc, .score_text = most});
    out_row(s.o, &(OutRow){.id = "E3", .source = "s", .total = N(-3, 0), .scores = sc});
    sink_expect(&s, "id,a,b,c,d,e,f,total,grade,error\n"
                    "E1,-12.5,-12.5,0,-0.01,123456789012345678.5,999.99,-3,,\n"
                    "E2,-12.5,0,0,-0.01,0,999.99,-3,,\n"
                    "E3,-12.5,0,0,-0.01,123456789012345678.5,999.99,-3,,\n");
}

/* The grade's tail made once per literal rule: quoting, formula guard and
 * escaping as any text cell (CSV, TSV, JSON); taken only for the rule's own
 * string or the same bytes; a grade that is not the rule's text (a wrong
 * rule number, a rule that is not a literal, an unknown rule), too long for
 * a tail, or missing is written as it is. With outputs the tail does not end
 * the row. */
static const char *const tail_grades[] = {
    "优秀",
    "良,好",
    "\"A\"\\",
    "=高",
    "a\tb",
    "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长",
    NULL};

static void tail_rows(Out *o, const Value *outs)
{
    static const Dec sc[] = {{0}};
    static const DecText z = {.s = "0", .len = 1};
    static const DecText *const tx[] = {&z, &z};
    char copy[16];
    strcpy(copy, "良,好");
    static const struct {
        int rule;
        const char *grade;
    } rows[] = {{0, NULL},   {1, NULL}, {2, NULL},   {3, NULL},    {4, NULL},  {5, NULL},
                {1, "COPY"}, {1, "差"}, {6, "动态"}, {-1, "优秀"}, {99, "优"}, {0, "-"}};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        const char *g = rows[i].grade ? rows[i].grade : tail_grades[rows[i].rule];
        if (g && strcmp(g, "COPY") == 0)
            g = copy;
        out_row(o, &(OutRow){.id = "E",
                             .source = "s",
                             .grade = g,
                             .grade_rule = rows[i].rule,
                             .scores = sc,
                             .score_text = tx,
                             .outputs = outs});
    }
    out_row(o, &(OutRow){.id = "N",
                         .source = "s",
                         .grade_rule = -1,
                         .scores = sc,
                         .score_text = tx,
                         .outputs = outs});
}

static void csv_grade_tails(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    const char *outs[] = {"备注"};
    OutLayout lay = {.score_names = names,
                     .nscores = 1,
                     .has_grade = true,
                     .grade_texts = tail_grades,
                     .ngrades = 7};
    const char *rows = "E,0,0,优秀,\n"
                       "E,0,0,\"良,好\",\n"
                       "E,0,0,\"\"\"A\"\"\\\",\n"
                       "E,0,0,'=高,\n"
                       "E,0,0,a\tb,\n"
                       "E,0,0,"
                       "很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很"
                       "长很长很长很长,\n"
                       "E,0,0,\"良,好\",\n"
                       "E,0,0,差,\n"
                       "E,0,0,动态,\n"
                       "E,0,0,优秀,\n"
                       "E,0,0,优,\n"
                       "E,0,0,'-,\n"
                       "N,0,0,,\n";
    char want[2048];
    Sink s;
    sink_open(&s, OUT_CSV, &lay);
    tail_rows(s.o, NULL);
    snprintf(want, sizeof want, "id,a,total,grade,error\n%s", rows);
    sink_expect(&s, want);

    /* with an output after the grade */
    lay.output_names = outs, lay.noutputs = 1;
    Value ov[] = {text("x,y")};
    sink_open(&s, OUT_CSV, &lay);
    tail_rows(s.o, ov);
    size_t n = (size_t)snprintf(want, sizeof want, "id,a,total,grade,备注,error\n");
    for (const char *r = rows; *r;) {
        const char *e = strchr(r, '\n');
        n += (size_t)snprintf(want + n, sizeof want - n, "%.*s\"x,y\",\n", (int)(e - r), r);
        r = e + 1;
    }
    sink_expect(&s, want);
}

static void tsv_grade_tails(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    OutLayout lay = {.score_names = names,
                     .nscores = 1,
                     .has_grade = true,
                     .grade_texts = tail_grades,
                     .ngrades = 7};
    Sink s;
    sink_open(&s, OUT_TSV, &lay);
    tail_rows(s.o, NULL);
    sink_expect(&s, "id\ta\ttotal\tgrade\terror\n"
                    "E\t0\t0\t优秀\t\n"
                    "E\t0\t0\t良,好\t\n"
                    "E\t0\t0\t\"A\"\\\t\n"
                    "E\t0\t0\t'=高\t\n"
                    "E\t0\t0\ta b\t\n"
                    "E\t0\t0\t很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长"
                    "很长很长很长很长很长\t\n"
                    "E\t0\t0\t良,好\t\n"
                    "E\t0\t0\t差\t\n"
                    "E\t0\t0\t动态\t\n"
                    "E\t0\t0\t优秀\t\n"
                    "E\t0\t0\t优\t\n"
                    "E\t0\t0\t'-\t\n"
                    "N\t0\t0\t\t\n");
}

static void json_grade_tails(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    OutLayout lay = {.score_names = names,
                     .nscores = 1,
                     .has_grade = true,
                     .grade_texts = tail_grades,
                     .ngrades = 7};
    Sink s;
    sink_open(&s, OUT_JSON, &lay);
    tail_rows(s.o, NULL);
    const char *g[] = {"\"优秀\"",
                       "\"良,好\"",
                       "\"\\\"A\\\"\\\\\"",
                       "\"=高\"",
                       "\"a\\tb\"",
                       "\"很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长"
                       "很长很长很长很长\"",
                       "\"良,好\"",
                       "\"差\"",
                       "\"动态\"",
                       "\"优秀\"",
                       "\"优\"",
                       "\"-\"",
                       "null"};
    char want[4096];
    size_t n = 0;
    for (size_t i = 0; i < sizeof g / sizeof *g; i++)
        n += (size_t)snprintf(want + n, sizeof want - n,
                              "{\"id\":\"%s\",\"source\":\"s\",\"total\":0,\"grade\":%s,"
                              "\"scores\":{\"a\":0}}\n",
                              i + 1 < sizeof g / sizeof *g ? "E" : "N", g[i]);
    sink_expect(&s, want);
}

/* JSON scores in one reservation: keys whose block ({ or , and "name":) is
 * just under, at and just over 32 and 48 bytes (copied 32 bytes and then 16 at
 * a time), a key that needs escaping, texts made ahead and missing ones (then
 * formatted); and 400 scores, too many for one reservation: a key at a time. */
static void json_scores_blocks(void **state)
{
    (void)state;
    char k[6][64];
    const size_t lens[] = {27, 28, 29, 43, 44, 45}; /* blocks of 31, 32, 33, 47, 48, 49 */
    const char *names[8];
    for (int i = 0; i < 6; i++) {
        memset(k[i], 'a' + i, lens[i]);
        k[i][lens[i]] = 0;
        names[i] = k[i];
    }
    names[6] = "a\"b\\c";
    names[7] = "分";
    OutLayout lay = {.score_names = names, .nscores = 8};
    Dec sc[] = {N(1, 0), N(-2, 0), N(3, 1), N(-4, 2), N(0, 0), N(123456789, 4), N(7, 0), N(8, 0)};
    DecText t[] = {dt("1"), dt("-2"),         dt("0.3"), dt("-0.04"),
                   dt("0"), dt("12345.6789"), dt("7"),   dt("8")};
    const DecText *tx[] = {&t[0], NULL, &t[2], &t[3], NULL, &t[5], NULL, &t[7], NULL};
    char want[2048];
    size_t n = 0;
    for (int row = 0; row < 2; row++) {
        n += (size_t)snprintf(want + n, sizeof want - n,
                              "{\"id\":\"E\",\"source\":\"s\",\"total\":9,\"scores\":{");
        const char *vals[] = {"1", "-2", "0.3", "-0.04", "0", "12345.6789", "7", "8"};
        for (int i = 0; i < 6; i++)
            n += (size_t)snprintf(want + n, sizeof want - n, "%s\"%s\":%s", i ? "," : "", k[i],
                                  vals[i]);
        n += (size_t)snprintf(want + n, sizeof want - n, ",\"a\\\"b\\\\c\":7,\"分\":8}}\n");
    }
    Sink s;
    sink_open(&s, OUT_JSON, &lay);
    out_row(s.o,
            &(OutRow){.id = "E", .source = "s", .total = N(9, 0), .scores = sc, .score_text = tx});
    out_row(s.o, &(OutRow){.id = "E", .source = "s", .total = N(9, 0), .scores = sc});
    sink_expect(&s, want);

    enum { NS = 400 };
    static char namebuf[NS][48];
    static const char *many[NS];
    static Dec msc[NS];
    char *w = malloc(NS * 64 + 256);
    n = (size_t)sprintf(w, "{\"id\":\"E\",\"source\":\"s\",\"total\":9,\"scores\":{");
    for (int i = 0; i < NS; i++) {
        snprintf(namebuf[i], sizeof namebuf[i], "score-number-%d-with-a-long-name", i);
        many[i] = namebuf[i];
        msc[i] = N(i, 1);
        n += (size_t)sprintf(w + n, "%s\"%s\":%d", i ? "," : "", namebuf[i], i / 10);
        if (i % 10)
            n += (size_t)sprintf(w + n, ".%d", i % 10);
    }
    sprintf(w + n, "}}\n");
    OutLayout big = {.score_names = many, .nscores = NS};
    sink_open(&s, OUT_JSON, &big);
    out_row(s.o, &(OutRow){.id = "E", .source = "s", .total = N(9, 0), .scores = msc});
    sink_expect(&s, w);
    free(w);
}

/* More numbers than one reservation takes (row_room): a cell at a time, the
 * same bytes. 400 scores of i/4, the total 12.5, with and without texts. */
static void csv_many_scores(void **state)
{
    (void)state;
    enum { NS = 400 };
    static char namebuf[NS][16];
    static const char *names[NS];
    static Dec sc[NS];
    static DecText txt[NS + 1];
    static const DecText *tx[NS + 1];
    const char *grades[] = {"好"};
    char *want = malloc(NS * 16 + 8192);
    size_t n = 0;
    n += (size_t)sprintf(want + n, "id");
    for (int i = 0; i < NS; i++) {
        snprintf(namebuf[i], sizeof namebuf[i], "s%d", i);
        names[i] = namebuf[i];
        n += (size_t)sprintf(want + n, ",s%d", i);
        sc[i] = N(i * 25, 2);
        char t[32];
        if (i % 4 == 0)
            snprintf(t, sizeof t, "%d", i / 4);
        else
            snprintf(t, sizeof t, "%d.%d", i / 4, (i % 4) * 25 % 100 == 50 ? 5 : (i % 4) * 25);
        txt[i] = dt(t);
        tx[i] = &txt[i];
    }
    txt[NS] = dt("12.5");
    tx[NS] = &txt[NS];
    n += (size_t)sprintf(want + n, ",total,grade,error\n");
    for (int row = 0; row < 2; row++) {
        n += (size_t)sprintf(want + n, "E%d", row);
        for (int i = 0; i < NS; i++)
            n += (size_t)sprintf(want + n, ",%s", txt[i].s);
        n += (size_t)sprintf(want + n, ",12.5,好,\n");
    }
    OutLayout lay = {.score_names = names,
                     .nscores = NS,
                     .has_grade = true,
                     .grade_texts = grades,
                     .ngrades = 1};
    Sink s;
    sink_open(&s, OUT_CSV, &lay);
    out_row(s.o, &(OutRow){.id = "E0",
                           .source = "s",
                           .total = N(125, 1),
                           .grade = grades[0],
                           .scores = sc,
                           .score_text = tx});
    out_row(s.o, &(OutRow){.id = "E1",
                           .source = "s",
                           .total = N(125, 1),
                           .grade = "好",
                           .grade_rule = -1,
                           .scores = sc});
    sink_expect(&s, want);
    free(want);
}

/* ---- table --------------------------------------------------------------- */

static void table_aligns_cjk(void **state)
{
    (void)state;
    const char *names[] = {"业绩考核", "客户管理", "x"};
    const char *outs[] = {"系数", "说明"};
    OutLayout lay = {
        .score_names = names, .nscores = 3, .output_names = outs, .noutputs = 2, .has_grade = true};
    Dec a[] = {N(90, 0), N(54, 0), N(-5, 0)};
    Dec b[] = {N(1005, 1), N(7, 0), N(12345, 2)};
    Value oa[] = {pct(925, 3), text("很好")};
    Value ob[] = {pct(1, 0), text("ok")};
    Sink s;
    sink_open(&s, OUT_TABLE, &lay);
    out_row(s.o, &(OutRow){.id = "张三",
                           .source = "s",
                           .total = N(872, 1),
                           .grade = "良好",
                           .scores = a,
                           .outputs = oa});
    out_row(s.o, &(OutRow){.id = "E1002",
                           .source = "s",
                           .total = N(100, 0),
                           .grade = "A",
                           .scores = b,
                           .outputs = ob});
    sink_expect(&s, "id     业绩考核  客户管理       x  total  grade   系数  说明\n"
                    "-----  --------  --------  ------  -----  -----  -----  ----\n"
                    "张三         90        54      -5   87.2  良好   92.5%  很好\n"
                    "E1002     100.5         7  123.45    100  A       100%  ok\n");
}

static void table_error_row(void **state)
{
    (void)state;
    Sink s;
    sink_open(&s, OUT_TABLE, &seed_layout);
    seed_rows(s.o);
    out_row(s.o, &(OutRow){.id = "王五", .source = "s", .error = "line\none\x1b[31m"});
    sink_expect(&s, "id     业绩考核  客户管理  客服流程体系的建立与完善  total  grade\n"
                    "-----  --------  --------  ------------------------  -----  -----\n"
                    "E1001        90        54                        20   87.2  良好\n"
                    "E1002  error: item 客服流程体系的建立与完善: no rule matched (完成率 = 82%)\n"
                    "王五   error: line one [31m\n");
}

static void table_copies_rows(void **state)
{
    (void)state;
    const char *names[] = {"a"};
    OutLayout lay = {.score_names = names, .nscores = 1, .has_grade = true};
    char id[16], grade[8];
    Dec sc[1];
    Sink s;
    sink_open(&s, OUT_TABLE, &lay);
    for (int i = 0; i < 3; i++) {
        snprintf(id, sizeof id, "E%d", i);
        snprintf(grade, sizeof grade, "%c", 'A' + i);
        sc[0] = N(i * 10, 0);
        out_row(s.o,
                &(OutRow){.id = id, .source = "s", .total = N(i, 0), .grade = grade, .scores = sc});
    }
    memset(id, '?', sizeof id - 1);
    sink_expect(&s, "id   a  total  grade\n"
                    "--  --  -----  -----\n"
                    "E0   0      0  A\n"
                    "E1  10      1  B\n"
                    "E2  20      2  C\n");
}

static void table_empty(void **state)
{
    (void)state;
    const char *names[] = {"业绩"};
    OutLayout lay = {.score_names = names, .nscores = 1};
    Sink s;
    sink_open(&s, OUT_TABLE, &lay);
    sink_expect(&s, "id  业绩  total\n--  ----  -----\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_seed_example),
        cmocka_unit_test(json_without_grade),
        cmocka_unit_test(json_numbers_shortest),
        cmocka_unit_test(json_outputs),
        cmocka_unit_test(json_vetoes),
        cmocka_unit_test(json_raters_last),
        cmocka_unit_test(json_escaping),
        cmocka_unit_test(json_large_output),
        cmocka_unit_test(write_error_is_reported),
        cmocka_unit_test(mem_out_jobs),
        cmocka_unit_test(csv_seed_example),
        cmocka_unit_test(csv_quoting_and_formula_guard),
        cmocka_unit_test(csv_without_grade_or_outputs),
        cmocka_unit_test(csv_invalid_utf8_replaced),
        cmocka_unit_test(tsv_rows),
        cmocka_unit_test(ids_every_position),
        cmocka_unit_test(csv_numbers_texts_and_not),
        cmocka_unit_test(csv_fast_rows_and_fallbacks),
        cmocka_unit_test(json_id_len),
        cmocka_unit_test(csv_grade_tails),
        cmocka_unit_test(tsv_grade_tails),
        cmocka_unit_test(json_grade_tails),
        cmocka_unit_test(json_scores_blocks),
        cmocka_unit_test(csv_many_scores),
        cmocka_unit_test(table_aligns_cjk),
        cmocka_unit_test(table_error_row),
        cmocka_unit_test(table_copies_rows),
        cmocka_unit_test(table_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
