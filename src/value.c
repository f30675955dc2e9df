/* value.c - values as the reports show them: one place decides how a number,
 * a percent, a boolean or a text reads in messages, explanations and sheets. */
#include "value.h"

#include <string.h>

const char *value_dec_text(Arena *a, Dec d)
{
    char buf[DEC_BUFSZ];
    size_t n = dec_format(d, buf);
    return arena_strndup(a, buf, n);
}

const char *value_percent_text(Arena *a, Dec fraction)
{
    Dec h;
    if (dec_shift_up(fraction, 2, &h) != DEC_OK)
        h = fraction;
    return arena_printf(a, "%s%%", value_dec_text(a, h));
}

const char *value_text(Arena *a, const Value *v)
{
    switch (v->kind) {
    case VAL_NUMBER:
        return value_dec_text(a, v->d);
    case VAL_PERCENT:
        return value_percent_text(a, v->d);
    case VAL_BOOL:
        return v->b ? "是" : "否";
    case VAL_TEXT:
        return arena_printf(a, "\"%.*s\"", (int)v->len, v->s);
    default:
        return "(missing)";
    }
}
