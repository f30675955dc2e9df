/* test_decimal.c - unit tests for decimal.c.
 *
 * Fixed cases have their expected digits worked out independently (Python's
 * decimal module, ROUND_HALF_EVEN at 18 places, ROUND_HALF_UP for dec_round).
 * The randomized cases compare dec_mul and dec_div with a slow reference
 * written here on arrays of decimal digits, so the two share no arithmetic. */
#include "unit.h"

#include "decimal.h"

__extension__ typedef unsigned __int128 u128;

#define MAXSTR "99999999999999999999.999999999999999999" /* largest Dec */
#define UNIT "0.000000000000000001"                      /* smallest step */

/* The value of a literal that must parse (18 places allowed). */
static Dec D(const char *s)
{
    Dec r = dec_zero();
    assert_int_equal(dec_parse(s, strlen(s), DEC_SCALE, &r), DEC_OK);
    return r;
}

static void assert_dec(Dec a, const char *want)
{
    char buf[DEC_BUFSZ];
    size_t n = dec_format(a, buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
}

typedef DecStatus (*BinOp)(Dec, Dec, Dec *);

/* a OP b must succeed with result `want`. */
static void check_op(BinOp op, const char *a, const char *b, const char *want)
{
    Dec r;
    assert_int_equal(op(D(a), D(b), &r), DEC_OK);
    assert_dec(r, want);
}

/* a OP b must fail with status `want`, leaving the result untouched. */
static void check_op_fails(BinOp op, const char *a, const char *b, DecStatus want)
{
    Dec r = dec_from_int(42);
    assert_int_equal(op(D(a), D(b), &r), want);
    assert_dec(r, "42");
}

/* ---- + and - ---------------------------------------------------------- */

static void test_add_exact(void **state)
{
    (void)state;
    Dec r;
    assert_int_equal(dec_add(D("0.1"), D("0.2"), &r), DEC_OK);
    assert_int_equal(dec_cmp(r, D("0.3")), 0);
    assert_dec(r, "0.3");
    check_op(dec_sub, "0.3", "0.1", "0.2");
    check_op(dec_sub, "0.1", "0.3", "-0.2");
    check_op(dec_add, "87.2", "-87.2", "0");
    check_op(dec_add, UNIT, "99999999999999999999.999999999999999998", MAXSTR);
    check_op(dec_sub, "-" UNIT, "99999999999999999999.999999999999999998", "-" MAXSTR);
    check_op(dec_add, MAXSTR, "-" MAXSTR, "0");
    check_op(dec_sub, MAXSTR, MAXSTR, "0");
    check_op(dec_sub, "-" MAXSTR, "-" MAXSTR, "0");
}

static void test_add_overflow(void **state)
{
    (void)state;
    check_op_fails(dec_add, MAXSTR, UNIT, DEC_OVERFLOW);
    check_op_fails(dec_add, "-" MAXSTR, "-" UNIT, DEC_OVERFLOW);
    check_op_fails(dec_add, MAXSTR, MAXSTR, DEC_OVERFLOW);
    check_op_fails(dec_add, "-" MAXSTR, "-" MAXSTR, DEC_OVERFLOW);
    check_op_fails(dec_sub, MAXSTR, "-" UNIT, DEC_OVERFLOW);
    check_op_fails(dec_sub, "-" MAXSTR, MAXSTR, DEC_OVERFLOW);
    check_op_fails(dec_sub, MAXSTR, "-" MAXSTR, DEC_OVERFLOW);
    check_op_fails(dec_add, "50000000000000000000", "50000000000000000000", DEC_OVERFLOW);
}

/* ---- * ---------------------------------------------------------------- */

static void test_mul(void **state)
{
    (void)state;
    check_op(dec_mul, "1.5", "12.25", "18.375");
    check_op(dec_mul, "-1.5", "12.25", "-18.375");
    check_op(dec_mul, "-1.5", "-12.25", "18.375");
    check_op(dec_mul, "0", "-12.25", "0");
    check_op(dec_mul, "0.1", "0.1", "0.01");
    check_op(dec_mul, "87.5", "0.2", "17.5");
    check_op(dec_mul, "12345678901234567890.5", "3", "37037036703703703671.5");
    check_op(dec_mul, "99999999999.999999999", "99999999.9", "9999999989999999999.9000000001");
    check_op(dec_mul, "123456789.123456789123456789", "987654321.98765432",
             "121932631356500531.34567901122374638");
    check_op(dec_mul, "-3.000000000000000001", "7.123456789012345678", "-21.370370367037037041");
    check_op(dec_mul, "0.999999999999999999", "0.999999999999999999", "0.999999999999999998");
    check_op(dec_mul, "9999999999.999999999999999999", "9999999999.999999999999999999",
             "99999999999999999999.99999998");
    check_op(dec_mul, MAXSTR, "1", MAXSTR);
    check_op(dec_mul, MAXSTR, "-1", "-" MAXSTR);
    check_op(dec_mul, MAXSTR, UNIT, "100");
    check_op(dec_mul, UNIT, UNIT, "0");
}

static void test_mul_half_even(void **state)
{
    (void)state;
    /* exact products of 0.5, 1.5, 2.5, 3.5 units: ties go to the even one */
    check_op(dec_mul, "0.000000000000000005", "0.1", "0");
    check_op(dec_mul, "0.000000000000000015", "0.1", "0.000000000000000002");
    check_op(dec_mul, "0.000000000000000025", "0.1", "0.000000000000000002");
    check_op(dec_mul, "0.000000000000000035", "0.1", "0.000000000000000004");
    check_op(dec_mul, "-0.000000000000000015", "0.1", "-0.000000000000000002");
    check_op(dec_mul, "-0.000000000000000025", "-0.1", "0.000000000000000002");
    check_op(dec_mul, "-0.000000000000000005", "0.1", "0");
    check_op(dec_mul, "1.000000000000000005", "0.1", "0.1");
    check_op(dec_mul, "1.000000000000000015", "0.1", "0.100000000000000002");
    /* just either side of a tie */
    check_op(dec_mul, UNIT, "0.50000000000000001", UNIT);
    check_op(dec_mul, UNIT, "0.499999999999999999", "0");
    /* ties where one factor is above 2^64 units, product below 2^128 */
    check_op(dec_mul, "12345678901234567890.5", UNIT, "12.34567890123456789");
    check_op(dec_mul, "12345678901234567891.5", UNIT, "12.345678901234567892");
    /* ties where the product needs more than 128 bits */
    check_op(dec_mul, "1234567890123456789.000000000000000001", "0.5", "617283945061728394.5");
    check_op(dec_mul, "1234567890123456789.000000000000000003", "0.5",
             "617283945061728394.500000000000000002");
    check_op(dec_mul, "1234567.000000000000000001", "20.5", "25308623.50000000000000002");
    check_op(dec_mul, "1234567.000000000000000003", "20.5", "25308623.500000000000000062");
    check_op(dec_mul, "-1234567.000000000000000003", "20.5", "-25308623.500000000000000062");
}

static void test_mul_overflow(void **state)
{
    (void)state;
    check_op_fails(dec_mul, "10000000000", "10000000000", DEC_OVERFLOW);
    check_op_fails(dec_mul, "-10000000000", "10000000000", DEC_OVERFLOW);
    check_op_fails(dec_mul, MAXSTR, "1.000000000000000001", DEC_OVERFLOW);
    check_op_fails(dec_mul, MAXSTR, MAXSTR, DEC_OVERFLOW);
    check_op_fails(dec_mul, "-" MAXSTR, MAXSTR, DEC_OVERFLOW);
    check_op_fails(dec_mul, "50000000000000000000", "2", DEC_OVERFLOW);
    /* exact product 10^20 - 10^-36 rounds up to 10^20 */
    check_op_fails(dec_mul, "9999999999.999999999999999999", "10000000000.000000000000000001",
                   DEC_OVERFLOW);
}

/* ---- / ---------------------------------------------------------------- */

static void test_div(void **state)
{
    (void)state;
    check_op(dec_div, "1", "3", "0.333333333333333333");
    check_op(dec_div, "2", "3", "0.666666666666666667");
    check_op(dec_div, "-1", "3", "-0.333333333333333333");
    check_op(dec_div, "2", "-3", "-0.666666666666666667");
    check_op(dec_div, "-2", "-3", "0.666666666666666667");
    check_op(dec_div, "0", "-3", "0");
    check_op(dec_div, "-87.5", "7", "-12.5");
    check_op(dec_div, "1000", "0.3", "3333.333333333333333333");
    check_op(dec_div, "17.5", "100", "0.175");
    check_op(dec_div, "99999999999999999999", "1", "99999999999999999999");
    check_op(dec_div, "0.000000000000000099", UNIT, "99");
    check_op(dec_div, MAXSTR, "3", "33333333333333333333.333333333333333333");
    check_op(dec_div, "12345678901234567890.123456789012345678", "98765432109.876543210987654321",
             "124999998.860937500014238281");
    check_op(dec_div, MAXSTR, MAXSTR, "1");
    check_op(dec_div, "-" MAXSTR, MAXSTR, "-1");
    check_op(dec_div, "1", MAXSTR, "0");
    check_op(dec_div, "500", "99999999999999999999.1234567", "0.000000000000000005");
}

static void test_div_half_even(void **state)
{
    (void)state;
    /* quotients of exactly 0.5, 1.5, 2.5 units */
    check_op(dec_div, UNIT, "2", "0");
    check_op(dec_div, "0.000000000000000003", "2", "0.000000000000000002");
    check_op(dec_div, "0.000000000000000005", "2", "0.000000000000000002");
    check_op(dec_div, "-0.000000000000000005", "2", "-0.000000000000000002");
    check_op(dec_div, "0.000000000000000005", "-2", "-0.000000000000000002");
    /* divisor above 2^64 units, scaled dividend within 128 bits */
    check_op(dec_div, "0.00000000000000001", "20", "0");
    check_op(dec_div, "0.00000000000000003", "20", "0.000000000000000002");
    /* scaled dividend above 2^128, divisor below 2^64 units */
    check_op(dec_div, "1234567890123456789.000000000000000001", "2", "617283945061728394.5");
    check_op(dec_div, "1234567890123456789.000000000000000003", "2",
             "617283945061728394.500000000000000002");
    /* scaled dividend above 2^128, divisor above 2^64 units */
    check_op(dec_div, "1234567890123456789.00000000000000001", "20", "61728394506172839.45");
    check_op(dec_div, "1234567890123456789.00000000000000003", "20",
             "61728394506172839.450000000000000002");
    check_op(dec_div, "-1234567890123456789.00000000000000003", "20",
             "-61728394506172839.450000000000000002");
}

static void test_div_errors(void **state)
{
    (void)state;
    check_op_fails(dec_div, "1", "0", DEC_DIVZERO);
    check_op_fails(dec_div, "0", "0", DEC_DIVZERO);
    check_op_fails(dec_div, "-" MAXSTR, "-0", DEC_DIVZERO);
    check_op_fails(dec_div, "100", UNIT, DEC_OVERFLOW);
    check_op_fails(dec_div, MAXSTR, UNIT, DEC_OVERFLOW);
    check_op_fails(dec_div, MAXSTR, "0.5", DEC_OVERFLOW);
    check_op_fails(dec_div, "-" MAXSTR, "0.999999999999999999", DEC_OVERFLOW);
    check_op_fails(dec_div, "99999999999999999999.9", "0.999999999999999999", DEC_OVERFLOW);
    check_op_fails(dec_div, "10000000000", "0.0000000001", DEC_OVERFLOW);
}

/* ---- rounding for reports ---------------------------------------------- */

static void check_round(const char *a, int places, const char *want)
{
    Dec r;
    assert_int_equal(dec_round(D(a), places, &r), DEC_OK);
    assert_dec(r, want);
}

static void test_round(void **state)
{
    (void)state;
    check_round("2.345", 2, "2.35");
    check_round("-2.345", 2, "-2.35");
    check_round("2.344", 2, "2.34");
    check_round("-2.344", 2, "-2.34");
    check_round("74.995", 2, "75");
    check_round("-74.995", 2, "-75");
    check_round("2.5", 0, "3");
    check_round("-2.5", 0, "-3");
    check_round("0.5", 0, "1");
    check_round("-0.5", 0, "-1");
    check_round("-0.4", 0, "0");
    check_round("0.000000000000000005", 17, "0.00000000000000001");
    check_round("-0.000000000000000005", 17, "-0.00000000000000001");
    check_round("-0.000000000000000004", 17, "0");
    check_round("99999999999999999999.4", 0, "99999999999999999999");
    check_round("12345678901234567890.123456789012345678", 9, "12345678901234567890.123456789");
    check_round("-12345678901234567890.123456789012345675", 17,
                "-12345678901234567890.12345678901234568");
    check_round(MAXSTR, 18, MAXSTR);
    check_round("87.2", 2, "87.2");

    Dec r = dec_from_int(42);
    assert_int_equal(dec_round(D("99999999999999999999.5"), 0, &r), DEC_OVERFLOW);
    assert_int_equal(dec_round(D("-" MAXSTR), 17, &r), DEC_OVERFLOW);
    assert_dec(r, "42");
}

/* ---- parsing and formatting -------------------------------------------- */

static void check_parse(const char *s, int max_frac, const char *want)
{
    Dec r;
    assert_int_equal(dec_parse(s, strlen(s), max_frac, &r), DEC_OK);
    assert_dec(r, want);
}

static void check_parse_fails(const char *s, int max_frac, DecStatus want)
{
    Dec r = dec_from_int(42);
    assert_int_equal(dec_parse(s, strlen(s), max_frac, &r), want);
    assert_dec(r, "42");
}

static void test_parse(void **state)
{
    (void)state;
    check_parse("0", 18, "0");
    check_parse("-0", 18, "0");
    check_parse("-0.000", 18, "0");
    check_parse("007", 0, "7");
    check_parse("0000000000000000000000000000000000000000012", 0, "12");
    check_parse("87.20", 2, "87.2");
    check_parse("-0.5", 1, "-0.5");
    check_parse(UNIT, 18, UNIT);
    check_parse("1.000000000000000000", 18, "1");
    check_parse("92.5", 16, "92.5");
    check_parse(MAXSTR, 18, MAXSTR);
    check_parse("-" MAXSTR, 18, "-" MAXSTR);
    check_parse("99999999999999999999", 0, "99999999999999999999");
    check_parse("18446744073709551616", 0, "18446744073709551616");

    /* the length bounds the text: no NUL is needed */
    Dec r;
    assert_int_equal(dec_parse("12.5x", 4, 18, &r), DEC_OK);
    assert_dec(r, "12.5");
    assert_int_equal(dec_parse("12.5x", 3, 18, &r), DEC_SYNTAX);
}

static void test_parse_errors(void **state)
{
    (void)state;
    static const char *const syntax[] = {
        "",      "+1",  ".5", "5.",  "1e3",  "1E3",   "1,000", " 1", "1 ",
        "1 000", "--1", "-",  "-.5", "1..2", "1.2.3", "0x10",  "½",  "1.-2",
        "-+1",   "1-",  "١",  ".",   "-1.",  "1.5 ",  "inf",
    };
    for (size_t i = 0; i < sizeof syntax / sizeof *syntax; i++)
        check_parse_fails(syntax[i], 18, DEC_SYNTAX);

    check_parse_fails("1.0000000000000000000", 18, DEC_PRECISION);
    check_parse_fails("0.0000000000000000001", 18, DEC_PRECISION);
    check_parse_fails("1.5", 0, DEC_PRECISION);
    check_parse_fails("87.200", 2, DEC_PRECISION);
    check_parse_fails("0.12345678901234567", 16, DEC_PRECISION);

    check_parse_fails("100000000000000000000", 18, DEC_OVERFLOW);
    check_parse_fails("-100000000000000000000", 18, DEC_OVERFLOW);
    check_parse_fails("100000000000000000000.0", 18, DEC_OVERFLOW);
    check_parse_fails("123456789012345678901234567890123456789012345", 18, DEC_OVERFLOW);
    /* a syntax error is reported even after an out-of-range integer part */
    check_parse_fails("100000000000000000000x", 18, DEC_SYNTAX);
}

static void check_format(dec_i128 v, const char *want)
{
    assert_dec((Dec){v}, want);
}

static void test_format(void **state)
{
    (void)state;
    const dec_i128 one = 1000000000000000000;
    check_format(0, "0");
    check_format(-0, "0");
    check_format(1, UNIT);
    check_format(-1, "-" UNIT);
    check_format(872 * one / 10, "87.2");
    check_format(-one / 2, "-0.5");
    check_format(100 * one, "100");
    check_format(-100 * one, "-100");
    check_format(one + 10, "1.00000000000000001");
    /* around 2^64 units, where the digit loop changes path */
    check_format((dec_i128)UINT64_MAX, "18.446744073709551615");
    check_format((dec_i128)UINT64_MAX + 1, "18.446744073709551616");
    check_format(-(dec_i128)UINT64_MAX - 1, "-18.446744073709551616");
    /* around 10^19 in the integer part, where it splits in two */
    check_format((dec_i128)10000000000000000000u * one - 1,
                 "9999999999999999999.999999999999999999");
    check_format((dec_i128)10000000000000000000u * one, "10000000000000000000");
    check_format((dec_i128)10000000000000000000u * one + 5 * one, "10000000000000000005");
    check_format((dec_i128)10000000000000000000u * 10 * one - 1, MAXSTR);
    check_format(-((dec_i128)10000000000000000000u * 10 * one - 1), "-" MAXSTR);
    check_format((dec_i128)10000000000000000000u * 10 * one - one, "99999999999999999999");
    check_format((dec_i128)12345678901234567890u * one + 700000000000000000,
                 "12345678901234567890.7");

    char buf[DEC_BUFSZ];
    assert_int_equal(dec_format(D("-" MAXSTR), buf), 40);
}

/* ---- shifts and small helpers ------------------------------------------ */

static void test_shift(void **state)
{
    (void)state;
    Dec r;
    assert_int_equal(dec_shift_down(D("92"), 2, &r), DEC_OK);
    assert_dec(r, "0.92");
    assert_int_equal(dec_shift_down(D("-92.5"), 2, &r), DEC_OK);
    assert_dec(r, "-0.925");
    assert_int_equal(dec_shift_down(D("0.1234567890123456"), 2, &r), DEC_OK);
    assert_dec(r, "0.001234567890123456");
    assert_int_equal(dec_shift_down(D(MAXSTR), 0, &r), DEC_OK);
    assert_dec(r, MAXSTR);
    assert_int_equal(dec_shift_down(D("1"), 18, &r), DEC_OK);
    assert_dec(r, UNIT);
    r = dec_from_int(42);
    assert_int_equal(dec_shift_down(D("0.12345678901234567"), 2, &r), DEC_PRECISION);
    assert_int_equal(dec_shift_down(D(UNIT), 1, &r), DEC_PRECISION);
    assert_int_equal(dec_shift_down(D("-1.5"), 18, &r), DEC_PRECISION);
    assert_dec(r, "42");

    assert_int_equal(dec_shift_up(D("0.925"), 2, &r), DEC_OK);
    assert_dec(r, "92.5");
    assert_int_equal(dec_shift_up(D("-" UNIT), 18, &r), DEC_OK);
    assert_dec(r, "-1");
    assert_int_equal(dec_shift_up(D("9999999999999999999.9"), 1, &r), DEC_OK);
    assert_dec(r, "99999999999999999999");
    assert_int_equal(dec_shift_up(D("99.999999999999999999"), 18, &r), DEC_OK);
    assert_dec(r, "99999999999999999999");
    r = dec_from_int(42);
    assert_int_equal(dec_shift_up(D("10000000000000000000"), 1, &r), DEC_OVERFLOW);
    assert_int_equal(dec_shift_up(D("-10000000000000000000"), 1, &r), DEC_OVERFLOW);
    assert_int_equal(dec_shift_up(D("100"), 18, &r), DEC_OVERFLOW);
    assert_int_equal(dec_shift_up(D(MAXSTR), 1, &r), DEC_OVERFLOW);
    assert_dec(r, "42");
}

static void test_int_helpers(void **state)
{
    (void)state;
    assert_dec(dec_from_int(0), "0");
    assert_dec(dec_from_int(-7), "-7");
    assert_dec(dec_from_int(INT64_MAX), "9223372036854775807");
    assert_dec(dec_from_int(INT64_MIN), "-9223372036854775808");
    assert_true(dec_is_integer(dec_from_int(INT64_MIN)));
    assert_true(dec_is_integer(D("-0")));
    assert_true(dec_is_integer(D("99999999999999999999")));
    assert_true(dec_is_integer(D("-12.000")));
    assert_false(dec_is_integer(D("12.5")));
    assert_false(dec_is_integer(D("-" UNIT)));
    assert_false(dec_is_integer(D(MAXSTR)));
    assert_int_equal(dec_cmp(D("-0.5"), D("0.25")), -1);
    assert_int_equal(dec_cmp(D(MAXSTR), D("-" MAXSTR)), 1);
}

/* ---- a slow reference on decimal digit arrays --------------------------- */

#define BIG_DIGITS 120

typedef struct {
    int n;                       /* digits in use; 0 for zero */
    unsigned char d[BIG_DIGITS]; /* least significant first */
} Big;

static Big big_from(u128 x)
{
    Big b = {0, {0}};
    while (x != 0) {
        b.d[b.n++] = (unsigned char)(x % 10);
        x /= 10;
    }
    return b;
}

static void big_trim(Big *b)
{
    while (b->n > 0 && b->d[b->n - 1] == 0)
        b->n--;
}

static Big big_mul(const Big *a, const Big *b)
{
    unsigned acc[BIG_DIGITS] = {0};
    Big r = {0, {0}};
    for (int i = 0; i < a->n; i++)
        for (int j = 0; j < b->n; j++)
            acc[i + j] += (unsigned)a->d[i] * b->d[j];
    unsigned carry = 0;
    for (int k = 0; k < BIG_DIGITS; k++) {
        carry += acc[k];
        r.d[k] = (unsigned char)(carry % 10);
        carry /= 10;
    }
    r.n = BIG_DIGITS;
    big_trim(&r);
    return r;
}

static int big_cmp(const Big *a, const Big *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i])
            return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

