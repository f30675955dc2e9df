/* xlsx.c - one worksheet of an .xlsx workbook, streamed as rows of text cells.
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
#include "xlsx.h"

#include <errno.h>
#include <expat.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "i18n.h"

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

/* ---- expat with a memory cap ---- */

typedef struct {
    size_t used; /* bytes held by the parser now */
} XmlMem;

/* expat's memory functions take no context, and the cap is per parser: the
 * size is kept in front of each block and the total in a thread-local slot
 * that the parse functions below set around every call into expat. */
static _Thread_local XmlMem *xml_mem;

static void *mm_malloc(size_t n)
{
    if (!xml_mem || n > XML_MEM_MAX - xml_mem->used)
        return NULL;
    size_t *p = malloc(n + sizeof(size_t) * 2);
    if (!p)
        return NULL;
    p[0] = n;
    xml_mem->used += n;
    return p + 2;
}

static void mm_free(void *q)
{
    if (!q)
        return;
    size_t *p = (size_t *)q - 2;
    if (xml_mem)
        xml_mem->used -= p[0];
    free(p);
}

static void *mm_realloc(void *q, size_t n)
{
    if (!q)
        return mm_malloc(n);
    size_t *p = (size_t *)q - 2, old = p[0];
    if (!xml_mem || (n > old && n - old > XML_MEM_MAX - xml_mem->used))
        return NULL;
    size_t *np = realloc(p, n + sizeof(size_t) * 2);
    if (!np)
        return NULL;
    np[0] = n;
    xml_mem->used = xml_mem->used - old + n;
    return np + 2;
}

static const XML_Memory_Handling_Suite MM = {mm_malloc, mm_realloc, mm_free};

/* ---- small helpers ---- */

/* The local part of an expat name "URI\x01local" (or the name itself). */
static const char *local(const char *name)
{
    const char *s = strrchr(name, '\x01');
    return s ? s + 1 : name;
}

static const char *attr(const char **atts, const char *want)
{
    for (int i = 0; atts[i]; i += 2)
        if (strcmp(local(atts[i]), want) == 0)
            return atts[i + 1];
    return NULL;
}

/* A growable byte buffer (malloc'd through xmalloc). */
typedef struct {
    char *p;
    size_t len, cap;
} Buf;

static void buf_add(Buf *b, const char *s, size_t n)
{
    if (b->cap - b->len < n + 1) {
        size_t c = b->cap ? b->cap : 256;
        while (c - b->len < n + 1)
            c *= 2;
        b->p = xrealloc(b->p, c);
        b->cap = c;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

const char *xlsx_cell_name(int col, int row, char *buf)
{
    char letters[4];
    int n = 0;
    for (int c = col + 1; c > 0 && n < 3; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    int k = 0;
    while (n)
        buf[k++] = letters[--n];
    snprintf(buf + k, 12, "%d", row);
    return buf;
}

/* Parse a cell reference "C7" (the row part optional): 0-based column and row. */
static bool parse_ref(const char *s, int *col, int *row)
{
    int c = 0, r = 0, nl = 0, nd = 0;
    while (*s == '$')
        s++;
    for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++, nl++) {
        if (nl == 3)
            return false;
        c = c * 26 + ((*s | 0x20) - 'a' + 1);
    }
    while (*s == '$')
        s++;
    for (; *s >= '0' && *s <= '9'; s++, nd++) {
        if (nd == 7)
            return false;
        r = r * 10 + (*s - '0');
    }
    if (*s || !nl || c > MAX_COLS || (nd && (r < 1 || r > MAX_ROWS)))
        return false;
    *col = c - 1;
    *row = nd ? r : 0;
    return true;
}

/* ---- numbers: the stored decimal text as Excel shows it ---- */

enum { NUM_MAX = 420 }; /* longest text num_text writes (|exponent| <= 400) */

/* Write the number s[0..n) (`-1.5`, `5.5511151231257827E-17`) rounded half
 * away from zero to 15 significant digits and then to 15 decimal places,
 * with the point moved `shift` places right (a percent), as plain decimal
 * text without trailing zeros. Returns its length, or 0 when s is not a
 * number or is too large to write out. */
static size_t num_text(const char *s, size_t n, int shift, char *out)
{
    char d[32];
    int nd = 0, e = 0; /* value = 0.d[0..nd) x 10^e */
    bool neg = false, any = false, point = false;
    size_t i = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < n; i++) {
        char c = s[i];
        if (c == '.' && !point) {
            point = true;
            continue;
        }
        if (c < '0' || c > '9')
            break;
        any = true;
        if (c == '0' && nd == 0) {
            if (point)
                e--;
            continue;
        }
        if (nd < 31)
            d[nd++] = c;
        if (!point)
            e++;
    }
    if (!any)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '-' || s[i] == '+'))
            eneg = s[i++] == '-';
        long x = 0;
        size_t start = i;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if (x < 100000)
                x = x * 10 + (s[i] - '0');
        if (i == start)
            return 0;
        if (nd && x > 400 && !eneg)
            return 0;
        if (eneg && x > 400)
            nd = 0;
        else
            e += eneg ? -(int)x : (int)x;
    }
    if (i != n)
        return 0;
    /* round to 15 significant digits, then to 15 places; a carry past the
       first digit makes it 1 and moves the exponent */
    for (int pass = 0; pass < 2 && nd; pass++) {
        int keep = pass == 0 ? 15 : 15 + e;
        if (nd <= keep)
            continue;
        if (keep < 0) {
            nd = 0;
            break;
        }
        bool up = d[keep] >= '5';
        nd = keep;
        if (up) {
            int k = keep - 1;
            while (k >= 0 && d[k] == '9')
                k--;
            if (k < 0) {
                d[0] = '1';
                nd = 1;
                e++;
            } else {
                d[k]++;
                nd = k + 1;
            }
        }
    }
    while (nd && d[nd - 1] == '0')
        nd--;
    if (!nd) {
        out[0] = '0';
        return 1;
    }
    e += shift;
    if (e > 400)
        return 0; /* 1 and 500 zeros: too long to write out (and no fact holds it) */
    size_t k = 0;
    if (neg)
        out[k++] = '-';
    if (e <= 0) {
        out[k++] = '0';
        out[k++] = '.';
        for (int z = 0; z < -e; z++)
            out[k++] = '0';
        memcpy(out + k, d, (size_t)nd), k += (size_t)nd;
    } else if (e >= nd) {
        memcpy(out + k, d, (size_t)nd), k += (size_t)nd;
        for (int z = nd; z < e; z++)
            out[k++] = '0';
    } else {
        memcpy(out + k, d, (size_t)e), k += (size_t)e;
        out[k++] = '.';
        memcpy(out + k, d + e, (size_t)(nd - e)), k += (size_t)(nd - e);
    }
    return k;
}

