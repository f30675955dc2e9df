/* xlsxout.c - eval's results as one worksheet, written with libxlsxwriter.
 *
 * libxlsxwriter writes rows as they come in its constant-memory mode; column
 * widths and the autofilter are only known at the end and are set then (the
 * library assembles the sheet's XML when the workbook is closed). Text goes
 * through clean_text first: XML cannot hold most control characters and a
 * stray byte that is not UTF-8 would make the file unreadable, so they become
 * a space and U+FFFD, as in every other output. Numbers reach the file as
 * the double nearest their exact decimal text: the format stores doubles, and
 * a spreadsheet shows 15 significant digits, which a reported score never
 * exceeds in practice. */
#include "xlsxout.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "arena.h"
#include "i18n.h"
#include "utf8.h"
#include "value.h"

enum {
    MAX_WIDTH = 60,   /* widest column, in characters */
    MAX_CELL = 32767, /* characters an Excel cell holds */
    PCT_FORMATS = 17  /* percent formats with 0..16 decimals */
};

struct XlsxOut {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    const OutLayout *lay;
    lxw_format *head;             /* bold header */
    lxw_format *pct[PCT_FORMATS]; /* 0%, 0.0%, 0.00%, … made on first use */
    size_t ncols;
    size_t *width; /* per column: widest text so far, display columns */
    lxw_row_t row; /* the next row to write */
    lxw_error err; /* the first error */
    bool too_many; /* more employees than a sheet has rows */
    Arena scratch; /* cleaned text of the current row */
};

double xlsxout_number(Dec d)
{
    char buf[DEC_BUFSZ];
    dec_format(d, buf);
    return strtod(buf, NULL);
}

/* s[0..n) as XML can hold it, NUL-terminated in a. */
static const char *clean_text(Arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, 3 * n + 1), *o = out;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            *o++ = c < 0x20 && c != '\t' && c != '\n' ? ' ' : (char)c;
            i++;
            continue;
        }
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (!k || cp == 0xFFFE || cp == 0xFFFF) {
            memcpy(o, "\xEF\xBF\xBD", 3), o += 3;
            i += k ? (size_t)k : 1;
        } else {
            memcpy(o, s + i, (size_t)k), o += k;
            i += (size_t)k;
        }
    }
    *o = 0;
    return out;
}

