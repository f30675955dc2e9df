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

#define P18 1000000000000000000ULL     /* 10^18: one, as a Dec */
#define P19 10000000000000000000ULL    /* 10^19: largest power in 64 bits */
#define LIMIT ((dec_u128)P19 * P19)    /* 10^38: first magnitude out of range */
#define INT_LIMIT ((dec_u128)P19 * 10) /* 10^20: first integer part out of range */

const uint64_t dec_pow10[20] = {
    1ULL,
    10ULL,
    100ULL,
    1000ULL,
    10000ULL,
    100000ULL,
    1000000ULL,
    10000000ULL,
    100000000ULL,
    1000000000ULL,
    10000000000ULL,
    100000000000ULL,
    1000000000000ULL,
    10000000000000ULL,
    100000000000000ULL,
    1000000000000000ULL,
    10000000000000000ULL,
    100000000000000000ULL,
    1000000000000000000ULL,
    10000000000000000000ULL,
};

/* 10^k for k in 0..38 (10^19 and above need more than 64 bits). */
static dec_u128 pow10_wide(int k)
{
    return k < 20 ? (dec_u128)dec_pow10[k] : (dec_u128)dec_pow10[k - 19] * P19;
}

static dec_u128 magnitude(Dec a)
{
    /* unsigned negation is defined for every value, even the most negative */
    return a.v < 0 ? -(dec_u128)a.v : (dec_u128)a.v;
}

static uint64_t lo64(dec_u128 x)
{
    return (uint64_t)x;
}
static uint64_t hi64(dec_u128 x)
{
    return (uint64_t)(x >> 64);
}

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
/* n / d and n % d for n < d * 2^64 (the quotient fits in 64 bits): one
 * hardware divide on x86-64, where the compiler would otherwise call the slow
 * general 128-bit routine. */
static inline uint64_t div_small(dec_u128 n, uint64_t d, uint64_t *rem)
{
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    uint64_t q, r;
    __asm__("divq %4" : "=a"(q), "=d"(r) : "a"(lo64(n)), "d"(hi64(n)), "rm"(d));
    *rem = r;
    return q;
#else
    *rem = (uint64_t)(n % d);
    return (uint64_t)(n / d);
#endif
}