/* a -= b, for a >= b */
static void big_sub(Big *a, const Big *b)
{
    int borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int x = a->d[i] - borrow - (i < b->n ? b->d[i] : 0);
        borrow = x < 0;
        a->d[i] = (unsigned char)(x + 10 * borrow);
    }
    big_trim(a);
}

/* The reference result from a rounded magnitude q, or DEC_OVERFLOW. */
static DecStatus big_result(const Big *q, bool round_up, bool neg, Dec *r)
{
    if (q->n > 38)
        return DEC_OVERFLOW;
    u128 v = 0;
    for (int i = q->n - 1; i >= 0; i--)
        v = v * 10 + q->d[i];
    v += round_up;
    if (v >= (u128)10000000000000000000u * 10000000000000000000u)
        return DEC_OVERFLOW;
    r->v = neg ? -(dec_i128)v : (dec_i128)v;
    return DEC_OK;
}

static u128 mag(Dec a)
{
    return a.v < 0 ? -(u128)a.v : (u128)a.v;
}

static DecStatus ref_mul(Dec a, Dec b, Dec *r)
{
    Big x = big_from(mag(a)), y = big_from(mag(b));
    Big p = big_mul(&x, &y);
    /* drop 18 digits: the dropped part decides the rounding */
    Big q = {0, {0}};
    uint64_t dropped = 0;
    for (int i = 17; i >= 0; i--)
        dropped = dropped * 10 + p.d[i];
    for (int i = 18; i < p.n; i++)
        q.d[q.n++] = p.d[i];
    const uint64_t half = 500000000000000000u;
    bool up = dropped > half || (dropped == half && q.n > 0 && (q.d[0] & 1));
    return big_result(&q, up, (a.v < 0) != (b.v < 0), r);
}

