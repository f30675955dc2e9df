/* output.c - scored employees as JSON Lines, CSV, TSV or a terminal table.
 *
 * CSV, TSV and JSON are streamed: each row is formatted by hand (dec_format
 * for numbers, text escaped byte by byte) straight into one 64 KiB buffer that
 * goes to fwrite only when full and at out_finish, so a million employees cost
 * no printf and no allocation per row. A memory Out (out_open_mem: a -j
 * worker's) has no file: its buffer is the caller's, grown instead of
 * flushed, so a job's rows are written once, where the writer takes them.
 * What is the same on every row - the JSON keys, already escaped and quoted,
 * and each literal grade's cell - is prepared once by out_open; a row's numbers (their text mostly
 * made ahead by the evaluator) and its end go into one reservation of the buffer, and only text
 * from the input (ids, shown facts, messages) is scanned for escaping.
 *
 * Text always comes out as valid UTF-8: an invalid byte becomes U+FFFD, so a
 * stray GB18030 byte in an id cannot break a JSON or CSV reader. A CSV/TSV text
 * cell starting with = + - or @ gets a leading ' so a spreadsheet does not run
 * it as a formula; numbers never do (-5 stays a number).
 *
 * A table must see every row before it knows its column widths, so out_row
 * copies the row's cells, formatted and cleaned of control characters, into an
 * arena, and out_finish prints them aligned by display width (CJK characters
 * are two columns). An error row prints its id and then "error: MESSAGE" in
 * place of the scores, so a long message does not widen any column. */
#include "output.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "arena.h"
#include "utf8.h"

/* the general path of a row kept out of its fast path's caller, so that the
   fast path's registers are few (no saving and restoring them a row) */
#if defined(__GNUC__)
#define NOINLINE __attribute__((noinline))
#else
#define NOINLINE
#endif

enum {
    OUT_BUFSZ = 64 * 1024, /* the write buffer */
    MEM_FIRST = 1 << 20,   /* a memory Out's first buffer: a -j job's rows (256 KiB of CSV
                              make about 320 KiB of CSV rows, 1.6 MiB of JSON) mostly fit, not
                              moved by regrowth; pages untouched cost no memory */
    ESC_GROW = 6,          /* worst growth of escaped text: a byte to \u00XX */
    ESC_CHUNK = 4096,      /* input bytes escaped per buffer reservation */
};

typedef enum {
    ESC_JSON,  /* inside a JSON string */
    ESC_CSV,   /* inside a CSV cell: " doubled (the caller quotes the cell) */
    ESC_TSV,   /* a TSV cell: tab, CR and LF become a space */
    ESC_TABLE, /* a terminal: every control character becomes a space */
} Esc;

typedef struct {
    const char *s; /* bytes, not NUL-terminated */
    size_t n;
} Str;

typedef struct {
    const char *s; /* formatted, cleaned text (arena) */
    size_t len;    /* bytes */
    size_t width;  /* display columns */
    bool num;      /* a number: right-aligned */
} Cell;

typedef struct TRow TRow;
struct TRow {
    TRow *next;   /* the next row in input order */
    Cell error;   /* error.s set: only cells[0], the id, is kept */
    Cell cells[]; /* Out.ncols, or 1 for an error row */
};

/* A batch prints the same few numbers over and over (20, 16, 87.5), so their
 * text is kept by value; a hit copies what dec_format would write. */
#define NUM_CACHE 512
typedef struct {
    Dec key;
    unsigned char len; /* 0: empty slot */
    char text[DEC_BUFSZ];
} NumText;

/* The short text (at most 8 bytes) of a number fmt_short formats, by value:
 * a hit is two compares and one 8-byte copy. */
#define SHORT_CACHE 512
typedef struct {
    uint64_t lo, hi; /* the Dec's two halves */
    uint64_t text;   /* its bytes (len of them count) */
    unsigned len;    /* 0: empty slot */
} ShortText;

/* A short text found plain before, kept whole: a batch's grades are a
 * handful of texts, row after row, and comparing one is cheaper than a
 * UTF-8 scan. A hit needs the same bytes, so where they came from does not
 * matter (the pointer only picks the slot). */
#define SEEN_SLOTS 4
#define SEEN_MAX 32
typedef struct {
    const char *s;
    size_t n; /* 0: empty slot */
    unsigned mode;
    char copy[SEEN_MAX];
} Seen;

/* What a row writes after its total when its grade is known ahead, made once
 * by out_open: CSV/TSV the separator, the grade's cell and, without outputs,
 * the empty error cell and the newline; JSON ,"grade":"…". Padded, so that
 * a row copies it with one fixed-size memcpy. */
enum { TAIL_MAX = 64 };
typedef struct {
    char text[TAIL_MAX];
    size_t len;    /* 0: not made (a grade too long, or not a literal) */
    const char *g; /* the grade rule's text (layout->grade_texts), NULL for tail_none */
} Tail;

struct Out {
    FILE *f; /* NULL: a memory Out (out_open_mem) */
    OutFormat fmt;
    const OutLayout *lay;
    char *buf;             /* cap bytes: waiting for fwrite, or a memory Out's rows */
    size_t len;            /* bytes used in buf */
    size_t cap;            /* OUT_BUFSZ, or (memory) the size of buf, 0 between jobs */
    bool failed;           /* an fwrite came up short */
    Arena arena;           /* prepared keys; a table's rows */
    Str *show_keys;        /* JSON: "name": for each shown fact, escaped */
    Str *score_keys;       /* JSON: "name": for each score, escaped */
    Str *score_pre;        /* JSON: { or , and then "name":, zero-padded to 32 bytes or a
                              whole number of 16-byte blocks */
    size_t scores_room;    /* JSON: room for the scores' object at once, 0: a key at a time */
    Str *output_keys;      /* JSON: "name": for each output */
    Str *rater_keys;       /* JSON: "name": for each rater */
    size_t ncols;          /* table: id, shown facts, scores, total, grade?, outputs */
    TRow *rows;            /* table: rows in input order */
    TRow **tail;           /* where the next row is linked */
    NumText *nums;         /* NUM_CACHE formatted numbers, by value */
    ShortText *shorts;     /* SHORT_CACHE short numbers, by value */
    Seen seen[SEEN_SLOTS]; /* texts found plain (grades) */
    char sep;              /* CSV , or TSV tab */
    size_t nnums;          /* the numbers of a row: nscores, and the total */
    size_t nnums4;         /* nnums rounded down to a multiple of 4 */
    size_t ngrades;        /* layout->ngrades */
    size_t fast_room;      /* CSV/TSV: csv_row_fast's room for a row's numbers and tail, 0:
                              no fast rows (shown facts, outputs, too many numbers) */
    size_t row_room;       /* CSV/TSV: room for a row's numbers and tail (csv_row), 0 if too
                              many numbers for one reservation */
    Tail *tails;           /* per grade rule (layout->ngrades), the row's end after the total */
    Tail tail_none;        /* CSV/TSV: the same for a row without a grade */
};

