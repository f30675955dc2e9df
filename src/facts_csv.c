/* facts_csv.c - the streaming CSV reader (see facts.h, facts_impl.h).
 *
 * A row is read in place in the reader's buffer. The usual row (one line, no
 * quote, as many cells as the header) is handed out as its comma offsets
 * (csv_plain): found a region of lines at a time where the processor has
 * AVX2 (facts_scan.c; the region's offsets, from the buffer's start, handed
 * out as they are), else sixteen bytes at a time; UTF-8 is checked for all
 * the buffer's whole lines at once (facts_utf8.c). Any other row is cut into
 * cells by csv_scan, a state machine that may run over several lines and,
 * when the buffer ends inside the row, reads more and scans the row again. A
 * cell points into the buffer unless it holds "" escapes (then it is
 * unescaped into the caller's arena); a row's `path:LINE` is counted up in
 * place in the reader. Nothing is taken from malloc per row. For -j, the
 * rest of a file is cut into chunks of whole rows (facts_take_chunk), read
 * from the file straight into the chunk. */
#include "facts_impl.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    size_t ce = le;
    while (ce > p && b[ce - 1] == '\r') /* CR LF, and CR CR LF (a CRLF file saved again as CRLF) */
        ce--;
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
            size_t lf = k; /* past the CRs of CR LF and CR CR LF */
            while (lf < end && b[lf] == '\r')
                lf++;
            if (lf == end && lf > k && !eof)
                return SCAN_MORE;
            if (k == end || lf == end || b[lf] == '\n') {
                *next = lf == end ? end : lf + 1;
                nls += lf < end;
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
        size_t cs = i, cend = k;
        while (k < end && cend > i && b[cend - 1] == '\r')
            cend--;
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

/* "path:LINE" into o (room for n + 12 bytes: an int has at most 10 digits);
 * returns its length, without the NUL written after it. */
static size_t put_source(char *o, const char *path, size_t n, int line)
{
    char digits[12]; /* an int's digits, at most 10 */
    int nd = 0;
    unsigned v = (unsigned)line;
    do
        digits[nd++] = (char)('0' + v % 10);
    while (v /= 10);
    memcpy(o, path, n);
    char *e = o + n;
    *e++ = ':';
    while (nd)
        *e++ = digits[--nd];
    *e = 0;
    return (size_t)(e - o);
}

/* "path:LINE" in a. */
const char *row_source(Arena *a, const char *path, size_t n, int line)
{
    char *s = arena_alloc(a, n + 12);
    put_source(s, path, n, line);
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
    r->src_len = put_source(r->src, r->path, r->path_len, line);
    r->src_line = line;
    return r->src;
}

/* line_source's usual case, inline: the next line, its last digit not a 9. */
static inline const char *next_line_source(FactReader *r, int line)
{
    if (r->src_line > 0 && line - 1 == r->src_line) {
        char *d = r->src + r->src_len - 1;
        if (*d != '9') {
            ++*d;
            r->src_line = line;
            return r->src;
        }
    }
    return line_source(r, line);
}

/* Take the header (the first row not all empty) from the scanned cells. */
static void csv_header(FactReader *r, size_t n, int line)
{
    Input *in = &r->in;
    arena_reset(&r->harena);
    r->keep = xrealloc(r->keep, n * sizeof *r->keep);
    r->cut = xrealloc(r->cut, (n + 16) * sizeof *r->cut); /* see csv_plain */
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
    r->rowcells = arena_alloc(&r->harena, (r->nheader ? r->nheader : 1) * sizeof *r->rowcells);
    for (size_t k = 0; k < r->nheader; k++)
        r->rowcells[k] = (FactCell){.key = r->header[k].key,
                                    .key_len = r->header[k].key_len,
                                    .quoted = false, /* in CSV quotes only protect a cell */
                                    .col = r->header[k].col};
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

/* The usual row after the header, read plainly (FactRecord.row): one whole
 * line in the buffer without a quote, valid UTF-8, as many cells as the header
 * has columns, its first cell not empty. Only the commas are found and their
 * offsets kept (r->cut, or the region's own); the binder reads the cells from
 * there with the column plans, so a row is not cut into FactCells and then
 * read again. False, with nothing consumed, for any other row: the general
 * path below reads it and words what is wrong with it. */

void facts_regions(FactReader *r, bool on)
{
#ifdef FACTS_HAVE_REGIONS
    r->reg_on = on && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
                __builtin_cpu_supports("popcnt");
#else
    (void)on;
    r->reg_on = false;
#endif
    r->reg_buf = NULL;
}

static inline __attribute__((always_inline)) bool csv_plain(FactReader *r, Arena *a,
                                                            FactRecord *out)
{
    Input *in = &r->in;
    char *b = in->buf;
    size_t p = in->pos, end = in->end;
    /* a row of one line only: the stricter bound of csv_next's line check */
    if (p == end || in->line > INT_MAX - 2)
        return false;
    /* one pass for the line end, the quotes and the commas (their offsets
       into r->cut): sixteen bytes at a time where SSE2 is there, the rest a
       byte at a time */
    uint32_t *cut = r->cut; /* room for ncols + 16: a block adds at most 16 */
    size_t base = p;        /* what cut's offsets count from (FactRecord.row) */
    size_t ncols = r->ncols, k = 0, i = p, le;
    bool nl = true;
#ifdef FACTS_HAVE_REGIONS
    if (r->reg_on) {
        /* the row is the region's next one, or a new region starts here (at
           least 64 bytes before the buffer's end; else, and when it holds no
           whole line, the row is scanned below) */
        if (r->reg_buf != b || r->reg_moves != in->moves || r->reg_pos != p || r->nl_i == r->nl_n) {
            r->nl_n = 0;
            if (end - p >= 64) {
                if (!r->reg) {
                    r->reg = xmalloc((FACTS_REGION + 68) * sizeof *r->reg);
                    r->reg_nl = xmalloc((FACTS_REGION + 68) * sizeof *r->reg_nl);
                }
                r->nl_n = facts_region_scan(b, p, end, r->reg, r->reg_nl);
            }
            r->reg_i = r->nl_i = 0;
            r->reg_buf = b, r->reg_moves = in->moves, r->reg_pos = p;
        }
        if (r->nl_i < r->nl_n) {
            /* the row's commas and line end; taken from the region whether
               or not it is read here (a row that is not plain is read by
               csv_next_rest, which ends it at the same line end) */
            size_t i0 = r->reg_i, e = r->reg_nl[r->nl_i];
            le = r->reg[e];
            r->reg_i = e + 1, r->nl_i++, r->reg_pos = le + 1;
            if (e - i0 + 1 != ncols)
                return false; /* too few or too many cells */
            k = ncols - 1;
            /* the region's own offsets, from the buffer's start, handed out as
               they are (FactRecord.row is then the buffer, row_at the row's
               start): no copy. reg[e], the line end, already read, is where
               the last cell's end goes (CR taken off) */
            cut = r->reg + i0;
            base = 0;
            goto found;
        }
    }
#endif
#if defined(__SSE2__)
    const __m128i vc = _mm_set1_epi8(','), vn = _mm_set1_epi8('\n'), vq = _mm_set1_epi8('"');
    for (; i + 16 <= end; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
        unsigned mn = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn));
        unsigned mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vq));
        unsigned mc = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vc));
        if (mn) { /* only what comes before the line end is this row's */
            unsigned before = (mn & -mn) - 1;
            mq &= before;
            mc &= before;
        }
        if (mq || k >= ncols)
            return false; /* a quote; too many cells */
        uint32_t at = (uint32_t)(i - p);
        for (; mc; mc &= mc - 1)
            cut[k++] = at + (uint32_t)__builtin_ctz(mc);
        if (mn) {
            le = i + (size_t)__builtin_ctz(mn);
            goto found;
        }
    }
