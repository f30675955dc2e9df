/* diag.c - printing diagnostics with a caret under the source. */
#include "diag.h"

#include <stdarg.h>
#include <string.h>

#include "utf8.h"

static const char *level_name[] = {"error", "warning", "note"};

void diag_init(Diags *d, FILE *out) { memset(d, 0, sizeof *d), d->out = out; }

/* Print the source line holding start and mark [start, end) on it. */
static void show_span(FILE *out, const Source *src, uint32_t start, uint32_t end)
{
    int line = source_line(src, start);
    size_t len;
    const char *text = source_line_text(src, line, &len);
    size_t col0 = (size_t)(src->text + start - text);
    if (col0 > len)
        col0 = len;
    size_t stop = end > start ? (size_t)(src->text + end - text) : col0;
    if (stop > len)
        stop = len;
    fprintf(out, "%5d | ", line);
    for (size_t i = 0; i < len;) { /* bytes that are not UTF-8 show as U+FFFD */
        uint32_t cp;
        int k = utf8_decode(text + i, len - i, &cp);
        if (k) {
            fwrite(text + i, 1, (size_t)k, out);
            i += (size_t)k;
        } else {
            fputs("\xEF\xBF\xBD", out);
            i++;
        }
    }
    fputs("\n      | ", out);
    /* pad by display width, keeping tabs so the caret lines up after them */
    for (size_t i = 0; i < col0;) {
        uint32_t cp;
        int k = utf8_decode(text + i, col0 - i, &cp);
        if (!k)
            cp = '?', k = 1;
        if (cp == '\t')
            fputc('\t', out);
        else
            for (int w = uni_width(cp); w > 0; w--)
                fputc(' ', out);
        i += (size_t)k;
    }
    size_t width = utf8_width(text + col0, stop - col0);
    fputc('^', out);
    for (size_t w = 1; w < width; w++)
        fputc('~', out);
    fputc('\n', out);
}

static bool admit(Diags *d, DiagLevel lv)
{
    if (lv == DIAG_ERROR) {
        d->errors++;
        d->last_shown = d->shown < DIAG_CAP;
        if (d->last_shown)
            d->shown++;
    } else {
        if (lv == DIAG_WARNING)
            d->warnings++;
        d->last_shown = true;
    }
    return d->last_shown;
}

void diag_at(Diags *d, const Source *src, DiagLevel lv, uint32_t start, uint32_t end, const char *code,
             const char *fmt, ...)
{
    if (!admit(d, lv))
        return;
    fprintf(d->out, "%s:%d:%d: %s: ", src->path, source_line(src, start), source_col(src, start),
            level_name[lv]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    if (code)
        fprintf(d->out, " [%s]", code);
    fputc('\n', d->out);
    show_span(d->out, src, start, end);
}

void diag_hint(Diags *d, const char *fmt, ...)
{
    if (!d->last_shown)
        return;
    fputs("hint: ", d->out);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
}

void diag_note(Diags *d, const Source *src, uint32_t start, uint32_t end, const char *fmt, ...)
{
    if (!d->last_shown)
        return;
    fprintf(d->out, "%s:%d:%d: note: ", src->path, source_line(src, start), source_col(src, start));
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
    show_span(d->out, src, start, end);
}

void diag_plain(Diags *d, DiagLevel lv, const char *where, const char *fmt, ...)
{
    if (!admit(d, lv))
        return;
    if (where)
        fprintf(d->out, "%s: ", where);
    fprintf(d->out, "%s: ", level_name[lv]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->out, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
}

void diag_summary(Diags *d, const char *path)
{
    if (d->errors > d->shown)
        fprintf(d->out, "%s: %d more errors not shown\n", path, d->errors - d->shown);
    if (d->errors == 0 && d->warnings == 0)
        return;
    fprintf(d->out, "%s: %d error%s and %d warning%s\n", path, d->errors, d->errors == 1 ? "" : "s",
            d->warnings, d->warnings == 1 ? "" : "s");
}
