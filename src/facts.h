/* facts.h - reading employees: fact files, CSV, folders and standard input.
 *
 * The reader knows nothing of rubrics: it hands out each employee as a list of
 * NAME/VALUE cells as written (keys not folded, values trimmed and unquoted),
 * and facts_value turns one cell into a typed Value for a declared fact. The
 * reader streams: one employee at a time in the caller's arena, input read in
 * large blocks, so memory does not grow with the number of employees. Input
 * that is not valid UTF-8 is read as GB18030 (what Excel/WPS on Chinese
 * Windows save) and converted with iconv. */
#ifndef RUBRIC_FACTS_H
#define RUBRIC_FACTS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "decimal.h"
#include "value.h"

typedef struct {
    const char *key; /* fact name as written (fact files); CSV: the column header */
    size_t key_len;
    const char *val; /* value: trimmed when unquoted, quotes removed when quoted */
    size_t val_len;
    bool quoted;       /* the value was quoted (then it is text in fact files) */
    int line;          /* 1-based line the cell is on */
    int col;           /* CSV: 0-based column index; fact files: -1 */
    const char *error; /* not NULL: the cell cannot be read; why. Fact files: the line is not
                          NAME = VALUE ("line 3: …", key NULL); workbooks: the cell holds no
                          value (a formula without a saved result, a cached #DIV/0!), naming it */
} FactCell;

typedef struct {
    const char *source;     /* path as given, or for a CSV or workbook row "path:LINE" (a CSV
                               row's is valid until the next facts_next, like its cells) */
    const char *default_id; /* fact file: base name without last extension; CSV: first cell
                               (valid until the next facts_next, like the cells) */
    const char *path;       /* the file the record came from, as given */
    int line;               /* line the record starts on (1 for a fact file) */
    uint32_t row_at;        /* CSV plain row: where in row its text starts (see row, below) */
    const FactCell *cells;  /* the employee's cells, in input order */
    size_t ncells;
    const char *error;      /* not NULL: the record cannot be scored; why (no source prefix).
                               A fact file's bad lines are all in it ("line 2: …; line 5: …"),
                               and stand among the cells as cells with an error */
    bool is_csv;            /* the record is a CSV or workbook row (cells by column) */
    unsigned header_gen;    /* CSV: changes whenever a new header has been read */
    const FactCell *header; /* CSV: the header cells (key = column name), col = index */
    size_t nheader;
    /* CSV: a row read plainly (one line, no quote, valid UTF-8, its first cell not empty, as
       many cells as the header has columns, error NULL) is not split into FactCells (cells is
       NULL): the binder cuts it itself. Cell i (column i) is row[i ? cut[i-1] + 1 : row_at ..
       cut[i]), untrimmed, i < nrow, except the first, which is default_id (id_len bytes,
       trimmed); the row's text is row[row_at .. cut[nrow-1]). row is a base the offsets are
       counted from, not always the row's start (the reader hands out the offsets its scan of
       many rows found, from the buffer's start: row_at is then the row's offset). NULL for
       every other record. Valid until the next facts_next, like cells. */
    const char *row;
    const uint32_t *cut;
    size_t nrow;
    size_t id_len;
} FactRecord;

typedef struct FactReader FactReader;

/* Start reading the employees named by paths: fact files, CSV files (name
 * ending in .csv, any case), Excel workbooks (.xlsx, any case: a row per
 * employee, as xlsx.h reads them), folders (their *.facts files in byte order of
 * name) and "-" (standard input: CSV when its first line has a comma and no
 * '=', else one fact file). */
FactReader *facts_open(const char *const *paths, size_t npaths);

/* Whether name[0..len) (a trimmed header cell) names a fact. */
typedef bool FactIsName(const void *ctx, const char *name, size_t len);
/* For workbooks: read the worksheet called sheet (NULL: the first), and take
 * as the header the first row with a cell is_name accepts (NULL: the first row
 * that is not empty), skipping title rows above it. Call before facts_next. */
void facts_workbooks(FactReader *r, const char *sheet, FactIsName *is_name, const void *ctx);
/* Fill *out with the next employee, allocating in a (which the caller resets
 * between employees); the cells and their text (and a CSV row's source and
 * default id) stay valid until the next call. Returns false when there are no
 * more. A file that cannot be read yields one record whose error says why. */
bool facts_next(FactReader *r, Arena *a, FactRecord *out);
/* Copy every text of *rec that lives in the reader (cell names and values,
 * header cells) into a, so that *rec, and what is computed from it, stays
 * valid after the next facts_next (it does not otherwise: the next call may
 * move or reuse the reader's buffer and header). Strings already in the
 * caller's arena are copied too; paths stay valid until facts_close. */
void facts_keep(FactRecord *rec, Arena *a);
void facts_close(FactReader *r);
/* The cells of a plain CSV row (rec->row not NULL) as the FactCells the
 * reader builds for any other row: rec->nheader of them (each named column),
 * in a; their text lives where the row's does. For tests and tools that read
 * cells; the binder reads the row itself. */
const FactCell *facts_row_cells(const FactRecord *rec, Arena *a);

/* Why the bare number d, in (0, 1], cannot be a percent: 0.92 could mean 92%
 * or 0.92%, 1 could mean 100% or 1% (the message says what to write). */
const char *facts_ambiguous_percent(Arena *a, Dec d);

/* Turn a fact value as written into a Value of the declared type, checking the
 * range. Returns NULL on success, else an error message (in a) such as
 * `expected a percent, got "abc"`; a bare number in (0, 1] for a percent is
 * one (facts_ambiguous_percent). *warning is set to a message (in a) or NULL;
 * no value warns at present. An empty unquoted value is VAL_NONE. */