/* Days since 1970-01-01 to a civil date (the proleptic Gregorian calendar). */
static void civil(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = era * 400 + yoe + (*m <= 2);
}

/* The date (and time, when it has one) of serial number text t (as num_text
 * writes it). Returns the length written to out, or 0 when the serial is not
 * a date Excel can show (negative or after 9999-12-31). */
static size_t date_text(const char *t, size_t n, bool date1904, char *out)
{
    if (n && t[0] == '-')
        return 0;
    long days = 0;
    size_t i = 0;
    for (; i < n && t[i] != '.'; i++) {
        days = days * 10 + (t[i] - '0');
        if (days > 2958465)
            return 0;
    }
    unsigned __int128 frac = 0, scale = 1;
    for (size_t k = i + 1; k < n; k++)
        frac = frac * 10 + (unsigned)(t[k] - '0'), scale *= 10;
    long secs = (long)((frac * 86400 + scale / 2) / scale);
    if (secs == 86400)
        days++, secs = 0;
    long z; /* days since 1970-01-01 */
    if (date1904)
        z = days - 24107;
    else if (days >= 61)
        z = days - 25569;
    else if (days == 60)
        return (size_t)sprintf(out, "1900-02-29"); /* Excel's own day */
    else
        z = days - 25568;
    long y;
    int m, d;
    civil(z, &y, &m, &d);
    size_t k = (size_t)sprintf(out, "%04ld-%02d-%02d", y, m, d);
    if (secs)
        k += (size_t)sprintf(out + k, " %02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
    return k;
}

/* ---- the workbook ---- */

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

/* Open zip entry name (a part name without a leading '/'), checking its
 * method and declared size against limit. */
static zip_file_t *open_part(XlsxSheet *x, const char *name, uint64_t limit, Arena *a,
                             const char **err)
{
    zip_int64_t idx = zip_name_locate(x->zip, name, ZIP_FL_NOCASE);
    if (idx < 0) {
        *err = arena_printf(a, _("the workbook has no part %s"), name);
        return NULL;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0) {
        *err = arena_printf(a, "%s: %s", name, zip_strerror(x->zip));
        return NULL;
    }
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        *err = arena_printf(a, _("%s is encrypted"), name);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
        st.comp_method != ZIP_CM_DEFLATE) {
        *err = arena_printf(a, _("%s is packed with zip method %u, not one an .xlsx may use"), name,
                            (unsigned)st.comp_method);
        return NULL;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > limit) {
        *err = arena_printf(a, _("%s unpacks to more than %llu MiB, the limit for a workbook part"),
                            name, (unsigned long long)(limit / MIB));
        return NULL;
    }
    zip_file_t *f = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
    if (!f)
        *err = arena_printf(a, "%s: %s", name, zip_strerror(x->zip));
    return f;
}

static XML_Parser new_parser(XmlMem *mem)
{
    xml_mem = mem;
    XML_Parser p = XML_ParserCreate_MM(NULL, &MM, "\x01");
    xml_mem = NULL;
    return p;
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    XML_StopParser(*(XML_Parser *)ud, XML_FALSE);
}

/* Why expat stopped, for a message. */
static const char *xml_why(XML_Parser p, Arena *a, const char *part, bool doctype)
{
    if (doctype)
        return arena_printf(a,
                            _("%s holds a DOCTYPE (a DTD), which a workbook has no use for and "
                              "rubric does not read"),
                            part);
    enum XML_Error e = XML_GetErrorCode(p);
    if (e == XML_ERROR_NO_MEMORY)
        return arena_printf(a, _("%s: the XML needs more than %zu MiB to read"), part,
                            XML_MEM_MAX >> 20);
    return arena_printf(a, _("%s: broken XML at line %lu: %s"), part,
                        (unsigned long)XML_GetCurrentLineNumber(p), XML_ErrorString(e));
}

/* Parse a whole part with the given handlers; ud's first member must be the
 * XML_Parser (the DOCTYPE handler stops it through that). */
typedef struct {
    XML_Parser p;     /* set by parse_part */
    XlsxSheet *x;     /* the sheet being opened */
    bool doctype;     /* a DOCTYPE was seen */
    const char *stop; /* a handler's reason to stop (static text) */
} Ud;

static void XMLCALL on_doctype_ud(void *ud, const XML_Char *name, const XML_Char *sysid,
                                  const XML_Char *pubid, int internal)
{
    ((Ud *)ud)->doctype = true;
    on_doctype(ud, name, sysid, pubid, internal);
}

static bool parse_part(XlsxSheet *x, const char *name, Ud *ud, XML_StartElementHandler start,
                       XML_EndElementHandler end, XML_CharacterDataHandler text, Arena *a,
                       const char **err)
{
    zip_file_t *f = open_part(x, name, PART_MAX, a, err);
    if (!f)
        return false;
    XmlMem mem = {0};
    XML_Parser p = new_parser(&mem);
    if (!p) {
        zip_fclose(f);
        *err = _("out of memory");
        return false;
    }
    ud->p = p;
    ud->x = x;
    XML_SetUserData(p, ud);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype_ud);
    char *blk = xmalloc(READ_BLOCK);
    uint64_t total = 0;
    bool ok = true;
    for (;;) {
        zip_int64_t n = zip_fread(f, blk, READ_BLOCK);
        if (n < 0) {
            *err = arena_printf(a, "%s: %s", name, zip_file_strerror(f));
            ok = false;
            break;
        }
        total += (uint64_t)n;
        if (total > PART_MAX) {
            *err = arena_printf(
                a, _("%s unpacks to more than %llu MiB, the limit for a workbook part"), name,
                (unsigned long long)(PART_MAX / MIB));
            ok = false;
            break;
        }
        xml_mem = &mem;
        enum XML_Status s = XML_Parse(p, blk, (int)n, n == 0);
        xml_mem = NULL;
        if (s != XML_STATUS_OK || ud->stop) {
            *err = ud->stop ? arena_printf(a, "%s: %s", name, ud->stop)
                            : xml_why(p, a, name, ud->doctype);
            ok = false;
            break;
        }
        if (n == 0)
            break;
    }
    free(blk);
    xml_mem = &mem;
    XML_ParserFree(p);
    xml_mem = NULL;
    zip_fclose(f);
    return ok;
}

/* -- relationships -- */

typedef struct {
    Ud ud;
    Arena *a;
    const char *want_id;   /* the Id to find, or NULL */
    const char *want_type; /* a Type suffix to find ("/styles"), or NULL */
    const char *target;    /* what was found */
    const char *type;      /* its Type */
} RelsUd;

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

static void XMLCALL rels_start(void *v, const XML_Char *name, const XML_Char **atts)
{
    RelsUd *u = v;
    if (strcmp(local(name), "Relationship") != 0 || u->target)
        return;
    const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *t = attr(atts, "Target");
    if (!t || !type)
        return;
    if ((u->want_id && id && strcmp(id, u->want_id) == 0) ||
        (u->want_type && ends_with(type, u->want_type))) {
        u->target = arena_strndup(u->a, t, strlen(t));
        u->type = arena_strndup(u->a, type, strlen(type));
    }
}

