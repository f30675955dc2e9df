/* exact.h - exact rationals for everything above an item (edition 2).
 *
 * Item bodies compute in 18-place decimals (decimal.h); contributions,
 * section and group sums, section `score` expressions, floor, cap and rater
 * sums are exact fractions of unbounded size, held in GMP's mpq_t, and each
 * reported number is rounded once from its exact value, half away from zero.
 * This module converts between the two and formats fractions for people. */
#ifndef RUBRIC_EXACT_H
#define RUBRIC_EXACT_H
#include <gmp.h>
#include <stdbool.h>

#include "arena.h"
#include "decimal.h"

/* q = d exactly (canonical). */
void ex_from_dec(mpq_ptr q, Dec d);
/* q = n. */
void ex_from_int(mpq_ptr q, long n);
/* q rounded half away from zero to `places` (0..18) digits; false when the
 * result reaches 10^20 in magnitude (it cannot be held as a Dec). */
bool ex_round(mpq_srcptr q, int places, Dec *out);
/* q rounded to 18 places half to even, the rounding of item-body arithmetic;
 * false when it reaches 10^20. */
bool ex_round_even(mpq_srcptr q, Dec *out);
/* q rounded half away from zero to `places` digits, as an exact value (the
 * `round` function of section expressions); places may be negative. */
void ex_round_q(mpq_ptr r, mpq_srcptr q, int places);
/* True (and *out set) when q is exactly an 18-place decimal below 10^20. */
bool ex_is_dec(mpq_srcptr q, Dec *out);
/* q as a person reads it: a decimal when it has one ("92.5", "-3"), else a
 * fraction in lowest terms ("250/3"). */
const char *ex_text(Arena *a, mpq_srcptr q);
/* Arrange for q (initialised by the caller) to be cleared when a is freed or
 * reset; a place to keep exact values that live as long as a program. */
mpq_ptr ex_arena_new(Arena *a);

#endif
