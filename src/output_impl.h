/* output_impl.h - what the output modules share (not part of the interface).
 *
 * The Out itself, its caches and prepared texts, and the primitives the row
 * writers call: the buffer and number/escaping functions of output_text.c,
 * and, as static inline here, the few small ones a row's hot path uses on
 * every cell (reserve, put_char), so that every caller inlines them as when
 * they were one file. output.c writes CSV, TSV and JSON rows and holds the
 * interface; output_table.c keeps and prints a table. */
#ifndef RUBRIC_OUTPUT_IMPL_H
#define RUBRIC_OUTPUT_IMPL_H
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "output.h"

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

/* Bytes below 0x80 that a mode changes or that need a CSV cell quoted: bit
 * 1 for CSV (" , CR LF), 2 for JSON (" \\ and the controls), 4 for TSV (tab,
 * CR, LF). */
enum { SP_CSV = 1, SP_JSON = 2, SP_TSV = 4 };

/* ---- the write buffer (output_text.c) ---- */

/* Write a file Out's buffer to its file (o->failed on a short write); a
 * memory Out keeps its rows. */
void out_buf_flush(Out *o);
/* Make room for n more bytes: a file's buffer is written out (n <= OUT_BUFSZ
 * then fits), a memory Out's buffer grows. */
void out_make_room(Out *o, size_t n);
/* Append s[0..n) (any n: a file Out's too large text goes straight to it). */
void out_put(Out *o, const char *s, size_t n);
/* Append n spaces. */
void out_put_spaces(Out *o, size_t n);

/* Room for n (<= OUT_BUFSZ) bytes at the end of the buffer; the caller writes
 * there and advances o->len. */
static inline char *reserve(Out *o, size_t n)
{
    if (o->cap - o->len < n)
        out_make_room(o, n);
    return o->buf + o->len;
}

#define PUT_LIT(o, lit) out_put((o), (lit), sizeof(lit) - 1)

static inline void put_char(Out *o, char c)
{
    if (o->len == o->cap)
        out_make_room(o, 1);
    o->buf[o->len++] = c;
}

/* ---- numbers (output_text.c) ---- */

/* d as dec_format writes it, at p (DEC_BUFSZ bytes of room), through o's
 * caches; returns the length. */
size_t out_fmt_num(Out *o, Dec d, char *p);
/* Append d as out_fmt_num writes it. */
void out_put_dec(Out *o, Dec d);
/* A percent held as its fraction, in percent units (0.925 -> "92.5"), at buf
 * (DEC_BUFSZ bytes of room, NUL-terminated); returns the length. */
size_t out_fmt_percent(Dec d, char *buf);
/* Append d in percent units, and a % when sign. */
void out_put_percent(Out *o, Dec d, bool sign);

/* ---- text (output_text.c) ---- */

/* Write s[0..n) to dst escaped for mode; dst has room for ESC_GROW * n bytes.
 * Returns the bytes written. Invalid UTF-8 becomes U+FFFD, one per byte. */
size_t out_escape(char *dst, const char *s, size_t n, Esc mode);
/* Whether s[0..n) is well-formed UTF-8 without a byte the mode (SP_*)
 * changes (then it is written as it is). */
bool out_plain(const char *s, size_t n, unsigned mode);
/* Append s[0..n) as a JSON string, quoted and escaped. */
void out_json_strn(Out *o, const char *s, size_t n);
/* s[0..n) as a CSV or TSV text cell at d, which has room for ESC_GROW * n + 3
 * bytes; returns its length. The definition of a text cell: quoted (CSV) when
 * it holds , " CR or LF, a leading ' when it starts like a formula, then
 * escaped for the format. */
size_t out_cell_into(char *d, const char *s, size_t n, OutFormat fmt);
/* Append s[0..n) as a CSV or TSV text cell (out_cell_into) of o's format. */
void out_cell_textn(Out *o, const char *s, size_t n);

static inline void json_str(Out *o, const char *s)
{
    out_json_strn(o, s ? s : "", s ? strlen(s) : 0);
}

static inline void cell_text(Out *o, const char *s)
{
    out_cell_textn(o, s ? s : "", s ? strlen(s) : 0);
}

/* ---- the table (output_table.c) ---- */

/* Keep row r's cells, formatted, for out_table_print. */
void out_table_keep(Out *o, const OutRow *r);
/* Print the kept rows, aligned, into o's buffer. */
void out_table_print(Out *o);

#endif