/* The part a relationship of rels (the .rels part of base) points to, as a
 * zip name; NULL when there is none. base's folder resolves relative targets. */
static const char *find_rel(XlsxSheet *x, const char *rels, const char *base, const char *id,
                            const char *type, Arena *a, const char **err, const char **type_out)
{
    RelsUd u = {.a = a, .want_id = id, .want_type = type};
    if (!parse_part(x, rels, &u.ud, rels_start, NULL, NULL, a, err) || !u.target)
        return NULL;
    if (type_out)
        *type_out = u.type;
    const char *t = u.target;
    if (strncmp(t, "/", 1) == 0)
        return t + 1;
    /* resolve against base's folder, folding "../" */
    const char *slash = strrchr(base, '/');
    size_t dl = slash ? (size_t)(slash - base) : 0;
    char *path = arena_alloc(a, dl + strlen(t) + 2);
    memcpy(path, base, dl);
    size_t k = dl;
    while (strncmp(t, "../", 3) == 0 || strncmp(t, "./", 2) == 0) {
        if (t[1] == '/') {
            t += 2;
            continue;
        }
        t += 3;
        while (k && path[k - 1] != '/')
            k--;
        if (k)
            k--;
    }
    if (k)
        path[k++] = '/';
    strcpy(path + k, t);
    return path;
}

/* -- the workbook part: sheets and the date system -- */

typedef struct {
    Ud ud;
    Arena *a;
    const char *want; /* the sheet name asked for, or NULL */
    const char *rid;  /* the chosen sheet's relationship id */
    Buf names;        /* every sheet's name, for a message */
    int nsheets;
    const char **rids; /* visible sheets in order (for "first") */
    int nrids, rids_cap;
} BookUd;

static void XMLCALL book_start(void *v, const XML_Char *name, const XML_Char **atts)
{
    BookUd *u = v;
    const char *ln = local(name);
    if (strcmp(ln, "workbookPr") == 0) {
        const char *d = attr(atts, "date1904");
        u->ud.x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
        return;
    }
    if (strcmp(ln, "sheet") != 0)
        return;
    const char *sn = attr(atts, "name"), *id = attr(atts, "id"), *state = attr(atts, "state");
    if (!sn || !id)
        return;
    if (u->nsheets++ < 20) {
        if (u->names.len) {
            const char *sep = _(", "); /* the list's separator, as in the other messages */
            buf_add(&u->names, sep, strlen(sep));
        }
        buf_add(&u->names, sn, strlen(sn));
    }
    if (u->want) {
        if (!u->rid && strcmp(sn, u->want) == 0)
            u->rid = arena_strndup(u->a, id, strlen(id));
        return;
    }
    if (state && strcmp(state, "visible") != 0)
        return;
    if (u->nrids == u->rids_cap) {
        u->rids_cap = u->rids_cap ? 2 * u->rids_cap : 8;
        const char **n = arena_alloc(u->a, (size_t)u->rids_cap * sizeof *n);
        if (u->nrids)
            memcpy(n, u->rids, (size_t)u->nrids * sizeof *n);
        u->rids = n;
    }
    u->rids[u->nrids++] = arena_strndup(u->a, id, strlen(id));
}

/* -- styles: which cell formats are percents or dates -- */

/* Built-in number formats: 9 and 10 are percents; 14-22 and 45-47 dates and
 * times, 27-36 and 50-58 the East Asian date formats. */
static XfKind builtin_kind(long id)
{
    if (id == 9 || id == 10)
        return XF_PERCENT;
    if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 36) ||
        (id >= 50 && id <= 58))
        return XF_DATE;
    return XF_PLAIN;
}

/* A custom format code: a percent when it has a % outside quotes, escapes
 * and brackets; a date when its first section has a date or time letter
 * (y m d h s, or 年月日) outside them. */
static XfKind code_kind(const char *c)
{
    bool date = false, pct = false, first = true;
    for (const char *p = c; *p; p++) {
        switch (*p) {
        case '"': {
            const char *q = strchr(p + 1, '"');
            if (!q)
                return pct ? XF_PERCENT : date ? XF_DATE : XF_PLAIN;
            p = q;
            break;
        }
        case '\\':
        case '_':
        case '*':
            if (p[1])
                p++;
            break;
        case '[': {
            const char *q = strchr(p + 1, ']');
            if (!q)
                return XF_PLAIN;
            /* [h] [mm] [ss]: elapsed time */
            if (first && (p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 'M' || p[1] == 's' ||
                          p[1] == 'S'))
                date = true;
            p = q;
            break;
        }
        case ';':
            first = false;
            break;
        case '%':
            pct = true;
            break;
        default:
            if (first && strchr("yYmMdDhHsS", *p))
                date = true;
            if (first &&
                (strncmp(p, "年", 3) == 0 || strncmp(p, "月", 3) == 0 || strncmp(p, "日", 3) == 0))
                date = true;
            break;
        }
    }
    return pct ? XF_PERCENT : date ? XF_DATE : XF_PLAIN;
}

typedef struct {
    Ud ud;
    long *fmt_ids;        /* custom numFmt ids */
    unsigned char *fmt_k; /* their kinds */
    size_t nfmt, fmt_cap;
    bool in_xfs;
    Buf kinds; /* one byte per cellXfs entry */
} StyleUd;

static void XMLCALL style_start(void *v, const XML_Char *name, const XML_Char **atts)
{
    StyleUd *u = v;
    const char *ln = local(name);
    if (strcmp(ln, "numFmt") == 0) {
        const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
        if (!id || !code)
            return;
        if (u->nfmt == u->fmt_cap) {
            u->fmt_cap = u->fmt_cap ? 2 * u->fmt_cap : 16;
            u->fmt_ids = xrealloc(u->fmt_ids, u->fmt_cap * sizeof *u->fmt_ids);
            u->fmt_k = xrealloc(u->fmt_k, u->fmt_cap);
        }
        u->fmt_ids[u->nfmt] = strtol(id, NULL, 10);
        u->fmt_k[u->nfmt++] = (unsigned char)code_kind(code);
    } else if (strcmp(ln, "cellXfs") == 0) {
        u->in_xfs = true;
    } else if (strcmp(ln, "xf") == 0 && u->in_xfs) {
        const char *id = attr(atts, "numFmtId");
        long n = id ? strtol(id, NULL, 10) : 0;
        unsigned char k = (unsigned char)builtin_kind(n);
        for (size_t i = 0; i < u->nfmt; i++)
            if (u->fmt_ids[i] == n)
                k = u->fmt_k[i];
        buf_add(&u->kinds, (const char *)&k, 1);
    }
}

