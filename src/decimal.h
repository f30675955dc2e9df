/* decimal.h - exact decimal numbers for scoring.
 *
 * A Dec is a signed 128-bit integer counting units of 10^-18: every value has
 * exactly 18 digits after the point and a magnitude below 10^20, so the whole
 * range fits in 128 bits. + and - are exact; * and / are rounded to 18 places
 * half to even; rounding for reports is half away from zero (四舍五入). No
 * binary floating point is used anywhere. An operation whose result reaches
 * 10^20 in magnitude reports DEC_OVERFLOW instead of wrapping. */
#ifndef RUBRIC_DECIMAL_H
#define RUBRIC_DECIMAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 dec_i128;

#define DEC_SCALE 18 /* digits after the point */
#define DEC_BUFSZ 48 /* enough for any formatted Dec and its NUL */

/* 10^k for k in 0..19 (10^19 is the largest power in 64 bits): the one table of
 * powers of ten, for every module that scales decimals. */
extern const uint64_t dec_pow10[20];

typedef struct {
    dec_i128 v; /* the value times 10^18 */
} Dec;

typedef enum {
    DEC_OK,
    DEC_OVERFLOW,  /* magnitude would reach 10^20 */
    DEC_DIVZERO,   /* division by zero */
    DEC_SYNTAX,    /* not a decimal number */
    DEC_PRECISION, /* more digits after the point than allowed */
} DecStatus;

static inline Dec dec_zero(void)
{
    return (Dec){0};
}
/* n / d, and n % d in *rem, for n < d x 2^64 (the quotient fits 64 bits):
 * one hardware divide on x86-64, where the compiler would call its general
 * 128-bit routine. */
static inline uint64_t dec_div_small(unsigned __int128 n, uint64_t d, uint64_t *rem)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    uint64_t q, r;
    __asm__("divq %4" : "=a"(q), "=d"(r) : "a"((uint64_t)n), "d"((uint64_t)(n >> 64)), "rm"(d));
    *rem = r;
    return q;
#else
    *rem = (uint64_t)(n % d);
    return (uint64_t)(n / d);
#endif
}
/* n as a Dec (|n| < 10^20 always holds for int64). */
Dec dec_from_int(int64_t n);
/* Exact sum/difference; DEC_OVERFLOW when out of range. */
DecStatus dec_add(Dec a, Dec b, Dec *r);
DecStatus dec_sub(Dec a, Dec b, Dec *r);
/* Product rounded to 18 places, half to even. */
DecStatus dec_mul(Dec a, Dec b, Dec *r);
/* Quotient rounded to 18 places, half to even; DEC_DIVZERO when b is 0. */
DecStatus dec_div(Dec a, Dec b, Dec *r);
static inline Dec dec_neg(Dec a)
{
    return (Dec){-a.v};
}
static inline Dec dec_abs(Dec a)
{
    return (Dec){a.v < 0 ? -a.v : a.v};
}
static inline int dec_cmp(Dec a, Dec b)
{
    return (a.v > b.v) - (a.v < b.v);
}
static inline bool dec_is_zero(Dec a)
{
    return a.v == 0;
}
static inline bool dec_is_neg(Dec a)
{
    return a.v < 0;
}
/* a rounded to `places` (0..18) digits after the point, half away from zero. */
DecStatus dec_round(Dec a, int places, Dec *r);
/* True when a has no fractional part. */
bool dec_is_integer(Dec a);
/* Parse ASCII `[-]digits[.digits]` (no exponent, no leading '.', no '+', no
 * separators) from s[0..n). More than max_frac digits after the point is
 * DEC_PRECISION (trailing zeros count too); magnitude >= 10^20 DEC_OVERFLOW. */
DecStatus dec_parse(const char *s, size_t n, int max_frac, Dec *r);
/* Shortest exact form: no trailing zeros, no exponent, "-0" printed as "0".
 * Writes a NUL-terminated string to buf (DEC_BUFSZ bytes) and returns its length. */
size_t dec_format(Dec a, char *buf);

/* A number's text as dec_format writes it, made once and then copied row
 * after row: len bytes of s (len <= 15). The struct's 16 bytes may be copied
 * whole, so a writer need not look at len before the copy. */
typedef struct {
    char s[15];
    uint8_t len;
} DecText;

/* d's text into *t; false (t untouched) when it is longer than 15 bytes. */
bool dec_text_fill(Dec d, DecText *t);
/* a / 10^k exactly, for k in 0..18; DEC_PRECISION if digits would be lost. */
DecStatus dec_shift_down(Dec a, int k, Dec *r);
/* a * 10^k, for k in 0..18; DEC_OVERFLOW when out of range. */
DecStatus dec_shift_up(Dec a, int k, Dec *r);

#endif