#endif
    for (;; i++) {
        if (i == end) {
            if (!in->eof)
                return false; /* the row goes on past what the buffer holds */
            le = end;
            nl = false;
            break;
        }
        char ch = b[i];
        if (ch == '\n') {
            le = i;
            break;
        }
        if (ch == '"' || (ch == ',' && k >= ncols))
            return false;
        if (ch == ',')
            cut[k++] = (uint32_t)(i - p);
    }
#if defined(__SSE2__) || defined(FACTS_HAVE_REGIONS)
found:;
#endif
    size_t ce = le;
    while (ce > p && b[ce - 1] == '\r') /* CR LF, and CR CR LF, as csv_next reads them */
        ce--;
    size_t next = nl ? le + 1 : end;
    if (in->checked < next) {
        /* validate every whole line the buffer holds at once, not row by row
           (a call and a tail a row): rows end at a line break, which no
           well-formed sequence holds, so a row validated within the run is
           validated as it would be alone; the run stops at the first bad
           byte, whose row the general path finds bad again */
        size_t from = in->checked > p ? in->checked : p;
        size_t to = end; /* just after the buffer's last line break (at least next) */
        while (to > next && b[to - 1] != '\n')
            to--;
        in->checked = from + utf8_bad(b + from, to - from);
        if (in->checked < next)
            return false;
    }
    if (k + 1 != ncols)
        return false;
    cut[k] = (uint32_t)(ce - base);
    size_t s0 = p, e0 = base + cut[0];
    trim(b, &s0, &e0);
    if (s0 == e0)
        return false; /* perhaps an empty row, skipped */
    int line = in->line;
    in->pos = next;
    in->line += nl;
    const char *id;
    if (e0 < end) { /* the id ended in place, as csv_next does */
        b[e0] = '\0';
        id = b + s0;
    } else {
        id = arena_strndup(a, b + s0, e0 - s0);
    }
    /* each field stored once, no memset of the whole record first (the
       static assertion below fails when a field is added: set it here) */
    out->source = next_line_source(r, line);
    out->default_id = id;
    out->path = r->path;
    out->line = line;
    out->cells = NULL;
    out->ncells = 0;
    out->error = NULL;
    out->is_csv = true;
    out->header_gen = r->gen;
    out->header = r->header;
    out->nheader = r->nheader;
    out->row = b + base;
    out->row_at = (uint32_t)(p - base);
    out->cut = cut;
    out->nrow = ncols;
    out->id_len = e0 - s0;
    return true;
}
/* 8 pointers, 4 sizes, line, row_at, is_csv and header_gen: 112 bytes on 64 bits
   (row_at sits in what was line's padding: a field added after it must be set above too) */
