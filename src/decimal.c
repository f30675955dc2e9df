/* decimal.c - exact decimal arithmetic on 128-bit fixed point; see decimal.h.
 *
 * A value is an integer count of 10^-18 units held in a signed __int128, so
 * + and - are plain integer operations with a range check. * and / need more
 * than 128 bits in between (a product of two values is up to 256 bits, a
 * dividend scaled by 10^18 up to 188 bits); they work on unsigned magnitudes
 * split into 64-bit limbs, with unsigned __int128 holding each partial
 * product, and take a short native path whenever the intermediate fits in 128
 * bits, which is the usual case for the small numbers of real rubrics.
 * Signed arithmetic is only ever done where it cannot overflow: magnitudes are
 * taken as unsigned and the sign is put back on a result known to be in range.
 * Every function leaves *r untouched when it reports an error. */
#include "decimal.h"

#include <string.h>

__extension__ typedef unsigned __int128 dec_u128;

#define P18 1000000000000000000ULL           /* 10^18: one, as a Dec */
#define P19 10000000000000000000ULL          /* 10^19: largest power in 64 bits */
#define LIMIT ((dec_u128)P19 * P19)          /* 10^38: first magnitude out of range */
#define INT_LIMIT ((dec_u128)P19 * 10)       /* 10^20: first integer part out of range */

/* 10^k for k in 0..38; 10^19 and above need more than 64 bits. */
static const dec_u128 pow10_tab[39] = {
    1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL, 10000000ULL,
    100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
    10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
    100000000000000000ULL, P18, P19,
    (dec_u128)P19 * 10ULL, (dec_u128)P19 * 100ULL, (dec_u128)P19 * 1000ULL,
    (dec_u128)P19 * 10000ULL, (dec_u128)P19 * 100000ULL, (dec_u128)P19 * 1000000ULL,
    (dec_u128)P19 * 10000000ULL, (dec_u128)P19 * 100000000ULL,
    (dec_u128)P19 * 1000000000ULL, (dec_u128)P19 * 10000000000ULL,
    (dec_u128)P19 * 100000000000ULL, (dec_u128)P19 * 1000000000000ULL,
    (dec_u128)P19 * 10000000000000ULL, (dec_u128)P19 * 100000000000000ULL,
    (dec_u128)P19 * 1000000000000000ULL, (dec_u128)P19 * 10000000000000000ULL,
    (dec_u128)P19 * 100000000000000000ULL, (dec_u128)P19 * P18, (dec_u128)P19 * P19,
};

static dec_u128 magnitude(Dec a)
{
    /* unsigned negation is defined for every value, even the most negative */
    return a.v < 0 ? -(dec_u128)a.v : (dec_u128)a.v;
}

static uint64_t lo64(dec_u128 x) { return (uint64_t)x; }
static uint64_t hi64(dec_u128 x) { return (uint64_t)(x >> 64); }

/* Store the magnitude q with the given sign, or report it out of range. */
static DecStatus finish(dec_u128 q, bool neg, Dec *r)
{
    if (q >= LIMIT)
        return DEC_OVERFLOW;
    r->v = neg ? -(dec_i128)q : (dec_i128)q;
    return DEC_OK;
}

/* q rounded by a remainder rem of divisor d, half to even. */
static dec_u128 round_half_even(dec_u128 q, dec_u128 rem, dec_u128 d)
{
    dec_u128 rest = d - rem; /* 2*rem vs d without overflowing */
    if (rem > rest || (rem == rest && (q & 1)))
        q++;
    return q;
}

Dec dec_from_int(int64_t n)
{
    return (Dec){(dec_i128)n * (dec_i128)P18};
}

DecStatus dec_add(Dec a, Dec b, Dec *r)
{
    dec_i128 s;
    if (__builtin_add_overflow(a.v, b.v, &s) || s >= (dec_i128)LIMIT || s <= -(dec_i128)LIMIT)
        return DEC_OVERFLOW;
    r->v = s;
    return DEC_OK;
}

DecStatus dec_sub(Dec a, Dec b, Dec *r)
{
    dec_i128 s;
    if (__builtin_sub_overflow(a.v, b.v, &s) || s >= (dec_i128)LIMIT || s <= -(dec_i128)LIMIT)
        return DEC_OVERFLOW;
    r->v = s;
    return DEC_OK;
}

/* A 128-bit product divided by 10^18, rounded half to even. */
static dec_u128 unscale128(dec_u128 p)
{
    dec_u128 q;
    uint64_t rem;
    if (hi64(p) == 0) {
        uint64_t x = lo64(p);
        q = x / P18;
        rem = x % P18;
    } else {
        q = p / P18;
        rem = lo64(p - q * P18);
    }
    return round_half_even(q, rem, P18);
}

