/* facts.c - reading employees: fact files, streaming CSV, folders and stdin.
 *
 * Design. Input is read with read(2) into one buffer per reader (1 MiB, grown
 * only while a single CSV row or fact file does not fit, up to 64 MiB) and
 * parsed in place: a cell points into the buffer unless its text has to
 * change (a quoted CSV cell with "" escapes is unescaped into the caller's
 * arena). A CSV row costs one memchr for its line end, one for a quote, and a
 * look at eight bytes at a time for the commas; a row with a quote takes a
 * slower state machine
 * that may run over several lines and, when the buffer ends inside the row,
 * reads more and scans the row again. Nothing is taken from malloc per row,
 * so memory does not grow with the number of rows.
 *
 * Encodings. The encoding of a file is decided at its first block that holds
 * a byte above 0x7F (all-ASCII text reads the same either way): if that block
 * is well-formed UTF-8 the file is UTF-8; else, if it is well-formed GB18030
 * (what Excel and WPS on Chinese Windows save as "CSV") the rest of the file
 * is converted to UTF-8 with iconv as it streams in; else it stays UTF-8. A
 * byte that is not valid in the chosen encoding (iconv's rejects are marked
 * with a 0xFF byte in the converted text) makes the CSV row or fact file that
 * holds it an error, "not valid UTF-8 or GB18030 text"; rows without one are
 * read normally. */
#include "facts.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "utf8.h"
#include "xlsx.h"

enum {
    BLOCK = 1 << 16, /* read size and the buffer's usual size: small, so memory does not depend on
                        the input */
    BUF_MAX = 64 << 20, /* largest CSV row or fact file */
    SLACK = 64,         /* grow the buffer when less room than this is left */
    MAX_COLUMNS = 65536 /* widest CSV header */
};

static const char BAD_TEXT[] = N_("not valid UTF-8 or GB18030 text");

/* ---- input: a file read in blocks, converted to UTF-8 when needed ---- */

typedef enum {
    ENC_ASCII, /* only ASCII seen so far: undecided */
    ENC_UTF8,
    ENC_GB /* GB18030, converted by iconv */
} Enc;

typedef enum { FILL_BIG = -2, FILL_ERR = -1, FILL_EOF = 0, FILL_OK = 1 } Fill;

typedef struct {
    int fd;          /* -1: no file */
    bool own;        /* close fd when done (not standard input) */
    bool rd_eof;     /* read(2) has returned 0 */
    bool eof;        /* all of the input is in buf */
    int err;         /* errno of a failed read */
    char *buf;       /* UTF-8 text (converted when enc is ENC_GB) */
    size_t cap;      /* size of buf */
    size_t pos, end; /* unparsed text is buf[pos..end) */
    size_t checked;  /* buf[..checked) is known well-formed */
    Enc enc;
    bool marked; /* an iconv reject was marked in buf */
    iconv_t cd;  /* GB18030 to UTF-8, opened on first need */
    bool cd_open;
    char *raw; /* GB18030 bytes read but not yet converted */
    size_t raw_len, raw_cap;
    int line; /* line number of buf[pos] */
} Input;

static void in_start(Input *in, int fd, bool own)
{
    if (in->cap != BLOCK) {
        free(in->buf);
        in->buf = xmalloc(BLOCK);
        in->cap = BLOCK;
    }
    in->fd = fd;
    in->own = own;
    in->rd_eof = in->eof = false;
    in->err = 0;
    in->pos = in->end = in->checked = 0;
    in->enc = ENC_ASCII;
    in->marked = false;
    in->raw_len = 0;
    in->line = 1;
    if (in->cd_open)
        iconv(in->cd, NULL, NULL, NULL, NULL);
}

static void in_stop(Input *in)
{
    if (in->fd >= 0 && in->own)
        close(in->fd);
    in->fd = -1;
}

/* read(2) that retries on EINTR; sets rd_eof and err. */
static ssize_t in_read(Input *in, char *dst, size_t room)
{
    ssize_t n;
    do
        n = read(in->fd, dst, room);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        in->err = errno;
    else if (n == 0)
        in->rd_eof = true;
    return n;
}

/* Length of the run of ASCII bytes at the start of s[0..n). */
static size_t ascii_run(const char *s, size_t n)
{
    size_t i = 0;
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080u)
            break;
        i += 8;
    }
    while (i < n && (unsigned char)s[i] < 0x80)
        i++;
    return i;
}

/* Offset of the first byte of s[0..n) that does not start a well-formed
 * UTF-8 sequence, or n. Eight bytes at a time while they are ASCII, jumping
 * straight to the first byte above 0x7F of a word that has one. */
static size_t utf8_bad(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            w &= 0x8080808080808080u;
            if (!w) {
                i += 8;
                continue;
            }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            i += (size_t)__builtin_clzll(w) >> 3;
#else
            i += (size_t)__builtin_ctzll(w) >> 3;
#endif
        } else if (u[i] < 0x80) {
            i++;
            continue;
        }
        size_t k = utf8_seq(u + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

/* Whether s[0..n) (n < 4), which starts with a byte above 0x7F, could be the
 * start of a UTF-8 sequence cut off by the end of a block. */
static bool utf8_cut(const unsigned char *s, size_t n)
{
    int need = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : 2;
    if (s[0] < 0xC2 || s[0] > 0xF4 || n >= (size_t)need)
        return false;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xC0) != 0x80)
            return false;
    return true;
}

/* s[0..n) starts with a byte above 0x7F. 1: well-formed UTF-8; 0: too short
 * to tell (only a cut-off sequence, and more may follow); -1: not UTF-8. */
static int utf8_classify(const char *s, size_t n, bool more)
{
    size_t bad = utf8_bad(s, n);
    if (bad == n)
        return 1;
    if (more && n - bad < 4 && utf8_cut((const unsigned char *)s + bad, n - bad))
        return bad ? 1 : 0;
    return -1;
}

/* The same for GB18030: one byte 00-7F; two bytes 81-FE then 40-7E or 80-FE;
 * four bytes 81-FE 30-39 81-FE 30-39. */
static int gb_classify(const char *str, size_t n, bool more)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c == 0x80 || c == 0xFF)
            return -1;
        if (i + 1 >= n)
            return !more ? -1 : i ? 1 : 0;
        unsigned c2 = s[i + 1];
        if (c2 >= 0x30 && c2 <= 0x39) {
            if (i + 4 > n) {
                if (!more || (i + 2 < n && (s[i + 2] < 0x81 || s[i + 2] == 0xFF)))
                    return -1;
                return i ? 1 : 0;
            }
            if (s[i + 2] < 0x81 || s[i + 2] == 0xFF || s[i + 3] < 0x30 || s[i + 3] > 0x39)
                return -1;
            i += 4;
        } else if (c2 >= 0x40 && c2 != 0x7F && c2 != 0xFF) {
            i += 2;
        } else {
            return -1;
        }
    }
    return 1;
}

/* Decide the encoding once a byte above 0x7F has been read. Text before
 * `checked` is ASCII. Switching to GB18030 moves the unconverted bytes to raw. */