_Static_assert(sizeof(void *) != 8 || sizeof(FactRecord) == 112,
               "csv_plain sets every field of FactRecord");

const FactCell *facts_row_cells(const FactRecord *rec, Arena *a)
{
    FactCell *cells = arena_alloc(a, (rec->nheader ? rec->nheader : 1) * sizeof *cells);
    for (size_t k = 0; k < rec->nheader; k++) {
        const FactCell *h = &rec->header[k];
        size_t n;
        const char *t = facts_row_cell(rec, (size_t)h->col, &n);
        cells[k] = (FactCell){.key = h->key,
                              .key_len = h->key_len,
                              .val = t,
                              .val_len = n,
                              .line = rec->line,
                              .col = h->col};
    }
    return cells;
}

/* csv_next for any row but a plain one (the header, quotes, errors, the
 * buffer's end); kept out of line, so that the plain row's path does not
 * save and restore the registers this one needs. */
static __attribute__((noinline)) bool csv_next_rest(FactReader *r, Arena *a, FactRecord *out)
{
    Input *in = &r->in;
    for (;;) {
        if (r->header_read && csv_plain(r, a, out))
            return true;
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
        if (n && err != BAD_TEXT && !r->rc[0].escaped && r->rc[0].e < in->end) {
            /* the byte after the first cell (a comma, a quote, a space) has been
               scanned and is not read again: end the id there, in place */
            in->buf[r->rc[0].e] = '\0';
            out->default_id = b + r->rc[0].s;
        } else {
            size_t len0 = 0;
            const char *t0 = n && err != BAD_TEXT ? cell_text(a, b, &r->rc[0], &len0) : "";
            out->default_id = arena_strndup(a, t0, len0);
        }
        if (!err && n != r->ncols)
            err = arena_printf(a,
                               ngettext("row has %zu cell, the header has %zu",
                                        "row has %zu cells, the header has %zu", (unsigned long)n),
                               n, r->ncols);
        if (err) {
            out->error = err == BAD_TEXT ? _(BAD_TEXT) : err;
            return true;
        }
        FactCell *cells = r->rowcells; /* key, col and the rest are set */
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (!r->keep[i])
                continue;
            FactCell *c = &cells[k++];
            const RawCell *rc = &r->rc[i];
            if (rc->escaped) {
                c->val = cell_text(a, b, rc, &c->val_len);
            } else {
                c->val = b + rc->s;
                c->val_len = rc->e - rc->s;
            }
            c->line = line;
        }
        out->cells = cells;
        out->ncells = k;
        return true;
    }
}