DecStatus dec_mul(Dec a, Dec b, Dec *r)
{
    bool neg = (a.v < 0) != (b.v < 0);
    dec_u128 ua = magnitude(a), ub = magnitude(b);
    if (hi64(ua) == 0 && hi64(ub) == 0)
        return finish(unscale128((dec_u128)lo64(ua) * lo64(ub)), neg, r);

    /* 128 x 128 -> 256 bits, as four 64-bit limbs l[0] (low) .. l[3] */
    uint64_t a0 = lo64(ua), a1 = hi64(ua), b0 = lo64(ub), b1 = hi64(ub);
    dec_u128 p00 = (dec_u128)a0 * b0, p01 = (dec_u128)a0 * b1;
    dec_u128 p10 = (dec_u128)a1 * b0, p11 = (dec_u128)a1 * b1;
    dec_u128 mid = (dec_u128)hi64(p00) + lo64(p01) + lo64(p10);
    dec_u128 top = (dec_u128)hi64(mid) + hi64(p01) + hi64(p10) + lo64(p11);
    uint64_t l[4] = {lo64(p00), lo64(mid), lo64(top), hi64(top) + hi64(p11)};
    if (l[3] == 0 && l[2] == 0)
        return finish(unscale128(((dec_u128)l[1] << 64) | l[0]), neg, r);

    /* long division by 10^18 one limb at a time; rem < 10^18 keeps each
     * step's quotient within 64 bits */
    uint64_t q[4], rem = 0;
    for (int i = 3; i >= 0; i--) {
        dec_u128 cur = ((dec_u128)rem << 64) | l[i];
        q[i] = lo64(cur / P18);
        rem = lo64(cur % P18);
    }
    dec_u128 qq = ((dec_u128)q[1] << 64) | q[0];
    if (q[3] != 0 || q[2] != 0 || qq >= LIMIT)
        return DEC_OVERFLOW;
    return finish(round_half_even(qq, rem, P18), neg, r);
}

DecStatus dec_div(Dec a, Dec b, Dec *r)
{
    if (b.v == 0)
        return DEC_DIVZERO;
    bool neg = (a.v < 0) != (b.v < 0);
    dec_u128 ua = magnitude(a), ub = magnitude(b);
    dec_u128 q, rem;

    if (ua <= (dec_u128)-1 / P18) {
        /* the scaled dividend fits in 128 bits */
        dec_u128 n = ua * P18;
        if (hi64(n) == 0 && hi64(ub) == 0) {
            q = lo64(n) / lo64(ub);
            rem = lo64(n) % lo64(ub);
        } else {
            q = n / ub;
            rem = n - q * ub;
        }
        return finish(round_half_even(q, rem, ub), neg, r);
    }

    /* ua * 10^18 as three limbs n2:n1:n0 (below 2^188 since ua < 2^128) */
    dec_u128 p0 = (dec_u128)lo64(ua) * P18, p1 = (dec_u128)hi64(ua) * P18;
    dec_u128 t = (dec_u128)hi64(p0) + lo64(p1);
    uint64_t n0 = lo64(p0), n1 = lo64(t), n2 = hi64(p1) + hi64(t);

    if (hi64(ub) == 0) {
        /* 64-bit divisor: schoolbook division limb by limb */
        uint64_t d = lo64(ub), limbs[3] = {n0, n1, n2}, ql[3], rm = 0;
        for (int i = 2; i >= 0; i--) {
            dec_u128 cur = ((dec_u128)rm << 64) | limbs[i];
            ql[i] = lo64(cur / d);
            rm = lo64(cur % d);
        }
        if (ql[2] != 0)
            return DEC_OVERFLOW;
        q = ((dec_u128)ql[1] << 64) | ql[0];
        rem = rm;
    } else {
        /* divisor of 65..128 bits: the top two limbs divide natively (their
         * quotient fits in 64 bits because ub >= 2^64), then the low limb is
         * brought down bit by bit; rem < ub <= 2^127, so 2*rem+1 fits */
        dec_u128 hi = ((dec_u128)n2 << 64) | n1;
        dec_u128 qh = hi / ub;
        uint64_t ql = 0;
        rem = hi - qh * ub;
        for (int bit = 63; bit >= 0; bit--) {
            rem = (rem << 1) | ((n0 >> bit) & 1);
            ql <<= 1;
            if (rem >= ub) {
                rem -= ub;
                ql |= 1;
            }
        }
        q = (qh << 64) | ql;
    }
    if (q >= LIMIT) /* also keeps the rounding increment from wrapping */
        return DEC_OVERFLOW;
    return finish(round_half_even(q, rem, ub), neg, r);
}

