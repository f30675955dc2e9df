/* facts_value.c - a fact value as written turned into a typed Value (see
 * facts.h): numbers, whole numbers, percents, 是/否 and text, with the range
 * check and the message that says what was expected. */
#include "facts_impl.h"

#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "utf8.h"

/* ---- typed values ---- */

static const char *type_words(FactType t)
{
    switch (t) {
    case FT_NUMBER:
        return _("a number");
    case FT_INTEGER:
        return _("a whole number");
    case FT_PERCENT:
        return _("a percent");
    case FT_BOOL:
        return _("是/否 (true/false)");
    case FT_TEXT:
        break;
    }
    return _("text");
}

/* "1e5", "-2.5E-3": a number with an exponent. */
static bool has_exponent(const char *s, size_t n)
{
    size_t i = 0, d = 0;
    if (i < n && s[i] == '-')
        i++;
    while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
        i++, d++;
    if (!d || i >= n || (s[i] != 'e' && s[i] != 'E'))
        return false;
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        i++;
    if (i == n)
        return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i == n;
}

static bool word_is(const char *s, size_t n, const char *w)
{
    return strlen(w) == n && strncasecmp(s, w, n) == 0;
}

/* d (a fraction when pct) as the user would write it. */
static const char *show(Arena *a, Dec d, bool pct)
{
    char buf[DEC_BUFSZ];
    if (pct && dec_shift_up(d, 2, &d) != DEC_OK)
        return "?";
    dec_format(d, buf);
    return arena_printf(a, "%s%s", buf, pct ? "%" : "");
}

/* The common case of a spreadsheet cell, `92`, `-3.5` or `95.73%`, read in one
 * pass: plain ASCII digits, at most 18 of them before the point and few enough
 * after it. Returns false for anything else (spaces, full-width digits, a
 * percent given as a fraction that needs a warning, a value out of range),
 * which the general path below then reads and explains. */
static bool fast_number(const FactSpec *spec, const char *t, size_t n, Dec *out)
{
    Dec d;
    if (!facts_plain_number(t, n, spec->type == FT_PERCENT, spec->type == FT_INTEGER, &d) ||
        (spec->has_lo && dec_cmp(d, spec->lo) < 0) || (spec->has_hi && dec_cmp(d, spec->hi) > 0))
        return false;
    *out = d;
    return true;
}

const char *facts_ambiguous_percent(Arena *a, Dec d)
{
    char buf[DEC_BUFSZ];
    dec_format(d, buf);
    return arena_printf(
        a, _("%s is ambiguous for a percent: it could mean %s or %s%%; write %s or %s%%"), buf,
        show(a, d, true), buf, show(a, d, true), buf);
}

