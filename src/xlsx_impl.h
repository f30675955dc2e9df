/* xlsx_impl.h - what the files of the .xlsx reader share (xlsx.h is its
 * interface): the sheet being read, the limits, and the functions that cross
 * files. xlsx_xml.c holds expat with a memory cap and reading zip parts,
 * xlsx_num.c cell references and numbers as text, xlsx_book.c opening a
 * workbook and its small parts, xlsx.c streaming the worksheet's rows.
 *
 * Design. Opening reads the small parts whole: the package relationships
 * (which part is the workbook), the workbook (its sheets and date system),
 * the workbook's relationships (where each sheet, the shared strings and the
 * styles live), the styles (which cell formats are percents or dates) and
 * the shared-string table (one pool of text, an offset per string). Merged
 * ranges are listed after the cell data in a worksheet, so a first pass over
 * the worksheet collects them; it runs expat only when the unpacked bytes hold
 * "mergeCell" at all, so a sheet without merges costs one inflate. The second
 * pass reads the cells: expat is suspended (XML_StopParser) at every </row>,
 * and resumed by the next call, so one row is held at a time.
 *
 * Element and attribute names are compared by their local part (the parser
 * splits names at the namespace), so prefixed writers (x:row) read the same.
 *
 * Untrusted input: a DOCTYPE stops the parser (no DTD, no entities beyond
 * XML's five), a part whose unpacked size is above its limit is refused before
 * and while it is read (zip bombs), only stored and deflated entries are read
 * (all that OPC allows), and expat allocates through a counting allocator
 * capped at XML_MEM_MAX. */
#ifndef RUBRIC_XLSX_IMPL_H
#define RUBRIC_XLSX_IMPL_H
#include <expat.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zip.h>

#include "arena.h"
#include "xlsx.h"

#define MIB ((uint64_t)1 << 20)
enum {
    READ_BLOCK = 1 << 16, /* bytes inflated per read */
    MAX_COLS = 16384,     /* XFD: Excel's last column */
    MAX_ROWS = 1048576,   /* Excel's last row */
    MAX_MERGES = 1 << 20, /* merged ranges in one sheet */
    MAX_FILLS = 10000000, /* cells merged ranges may fill in one sheet (a range costs a few
                             bytes and may cover millions of cells: CPU, not memory) */
};
static const uint64_t PART_MAX = 256 * MIB;         /* a part read whole (shared strings, styles) */
static const uint64_t SHEET_MAX = 4096 * MIB;       /* a worksheet, streamed */
static const size_t XML_MEM_MAX = (size_t)64 << 20; /* what one expat parser may allocate */
static const size_t CELL_MAX = (size_t)1 << 20;     /* text in one cell */
enum { NUM_MAX = 420 }; /* longest text xlsx_num_text writes (|exponent| <= 400) */

typedef struct {
    size_t used; /* bytes held by the parser now */
} XmlMem;

/* A growable byte buffer (malloc'd through xmalloc). */
typedef struct {
    char *p;
    size_t len, cap;
} Buf;

typedef enum { XF_PLAIN, XF_PERCENT, XF_DATE } XfKind;

typedef struct {
    int r1, c1, r2, c2; /* 1-based rows, 0-based columns, inclusive */
} Merge;

typedef struct {
    int col;
    size_t off, len; /* text in XlsxSheet.rowtext */
    bool error;      /* the text is an error message (NUL-terminated) */
    bool filled;     /* copied from a merged range's top-left cell */
} RawCell;

typedef struct {
    int merge;  /* index into merges */
    char *text; /* the top-left cell's text (malloc'd), NULL when empty */
    size_t len;
    bool error;
} Active;

typedef enum { PS_RUN, PS_ROW, PS_DONE, PS_ERR } ParseState;

struct XlsxSheet {
    zip_t *zip;
    zip_source_t *src; /* for a workbook in memory */
    char *sheet_part;  /* zip name of the worksheet */
    bool date1904;
    /* shared strings */
    Buf sst;      /* every string, NUL-separated */
    size_t *soff; /* offset of each string in sst */
    size_t nsst, sst_cap;
    /* styles: cellXfs index -> kind */
    unsigned char *xf;
    size_t nxf;
    /* merged ranges, by first row */
    Merge *merges;
    size_t nmerges, next_merge;
    Active *active;
    size_t nactive, active_cap;
    /* the worksheet being streamed */
    zip_file_t *zf;
    XML_Parser xp;
    XmlMem mem;
    char *block; /* READ_BLOCK bytes fed to expat */
    uint64_t unpacked;
    bool suspended, fed_final;
    ParseState ps;
    const char *err; /* why parsing stopped (static or in errs) */
    Buf errs;        /* text of messages made while parsing */
    int last_row;    /* the last row number seen */
    int row, col;    /* the row and cell being read */
    char ctype[16];  /* the cell's t attribute */
    int cstyle;
    bool in_v, in_t, in_is, in_rph, has_f, has_v, in_data;
    Buf cap;        /* text of <v> or the inline string */
    bool cap_over;  /* the cell's text went past CELL_MAX */
    RawCell *cells; /* the row's cells */
    size_t ncells, cells_cap;
    Buf rowtext;   /* their text */
    XlsxCell *out; /* the row handed out */
    size_t out_cap;
    bool replay;     /* hand out the current row again */
    bool filling;    /* the header is read: merged ranges fill the rows */
    bool row_filled; /* ...and have filled the current one */
    uint64_t fills;  /* cells filled so far */
    int rowdone_num; /* row number of the finished row */
};

