/* exact.c - exact rationals above the items; see exact.h.
 *
 * A Dec is an integer count of 10^-18 units in 128 bits; GMP has no 128-bit
 * setter, so magnitudes cross over as two 64-bit words. Rounding works on the
 * canonical fraction n/d: n * 10^p divided by d, the remainder compared with
 * half of d, which is exact whatever the sizes. */
#include "exact.h"

#include <string.h>

__extension__ typedef unsigned __int128 ex_u128;

static void mpz_from_i128(mpz_ptr z, dec_i128 v)
{
    ex_u128 m = v < 0 ? -(ex_u128)v : (ex_u128)v;
    uint64_t w[2] = {(uint64_t)m, (uint64_t)(m >> 64)};
    mpz_import(z, 2, -1, sizeof w[0], 0, 0, w);
    if (v < 0)
        mpz_neg(z, z);
}

/* z as a Dec unit count when |z| < 10^38; false otherwise. */
static bool mpz_to_units(mpz_srcptr z, Dec *out)
{
    if (mpz_sizeinbase(z, 2) > 127)
        return false;
    uint64_t w[2] = {0, 0};
    size_t n = 0;
    mpz_export(w, &n, -1, sizeof w[0], 0, 0, z);
    ex_u128 m = (ex_u128)w[1] << 64 | w[0];
    ex_u128 limit = (ex_u128)10000000000000000000ULL * 10000000000000000000ULL; /* 10^38 */
    if (m >= limit)
        return false;
    out->v = mpz_sgn(z) < 0 ? -(dec_i128)m : (dec_i128)m;
    return true;
}

#define P18 1000000000000000000ULL

static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b, b = t;
    }
    return a;
}

void ex_from_dec(mpq_ptr q, Dec d)
{
    /* reduce by gcd(|v|, 10^18) = gcd(|v| mod 10^18, 10^18) in 64 bits: no
       GMP temporaries, no canonicalize */
    ex_u128 m = d.v < 0 ? -(ex_u128)d.v : (ex_u128)d.v;
    uint64_t g = gcd_u64((uint64_t)(m % P18), P18);
    dec_i128 n = d.v / (dec_i128)g;
    if (n >= -(dec_i128)INT64_MAX && n <= (dec_i128)INT64_MAX)
        mpz_set_si(mpq_numref(q), (long)n);
    else
        mpz_from_i128(mpq_numref(q), n);
    mpz_set_ui(mpq_denref(q), (unsigned long)(P18 / g));
}

void ex_from_int(mpq_ptr q, long n)
{
    mpq_set_si(q, n, 1);
}

/* n / d rounded to an integer, half away from zero (d > 0). */
static void div_round_away(mpz_ptr r, mpz_srcptr n, mpz_srcptr d)
{
    bool neg = mpz_sgn(n) < 0; /* before the division: r may be n */
    mpz_t rem;
    mpz_init(rem);
    mpz_tdiv_qr(r, rem, n, d);
    mpz_abs(rem, rem);
    mpz_mul_2exp(rem, rem, 1);
    if (mpz_cmp(rem, d) >= 0)
        neg ? mpz_sub_ui(r, r, 1) : mpz_add_ui(r, r, 1);
    mpz_clear(rem);
}

/* to_units for a fraction whose numerator and denominator fit 64 bits:
 * plain 128-bit arithmetic, no allocation (the per-employee path). */
static bool to_units_small(mpq_srcptr q, int places, bool even, Dec *out)
{
    long n = mpz_get_si(mpq_numref(q));
    uint64_t d = mpz_get_ui(mpq_denref(q));
    ex_u128 m = n < 0 ? (ex_u128)(-(n + 1)) + 1 : (ex_u128)n;
    m *= dec_pow10[places]; /* < 2^63 * 2^60 */
    ex_u128 r = m / d, rem = m % d;
    if (2 * rem > d || (2 * rem == d && (!even || (r & 1))))
        r++;
    ex_u128 limit = (ex_u128)P18 * 100; /* 10^20 */
    limit *= dec_pow10[places];
    if (r >= limit)
        return false;
    r *= dec_pow10[DEC_SCALE - places];
    out->v = n < 0 ? -(dec_i128)r : (dec_i128)r;
    return true;
}