static void XMLCALL style_end(void *v, const XML_Char *name)
{
    StyleUd *u = v;
    if (strcmp(local(name), "cellXfs") == 0)
        u->in_xfs = false;
}

/* -- shared strings -- */

typedef struct {
    Ud ud;
    bool in_si, in_t, in_rph;
} SstUd;

static void XMLCALL sst_start(void *v, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    SstUd *u = v;
    XlsxSheet *x = u->ud.x;
    const char *ln = local(name);
    if (strcmp(ln, "si") == 0) {
        if (x->nsst == x->sst_cap) {
            x->sst_cap = x->sst_cap ? 2 * x->sst_cap : 256;
            x->soff = xrealloc(x->soff, (x->sst_cap + 1) * sizeof *x->soff);
        }
        x->soff[x->nsst++] = x->sst.len;
        u->in_si = true;
    } else if (strcmp(ln, "t") == 0 && u->in_si) {
        u->in_t = true;
    } else if (strcmp(ln, "rPh") == 0) {
        u->in_rph = true; /* phonetic guide text is not the cell's text */
    }
}

static void XMLCALL sst_end(void *v, const XML_Char *name)
{
    SstUd *u = v;
    XlsxSheet *x = u->ud.x;
    const char *ln = local(name);
    if (strcmp(ln, "si") == 0) {
        buf_add(&x->sst, "", 1); /* the NUL separates strings */
        u->in_si = false;
    } else if (strcmp(ln, "t") == 0) {
        u->in_t = false;
    } else if (strcmp(ln, "rPh") == 0) {
        u->in_rph = false;
    }
}

static void XMLCALL sst_text(void *v, const XML_Char *s, int n)
{
    SstUd *u = v;
    if (u->in_si && u->in_t && !u->in_rph)
        buf_add(&u->ud.x->sst, s, (size_t)n);
}

/* -- merged ranges (first pass over the worksheet) -- */

typedef struct {
    Ud ud;
    Buf list; /* Merge records */
} MergeUd;

static void XMLCALL merge_start(void *v, const XML_Char *name, const XML_Char **atts)
{
    MergeUd *u = v;
    if (strcmp(local(name), "mergeCell") != 0)
        return;
    const char *ref = attr(atts, "ref");
    if (!ref)
        return;
    const char *colon = strchr(ref, ':');
    if (!colon || colon - ref > 15)
        return;
    char a1[16];
    memcpy(a1, ref, (size_t)(colon - ref));
    a1[colon - ref] = 0;
    Merge m;
    if (!parse_ref(a1, &m.c1, &m.r1) || !parse_ref(colon + 1, &m.c2, &m.r2) || !m.r1 || !m.r2 ||
        m.r2 < m.r1 || m.c2 < m.c1)
        return;
    if (u->list.len / sizeof m >= MAX_MERGES) {
        u->ud.stop = _("more merged ranges than the limit of 1048576");
        XML_StopParser(u->ud.p, XML_FALSE);
        return;
    }
    buf_add(&u->list, (const char *)&m, sizeof m);
}

static int cmp_merge(const void *p, const void *q)
{
    const Merge *a = p, *b = q;
    return a->r1 != b->r1 ? (a->r1 < b->r1 ? -1 : 1) : (a->c1 > b->c1) - (a->c1 < b->c1);
}

/* Whether the worksheet's unpacked bytes hold "mergeCell" (the name cannot be
 * written any other way in XML), so the expat pass is needed. */
static bool has_merges(XlsxSheet *x, Arena *a, const char **err, bool *found)
{
    zip_file_t *f = open_part(x, x->sheet_part, SHEET_MAX, a, err);
    if (!f)
        return false;
    static const char W[] = "mergeCell";
    const size_t wl = sizeof W - 1;
    char *blk = xmalloc(READ_BLOCK + wl);
    size_t keep = 0;
    uint64_t total = 0;
    *found = false;
    bool ok = true;
    for (;;) {
        zip_int64_t n = zip_fread(f, blk + keep, READ_BLOCK);
        if (n < 0) {
            *err = arena_printf(a, "%s: %s", x->sheet_part, zip_file_strerror(f));
            ok = false;
            break;
        }
        total += (uint64_t)n;
        if (total > SHEET_MAX) {
            *err = arena_printf(a, _("%s unpacks to more than %llu MiB, the limit for a worksheet"),
                                x->sheet_part, (unsigned long long)(SHEET_MAX / MIB));
            ok = false;
            break;
        }
        size_t len = keep + (size_t)n;
        for (const char *p = blk; (p = memchr(p, 'm', (size_t)(blk + len - p)));) {
            if ((size_t)(blk + len - p) < wl)
                break;
            if (memcmp(p, W, wl) == 0) {
                *found = true;
                break;
            }
            p++;
        }
        if (*found || n == 0)
            break;
        keep = len < wl ? len : wl - 1;
        memmove(blk, blk + len - keep, keep);
    }
    free(blk);
    zip_fclose(f);
    return ok;
}

/* ---- the worksheet: cells ---- */