static void note(XlsxOut *o, lxw_error e)
{
    if (e != LXW_NO_ERROR && o->err == LXW_NO_ERROR)
        o->err = e;
    if (e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
        o->too_many = true;
}

static void widen(XlsxOut *o, size_t col, size_t w)
{
    if (w > o->width[col])
        o->width[col] = w;
}

static void put_text(XlsxOut *o, size_t col, const char *s, size_t n, lxw_format *f)
{
    if (!n)
        return;
    const char *t = clean_text(&o->scratch, s, n);
    if (utf8_chars(t, strlen(t)) > MAX_CELL) { /* a cell holds no more: cut, and say so */
        size_t i = 0, chars = 0, len = strlen(t);
        while (i < len && chars < MAX_CELL - 1) {
            uint32_t cp;
            int k = utf8_decode(t + i, len - i, &cp);
            i += k ? (size_t)k : 1;
            chars++;
        }
        t = arena_printf(&o->scratch, "%.*s…", (int)i, t);
    }
    note(o, worksheet_write_string(o->ws, o->row, (lxw_col_t)col, t, f));
    widen(o, col, utf8_width(t, strlen(t)));
}

/* Whether the decimal text buf (as dec_format writes it) has at most 15
 * significant digits: then the double strtod makes of it prints back as the
 * same number wherever a spreadsheet shows 15 digits. A longer one (a score
 * with `round 6` above 10^9, say) would be rounded by a number cell, so it is
 * written as text with every digit instead: exact, never silently cut. */
static bool fits_number_cell(const char *buf)
{
    int sig = 0, lead = 1, zeros = 0; /* zeros: trailing zeros not yet counted */
    for (const char *c = buf; *c; c++) {
        if (*c < '0' || *c > '9')
            continue;
        if (lead && *c == '0')
            continue;
        lead = 0;
        if (*c == '0') {
            zeros++;
        } else {
            sig += zeros + 1;
            zeros = 0;
        }
    }
    return sig <= 15;
}

static void put_num(XlsxOut *o, size_t col, Dec d)
{
    char buf[DEC_BUFSZ];
    size_t n = dec_format(d, buf);
    if (!fits_number_cell(buf)) {
        put_text(o, col, buf, n, NULL);
        return;
    }
    note(o, worksheet_write_number(o->ws, o->row, (lxw_col_t)col, strtod(buf, NULL), NULL));
    widen(o, col, n);
}

/* A percent (a fraction) as a number cell shown with as many decimals as it has. */
static void put_pct(XlsxOut *o, size_t col, Dec d)
{
    char buf[DEC_BUFSZ];
    size_t n = dec_format(d, buf);
    if (!fits_number_cell(buf)) { /* as the CSV shows it: 12.3456789012345678% */
        const char *t = value_percent_text(&o->scratch, d);
        put_text(o, col, t, strlen(t), NULL);
        return;
    }
    const char *dot = strchr(buf, '.');
    size_t places = dot ? n - (size_t)(dot - buf) - 1 : 0;
    size_t k = places > 2 ? places - 2 : 0;
    if (k >= PCT_FORMATS)
        k = PCT_FORMATS - 1;
    if (!o->pct[k]) {
        char code[PCT_FORMATS + 4] = "0";
        size_t c = 1;
        if (k) {
            code[c++] = '.';
            for (size_t i = 0; i < k; i++)
                code[c++] = '0';
        }
        code[c++] = '%';
        code[c] = 0;
        o->pct[k] = workbook_add_format(o->wb);
        format_set_num_format(o->pct[k], code);
    }
    note(o, worksheet_write_number(o->ws, o->row, (lxw_col_t)col, strtod(buf, NULL), o->pct[k]));
    widen(o, col, n + 1);
}

static void put_value(XlsxOut *o, size_t col, const Value *v)
{
    switch (v->kind) {
    case VAL_NUMBER:
        put_num(o, col, v->d);
        break;
    case VAL_PERCENT:
        put_pct(o, col, v->d);
        break;
    case VAL_BOOL:
        note(o, worksheet_write_boolean(o->ws, o->row, (lxw_col_t)col, v->b, NULL));
        widen(o, col, 5);
        break;
    case VAL_TEXT:
        put_text(o, col, v->s, v->len, NULL);
        break;
    case VAL_NONE:
        break;
    }
}

static void put_str(XlsxOut *o, size_t col, const char *s, lxw_format *f)
{
    put_text(o, col, s ? s : "", s ? strlen(s) : 0, f);
}

XlsxOut *xlsxout_open(const char *path, const OutLayout *lay)
{
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .use_zip64 = LXW_TRUE};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb)
        return NULL;
    XlsxOut *o = xmalloc(sizeof *o);
    memset(o, 0, sizeof *o);
    o->wb = wb;
    o->lay = lay;
    arena_init(&o->scratch);
    o->ws = workbook_add_worksheet(wb, NULL);
    o->head = workbook_add_format(wb);
    format_set_bold(o->head);
    o->ncols = 1 + lay->nshow + lay->nscores + 2 + lay->noutputs + 1;
    o->width = xmalloc(o->ncols * sizeof *o->width);
    memset(o->width, 0, o->ncols * sizeof *o->width);
    size_t c = 0;
    put_str(o, c++, "id", o->head);
    for (size_t i = 0; i < lay->nshow; i++)
        put_str(o, c++, lay->show_names[i], o->head);
    for (size_t i = 0; i < lay->nscores; i++)
        put_str(o, c++, lay->score_names[i], o->head);
    put_str(o, c++, "total", o->head);
    put_str(o, c++, "grade", o->head);
    for (size_t i = 0; i < lay->noutputs; i++)
        put_str(o, c++, lay->output_names[i], o->head);
    put_str(o, c++, "error", o->head);
    o->row = 1;
    arena_reset(&o->scratch);
    return o;
}

void xlsxout_row(XlsxOut *o, const OutRow *r)
{
    const OutLayout *lay = o->lay;
    if (o->row >= LXW_ROW_MAX) {
        o->too_many = true;
        return;
    }
    put_str(o, 0, r->id, NULL);
    for (size_t i = 0; i < lay->nshow; i++) /* error rows too, like CSV */
        put_value(o, 1 + i, &r->shown[i]);
    if (r->error) {
        put_str(o, o->ncols - 1, r->error, NULL);
    } else {
        size_t c = 1 + lay->nshow;
        for (size_t i = 0; i < lay->nscores; i++)
            put_num(o, c++, r->scores[i]);
        put_num(o, c++, r->total);
        if (r->grade)
            put_str(o, c, r->grade, NULL);
        c++;
        for (size_t i = 0; i < lay->noutputs; i++)
            put_value(o, c++, &r->outputs[i]);
    }
    o->row++;
    arena_reset(&o->scratch);
}

int xlsxout_finish(XlsxOut *o, const char **why)
{
    for (size_t c = 0; c < o->ncols; c++) {
        size_t w = o->width[c] + 2;
        note(o, worksheet_set_column(o->ws, (lxw_col_t)c, (lxw_col_t)c,
                                     (double)(w > MAX_WIDTH ? MAX_WIDTH : w), NULL));
    }
    worksheet_freeze_panes(o->ws, 1, 0);
    /* printed: landscape, as wide as one page, the header on every page */
    worksheet_set_landscape(o->ws);
    worksheet_fit_to_pages(o->ws, 1, 0);
    worksheet_repeat_rows(o->ws, 0, 0);
    note(o, worksheet_autofilter(o->ws, 0, 0, o->row - 1, (lxw_col_t)(o->ncols - 1)));
    lxw_error close = workbook_close(o->wb);
    int rc = 0;
    if (o->too_many) {
        *why = _("more employees than the 1048575 rows a worksheet holds (write CSV instead)");
        rc = -1;
    } else if (o->err != LXW_NO_ERROR || close != LXW_NO_ERROR) {
        *why = lxw_strerror(o->err != LXW_NO_ERROR ? o->err : close);
        rc = -1;
    }
    arena_free(&o->scratch);
    free(o->width);
    free(o);
    return rc;
}