/* ---- the write buffer ---- */

static void flush(Out *o)
{
    if (o->f && o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
        o->failed = true;
    if (o->f)
        o->len = 0;
}

/* Make room for n more bytes: a file's buffer is written out (n <= OUT_BUFSZ
 * then fits), a memory Out's buffer grows (doubled, so that a job's rows are
 * moved a bounded number of times; the buffer is reused job after job). */
static void make_room(Out *o, size_t n)
{
    if (o->f) {
        flush(o);
        return;
    }
    size_t cap = o->cap ? o->cap : MEM_FIRST;
    while (cap - o->len < n)
        cap *= 2;
    o->buf = xrealloc(o->buf, cap);
    o->cap = cap;
}

/* Room for n (<= OUT_BUFSZ) bytes at the end of the buffer; the caller writes
 * there and advances o->len. */
static inline char *reserve(Out *o, size_t n)
{
    if (o->cap - o->len < n)
        make_room(o, n);
    return o->buf + o->len;
}

static void put(Out *o, const char *s, size_t n)
{
    if (o->cap - o->len < n) {
        if (o->f && n >= OUT_BUFSZ) { /* too large for the buffer: straight to the file */
            flush(o);
            if (fwrite(s, 1, n, o->f) != n)
                o->failed = true;
            return;
        }
        make_room(o, n);
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

#define PUT_LIT(o, lit) put((o), (lit), sizeof(lit) - 1)

static void put_char(Out *o, char c)
{
    if (o->len == o->cap)
        make_room(o, 1);
    o->buf[o->len++] = c;
}

static void put_spaces(Out *o, size_t n)
{
    while (n) {
        size_t k = n < 256 ? n : 256;
        memset(reserve(o, k), ' ', k);
        o->len += k;
        n -= k;
    }
}

/* ---- numbers ---- */

static const char PAIRS[] = "00010203040506070809101112131415161718192021222324"
                            "25262728293031323334353637383940414243444546474849"
                            "50515253545556575859606162636465666768697071727374"
                            "75767778798081828384858687888990919293949596979899";

/* The decimal digits of x at p; returns how many. Two at a time from PAIRS,
 * from the last digit back, after counting them. */
static size_t put_u64(char *p, uint64_t x)
{
    size_t n = x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : x < 10000 ? 4 : 5;
    for (uint64_t t = 100000; n >= 5 && n < 20 && x >= t; t *= 10) /* at most 20 digits */
        n++;
    char *q = p + n;
    while (x >= 100) {
        unsigned d = (unsigned)(x % 100) * 2;
        x /= 100;
        *--q = PAIRS[d + 1];
        *--q = PAIRS[d];
    }
    if (x >= 10) {
        *--q = PAIRS[x * 2 + 1];
        *--q = PAIRS[x * 2];
    } else {
        *--q = (char)('0' + x);
    }
    return n;
}

/* d in its shortest form at p (DEC_BUFSZ bytes of room), as dec_format
 * writes it, when d has at most two places and its whole part fits 64 bits
 * (every reported number at `round 2` or less); else 0, and dec_format does
 * it. The whole part comes from one hardware-sized division, the fraction
 * from PAIRS: no 128-bit division, no trailing-zero loop. */
static size_t fmt_short(Dec d, char *p)
{
    const uint64_t P18 = 1000000000000000000ULL, P16 = 10000000000000000ULL;
    unsigned __int128 m = d.v < 0 ? -(unsigned __int128)d.v : (unsigned __int128)d.v;
    if (m >> 64 >= P18 / 4) /* keep the quotient below 2^62 */
        return 0;
    uint64_t hi = (uint64_t)(m >> 64), lo = (uint64_t)m, ip, fp;
    if (hi == 0)
        ip = lo / P18, fp = lo % P18;
    else
        ip = dec_div_small(m, P18, &fp);
    if (fp % P16 != 0)
        return 0;
    size_t n = 0;
    if (d.v < 0)
        p[n++] = '-';
    n += put_u64(p + n, ip);
    if (fp) {
        unsigned h = (unsigned)(fp / P16);
        p[n++] = '.';
        p[n++] = PAIRS[h * 2];
        if (h % 10)
            p[n++] = PAIRS[h * 2 + 1];
    }
    return n;
}

/* fmt_short through the cache of short texts; p has DEC_BUFSZ bytes of room
 * (8 of them are written on a hit). */
static inline size_t fmt_cached(Out *o, Dec d, char *p)
{
    uint64_t lo = (uint64_t)d.v, hi = (uint64_t)((unsigned __int128)d.v >> 64);
    /* reported numbers are multiples of 10^16 = 2^16 x 5^16: hash above those bits */
    ShortText *c = &o->shorts[((lo >> 16) * 0x9E3779B97F4A7C15ull) >> 55];
    if (c->len && c->lo == lo && c->hi == hi) {
        memcpy(p, &c->text, 8);
        return c->len;
    }
    size_t n = fmt_short(d, p);
    if (n && n <= 8) {
        c->lo = lo, c->hi = hi, c->len = (unsigned)n;
        c->text = 0;
        memcpy(&c->text, p, n);
    }
    return n;
}

/* d as dec_format writes it, at p (DEC_BUFSZ bytes of room); returns the
 * length. The short form through its cache, else the cache of longer texts,
 * else dec_format itself. */
static size_t fmt_num(Out *o, Dec d, char *p)
{
    size_t n = fmt_cached(o, d, p);
    if (n)
        return n;
    uint64_t h = (uint64_t)d.v ^ (uint64_t)((unsigned __int128)d.v >> 64);
    h = (h ^ (h >> 29)) * 0x9E3779B97F4A7C15ull;
    NumText *c = &o->nums[(h >> 40) & (NUM_CACHE - 1)];
    if (c->len && c->key.v == d.v) {
        memcpy(p, c->text, c->len);
        return c->len;
    }
    n = dec_format(d, p);
    c->key = d;
    c->len = (unsigned char)n;
    memcpy(c->text, p, n);
    return n;
}

static void put_dec(Out *o, Dec d)
{
    char *p = reserve(o, DEC_BUFSZ);
    o->len += fmt_num(o, d, p);
}

/* A number whose text was made ahead (t), else d formatted: one 16-byte copy. */
static inline void put_num(Out *o, Dec d, const DecText *t)
{
    if (!t) {
        put_dec(o, d);
        return;
    }
    char *p = reserve(o, sizeof *t);
    memcpy(p, t, sizeof *t);
    o->len += t->len;
}

/* A percent held as its fraction, in percent units (0.925 -> "92.5"): the
 * shortest form with the point moved two places right, done on the digits so
 * that no fraction is too large to scale. Returns the length; buf has room for
 * DEC_BUFSZ bytes (a formatted Dec is at most 40, two more zeros fit). */
static size_t fmt_percent(Dec d, char *buf)
{
    char t[DEC_BUFSZ];
    size_t n = dec_format(d, t), i = 0, len = 0;
    if (t[0] == '-')
        buf[len++] = '-', i = 1;
    const char *dot = memchr(t + i, '.', n - i);
    size_t ilen = dot ? (size_t)(dot - (t + i)) : n - i;
    const char *frac = dot ? dot + 1 : "";
    size_t flen = dot ? n - i - ilen - 1 : 0;

    char digits[DEC_BUFSZ];
    size_t nd = 0;
    memcpy(digits, t + i, ilen), nd = ilen;
    for (size_t k = 0; k < 2; k++)
        digits[nd++] = k < flen ? frac[k] : '0';
    size_t lead = 0;
    while (lead + 1 < nd && digits[lead] == '0')
        lead++;
    memcpy(buf + len, digits + lead, nd - lead), len += nd - lead;
    if (flen > 2) {
        buf[len++] = '.';
        memcpy(buf + len, frac + 2, flen - 2), len += flen - 2;
    }
    buf[len] = 0;
    return len;
}

static void put_percent(Out *o, Dec d, bool sign)
{
    char *p = reserve(o, DEC_BUFSZ + 1);
    size_t n = fmt_percent(d, p);
    if (sign)
        p[n++] = '%';
    o->len += n;
}

/* ---- text ---- */

/* \" \\ and the short forms JSON has for control characters; 0: use \u00XX. */
static const char json_short[128] = {
    ['"'] = '"',  ['\\'] = '\\', ['\n'] = 'n', ['\t'] = 't',
    ['\r'] = 'r', ['\b'] = 'b',  ['\f'] = 'f',
};

static char *json_escape_byte(char *d, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    *d++ = '\\';
    if (json_short[c]) {
        *d++ = json_short[c];
    } else {
        memcpy(d, "u00", 3), d += 3;
        *d++ = hex[c >> 4];
        *d++ = hex[c & 15];
    }
    return d;
}

/* Write s[0..n) to dst escaped for mode; dst has room for ESC_GROW * n bytes.
 * Returns the bytes written. Invalid UTF-8 becomes U+FFFD, one per byte. */
static size_t escape(char *dst, const char *s, size_t n, Esc mode)
{
    char *d = dst;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            uint32_t cp;
            int k = utf8_decode(s + i, n - i, &cp);
            if (!k) {
                memcpy(d, "\xEF\xBF\xBD", 3), d += 3;
                i++;
            } else if (mode == ESC_TABLE && cp < 0xA0) {
                *d++ = ' ', i += (size_t)k; /* C1 controls move a terminal too */
            } else {
                memcpy(d, s + i, (size_t)k), d += k;
                i += (size_t)k;
            }
            continue;
        }
        i++;
        if (c >= 0x20 && c != 0x7F && c != '"' && c != '\\') {
            *d++ = (char)c;
            continue;
        }
        switch (mode) {
        case ESC_JSON:
            if (c == 0x7F)
                *d++ = (char)c; /* DEL is valid JSON as it is */
            else
                d = json_escape_byte(d, c);
            break;
        case ESC_CSV:
            if (c == '"')
                *d++ = '"';
            *d++ = (char)c;
            break;
        case ESC_TSV:
            *d++ = c == '\t' || c == '\n' || c == '\r' ? ' ' : (char)c;
            break;
        case ESC_TABLE:
            *d++ = c < 0x20 || c == 0x7F ? ' ' : (char)c;
            break;
        }
    }
    return (size_t)(d - dst);
}

/* Escape s[0..n) into the write buffer, a chunk at a time; a chunk never ends
 * inside a UTF-8 sequence, so splitting changes nothing. */
static void put_escaped(Out *o, const char *s, size_t n, Esc mode)
{
    while (n) {
        size_t k = n;
        if (k > ESC_CHUNK) {
            k = ESC_CHUNK;
            for (int b = 0; b < 3 && ((unsigned char)s[k] & 0xC0) == 0x80; b++)
                k--;
        }
        char *d = reserve(o, ESC_GROW * k);
        o->len += escape(d, s, k, mode);
        s += k, n -= k;
    }
}

/* Bytes below 0x80 that a mode changes or that need a CSV cell quoted: bit
 * 1 for CSV (" , CR LF), 2 for JSON (" \\ and the controls), 4 for TSV (tab,
 * CR, LF). */
enum { SP_CSV = 1, SP_JSON = 2, SP_TSV = 4 };
static const unsigned char SPECIAL[128] = {
    [0] = 2,  [1] = 2,  [2] = 2,    [3] = 2,    [4] = 2,   [5] = 2,   [6] = 2,
    [7] = 2,  [8] = 2,  ['\t'] = 6, ['\n'] = 7, [11] = 2,  [12] = 2,  ['\r'] = 7,
    [14] = 2, [15] = 2, [16] = 2,   [17] = 2,   [18] = 2,  [19] = 2,  [20] = 2,
    [21] = 2, [22] = 2, [23] = 2,   [24] = 2,   [25] = 2,  [26] = 2,  [27] = 2,
    [28] = 2, [29] = 2, [30] = 2,   [31] = 2,   ['"'] = 3, [','] = 1, ['\\'] = 2};

/* Top bits set (among others) when a byte of x is below 0x20 or above 0x7F
 * or is " , or \\; none when every byte is plain. The subtractions find a zero
 * byte of x ^ c (a byte equal to c) or a byte below 0x20: the lowest such
 * byte borrows and so sets its top bit; a byte of 0x80 or more has its own. */
static inline uint64_t ascii_bad(uint64_t x)
{
    const uint64_t ones = 0x0101010101010101ull;
    uint64_t q = x ^ (ones * '"'), c = x ^ (ones * ','), b = x ^ (ones * '\\');
    return x | ((x - ones * 0x20) & ~x) | ((q - ones) & ~q) | ((c - ones) & ~c) | ((b - ones) & ~b);
}

/* Whether s[0..n) is printable ASCII without " , or \\ (then no mode changes
 * a byte of it), eight bytes at a time; false may still be plain. */
static bool ascii_plain(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
    uint64_t bad = 0, x;
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8) { /* whole words, the last eight below */
            memcpy(&x, s + i, 8);
            bad |= ascii_bad(x);
        }
        memcpy(&x, s + n - 8, 8); /* overlapping the word before: a byte twice is harmless */
    } else if (n >= 4) {
        uint32_t lo, hi; /* the first four and the last four */
        memcpy(&lo, s, 4), memcpy(&hi, s + n - 4, 4);
        x = lo | (uint64_t)hi << 32;
    } else { /* s[0], s[n/2], s[n-1]: every byte of up to three; padded with a plain byte */
        x = ones * 'a';
        if (n)
            x = (x << 24) | (unsigned char)s[0] | (uint64_t)(unsigned char)s[n / 2] << 8 |
                (uint64_t)(unsigned char)s[n - 1] << 16;
    }
    return !((bad | ascii_bad(x)) & high);
}