static void set_err(XlsxSheet *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void set_err(XlsxSheet *x, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    x->errs.len = 0;
    buf_add(&x->errs, msg, strlen(msg));
    x->err = x->errs.p;
    x->ps = PS_ERR;
    XML_StopParser(x->xp, XML_FALSE);
}

static void push_cell(XlsxSheet *x, int col, const char *s, size_t n, bool error, bool filled)
{
    if (x->ncells == x->cells_cap) {
        x->cells_cap = x->cells_cap ? 2 * x->cells_cap : 64;
        x->cells = xrealloc(x->cells, x->cells_cap * sizeof *x->cells);
    }
    x->cells[x->ncells++] = (RawCell){col, x->rowtext.len, n, error, filled};
    buf_add(&x->rowtext, s, n);
    if (error)
        buf_add(&x->rowtext, "", 1); /* a message reads as a C string */
}

/* The cell just read, as text (or an error naming it). */
static void finish_cell(XlsxSheet *x)
{
    char name[16], num[NUM_MAX + 2];
    const char *t = x->ctype;
    const char *v = x->cap.p ? x->cap.p : "";
    size_t vn = x->cap.len;
    bool inline_str = strcmp(t, "inlineStr") == 0;
    if (x->cap_over) {
        set_err(x, _("cell %s holds more than %zu MiB of text"),
                xlsx_cell_name(x->col, x->row, name), CELL_MAX >> 20);
        return;
    }
    /* openpyxl writes <v></v> for a formula it did not compute; only a text
       result can be empty */
    bool uncomputed = x->has_f && !inline_str && (!x->has_v || (!vn && strcmp(t, "str") != 0));
    if (uncomputed || (!x->has_v && !inline_str)) {
        if (x->has_f) {
            char msg[160];
            int k = snprintf(msg, sizeof msg,
                             _("cell %s is a formula without a saved result (open the workbook in "
                               "Excel or LibreOffice and save it)"),
                             xlsx_cell_name(x->col, x->row, name));
            push_cell(x, x->col, msg, (size_t)k, true, false);
        }
        return; /* an empty cell (only a style) */
    }
    if (inline_str || strcmp(t, "str") == 0) {
        if (vn)
            push_cell(x, x->col, v, vn, false, false);
    } else if (strcmp(t, "s") == 0) {
        char *end;
        errno = 0;
        unsigned long i = strtoul(v, &end, 10);
        if (end == v || *end || errno || i >= x->nsst) {
            set_err(x, _("cell %s refers to shared string %.20s, which the workbook does not have"),
                    xlsx_cell_name(x->col, x->row, name), v);
            return;
        }
        size_t off = x->soff[i];
        size_t len = strlen(x->sst.p + off);
        if (len)
            push_cell(x, x->col, x->sst.p + off, len, false, false);
    } else if (strcmp(t, "b") == 0) {
        bool b = vn == 1 && v[0] == '1';
        push_cell(x, x->col, b ? "TRUE" : "FALSE", b ? 4 : 5, false, false);
    } else if (strcmp(t, "e") == 0) {
        char msg[120];
        int k = vn ? snprintf(msg, sizeof msg, _("cell %s holds the error %.20s"),
                              xlsx_cell_name(x->col, x->row, name), v)
                   : snprintf(msg, sizeof msg, _("cell %s holds the error (no text)"),
                              xlsx_cell_name(x->col, x->row, name));
        push_cell(x, x->col, msg, (size_t)k, true, false);
    } else if (strcmp(t, "d") == 0) {
        /* an ISO 8601 date: its date part (and time, when not midnight) */
        size_t k = vn >= 10 ? 10 : vn;
        if (vn >= 19 && v[10] == 'T' && strncmp(v + 11, "00:00:00", 8) != 0) {
            memcpy(num, v, 19);
            num[10] = ' ';
            k = 19;
            push_cell(x, x->col, num, k, false, false);
        } else {
            push_cell(x, x->col, v, k, false, false);
        }
    } else { /* a number */
        XfKind kind = x->cstyle >= 0 && (size_t)x->cstyle < x->nxf ? x->xf[x->cstyle] : XF_PLAIN;
        size_t k = num_text(v, vn, kind == XF_PERCENT ? 2 : 0, num);
        if (!k) {
            if (vn)
                push_cell(x, x->col, v, vn, false, false); /* read as written: its fact says why */
            return;
        }
        if (kind == XF_PERCENT) {
            num[k++] = '%';
        } else if (kind == XF_DATE) {
            char date[40];
            size_t dk = date_text(num, k, x->date1904, date);
            if (dk) {
                push_cell(x, x->col, date, dk, false, false);
                return;
            }
        }
        push_cell(x, x->col, num, k, false, false);
    }
}

static void XMLCALL sheet_start(void *v, const XML_Char *name, const XML_Char **atts)
{
    XlsxSheet *x = v;
    const char *ln = local(name);
    char cn[16];
    if (x->in_data && strcmp(ln, "c") == 0) {
        const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
        int col = x->col + 1, row = x->row;
        if (r && (!parse_ref(r, &col, &row) || (row && row != x->row))) {
            set_err(x, _("row %d holds a cell with the reference \"%.20s\""), x->row, r);
            return;
        }
        if (col >= MAX_COLS || col <= x->col) {
            set_err(x, _("cell %s is out of order or past column XFD"),
                    xlsx_cell_name(col, x->row, cn));
            return;
        }
        x->col = col;
        snprintf(x->ctype, sizeof x->ctype, "%s", t ? t : "n");
        x->cstyle = s ? (int)strtol(s, NULL, 10) : 0;
        x->has_f = x->has_v = x->in_v = x->in_t = x->in_is = x->in_rph = x->cap_over = false;
        x->cap.len = 0;
        if (x->cap.p)
            x->cap.p[0] = 0; /* an empty <v/> reads as empty, not as the last cell's text */
    } else if (x->in_data && strcmp(ln, "row") == 0) {
        const char *r = attr(atts, "r");
        long row = x->last_row + 1;
        if (r) {
            char *end;
            row = strtol(r, &end, 10);
            if (*end || end == r)
                row = -1;
        }
        if (row <= x->last_row || row > MAX_ROWS) {
            set_err(x, _("row %.20s comes after row %d or is past row %d"), r ? r : "?",
                    x->last_row, MAX_ROWS);
            return;
        }
        x->row = x->last_row = (int)row;
        x->col = -1;
        x->ncells = 0;
        x->rowtext.len = 0;
    } else if (strcmp(ln, "v") == 0) {
        x->in_v = x->has_v = true;
        x->cap.len = 0;
        if (x->cap.p)
            x->cap.p[0] = 0;
    } else if (strcmp(ln, "f") == 0) {
        x->has_f = true;
    } else if (strcmp(ln, "is") == 0) {
        x->in_is = true;
    } else if (strcmp(ln, "t") == 0 && x->in_is) {
        x->in_t = true;
    } else if (strcmp(ln, "rPh") == 0) {
        x->in_rph = true;
    } else if (strcmp(ln, "sheetData") == 0) {
        x->in_data = true;
    }
}

static void XMLCALL sheet_end(void *v, const XML_Char *name)
{
    XlsxSheet *x = v;
    const char *ln = local(name);
    if (strcmp(ln, "v") == 0) {
        x->in_v = false;
    } else if (strcmp(ln, "t") == 0) {
        x->in_t = false;
    } else if (strcmp(ln, "rPh") == 0) {
        x->in_rph = false;
    } else if (strcmp(ln, "is") == 0) {
        x->in_is = false;
    } else if (x->in_data && strcmp(ln, "c") == 0) {
        finish_cell(x);
    } else if (x->in_data && strcmp(ln, "row") == 0) {
        x->rowdone_num = x->row;
        x->ps = PS_ROW;
        XML_StopParser(x->xp, XML_TRUE);
    } else if (strcmp(ln, "sheetData") == 0) {
        x->in_data = false;
    }
}

static void XMLCALL sheet_text(void *v, const XML_Char *s, int n)
{
    XlsxSheet *x = v;
    if (!(x->in_v || (x->in_is && x->in_t && !x->in_rph)))
        return;
    if (x->cap.len + (size_t)n > CELL_MAX) {
        x->cap_over = true;
        return;
    }
    buf_add(&x->cap, s, (size_t)n);
}

static void XMLCALL sheet_doctype(void *v, const XML_Char *name, const XML_Char *sysid,
                                  const XML_Char *pubid, int internal)
{
    (void)name, (void)sysid, (void)pubid, (void)internal;
    XlsxSheet *x = v;
    set_err(x,
            _("%s holds a DOCTYPE (a DTD), which a workbook has no use for and rubric does not "
              "read"),
            x->sheet_part);
}

/* Run the worksheet parser until a row ends, the sheet ends or an error. */
static ParseState pump(XlsxSheet *x)
{
    x->ps = PS_RUN;
    for (;;) {
        enum XML_Status s;
        xml_mem = &x->mem;
        if (x->suspended) {
            x->suspended = false;
            s = XML_ResumeParser(x->xp);
        } else {
            if (x->fed_final) {
                xml_mem = NULL;
                return x->ps = PS_DONE;
            }
            zip_int64_t n = zip_fread(x->zf, x->block, READ_BLOCK);
            if (n < 0) {
                xml_mem = NULL;
                x->errs.len = 0;
                const char *why = zip_file_strerror(x->zf);
                buf_add(&x->errs, x->sheet_part, strlen(x->sheet_part));
                buf_add(&x->errs, ": ", 2);
                buf_add(&x->errs, why, strlen(why));
                x->err = x->errs.p;
                return x->ps = PS_ERR;
            }
            x->unpacked += (uint64_t)n;
            if (x->unpacked > SHEET_MAX) {
                xml_mem = NULL;
                char msg[200];
                snprintf(msg, sizeof msg,
                         _("%s unpacks to more than %llu MiB, the limit for a worksheet"),
                         x->sheet_part, (unsigned long long)(SHEET_MAX / MIB));
                x->errs.len = 0;
                buf_add(&x->errs, msg, strlen(msg));
                x->err = x->errs.p;
                return x->ps = PS_ERR;
            }
            x->fed_final = n == 0;
            s = XML_Parse(x->xp, x->block, (int)n, n == 0);
        }
        xml_mem = NULL;
        if (s == XML_STATUS_SUSPENDED) {
            x->suspended = true;
            return x->ps; /* PS_ROW */
        }
        if (s == XML_STATUS_ERROR || x->ps == PS_ERR) {
            if (x->ps != PS_ERR) {
                char msg[300];
                enum XML_Error e = XML_GetErrorCode(x->xp);
                if (e == XML_ERROR_NO_MEMORY)
                    snprintf(msg, sizeof msg, _("%s: the XML needs more than %zu MiB to read"),
                             x->sheet_part, XML_MEM_MAX >> 20);
                else
                    snprintf(msg, sizeof msg, _("%s: broken XML at line %lu: %s"), x->sheet_part,
                             (unsigned long)XML_GetCurrentLineNumber(x->xp), XML_ErrorString(e));
                x->errs.len = 0;
                buf_add(&x->errs, msg, strlen(msg));
                x->err = x->errs.p;
            }
            return x->ps = PS_ERR;
        }
    }
}

/* ---- merged ranges applied to a row ---- */

static int cmp_raw(const void *p, const void *q)
{
    const RawCell *a = p, *b = q;
    return (a->col > b->col) - (a->col < b->col);
}

static RawCell *find_cell(XlsxSheet *x, int col, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->cells[mid].col < col)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && x->cells[lo].col == col ? &x->cells[lo] : NULL;
}

