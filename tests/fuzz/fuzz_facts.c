/* fuzz_facts.c - bytes as a fact file and as a CSV file.
 *
 * The bytes are written to a temporary file and read through facts_open /
 * facts_next as both kinds; every cell is converted with facts_value for
 * every fact type, with and without a declared range. Invariants: a record
 * either has cells or an error that says why (never an empty message), and
 * a conversion either succeeds or says why. */
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "decimal.h"
#include "facts.h"
#include "fuzz_common.h"
#include "value.h"

static void convert(const FactCell *c, Arena *a)
{
    static const FactType types[] = {FT_NUMBER, FT_INTEGER, FT_PERCENT, FT_BOOL, FT_TEXT};
    for (size_t t = 0; t < sizeof types / sizeof *types; t++) {
        for (int ranged = 0; ranged < 2; ranged++) {
            FactSpec spec = {.type = types[t]};
            if (ranged) {
                spec.has_lo = spec.has_hi = true;
                spec.lo = dec_from_int(0);
                spec.hi = types[t] == FT_PERCENT ? dec_from_int(1) : dec_from_int(100);
            }
            Value v;
            const char *warning = NULL;
            const char *err = facts_value(&spec, c->val, c->val_len, c->quoted, a, &v, &warning);
            if (err)
                FUZZ_ASSERT(*err);
            else if ((v.kind == VAL_NUMBER || v.kind == VAL_PERCENT) && ranged)
                FUZZ_ASSERT(dec_cmp(v.d, spec.lo) >= 0 && dec_cmp(v.d, spec.hi) <= 0);
            if (warning)
                FUZZ_ASSERT(*warning);
        }
    }
}

static void read_all(const char *path)
{
    const char *paths[] = {path};
    FactReader *r = facts_open(paths, 1);
    Arena a;
    arena_init(&a);
    FactRecord rec;
    long n = 0;
    while (facts_next(r, &a, &rec)) {
        FUZZ_ASSERT(++n < 10000000);
        FUZZ_ASSERT(rec.source && *rec.source);
        if (rec.error) {
            FUZZ_ASSERT(*rec.error);
        } else {
            const FactCell *cells = rec.row ? facts_row_cells(&rec, &a) : rec.cells;
            size_t ncells = rec.row ? rec.nheader : rec.ncells; /* a plain CSV row's */
            for (size_t i = 0; i < ncells; i++)
                convert(&cells[i], &a);
        }
        arena_reset(&a);
    }
    facts_close(r);
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    read_all(fuzz_write_file(0, "e.facts", data, size));
    read_all(fuzz_write_file(1, "t.csv", data, size));
    return 0;
}