/* The user data of xlsx_parse_part's handlers, the first member of each
 * part's own: the DOCTYPE handler stops the parser through it. */
typedef struct {
    XML_Parser p;     /* set by xlsx_parse_part */
    XlsxSheet *x;     /* the sheet being opened */
    bool doctype;     /* a DOCTYPE was seen */
    const char *stop; /* a handler's reason to stop (static text) */
} Ud;

/* ---- xlsx_xml.c ---- */

/* A parser with the memory cap of mem (names split at the namespace by
 * "\x01"); NULL when out of memory. */
XML_Parser xlsx_xml_new(XmlMem *mem);
/* XML_Parse, XML_ResumeParser and XML_ParserFree on a parser of
 * xlsx_xml_new, its allocations counted against mem. */
enum XML_Status xlsx_xml_parse(XML_Parser p, XmlMem *mem, const char *s, int n, bool final);
enum XML_Status xlsx_xml_resume(XML_Parser p, XmlMem *mem);
void xlsx_xml_free(XML_Parser p, XmlMem *mem);
/* Why expat stopped on part (a DOCTYPE seen, out of its memory cap, or
 * broken XML and where), as a message in a. */
const char *xlsx_xml_why(XML_Parser p, Arena *a, const char *part, bool doctype);
/* The DOCTYPE handler for parsers whose user data starts with a Ud: marks it
 * and stops the parser. */
void XMLCALL xlsx_on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                             const XML_Char *pubid, int internal);
/* Open zip entry name (a part name without a leading '/'), checking its
 * method and declared size against limit; NULL and *err (in a) when it
 * cannot be read. */
zip_file_t *xlsx_open_part(XlsxSheet *x, const char *name, uint64_t limit, Arena *a,
                           const char **err);
/* Parse part name of x's zip whole (at most PART_MAX unpacked) with the
 * handlers, whose user data is ud (the first member of theirs); false and
 * *err (in a) when it cannot be read or a handler set ud->stop. */
bool xlsx_parse_part(XlsxSheet *x, const char *name, Ud *ud, XML_StartElementHandler start,
                     XML_EndElementHandler end, XML_CharacterDataHandler text, Arena *a,
                     const char **err);
/* The local part of an expat name "URI\x01local" (or the name itself). */
const char *xlsx_local(const char *name);
/* The value of the attribute whose local name is want, or NULL. */
const char *xlsx_attr(const char **atts, const char *want);
/* Append s[0..n) to b, keeping it NUL-terminated. */
void xlsx_buf_add(Buf *b, const char *s, size_t n);

/* ---- xlsx_num.c ---- */

/* Parse a cell reference "C7" or "$C$7" (the row part optional): 0-based
 * column and 1-based row (0 when absent); false when it is none or past
 * XFD1048576. */
bool xlsx_parse_ref(const char *s, int *col, int *row);
/* Write the number s[0..n) (`-1.5`, `5.5511151231257827E-17`) rounded half
 * away from zero to 15 significant digits and then to 15 decimal places,
 * with the point moved `shift` places right (a percent), as plain decimal
 * text without trailing zeros, into out (NUM_MAX bytes). Returns its length,
 * or 0 when s is not a number or is too large to write out. */
size_t xlsx_num_text(const char *s, size_t n, int shift, char *out);
/* The date (and time, when it has one) of serial number text t (as
 * xlsx_num_text writes it) into out. Returns the length written, or 0 when
 * the serial is not a date Excel can show (negative or after 9999-12-31). */
size_t xlsx_date_text(const char *t, size_t n, bool date1904, char *out);

/* ---- xlsx.c ---- */

/* Start streaming x's worksheet (x->sheet_part; the shared strings, styles
 * and merged ranges read): false and *err (in a) when it cannot be opened. */
bool xlsx_sheet_begin(XlsxSheet *x, Arena *a, const char **err);

#endif
