/* output_text.c - the output's primitives: the write buffer, numbers and text.
 *
 * The buffer (flushed to the file, or grown for a memory Out), numbers in
 * their shortest exact form through two caches (fmt_short's hardware-sized
 * path, else dec_format), percents, and text: escaping for JSON, CSV, TSV and
 * the terminal, the fast checks that a text needs none, and CSV/TSV text
 * cells with their formula guard. The row writers (output.c, output_table.c)
 * build on these; see output_impl.h. */
#include <stdlib.h>

#include "output_impl.h"
#include "utf8.h"

/* ---- the write buffer ---- */

void out_buf_flush(Out *o)
{
    if (o->f && o->len && fwrite(o->buf, 1, o->len, o->f) != o->len)
        o->failed = true;
    if (o->f)
        o->len = 0;
}

/* Make room for n more bytes: a file's buffer is written out (n <= OUT_BUFSZ
 * then fits), a memory Out's buffer grows (doubled, so that a job's rows are
 * moved a bounded number of times; the buffer is reused job after job). */
void out_make_room(Out *o, size_t n)
{
    if (o->f) {
        out_buf_flush(o);
        return;
    }
    size_t cap = o->cap ? o->cap : MEM_FIRST;
    while (cap - o->len < n)
        cap *= 2;
    o->buf = xrealloc(o->buf, cap);
    o->cap = cap;
}

void out_put(Out *o, const char *s, size_t n)
{
    if (o->cap - o->len < n) {
        if (o->f && n >= OUT_BUFSZ) { /* too large for the buffer: straight to the file */
            out_buf_flush(o);
            if (fwrite(s, 1, n, o->f) != n)
                o->failed = true;
            return;
        }
        out_make_room(o, n);
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

void out_put_spaces(Out *o, size_t n)
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
size_t out_fmt_num(Out *o, Dec d, char *p)
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

void out_put_dec(Out *o, Dec d)
{
    char *p = reserve(o, DEC_BUFSZ);
    o->len += out_fmt_num(o, d, p);
}

/* A percent held as its fraction, in percent units (0.925 -> "92.5"): the
 * shortest form with the point moved two places right, done on the digits so
 * that no fraction is too large to scale. Returns the length; buf has room for
 * DEC_BUFSZ bytes (a formatted Dec is at most 40, two more zeros fit). */
size_t out_fmt_percent(Dec d, char *buf)
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

void out_put_percent(Out *o, Dec d, bool sign)
{
    char *p = reserve(o, DEC_BUFSZ + 1);
    size_t n = out_fmt_percent(d, p);
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
size_t out_escape(char *dst, const char *s, size_t n, Esc mode)
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
        o->len += out_escape(d, s, k, mode);
        s += k, n -= k;
    }
}

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
bool out_plain(const char *s, size_t n, unsigned mode)
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

void out_json_strn(Out *o, const char *s, size_t n)
{
    if (n < OUT_BUFSZ / 2 && out_plain(s, n, SP_JSON)) {
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

static bool formula_start(const char *s, size_t n)
{
    return n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
}

/* s[0..n) as a CSV or TSV text cell at d, which has room for ESC_GROW * n + 3
 * bytes; returns its length. This is the definition of a text cell: quoted
 * (CSV) when it holds , " CR or LF, a leading ' when it starts like a formula,
 * then escaped for the format. */
size_t out_cell_into(char *d, const char *s, size_t n, OutFormat fmt)
{
    char *p = d;
    bool quote = false;
    for (size_t i = 0; fmt == OUT_CSV && i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
    if (quote)
        *p++ = '"';
    if (formula_start(s, n))
        *p++ = '\'';
    p += out_escape(p, s, n, fmt == OUT_TSV ? ESC_TSV : ESC_CSV);
    if (quote)
        *p++ = '"';
    return (size_t)(p - d);
}

/* A CSV or TSV text cell (out_cell_into), guarded against formula injection. */
void out_cell_textn(Out *o, const char *s, size_t n)
{
    bool guard = formula_start(s, n);
    if (n < OUT_BUFSZ / 2 && out_plain(s, n, o->fmt == OUT_TSV ? SP_TSV : SP_CSV)) {
        /* plain: escaping and quoting change nothing */
        char *d = reserve(o, n + 1);
        if (guard)
            *d++ = '\'', o->len++;
        memcpy(d, s, n);
        o->len += n;
        return;
    }
    if (n <= ESC_CHUNK) {
        o->len += out_cell_into(reserve(o, ESC_GROW * n + 3), s, n, o->fmt);
        return;
    }
    /* longer than a chunk: out_cell_into's bytes, escaped a chunk at a time */
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