static void in_decide(Input *in)
{
    size_t k = in->checked + ascii_run(in->buf + in->checked, in->end - in->checked);
    in->checked = k;
    if (k == in->end)
        return;
    bool more = !in->rd_eof;
    int u = utf8_classify(in->buf + k, in->end - k, more);
    if (u == 0)
        return;
    if (u < 0) {
        int g = gb_classify(in->buf + k, in->end - k, more);
        if (g == 0)
            return;
        if (g > 0 && !in->cd_open) {
            in->cd = iconv_open("UTF-8", "GB18030");
            in->cd_open = in->cd != (iconv_t)-1;
        }
        if (g > 0 && in->cd_open) {
            size_t n = in->end - k;
            if (in->raw_cap < n) {
                in->raw_cap = n > BLOCK ? n : BLOCK;
                free(in->raw);
                in->raw = xmalloc(in->raw_cap);
            }
            memcpy(in->raw, in->buf + k, n);
            in->raw_len = n;
            in->end = k;
            in->enc = ENC_GB;
            return;
        }
    }
    in->enc = ENC_UTF8; /* well-formed, or neither: rows with bad bytes become errors */
}

/* Convert what raw holds (reading more when it holds nothing convertible). */
static Fill gb_fill(Input *in)
{
    size_t start = in->end;
    if (in->raw_cap < BLOCK) {
        in->raw = xrealloc(in->raw, BLOCK);
        in->raw_cap = BLOCK;
    }
    for (;;) {
        if (in->raw_len) {
            char *ib = in->raw, *ob = in->buf + in->end;
            size_t il = in->raw_len, ol = in->cap - in->end;
            size_t rc = iconv(in->cd, &ib, &il, &ob, &ol);
            int e = errno;
            in->end = (size_t)(ob - in->buf);
            memmove(in->raw, ib, il);
            in->raw_len = il;
            if (rc == (size_t)-1 && (e == EILSEQ || (e == EINVAL && in->rd_eof)) &&
                in->end < in->cap) {
                in->buf[in->end++] = (char)0xFF; /* utf8_bad stops here */
                in->marked = true;
                in->raw_len = e == EINVAL ? 0 : in->raw_len - 1;
                memmove(in->raw, in->raw + 1, in->raw_len);
            }
            if (!in->marked)
                in->checked = in->end;
            if (rc == (size_t)-1 && e == E2BIG)
                return FILL_OK;
        }
        if (in->end > start)
            return FILL_OK;
        if (in->rd_eof && !in->raw_len) {
            in->eof = true;
            return FILL_EOF;
        }
        if (in->rd_eof)
            continue;
        ssize_t n = in_read(in, in->raw + in->raw_len, in->raw_cap - in->raw_len);
        if (n < 0)
            return FILL_ERR;
        in->raw_len += (size_t)n;
    }
}

/* Make more text available after buf[end), keeping buf[keep..end) (which
 * moves to the start of buf). */
static Fill in_fill(Input *in, size_t keep)
{
    if (keep) {
        memmove(in->buf, in->buf + keep, in->end - keep);
        in->pos -= keep;
        in->end -= keep;
        in->checked = in->checked > keep ? in->checked - keep : 0;
    }
    if (in->cap - in->end < SLACK) {
        if (in->cap >= BUF_MAX)
            return FILL_BIG;
        in->cap *= 2;
        in->buf = xrealloc(in->buf, in->cap);
    }
    if (in->enc != ENC_GB) {
        if (in->eof)
            return FILL_EOF;
        ssize_t n = in_read(in, in->buf + in->end, in->cap - in->end);
        if (n < 0)
            return FILL_ERR;
        in->end += (size_t)n;
        if (in->enc == ENC_ASCII)
            in_decide(in);
        if (in->enc != ENC_GB) {
            in->eof = in->rd_eof;
            return FILL_OK;
        }
    }
    return gb_fill(in);
}

/* ---- the reader ---- */

typedef struct {
    size_t s, e; /* the cell's text is buf[s..e) */
    bool quoted;
    bool escaped; /* holds "" pairs */
} RawCell;

struct FactReader {
    char **paths; /* copies of the paths given */
    size_t npaths, next_path;
    const char *dir; /* folder being listed: its *.facts names */
    char **names;
    size_t nnames, next_name;
    Input in;
    const char *path; /* the CSV file being read (in.fd >= 0) */
    size_t path_len;
    char *src;    /* "path:LINE" of the last CSV row handed out (see line_source) */
    size_t src_len, src_cap;
    int src_line; /* its LINE, 0: none yet */
    bool header_read;
    Arena harena;     /* the header's cells and names */
    FactCell *header; /* kept columns */
    size_t nheader;
    bool *keep;   /* per column: its header cell is not empty */
    size_t ncols; /* columns in the header, kept or not */
    unsigned gen;
    RawCell *rc; /* cells of the row being scanned */
    size_t rc_cap;
    XlsxSheet *xl;       /* the workbook being read, or NULL */
    const char *sheet;   /* the worksheet of workbooks (NULL: the first) */
    FactIsName *is_name; /* which header cells name facts (NULL: any) */
    const void *name_ctx;
};

FactReader *facts_open(const char *const *paths, size_t npaths)
{
    FactReader *r = xmalloc(sizeof *r);
    memset(r, 0, sizeof *r);
    r->paths = xmalloc((npaths ? npaths : 1) * sizeof *r->paths);
    for (size_t i = 0; i < npaths; i++) {
        size_t n = strlen(paths[i]);
        r->paths[i] = memcpy(xmalloc(n + 1), paths[i], n + 1);
    }
    r->npaths = npaths;
    r->in.fd = -1;
    arena_init(&r->harena);
    return r;
}

static void free_names(FactReader *r)
{
    for (size_t i = 0; i < r->nnames; i++)
        free(r->names[i]);
    free(r->names);
    r->names = NULL;
    r->nnames = r->next_name = 0;
    r->dir = NULL;
}

void facts_workbooks(FactReader *r, const char *sheet, FactIsName *is_name, const void *ctx)
{
    r->sheet = sheet;
    r->is_name = is_name;
    r->name_ctx = ctx;
}

void facts_close(FactReader *r)
{
    if (!r)
        return;
    in_stop(&r->in);
    free(r->in.buf);
    free(r->in.raw);
    if (r->in.cd_open)
        iconv_close(r->in.cd);
    free_names(r);
    for (size_t i = 0; i < r->npaths; i++)
        free(r->paths[i]);
    free(r->paths);
    arena_free(&r->harena);
    free(r->src);
    free(r->keep);
    free(r->rc);
    xlsx_close(r->xl);
    free(r);
}

/* ---- small text helpers ---- */

/* Length of the white space at s[0..n): space, tab and the Unicode spaces the
 * rubric lexer skips (U+00A0, U+2000-U+200A, U+3000; LANGUAGE.md), so a value
 * pasted with a no-break space reads as it does in a rubric. */