static DecStatus ref_div(Dec a, Dec b, Dec *r)
{
    if (b.v == 0)
        return DEC_DIVZERO;
    Big num = big_from(mag(a)), den = big_from(mag(b));
    /* num * 10^18, most significant digit first */
    unsigned char digits[BIG_DIGITS];
    int nd = 0;
    for (int i = num.n - 1; i >= 0; i--)
        digits[nd++] = num.d[i];
    for (int i = 0; i < 18; i++)
        digits[nd++] = 0;

    unsigned char qdig[BIG_DIGITS];
    Big rem = {0, {0}};
    for (int k = 0; k < nd; k++) {
        /* rem = rem * 10 + digit */
        memmove(rem.d + 1, rem.d, (size_t)rem.n);
        rem.d[0] = digits[k];
        rem.n++;
        big_trim(&rem);
        unsigned char c = 0;
        while (big_cmp(&rem, &den) >= 0) {
            big_sub(&rem, &den);
            c++;
        }
        qdig[k] = c;
    }
    Big q = {0, {0}};
    for (int k = nd - 1; k >= 0; k--)
        q.d[q.n++] = qdig[k];
    big_trim(&q);

    /* compare 2 * rem with den */
    Big twice = rem;
    int carry = 0;
    for (int i = 0; i < twice.n || carry; i++) {
        int x = (i < twice.n ? twice.d[i] : 0) * 2 + carry;
        twice.d[i] = (unsigned char)(x % 10);
        carry = x / 10;
        if (i >= twice.n)
            twice.n = i + 1;
    }
    int c = big_cmp(&twice, &den);
    bool up = c > 0 || (c == 0 && q.n > 0 && (q.d[0] & 1));
    return big_result(&q, up, (a.v < 0) != (b.v < 0), r);
}

