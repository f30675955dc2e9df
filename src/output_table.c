/* output_table.c - the terminal table: rows kept, then printed aligned.
 *
 * A table must see every row before it knows its column widths, so each row's
 * cells are copied, formatted and cleaned of control characters, into the
 * Out's arena; out_table_print aligns them by display width (CJK characters
 * are two columns). An error row prints its id and then "error: MESSAGE" in
 * place of the scores, so a long message does not widen any column. */
#include <stdlib.h>

#include "i18n.h"
#include "output_impl.h"
#include "utf8.h"

/* ---- the table ---- */

static Cell table_text(Out *o, const char *s, size_t n)
{
    char *p = arena_alloc(&o->arena, ESC_GROW * n + 1);
    size_t len = out_escape(p, s, n, ESC_TABLE);
    p[len] = 0;
    return (Cell){p, len, utf8_width(p, len), false};
}

static Cell table_str(Out *o, const char *s)
{
    return table_text(o, s ? s : "", s ? strlen(s) : 0);
}

static Cell table_num(Out *o, Dec d)
{
    char t[DEC_BUFSZ];
    size_t n = dec_format(d, t);
    return (Cell){arena_strndup(&o->arena, t, n), n, n, true};
}

static Cell table_value(Out *o, const Value *v)
{
    char t[DEC_BUFSZ + 1];
    size_t n;
    switch (v->kind) {
    case VAL_NUMBER:
        return table_num(o, v->d);
    case VAL_PERCENT:
        n = out_fmt_percent(v->d, t);
        t[n++] = '%';
        return (Cell){arena_strndup(&o->arena, t, n), n, n, true};
    case VAL_BOOL:
        return table_str(o, v->b ? "true" : "false");
    case VAL_TEXT:
        return table_text(o, v->s, v->len);
    case VAL_NONE:
        break;
    }
    return (Cell){"", 0, 0, false};
}

void out_table_keep(Out *o, const OutRow *r)
{
    const OutLayout *lay = o->lay;
    size_t ncells = r->error ? 1 + lay->nshow : o->ncols;
    TRow *t = arena_alloc(&o->arena, sizeof *t + ncells * sizeof(Cell));
    t->next = NULL;
    t->error = (Cell){0};
    t->cells[0] = table_str(o, r->id);
    for (size_t i = 0; i < lay->nshow; i++)
        t->cells[1 + i] = table_value(o, &r->shown[i]);
    if (r->error) {
        t->error = table_str(o, r->error);
    } else {
        size_t c = 1 + lay->nshow;
        for (size_t i = 0; i < lay->nscores; i++)
            t->cells[c++] = table_num(o, r->scores[i]);
        t->cells[c++] = table_num(o, r->total);
        if (lay->has_grade)
            t->cells[c++] = table_str(o, r->grade);
        for (size_t i = 0; i < lay->noutputs; i++)
            t->cells[c++] = table_value(o, &r->outputs[i]);
    }
    *o->tail = t;
    o->tail = &t->next;
}

/* One cell padded to w columns. Spaces are held in *pending and written only
 * before further text, so no line ends in blanks. */
static void table_cell(Out *o, size_t *pending, const Cell *c, size_t w, bool right)
{
    size_t pad = w > c->width ? w - c->width : 0;
    if (right)
        *pending += pad;
    if (c->len) {
        out_put_spaces(o, *pending);
        *pending = 0;
        out_put(o, c->s, c->len);
    }
    if (!right)
        *pending += pad;
}

void out_table_print(Out *o)
{
    const OutLayout *lay = o->lay;
    size_t ncols = o->ncols;
    Cell *head = xmalloc(ncols * sizeof *head);
    size_t *width = xmalloc(ncols * sizeof *width);
    bool *right = xmalloc(ncols * sizeof *right);

    size_t c = 0;
    head[c++] = table_str(o, "id");
    for (size_t i = 0; i < lay->nshow; i++)
        head[c++] = table_str(o, lay->show_names[i]);
    for (size_t i = 0; i < lay->nscores; i++)
        head[c++] = table_str(o, lay->score_names[i]);
    head[c++] = table_str(o, "total");
    if (lay->has_grade)
        head[c++] = table_str(o, "grade");
    for (size_t i = 0; i < lay->noutputs; i++)
        head[c++] = table_str(o, lay->output_names[i]);
    for (c = 0; c < ncols; c++) {
        width[c] = head[c].width;
        right[c] = c > lay->nshow && c <= lay->nshow + lay->nscores + 1; /* scores and total */
    }
    for (const TRow *t = o->rows; t; t = t->next) {
        size_t n = t->error.s ? 1 + lay->nshow : ncols;
        for (c = 0; c < n; c++) {
            if (t->cells[c].width > width[c])
                width[c] = t->cells[c].width;
            if (t->cells[c].num)
                right[c] = true; /* an output column of numbers or percents */
        }
    }

    size_t pending = 0;
    for (c = 0; c < ncols; c++) {
        if (c)
            pending += 2;
        table_cell(o, &pending, &head[c], width[c], right[c]);
    }
    put_char(o, '\n');
    for (c = 0; c < ncols; c++) {
        if (c)
            out_put_spaces(o, 2);
        for (size_t k = width[c]; k;) {
            size_t m = k < 256 ? k : 256;
            memset(reserve(o, m), '-', m);
            o->len += m, k -= m;
        }
    }
    put_char(o, '\n');
    for (const TRow *t = o->rows; t; t = t->next) {
        pending = 0;
        table_cell(o, &pending, &t->cells[0], width[0], false);
        for (c = 1; t->error.s && c <= lay->nshow; c++) {
            pending += 2;
            table_cell(o, &pending, &t->cells[c], width[c], right[c]);
        }
        if (t->error.s) {
            out_put_spaces(o, pending + 2);
            const char *label = _("error: "); /* the table is read by people */
            out_put(o, label, strlen(label));
            out_put(o, t->error.s, t->error.len);
        } else {
            for (c = 1; c < ncols; c++) {
                pending += 2;
                table_cell(o, &pending, &t->cells[c], width[c], right[c]);
            }
        }
        put_char(o, '\n');
    }
    free(head);
    free(width);
    free(right);
}
