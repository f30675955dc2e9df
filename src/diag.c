/* diag.c - printing diagnostics with a caret under the source. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "i18n.h"
#include "utf8.h"

static const char *const level_name[] = {N_("error"), N_("warning"), N_("note")};

const char *diag_level_name(DiagLevel lv)
{
    return _(level_name[lv]);
}

void diag_init(Diags *d, FILE *out)
{
    memset(d, 0, sizeof *d), d->out = out;
}

#define SHOW_CONTEXT 80 /* bytes of a long line shown on each side of the span */

/* The character at t[0..n) as the source excerpt shows it: its length, and
 * in *cp what is printed (U+FFFD for a byte that is not UTF-8 and for a
 * control character, so a binary file cannot drive the terminal). */
static int shown_char(const char *t, size_t n, uint32_t *cp)
{
    int k = utf8_decode(t, n, cp);
    if (!k)
        k = 1, *cp = 0xFFFD;
    else if ((*cp < 0x20 && *cp != '\t') || *cp == 0x7F || (*cp >= 0x80 && *cp < 0xA0))
        *cp = 0xFFFD;
    return k;
}

static int shown_width(uint32_t cp)
{
    return cp == 0xFFFD ? 1 : uni_width(cp);
}

/* Print the source line holding start and mark [start, end) on it. A long
 * line is cut to the span and some context, with "..." where it was cut. */
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
    size_t from = 0, to = len;
    if (len > 3 * SHOW_CONTEXT) {
        from = col0 > SHOW_CONTEXT ? col0 - SHOW_CONTEXT : 0;
        while (from > 0 && ((unsigned char)text[from] & 0xC0) == 0x80)
            from--;
        to = (stop > col0 + SHOW_CONTEXT ? col0 + SHOW_CONTEXT : stop) + SHOW_CONTEXT;
        if (to > len)
            to = len;
        while (to < len && ((unsigned char)text[to] & 0xC0) == 0x80)
            to++;
        if (stop > to)
            stop = to;
    }
    fprintf(out, "%5d | %s", line, from > 0 ? "..." : "");
    char enc[4];
    for (size_t i = from; i < to;) {
        uint32_t cp;
        int k = shown_char(text + i, to - i, &cp);
        fwrite(enc, 1, (size_t)utf8_encode(cp, enc), out);
        i += (size_t)k;
    }
    fputs(to < len ? "...\n      | " : "\n      | ", out);
    if (from > 0)
        fputs("   ", out);
    /* pad by display width, keeping tabs so the caret lines up after them */
    for (size_t i = from; i < col0;) {
        uint32_t cp;
        int k = shown_char(text + i, col0 - i, &cp);
        if (cp == '\t')
            fputc('\t', out);
        else
            for (int w = shown_width(cp); w > 0; w--)
                fputc(' ', out);
        i += (size_t)k;
    }
    size_t width = 0;
    for (size_t i = col0; i < stop;) {
        uint32_t cp;
        int k = shown_char(text + i, stop - i, &cp);
        width += (size_t)shown_width(cp);
        i += (size_t)k;
    }
    fputc('^', out);
    for (size_t w = 1; w < width; w++)
        fputc('~', out);
    fputc('\n', out);
}

#define FMT_MAX 1024 /* a translated format longer than this prints without keyword expansion */

/* fmt translated, with each `{kw}` replaced by the keyword as the rubric
 * spells it; into buf when anything is replaced. */
static const char *prepare(const Diags *d, const char *fmt, char *buf)
{
    fmt = _(fmt);
    if (!strchr(fmt, '{'))
        return fmt;
    size_t o = 0;
    for (const char *p = fmt; *p;) {
        size_t n = 0;
        if (*p == '{')
            while (p[1 + n] >= 'a' && p[1 + n] <= 'z')
                n++;
        if (n > 0 && p[1 + n] == '}') {
            /* a {word} of one of our own message templates: a keyword of at most
               seven letters; a longer one is left as written, never cut */
            char word[32];
            const char *kw = NULL;
            if (n < sizeof word) {
                memcpy(word, p + 1, n), word[n] = 0;
                kw = d->keyword ? d->keyword(word) : NULL;
            }
            if (!kw)
                kw = word;
            size_t k = n < sizeof word ? strlen(kw) : 0;
            if (n >= sizeof word || o + k >= FMT_MAX)
                return fmt;
            memcpy(buf + o, kw, k), o += k;
            p += n + 2;
        } else {
            if (o + 1 >= FMT_MAX)
                return fmt;
            buf[o++] = *p++;
        }
    }
    buf[o] = 0;
    return buf;
}