static size_t ws_at(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n && (u[0] == ' ' || u[0] == '\t'))
        return 1;
    if (n >= 2 && u[0] == 0xC2 && u[1] == 0xA0)
        return 2;
    if (n >= 3 && u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80)
        return 3;
    if (n >= 3 && u[0] == 0xE2 && u[1] == 0x80 && u[2] >= 0x80 && u[2] <= 0x8A)
        return 3;
    return 0;
}

/* Trim white space from both ends of b[*s..*e). */
static void trim_slow(const char *b, size_t *s, size_t *e)
{
    size_t k;
    while (*s < *e && (k = ws_at(b + *s, *e - *s)))
        *s += k;
    for (;;) {
        if (*e > *s && (b[*e - 1] == ' ' || b[*e - 1] == '\t'))
            --*e;
        else if (*e - *s >= 2 && ws_at(b + *e - 2, 2) == 2)
            *e -= 2;
        else if (*e - *s >= 3 && ws_at(b + *e - 3, 3) == 3)
            *e -= 3;
        else
            break;
    }
}

/* Bytes that may begin (1) or end (2) white space: space, tab, U+00A0 (C2 A0),
 * U+2000-U+200A (E2 80 80-8A), U+3000 (E3 80 80). */
static const unsigned char WS_EDGE[256] = {
    [' '] = 3,  ['\t'] = 3, [0xC2] = 1, [0xE2] = 1, [0xE3] = 1, [0xA0] = 2,
    [0x80] = 2, [0x81] = 2, [0x82] = 2, [0x83] = 2, [0x84] = 2, [0x85] = 2,
    [0x86] = 2, [0x87] = 2, [0x88] = 2, [0x89] = 2, [0x8A] = 2};

/* The same, with a quick look at the ends first (cells are rarely padded). */
static inline void trim(const char *b, size_t *s, size_t *e)
{
    if (*s < *e && !(WS_EDGE[(unsigned char)b[*s]] & 1) && !(WS_EDGE[(unsigned char)b[*e - 1]] & 2))
        return;
    trim_slow(b, s, e);
}

/* The first occurrence of the k-byte string w in s[0..n), or NULL (memmem is
 * not in POSIX). */
static const char *find_bytes(const char *s, size_t n, const char *w, size_t k)
{
    for (const char *p = s, *end = s + n; (size_t)(end - p) >= k;) {
        p = memchr(p, w[0], (size_t)(end - p) - k + 1);
        if (!p)
            return NULL;
        if (memcmp(p, w, k) == 0)
            return p;
        p++;
    }
    return NULL;
}

static bool is_comment(const char *s, size_t n)
{
    return (n && s[0] == '#') || (n >= 3 && memcmp(s, "\xEF\xBC\x83", 3) == 0); /* ＃ */
}

/* The text s[0..n) for a message: at most 40 characters, then "…". */
static char *snippet(Arena *a, const char *s, size_t n)
{
    size_t i = 0, chars = 0;
    while (i < n && chars < 40) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        i += k ? (size_t)k : 1;
        chars++;
    }
    return i < n ? arena_printf(a, "%.*s…", (int)i, s) : arena_strndup(a, s, n);
}

/* Base name of path without its last extension ("facts/张三.facts" → "张三"). */
static const char *base_id(Arena *a, const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    const char *dot = strrchr(b, '.');
    return arena_strndup(a, b, dot && dot != b ? (size_t)(dot - b) : strlen(b));
}

static bool ends_csv(const char *p)
{
    size_t n = strlen(p);
    return n >= 4 && strcasecmp(p + n - 4, ".csv") == 0;
}

static bool ends_xlsx(const char *p)
{
    size_t n = strlen(p);
    return n >= 5 && strcasecmp(p + n - 5, ".xlsx") == 0;
}

static bool file_error(FactRecord *out, const char *path, const char *id, bool is_csv,
                       const char *msg)
{
    memset(out, 0, sizeof *out);
    out->source = out->path = path;
    out->default_id = id;
    out->error = msg;
    out->is_csv = is_csv;
    return true;
}

static const char *cannot_read(Arena *a, int err)
{
    return arena_printf(a, _("cannot read: %s"), strerror(err));
}

/* Skip a UTF-8 byte order mark at the start of the input. */
static Fill skip_bom(Input *in)
{
    while (in->end - in->pos < 3 && !in->eof) {
        Fill f = in_fill(in, 0);
        if (f < 0)
            return f;
    }
    if (in->end - in->pos >= 3 && memcmp(in->buf + in->pos, "\xEF\xBB\xBF", 3) == 0)
        in->pos += 3;
    return FILL_OK;
}

/* ---- fact files ---- */

/* The first '=' or '＝' in b[s..e): its offset and *len, or e. */
static size_t find_eq(const char *b, size_t s, size_t e, size_t *len)
{
    for (size_t i = s; i < e; i++) {
        if (b[i] == '=') {
            *len = 1;
            return i;
        }
        if ((unsigned char)b[i] == 0xEF && e - i >= 3 && memcmp(b + i, "\xEF\xBC\x9D", 3) == 0) {
            *len = 3;
            return i;
        }
    }
    return e;
}

static const struct {
    const char *open, *close;
} QUOTES[] = {{"\"", "\""}, {"\xE2\x80\x9C", "\xE2\x80\x9D"}, {"\xE3\x80\x8C", "\xE3\x80\x8D"}};

/* Parse one fact file line b[s..e) (no line break) into *cell; returns an
 * error message, or NULL with cell->key NULL for a blank or comment line. */
static const char *fact_line(Arena *a, const char *b, size_t s, size_t e, int line, FactCell *cell)
{
    cell->key = NULL;
    cell->error = NULL;
    trim(b, &s, &e);
    if (s == e || is_comment(b + s, e - s))
        return NULL;
    size_t eqlen = 0, eq = find_eq(b, s, e, &eqlen);
    size_t ks = s, ke = eq;
    trim(b, &ks, &ke);
    if (eq == e || ks == ke)
        return arena_printf(a, _("line %d: expected NAME = VALUE, got \"%s\""), line,
                            snippet(a, b + s, e - s));
    size_t vs = eq + eqlen, ve = e;
    trim(b, &vs, &ve);
    cell->quoted = false;
    for (size_t q = 0; q < sizeof QUOTES / sizeof QUOTES[0]; q++) {
        size_t ol = strlen(QUOTES[q].open), cl = strlen(QUOTES[q].close);
        if (ve - vs < ol || memcmp(b + vs, QUOTES[q].open, ol) != 0)
            continue;
        const char *c = find_bytes(b + vs + ol, ve - vs - ol, QUOTES[q].close, cl);
        if (!c)
            return arena_printf(a, _("line %d: the quote %s is not closed (expected %s)"), line,
                                QUOTES[q].open, QUOTES[q].close);
        size_t rs = (size_t)(c - b) + cl, re = ve;
        trim(b, &rs, &re);
        if (rs < re && !is_comment(b + rs, re - rs))
            return arena_printf(a, _("line %d: unexpected text after the closing quote: \"%s\""),
                                line, snippet(a, b + rs, re - rs));
        cell->quoted = true;
        ve = (size_t)(c - b);
        vs += ol;
        break;
    }
    if (!cell->quoted) {
        for (size_t i = vs; i < ve; i++)
            if (is_comment(b + i, ve - i)) {
                ve = i;
                break;
            }
        trim(b, &vs, &ve);
    }
    cell->key = b + ks;
    cell->key_len = ke - ks;
    cell->val = b + vs;
    cell->val_len = ve - vs;
    cell->line = line;
    cell->col = -1;
    cell->error = NULL;
    return NULL;
}