DecStatus dec_round(Dec a, int places, Dec *r)
{
    if (places >= DEC_SCALE) {
        *r = a;
        return DEC_OK;
    }
    if (places < 0)
        places = 0;
    uint64_t unit = (uint64_t)pow10_tab[DEC_SCALE - places];
    dec_u128 ua = magnitude(a);
    uint64_t rem = hi64(ua) == 0 ? lo64(ua) % unit : lo64(ua % unit);
    dec_u128 q = ua - rem;
    if (rem >= unit - rem) /* half or more: away from zero */
        q += unit;
    return finish(q, a.v < 0, r);
}

bool dec_is_integer(Dec a)
{
    return a.v % (dec_i128)P18 == 0;
}

DecStatus dec_parse(const char *s, size_t n, int max_frac, Dec *r)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && s[i] == '-') {
        neg = true;
        i++;
    }

    /* integer part: stop accumulating once out of range, keep checking syntax */
    size_t start = i;
    dec_u128 ip = 0;
    bool too_big = false;
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        if (!too_big) {
            ip = ip * 10 + (unsigned)(s[i] - '0');
            too_big = ip >= INT_LIMIT;
        }
    }
    if (i == start)
        return DEC_SYNTAX;

    uint64_t fp = 0;
    size_t nfrac = 0;
    if (i < n && s[i] == '.') {
        size_t fstart = ++i;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            if (nfrac < DEC_SCALE)
                fp = fp * 10 + (unsigned)(s[i] - '0');
            nfrac++;
        }
        if (i == fstart)
            return DEC_SYNTAX;
    }
    if (i != n)
        return DEC_SYNTAX;

    if (max_frac > DEC_SCALE)
        max_frac = DEC_SCALE;
    if (max_frac < 0)
        max_frac = 0;
    if (nfrac > (size_t)max_frac)
        return DEC_PRECISION;
    if (too_big)
        return DEC_OVERFLOW;
    fp *= (uint64_t)pow10_tab[DEC_SCALE - nfrac];
    return finish(ip * P18 + fp, neg, r);
}

/* Write the decimal digits of x in front of p (at least `width` of them,
 * zero-padded); returns the new start. */
static char *put_digits(char *p, uint64_t x, int width)
{
    do {
        *--p = (char)('0' + x % 10);
        x /= 10;
        width--;
    } while (x != 0 || width > 0);
    return p;
}

size_t dec_format(Dec a, char *buf)
{
    char tmp[DEC_BUFSZ];
    char *end = tmp + sizeof tmp, *p = end;
    dec_u128 ua = magnitude(a);
    uint64_t ip_hi = 0, ip_lo, fp;
    if (hi64(ua) == 0) {
        ip_lo = lo64(ua) / P18;
        fp = lo64(ua) % P18;
    } else {
        dec_u128 ip = ua / P18;
        fp = lo64(ua - ip * P18);
        ip_hi = lo64(ip / P19); /* below 10^2 even for an invalid value */
        ip_lo = lo64(ip % P19);
    }

    if (fp != 0) {
        int nfrac = DEC_SCALE;
        while (fp % 10 == 0) {
            fp /= 10;
            nfrac--;
        }
        p = put_digits(p, fp, nfrac);
        *--p = '.';
    }
    if (ip_hi != 0) {
        p = put_digits(p, ip_lo, 19);
        p = put_digits(p, ip_hi, 1);
    } else {
        p = put_digits(p, ip_lo, 1);
    }
    if (a.v < 0)
        *--p = '-';

    size_t len = (size_t)(end - p);
    memcpy(buf, p, len);
    buf[len] = '\0';
    return len;
}

DecStatus dec_shift_down(Dec a, int k, Dec *r)
{
    if (k < 0 || k > DEC_SCALE)
        return DEC_PRECISION;
    dec_i128 d = (dec_i128)pow10_tab[k];
    if (a.v % d != 0)
        return DEC_PRECISION;
    r->v = a.v / d;
    return DEC_OK;
}

DecStatus dec_shift_up(Dec a, int k, Dec *r)
{
    if (k < 0 || k > DEC_SCALE)
        return DEC_OVERFLOW;
    /* |a| * 10^k < 10^38 exactly when |a| < 10^(38-k) */
    if (magnitude(a) >= pow10_tab[38 - k])
        return DEC_OVERFLOW;
    r->v = a.v * (dec_i128)pow10_tab[k];
    return DEC_OK;
}
