/* utf8.c - see utf8.h. Character classes come from the generated unitab.c. */
#include "utf8.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "unitab.h"

int utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0)
        return 0;
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    int len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, v = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, v = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, v = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n < (size_t)len)
        return 0;
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

int utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

bool utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (!k)
            return false;
        i += (size_t)k;
    }
    return true;
}

static bool in_table(const UniRange *t, size_t len, uint32_t cp)
{
    size_t lo = 0, hi = len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < t[mid].lo)
            hi = mid;
        else if (cp > t[mid].hi)
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

bool uni_is_name(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return in_table(unitab_name, unitab_name_len, cp);
}

bool uni_is_invisible(uint32_t cp)
{
    if (cp < 0xA0)
        return (cp < 0x20 && cp != '\t' && cp != '\n') || cp >= 0x7F;
    /* ranges from Unicode's Default_Ignorable_Code_Point and White_Space
       (Cf, Zs, the Hangul fillers), ascending */
    static const uint32_t r[][2] = {
        {0x00A0, 0x00A0}, {0x00AD, 0x00AD},   {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160},
        {0x17B4, 0x17B5}, {0x180B, 0x180F},   {0x2000, 0x200F}, {0x2028, 0x202F}, {0x205F, 0x206F},
        {0x3000, 0x3000}, {0x3164, 0x3164},   {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0},
        {0xFFF0, 0xFFFB}, {0xE0000, 0xE0FFF},
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0] && cp >= r[i][0]; i++)
        if (cp <= r[i][1])
            return true;
    return false;
}

size_t utf8_visible(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (k && uni_is_invisible(cp)) {
            o += (size_t)sprintf(out + o, "<U+%04" PRIX32 ">", cp); /* at most 8 from 1 byte */
        } else {
            k = k ? k : 1;
            memcpy(out + o, s + i, (size_t)k), o += (size_t)k;
        }
        i += (size_t)k;
    }
    out[o] = 0;
    return o;
}

size_t utf8_strip_invisible(const char *s, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        bool keep = !k || !uni_is_invisible(cp);
        if (!k)
            k = 1;
        if (keep)
            memmove(out + o, s + i, (size_t)k), o += (size_t)k;
        i += (size_t)k;
    }
    return o;
}

int uni_width(uint32_t cp)
{
    if (cp < 0x300)
        return 1;
    if (in_table(unitab_zero, unitab_zero_len, cp))
        return 0;
    return in_table(unitab_wide, unitab_wide_len, cp) ? 2 : 1;
}

size_t utf8_width(const char *s, size_t n)
{
    size_t w = 0, i = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (!k) {
            w++, i++;
            continue;
        }
        w += (size_t)uni_width(cp);
        i += (size_t)k;
    }
    return w;
}

size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0, i = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        i += k ? (size_t)k : 1;
        c++;
    }
    return c;
}

uint32_t uni_fold(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFF01 + 0x21;
    if (cp == 0x3000)
        return ' ';
    return cp;
}

size_t utf8_fold_same(const char *s, size_t n)
{
    /* Only U+3000 (E3 80 80) and U+FF01-U+FF5E (EF BC 81 - EF BD 9E) fold, and
       E3 and EF are never continuation bytes: the text before the first of
       them stays as it is (most CJK names hold neither: E4-E9). */
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) { /* eight bytes at a time while none is E3 or EF */
        uint64_t w, x, y;
        memcpy(&w, s + i, 8);
        x = w ^ (0xE3 * ones), y = w ^ (0xEF * ones);
        if (((x - ones) & ~x & highs) | ((y - ones) & ~y & highs)) /* a zero byte in x or y */
            break;
    }
    while (i < n && (unsigned char)s[i] != 0xE3 && (unsigned char)s[i] != 0xEF)
        i++;
    return i;
}

size_t utf8_fold(const char *s, size_t n, char *out)
{
    size_t i = utf8_fold_same(s, n);
    memcpy(out, s, i);
    size_t o = i;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            out[o++] = (char)c;
            i++;
            continue;
        }
        uint32_t cp;
        int k = utf8_decode(s + i, n - i, &cp);
        if (!k) {
            out[o++] = (char)c;
            i++;
            continue;
        }
        uint32_t f = uni_fold(cp);
        if (f != cp)
            o += (size_t)utf8_encode(f, out + o);
        else
            for (int j = 0; j < k; j++)
                out[o++] = s[i + j];
        i += (size_t)k;
    }
    return o;
}