/* Read the rest of the open input as one fact file. */
static bool read_fact_file(FactReader *r, Arena *a, FactRecord *out, const char *path,
                           const char *source, const char *id)
{
    Input *in = &r->in;
    memset(out, 0, sizeof *out);
    out->source = source;
    out->path = path;
    out->default_id = id;
    out->line = 1;
    Fill f = skip_bom(in);
    while (f >= 0 && !in->eof)
        f = in_fill(in, 0);
    in_stop(in);
    if (f == FILL_ERR)
        return out->error = cannot_read(a, in->err), true;
    if (f == FILL_BIG)
        return out->error = _("the file is larger than 64 MiB"), true;

    const char *b = in->buf;
    size_t p = in->pos, end = in->end;
    size_t from = in->checked > p ? in->checked : p;
    size_t bad = from + utf8_bad(b + from, end - from);
    if (bad < end) {
        int line = 1;
        for (const char *q = b + p; (q = memchr(q, '\n', (size_t)(b + bad - q))); q++)
            line++;
        out->error = arena_printf(a, _("line %d: %s"), line, _(BAD_TEXT));
        return true;
    }
    size_t nlines = 1;
    for (const char *q = b + p; (q = memchr(q, '\n', (size_t)(b + end - q))); q++)
        nlines++;
    FactCell *cells = arena_alloc(a, nlines * sizeof *cells);
    size_t n = 0;
    for (int line = 1; p < end; line++) {
        const char *nl = memchr(b + p, '\n', end - p);
        size_t le = nl ? (size_t)(nl - b) : end;
        size_t ce = le > p && b[le - 1] == '\r' ? le - 1 : le;
        const char *err = fact_line(a, b, p, ce, line, &cells[n]);
        if (err) {
            /* every bad line is reported, the good ones still read (the id) */
            out->error = out->error ? arena_printf(a, "%s; %s", out->error, err) : err;
            cells[n] = (FactCell){.line = line, .col = -1, .error = err};
        }
        if (err || cells[n].key)
            n++;
        p = nl ? le + 1 : end;
    }
    out->cells = cells;
    out->ncells = n;
    return true;
}

/* ---- CSV ---- */

typedef enum { SCAN_ROW, SCAN_MORE, SCAN_END, SCAN_ERR } Scan;

/* Keep a scanned cell; past rc_cap (which grows only for a header, up to
 * MAX_COLUMNS + 1) cells are only counted. */
static inline void rc_push(FactReader *r, size_t *n, size_t s, size_t e, bool quoted, bool escaped,
                           bool grow)
{
    if (*n >= r->rc_cap) {
        if (!grow || r->rc_cap > MAX_COLUMNS) {
            ++*n;
            return;
        }
        r->rc_cap = r->rc_cap ? 2 * r->rc_cap : 64;
        r->rc = xrealloc(r->rc, r->rc_cap * sizeof *r->rc);
    }
    r->rc[*n] = (RawCell){s, e, quoted, escaped};
    ++*n;
}

/* The high bit of each byte of the 8 at s that is a comma. */
static inline uint64_t commas(const char *s)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Fu;
    uint64_t w;
    memcpy(&w, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    uint64_t t = w ^ 0x2C2C2C2C2C2C2C2Cu; /* a comma becomes 0 */
    return ~(((t & low7) + low7) | t | low7);
}

/* Index of the byte whose high bit is the lowest set bit of m. */
static inline size_t first_byte(uint64_t m)
{
    return (size_t)__builtin_ctzll(m) >> 3;
}

/* Scan the row at in.pos: its cells into r->rc (up to rc_cap; *ncells counts
 * all), *next just after it and *lines the line breaks it holds. */
static Scan csv_scan(FactReader *r, bool grow, size_t *ncells, size_t *next, int *lines,
                     const char **err, Arena *a)
{
    Input *in = &r->in;
    const char *b = in->buf;
    size_t p = in->pos, end = in->end, n = 0;
    bool eof = in->eof;
    if (p == end)
        return eof ? SCAN_END : SCAN_MORE;
    const char *nl = memchr(b + p, '\n', end - p);
    if (!nl && !eof)
        return SCAN_MORE;
    size_t le = nl ? (size_t)(nl - b) : end;
    size_t ce = le > p && b[le - 1] == '\r' ? le - 1 : le;
    if (!memchr(b + p, '"', ce - p)) { /* the usual row: no quotes, one line */
        size_t s = p, i = p;
        for (; i + 8 <= ce; i += 8) { /* eight bytes at a time: a bit per comma */
            uint64_t m = commas(b + i);
            while (m) {
                size_t c = i + first_byte(m), cs = s, cend = c;
                m &= m - 1;
                trim(b, &cs, &cend);
                rc_push(r, &n, cs, cend, false, false, grow);
                s = c + 1;
            }
        }
        for (; i < ce; i++) {
            if (b[i] != ',')
                continue;
            size_t cs = s, cend = i;
            trim(b, &cs, &cend);
            rc_push(r, &n, cs, cend, false, false, grow);
            s = i + 1;
        }
        size_t cs = s, cend = ce;
        trim(b, &cs, &cend);
        rc_push(r, &n, cs, cend, false, false, grow);
        *ncells = n;
        *next = nl ? le + 1 : end;
        *lines = nl ? 1 : 0;
        return SCAN_ROW;
    }
    int nls = 0;
    size_t i = p;
    for (;;) {
        size_t j = i, k;
        while (j < end && (k = ws_at(b + j, end - j)))
            j += k;
        if (j < end && b[j] == '"') {
            size_t q = j + 1, close;
            bool esc = false;
            for (;;) {
                const char *c = memchr(b + q, '"', end - q);
                if (!c) {
                    if (!eof)
                        return SCAN_MORE;
                    *err = arena_printf(a,
                                        _("column %zu: the quote is not closed before the end of "
                                          "the file"),
                                        n + 1);
                    *ncells = n;
                    *next = end;
                    *lines = nls;
                    return SCAN_ERR;
                }
                q = (size_t)(c - b);
                if (q + 1 == end && !eof)
                    return SCAN_MORE;
                if (q + 1 < end && b[q + 1] == '"') {
                    esc = true;
                    q += 2;
                    continue;
                }
                close = q;
                break;
            }
            for (const char *c = b + j + 1; (c = memchr(c, '\n', (size_t)(b + close - c))); c++)
                nls++;
            rc_push(r, &n, j + 1, close, true, esc, grow);
            k = close + 1;
            size_t w;
            while (k < end && (w = ws_at(b + k, end - k)))
                k += w;
            if (k < end && b[k] == ',') {
                i = k + 1;
                continue;
            }
            if (k + 1 >= end && !eof)
                return SCAN_MORE;
            if (k == end || b[k] == '\n' || (b[k] == '\r' && k + 1 < end && b[k + 1] == '\n')) {
                *next = k == end ? end : b[k] == '\n' ? k + 1 : k + 2;
                nls += k < end;
                break;
            }
            /* text after the closing quote: give up on the rest of this line */
            const char *c = memchr(b + k, '\n', end - k);
            if (!c && !eof)
                return SCAN_MORE;
            *err = arena_printf(a, "column %zu: unexpected text after the closing quote", n);
            *ncells = n;
            *next = c ? (size_t)(c - b) + 1 : end;
            *lines = nls + (c != NULL);
            return SCAN_ERR;
        }
        k = i;
        while (k < end && b[k] != ',' && b[k] != '\n')
            k++;
        if (k == end && !eof)
            return SCAN_MORE;
        size_t cs = i, cend = k < end && k > i && b[k - 1] == '\r' ? k - 1 : k;
        trim(b, &cs, &cend);
        rc_push(r, &n, cs, cend, false, false, grow);
        if (k < end && b[k] == ',') {
            i = k + 1;
            continue;
        }
        *next = k < end ? k + 1 : end;
        nls += k < end;
        break;
    }
    *ncells = n;
    *lines = nls;
    return SCAN_ROW;
}