/* The next record of the open CSV file; false at its end (the file is closed). */
bool csv_next(FactReader *r, Arena *a, FactRecord *out)
{
    if (r->header_read && csv_plain(r, a, out))
        return true;
    return csv_next_rest(r, a, out);
}

/* ---- chunks: the rest of a CSV file in pieces, for parallel scoring ---- */

bool facts_can_split(FactReader *r, long long min_bytes)
{
    if (r->xl || r->in.fd < 0 || !r->header_read || r->split_done)
        return false;
    struct stat st;
    if (r->in.own && fstat(r->in.fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (long long)st.st_size >= min_bytes)
        return true;
    r->split_done = true; /* asked once per file */
    return false;
}

/* Append b[from..to) to the chunk's text. */
static void chunk_put(FactChunk *c, size_t *cap, const char *b, size_t from, size_t to)
{
    size_t n = to - from;
    if (c->len + n > *cap) {
        while (c->len + n > *cap)
            *cap = *cap ? 2 * *cap : BLOCK;
        c->text = xrealloc(c->text, *cap);
    }
    memcpy(c->text + c->len, b + from, n);
    c->len += n;
}

/* The line breaks in b[0..n), the quickest way the processor has. */
static size_t count_lines(const char *b, size_t n, bool *quote)
{
#ifdef FACTS_HAVE_REGIONS
    if (n >= 64 && __builtin_cpu_supports("avx2"))
        return facts_count_lines(2, b, n, quote);
#endif
    return facts_count_lines(1, b, n, quote);
}

/* Put b[0..n) in the input's buffer, as the text still to read (its start). */
static void in_put_back(Input *in, const char *b, size_t n)
{
    if (in->cap < n + SLACK) {
        while (in->cap < n + SLACK)
            in->cap *= 2;
        free(in->buf);
        in->buf = xmalloc(in->cap);
    }
    memcpy(in->buf, b, n);
    in->pos = in->checked = 0;
    in->end = n;
    in->moves++;
}

/* facts_take_chunk's usual case, a UTF-8 file with less than target bytes
 * left in the buffer: those bytes and then read(2) straight into the chunk
 * (one copy of the file's text, not two), until it holds target bytes or the
 * file ends. Its whole lines up to the last line break are whole rows when
 * no quote is among them (csv_scan's first case), so the chunk ends there
 * and the part of a row after it goes back to the buffer. With a quote, only
 * the lines before the quote's are kept and the rest goes back, for the
 * caller's row-by-row loop. The encoding was decided (UTF-8 is not
 * converted), so the size of a read changes nothing. True when the chunk is
 * done: rows were taken and no quote stopped them, or a read failed (the
 * reader stops cutting the file; csv_next reads on and reports it). */
static bool take_direct(FactReader *r, size_t target, FactChunk *c, size_t cap)
{
    Input *in = &r->in;
    size_t len = in->end - in->pos;
    memcpy(c->text, in->buf + in->pos, len);
    bool failed = false;
    while (len < target && !in->rd_eof) {
        ssize_t n = read(in->fd, c->text + len, cap - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            failed = true; /* not kept in in->err: csv_next reads again */
            break;
        }
        if (n == 0)
            in->rd_eof = true;
        len += (size_t)n;
    }
    in->eof = in->rd_eof; /* as in_fill has it for UTF-8 */
    const char *t = c->text;
    bool quote;
    size_t cut = len;
    while (cut && t[cut - 1] != '\n')
        cut--;
    size_t lines = count_lines(t, cut, &quote);
    if (quote) { /* only the lines before the first quote's line */
        cut = (size_t)((const char *)memchr(t, '"', cut) - t);
        while (cut && t[cut - 1] != '\n')
            cut--;
        lines = count_lines(t, cut, &quote);
    }
    in_put_back(in, t + cut, len - cut);
    in->line += (int)lines;
    c->len = cut;
    if (failed)
        r->split_done = true;
    return failed || (cut && !quote);
}

bool facts_take_chunk(FactReader *r, size_t target, FactChunk *c)
{
    Input *in = &r->in;
    memset(c, 0, sizeof *c);
    if (r->xl || in->fd < 0 || !r->header_read || r->split_done)
        return false;
    /* line numbers: a chunk holds fewer than BUF_MAX lines; past INT_MAX / 2
       csv_next goes on alone and says where the numbers run out */
    if (in->line >= INT_MAX / 2 || target > BUF_MAX / 2) {
        r->split_done = true;
        return false;
    }
    c->line = in->line;
    size_t cap = target + BLOCK; /* a chunk is rarely longer: one allocation */
    c->text = xmalloc(cap);
    if (in->enc == ENC_UTF8 && !in->eof && in->end - in->pos < target &&
        take_direct(r, target, c, cap))
        goto done;
    Arena scratch; /* the message of a row scanned as an error, not kept */
    arena_init(&scratch);
    while (c->len < target) {
        /* whole quote-free lines are whole rows (csv_scan's first case): take
           them in one step. The buffer is refilled only below, at the start
           of a row that does not fit, as csv_next does: the encoding is
           decided on the same block as when the file is read alone */
        if (in->pos < in->end) {
            const char *b = in->buf;
            size_t p = in->pos, s = p;
            const char *q = memchr(b + p, '"', in->end - p);
            size_t stop = q ? (size_t)(q - b) : in->end;
            int lines = 0;
            const char *nl;
            while (c->len + (s - p) < target && (nl = memchr(b + s, '\n', stop - s))) {
                s = (size_t)(nl - b) + 1;
                lines++;
            }
            if (s > p) {
                chunk_put(c, &cap, b, p, s);
                in->pos = s;
                in->line += lines;
                continue;
            }
        }
        /* else one row as csv_next scans it (quotes), reading on the same way */
        size_t n = 0, next = 0;
        int lines = 0;
        const char *err = NULL;
        Scan sc = csv_scan(r, false, &n, &next, &lines, &err, &scratch);
        if (sc == SCAN_MORE) {
            Fill f = in_fill(in, in->pos);
            if (f == FILL_ERR || f == FILL_BIG) { /* csv_next meets it again and reports it */
                r->split_done = true;
                break;
            }
            continue;
        }
        if (sc == SCAN_END)
            break;
        chunk_put(c, &cap, in->buf, in->pos, next);
        in->pos = next;
        in->line += lines;
    }
    arena_free(&scratch);
done:
    if (!c->len) {
        free(c->text);
        c->text = NULL;
        r->split_done = true;
        return false;
    }
    return true;
}

FactReader *facts_chunk_reader(const FactReader *parent, FactChunk *c)
{
    FactReader *r = facts_open(NULL, 0);
    Input *in = &r->in;
    /* the whole text is in buf and eof is set, so fd is never read; it only
       says (>= 0) that a CSV file is open */
    in->fd = 0;
    in->own = false;
    in->rd_eof = in->eof = true;
    in->buf = c->text;
    in->cap = c->len;
    in->end = c->len;
    in->enc = ENC_UTF8; /* converted already when the file is GB18030 */
    in->line = c->line;
    c->text = NULL;
    c->len = 0;
    r->path = parent->path;
    r->path_len = parent->path_len;
    r->header_read = true;
    r->header = parent->header; /* the parent's, unchanged while its chunks are read */
    r->nheader = parent->nheader;
    r->ncols = parent->ncols;
    r->keep = xmalloc((parent->ncols ? parent->ncols : 1) * sizeof *r->keep);
    if (parent->ncols)
        memcpy(r->keep, parent->keep, parent->ncols * sizeof *r->keep);
    /* this reader's own row cells (csv_next fills in their values row by row) */
    r->rowcells = arena_alloc(&r->harena, (r->nheader ? r->nheader : 1) * sizeof *r->rowcells);
    memcpy(r->rowcells, parent->rowcells, r->nheader * sizeof *r->rowcells);
    r->gen = parent->gen;
    r->cut = xmalloc((parent->ncols + 16) * sizeof *r->cut);
    r->reg_on = parent->reg_on;
    r->rc_cap = parent->rc_cap; /* room for the header's cells: rows are no wider */
    r->rc = xmalloc((r->rc_cap ? r->rc_cap : 1) * sizeof *r->rc);
    r->split_done = true;
    return r;
}