/* ---- randomized cross-checks ------------------------------------------- */

typedef struct {
    uint64_t s; /* LCG state */
} Rng;

static uint64_t rng_next(Rng *g)
{
    g->s = g->s * 6364136223846793005u + 1442695040888963407u;
    return g->s >> 17;
}

/* A value of 1..38 random digits, either sign; sometimes zero, sometimes a
 * short decimal such as real rubrics use, sometimes an odd number of units
 * or a small power of two so that ties come up. */
static Dec rand_dec(Rng *g)
{
    u128 v = 0;
    const u128 one = 1000000000000000000u;
    switch (rng_next(g) % 8) {
    case 0:
        v = 0;
        break;
    case 1: /* NNN.NN */
        v = (u128)(rng_next(g) % 100000) * (one / 100);
        break;
    case 2: /* 2^k units times 10^j */
        v = ((u128)1 << (rng_next(g) % 6)) * (u128)1000000000000000000u;
        for (int j = (int)(rng_next(g) % 21); j > 0; j--)
            v /= 10;
        break;
    default: {
        int nd = 1 + (int)(rng_next(g) % 38);
        for (int i = 0; i < nd; i++)
            v = v * 10 + rng_next(g) % 10;
        break;
    }
    }
    dec_i128 s = (dec_i128)v;
    return (Dec){(rng_next(g) & 1) ? -s : s};
}

