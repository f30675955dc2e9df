/* xlsx.h - reading one worksheet of an Excel workbook (.xlsx) as rows of cells.
 *
 * The zip container is read with libzip and the XML with expat; which cell
 * holds what, and how a stored value reads as text, is decided here. The
 * worksheet streams: the parser is suspended at the end of each row, so
 * memory holds one row (plus the shared-string table and the merged ranges),
 * whatever the length of the sheet. A workbook is untrusted input: a DOCTYPE
 * is refused (so no DTD, no entity of any kind), each part's unpacked size is
 * bounded, and expat's own memory is capped.
 *
 * Every cell comes out as the text a CSV export would hold: a number is the
 * decimal text of its stored value rounded as Excel shows it (15 significant
 * digits, then at most 15 decimal places; never through a binary double); a
 * number with a percent format is that many percent with a `%` (stored 0.92
 * reads "92%"); a date-formatted number is `YYYY-MM-DD`; a boolean is `TRUE`
 * or `FALSE`; a cell with no value to read (a formula without a cached result,
 * a cached error such as #DIV/0!) carries an error naming the cell instead.
 * Merged ranges read their top-left cell in every cell they cover. */
#ifndef RUBRIC_XLSX_H
#define RUBRIC_XLSX_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

typedef struct {
    int col;          /* 0-based column (A = 0) */
    const char *text; /* the value as text (not NUL-terminated), or NULL with error */
    size_t len;
    const char *error; /* not NULL: the cell has no value to read; why, naming the cell */
    bool filled;       /* the value is a merged range's, copied from its top-left cell */
} XlsxCell;

typedef struct {
    int row;               /* the row number Excel shows (1-based) */
    const XlsxCell *cells; /* non-empty cells in column order */
    size_t ncells;
} XlsxRow;

/* Whether name[0..len) (a header cell, trimmed) names a declared fact. */
typedef bool XlsxIsName(const void *ctx, const char *name, size_t len);

typedef struct XlsxSheet XlsxSheet;

/* Open the worksheet called sheet (NULL: the first visible worksheet) of the
 * workbook at path. NULL with *err (in a) when the file is not a readable
 * workbook or has no such sheet. */
XlsxSheet *xlsx_open(const char *path, const char *sheet, Arena *a, const char **err);
/* The same for a workbook held in memory (data must outlive the sheet). */
XlsxSheet *xlsx_open_mem(const void *data, size_t len, const char *sheet, Arena *a,
                         const char **err);
/* Read up to and including the header: the first row with a cell that
 * is_name accepts (any non-empty row when is_name is NULL). Rows below it
 * that vertical merges starting in it reach down to belong to the header too;
 * their cells name the columns under a merged group title. 1 and *out (valid
 * until the next call) on success; 0 when no row qualifies; -1 and *err (in a)
 * when the worksheet cannot be read. */
int xlsx_header(XlsxSheet *x, XlsxIsName *is_name, const void *ctx, XlsxRow *out, Arena *a,
                const char **err);
/* The next row with a non-empty cell: 1 and *out (valid until the next
 * call), 0 at the end of the sheet, -1 and *err (in a) when the rest of the
 * worksheet cannot be read. */
int xlsx_next(XlsxSheet *x, XlsxRow *out, Arena *a, const char **err);
void xlsx_close(XlsxSheet *x);

/* "C7" for 0-based column 2, row 7, into buf (at least 16 bytes). */
const char *xlsx_cell_name(int col, int row, char *buf);

#endif
