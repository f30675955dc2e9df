/* unitab.h - sorted, disjoint Unicode code point ranges (see tools/gen_unitab.py). */
#ifndef RUBRIC_UNITAB_H
#define RUBRIC_UNITAB_H
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t lo, hi; /* inclusive bounds */
} UniRange;

extern const UniRange unitab_name[]; /* letters, marks and decimal digits */
extern const size_t unitab_name_len;
extern const UniRange unitab_wide[]; /* East Asian Wide and Fullwidth: two columns */
extern const size_t unitab_wide_len;
extern const UniRange unitab_zero[]; /* combining marks and format characters: zero columns */
extern const size_t unitab_zero_len;

#endif