static void check_same(DecStatus got, Dec r, DecStatus want, Dec ref, Dec a, Dec b, char op)
{
    if (got != want || (got == DEC_OK && r.v != ref.v)) {
        char sa[DEC_BUFSZ], sb[DEC_BUFSZ], sr[DEC_BUFSZ], sf[DEC_BUFSZ];
        dec_format(a, sa);
        dec_format(b, sb);
        dec_format(r, sr);
        dec_format(ref, sf);
        fail_msg("%s %c %s: got status %d value %s, reference status %d value %s", sa, op, sb, got,
                 sr, want, sf);
    }
}

static void test_random_mul(void **state)
{
    (void)state;
    Rng g = {20240601};
    for (int i = 0; i < 3000; i++) {
        Dec a = rand_dec(&g), b = rand_dec(&g), r = dec_zero(), ref = dec_zero();
        DecStatus want = ref_mul(a, b, &ref);
        DecStatus got = dec_mul(a, b, &r);
        check_same(got, r, want, ref, a, b, '*');
    }
}

static void test_random_div(void **state)
{
    (void)state;
    Rng g = {7};
    for (int i = 0; i < 3000; i++) {
        Dec a = rand_dec(&g), b = rand_dec(&g), r = dec_zero(), ref = dec_zero();
        DecStatus want = ref_div(a, b, &ref);
        DecStatus got = dec_div(a, b, &r);
        check_same(got, r, want, ref, a, b, '/');
    }
}

static void test_random_round_trip(void **state)
{
    (void)state;
    Rng g = {99};
    for (int i = 0; i < 3000; i++) {
        Dec a = rand_dec(&g), back = dec_from_int(42);
        char buf[DEC_BUFSZ];
        size_t n = dec_format(a, buf);
        assert_int_equal(dec_parse(buf, n, DEC_SCALE, &back), DEC_OK);
        assert_true(back.v == a.v);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_exact),
        cmocka_unit_test(test_add_overflow),
        cmocka_unit_test(test_mul),
        cmocka_unit_test(test_mul_half_even),
        cmocka_unit_test(test_mul_overflow),
        cmocka_unit_test(test_div),
        cmocka_unit_test(test_div_half_even),
        cmocka_unit_test(test_div_errors),
        cmocka_unit_test(test_round),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_shift),
        cmocka_unit_test(test_int_helpers),
        cmocka_unit_test(test_random_mul),
        cmocka_unit_test(test_random_div),
        cmocka_unit_test(test_random_round_trip),
    };
    return cmocka_run_group_tests_name("decimal", tests, NULL, NULL);
}