/* Start the merges whose first row is this one (keeping their top-left
 * text), drop those that ended, and (once the header is read, in a row with
 * a cell of its own) copy each active merge's text into every cell it covers
 * on this row. False when the sheet's merges have filled more than
 * MAX_FILLS cells. Filling is not needed before the header: the header takes
 * only cells of their own, and a merge's text is its top-left cell's. */
static bool apply_merges(XlsxSheet *x)
{
    int row = x->row;
    size_t k = 0;
    for (size_t i = 0; i < x->nactive; i++) {
        if (x->merges[x->active[i].merge].r2 < row)
            free(x->active[i].text);
        else
            x->active[k++] = x->active[i];
    }
    x->nactive = k;
    size_t n0 = x->ncells;
    while (!x->row_filled && x->next_merge < x->nmerges && x->merges[x->next_merge].r1 <= row) {
        const Merge *m = &x->merges[x->next_merge];
        int idx = (int)x->next_merge++;
        if (m->r2 < row)
            continue; /* a range in rows the sheet skipped */
        if (x->nactive == x->active_cap) {
            x->active_cap = x->active_cap ? 2 * x->active_cap : 16;
            x->active = xrealloc(x->active, x->active_cap * sizeof *x->active);
        }
        Active *a = &x->active[x->nactive++];
        *a = (Active){idx, NULL, 0, false};
        const RawCell *c = m->r1 == row ? find_cell(x, m->c1, n0) : NULL;
        if (c) {
            a->text = xmalloc(c->len + 1);
            memcpy(a->text, x->rowtext.p + c->off, c->len);
            a->len = c->len;
            a->error = c->error;
        }
    }
    if (!x->filling || x->row_filled || !n0)
        return true;
    x->row_filled = true;
    bool added = false;
    for (size_t i = 0; i < x->nactive; i++) {
        const Active *a = &x->active[i];
        const Merge *m = &x->merges[a->merge];
        if (a->text && (x->fills += (uint64_t)(m->c2 - m->c1 + 1)) > MAX_FILLS)
            return false;
        for (int col = m->c1; col <= m->c2; col++) {
            if (row == m->r1 && col == m->c1)
                continue;
            RawCell *c = find_cell(x, col, n0);
            if (c && !a->text) {
                c->len = 0; /* hidden under the merge */
                continue;
            }
            if (!a->text)
                continue;
            if (c) {
                c->off = x->rowtext.len;
                c->len = a->len;
                c->error = a->error;
                c->filled = true;
                buf_add(&x->rowtext, a->text, a->len);
                if (a->error)
                    buf_add(&x->rowtext, "", 1);
            } else {
                push_cell(x, col, a->text, a->len, a->error, true);
                added = true;
            }
        }
    }
    if (added)
        qsort(x->cells, x->ncells, sizeof *x->cells, cmp_raw);
    return true;
}

/* The current row as handed out: non-empty cells only. */
static void make_row(XlsxSheet *x, XlsxRow *out)
{
    if (x->out_cap < x->ncells + 1) {
        x->out_cap = x->ncells + 1;
        x->out = xrealloc(x->out, x->out_cap * sizeof *x->out);
    }
    size_t n = 0;
    for (size_t i = 0; i < x->ncells; i++) {
        const RawCell *c = &x->cells[i];
        if (!c->len)
            continue;
        const char *t = x->rowtext.p + c->off;
        x->out[n++] = c->error ? (XlsxCell){c->col, NULL, 0, t, c->filled}
                               : (XlsxCell){c->col, t, c->len, NULL, c->filled};
    }
    out->row = x->row;
    out->cells = x->out;
    out->ncells = n;
}