static dec_u128 unscale128(dec_u128 p)
{
    dec_u128 q;
    uint64_t rem;
    if (hi64(p) == 0) {
        uint64_t x = lo64(p);
        q = x / P18;
        rem = x % P18;
    } else if (hi64(p) < P18) {
        q = div_small(p, P18, &rem);
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
    uint64_t q[4] = {0}, rem = 0;
    int top_limb = l[3] != 0 ? 3 : 2;
    if (l[top_limb] < P18) /* a leading limb below 10^18 is all remainder */
        rem = l[top_limb--];
    for (int i = top_limb; i >= 0; i--) /* rem < 10^18, so each step fits */
        q[i] = div_small(((dec_u128)rem << 64) | l[i], P18, &rem);
    dec_u128 qq = ((dec_u128)q[1] << 64) | q[0];
    if (q[3] != 0 || q[2] != 0 || qq >= LIMIT)
        return DEC_OVERFLOW;
    return finish(round_half_even(qq, rem, P18), neg, r);
}

/* (rem * 2^64 + n0) / d for d >= 2^64 and rem < d, so the quotient fits in
 * 64 bits; stores the remainder in *rem_out. This is one step of Knuth's
 * algorithm D (TAOCP 4.3.1) with a two-limb divisor: normalise d so its top
 * bit is set, estimate the quotient from the top limbs, and correct it with
 * the second limb, which for a 3-by-2 step makes the estimate exact. */
static uint64_t div_limb(dec_u128 rem, uint64_t n0, dec_u128 d, dec_u128 *rem_out)
{
    int s = __builtin_clzll(hi64(d));
    dec_u128 v = d << s;
    uint64_t v1 = hi64(v), v0 = lo64(v);
    /* u = (rem:n0) << s; rem < d keeps the top 128 bits within range */
    dec_u128 uh = (rem << s) | (s != 0 ? n0 >> (64 - s) : 0);
    uint64_t u0 = n0 << s;

    dec_u128 qhat, rhat;
    if (hi64(uh) >= v1) {
        qhat = UINT64_MAX;
        rhat = uh - qhat * v1;
    } else {
        qhat = uh / v1;
        rhat = uh - qhat * v1;
    }
    while (hi64(rhat) == 0 && qhat * v0 > ((rhat << 64) | u0)) {
        qhat--;
        rhat += v1;
    }

    /* u - qhat * v, known to lie in [-v, v): compare the top limb for the
     * sign, and take the low 128 bits modulo 2^128 */
    dec_u128 plo = qhat * v0;
    dec_u128 phi = qhat * v1 + hi64(plo);
    dec_u128 ulo = ((dec_u128)lo64(uh) << 64) | u0;
    dec_u128 pl = ((dec_u128)lo64(phi) << 64) | lo64(plo);
    bool below = hi64(uh) < hi64(phi) || (hi64(uh) == hi64(phi) && ulo < pl);
    dec_u128 r = ulo - pl;
    if (below) { /* cannot happen after the exact correction above; kept as a guard */
        qhat--;
        r += v;
    }
    *rem_out = r >> s;
    return lo64(qhat);
}

DecStatus dec_div(Dec a, Dec b, Dec *r)
{
    if (b.v == 0)
        return DEC_DIVZERO;
    bool neg = (a.v < 0) != (b.v < 0);
    dec_u128 ua = magnitude(a), ub = magnitude(b);
    dec_u128 q, rem;

    /* a whole-number divisor k (a full score of 20, a count): a / k needs no
       scaling, a.v / k is the quotient in 10^-18 units, rounded alike */
    if (hi64(ub) < P18) {
        uint64_t frac;
        uint64_t k = div_small(ub, P18, &frac);
        if (frac == 0 && hi64(ua) < k) {
            uint64_t r64;
            q = div_small(ua, k, &r64);
            return finish(round_half_even(q, r64, k), neg, r);
        }
    }

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

    uint64_t q1, q0;
    if (hi64(ub) == 0) {
        /* one-limb divisor: schoolbook division limb by limb, each step a
         * 128-by-64 division whose quotient fits one limb */
        uint64_t d = lo64(ub);
        if (n2 >= d) /* the quotient would need a third limb */
            return DEC_OVERFLOW;
        dec_u128 cur = ((dec_u128)n2 << 64) | n1;
        q1 = lo64(cur / d);
        cur = ((dec_u128)lo64(cur % d) << 64) | n0;
        q0 = lo64(cur / d);
        rem = lo64(cur % d);
    } else {
        /* divisor of two limbs: n2 < ub, so each step's quotient fits one limb */
        q1 = div_limb(n2, n1, ub, &rem);
        q0 = div_limb(rem, n0, ub, &rem);
    }
    q = ((dec_u128)q1 << 64) | q0;
    if (q >= LIMIT) /* also keeps the rounding increment from wrapping */
        return DEC_OVERFLOW;
    return finish(round_half_even(q, rem, ub), neg, r);
}

/* places outside 0..18 are taken as the nearest end of that range */
DecStatus dec_round(Dec a, int places, Dec *r)
{
    if (places >= DEC_SCALE) {
        *r = a;
        return DEC_OK;
    }
    if (places < 0)
        places = 0;
    uint64_t unit = dec_pow10[DEC_SCALE - places];
    dec_u128 ua = magnitude(a);
    uint64_t rem;
    if (hi64(ua) == 0)
        rem = lo64(ua) % unit;
    else if (hi64(ua) < unit)
        div_small(ua, unit, &rem);
    else
        rem = lo64(ua % unit);
    dec_u128 q = ua - rem;
    if (rem >= unit - rem) /* half or more: away from zero */
        q += unit;
    return finish(q, a.v < 0, r);
}

bool dec_is_integer(Dec a)
{
    dec_u128 ua = magnitude(a);
    uint64_t rem;
    if (hi64(ua) == 0)
        return lo64(ua) % P18 == 0;
    if (hi64(ua) < P18) {
        div_small(ua, P18, &rem);
        return rem == 0;
    }
    return ua % P18 == 0;
}

/* The whole text is checked before any value error: a malformed number is
 * DEC_SYNTAX even when its integer part is also out of range; too many
 * fraction digits come before DEC_OVERFLOW. max_frac is clamped to 0..18. */
DecStatus dec_parse(const char *s, size_t n, int max_frac, Dec *r)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && s[i] == '-') {
        neg = true;
        i++;
    }

    /* integer part: 64-bit arithmetic while it has at most 19 digits, then
     * 128-bit; stop accumulating once out of range, but keep checking syntax */
    size_t start = i;
    uint64_t small = 0;
    for (; i < n && s[i] >= '0' && s[i] <= '9' && small < P18; i++)
        small = small * 10 + (unsigned)(s[i] - '0');
    dec_u128 ip = small;
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
    fp *= dec_pow10[DEC_SCALE - nfrac];
    return finish(ip * P18 + fp, neg, r);
}

