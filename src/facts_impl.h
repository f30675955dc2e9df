/* facts_impl.h - what the files of the fact reader share (not for other
 * modules): facts.c (input, encodings, fact files, workbooks, folders, the
 * reader), facts_csv.c (the streaming CSV reader) and facts_value.c (typed
 * values). */
#ifndef RUBRIC_FACTS_IMPL_H
#define RUBRIC_FACTS_IMPL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <iconv.h>
#include <sys/types.h>

#include "facts.h"
#include "xlsx.h"

enum {
    BLOCK = 1 << 16, /* read size and the buffer's usual size: small, so memory does not depend on
                        the input */
    BUF_MAX = 64 << 20, /* largest CSV row or fact file */
    SLACK = 64,         /* grow the buffer when less room than this is left */
    MAX_COLUMNS = 65536 /* widest CSV header */
};

/* "not valid UTF-8 or GB18030 text", compared by address */
extern const char facts_bad_text[];
#define BAD_TEXT facts_bad_text

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
    int line;       /* line number of buf[pos] */
    unsigned moves; /* counts the times the text moved in buf (or buf changed) */
} Input;

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
    char *src; /* "path:LINE" of the last CSV row handed out (see line_source) */
    size_t src_len, src_cap;
    int src_line; /* its LINE, 0: none yet */
    bool header_read;
    Arena harena;       /* the header's cells and names */
    FactCell *header;   /* kept columns */
    FactCell *rowcells; /* CSV: the cells handed out for a row, reused row after row (what is
                           the same on every row filled in once, from the header) */
    size_t nheader;
    bool *keep;   /* per column: its header cell is not empty */
    size_t ncols; /* columns in the header, kept or not */
    unsigned gen;
    uint32_t *cut; /* a plain row's cell ends (FactRecord.cut): ncols + 16 */
    /* a region of whole lines without a quote, scanned at once (csv_plain,
       where the processor has AVX2): the offsets in in.buf of its commas and
       line ends in order (reg), the indices in reg of the line ends (reg_nl) */
    bool reg_on;
    uint32_t *reg, *reg_nl;
    size_t reg_i, nl_n, nl_i; /* reg's next offset, reg_nl's length and next */
    size_t reg_pos;           /* where the region's next row starts */
    const char *reg_buf;      /* in.buf and in.moves when it was scanned */
    unsigned reg_moves;
    RawCell *rc; /* cells of the row being scanned */
    size_t rc_cap;
    FactCell *fcells; /* a fact file's cells, reused file after file */
    size_t fcells_cap;
    XlsxSheet *xl;       /* the workbook being read, or NULL */
    const char *sheet;   /* the worksheet of workbooks (NULL: the first) */
    FactIsName *is_name; /* which header cells name facts (NULL: any) */
    const void *name_ctx;
    bool split_done;   /* the CSV file being read has been cut into chunks (facts_take_chunk) */
    bool folder_files; /* the paths are fact files taken from a folder (facts_take_files) */
};

/* ---- shared helpers (facts.c unless said) ---- */

void facts_in_stop(Input *in);
/* Make more text available after buf[end), keeping buf[keep..end) (which
 * moves to the start of buf). */
Fill facts_in_fill(Input *in, size_t keep);
/* Length of the run of ASCII bytes at the start of s[0..n). */
size_t facts_ascii_run(const char *s, size_t n);
/* facts_utf8.c: offset of the first byte of s[0..n) that does not start a
 * well-formed UTF-8 sequence, or n (a sequence cut off by the end of s is not
 * well-formed). Sixteen bytes at a time where the processor allows. */
size_t facts_utf8_bad(const char *s, size_t n);
/* The same, a byte (or eight ASCII bytes) at a time, on any processor. */
size_t facts_utf8_bad_plain(const char *s, size_t n);
/* The same by one way of the processor's (how: 0 the plain loop, 1 SSSE3,
 * 2 AVX2), which must be at most facts_utf8_best(): for the tests, which
 * compare them. */
size_t facts_utf8_bad_with(int how, const char *s, size_t n);
int facts_utf8_best(void);
/* The text s[0..n) for a message: at most 40 characters, then "…" (in a). */
char *facts_snippet(Arena *a, const char *s, size_t n);
/* Base name of path without its last extension ("facts/张三.facts" → "张三"). */
const char *facts_base_id(Arena *a, const char *path);
/* *out as a record that only says why path cannot be read; true. */
bool facts_file_error(FactRecord *out, const char *path, const char *id, bool is_csv,
                      const char *msg);
/* "cannot read: REASON" (in a). */
const char *facts_cannot_read(Arena *a, int err);
/* facts_csv.c: the next record of the open CSV file; false at its end (the
 * file is closed). */
bool facts_csv_next(FactReader *r, Arena *a, FactRecord *out);
/* facts_scan.c: the line breaks in b[0..n); *quote is set when a '"' is among
 * the bytes. how: 0 a byte at a time, 1 SSE2, 2 AVX2, at most
 * facts_count_lines_best() (the reader uses the best; the tests compare). */
size_t facts_count_lines(int how, const char *b, size_t n, bool *quote);
int facts_count_lines_best(void);
#if defined(__x86_64__) && defined(__GNUC__)
#define FACTS_HAVE_REGIONS 1  /* facts_region_scan is there (AVX2 is checked for at run time) */
enum { FACTS_REGION = 8192 }; /* bytes scanned at once for a region, at most */
/* facts_scan.c, only where the processor has AVX2, BMI1 and POPCNT: the
 * region of whole lines without a quote that starts at b[from] (see
 * csv_plain): the offsets of its commas and line ends into reg, the indices in
 * reg of the line ends into nl; returns how many line ends. reg and nl have
 * room for FACTS_REGION + 68. */
size_t facts_region_scan(const char *b, size_t from, size_t end, uint32_t *reg, uint32_t *nl);
#endif
/* facts_csv.c: whether r's plain rows are found a region at a time (on, as
 * facts_open sets it, where the processor has AVX2, BMI1 and POPCNT) or row by
 * row, sixteen bytes at a time (for the tests, which compare the two). */
void facts_regions(FactReader *r, bool on);
/* facts_csv.c: "path:LINE" in a. */
const char *facts_row_source(Arena *a, const char *path, size_t n, int line);
#define in_stop facts_in_stop
#define in_fill facts_in_fill
#define ascii_run facts_ascii_run
#define utf8_bad facts_utf8_bad
#define trim_slow facts_trim_slow
#define snippet facts_snippet
#define base_id facts_base_id
#define file_error facts_file_error
#define cannot_read facts_cannot_read
#define csv_next facts_csv_next
#define row_source facts_row_source

/* Length of the white space at s[0..n): space, tab and the Unicode spaces the
 * rubric lexer skips (U+00A0, U+2000-U+200A, U+3000; LANGUAGE.md), so a value
 * pasted with a no-break space reads as it does in a rubric. */
static inline size_t ws_at(const char *s, size_t n)
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

#define trim facts_trim

#endif