/* The next row (empty ones too, with no cells), merges applied. */
static int next_raw(XlsxSheet *x, XlsxRow *out, Arena *a, const char **err)
{
    if (x->replay) {
        x->replay = false;
        if (!apply_merges(x)) /* a row read with the header, filled now */
            goto too_many;
        make_row(x, out);
        return 1;
    }
    for (;;) {
        if (x->ps == PS_DONE || x->ps == PS_ERR) {
            if (x->ps == PS_ERR)
                *err = arena_strndup(a, x->err, strlen(x->err));
            return x->ps == PS_ERR ? -1 : 0;
        }
        ParseState s = pump(x);
        if (s == PS_ERR) {
            *err = arena_strndup(a, x->err, strlen(x->err));
            return -1;
        }
        if (s == PS_DONE)
            return 0;
        x->row_filled = false;
        if (!apply_merges(x))
            goto too_many;
        make_row(x, out);
        return 1;
    }
too_many:
    x->ps = PS_ERR;
    x->errs.len = 0;
    const char *why = _("merged ranges fill more than 10000000 cells, the limit for a worksheet");
    buf_add(&x->errs, why, strlen(why));
    x->err = x->errs.p;
    *err = arena_strndup(a, x->err, strlen(x->err));
    return -1;
}

/* Whether the row has a cell of its own: one that only merged ranges fill
 * (a blank row under a department merged down) is an empty row. */
static bool has_own(const XlsxRow *r)
{
    for (size_t i = 0; i < r->ncells; i++)
        if (!r->cells[i].filled)
            return true;
    return false;
}

int xlsx_next(XlsxSheet *x, XlsxRow *out, Arena *a, const char **err)
{
    for (;;) {
        int rc = next_raw(x, out, a, err);
        if (rc <= 0 || has_own(out))
            return rc;
    }
}

static void trimmed(const char **s, size_t *n)
{
    while (*n && ((*s)[0] == ' ' || (*s)[0] == '\t' || (*s)[0] == '\n' || (*s)[0] == '\r'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' || (*s)[*n - 1] == '\n' ||
                  (*s)[*n - 1] == '\r'))
        (*n)--;
}

int xlsx_header(XlsxSheet *x, XlsxIsName *is_name, const void *ctx, XlsxRow *out, Arena *a,
                const char **err)
{
    for (;;) {
        int rc = xlsx_next(x, out, a, err);
        if (rc <= 0)
            return rc;
        bool names = !is_name;
        for (size_t i = 0; i < out->ncells && !names; i++) {
            const char *t = out->cells[i].text;
            size_t n = out->cells[i].len;
            if (!t)
                continue;
            trimmed(&t, &n);
            names = n && is_name(ctx, t, n);
        }
        if (!names)
            continue;
        /* the header: this row, and the rows its vertical merges reach */
        int head = out->row, down = head;
        for (size_t i = 0; i < x->nactive; i++) {
            const Merge *m = &x->merges[x->active[i].merge];
            if (m->r1 == head && m->r2 > down)
                down = m->r2;
        }
        /* a merged header cell names its first column only (the columns under
           a group title are named by the row below it) */
        size_t n = 0;
        XlsxCell *h = arena_alloc(a, (out->ncells ? out->ncells : 1) * sizeof *h);
        for (size_t i = 0; i < out->ncells; i++) {
            if (out->cells[i].filled)
                continue;
            h[n] = out->cells[i];
            if (h[n].text)
                h[n].text = arena_strndup(a, h[n].text, h[n].len);
            n++;
        }
        while (down > head) {
            XlsxRow r;
            rc = next_raw(x, &r, a, err);
            if (rc < 0)
                return rc;
            if (rc == 0)
                break;
            if (r.row > down) {
                x->replay = true;
                break;
            }
            for (size_t i = 0; i < r.ncells; i++) {
                const XlsxCell *c = &r.cells[i];
                if (!c->text || c->filled)
                    continue;
                size_t j = 0;
                while (j < n && h[j].col != c->col)
                    j++;
                if (j == n) { /* a column only the lower header row names */
                    XlsxCell *g = arena_alloc(a, (n + 1) * sizeof *g);
                    size_t k = 0;
                    while (k < n && h[k].col < c->col)
                        k++;
                    memcpy(g, h, k * sizeof *g);
                    memcpy(g + k + 1, h + k, (n - k) * sizeof *g);
                    h = g, j = k, n++;
                }
                h[j] = *c;
                h[j].text = arena_strndup(a, c->text, c->len);
            }
        }
        out->row = head;
        out->cells = h;
        out->ncells = n;
        x->filling = true;
        return 1;
    }
}

/* ---- opening ---- */

static void sheet_free(XlsxSheet *x)
{
    if (x->xp) {
        xml_mem = &x->mem;
        XML_ParserFree(x->xp);
        xml_mem = NULL;
    }
    if (x->zf)
        zip_fclose(x->zf);
    if (x->zip)
        zip_discard(x->zip);
    else if (x->src)
        zip_source_free(x->src);
    for (size_t i = 0; i < x->nactive; i++)
        free(x->active[i].text);
    free(x->active);
    free(x->sheet_part);
    free(x->sst.p);
    free(x->soff);
    free(x->xf);
    free(x->merges);
    free(x->block);
    free(x->errs.p);
    free(x->cap.p);
    free(x->cells);
    free(x->rowtext.p);
    free(x->out);
    free(x);
}

void xlsx_close(XlsxSheet *x)
{
    if (x)
        sheet_free(x);
}

