/* facts.c - reading employees: fact files, workbooks, folders and stdin, and
 * the input layer under the CSV reader (facts_csv.c); typed values are
 * facts_value.c. facts_impl.h holds what the three share.
 *
 * Design. Input is read with read(2) into one buffer per reader (64 KiB,
 * grown only while a single CSV row or fact file does not fit, up to 64 MiB)
 * and parsed in place: a cell points into the buffer unless its text has to
 * change. Nothing is taken from malloc per row, so memory does not grow with
 * the number of rows.
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
#include "facts_impl.h"

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

const char facts_bad_text[] = N_("not valid UTF-8 or GB18030 text");

/* ---- input: a file read in blocks, converted to UTF-8 when needed ---- */

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
    in->moves++;
    in->enc = ENC_ASCII;
    in->marked = false;
    in->raw_len = 0;
    in->line = 1;
    if (in->cd_open)
        iconv(in->cd, NULL, NULL, NULL, NULL);
}

void in_stop(Input *in)
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
size_t ascii_run(const char *s, size_t n)
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
 * to tell (only a cut-off sequence, and more may follow); -1: not UTF-8.
 * *good is the length of the well-formed start of s. */
static int utf8_classify(const char *s, size_t n, bool more, size_t *good)
{
    size_t bad = utf8_bad(s, n);
    *good = bad;
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
 * `checked` is ASCII. Switching to GB18030 moves the unconverted bytes to raw.
 * Deciding on UTF-8 has validated the block: `checked` moves past its
 * well-formed part, so that the CSV rows or the fact file in it are not
 * validated a second time. */
static void in_decide(Input *in)
{
    size_t k = in->checked + ascii_run(in->buf + in->checked, in->end - in->checked);
    in->checked = k;
    if (k == in->end)
        return;
    bool more = !in->rd_eof;
    size_t good;
    int u = utf8_classify(in->buf + k, in->end - k, more, &good);
    if (u == 0)
        return;
    if (u > 0) {
        in->checked = k + good;
        in->enc = ENC_UTF8;
        return;
    }
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
    in->enc = ENC_UTF8; /* neither: rows with bad bytes become errors */
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
Fill in_fill(Input *in, size_t keep)
{
    if (keep) {
        in->moves++;
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
        in->moves++;
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
    facts_regions(r, true);
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
    free(r->cut);
    free(r->reg);
    free(r->reg_nl);
    free(r->fcells);
    xlsx_close(r->xl);
    free(r);
}

/* ---- small text helpers ---- */

/* Trim white space from both ends of b[*s..*e). */
void trim_slow(const char *b, size_t *s, size_t *e)
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

/* The text s[0..n) for a message: at most 40 characters, then "…"; a
 * character nobody can see as <U+200B> (utf8_visible). */
char *snippet(Arena *a, const char *s, size_t n)
{
    size_t i = 0, chars = 0;
    while (i < n && chars < 40) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        i += k ? (size_t)k : 1;
        chars++;
    }
    char *v = arena_alloc(a, UTF8_VISIBLE_ROOM(i) + sizeof "…");
    size_t k = utf8_visible(s, i, v);
    memcpy(v + k, i < n ? "…" : "", i < n ? sizeof "…" : 1);
    return v;
}

/* Base name of path without its last extension ("facts/张三.facts" → "张三"). */
const char *base_id(Arena *a, const char *path)
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

bool file_error(FactRecord *out, const char *path, const char *id, bool is_csv, const char *msg)
{
    memset(out, 0, sizeof *out);
    out->source = out->path = path;
    out->default_id = id;
    out->error = msg;
    out->is_csv = is_csv;
    return true;
}

const char *cannot_read(Arena *a, int err)
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
    /* the ASCII '=' by memchr, then a '＝' (EF BC 9D) only before it */
    const char *q = memchr(b + s, '=', e - s);
    size_t stop = q ? (size_t)(q - b) : e;
    for (const char *f = b + s; (f = memchr(f, 0xEF, stop - (size_t)(f - b))); f++)
        if (e - (size_t)(f - b) >= 3 && memcmp(f, "\xEF\xBC\x9D", 3) == 0) {
            *len = 3;
            return (size_t)(f - b);
        }
    *len = 1;
    return stop;
}

static const struct {
    const char *open, *close;
    size_t ol, cl; /* their lengths */
} QUOTES[] = {{"\"", "\"", 1, 1},
              {"\xE2\x80\x9C", "\xE2\x80\x9D", 3, 3},
              {"\xE3\x80\x8C", "\xE3\x80\x8D", 3, 3}};

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
    while (ke > ks && b[ke - 1] == ' ') /* "NAME = VALUE": the usual padding, before trim */
        ke--;
    trim(b, &ks, &ke);
    if (eq == e || ks == ke)
        return arena_printf(a, _("line %d: expected NAME = VALUE, got \"%s\""), line,
                            snippet(a, b + s, e - s));
    size_t vs = eq + eqlen, ve = e;
    while (vs < ve && b[vs] == ' ')
        vs++;
    trim(b, &vs, &ve);
    cell->quoted = false;
    unsigned char v0 = vs < ve ? (unsigned char)b[vs] : 0; /* the quotes start " E2 E3 */
    for (size_t q = 0;
         (v0 == '"' || v0 == 0xE2 || v0 == 0xE3) && q < sizeof QUOTES / sizeof QUOTES[0]; q++) {
        size_t ol = QUOTES[q].ol, cl = QUOTES[q].cl;
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
            if ((b[i] == '#' || (unsigned char)b[i] == 0xEF) && is_comment(b + i, ve - i)) {
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
    /* the cells go to the reader's array (valid until the next facts_next,
       like the text they point into), grown as lines come: no pass to count
       the lines first */
    FactCell *cells = r->fcells;
    size_t n = 0;
    for (int line = 1; p < end; line++) {
        if (n == r->fcells_cap) {
            r->fcells_cap = r->fcells_cap ? 2 * r->fcells_cap : 64;
            cells = r->fcells = xrealloc(r->fcells, r->fcells_cap * sizeof *cells);
        }
        const char *nl = memchr(b + p, '\n', end - p);
        size_t le = nl ? (size_t)(nl - b) : end;
        size_t ce = le;
        while (ce > p && b[ce - 1] == '\r') /* CR LF, and CR CR LF (CRLF saved again as CRLF) */
            ce--;
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
    r->split_done = false;
}

/* facts_next but for a CSV row read at once (most calls); out of line, so
 * that those calls do not save and restore the registers this one needs. */
static __attribute__((noinline)) bool next_rest(FactReader *r, Arena *a, FactRecord *out)
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
            /* DIR/NAME and NAME without ".facts" (what base_id gives: list_folder
               took only names that end so and do not start with a dot), put
               together by hand: this runs once a file */
            const char *name = r->names[r->next_name++];
            size_t dl = strlen(r->dir), nl = strlen(name);
            size_t sep = !(dl && r->dir[dl - 1] == '/');
            char *path = arena_alloc(a, dl + sep + nl + 1);
            memcpy(path, r->dir, dl);
            path[dl] = '/';
            memcpy(path + dl + sep, name, nl + 1);
            const char *id = arena_strndup(a, name, nl - 6);
            if (!open_input(r, path))
                return file_error(out, path, id, false, cannot_read(a, errno));
            return read_fact_file(r, a, out, path, path, id);
        }
        free_names(r);
        if (r->next_path == r->npaths)
            return false;
        const char *path = r->paths[r->next_path++];
        if (r->folder_files) { /* read as the folder's files are, above */
            const char *id = base_id(a, path);
            if (!open_input(r, path))
                return file_error(out, path, id, false, cannot_read(a, errno));
            return read_fact_file(r, a, out, path, path, id);
        }
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

bool facts_next(FactReader *r, Arena *a, FactRecord *out)
{
    if (!r->xl && r->in.fd >= 0 && csv_next(r, a, out))
        return true;
    return next_rest(r, a, out);
}

/* ---- runs of a folder's fact files, for parallel scoring ---- */

bool facts_can_split_folder(const FactReader *r, size_t min_files)
{
    return r->dir && r->in.fd < 0 && !r->xl && r->nnames - r->next_name >= min_files &&
           r->nnames > r->next_name;
}

FactReader *facts_take_files(FactReader *r, size_t n)
{
    if (!r->dir || r->in.fd >= 0 || r->xl || r->next_name >= r->nnames)
        return NULL;
    if (n > r->nnames - r->next_name)
        n = r->nnames - r->next_name;
    size_t dl = strlen(r->dir);
    size_t sep = !(dl && r->dir[dl - 1] == '/');
    char **paths = xmalloc(n * sizeof *paths);
    for (size_t i = 0; i < n; i++) { /* DIR/NAME, as facts_next makes it */
        const char *name = r->names[r->next_name++];
        size_t nl = strlen(name);
        paths[i] = xmalloc(dl + sep + nl + 1);
        memcpy(paths[i], r->dir, dl);
        paths[i][dl] = '/';
        memcpy(paths[i] + dl + sep, name, nl + 1);
    }
    FactReader *c = facts_open((const char *const *)paths, n);
    c->folder_files = true;
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return c;
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
    if (rec->default_id) /* a plain row's may hold a NUL byte: the binder reads id_len */
        rec->default_id =
            arena_strndup(a, rec->default_id, rec->row ? rec->id_len : strlen(rec->default_id));
    if (rec->error)
        rec->error = arena_strndup(a, rec->error, strlen(rec->error));
    rec->header = keep_cells(rec->header, rec->nheader, a);
    rec->cells = keep_cells(rec->cells, rec->ncells, a);
    if (rec->row) {
        /* the copy holds the row's text only: its offsets made from its start */
        uint32_t at = rec->row_at;
        size_t n = rec->cut[rec->nrow - 1] - at;
        uint32_t *cut = arena_alloc(a, rec->nrow * sizeof *cut);
        for (size_t i = 0; i < rec->nrow; i++)
            cut[i] = rec->cut[i] - at;
        rec->row = arena_strndup(a, rec->row + at, n);
        rec->cut = cut;
        rec->row_at = 0;
    }
}