/* The text of raw cell c: in place, or unescaped into a. */
static inline const char *cell_text(Arena *a, const char *b, const RawCell *c, size_t *len)
{
    if (!c->escaped) {
        *len = c->e - c->s;
        return b + c->s;
    }
    char *t = arena_alloc(a, c->e - c->s), *o = t;
    for (size_t i = c->s; i < c->e; i++) {
        *o++ = b[i];
        if (b[i] == '"')
            i++;
    }
    *len = (size_t)(o - t);
    return t;
}

/* "path:LINE" in a. */
static const char *row_source(Arena *a, const char *path, size_t n, int line)
{
    char digits[16];
    int nd = 0;
    unsigned v = (unsigned)line;
    do
        digits[nd++] = (char)('0' + v % 10);
    while (v /= 10);
    char *s = arena_alloc(a, n + 2 + (size_t)nd), *o = s + n;
    memcpy(s, path, n);
    *o++ = ':';
    while (nd)
        *o++ = digits[--nd];
    *o = 0;
    return s;
}

/* "path:LINE" for a CSV row, in the reader (valid until the next facts_next,
 * like the cells): the row after the last one only counts its number up in
 * place, so most rows cost a byte or two here instead of an allocation and
 * the whole text. */
static const char *line_source(FactReader *r, int line)
{
    if (line == r->src_line)
        return r->src;
    if (r->src_line > 0 && line == r->src_line + 1) {
        char *d = r->src + r->src_len - 1;
        while (*d == '9')
            *d-- = '0';
        if (*d != ':') {
            ++*d;
            r->src_line = line;
            return r->src;
        }
    }
    size_t need = r->path_len + 16;
    if (r->src_cap < need) {
        free(r->src);
        r->src = xmalloc(need);
        r->src_cap = need;
    }
    char digits[16];
    int nd = 0;
    unsigned v = (unsigned)line;
    do
        digits[nd++] = (char)('0' + v % 10);
    while (v /= 10);
    memcpy(r->src, r->path, r->path_len);
    char *o = r->src + r->path_len;
    *o++ = ':';
    while (nd)
        *o++ = digits[--nd];
    *o = 0;
    r->src_len = (size_t)(o - r->src);
    r->src_line = line;
    return r->src;
}

/* Take the header (the first row not all empty) from the scanned cells. */
static void csv_header(FactReader *r, size_t n, int line)
{
    Input *in = &r->in;
    arena_reset(&r->harena);
    r->keep = xrealloc(r->keep, n * sizeof *r->keep);
    r->header = arena_alloc(&r->harena, n * sizeof *r->header);
    r->nheader = 0;
    r->ncols = n;
    for (size_t i = 0; i < n; i++) {
        size_t len;
        const char *t = cell_text(&r->harena, in->buf, &r->rc[i], &len);
        r->keep[i] = len > 0;
        if (!len)
            continue;
        FactCell *h = &r->header[r->nheader++];
        h->key = h->val = arena_strndup(&r->harena, t, len);
        h->key_len = h->val_len = len;
        h->quoted = false;
        h->line = line;
        h->col = (int)i;
        h->error = NULL;
    }
    r->gen++;
}

/* Skip the rest of a row too long to hold, from in->pos to its end (a line
 * break outside quotes), reading on as needed; false at the end of the input
 * or on a read error. The rows after it are read as usual. */
static bool skip_row(Input *in)
{
    bool quoted = false;
    for (;;) {
        for (size_t i = in->pos; i < in->end; i++) {
            char ch = in->buf[i];
            if (ch == '"') {
                quoted = !quoted;
            } else if (ch == '\n') {
                if (in->line < INT_MAX) /* csv_next stops the file at INT_MAX - 1 */
                    in->line++;
                if (!quoted) {
                    in->pos = i + 1;
                    if (in->checked < in->pos)
                        in->checked = in->pos;
                    return true;
                }
            }
        }
        in->pos = in->end;
        in->checked = in->end;
        if (in_fill(in, in->pos) != FILL_OK)
            return false;
    }
}

