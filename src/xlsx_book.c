/* xlsx_book.c - opening a workbook: the zip (a file or bytes in memory), the
 * small parts read whole (the package and workbook relationships, the
 * workbook with its sheets and date system, the styles' percent and date
 * formats, the shared-string table) and the first pass over the worksheet
 * that collects its merged ranges. xlsx.c then streams the worksheet. */
#include <errno.h>
#include <expat.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "i18n.h"
#include "xlsx.h"
#include "xlsx_impl.h"

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
    if (strcmp(xlsx_local(name), "Relationship") != 0 || u->target)
        return;
    const char *id = xlsx_attr(atts, "Id"), *type = xlsx_attr(atts, "Type"),
               *t = xlsx_attr(atts, "Target");
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
    if (!xlsx_parse_part(x, rels, &u.ud, rels_start, NULL, NULL, a, err) || !u.target)
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
    const char *ln = xlsx_local(name);
    if (strcmp(ln, "workbookPr") == 0) {
        const char *d = xlsx_attr(atts, "date1904");
        u->ud.x->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
        return;
    }
    if (strcmp(ln, "sheet") != 0)
        return;
    const char *sn = xlsx_attr(atts, "name"), *id = xlsx_attr(atts, "id"),
               *state = xlsx_attr(atts, "state");
    if (!sn || !id)
        return;
    if (u->nsheets++ < 20) {
        if (u->names.len) {
            const char *sep = _(", "); /* the list's separator, as in the other messages */
            xlsx_buf_add(&u->names, sep, strlen(sep));
        }
        xlsx_buf_add(&u->names, sn, strlen(sn));
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
    const char *ln = xlsx_local(name);
    if (strcmp(ln, "numFmt") == 0) {
        const char *id = xlsx_attr(atts, "numFmtId"), *code = xlsx_attr(atts, "formatCode");
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
        const char *id = xlsx_attr(atts, "numFmtId");
        long n = id ? strtol(id, NULL, 10) : 0;
        unsigned char k = (unsigned char)builtin_kind(n);
        for (size_t i = 0; i < u->nfmt; i++)
            if (u->fmt_ids[i] == n)
                k = u->fmt_k[i];
        xlsx_buf_add(&u->kinds, (const char *)&k, 1);
    }
}

static void XMLCALL style_end(void *v, const XML_Char *name)
{
    StyleUd *u = v;
    if (strcmp(xlsx_local(name), "cellXfs") == 0)
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
    const char *ln = xlsx_local(name);
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
    const char *ln = xlsx_local(name);
    if (strcmp(ln, "si") == 0) {
        xlsx_buf_add(&x->sst, "", 1); /* the NUL separates strings */
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
        xlsx_buf_add(&u->ud.x->sst, s, (size_t)n);
}

/* -- merged ranges (first pass over the worksheet) -- */

typedef struct {
    Ud ud;
    Buf list; /* Merge records */
} MergeUd;

static void XMLCALL merge_start(void *v, const XML_Char *name, const XML_Char **atts)
{
    MergeUd *u = v;
    if (strcmp(xlsx_local(name), "mergeCell") != 0)
        return;
    const char *ref = xlsx_attr(atts, "ref");
    if (!ref)
        return;
    const char *colon = strchr(ref, ':');
    if (!colon || colon - ref > 15)
        return;
    char a1[16];
    memcpy(a1, ref, (size_t)(colon - ref));
    a1[colon - ref] = 0;
    Merge m;
    if (!xlsx_parse_ref(a1, &m.c1, &m.r1) || !xlsx_parse_ref(colon + 1, &m.c2, &m.r2) || !m.r1 ||
        !m.r2 || m.r2 < m.r1 || m.c2 < m.c1)
        return;
    if (u->list.len / sizeof m >= MAX_MERGES) {
        u->ud.stop = _("more merged ranges than the limit of 1048576");
        XML_StopParser(u->ud.p, XML_FALSE);
        return;
    }
    xlsx_buf_add(&u->list, (const char *)&m, sizeof m);
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
    zip_file_t *f = xlsx_open_part(x, x->sheet_part, SHEET_MAX, a, err);
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

/* ---- opening ---- */

static void sheet_free(XlsxSheet *x)
{
    if (x->xp) {
        xlsx_xml_free(x->xp, &x->mem);
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
    if (!xlsx_parse_part(x, book, &bu.ud, book_start, NULL, NULL, a, err)) {
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
        bool ok = xlsx_parse_part(x, styles, &su.ud, style_start, style_end, NULL, a, err);
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
        if (!xlsx_parse_part(x, sst, &su.ud, sst_start, sst_end, sst_text, a, err))
            return NULL;
    }
    if (x->nsst && !x->sst.p)
        xlsx_buf_add(&x->sst, "", 0);

    bool merges = false;
    if (!has_merges(x, a, err, &merges))
        return NULL;
    if (merges) {
        MergeUd mu = {0};
        /* the first pass reads the worksheet as a part of its own size limit */
        bool ok = true;
        {
            zip_file_t *f = xlsx_open_part(x, x->sheet_part, SHEET_MAX, a, err);
            XmlMem mem = {0};
            XML_Parser p = f ? xlsx_xml_new(&mem) : NULL;
            ok = f && p;
            if (p) {
                mu.ud.p = p;
                mu.ud.x = x;
                XML_SetUserData(p, &mu);
                XML_SetStartElementHandler(p, merge_start);
                XML_SetStartDoctypeDeclHandler(p, xlsx_on_doctype);
                char *blk = xmalloc(READ_BLOCK);
                for (;;) {
                    zip_int64_t n = zip_fread(f, blk, READ_BLOCK);
                    if (n < 0) {
                        *err = arena_printf(a, "%s: %s", x->sheet_part, zip_file_strerror(f));
                        ok = false;
                        break;
                    }
                    enum XML_Status s = xlsx_xml_parse(p, &mem, blk, (int)n, n == 0);
                    if (s != XML_STATUS_OK || mu.ud.stop) {
                        *err = mu.ud.stop ? arena_printf(a, "%s: %s", x->sheet_part, mu.ud.stop)
                                          : xlsx_xml_why(p, a, x->sheet_part, mu.ud.doctype);
                        ok = false;
                        break;
                    }
                    if (n == 0)
                        break;
                }
                free(blk);
                xlsx_xml_free(p, &mem);
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

    return xlsx_sheet_begin(x, a, err) ? x : NULL;
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
