/* template.c - rubric template: the fill-in sheet for a rubric's facts.
 *
 * One list of columns (template_columns) serves both formats, so the CSV
 * header and the workbook never disagree. The workbook is written with
 * libxlsxwriter; each column's cell format and data validation follow the
 * fact's declared type, so what Excel or LibreOffice lets a manager type is
 * what eval accepts: text columns are text (`@`, so 00123 stays 00123),
 * percent columns show percents (a typed 92 or 92% is stored 0.92, which the
 * reader takes as 92% because of the format), bools offer 是/否. */
#include "template.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "arena.h"
#include "i18n.h"
#include "utf8.h"
#include "value.h"
#include "xlsxout.h"

typedef struct {
    const FactInfo *fact; /* NULL: the id column of a rubric without an id fact */
    const char *rater;    /* a per-rater column NAME@RATER, or NULL */
    const char *header;   /* the column's header text */
} Col;

/* Whether some item reads fact slot f (then each rater gives it). */
static bool item_reads(const Program *p, int f)
{
    for (int i = 0; i < p->nnodes; i++) {
        const ScoreNode *n = p->nodes[i];
        for (int k = 0; n->kind == SN_ITEM && k < n->nreads; k++)
            if (n->reads[k] == f)
                return true;
    }
    return false;
}

static void add_fact(const Program *p, Arena *a, Col *cols, size_t *n, int f)
{
    const FactInfo *fi = &p->facts[f];
    if (p->nraters && f != p->id_fact && item_reads(p, f)) {
        /* grade rules and outputs read the shared value, and `show` shows
           it: a column for it too (else the filled-in sheet is an error for
           every employee, or shows nothing) */
        if (fi->read_shared || fi->shown)
            cols[(*n)++] = (Col){fi, NULL, fi->name};
        for (int r = 0; r < p->nraters; r++)
            cols[(*n)++] = (Col){fi, p->raters[r]->name,
                                 arena_printf(a, "%s@%s", fi->name, p->raters[r]->name)};
        return;
    }
    cols[(*n)++] = (Col){fi, NULL, fi->name};
}

/* Fact f is named by `show`. */
static bool is_shown(const Program *p, int f)
{
    for (int i = 0; i < p->nshow; i++)
        if (p->show[i] == f)
            return true;
    return false;
}

/* The template's columns in order (in a); *ncols their number. */
static Col *template_columns(const Program *p, Arena *a, size_t *ncols)
{
    size_t cap = 1 + (size_t)p->nfacts * ((size_t)p->nraters + 1); /* shared + one per rater */
    Col *cols = arena_alloc(a, cap * sizeof *cols);
    size_t n = 0;
    if (p->id_fact >= 0)
        add_fact(p, a, cols, &n, p->id_fact);
    else
        cols[n++] = (Col){NULL, NULL, "id"};
    /* the shown facts (show 姓名, 部门) right after the id, then the rest */
    for (int i = 0; i < p->nshow; i++)
        if (p->show[i] != p->id_fact)
            add_fact(p, a, cols, &n, p->show[i]);
    for (int f = 0; f < p->nfacts; f++)
        if (f != p->id_fact && !is_shown(p, f))
            add_fact(p, a, cols, &n, f);
    *ncols = n;
    return cols;
}

int template_csv(const Program *p, bool bom, FILE *f)
{
    Arena a;
    arena_init(&a);
    size_t n;
    Col *cols = template_columns(p, &a, &n);
    if (bom)
        fputs("\xEF\xBB\xBF", f);
    for (size_t i = 0; i < n; i++) {
        const char *h = cols[i].header;
        bool quote = strpbrk(h, ",\"\r\n") != NULL;
        if (i)
            putc(',', f);
        if (!quote) {
            fputs(h, f);
            continue;
        }
        putc('"', f);
        for (const char *s = h; *s; s++) {
            if (*s == '"')
                putc('"', f);
            putc(*s, f);
        }
        putc('"', f);
    }
    putc('\n', f);
    arena_free(&a);
    return ferror(f) ? -1 : 0;
}

static const char *type_text(FactType t)
{
    switch (t) {
    case FT_NUMBER:
        return "数字 number";
    case FT_INTEGER:
        return "整数 integer";
    case FT_PERCENT:
        return "百分比 percent(填 92% 或 92)";
    case FT_BOOL:
        return "是/否 bool";
    case FT_TEXT:
        break;
    }
    return "文本 text";
}

static const char *bound(Arena *a, const FactSpec *s, Dec d)
{
    return s->type == FT_PERCENT ? value_percent_text(a, d) : value_dec_text(a, d);
}

/* "0%..100%", ">= 0", or NULL without a range. */
static const char *range_text(Arena *a, const FactSpec *s)
{
    if (s->has_lo && s->has_hi)
        return arena_printf(a, "%s..%s", bound(a, s, s->lo), bound(a, s, s->hi));
    if (s->has_lo)
        return arena_printf(a, ">= %s", bound(a, s, s->lo));
    if (s->has_hi)
        return arena_printf(a, "<= %s", bound(a, s, s->hi));
    return NULL;
}