const char *facts_value(const FactSpec *spec, const char *text, size_t len, bool quoted, Arena *a,
                        Value *out, const char **warning);

/* ---- parallel scoring: a CSV file cut into chunks of whole rows ---- */

typedef struct {
    char *text; /* whole rows as the reader sees them (UTF-8: converted when the
                   file is GB18030), malloc'd */
    size_t len;
    int line; /* line of text[0] */
} FactChunk;

/* Whether the employee just returned came from a CSV file (its header read)
 * that is a regular file of at least min_bytes, not cut into chunks yet: then
 * facts_take_chunk may take the rest of it. Once it has said no for a file,
 * it says no for the rest of that file. */
bool facts_can_split(FactReader *r, long long min_bytes);
/* Take the next whole rows (about target bytes) of the CSV file being read
 * into *c, exactly where facts_next would have cut them (quoted line breaks
 * stay inside a row; the encoding is decided as when read alone). Returns
 * false when nothing was taken: the file is at its end, or the rest must be
 * read row by row (a read error, a row that does not fit, line numbers near
 * their limit); facts_next then reads the rest as usual. */
bool facts_take_chunk(FactReader *r, size_t target, FactChunk *c);
/* A reader of chunk c (which it takes: c->text becomes NULL) that yields the
 * same records facts_next on parent would have, for a thread of its own. It
 * shares parent's header and path: keep parent open and between chunks while
 * it is in use. Close with facts_close. */
FactReader *facts_chunk_reader(const FactReader *parent, FactChunk *c);
/* Whether a folder is being read with at least min_files (and at least one)
 * of its fact files still to come. */
bool facts_can_split_folder(const FactReader *r, size_t min_files);
/* A reader of the next n (at most) fact files of the folder being read, which
 * r then skips: it yields the records facts_next on r would have. NULL when
 * no file of a folder is left. Close with facts_close. */
FactReader *facts_take_files(FactReader *r, size_t n);

/* Trim white space from both ends of b[*s..*e) (see facts_trim). */
void facts_trim_slow(const char *b, size_t *s, size_t *e);

/* Bytes that may begin (1) or end (2) white space: space, tab, U+00A0 (C2 A0),
 * U+2000-U+200A (E2 80 80-8A), U+3000 (E3 80 80). */
static const unsigned char FACTS_WS_EDGE[256] = {
    [' '] = 3,  ['\t'] = 3, [0xC2] = 1, [0xE2] = 1, [0xE3] = 1, [0xA0] = 2,
    [0x80] = 2, [0x81] = 2, [0x82] = 2, [0x83] = 2, [0x84] = 2, [0x85] = 2,
    [0x86] = 2, [0x87] = 2, [0x88] = 2, [0x89] = 2, [0x8A] = 2};

/* Trim white space (space, tab and the Unicode spaces the rubric lexer skips)
 * from both ends of b[*s..*e), as the reader trims a cell, with a quick look
 * at the ends first (cells are rarely padded). */
static inline void facts_trim(const char *b, size_t *s, size_t *e)
{
    if (*s < *e && !(FACTS_WS_EDGE[(unsigned char)b[*s]] & 1) &&
        !(FACTS_WS_EDGE[(unsigned char)b[*e - 1]] & 2))
        return;
    facts_trim_slow(b, s, e);
}

/* Cell col (< rec->nrow) of a plain CSV row (rec->row not NULL), trimmed as
 * the reader trims cells: its text, *len bytes, in the reader's buffer. */
static inline const char *facts_row_cell(const FactRecord *rec, size_t col, size_t *len)
{
    if (col == 0) {
        *len = rec->id_len;
        return rec->default_id;
    }
    size_t s = rec->cut[col - 1] + 1, e = rec->cut[col];
    facts_trim(rec->row, &s, &e);
    *len = e - s;
    return rec->row + s;
}

/* A number written plainly (`92`, `-3.5`, `95.73%`: ASCII digits, at most 18
 * before the point and 16 after it) into *out, in units of 10^-18 (a percent
 * a hundredth of its digits); false for anything else (spaces, full-width
 * digits, a fraction for an integer, a bare 0 < x <= 1 for a percent), which
 * facts_value then reads and explains. No range check. Inline: it is the
 * CSV column plans' inner loop as well as facts_value's first try. */
static inline bool facts_plain_number(const char *t, size_t n, bool pct, bool integer, Dec *out)
{
    size_t i = 0;
    bool neg = n && t[0] == '-';
    i = neg;
    size_t start = i;
    int64_t ip = 0;
    for (unsigned dg; i < n && (dg = (unsigned)(unsigned char)t[i] - '0') < 10; i++) {
        if (i - start >= 18)
            return false;
        ip = ip * 10 + dg;
    }
    if (i == start)
        return false;
    int64_t fp = 0;
    int nf = 0;
    if (i < n && t[i] == '.') {
        i++;
        size_t fs = i;
        for (unsigned dg; i < n && (dg = (unsigned)(unsigned char)t[i] - '0') < 10; i++) {
            if (nf == 16)
                return false;
            fp = fp * 10 + dg;
            nf++;
        }
        if (i == fs)
            return false;
    }
    bool sign = i < n && t[i] == '%';
    i += sign;
    if (i != n || (sign && !pct) || (integer && fp != 0))
        return false;
    int shift = pct ? 2 : 0;
    if (pct && !sign && !neg && ((ip == 0 && fp != 0) || (ip == 1 && fp == 0)))
        return false; /* 0 < x <= 1 as a percent: facts_value refuses it */
    dec_i128 v = (dec_i128)ip * dec_pow10[18 - shift];
    if (nf)
        v += (dec_i128)fp * dec_pow10[18 - shift - nf];
    out->v = neg ? -v : v;
    return true;
}

#endif