const char *facts_value(const FactSpec *spec, const char *text, size_t len, bool quoted, Arena *a,
                        Value *out, const char **warning)
{
    if (!quoted && len &&
        (spec->type == FT_NUMBER || spec->type == FT_INTEGER || spec->type == FT_PERCENT) &&
        fast_number(spec, text, len, &out->d)) {
        out->kind = spec->type == FT_PERCENT ? VAL_PERCENT : VAL_NUMBER;
        out->b = false;
        out->s = NULL;
        out->len = 0;
        *warning = NULL;
        return NULL;
    }
    memset(out, 0, sizeof *out);
    out->kind = VAL_NONE;
    *warning = NULL;
    if (spec->type == FT_TEXT) {
        if (len || quoted) {
            out->kind = VAL_TEXT;
            out->s = text;
            out->len = len;
        }
        return NULL;
    }
    size_t s = 0, e = len;
    trim(text, &s, &e);
    const char *t = text + s;
    size_t n = e - s;
    /* what was expected (type_words, a gettext lookup) is worded only in a message */
    if (quoted)
        return arena_printf(a, _("expected %s, got the quoted text \"%s\""), type_words(spec->type),
                            snippet(a, text, len));
    if (!n)
        return NULL;
    /* fold full-width digits, ．％－ and the ideographic space */
    const char *f = t;
    size_t fn = n;
    /* 是 and 否 fold to themselves: no copy for the usual yes/no */
    bool yes_no = spec->type == FT_BOOL && n == 3 && (!memcmp(t, "是", 3) || !memcmp(t, "否", 3));
    if (!yes_no && ascii_run(t, n) < n) {
        char *buf = arena_alloc(a, n);
        fn = utf8_fold(t, n, buf);
        size_t fs = 0;
        trim(buf, &fs, &fn);
        f = buf + fs;
        fn -= fs;
    }
    if (spec->type == FT_BOOL) {
        if (word_is(f, fn, "true") || word_is(f, fn, "yes") || (fn == 3 && !memcmp(f, "是", 3)))
            out->b = true;
        else if (!word_is(f, fn, "false") && !word_is(f, fn, "no") &&
                 !(fn == 3 && !memcmp(f, "否", 3)))
            return arena_printf(a, _("expected %s, got \"%s\""), type_words(spec->type),
                                snippet(a, t, n));
        out->kind = VAL_BOOL;
        return NULL;
    }
    bool pct = spec->type == FT_PERCENT, sign = false;
    size_t dn = fn;
    if (dn && f[dn - 1] == '%') {
        sign = true;
        dn--;
        while (dn && (f[dn - 1] == ' ' || f[dn - 1] == '\t'))
            dn--;
    }
    if (sign && !pct)
        return arena_printf(
            a, _("expected %s, got \"%s\" (if it is a rate, declare the fact percent)"),
            type_words(spec->type), snippet(a, t, n));
    Dec d;
    switch (dec_parse(f, dn, pct ? DEC_SCALE - 2 : DEC_SCALE, &d)) {
    case DEC_OK:
        break;
    case DEC_PRECISION:
        return arena_printf(a, _("too many digits after the point in \"%s\""), snippet(a, t, n));
    case DEC_OVERFLOW:
        return arena_printf(a, _("\"%s\" is too large"), snippet(a, t, n));
    default:
        if (has_exponent(f, dn))
            return arena_printf(a, _("\"%s\" is not a number"), snippet(a, t, n));
        if (memchr(f, ',', dn))
            return arena_printf(
                a, _("expected %s, got \"%s\" (write it without thousands separators)"),
                type_words(spec->type), snippet(a, t, n));
        if (memchr(f, 0, dn))
            return arena_printf(a, _("expected %s, got a value holding a NUL byte"),
                                type_words(spec->type));
        return arena_printf(a, _("expected %s, got \"%s\""), type_words(spec->type),
                            snippet(a, t, n));
    }
    if (spec->type == FT_INTEGER && !dec_is_integer(d))
        return arena_printf(a, _("expected %s, got \"%s\""), type_words(spec->type),
                            snippet(a, t, n));
    if (pct) {
        if (!sign && dec_cmp(d, dec_zero()) > 0 && dec_cmp(d, dec_from_int(1)) <= 0)
            return facts_ambiguous_percent(a, d);
        if (dec_shift_down(d, 2, &d) != DEC_OK) /* cannot happen: 16 places at most */
            return arena_printf(a, _("too many digits after the point in \"%s\""),
                                snippet(a, t, n));
    }
    if ((spec->has_lo && dec_cmp(d, spec->lo) < 0) || (spec->has_hi && dec_cmp(d, spec->hi) > 0)) {
        const char *range =
            spec->has_lo && spec->has_hi
                ? arena_printf(a, "%s..%s", show(a, spec->lo, pct), show(a, spec->hi, pct))
            : spec->has_lo ? arena_printf(a, ">= %s", show(a, spec->lo, pct))
                           : arena_printf(a, "<= %s", show(a, spec->hi, pct));
        return arena_printf(a, _("%s is out of the declared range %s"), show(a, d, pct), range);
    }
    out->kind = pct ? VAL_PERCENT : VAL_NUMBER;
    out->d = d;
    return NULL;
}
