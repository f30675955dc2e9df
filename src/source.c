/* source.c - loading rubric files, mapping byte offsets to lines, and source text shown on one
 * line. */
#include "source.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "utf8.h"

Source *source_from_text(Arena *a, const char *path, const char *text, size_t len)
{
    Source *s = arena_zalloc(a, sizeof *s);
    s->path = path;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        text += 3, len -= 3;
    s->text = arena_strndup(a, text, len);
    s->len = len;
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '\n';
    s->lines = arena_alloc(a, n * sizeof *s->lines);
    s->lines[0] = 0;
    s->nlines = 1;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            s->lines[s->nlines++] = (uint32_t)(i + 1);
    return s;
}

Source *source_load(Arena *a, const char *path, const char **err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        *err = arena_printf(a, _("cannot open %s: %s"), path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = xmalloc(cap);
    for (;;) {
        if (len == cap) {
            if (cap >= SOURCE_MAX_BYTES) {
                *err = arena_printf(a, _("%s is larger than the limit of %u MiB for a rubric file"),
                                    path, SOURCE_MAX_BYTES >> 20);
                goto fail;
            }
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (k == 0) {
            if (ferror(f)) {
                *err = arena_printf(a, _("cannot read %s: %s"), path, strerror(errno));
                goto fail;
            }
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    Source *s = source_from_text(a, path, buf, len);
    free(buf);
    return s;
fail:
    if (f != stdin)
        fclose(f);
    free(buf);
    return NULL;
}

int source_line(const Source *s, size_t off)
{
    size_t lo = 0, hi = s->nlines;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->lines[mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo + 1;
}

int source_col(const Source *s, size_t off)
{
    int line = source_line(s, off);
    size_t start = s->lines[line - 1];
    if (off > s->len)
        off = s->len;
    return (int)utf8_chars(s->text + start, off - start) + 1;
}

const char *source_line_text(const Source *s, int n, size_t *len)
{
    size_t start = s->lines[n - 1];
    size_t end = (size_t)n < s->nlines ? s->lines[n] - 1 : s->len;
    if (end > start && s->text[end - 1] == '\r')
        end--;
    *len = end - start;
    return s->text + start;
}

const char *source_one_line(Arena *a, const Source *src, uint32_t start, uint32_t end)
{
    const char *s = src->text + start, *e = src->text + end;
    char *buf = arena_alloc(a, (size_t)(e - s) + 1), *d = buf;
    bool blank = false;
    const char *close = NULL; /* inside a string: its closing quote */
    while (s < e) {
        if (close) {
            size_t cl = strlen(close);
            if ((size_t)(e - s) >= cl && memcmp(s, close, cl) == 0) {
                memcpy(d, s, cl), d += cl, s += cl;
                close = NULL;
            } else {
                *d++ = *s++;
            }
            continue;
        }
        uint32_t cp = 0;
        int n = utf8_decode(s, (size_t)(e - s), &cp);
        if (n <= 0)
            n = 1, cp = 0xFFFD;
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0 || cp == 0x3000 ||
            (cp >= 0x2000 && cp <= 0x200A)) {
            blank = d > buf;
            s += n;
            continue;
        }
        if (cp == '#' || cp == 0xFF03) {
            while (s < e && *s != '\n')
                s++;
            continue;
        }
        if (blank)
            *d++ = ' ', blank = false;
        close = cp == '"'      ? "\""
                : cp == 0x201C ? "”"
                : cp == 0x300C ? "」"
                : cp == '`'    ? "`"
                               : NULL;
        memcpy(d, s, (size_t)n), d += n, s += n;
    }
    *d = '\0';
    return buf;
}