/* text cut to at most max code points (Excel's limits on validation texts). */
static char *cut(Arena *a, const char *text, size_t max)
{
    size_t i = 0, n = strlen(text), chars = 0;
    while (i < n && chars < max) {
        uint32_t cp;
        int k = utf8_decode(text + i, n - i, &cp);
        i += k ? (size_t)k : 1;
        chars++;
    }
    return arena_strndup(a, text, i);
}

/* The data validation for a column, or false when its type has none. */
static bool validation(const FactSpec *s, Arena *a, const char *name, const char *range,
                       lxw_data_validation *v, char **list)
{
    memset(v, 0, sizeof *v);
    switch (s->type) {
    case FT_TEXT:
        return false;
    case FT_BOOL:
        v->validate = LXW_VALIDATION_TYPE_LIST;
        v->value_list = list;
        break;
    case FT_NUMBER:
    case FT_PERCENT:
    case FT_INTEGER:
        if (!s->has_lo && !s->has_hi && s->type != FT_INTEGER)
            return false;
        v->validate =
            s->type == FT_INTEGER ? LXW_VALIDATION_TYPE_INTEGER : LXW_VALIDATION_TYPE_DECIMAL;
        /* the limits of Excel's data validation: libxlsxwriter takes them as IEEE
           doubles, as the .xlsx format stores them. Only the fill-in sheet's check on
           typing uses them; every value read back is parsed from its text, exactly.
           A percent is stored as its fraction, which is what the bounds hold */
        double lo = s->has_lo ? xlsxout_number(s->lo) : -1e15;
        double hi = s->has_hi ? xlsxout_number(s->hi) : 1e15;
        if (s->has_lo && !s->has_hi) {
            v->criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
            v->value_number = lo;
        } else if (s->has_hi && !s->has_lo) {
            v->criteria = LXW_VALIDATION_CRITERIA_LESS_THAN_OR_EQUAL_TO;
            v->value_number = hi;
        } else {
            v->criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
            v->minimum_number = lo;
            v->maximum_number = hi;
        }
        break;
    }
    v->error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    v->error_title = cut(a, name, 30);
    v->error_message = cut(
        a, arena_printf(a, "%s%s%s", type_text(s->type), range ? ",范围 " : "", range ? range : ""),
        250);
    return true;
}

int template_xlsx(const Program *p, const char *path, const char **why)
{
    Arena a;
    arena_init(&a);
    size_t n;
    Col *cols = template_columns(p, &a, &n);
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        *why = _("cannot create the workbook");
        arena_free(&a);
        return -1;
    }
    lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
    lxw_format *head = workbook_add_format(wb);
    format_set_bold(head);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_pattern(head, LXW_PATTERN_SOLID);
    lxw_format *text = workbook_add_format(wb);
    format_set_num_format_index(text, 49); /* @ */
    lxw_format *pct = workbook_add_format(wb);
    format_set_num_format_index(pct, 10); /* 0.00% */
    lxw_error err = LXW_NO_ERROR;
#define NOTE(call)                                                                                 \
    do {                                                                                           \
        lxw_error e_ = (call);                                                                     \
        if (e_ != LXW_NO_ERROR && err == LXW_NO_ERROR)                                             \
            err = e_;                                                                              \
    } while (0)
    for (size_t c = 0; c < n; c++) {
        const Col *col = &cols[c];
        const FactSpec *s = col->fact ? &col->fact->spec : NULL;
        FactType t = s ? s->type : FT_TEXT;
        lxw_format *f = t == FT_TEXT ? text : t == FT_PERCENT ? pct : NULL;
        size_t w = utf8_width(col->header, strlen(col->header)) + 4;
        if (w < 12)
            w = 12;
        if (w > 40)
            w = 40;
        NOTE(worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, (double)w, f));
        NOTE(worksheet_write_string(ws, 0, (lxw_col_t)c, col->header, head));
        const char *range = s ? range_text(&a, s) : NULL;
        const char *desc = col->fact && col->fact->decl->str ? col->fact->decl->str : NULL;
        const char *note =
            !col->fact
                ? "员工编号 the employee's id"
                : arena_printf(&a, "%s%s类型 type: %s%s%s%s%s", desc ? desc : "", desc ? "\n" : "",
                               type_text(t), range ? "\n范围 range: " : "", range ? range : "",
                               col->rater ? "\n评价人 rater: " : "", col->rater ? col->rater : "");
        lxw_comment_options copt = {.width = 320, .height = 110};
        NOTE(worksheet_write_comment_opt(ws, 0, (lxw_col_t)c, note, &copt));
        lxw_data_validation v;
        char yes[] = "是", no[] = "否"; /* the library takes char ** */
        char *list[3] = {yes, no, NULL};
        if (s && validation(s, &a, col->header, range, &v, list))
            NOTE(worksheet_data_validation_range(ws, 1, (lxw_col_t)c, LXW_ROW_MAX - 1, (lxw_col_t)c,
                                                 &v));
    }
#undef NOTE
    worksheet_freeze_panes(ws, 1, 0);
    /* printed: landscape, as wide as one page, the header on every page */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 0, 0);
    lxw_error close = workbook_close(wb);
    arena_free(&a);
    if (err != LXW_NO_ERROR || close != LXW_NO_ERROR) {
        *why = lxw_strerror(err != LXW_NO_ERROR ? err : close);
        return -1;
    }
    return 0;
}
