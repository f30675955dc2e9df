/* xlsx.c - one worksheet of an .xlsx workbook, streamed as rows of text cells.
 *
 * The cells of a row are collected by expat's handlers, and the parser is
 * suspended (XML_StopParser) at every </row> and resumed by the next call, so
 * one row is held at a time; merged ranges (collected by xlsx_book.c) fill
 * the cells they cover once the header is read. How the files of the reader
 * share the work: xlsx_impl.h. */
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
#include "xlsx_impl.h"

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
    xlsx_buf_add(&x->errs, msg, strlen(msg));
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
    xlsx_buf_add(&x->rowtext, s, n);
    if (error)
        xlsx_buf_add(&x->rowtext, "", 1); /* a message reads as a C string */
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
        size_t k = xlsx_num_text(v, vn, kind == XF_PERCENT ? 2 : 0, num);
        if (!k) {
            if (vn)
                push_cell(x, x->col, v, vn, false, false); /* read as written: its fact says why */
            return;
        }
        if (kind == XF_PERCENT) {
            num[k++] = '%';
        } else if (kind == XF_DATE) {
            char date[40];
            size_t dk = xlsx_date_text(num, k, x->date1904, date);
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
    const char *ln = xlsx_local(name);
    char cn[16];
    if (x->in_data && strcmp(ln, "c") == 0) {
        const char *r = xlsx_attr(atts, "r"), *t = xlsx_attr(atts, "t"), *s = xlsx_attr(atts, "s");
        int col = x->col + 1, row = x->row;
        if (r && (!xlsx_parse_ref(r, &col, &row) || (row && row != x->row))) {
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
        const char *r = xlsx_attr(atts, "r");
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
    const char *ln = xlsx_local(name);
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
    xlsx_buf_add(&x->cap, s, (size_t)n);
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
        if (x->suspended) {
            x->suspended = false;
            s = xlsx_xml_resume(x->xp, &x->mem);
        } else {
            if (x->fed_final)
                return x->ps = PS_DONE;
            zip_int64_t n = zip_fread(x->zf, x->block, READ_BLOCK);
            if (n < 0) {
                x->errs.len = 0;
                const char *why = zip_file_strerror(x->zf);
                xlsx_buf_add(&x->errs, x->sheet_part, strlen(x->sheet_part));
                xlsx_buf_add(&x->errs, ": ", 2);
                xlsx_buf_add(&x->errs, why, strlen(why));
                x->err = x->errs.p;
                return x->ps = PS_ERR;
            }
            x->unpacked += (uint64_t)n;
            if (x->unpacked > SHEET_MAX) {
                char msg[200];
                snprintf(msg, sizeof msg,
                         _("%s unpacks to more than %llu MiB, the limit for a worksheet"),
                         x->sheet_part, (unsigned long long)(SHEET_MAX / MIB));
                x->errs.len = 0;
                xlsx_buf_add(&x->errs, msg, strlen(msg));
                x->err = x->errs.p;
                return x->ps = PS_ERR;
            }
            x->fed_final = n == 0;
            s = xlsx_xml_parse(x->xp, &x->mem, x->block, (int)n, n == 0);
        }
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
                xlsx_buf_add(&x->errs, msg, strlen(msg));
                x->err = x->errs.p;
            }
            return x->ps = PS_ERR;
        }
    }
}

bool xlsx_sheet_begin(XlsxSheet *x, Arena *a, const char **err)
{
    x->zf = xlsx_open_part(x, x->sheet_part, SHEET_MAX, a, err);
    if (!x->zf)
        return false;
    x->xp = xlsx_xml_new(&x->mem);
    if (!x->xp) {
        *err = _("out of memory");
        return false;
    }
    XML_SetUserData(x->xp, x);
    XML_SetElementHandler(x->xp, sheet_start, sheet_end);
    XML_SetCharacterDataHandler(x->xp, sheet_text);
    XML_SetStartDoctypeDeclHandler(x->xp, sheet_doctype);
    x->block = xmalloc(READ_BLOCK);
    x->ps = PS_RUN;
    return true;
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
                xlsx_buf_add(&x->rowtext, a->text, a->len);
                if (a->error)
                    xlsx_buf_add(&x->rowtext, "", 1);
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
    xlsx_buf_add(&x->errs, why, strlen(why));
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