/* The next record of the open CSV file; false at its end (the file is closed). */
static bool csv_next(FactReader *r, Arena *a, FactRecord *out)
{
    Input *in = &r->in;
    for (;;) {
        size_t n = 0, next = 0;
        int lines = 0;
        const char *err = NULL;
        bool grow = !r->header_read;
        Scan sc = csv_scan(r, grow, &n, &next, &lines, &err, a);
        if (sc == SCAN_MORE) {
            Fill f = in_fill(in, in->pos);
            if (f == FILL_ERR || f == FILL_BIG) {
                const char *msg =
                    f == FILL_ERR ? cannot_read(a, in->err) : _("a row is longer than 64 MiB");
                file_error(out, r->path, base_id(a, r->path), true, msg);
                out->source = row_source(a, r->path, r->path_len, in->line);
                out->line = in->line;
                if (f == FILL_ERR || !r->header_read || !skip_row(in))
                    in_stop(in);
                return true;
            }
            continue;
        }
        if (sc == SCAN_END) {
            in_stop(in);
            if (r->header_read)
                return false;
            r->header_read = true; /* report once */
            return file_error(out, r->path, base_id(a, r->path), true,
                              _("the file is empty: no header row"));
        }
        const char *b = in->buf;
        int line = in->line;
        size_t from = in->checked > in->pos ? in->checked : in->pos;
        if (next > from) {
            if (utf8_bad(b + from, next - from) < next - from && !err)
                err = BAD_TEXT;
            in->checked = next;
        }
        bool empty = true;
        size_t stored = n < r->rc_cap ? n : r->rc_cap;
        for (size_t i = 0; i < stored && empty; i++)
            empty = r->rc[i].s == r->rc[i].e;
        if (in->line > INT_MAX - 1 - lines) { /* line numbers are ints: stop, never wrap */
            file_error(
                out, r->path, base_id(a, r->path), true,
                arena_printf(a, _("the file has more than %d lines; split it"), INT_MAX - 1));
            out->source = row_source(a, r->path, r->path_len, in->line);
            out->line = in->line;
            in_stop(in);
            return true;
        }
        in->pos = next;
        in->line += lines;
        if (empty && !err)
            continue;

        memset(out, 0, sizeof *out);
        out->path = r->path;
        out->source = line_source(r, line);
        out->line = line;
        out->is_csv = true;
        if (!r->header_read) {
            if (!err && n > MAX_COLUMNS)
                err = arena_printf(a, _("the header has more than %d columns"), MAX_COLUMNS);
            if (err) { /* a header we cannot read: nothing else can be read either */
                out->default_id = base_id(a, r->path);
                out->error = err == BAD_TEXT ? _(BAD_TEXT) : err;
                in_stop(in);
                r->header_read = true;
                return true;
            }
            csv_header(r, n, line);
            r->header_read = true;
            continue;
        }
        out->header_gen = r->gen;
        out->header = r->header;
        out->nheader = r->nheader;
        size_t len0 = 0;
        const char *t0 = n && err != BAD_TEXT ? cell_text(a, b, &r->rc[0], &len0) : "";
        out->default_id = arena_strndup(a, t0, len0);
        if (!err && n != r->ncols)
            err = arena_printf(a, _("row has %zu cells, the header has %zu"), n, r->ncols);
        if (err) {
            out->error = err == BAD_TEXT ? _(BAD_TEXT) : err;
            return true;
        }
        FactCell *cells = arena_alloc(a, (r->nheader ? r->nheader : 1) * sizeof *cells);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (!r->keep[i])
                continue;
            FactCell *c = &cells[k];
            c->key = r->header[k].key;
            c->key_len = r->header[k].key_len;
            c->val = cell_text(a, b, &r->rc[i], &c->val_len);
            c->quoted = false; /* in CSV quotes only protect a cell */
            c->line = line;
            c->col = (int)i;
            c->error = NULL;
            k++;
        }
        out->cells = cells;
        out->ncells = k;
        return true;
    }
}

/* ---- Excel workbooks ---- */

/* The workbook is done (or broken): the next path comes next. */
static void xl_stop(FactReader *r)
{
    xlsx_close(r->xl);
    r->xl = NULL;
}

/* Take the header from the workbook (the reader in xlsx.c finds the row). */
static bool xl_header(FactReader *r, Arena *a, FactRecord *out)
{
    XlsxRow row;
    const char *err = NULL;
    arena_reset(&r->harena);
    int rc = xlsx_header(r->xl, r->is_name, r->name_ctx, &row, &r->harena, &err);
    if (rc <= 0) {
        xl_stop(r);
        return file_error(out, r->path, base_id(a, r->path), true,
                          rc < 0 ? arena_strndup(a, err, strlen(err))
                                 : _("no row of the worksheet names a fact of the rubric (the "
                                     "header row is the first that does)"));
    }
    r->header = arena_alloc(&r->harena, (row.ncells + 1) * sizeof *r->header);
    r->nheader = 0;
    for (size_t i = 0; i < row.ncells; i++) {
        const XlsxCell *c = &row.cells[i];
        size_t s = 0, e = c->len;
        if (!c->text)
            continue;
        trim(c->text, &s, &e);
        if (s == e)
            continue;
        FactCell *h = &r->header[r->nheader++];
        h->key = h->val = c->text + s;
        h->key_len = h->val_len = e - s;
        h->quoted = false;
        h->line = row.row;
        h->col = c->col;
        h->error = NULL;
    }
    r->header_read = true;
    r->gen++;
    return false;
}

/* The next employee row of the workbook; false when it is done. */
static bool xl_next(FactReader *r, Arena *a, FactRecord *out)
{
    if (!r->header_read && xl_header(r, a, out))
        return true;
    for (;;) {
        XlsxRow row;
        const char *err = NULL;
        int rc = r->xl ? xlsx_next(r->xl, &row, a, &err) : 0;
        if (rc == 0) {
            xl_stop(r);
            return false;
        }
        if (rc < 0) {
            xl_stop(r);
            return file_error(out, r->path, base_id(a, r->path), true, err);
        }
        /* the cells under a header column, both lists in column order */
        FactCell *cells = arena_alloc(a, (r->nheader + 1) * sizeof *cells);
        size_t k = 0, h = 0;
        const char *id = "";
        size_t id_len = 0;
        for (size_t i = 0; i < row.ncells && h < r->nheader; i++) {
            const XlsxCell *c = &row.cells[i];
            while (h < r->nheader && r->header[h].col < c->col)
                h++;
            if (h == r->nheader || r->header[h].col != c->col)
                continue;
            FactCell *f = &cells[k++];
            size_t s = 0, e = c->len;
            if (c->text)
                trim(c->text, &s, &e);
            f->key = r->header[h].key;
            f->key_len = r->header[h].key_len;
            f->val = c->text ? c->text + s : "";
            f->val_len = e - s;
            f->quoted = false;
            f->line = row.row;
            f->col = c->col;
            f->error = c->error;
            if (h == 0) {
                id = f->val;
                id_len = f->val_len;
            }
        }
        if (!k)
            continue; /* nothing under the header: a note beside the table */
        memset(out, 0, sizeof *out);
        out->path = r->path;
        out->source = row_source(a, r->path, r->path_len, row.row);
        out->line = row.row;
        out->is_csv = true;
        out->header_gen = r->gen;
        out->header = r->header;
        out->nheader = r->nheader;
        out->default_id = arena_strndup(a, id, id_len);
        out->cells = cells;
        out->ncells = k;
        return true;
    }
}

/* ---- paths ---- */