/* What an opened zip holds: the workbook, its parts, the chosen sheet. */
static XlsxSheet *open_book(XlsxSheet *x, const char *sheet, Arena *a, const char **err)
{
    const char *rtype = NULL;
    const char *book = find_rel(x, "_rels/.rels", "", NULL, "/officeDocument", a, err, NULL);
    if (!book) {
        if (!*err)
            *err = _("the workbook has no main part (_rels/.rels names none)");
        return NULL;
    }
    /* the relationships of part P live in P's folder, _rels/NAME.rels */
    const char *slash = strrchr(book, '/');
    const char *brels =
        slash ? arena_printf(a, "%.*s/_rels/%s.rels", (int)(slash - book), book, slash + 1)
              : arena_printf(a, "_rels/%s.rels", book);
    BookUd bu = {.a = a, .want = sheet};
    if (!parse_part(x, book, &bu.ud, book_start, NULL, NULL, a, err)) {
        free(bu.names.p);
        return NULL;
    }
    const char *rid = sheet ? bu.rid : NULL;
    const char *part = NULL;
    if (sheet && !rid) {
        *err =
            !bu.names.p
                ? arena_printf(a, _("the workbook has no sheet named %s (its sheets: none)"), sheet)
            : bu.nsheets > 20
                ? arena_printf(a, _("the workbook has no sheet named %s (its sheets: %s, …)"),
                               sheet, bu.names.p)
                : arena_printf(a, _("the workbook has no sheet named %s (its sheets: %s)"), sheet,
                               bu.names.p);
        free(bu.names.p);
        return NULL;
    }
    free(bu.names.p);
    if (rid) {
        part = find_rel(x, brels, book, rid, NULL, a, err, &rtype);
    } else {
        for (int i = 0; i < bu.nrids && !part; i++) {
            part = find_rel(x, brels, book, bu.rids[i], NULL, a, err, &rtype);
            if (part && !ends_with(rtype, "/worksheet"))
                part = NULL; /* a chart sheet: the first worksheet is wanted */
            if (*err)
                return NULL;
        }
        if (!part && !*err)
            *err = _("the workbook has no worksheet");
    }
    if (!part) {
        if (!*err)
            *err = arena_printf(a, _("the workbook does not say where sheet %s is"), sheet);
        return NULL;
    }
    if (!ends_with(rtype, "/worksheet")) {
        *err = arena_printf(a, _("sheet %s is not a worksheet"), sheet);
        return NULL;
    }
    x->sheet_part = memcpy(xmalloc(strlen(part) + 1), part, strlen(part) + 1);

    const char *styles = find_rel(x, brels, book, NULL, "/styles", a, err, NULL);
    if (*err)
        return NULL;
    if (styles) {
        StyleUd su = {0};
        bool ok = parse_part(x, styles, &su.ud, style_start, style_end, NULL, a, err);
        free(su.fmt_ids);
        free(su.fmt_k);
        x->xf = (unsigned char *)su.kinds.p;
        x->nxf = su.kinds.len;
        if (!ok)
            return NULL;
    }
    const char *sst = find_rel(x, brels, book, NULL, "/sharedStrings", a, err, NULL);
    if (*err)
        return NULL;
    if (sst) {
        SstUd su = {0};
        if (!parse_part(x, sst, &su.ud, sst_start, sst_end, sst_text, a, err))
            return NULL;
    }
    if (x->nsst && !x->sst.p)
        buf_add(&x->sst, "", 0);

    bool merges = false;
    if (!has_merges(x, a, err, &merges))
        return NULL;
    if (merges) {
        MergeUd mu = {0};
        /* the first pass reads the worksheet as a part of its own size limit */
        bool ok = true;
        {
            zip_file_t *f = open_part(x, x->sheet_part, SHEET_MAX, a, err);
            XmlMem mem = {0};
            XML_Parser p = f ? new_parser(&mem) : NULL;
            ok = f && p;
            if (p) {
                mu.ud.p = p;
                mu.ud.x = x;
                XML_SetUserData(p, &mu);
                XML_SetStartElementHandler(p, merge_start);
                XML_SetStartDoctypeDeclHandler(p, on_doctype_ud);
                char *blk = xmalloc(READ_BLOCK);
                for (;;) {
                    zip_int64_t n = zip_fread(f, blk, READ_BLOCK);
                    if (n < 0) {
                        *err = arena_printf(a, "%s: %s", x->sheet_part, zip_file_strerror(f));
                        ok = false;
                        break;
                    }
                    xml_mem = &mem;
                    enum XML_Status s = XML_Parse(p, blk, (int)n, n == 0);
                    xml_mem = NULL;
                    if (s != XML_STATUS_OK || mu.ud.stop) {
                        *err = mu.ud.stop ? arena_printf(a, "%s: %s", x->sheet_part, mu.ud.stop)
                                          : xml_why(p, a, x->sheet_part, mu.ud.doctype);
                        ok = false;
                        break;
                    }
                    if (n == 0)
                        break;
                }
                free(blk);
                xml_mem = &mem;
                XML_ParserFree(p);
                xml_mem = NULL;
            } else if (f && !*err) {
                *err = _("out of memory");
            }
            if (f)
                zip_fclose(f);
        }
        x->merges = (Merge *)mu.list.p;
        x->nmerges = mu.list.len / sizeof(Merge);
        if (!ok)
            return NULL;
        if (x->nmerges)
            qsort(x->merges, x->nmerges, sizeof *x->merges, cmp_merge);
    }

    x->zf = open_part(x, x->sheet_part, SHEET_MAX, a, err);
    if (!x->zf)
        return NULL;
    x->xp = new_parser(&x->mem);
    if (!x->xp) {
        *err = _("out of memory");
        return NULL;
    }
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, sheet_start, sheet_end);
    XML_SetCharacterDataHandler(x->xp, sheet_text);
    XML_SetStartDoctypeDeclHandler(x->xp, sheet_doctype);
    x->block = xmalloc(READ_BLOCK);
    x->ps = PS_RUN;
    return x;
}

/* Why zip_open refused the file, in words a user can act on. */
static const char *zip_why(Arena *a, int code, const unsigned char *head, size_t nhead)
{
    if (nhead >= 4 && memcmp(head, "\xD0\xCF\x11\xE0", 4) == 0)
        return _("not an .xlsx workbook: an old .xls workbook or a password-protected one (save it "
                 "as .xlsx without a password)");
    if (code == ZIP_ER_NOZIP)
        return _("not an .xlsx workbook (not a zip archive)");
    zip_error_t e;
    zip_error_init_with_code(&e, code);
    const char *m =
        arena_printf(a, _("not a readable .xlsx workbook (%s)"), zip_error_strerror(&e));
    zip_error_fini(&e);
    return m;
}

static XlsxSheet *finish_open(XlsxSheet *x, const char *sheet, Arena *a, const char **err)
{
    *err = NULL;
    if (!open_book(x, sheet, a, err)) {
        sheet_free(x);
        return NULL;
    }
    return x;
}

XlsxSheet *xlsx_open(const char *path, const char *sheet, Arena *a, const char **err)
{
    int code = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &code);
    if (!z) {
        unsigned char head[4];
        size_t nh = 0;
        FILE *f = code == ZIP_ER_OPEN || code == ZIP_ER_READ ? NULL : fopen(path, "rb");
        if (f) {
            nh = fread(head, 1, sizeof head, f);
            fclose(f);
        }
        if (code == ZIP_ER_OPEN || code == ZIP_ER_NOENT)
            *err = arena_printf(a, _("cannot read: %s"), strerror(errno ? errno : ENOENT));
        else
            *err = zip_why(a, code, head, nh);
        return NULL;
    }
    XlsxSheet *x = xmalloc(sizeof *x);
    memset(x, 0, sizeof *x);
    x->zip = z;
    return finish_open(x, sheet, a, err);
}

XlsxSheet *xlsx_open_mem(const void *data, size_t len, const char *sheet, Arena *a,
                         const char **err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    if (!src) {
        zip_error_fini(&ze);
        *err = _("out of memory");
        return NULL;
    }
    zip_t *z = zip_open_from_source(src, ZIP_RDONLY, &ze);
    if (!z) {
        int code = zip_error_code_zip(&ze);
        zip_error_fini(&ze);
        zip_source_free(src);
        *err = zip_why(a, code, data, len);
        return NULL;
    }
    zip_error_fini(&ze);
    XlsxSheet *x = xmalloc(sizeof *x);
    memset(x, 0, sizeof *x);
    x->zip = z;
    x->src = src;
    return finish_open(x, sheet, a, err);
}