/* q scaled by 10^18 and rounded (half away, or half to even) to units. */
static bool to_units(mpq_srcptr q, int places, bool even, Dec *out)
{
    if (places > DEC_SCALE)
        places = DEC_SCALE;
    if (places < 0)
        places = 0;
    if (mpz_fits_slong_p(mpq_numref(q)) && mpz_fits_ulong_p(mpq_denref(q)))
        return to_units_small(q, places, even, out);
    mpz_t n, r;
    mpz_inits(n, r, NULL);
    mpz_ui_pow_ui(r, 10, (unsigned long)places);
    mpz_mul(n, mpq_numref(q), r);
    if (even) {
        mpz_t rem;
        mpz_init(rem);
        mpz_fdiv_qr(r, rem, n, mpq_denref(q)); /* floor, 0 <= rem < d */
        mpz_mul_2exp(rem, rem, 1);
        int c = mpz_cmp(rem, mpq_denref(q));
        if (c > 0 || (c == 0 && mpz_odd_p(r)))
            mpz_add_ui(r, r, 1);
        mpz_clear(rem);
    } else {
        div_round_away(r, n, mpq_denref(q));
    }
    mpz_ui_pow_ui(n, 10, (unsigned long)(DEC_SCALE - places));
    mpz_mul(r, r, n);
    bool ok = mpz_to_units(r, out);
    if (ok) {
        /* a Dec holds magnitudes below 10^20 */
        mpz_ui_pow_ui(n, 10, 38);
        ok = mpz_cmpabs(r, n) < 0;
    }
    mpz_clears(n, r, NULL);
    return ok;
}

bool ex_round(mpq_srcptr q, int places, Dec *out)
{
    return to_units(q, places, false, out);
}

bool ex_round_even(mpq_srcptr q, Dec *out)
{
    return to_units(q, DEC_SCALE, true, out);
}

void ex_round_q(mpq_ptr r, mpq_srcptr q, int places)
{
    mpz_t p, n;
    mpz_inits(p, n, NULL);
    mpz_ui_pow_ui(p, 10, (unsigned long)(places < 0 ? -places : places));
    if (places >= 0) {
        mpz_mul(n, mpq_numref(q), p);
        div_round_away(n, n, mpq_denref(q));
        mpq_set_num(r, n);
        mpq_set_den(r, p);
    } else {
        mpz_mul(p, p, mpq_denref(q));
        div_round_away(n, mpq_numref(q), p);
        mpz_ui_pow_ui(p, 10, (unsigned long)-places);
        mpz_mul(n, n, p);
        mpq_set_z(r, n);
    }
    mpq_canonicalize(r);
    mpz_clears(p, n, NULL);
}

bool ex_is_dec(mpq_srcptr q, Dec *out)
{
    mpz_t p;
    mpz_init(p);
    mpz_ui_pow_ui(p, 10, DEC_SCALE);
    bool ok = mpz_divisible_p(p, mpq_denref(q));
    if (ok) {
        mpz_divexact(p, p, mpq_denref(q));
        mpz_mul(p, p, mpq_numref(q));
        ok = mpz_to_units(p, out);
        if (ok) {
            mpz_t lim;
            mpz_init(lim);
            mpz_ui_pow_ui(lim, 10, 38);
            ok = mpz_cmpabs(p, lim) < 0;
            mpz_clear(lim);
        }
    }
    mpz_clear(p);
    return ok;
}

static void gmp_free_str(char *t)
{
    void (*freefunc)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &freefunc);
    freefunc(t, strlen(t) + 1);
}

const char *ex_text(Arena *a, mpq_srcptr q)
{
    /* a terminating decimal (denominator 2^i 5^j) prints as one */
    mpz_t d, f;
    mpz_init_set(d, mpq_denref(q));
    mpz_init_set_ui(f, 2);
    unsigned long i = mpz_remove(d, d, f);
    mpz_set_ui(f, 5);
    unsigned long j = mpz_remove(d, d, f);
    bool terminating = mpz_cmp_ui(d, 1) == 0;
    if (!terminating) {
        mpz_clears(d, f, NULL);
        char *t = mpq_get_str(NULL, 10, q);
        const char *s = arena_strndup(a, t, strlen(t));
        gmp_free_str(t);
        return s;
    }
    size_t places = i > j ? i : j;
    mpz_ui_pow_ui(f, 10, places);
    mpz_mul(d, mpq_numref(q), f);
    mpz_divexact(d, d, mpq_denref(q));
    bool neg = mpz_sgn(d) < 0;
    mpz_abs(d, d);
    char *digits = mpz_get_str(NULL, 10, d);
    size_t len = strlen(digits);
    size_t lead = places >= len ? places - len + 1 : 0; /* zeros so a digit precedes '.' */
    size_t total = len + lead, ip = total - places;
    char *s = arena_alloc(a, total + 3), *w = s;
    if (neg)
        *w++ = '-';
    for (size_t k = 0; k < total; k++) {
        if (k == ip)
            *w++ = '.';
        *w++ = k < lead ? '0' : digits[k - lead];
    }
    *w = 0;
    gmp_free_str(digits);
    mpz_clears(d, f, NULL);
    return s;
}

static void clear_q(void *p)
{
    mpq_clear((mpq_ptr)p);
}

mpq_ptr ex_arena_new(Arena *a)
{
    mpq_ptr q = arena_alloc(a, sizeof(mpq_t));
    mpq_init(q);
    arena_on_reset(a, clear_q, q);
    return q;
}