static int cmp_names(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* List dir's *.facts files (no hidden ones) in byte order; errno on failure. */
static bool list_folder(FactReader *r, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    size_t cap = 0;
    struct dirent *e;
    while ((errno = 0, e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || n < 7 || strcmp(e->d_name + n - 6, ".facts") != 0)
            continue;
        if (r->nnames == cap) {
            cap = cap ? 2 * cap : 64;
            r->names = xrealloc(r->names, cap * sizeof *r->names);
        }
        r->names[r->nnames++] = memcpy(xmalloc(n + 1), e->d_name, n + 1);
    }
    int err = errno;
    closedir(d);
    if (err) {
        free_names(r);
        errno = err;
        return false;
    }
    if (r->nnames)
        qsort(r->names, r->nnames, sizeof *r->names, cmp_names);
    r->dir = dir;
    return true;
}

/* Open path (a regular file) for reading; false with errno on failure. */
static bool open_input(FactReader *r, const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    in_start(&r->in, fd, true);
    return true;
}

/* Standard input is CSV when its first line has a comma and no '=' (and is
 * not a comment, which only a fact file can start with). */
static bool sniff_csv(Input *in, Fill *f)
{
    *f = skip_bom(in);
    const char *nl;
    while (*f >= 0 && !(nl = memchr(in->buf + in->pos, '\n', in->end - in->pos)) && !in->eof &&
           in->end - in->pos < BLOCK)
        *f = in_fill(in, 0);
    if (*f < 0)
        return false;
    const char *s = in->buf + in->pos;
    nl = memchr(s, '\n', in->end - in->pos);
    size_t n = nl ? (size_t)(nl - s) : in->end - in->pos;
    size_t a = 0, e = n;
    trim(s, &a, &e);
    return memchr(s, ',', n) && !memchr(s, '=', n) && !find_bytes(s, n, "\xEF\xBC\x9D", 3) &&
           !is_comment(s + a, e - a);
}

static void start_csv(FactReader *r, const char *path)
{
    r->path = path;
    r->path_len = strlen(path);
    r->src_line = 0;
    r->header_read = false;
    r->header = NULL;
    r->nheader = r->ncols = 0;
}

bool facts_next(FactReader *r, Arena *a, FactRecord *out)
{
    for (;;) {
        if (r->xl) {
            if (xl_next(r, a, out))
                return true;
            continue;
        }
        if (r->in.fd >= 0) {
            if (csv_next(r, a, out))
                return true;
            continue;
        }
        if (r->next_name < r->nnames) {
            const char *name = r->names[r->next_name++];
            size_t dl = strlen(r->dir);
            const char *path =
                arena_printf(a, "%s%s%s", r->dir, dl && r->dir[dl - 1] == '/' ? "" : "/", name);
            const char *id = base_id(a, path);
            if (!open_input(r, path))
                return file_error(out, path, id, false, cannot_read(a, errno));
            return read_fact_file(r, a, out, path, path, id);
        }
        free_names(r);
        if (r->next_path == r->npaths)
            return false;
        const char *path = r->paths[r->next_path++];
        if (strcmp(path, "-") == 0) {
            in_start(&r->in, 0, false);
            Fill f;
            bool csv = sniff_csv(&r->in, &f);
            if (f < 0) {
                r->in.fd = -1;
                return file_error(out, path, path, csv,
                                  f == FILL_ERR ? cannot_read(a, r->in.err)
                                                : _("the first line is longer than 64 MiB"));
            }
            if (csv) {
                start_csv(r, path);
                continue;
            }
            return read_fact_file(r, a, out, path, path, path);
        }
        bool csv = ends_csv(path);
        struct stat st;
        if (stat(path, &st) != 0)
            return file_error(out, path, base_id(a, path), csv, cannot_read(a, errno));
        if (S_ISDIR(st.st_mode)) {
            if (!list_folder(r, path))
                return file_error(out, path, base_id(a, path), false, cannot_read(a, errno));
            if (!r->nnames)
                return file_error(out, path, base_id(a, path), false,
                                  _("the folder holds no .facts files"));
            continue;
        }
        if (ends_xlsx(path)) {
            const char *err = NULL;
            r->xl = xlsx_open(path, r->sheet, a, &err);
            if (!r->xl)
                return file_error(out, path, base_id(a, path), true, err);
            start_csv(r, path);
            continue;
        }
        if (!open_input(r, path))
            return file_error(out, path, base_id(a, path), csv, cannot_read(a, errno));
        if (!csv)
            return read_fact_file(r, a, out, path, path, base_id(a, path));
        Fill f = skip_bom(&r->in);
        if (f < 0) {
            in_stop(&r->in);
            return file_error(out, path, base_id(a, path), true, cannot_read(a, r->in.err));
        }
        start_csv(r, path);
    }
}

/* ---- typed values ---- */

static const char *type_words(FactType t)
{
    switch (t) {
    case FT_NUMBER:
        return _("a number");
    case FT_INTEGER:
        return _("a whole number");
    case FT_PERCENT:
        return _("a percent");
    case FT_BOOL:
        return _("是/否 (true/false)");
    case FT_TEXT:
        break;
    }
    return _("text");
}

/* "1e5", "-2.5E-3": a number with an exponent. */
static bool has_exponent(const char *s, size_t n)
{
    size_t i = 0, d = 0;
    if (i < n && s[i] == '-')
        i++;
    while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
        i++, d++;
    if (!d || i >= n || (s[i] != 'e' && s[i] != 'E'))
        return false;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i == n)
        return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i == n;
}

static bool word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

/* d (a fraction when pct) as the user would write it. */
static const char *show(Arena *a, Dec d, bool pct)
{
    char buf[DEC_BUFSZ];
    if (pct && dec_shift_up(d, 2, &d) != DEC_OK)
        return "?";
    dec_format(d, buf);
    return arena_printf(a, "%s%s", buf, pct ? "%" : "");
}

/* The common case of a spreadsheet cell, `92`, `-3.5` or `95.73%`, read in one
 * pass: plain ASCII digits, at most 18 of them before the point and few enough
 * after it. Returns false for anything else (spaces, full-width digits, a
 * percent given as a fraction that needs a warning, a value out of range),
 * which the general path below then reads and explains. */
static bool fast_number(const FactSpec *spec, const char *t, size_t n, Dec *out)
{
    static const int64_t p10[] = {1,
                                  10,
                                  100,
                                  1000,
                                  10000,
                                  100000,
                                  1000000,
                                  10000000,
                                  100000000,
                                  1000000000,
                                  10000000000,
                                  100000000000,
                                  1000000000000,
                                  10000000000000,
                                  100000000000000,
                                  1000000000000000,
                                  10000000000000000,
                                  100000000000000000,
                                  1000000000000000000};
    bool pct = spec->type == FT_PERCENT;
    size_t i = 0;
    bool neg = false;
    if (i < n && t[i] == '-')
        neg = true, i++;
    size_t start = i;
    int64_t ip = 0;
    for (; i < n && t[i] >= '0' && t[i] <= '9'; i++) {
        if (i - start >= 18)
            return false;
        ip = ip * 10 + (t[i] - '0');
    }
    if (i == start)
        return false;
    int64_t fp = 0;
    int nf = 0;
    if (i < n && t[i] == '.') {
        i++;
        size_t fs = i;
        for (; i < n && t[i] >= '0' && t[i] <= '9'; i++) {
            if (nf == 16)
                return false;
            fp = fp * 10 + (t[i] - '0');
            nf++;
        }
        if (i == fs)
            return false;
    }
    bool sign = i < n && t[i] == '%';
    if (sign)
        i++;
    if (i != n || (sign && !pct))
        return false;
    if (spec->type == FT_INTEGER && fp != 0)
        return false;
    /* value = ip.fp in units of 10^-18; a percent is a hundredth of that */
    int shift = pct ? 2 : 0;
    if (pct && !sign && !neg && ((ip == 0 && fp != 0) || (ip == 1 && fp == 0)))
        return false; /* 0 < x <= 1 as a percent: the general path refuses it */
    dec_i128 v = (dec_i128)ip * p10[18 - shift] + (dec_i128)fp * p10[18 - shift - nf];
    Dec d = {neg ? -v : v};
    if ((spec->has_lo && dec_cmp(d, spec->lo) < 0) || (spec->has_hi && dec_cmp(d, spec->hi) > 0))
        return false;
    *out = d;
    return true;
}