/* Print fmt (translated, keywords spelled as the rubric does) with ap. What
 * the arguments bring in that a reader cannot see (a zero-width space or a
 * BOM inside a CSV header, a no-break space in a fact file's key) is written
 * as <U+200B>, so `column 完成率<U+200B> is not a fact` shows why. */
static void print_msg(const Diags *d, const char *fmt, va_list ap)
{
    char buf[FMT_MAX], small[512];
    va_list again;
    va_copy(again, ap);
    fmt = prepare(d, fmt, buf);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    char *msg = small;
    if (n >= (int)sizeof small) /* the one allocation wrapper: out of memory is a clean exit */
        vsnprintf(msg = xmalloc((size_t)n + 1), (size_t)n + 1, fmt, again);
    va_end(again);
    if (n < 0)
        return;
    char shown[UTF8_VISIBLE_ROOM(64)];
    for (size_t i = 0, len = (size_t)n; i < len;) { /* 64 bytes at a time, whole characters */
        size_t k = len - i < 64 ? len - i : 64;
        while (k > 1 && i + k < len && ((unsigned char)msg[i + k] & 0xC0) == 0x80)
            k--;
        fwrite(shown, 1, utf8_visible(msg + i, k, shown), d->out);
        i += k;
    }
    if (msg != small)
        free(msg);
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

void diag_at(Diags *d, const Source *src, DiagLevel lv, uint32_t start, uint32_t end,
             const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(d, src, lv, start, end, code, fmt, ap);
    va_end(ap);
}

void diag_vat(Diags *d, const Source *src, DiagLevel lv, uint32_t start, uint32_t end,
              const char *code, const char *fmt, va_list ap)
{
    if (!admit(d, lv))
        return;
    fprintf(d->out, "%s:%d:%d: %s: ", src->path, source_line(src, start), source_col(src, start),
            diag_level_name(lv));
    print_msg(d, fmt, ap);
    if (code)
        fprintf(d->out, " [%s]", code);
    fputc('\n', d->out);
    show_span(d->out, src, start, end);
}

void diag_hint(Diags *d, const char *fmt, ...)
{
    if (!d->last_shown)
        return;
    fprintf(d->out, "%s: ", _("hint"));
    va_list ap;
    va_start(ap, fmt);
    print_msg(d, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
}

void diag_note(Diags *d, const Source *src, uint32_t start, uint32_t end, const char *fmt, ...)
{
    if (!d->last_shown)
        return;
    fprintf(d->out, "%s:%d:%d: %s: ", src->path, source_line(src, start), source_col(src, start),
            diag_level_name(DIAG_NOTE));
    va_list ap;
    va_start(ap, fmt);
    print_msg(d, fmt, ap);
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
    fprintf(d->out, "%s: ", diag_level_name(lv));
    va_list ap;
    va_start(ap, fmt);
    print_msg(d, fmt, ap);
    va_end(ap);
    fputc('\n', d->out);
}

void diag_summary(Diags *d, const char *path)
{
    if (d->errors > d->shown)
        fprintf(d->out,
                ngettext("%s: %d more error not shown\n", "%s: %d more errors not shown\n",
                         (unsigned long)(d->errors - d->shown)),
                path, d->errors - d->shown);
    if (d->errors == 0 && d->warnings == 0)
        return;
    /* "N errors and M warnings": two plurals, so two messages put together */
    char errs[64], warns[64]; /* a count and one word, in any catalog well under 64 bytes */
    snprintf(errs, sizeof errs, ngettext("%d error", "%d errors", (unsigned long)d->errors),
             d->errors);
    snprintf(warns, sizeof warns, ngettext("%d warning", "%d warnings", (unsigned long)d->warnings),
             d->warnings);
    fprintf(d->out, _("%s: %s and %s\n"), path, errs, warns);
}