/* Whether s[0..n) is well-formed UTF-8 without a byte the mode (SP_*)
 * changes: then it is written as it is, with no escaping pass (an id, a
 * grade, a path). */
static bool plain(const char *s, size_t n, unsigned mode)
{
    if (ascii_plain(s, n))
        return true;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            if (SPECIAL[u[i]] & mode)
                return false;
            i++;
            continue;
        }
        size_t k = utf8_seq(u + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

/* Whether s[0..n) is plain (as plain), through the texts seen plain before
 * (Seen); false, for the caller's general path, when it is empty or longer
 * than SEEN_MAX. */
static bool plain_seen(Out *o, const char *s, size_t n, unsigned mode)
{
    if (!n || n > SEEN_MAX)
        return false;
    Seen *c = &o->seen[((uintptr_t)s >> 3) % SEEN_SLOTS];
    if (c->n == n && c->mode == mode && memcmp(c->copy, s, n) == 0)
        return true;
    if (!plain(s, n, mode))
        return false;
    *c = (Seen){.s = s, .n = n, .mode = mode};
    memcpy(c->copy, s, n);
    return true;
}

static void json_strn(Out *o, const char *s, size_t n)
{
    if (n < OUT_BUFSZ / 2 && plain(s, n, SP_JSON)) {
        char *d = reserve(o, n + 2);
        d[0] = '"';
        memcpy(d + 1, s, n);
        d[n + 1] = '"';
        o->len += n + 2;
        return;
    }
    put_char(o, '"');
    put_escaped(o, s, n, ESC_JSON);
    put_char(o, '"');
}

static void json_str(Out *o, const char *s)
{
    json_strn(o, s ? s : "", s ? strlen(s) : 0);
}

static bool formula_start(const char *s, size_t n)
{
    return n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
}

/* s[0..n) as a CSV or TSV text cell at d, which has room for ESC_GROW * n + 3
 * bytes; returns its length. This is the definition of a text cell: quoted
 * (CSV) when it holds , " CR or LF, a leading ' when it starts like a formula,
 * then escaped for the format. */
static size_t cell_into(char *d, const char *s, size_t n, OutFormat fmt)
{
    char *p = d;
    bool quote = false;
    for (size_t i = 0; fmt == OUT_CSV && i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (quote)
        *p++ = '"';
    if (formula_start(s, n))
        *p++ = '\'';
    p += escape(p, s, n, fmt == OUT_TSV ? ESC_TSV : ESC_CSV);
    if (quote)
        *p++ = '"';
    return (size_t)(p - d);
}

/* A CSV or TSV text cell (cell_into), guarded against formula injection. */
static void cell_textn(Out *o, const char *s, size_t n)
{
    bool guard = formula_start(s, n);
    if (n < OUT_BUFSZ / 2 && plain(s, n, o->fmt == OUT_TSV ? SP_TSV : SP_CSV)) {
        /* plain: escaping and quoting change nothing */
        char *d = reserve(o, n + 1);
        if (guard)
            *d++ = '\'', o->len++;
        memcpy(d, s, n);
        o->len += n;
        return;
    }
    if (n <= ESC_CHUNK) {
        o->len += cell_into(reserve(o, ESC_GROW * n + 3), s, n, o->fmt);
        return;
    }
    /* longer than a chunk: cell_into's bytes, escaped a chunk at a time */
    bool quote = false;
    for (size_t i = 0; o->fmt == OUT_CSV && i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (quote)
        put_char(o, '"');
    if (guard)
        put_char(o, '\'');
    put_escaped(o, s, n, o->fmt == OUT_TSV ? ESC_TSV : ESC_CSV);
    if (quote)
        put_char(o, '"');
}

/* Copy s[0..n) to d (room for n bytes) when it is certainly a plain CSV
 * and TSV cell: every byte ASCII from '-' (0x2D) up, which no format escapes
 * and none quotes (, " CR LF tab are all below 0x2D), and the first not - = or
 * @ (+ is below 0x2D). False (d's bytes then mean nothing) may still be plain:
 * the caller takes cell_textn. Eight bytes at a time: a byte below 0x2D
 * borrows in w - 0x2D.. and sets its top bit, where no byte at or above it
 * (and below 0x80) can; a byte of 0x80 or more has its top bit set in w. */
static inline bool csv_plain_copy(char *d, const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80, low = ones * 0x2D;
    uint64_t bad = 0;
    if (n >= 8) {
        uint64_t w;
        size_t i = 0;
        for (; i + 8 < n; i += 8) {
            memcpy(&w, s + i, 8);
            bad |= w | (w - low);
            memcpy(d + i, &w, 8);
        }
        memcpy(&w, s + n - 8, 8); /* the last eight, overlapping the word before */
        bad |= w | (w - low);
        memcpy(d + n - 8, &w, 8);
    } else if (n >= 4) {
        uint32_t a, b; /* the first four and the last four */
        memcpy(&a, s, 4), memcpy(&b, s + n - 4, 4);
        uint64_t w = a | (uint64_t)b << 32;
        bad = w | (w - low);
        memcpy(d, &a, 4), memcpy(d + n - 4, &b, 4);
    } else if (n) {
        unsigned char a = (unsigned char)s[0], b = (unsigned char)s[n / 2],
                      c = (unsigned char)s[n - 1];
        uint64_t w = a | (uint64_t)b << 8 | (uint64_t)c << 16 | (ones * 'a' << 24);
        bad = w | (w - low);
        d[0] = (char)a, d[n / 2] = (char)b, d[n - 1] = (char)c;
    }
    return !(bad & high) && !(n && (s[0] == '-' || s[0] == '=' || s[0] == '@'));
}

static void cell_text(Out *o, const char *s)
{
    cell_textn(o, s ? s : "", s ? strlen(s) : 0);
}

/* The prepared tail (Tail) of row r's grade when it is known ahead: no
 * grade, or the text of the grade rule that fired when that rule's is a
 * literal - the fast evaluator reports the literal's own string (a pointer
 * into the program, never rewritten: equal pointers, equal bytes), the
 * general one a copy, compared by its bytes. NULL: write the grade as text. */
static inline const Tail *grade_tail(const Out *o, const OutRow *r)
{
    if (!r->grade)
        return &o->tail_none;
    size_t i = (size_t)r->grade_rule; /* -1: not known */
    if (i >= o->lay->ngrades || !o->tails[i].len)
        return NULL;
    const char *g = o->lay->grade_texts[i];
    return g == r->grade || strcmp(g, r->grade) == 0 ? &o->tails[i] : NULL;
}

/* ---- JSON Lines ---- */

/* "name": escaped once, for a key written on every row. */
static Str json_key(Out *o, const char *name)
{
    size_t n = strlen(name);
    char *p = arena_alloc(&o->arena, ESC_GROW * n + 3);
    size_t len = 0;
    p[len++] = '"';
    len += escape(p + len, name, n, ESC_JSON);
    p[len++] = '"';
    p[len++] = ':';
    return (Str){p, len};
}

static Str *json_keys(Out *o, const char *const *names, size_t n)
{
    Str *k = arena_alloc(&o->arena, (n ? n : 1) * sizeof *k);
    for (size_t i = 0; i < n; i++)
        k[i] = json_key(o, names[i]);
    return k;
}

/* ,"vetoes":["reason",…] */
static void json_vetoes(Out *o, const char *const *v, size_t n)
{
    PUT_LIT(o, ",\"vetoes\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            put_char(o, ',');
        json_str(o, v[i]);
    }
    put_char(o, ']');
}

/* The scores, with their texts when made ahead (texts: NULL, or one a score).
 * In one reservation (scores_room) when it is not too large: each key with
 * its { or , copied from its padded block (32 bytes, then 16 at a time), each number as
 * its text made ahead (one 16-byte copy) or formatted. */
static void json_scores(Out *o, const Dec *scores, const DecText *const *texts)
{
    size_t ns = o->lay->nscores;
    if (o->scores_room) {
        char *p = reserve(o, o->scores_room), *q = p;
        for (size_t i = 0; i < ns; i++) {
            const Str *k = &o->score_pre[i];
            memcpy(q, k->s, 32); /* most keys: a CJK name of up to 9 characters */
            for (size_t c = 32; c < k->n; c += 16)
                memcpy(q + c, k->s + c, 16);
            q += k->n;
            const DecText *t = texts ? texts[i] : NULL;
            if (t) {
                memcpy(q, t, sizeof *t); /* 16 bytes, of which t->len count */
                q += t->len;
            } else {
                q += fmt_num(o, scores[i], q);
            }
        }
        *q++ = '}';
        o->len += (size_t)(q - p);
        return;
    }
    put_char(o, '{');
    for (size_t i = 0; i < ns; i++) {
        if (i)
            put_char(o, ',');
        put(o, o->score_keys[i].s, o->score_keys[i].n);
        put_num(o, scores[i], texts ? texts[i] : NULL);
    }
    put_char(o, '}');
}

/* score_pre and scores_room (json_scores) from the score keys. */
static void json_scores_prepare(Out *o)
{
    size_t ns = o->lay->nscores, room = 1; /* the closing } */
    if (!ns)
        return; /* {} a character at a time */
    o->score_pre = arena_alloc(&o->arena, ns * sizeof *o->score_pre);
    for (size_t i = 0; i < ns; i++) {
        const Str *k = &o->score_keys[i];
        size_t n = k->n + 1, padded = n <= 32 ? 32 : (n + 15) / 16 * 16;
        char *b = arena_zalloc(&o->arena, padded);
        b[0] = i ? ',' : '{';
        memcpy(b + 1, k->s, k->n);
        o->score_pre[i] = (Str){b, n};
        room += padded + DEC_BUFSZ;
        if (room > OUT_BUFSZ / 4) /* keys too long or too many: a key at a time */
            return;
    }
    o->scores_room = room;
}

static void json_value(Out *o, const Value *v)
{
    switch (v->kind) {
    case VAL_NUMBER:
        put_dec(o, v->d);
        break;
    case VAL_PERCENT:
        put_percent(o, v->d, false);
        break;
    case VAL_BOOL:
        if (v->b)
            PUT_LIT(o, "true");
        else
            PUT_LIT(o, "false");
        break;
    case VAL_TEXT:
        json_strn(o, v->s, v->len);
        break;
    case VAL_NONE:
        PUT_LIT(o, "null");
        break;
    }
}

NOINLINE static void json_row(Out *o, const OutRow *r)
{
    const OutLayout *lay = o->lay;
    PUT_LIT(o, "{\"id\":");
    /* an id of known length that is plain (so it holds no NUL: id_len is
       strlen's too) needs no strlen */
    if (r->id_len && r->id_len < OUT_BUFSZ / 2 && plain(r->id, r->id_len, SP_JSON))
        json_strn(o, r->id, r->id_len);
    else
        json_str(o, r->id);
    PUT_LIT(o, ",\"source\":");
    json_str(o, r->source);
    if (lay->nshow) {
        PUT_LIT(o, ",\"show\":{");
        for (size_t i = 0; i < lay->nshow; i++) {
            if (i)
                put_char(o, ',');
            put(o, o->show_keys[i].s, o->show_keys[i].n);
            json_value(o, &r->shown[i]);
        }
        put_char(o, '}');
    }
    if (r->error) {
        PUT_LIT(o, ",\"error\":");
        json_str(o, r->error);
        PUT_LIT(o, "}\n");
        return;
    }
    PUT_LIT(o, ",\"total\":");
    put_num(o, r->total, r->score_text ? r->score_text[lay->nscores] : NULL);
    const Tail *gt = lay->has_grade && r->grade ? grade_tail(o, r) : NULL;
    if (gt) {
        memcpy(reserve(o, TAIL_MAX), gt->text, TAIL_MAX);
        o->len += gt->len;
    } else if (lay->has_grade) {
        PUT_LIT(o, ",\"grade\":");
        size_t gn = r->grade ? strlen(r->grade) : 0;
        if (r->grade && plain_seen(o, r->grade, gn, SP_JSON)) {
            char *d = reserve(o, gn + 2);
            d[0] = '"';
            memcpy(d + 1, r->grade, gn);
            d[gn + 1] = '"';
            o->len += gn + 2;
        } else if (r->grade)
            json_str(o, r->grade);
        else
            PUT_LIT(o, "null");
    }
    PUT_LIT(o, ",\"scores\":");
    json_scores(o, r->scores, r->score_text);
    if (lay->noutputs) {
        PUT_LIT(o, ",\"outputs\":{");
        for (size_t i = 0; i < lay->noutputs; i++) {
            if (i)
                put_char(o, ',');
            put(o, o->output_keys[i].s, o->output_keys[i].n);
            json_value(o, &r->outputs[i]);
        }
        put_char(o, '}');
    }
    if (lay->has_vetoes && r->nvetoes) /* only when one held */
        json_vetoes(o, r->vetoes, r->nvetoes);
    if (lay->nraters && r->raters) {
        PUT_LIT(o, ",\"raters\":{");
        for (size_t i = 0; i < lay->nraters; i++) {
            if (i)
                put_char(o, ',');
            put(o, o->rater_keys[i].s, o->rater_keys[i].n);
            PUT_LIT(o, "{\"total\":");
            put_dec(o, r->raters[i].total);
            PUT_LIT(o, ",\"scores\":");
            json_scores(o, r->raters[i].scores, NULL);
            if (r->raters[i].nvetoes)
                json_vetoes(o, r->raters[i].vetoes, r->raters[i].nvetoes);
            put_char(o, '}');
        }
        put_char(o, '}');
    }
    PUT_LIT(o, "}\n");
}

/* ---- CSV and TSV ---- */

static void csv_header(Out *o)
{
    const OutLayout *lay = o->lay;
    char sep = o->fmt == OUT_TSV ? '\t' : ',';
    PUT_LIT(o, "id");
    for (size_t i = 0; i < lay->nshow; i++)
        put_char(o, sep), cell_text(o, lay->show_names[i]);
    for (size_t i = 0; i < lay->nscores; i++)
        put_char(o, sep), cell_text(o, lay->score_names[i]);
    /* the grade column is always there, empty without a grade block, so a
       spreadsheet's columns do not move when a grade block is added */
    put_char(o, sep), PUT_LIT(o, "total");
    put_char(o, sep), PUT_LIT(o, "grade");
    for (size_t i = 0; i < lay->noutputs; i++)
        put_char(o, sep), cell_text(o, lay->output_names[i]);
    put_char(o, sep), PUT_LIT(o, "error");
    put_char(o, '\n');
}

static void csv_value(Out *o, const Value *v)
{
    switch (v->kind) {
    case VAL_NUMBER:
        put_dec(o, v->d);
        break;
    case VAL_PERCENT:
        put_percent(o, v->d, true);
        break;
    case VAL_BOOL:
        if (v->b)
            PUT_LIT(o, "true");
        else
            PUT_LIT(o, "false");
        break;
    case VAL_TEXT:
        cell_textn(o, v->s, v->len);
        break;
    case VAL_NONE:
        break;
    }
}

/* A CSV or TSV row after its id and shown facts, a cell at a time: the
 * general path (too many numbers for one reservation). */
static void csv_rest(Out *o, const OutRow *r)
{
    const OutLayout *lay = o->lay;
    char sep = o->sep;
    const DecText *const *tx = r->score_text;
    for (size_t i = 0; i < lay->nscores; i++)
        put_char(o, sep), put_num(o, r->scores[i], tx ? tx[i] : NULL);
    put_char(o, sep), put_num(o, r->total, tx ? tx[lay->nscores] : NULL);
    put_char(o, sep);
    if (r->grade)
        cell_text(o, r->grade);
    for (size_t k = 0; k < lay->noutputs; k++)
        put_char(o, sep), csv_value(o, &r->outputs[k]);
    put_char(o, sep);
    put_char(o, '\n');
}

/* sep and then t's text at q, which has room for 17 bytes; returns the end.
 * All 16 bytes of t are copied (DecText allows it): one 16-byte load and
 * store, then the length read. */
static inline char *put_text(char *q, char sep, const DecText *t)
{
    q[0] = sep;
    memcpy(q + 1, t, sizeof *t);
    return q + 1 + t->len;
}

/* The usual CSV or TSV row, all in one reservation, when it can be written
 * so (else false, and nothing was written: o->len has not moved): an id of
 * known length (id_len) that csv_plain_copy takes, every number's text made
 * ahead, no grade or the very string of a literal grade rule (as the fast
 * evaluator reports it) whose tail ends the row (no outputs), no shown facts,
 * no error, room in the buffer. Then its bytes are those of csv_row's paths:
 * the id as it is (plain, so it holds no NUL: id_len is strlen's too), each
 * number as a separator and its text, the tail. It calls nothing (no strlen,
 * strcmp or flush: those rows take csv_row), so that it needs no registers
 * saved and restored a row. */
static inline bool csv_row_fast(Out *o, const OutRow *r)
{
    const DecText *const *tx = r->score_text;
    size_t idn = r->id_len;
    if (!o->fast_room || !tx || !idn || r->error || idn > OUT_BUFSZ / 4)
        return false;
    const Tail *t = &o->tail_none;
    if (r->grade) {
        size_t g = (size_t)r->grade_rule; /* -1: not known */
        if (g >= o->ngrades)
            return false;
        t = &o->tails[g];
        if (!t->len || t->g != r->grade)
            return false;
    }
    if (o->cap - o->len < idn + o->fast_room)
        return false;
    char *p = o->buf + o->len, *q = p + idn;
    if (!csv_plain_copy(p, r->id, idn))
        return false;
    char sep = o->sep;
    /* the scores, then the total: four a round, then one at a time */
    const DecText *const *end4 = tx + o->nnums4, *const *end = tx + o->nnums;
    for (; tx < end4; tx += 4) {
        const DecText *a = tx[0], *b = tx[1], *c = tx[2], *d = tx[3];
        if (!a || !b || !c || !d)
            return false;
        q = put_text(q, sep, a);
        q = put_text(q, sep, b);
        q = put_text(q, sep, c);
        q = put_text(q, sep, d);
    }
    for (; tx < end; tx++) {
        if (!*tx)
            return false;
        q = put_text(q, sep, *tx);
    }
    /* most tails (a separator, a grade of up to ten CJK characters, the row's
       end) fit 32 bytes: one copy of those, a second for the rest */
    memcpy(q, t->text, TAIL_MAX / 2);
    if (t->len > TAIL_MAX / 2)
        memcpy(q + TAIL_MAX / 2, t->text + TAIL_MAX / 2, TAIL_MAX / 2);
    q += t->len;
    o->len += (size_t)(q - p);
    return true;
}

/* A CSV or TSV row. The numbers and what follows them are written into one
 * reservation (row_room: DEC_BUFSZ + 1 bytes a number, TAIL_MAX for the
 * tail), a number as its text made ahead (one 16-byte copy) or formatted;
 * numbers never need quoting or escaping. The grade comes as its prepared
 * tail when it is known ahead; only text from the input (the id, shown
 * facts, messages) is scanned. */
NOINLINE static void csv_row(Out *o, const OutRow *r)
{
    const OutLayout *lay = o->lay;
    char sep = o->sep;
    const char *id = r->id ? r->id : "";
    size_t idn = strlen(id);
    bool room = false; /* row_room reserved after the id */
    if (o->row_room && idn <= OUT_BUFSZ / 4 && !lay->nshow && !r->error) {
        /* the usual row: one reservation for all of it */
        char *p = reserve(o, idn + o->row_room);
        if ((room = csv_plain_copy(p, id, idn)))
            o->len += idn;
        else
            cell_textn(o, id, idn);
    } else {
        cell_textn(o, id, idn);
    }
    for (size_t i = 0; i < lay->nshow; i++)
        put_char(o, sep), csv_value(o, &r->shown[i]);
    if (r->error) {
        size_t empty = lay->nscores + 2 + lay->noutputs;
        for (size_t i = 0; i <= empty; i++)
            put_char(o, sep);
        cell_text(o, r->error);
        put_char(o, '\n');
        return;
    }
    if (!o->row_room) {
        csv_rest(o, r);
        return;
    }
    char *p = room ? o->buf + o->len : reserve(o, o->row_room), *q = p;
    const DecText *const *tx = r->score_text;
    size_t ns = lay->nscores;
    if (tx) { /* the texts made ahead, the total's last */
        size_t i = 0;
        for (; i < ns && tx[i] && tx[i + 1]; i += 2) { /* two at a time: less loop per number */
            const DecText *a = tx[i], *b = tx[i + 1];
            *q = sep;
            memcpy(q + 1, a, sizeof *a); /* 16 bytes, of which a->len count */
            q += a->len + 1u;
            *q = sep;
            memcpy(q + 1, b, sizeof *b);
            q += b->len + 1u;
        }
        for (; i <= ns; i++) {
            const DecText *t = tx[i];
            *q++ = sep;
            if (t) {
                memcpy(q, t, sizeof *t); /* 16 bytes, of which t->len count */
                q += t->len;
            } else {
                q += fmt_num(o, i < ns ? r->scores[i] : r->total, q);
            }
        }
    } else {
        for (size_t i = 0; i < ns; i++) {
            *q++ = sep;
            q += fmt_num(o, r->scores[i], q);
        }
        *q++ = sep;
        q += fmt_num(o, r->total, q);
    }
    const Tail *t = grade_tail(o, r);
    if (t) {
        memcpy(q, t->text, TAIL_MAX);
        q += t->len;
        o->len += (size_t)(q - p);
        if (!lay->noutputs) /* the tail ended the row */
            return;
    } else {
        o->len += (size_t)(q - p);
        put_char(o, sep);
        cell_text(o, r->grade);
    }
    for (size_t k = 0; k < lay->noutputs; k++)
        put_char(o, sep), csv_value(o, &r->outputs[k]);
    put_char(o, sep);
    put_char(o, '\n');
}

/* ---- the table ---- */

static Cell table_text(Out *o, const char *s, size_t n)
{
    char *p = arena_alloc(&o->arena, ESC_GROW * n + 1);
    size_t len = escape(p, s, n, ESC_TABLE);
    p[len] = 0;
    return (Cell){p, len, utf8_width(p, len), false};
}

static Cell table_str(Out *o, const char *s)
{
    return table_text(o, s ? s : "", s ? strlen(s) : 0);
}

static Cell table_num(Out *o, Dec d)
{
    char t[DEC_BUFSZ];
    size_t n = dec_format(d, t);
    return (Cell){arena_strndup(&o->arena, t, n), n, n, true};
}

static Cell table_value(Out *o, const Value *v)
{
    char t[DEC_BUFSZ + 1];
    size_t n;
    switch (v->kind) {
    case VAL_NUMBER:
        return table_num(o, v->d);
    case VAL_PERCENT:
        n = fmt_percent(v->d, t);
        t[n++] = '%';
        return (Cell){arena_strndup(&o->arena, t, n), n, n, true};
    case VAL_BOOL:
        return table_str(o, v->b ? "true" : "false");
    case VAL_TEXT:
        return table_text(o, v->s, v->len);
    case VAL_NONE:
        break;
    }
    return (Cell){"", 0, 0, false};
}

NOINLINE static void table_keep(Out *o, const OutRow *r)
{
    const OutLayout *lay = o->lay;
    size_t ncells = r->error ? 1 + lay->nshow : o->ncols;
    TRow *t = arena_alloc(&o->arena, sizeof *t + ncells * sizeof(Cell));
    t->next = NULL;
    t->error = (Cell){0};
    t->cells[0] = table_str(o, r->id);
    for (size_t i = 0; i < lay->nshow; i++)
        t->cells[1 + i] = table_value(o, &r->shown[i]);
    if (r->error) {
        t->error = table_str(o, r->error);
    } else {
        size_t c = 1 + lay->nshow;
        for (size_t i = 0; i < lay->nscores; i++)
            t->cells[c++] = table_num(o, r->scores[i]);
        t->cells[c++] = table_num(o, r->total);
        if (lay->has_grade)
            t->cells[c++] = table_str(o, r->grade);
        for (size_t i = 0; i < lay->noutputs; i++)
            t->cells[c++] = table_value(o, &r->outputs[i]);
    }
    *o->tail = t;
    o->tail = &t->next;
}

/* One cell padded to w columns. Spaces are held in *pending and written only
 * before further text, so no line ends in blanks. */
static void table_cell(Out *o, size_t *pending, const Cell *c, size_t w, bool right)
{
    size_t pad = w > c->width ? w - c->width : 0;
    if (right)
        *pending += pad;
    if (c->len) {
        put_spaces(o, *pending);
        *pending = 0;
        put(o, c->s, c->len);
    }
    if (!right)
        *pending += pad;
}

static void table_print(Out *o)
{
    const OutLayout *lay = o->lay;
    size_t ncols = o->ncols;
    Cell *head = xmalloc(ncols * sizeof *head);
    size_t *width = xmalloc(ncols * sizeof *width);
    bool *right = xmalloc(ncols * sizeof *right);

    size_t c = 0;
    head[c++] = table_str(o, "id");
    for (size_t i = 0; i < lay->nshow; i++)
        head[c++] = table_str(o, lay->show_names[i]);
    for (size_t i = 0; i < lay->nscores; i++)
        head[c++] = table_str(o, lay->score_names[i]);
    head[c++] = table_str(o, "total");
    if (lay->has_grade)
        head[c++] = table_str(o, "grade");
    for (size_t i = 0; i < lay->noutputs; i++)
        head[c++] = table_str(o, lay->output_names[i]);
    for (c = 0; c < ncols; c++) {
        width[c] = head[c].width;
        right[c] = c > lay->nshow && c <= lay->nshow + lay->nscores + 1; /* scores and total */
    }
    for (const TRow *t = o->rows; t; t = t->next) {
        size_t n = t->error.s ? 1 + lay->nshow : ncols;
        for (c = 0; c < n; c++) {
            if (t->cells[c].width > width[c])
                width[c] = t->cells[c].width;
            if (t->cells[c].num)
                right[c] = true; /* an output column of numbers or percents */
        }
    }

    size_t pending = 0;
    for (c = 0; c < ncols; c++) {
        if (c)
            pending += 2;
        table_cell(o, &pending, &head[c], width[c], right[c]);
    }
    put_char(o, '\n');
    for (c = 0; c < ncols; c++) {
        if (c)
            put_spaces(o, 2);
        for (size_t k = width[c]; k;) {
            size_t m = k < 256 ? k : 256;
            memset(reserve(o, m), '-', m);
            o->len += m, k -= m;
        }
    }
    put_char(o, '\n');
    for (const TRow *t = o->rows; t; t = t->next) {
        pending = 0;
        table_cell(o, &pending, &t->cells[0], width[0], false);
        for (c = 1; t->error.s && c <= lay->nshow; c++) {
            pending += 2;
            table_cell(o, &pending, &t->cells[c], width[c], right[c]);
        }
        if (t->error.s) {
            put_spaces(o, pending + 2);
            const char *label = _("error: "); /* the table is read by people */
            put(o, label, strlen(label));
            put(o, t->error.s, t->error.len);
        } else {
            for (c = 1; c < ncols; c++) {
                pending += 2;
                table_cell(o, &pending, &t->cells[c], width[c], right[c]);
            }
        }
        put_char(o, '\n');
    }
    free(head);
    free(width);
    free(right);
}

/* ---- the interface ---- */

/* The tail of grade text g (NULL: no grade) into t (Tail), as csv_row or
 * json_row would write it; t stays unmade when it would not fit. */
static void make_tail(Out *o, Tail *t, const char *g)
{
    size_t gn = g ? strlen(g) : 0, n = 0;
    if (gn > TAIL_MAX || (o->fmt == OUT_JSON && !g))
        return;
    char buf[16 + ESC_GROW * TAIL_MAX];
    if (o->fmt == OUT_JSON) {
        memcpy(buf, ",\"grade\":\"", 10), n = 10;
        n += escape(buf + n, g, gn, ESC_JSON);
        buf[n++] = '"';
    } else {
        buf[n++] = o->sep;
        n += cell_into(buf + n, g ? g : "", gn, o->fmt);
        if (!o->lay->noutputs) /* the empty error cell ends the row */
            buf[n++] = o->sep, buf[n++] = '\n';
    }
    if (n <= TAIL_MAX) {
        memcpy(t->text, buf, n);
        t->len = n;
    }
}

/* An Out on f, or a memory Out (f NULL: no buffer yet, no header). */
static Out *open_out(FILE *f, OutFormat fmt, const OutLayout *layout)
{
    Out *o = xmalloc(sizeof *o);
    *o = (Out){.f = f, .fmt = fmt, .lay = layout};
    if (f) {
        o->buf = xmalloc(OUT_BUFSZ);
        o->cap = OUT_BUFSZ;
    }
    o->nums = xmalloc(NUM_CACHE * sizeof *o->nums);
    memset(o->nums, 0, NUM_CACHE * sizeof *o->nums);
    o->shorts = xmalloc(SHORT_CACHE * sizeof *o->shorts);
    memset(o->shorts, 0, SHORT_CACHE * sizeof *o->shorts);
    arena_init(&o->arena);
    o->tail = &o->rows;
    o->ncols = 1 + layout->nshow + layout->nscores + 1 + layout->has_grade + layout->noutputs;
    o->sep = fmt == OUT_TSV ? '\t' : ',';
    o->nnums = layout->nscores + 1;
    o->nnums4 = o->nnums / 4 * 4;
    o->ngrades = layout->ngrades;
    if (fmt == OUT_CSV || fmt == OUT_TSV) {
        /* the numbers' room, DEC_BUFSZ + 1 each; more than a quarter of the
           buffer, and rows go a cell at a time */
        size_t per = DEC_BUFSZ + 1, max = (OUT_BUFSZ / 4 - TAIL_MAX) / per;
        o->row_room = layout->nscores + 1 <= max ? (layout->nscores + 1) * per + TAIL_MAX : 0;
        /* a separator and a 16-byte text a number */
        if (o->row_room && !layout->nshow && !layout->noutputs)
            o->fast_room = (layout->nscores + 1) * (1 + sizeof(DecText)) + TAIL_MAX;
    }
    o->tails = arena_zalloc(&o->arena, (layout->ngrades + 1) * sizeof *o->tails);
    if (fmt != OUT_TABLE) {
        for (size_t i = 0; i < layout->ngrades; i++) {
            o->tails[i].g = layout->grade_texts[i];
            if (layout->grade_texts[i])
                make_tail(o, &o->tails[i], layout->grade_texts[i]);
        }
        make_tail(o, &o->tail_none, NULL);
    }
    switch (fmt) {
    case OUT_JSON:
        o->show_keys = json_keys(o, layout->show_names, layout->nshow);
        o->score_keys = json_keys(o, layout->score_names, layout->nscores);
        json_scores_prepare(o);
        o->output_keys = json_keys(o, layout->output_names, layout->noutputs);
        o->rater_keys = json_keys(o, layout->rater_names, layout->nraters);
        break;
    case OUT_CSV:
    case OUT_TSV:
        if (f)
            csv_header(o);
        break;
    case OUT_TABLE:
        break;
    }
    return o;
}

Out *out_open(FILE *f, OutFormat fmt, const OutLayout *layout)
{
    return open_out(f, fmt, layout);
}

Out *out_open_mem(OutFormat fmt, const OutLayout *layout)
{
    return open_out(NULL, fmt == OUT_TABLE ? OUT_CSV : fmt, layout);
}

void out_mem_give(Out *o, char *buf, size_t cap)
{
    free(o->buf);
    o->buf = buf;
    o->cap = buf ? cap : 0;
    o->len = 0;
}

size_t out_mem_take(Out *o, char **buf, size_t *cap)
{
    size_t len = o->len;
    *buf = o->buf;
    *cap = o->cap;
    o->buf = NULL;
    o->cap = o->len = 0;
    return len;
}

void out_row(Out *o, const OutRow *row)
{
    switch (o->fmt) {
    case OUT_JSON:
        json_row(o, row);
        break;
    case OUT_CSV:
    case OUT_TSV:
        if (!csv_row_fast(o, row))
            csv_row(o, row);
        break;
    case OUT_TABLE:
        table_keep(o, row);
        break;
    }
}

int out_flush(Out *o)
{
    if (!o->f)
        return 0;
    if (o->fmt != OUT_TABLE)
        flush(o);
    return o->failed || fflush(o->f) != 0 ? -1 : 0;
}

int out_finish(Out *o)
{
    if (o->fmt == OUT_TABLE)
        table_print(o);
    flush(o);
    int rc = o->failed ? -1 : 0;
    if (o->f && (fflush(o->f) != 0 || ferror(o->f)))
        rc = -1;
    arena_free(&o->arena);
    free(o->buf);
    free(o->nums);
    free(o->shorts);
    free(o);
    return rc;
}