const char *facts_ambiguous_percent(Arena *a, Dec d)
{
    char buf[DEC_BUFSZ];
    dec_format(d, buf);
    return arena_printf(
        a, _("%s is ambiguous for a percent: it could mean %s or %s%%; write %s or %s%%"), buf,
        show(a, d, true), buf, show(a, d, true), buf);
}

const char *facts_value(const FactSpec *spec, const char *text, size_t len, bool quoted, Arena *a,
                        Value *out, const char **warning)
{
    if (!quoted && len &&
        (spec->type == FT_NUMBER || spec->type == FT_INTEGER || spec->type == FT_PERCENT) &&
        fast_number(spec, text, len, &out->d)) {
        out->kind = spec->type == FT_PERCENT ? VAL_PERCENT : VAL_NUMBER;
        out->b = false;
        out->s = NULL;
        out->len = 0;
        *warning = NULL;
        return NULL;
    }
    memset(out, 0, sizeof *out);
    out->kind = VAL_NONE;
    *warning = NULL;
    if (spec->type == FT_TEXT) {
        if (len || quoted) {
            out->kind = VAL_TEXT;
            out->s = text;
            out->len = len;
        }
        return NULL;
    }
    size_t s = 0, e = len;
    trim(text, &s, &e);
    const char *t = text + s;
    size_t n = e - s;
    const char *what = type_words(spec->type);
    if (quoted)
        return arena_printf(a, _("expected %s, got the quoted text \"%s\""), what,
                            snippet(a, text, len));
    if (!n)
        return NULL;
    /* fold full-width digits, ．％－ and the ideographic space */
    const char *f = t;
    size_t fn = n;
    if (ascii_run(t, n) < n) {
        char *buf = arena_alloc(a, n);
        fn = utf8_fold(t, n, buf);
        size_t fs = 0;
        trim(buf, &fs, &fn);
        f = buf + fs;
        fn -= fs;
    }
    if (spec->type == FT_BOOL) {
        if (word_is(f, fn, "true") || word_is(f, fn, "yes") || (fn == 3 && !memcmp(f, "是", 3)))
            out->b = true;
        else if (!word_is(f, fn, "false") && !word_is(f, fn, "no") &&
                 !(fn == 3 && !memcmp(f, "否", 3)))
            return arena_printf(a, _("expected %s, got \"%s\""), what, snippet(a, t, n));
        out->kind = VAL_BOOL;
        return NULL;
    }
    bool pct = spec->type == FT_PERCENT, sign = false;
    size_t dn = fn;
    if (dn && f[dn - 1] == '%') {
        sign = true;
        dn--;
        while (dn && (f[dn - 1] == ' ' || f[dn - 1] == '\t'))
            dn--;
    }
    if (sign && !pct)
        return arena_printf(
            a, _("expected %s, got \"%s\" (if it is a rate, declare the fact percent)"), what,
            snippet(a, t, n));
    Dec d;
    switch (dec_parse(f, dn, pct ? DEC_SCALE - 2 : DEC_SCALE, &d)) {
    case DEC_OK:
        break;
    case DEC_PRECISION:
        return arena_printf(a, _("too many digits after the point in \"%s\""), snippet(a, t, n));
    case DEC_OVERFLOW:
        return arena_printf(a, _("\"%s\" is too large"), snippet(a, t, n));
    default:
        if (has_exponent(f, dn))
            return arena_printf(a, _("\"%s\" is not a number"), snippet(a, t, n));
        if (memchr(f, ',', dn))
            return arena_printf(
                a, _("expected %s, got \"%s\" (write it without thousands separators)"), what,
                snippet(a, t, n));
        if (memchr(f, 0, dn))
            return arena_printf(a, _("expected %s, got a value holding a NUL byte"), what);
        return arena_printf(a, _("expected %s, got \"%s\""), what, snippet(a, t, n));
    }
    if (spec->type == FT_INTEGER && !dec_is_integer(d))
        return arena_printf(a, _("expected %s, got \"%s\""), what, snippet(a, t, n));
    if (pct) {
        if (!sign && dec_cmp(d, dec_zero()) > 0 && dec_cmp(d, dec_from_int(1)) <= 0)
            return facts_ambiguous_percent(a, d);
        if (dec_shift_down(d, 2, &d) != DEC_OK) /* cannot happen: 16 places at most */
            return arena_printf(a, _("too many digits after the point in \"%s\""),
                                snippet(a, t, n));
    }
    if ((spec->has_lo && dec_cmp(d, spec->lo) < 0) || (spec->has_hi && dec_cmp(d, spec->hi) > 0)) {
        const char *range =
            spec->has_lo && spec->has_hi
                ? arena_printf(a, "%s..%s", show(a, spec->lo, pct), show(a, spec->hi, pct))
            : spec->has_lo ? arena_printf(a, ">= %s", show(a, spec->lo, pct))
                           : arena_printf(a, "<= %s", show(a, spec->hi, pct));
        return arena_printf(a, _("%s is out of the declared range %s"), show(a, d, pct), range);
    }
    out->kind = pct ? VAL_PERCENT : VAL_NUMBER;
    out->d = d;
    return NULL;
}

/* ---- records that outlive the next read ---- */

static const FactCell *keep_cells(const FactCell *cells, size_t n, Arena *a)
{
    if (!cells)
        return NULL;
    FactCell *copy = arena_alloc(a, (n ? n : 1) * sizeof *copy);
    for (size_t i = 0; i < n; i++) {
        copy[i] = cells[i];
        /* a header cell's key and value are one string: keep them one */
        bool same = cells[i].key == cells[i].val;
        copy[i].key = cells[i].key ? arena_strndup(a, cells[i].key, cells[i].key_len) : NULL;
        copy[i].val = same           ? copy[i].key
                      : cells[i].val ? arena_strndup(a, cells[i].val, cells[i].val_len)
                                     : NULL;
    }
    return copy;
}

void facts_keep(FactRecord *rec, Arena *a)
{
    if (rec->source)
        rec->source = arena_strndup(a, rec->source, strlen(rec->source));
    if (rec->default_id)
        rec->default_id = arena_strndup(a, rec->default_id, strlen(rec->default_id));
    if (rec->error)
        rec->error = arena_strndup(a, rec->error, strlen(rec->error));
    rec->header = keep_cells(rec->header, rec->nheader, a);
    rec->cells = keep_cells(rec->cells, rec->ncells, a);
}