/* Write the decimal digits of x in front of p (at least `width` of them,
 * zero-padded), two at a time from a table; returns the new start. */
static char *put_digits(char *p, uint64_t x, int width)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324"
                                "25262728293031323334353637383940414243444546474849"
                                "50515253545556575859606162636465666768697071727374"
                                "75767778798081828384858687888990919293949596979899";
    while (x >= 100 || width > 2) {
        unsigned d = (unsigned)(x % 100) * 2;
        x /= 100;
        *--p = pairs[d + 1];
        *--p = pairs[d];
        width -= 2;
    }
    if (x >= 10 || width == 2) {
        *--p = pairs[x * 2 + 1];
        *--p = pairs[x * 2];
    } else {
        *--p = (char)('0' + x);
    }
    return p;
}

bool dec_text_fill(Dec d, DecText *t)
{
    char buf[DEC_BUFSZ];
    size_t n = dec_format(d, buf);
    if (n > sizeof t->s)
        return false;
    memset(t->s, 0, sizeof t->s);
    memcpy(t->s, buf, n);
    t->len = (uint8_t)n;
    return true;
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
    } else if (hi64(ua) < P18) {
        ip_lo = div_small(ua, P18, &fp);
        if (ip_lo >= P19) {
            ip_hi = ip_lo / P19;
            ip_lo %= P19;
        }
    } else {
        dec_u128 ip = ua / P18;
        fp = lo64(ua - ip * P18);
        ip_hi = lo64(ip / P19); /* below 10^2 even for an invalid value */
        ip_lo = lo64(ip % P19);
    }

    if (fp != 0) {
        int nfrac = DEC_SCALE;
        static const uint64_t chunk[] = {100000000, 10000, 100, 10};
        static const int chunk_digits[] = {8, 4, 2, 1};
        for (int c = 0; c < 4; c++) {
            while (fp % chunk[c] == 0) {
                fp /= chunk[c];
                nfrac -= chunk_digits[c];
            }
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

/* k outside 0..18 is reported as DEC_PRECISION here and DEC_OVERFLOW below. */
DecStatus dec_shift_down(Dec a, int k, Dec *r)
{
    if (k < 0 || k > DEC_SCALE)
        return DEC_PRECISION;
    dec_u128 ua = magnitude(a);
    uint64_t d = dec_pow10[k], rem;
    dec_u128 q;
    if (hi64(ua) == 0)
        q = lo64(ua) / d, rem = lo64(ua) % d;
    else if (hi64(ua) < d)
        q = div_small(ua, d, &rem);
    else
        q = ua / d, rem = lo64(ua % d);
    if (rem != 0)
        return DEC_PRECISION;
    r->v = a.v < 0 ? -(dec_i128)q : (dec_i128)q;
    return DEC_OK;
}

DecStatus dec_shift_up(Dec a, int k, Dec *r)
{
    if (k < 0 || k > DEC_SCALE)
        return DEC_OVERFLOW;
    /* |a| * 10^k < 10^38 exactly when |a| < 10^(38-k) */
    if (magnitude(a) >= pow10_wide(38 - k))
        return DEC_OVERFLOW;
    r->v = a.v * (dec_i128)dec_pow10[k];
    return DEC_OK;
}
