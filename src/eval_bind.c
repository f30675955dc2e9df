/* eval_bind.c - an employee's facts into the evaluator's slots (see eval_impl.h):
 * CSV columns mapped once per header and read by their column plans, fact
 * files line by line, then defaults and the check that every fact has a value. */
#include "eval_impl.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "utf8.h"

/* Slot and rater of a folded key "NAME" or "NAME@RATER"; slot -1 if unknown,
 * rater -1 for a shared value, -2 for an unknown rater. */
static int lookup_key(const Eval *e, const char *key, size_t len, int *rater)
{
    *rater = -1;
    const char *at = memchr(key, '@', len);
    size_t nlen = at ? (size_t)(at - key) : len;
    if (at) {
        *rater = -2;
        const char *r = at + 1;
        size_t rlen = len - nlen - 1;
        for (int i = 0; i < e->nr; i++) {
            const char *rn = e->p->raters[i]->name;
            if (strlen(rn) == rlen && memcmp(rn, r, rlen) == 0)
                *rater = i;
        }
    }
    return check_find_fact(e->p, key, nlen);
}

/* "line N: " for a fact file line's error (wline > 0), else "": built only
 * when there is an error to word, not for every line bound. */
static const char *where_of(Eval *e, int wline)
{
    return wline > 0 ? arena_printf(e->a, _("line %d: "), wline) : "";
}

static bool set_fact(Eval *e, int slot, int rater, const char *val, size_t len, bool quoted,
                     int line, int wline)
{
    const FactInfo *f = &e->p->facts[slot];
    int *given = &e->given[(size_t)(rater + 1) * (size_t)e->nf + (size_t)slot];
    if (*given) {
        e->label = NULL;
        e->label_name = NULL;
        return fail(e, NULL, "%sfact %s is given twice (first on line %d)", where_of(e, wline),
                    f->name, *given);
    }
    *given = line > 0 ? line : 1;
    Value *dst =
        rater >= 0 ? &e->own[(size_t)rater * (size_t)e->nf + (size_t)slot] : &e->shared[slot];
    const char *warning = NULL;
    const char *why = facts_value(&f->spec, val, len, quoted, e->a, dst, &warning);
    if (why) {
        if (rater < 0)
            e->bad[slot] = true;
        e->label = NULL;
        e->label_name = NULL;
        return fail(e, NULL, "%sfact %s: %s", where_of(e, wline), f->name, why);
    }
    if (warning)
        diag_plain(e->d, DIAG_WARNING,
                   e->rec ? (line > 0 && !e->rec->is_csv
                                 ? arena_printf(e->a, "%s:%d", e->rec->source, line)
                                 : e->rec->source)
                          : NULL,
                   "fact %s: %s", f->name, warning);
    if (rater < 0) {
        e->raw[slot] = val;
        e->raw_len[slot] = len;
        e->nset += dst->kind != VAL_NONE;
    }
    return true;
}

static inline bool bytes_are(const char *s, size_t n, const char *w, size_t wn)
{
    return n == wn && memcmp(s, w, n) == 0;
}

#define UNKNOWN_SHOWN 20 /* unknown CSV columns warned about one by one */

static void map_header(Eval *e, const FactRecord *rec)
{
    e->header_gen = rec->header_gen;
    e->have_header = true;
    free(e->header_error);
    e->header_error = NULL;
    size_t ncols = 0;
    int unknown = 0; /* columns warned about; past UNKNOWN_SHOWN they are counted */
    for (size_t i = 0; i < rec->nheader; i++)
        if ((size_t)rec->header[i].col + 1 > ncols)
            ncols = (size_t)rec->header[i].col + 1;
    free(e->colslot), free(e->colrater);
    e->colslot = xmalloc((ncols + 1) * sizeof *e->colslot);
    e->colrater = xmalloc((ncols + 1) * sizeof *e->colrater);
    e->ncols = ncols;
    for (size_t i = 0; i < ncols; i++)
        e->colslot[i] = -1, e->colrater[i] = -1;
    char buf[PARSE_MAX_NAME * 2 + 2];
    for (size_t i = 0; i < rec->nheader; i++) {
        const FactCell *h = &rec->header[i];
        int slot = -1, rater = -1;
        size_t k = 0;
        if (h->key_len < sizeof buf) {
            k = utf8_fold(h->key, h->key_len, buf);
            slot = lookup_key(e, buf, k, &rater);
        }
        if ((slot < 0 || rater == -2) && h->col == 0 && e->p->id_fact < 0)
            continue; /* the first column names the employee */
        if ((slot < 0 || rater == -2) && ++unknown > UNKNOWN_SHOWN)
            continue;
        if (slot < 0 || rater == -2) {
            const char *near =
                slot < 0 && h->key_len < sizeof buf ? check_suggest_fact(e->p, buf, k) : NULL;
            if (near)
                diag_plain(
                    e->d, DIAG_WARNING, rec->path,
                    "column %.*s is not a fact of this rubric; did you mean %s? [unknown-fact]",
                    (int)h->key_len, h->key, near);
            else
                diag_plain(e->d, DIAG_WARNING, rec->path,
                           "column %.*s is not a %s of this rubric and is ignored [unknown-fact]",
                           (int)h->key_len, h->key, rater == -2 ? _("fact@rater") : _("fact"));
            continue;
        }
        for (size_t j = 0; j < ncols; j++)
            if (e->colslot[j] == slot && e->colrater[j] == rater && !e->header_error) {
                const char *f = e->p->facts[slot].name;
                size_t n = strlen(f) + 128;
                e->header_error = xmalloc(n);
                snprintf(e->header_error, n,
                         _("the header gives fact %s twice (columns %zu and %d)"), f, j + 1,
                         h->col + 1);
            }
        e->colslot[h->col] = slot;
        e->colrater[h->col] = rater;
    }
    if (unknown > UNKNOWN_SHOWN)
        diag_plain(
            e->d, DIAG_WARNING, rec->path,
            ngettext("%d more column is not a fact of this rubric and is ignored [unknown-fact]",
                     "%d more columns are not facts of this rubric and are ignored [unknown-fact]",
                     (unsigned long)(unknown - UNKNOWN_SHOWN)),
            unknown - UNKNOWN_SHOWN);
    free(e->colplan);
    /* one allocation (eval_free frees colplan): the plans by column, the
       same grouped by plan for bind_row, its per-row marks */
    e->colplan = xmalloc((2 * ncols + 1) * sizeof *e->colplan + ncols + 1);
    e->rowplan = e->colplan + ncols + 1;
    e->row_todo = (unsigned char *)(e->rowplan + ncols);
    memset(e->row_todo, 0, ncols + 1);
    e->row_other = false;
    e->id_col = -1;
    e->rowplan_nset = 0;
    const dec_i128 MAX = (dec_i128)(~(unsigned __int128)0 >> 1), MIN = -MAX - 1;
    e->plan_ready = e->code && !e->header_error;
    e->slots_dirty = true; /* cleared for the new plans (mapped ahead, before any employee) */
    size_t count[5] = {0};
    for (size_t i = 0; i < ncols; i++) {
        ColPlan *cp = &e->colplan[i];
        int slot = e->colslot[i];
        cp->slot = e->code && slot >= 0 && e->colrater[i] < 0 ? slot : -1;
        cp->col = (uint32_t)i;
        if (cp->slot < 0) {
            if (slot >= 0)
                e->row_todo[i] = 2, e->row_other = true;
            continue;
        }
        const FactSpec *spec = &e->p->facts[slot].spec;
        cp->plan = e->code->parser[slot];
        cp->integer = spec->type == FT_INTEGER;
        cp->lo = spec->has_lo ? spec->lo.v : MIN;
        cp->hi = spec->has_hi ? spec->hi.v : MAX;
        if (cp->hi < 0 || cp->lo > cp->hi) {
            cp->ulo = (unsigned __int128)1 << 127, cp->uspan = 0;
        } else {
            cp->ulo = cp->lo < 0 ? 0 : (unsigned __int128)cp->lo;
            cp->uspan = (unsigned __int128)cp->hi - cp->ulo;
        }
        cp->id = slot == e->p->id_fact;
        cp->dst = &e->shared[slot];
        cp->digits = 0;
        for (int d = 0; d < 10 && cp->plan == CP_INTEGER; d++) {
            dec_i128 v = (dec_i128)d * (dec_i128)dec_pow10[18];
            cp->digits |= (uint16_t)((v >= cp->lo && v <= cp->hi) << d);
        }
        if (i > 0) {
            count[cp->plan]++;
            e->rowplan_nset++;
            if (cp->id)
                e->id_col = (int)i;
        }
    }
    size_t at[5], sum = 0;
    for (int k = 0; k < 5; k++)
        at[k] = sum, sum += count[k], e->rowplan_end[k] = e->rowplan + sum;
    for (size_t i = 1; i < ncols; i++)
        if (e->colplan[i].slot >= 0)
            e->rowplan[at[e->colplan[i].plan]++] = e->colplan[i];
}

void eval_map_header(Eval *e, const FactRecord *rec)
{
    if (rec->is_csv && (!e->have_header || rec->header_gen != e->header_gen))
        map_header(e, rec);
}

/* A number written plainly (`95.73%`, `3`, `-2.5`) read straight into a
 * Dec, range checked; false for anything else, which facts_value reads and
 * explains; the range held as 128-bit integers in the column plan. */
static inline bool plan_number(const ColPlan *cp, const char *t, size_t n, Dec *out)
{
    Dec d;
    if (!facts_plain_number(t, n, cp->plan == CP_PERCENT, cp->integer, &d) || d.v < cp->lo ||
        d.v > cp->hi)
        return false;
    *out = d;
    return true;
}

/* The digits of u[0..m) (1 <= m <= 8, and 8 bytes readable at u) with at
 * most one point, between two digits, as one number *v and the count of
 * digits after the point *nf; false for anything else. Eight bytes at a time
 * (SWAR), the same as the byte loop of quick_number:
 * - a byte b is a digit exactly when b & F0 = 30 (b in 30-3F) and
 *   (b + 6) & F0 = 30 (b in 2A-39). Adding 6 to every byte at once carries
 *   into a byte only from a byte >= F9 below it, which is not a digit nor a
 *   point and fails the test by its first half: such a cell is refused
 *   whatever the bytes above it say;
 * - a point fails only the first half, with 10 (2E & F0 = 20), and the bytes
 *   below the first flagged byte are digits (no carry): one point and
 *   nothing else but digits is bad = 10 << 8p, one bit;
 * - the point's byte is taken out by moving the bytes above it down one;
 * - the k digits, moved to the top of the word (leading zero bytes), are
 *   combined pairwise: 10 a + b <= 99 in a byte, 100 a + b <= 9999 in 16
 *   bits, 10^4 a + b < 10^8 in 32: no sum carries into its neighbour, and
 *   what the masks drop is the other lanes' products. */
static inline bool swar_digits(const unsigned char *u, size_t m, uint64_t *v, size_t *nf)
{
    const uint64_t F0 = 0xF0F0F0F0F0F0F0F0u, x30 = 0x3030303030303030u;
    uint64_t w;
    memcpy(&w, u, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w); /* u[0] in the low byte */
#endif
    uint64_t bad = (((w & F0) ^ x30) | (((w + 0x0606060606060606u) & F0) ^ x30)) &
                   (~UINT64_C(0) >> (64 - 8 * m)); /* the first m bytes' */
    size_t k = m;
    *nf = 0;
    if (bad) {
        unsigned sh = (unsigned)__builtin_ctzll(bad);
        size_t p = sh >> 3; /* the first byte not a digit */
        /* p - 1 >= m - 2, unsigned (m >= 2 here: bad holds a bit of the m
           bytes and m = 1 leaves p = 0), is p == 0 || p + 1 >= m */
        if ((bad & (bad - 1)) || p - 1 >= m - 2 || u[p] != '.')
            return false; /* `.5`, `5.`, a second point, another byte: the general path's */
        uint64_t below = (UINT64_C(1) << (sh - 4)) - 1; /* 0 < p < 7 */
        w = (w & below) | (w >> 8 & ~below);
        k = m - 1;
        *nf = m - 1 - p;
    }
    w = (w << (8 * (8 - k))) & 0x0F0F0F0F0F0F0F0Fu; /* the last digit in the top byte */
    w = (w * 10 + (w >> 8)) & 0x00FF00FF00FF00FFu;
    w = (w * 100 + (w >> 16)) & 0x0000FFFF0000FFFFu;
    /* up to four digits are all in the top 32 bits (the bytes below are
       zeros the shift brought in): that lane is the number (most cells) */
    *v = k <= 4 ? w >> 32 : ((w * 10000 + (w >> 32)) & 0xFFFFFFFFu);
    return true;
}

/* The commonest shapes of a number or percent cell (pct: then with its sign),
 * by m, its digits and point: `86`, `100`, `86.5`, `86.25` (m = 2 to 5), as
 * templates: the template's bytes (a digit is 30), what is added to test each
 * (below), the cell's bytes, the bytes below the point (all when none), the
 * shift that puts the last digit in the fourth byte, the digits after the
 * point. (tests/speed/bind_check.py tries each shape and a near miss in each
 * of its bytes.) */
typedef struct {
    uint64_t shape, top, cell, below;
    uint8_t shift, nf;
} NumShape;
static const NumShape NUM_SHAPES[2][4] = {
    {
        {0x0000000000003030u, 0x0000000000007676u, 0x000000000000FFFFu, 0xFFFFFFFFFFFFFFFFu, 16, 0},
        {0x0000000000303030u, 0x0000000000767676u, 0x0000000000FFFFFFu, 0xFFFFFFFFFFFFFFFFu, 8, 0},
        {0x00000000302E3030u, 0x00000000767F7676u, 0x00000000FFFFFFFFu, 0x000000000000FFFFu, 8, 1},
        {0x00000030302E3030u, 0x00000076767F7676u, 0x000000FFFFFFFFFFu, 0x000000000000FFFFu, 0, 2},
    },
    {
        {0x0000000000253030u, 0x00000000007F7676u, 0x0000000000FFFFFFu, 0xFFFFFFFFFFFFFFFFu, 16, 0},
        {0x0000000025303030u, 0x000000007F767676u, 0x00000000FFFFFFFFu, 0xFFFFFFFFFFFFFFFFu, 8, 0},
        {0x00000025302E3030u, 0x0000007F767F7676u, 0x000000FFFFFFFFFFu, 0x000000000000FFFFu, 8, 1},
        {0x00002530302E3030u, 0x00007F76767F7676u, 0x0000FFFFFFFFFFFFu, 0x000000000000FFFFu, 0, 2},
    },
};

/* A cell of m digits and point (2 <= m <= 5; and the sign, pct) at u, 8 bytes
 * readable there, of its m's shape (NUM_SHAPES) read into *v (the digits
 * without the point as one number) and *nf (the digits after the point), as
 * swar_digits reads it; false for anything else, which swar_digits then
 * tries. One test for the whole shape (SWAR):
 * - x = w ^ the template, the bytes past the cell masked off: a byte where a
 *   digit belongs is the digit's value exactly when it is below 10, and the
 *   point's and the sign's bytes are 0 exactly when they are right;
 * - adding 0x76 to a digit's byte and 0x7F to the point's and the sign's sets
 *   its top bit exactly when it is above 9 (above 0) and below 0x80; x itself
 *   has the top bit of a byte of 0x80 or more. A byte that passes is below
 *   0x80, so its sum (at most 0x7F + 0x7F) carries nothing into the byte
 *   above; a carry comes only out of a byte that has failed already;
 * - the point's byte (0) is taken out by moving the bytes above it down one,
 *   the at most four digits put in the low four bytes, the last in the
 *   fourth (the sign's byte, 0, goes above them), and combined as
 *   swar_digits does: 10 a + b <= 99 in a byte, 100 a + b in 16 bits. */
static inline bool shaped_digits(const unsigned char *u, size_t m, bool pct, uint64_t *v,
                                 size_t *nf)
{
    const NumShape *s = &NUM_SHAPES[pct][m - 2];
    uint64_t w;
    memcpy(&w, u, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w); /* u[0] in the low byte */
#endif
    uint64_t x = (w ^ s->shape) & s->cell;
    if (((x + s->top) | x) & UINT64_C(0x8080808080808080))
        return false;
    x = ((x & s->below) | (x >> 8 & ~s->below)) << s->shift;
    x = (x * 10 + (x >> 8)) & UINT64_C(0x00FF00FF);
    *v = (x & 0xFFFF) * 100 + (x >> 16);
    *nf = s->nf;
    return true;
}

/* The usual spelling of a number cell (`95.73%`, `3`, `86.5`: ASCII digits
 * with at most one point between two of them, at most 16 of them and the
 * point; a percent (pct) with its sign, a whole number with no fraction but
 * zeros) read into *out, range checked; false for anything else, which
 * plan_number reads. It reads what it accepts as facts_plain_number does:
 * the digits without the point make v = ip x 10^nf + fp (below 10^16, so on
 * 64 bits), and ip x 10^(18-s) + fp x 10^(18-s-nf) = v x 10^(18-s-nf), one
 * 64 x 64-bit product, below 10^34 < 2^127: the range check of ColPlan.ulo.
 * wide: 8 bytes are readable at t (the row goes on), and up to 8 bytes of
 * digits and point are read at once (swar_digits), else a byte at a time. */
static inline __attribute__((always_inline)) bool
quick_number(const ColPlan *cp, const char *t, size_t n, bool pct, bool wide, Dec *out)
{
    const unsigned char *u = (const unsigned char *)t;
    size_t m = n - pct; /* the digits and the point */
    uint64_t v = 0;
    size_t nf = 0;
    if (wide && m - 2 < 4 && shaped_digits(u, m, pct, &v, &nf)) {
        /* read (v, nf as swar_digits gives them) */
    } else if (m - 1 >= 16 || (pct && u[m] != '%')) {
        return false;
    } else if (wide && m <= 8) {
        if (!swar_digits(u, m, &v, &nf))
            return false;
    } else {
        size_t pt = m; /* where the point is; m: none */
        for (size_t i = 0; i < m; i++) {
            unsigned d = (unsigned)u[i] - '0';
            if (d < 10)
                v = v * 10 + d;
            else if (u[i] == '.' && pt == m)
                pt = i;
            else
                return false;
        }
        if (pt < m) {
            if (pt == 0 || pt == m - 1) /* `.5`, `5.`: the general path's */
                return false;
            nf = m - 1 - pt;
        }
    }
    if (!pct && nf && cp->integer && v % dec_pow10[nf]) /* 3.5 for a whole number */
        return false;
    unsigned __int128 x = (unsigned __int128)v * dec_pow10[18 - 2 * pct - nf];
    if (x - cp->ulo > cp->uspan)
        return false;
    out->v = (dec_i128)x;
    return true;
}

/* Cell text s[0..n) of a column with a plan (shared value, compiled code)
 * into its slot: the common spellings read here, anything else (and every
 * error) by facts_value through set_fact. A plan slot always holds its plan's
 * kind or none, so writing the fields that kind reads (and kind) leaves the
 * slot as a cleared one would be: a plain row's slots need no clearing
 * between rows. True when bound. */
static inline __attribute__((always_inline)) bool bind_plan(Eval *e, const ColPlan *cp,
                                                            const char *s, size_t n)
{
    int slot = cp->slot;
    /* no `given` to set or test: a CSV header that names a fact twice fails
       every row before binding (header_error), so a plan's slot is bound once */
    Value *dst = &e->shared[slot];
    switch (cp->plan) {
    case CP_TEXT:
        dst->kind = n ? VAL_TEXT : VAL_NONE;
        dst->s = n ? s : NULL;
        dst->len = n;
        e->nset += n != 0;
        break;
    case CP_BOOL: {
        bool b;
        if (bytes_are(s, n, "是", 3) || bytes_are(s, n, "true", 4) || bytes_are(s, n, "yes", 3))
            b = true;
        else if (bytes_are(s, n, "否", 3) || bytes_are(s, n, "false", 5) ||
                 bytes_are(s, n, "no", 2))
            b = false;
        else
            return false;
        dst->kind = VAL_BOOL;
        dst->b = b;
        e->nset++;
        break;
    }
    default:
        if (!quick_number(cp, s, n, cp->plan == CP_PERCENT, false, &dst->d) &&
            !plan_number(cp, s, n, &dst->d))
            return false;
        dst->kind = cp->plan == CP_PERCENT ? VAL_PERCENT : VAL_NUMBER;
        e->nset++;
        break;
    }
    e->raw[slot] = s;
    e->raw_len[slot] = n;
    return true;
}

/* Bind one cell of rec; false (e->err set) when its value is bad. */
static bool bind_cell(Eval *e, const FactRecord *rec, const FactCell *c)
{
    char buf[PARSE_MAX_NAME * 2 + 2];
    int slot, rater;
    int wline = 0; /* a fact file's line, for its error: "line N: " */
    if (rec->is_csv) {
        if (c->col < 0 || (size_t)c->col >= e->ncols || e->colslot[c->col] < 0)
            return true;
        slot = e->colslot[c->col], rater = e->colrater[c->col];
        if (c->error) { /* a workbook cell with no value: a formula not saved, #DIV/0! */
            if (rater < 0)
                e->bad[slot] = true;
            e->label = NULL;
            e->label_name = NULL;
            return fail(e, NULL, "fact %s: %s", e->p->facts[slot].name, c->error);
        }
    } else {
        slot = -1, rater = -1;
        const char *key = c->key; /* folded (into buf) only when it holds what folds */
        size_t k = c->key_len;
        /* fact files list their facts in the same order, file after file: the
           fact this line named in the last file is tried first. Its name holds
           no '@' and nothing that folds (name_len), and names are unique: the
           same bytes are that fact. */
        size_t li = (size_t)(c - rec->cells);
        int g = li < KEY_GUESSES ? e->key_guess[li] - 1 : -1;
        if (g >= 0 && e->name_len[g] == k && memcmp(e->p->facts[g].name, key, k) == 0) {
            slot = g;
        } else if (k < sizeof buf) {
            if (utf8_fold_same(key, k) < k)
                k = utf8_fold(key, k, buf), key = buf;
            slot = lookup_key(e, key, k, &rater);
            if (slot >= 0 && rater == -1 && li < KEY_GUESSES)
                e->key_guess[li] = slot + 1;
        }
        if (slot < 0 || rater == -2) {
            const char *near =
                slot < 0 && c->key_len < sizeof buf ? check_suggest_fact(e->p, key, k) : NULL;
            const char *loc = arena_printf(e->a, "%s:%d", rec->source, c->line);
            if (near)
                diag_plain(e->d, DIAG_WARNING, loc,
                           "%.*s is not a fact of this rubric; did you mean %s? [unknown-fact]",
                           (int)c->key_len, c->key, near);
            else
                diag_plain(e->d, DIAG_WARNING, loc,
                           "%.*s is not a %s of this rubric and is ignored [unknown-fact]",
                           (int)c->key_len, c->key, rater == -2 ? _("fact@rater") : _("fact"));
            return true;
        }
        wline = c->line;
    }
    return set_fact(e, slot, rater, c->val, c->val_len, c->quoted && !rec->is_csv, c->line, wline);
}

/* A fact file: every good line is bound even when others are bad (so the id
 * and the shown facts are read), and the employee's error lists every bad
 * line, malformed or with a bad value, in line order. */
static bool bind_fact_file(Eval *e, const FactRecord *rec)
{
    if (rec->error && !rec->ncells)
        return fail(e, NULL, "%s", rec->error); /* unreadable, or not text */
    const char *why = NULL;
    for (size_t i = 0; i < rec->ncells; i++) {
        const FactCell *c = &rec->cells[i];
        const char *msg = c->error;
        if (!msg) {
            if (bind_cell(e, rec, c))
                continue;
            msg = e->err;
            e->err = NULL, e->err_at = NULL;
        }
        why = why ? arena_printf(e->a, "%s; %s", why, msg) : msg;
    }
    if (!why && rec->error)
        why = rec->error;
    return why ? fail(e, NULL, "%s", why) : true;
}

/* t[0..*n) trimmed as the reader trims a cell. */
static inline void trim_cell(const char **t, size_t *n)
{
    size_t s = 0, e = *n;
    facts_trim(*t, &s, &e);
    *t += s;
    *n = e - s;
}

/* The loops of bind_row, one for each kind of plan: the cells of the plans
 * cp[0..end) (columns after the first) of the row read into their slots; a
 * declined cell's column marked in todo. They return how many they marked
 * (and, for text, how many were empty). The cell of column c > 0 is taken as
 * cut (untrimmed): each plan tries it as it is (a padded one fails the quick
 * test) and trims it only after that. (Inlined into bind_row: as functions
 * of their own they cost more in calls than they save in registers.) */
#define CELL_OF(c) (q = cut + (c), t = row + q[-1] + 1, n = q[0] - q[-1] - 1)

static inline __attribute__((always_inline)) size_t row_numbers(const ColPlan *cp,
                                                                const ColPlan *end, const char *row,
                                                                const uint32_t *cut, size_t rowend,
                                                                unsigned char *todo, bool pct)
{
    size_t declined = 0;
    for (; cp < end; cp++) {
        const char *t;
        const uint32_t *q;
        size_t n;
        CELL_OF(cp->col);
        Value *dst = cp->dst;
        /* the row's cells are row[0..rowend): 8 bytes there are readable */
        bool wide = (size_t)(t - row) + 8 <= rowend;
        if (!quick_number(cp, t, n, pct, wide, &dst->d) &&
            (trim_cell(&t, &n), !plan_number(cp, t, n, &dst->d))) {
            todo[cp->col] = 1, declined++;
            continue;
        }
        dst->kind = pct ? VAL_PERCENT : VAL_NUMBER;
    }
    return declined;
}

static size_t row_plain_numbers(const ColPlan *cp, const ColPlan *end, const char *row,
                                const uint32_t *cut, size_t rowend, unsigned char *todo)
{
    return row_numbers(cp, end, row, cut, rowend, todo, false);
}

static size_t row_percents(const ColPlan *cp, const ColPlan *end, const char *row,
                           const uint32_t *cut, size_t rowend, unsigned char *todo)
{
    return row_numbers(cp, end, row, cut, rowend, todo, true);
}

static size_t row_integers(const ColPlan *cp, const ColPlan *end, const char *row,
                           const uint32_t *cut, size_t rowend, unsigned char *todo)
{
    size_t declined = 0;
    for (; cp < end; cp++) {
        const char *t;
        const uint32_t *q;
        size_t n;
        CELL_OF(cp->col);
        Value *dst = cp->dst;
        unsigned d; /* a rating: one digit, its range checked by a bit */
        if (n == 1 && (d = (unsigned)(unsigned char)t[0] - '0') < 10 && (cp->digits >> d & 1)) {
            dst->kind = VAL_NUMBER;
            dst->d.v = (dec_i128)((uint64_t)d * UINT64_C(1000000000000000000));
            continue;
        }
        bool wide = (size_t)(t - row) + 8 <= rowend;
        if (!quick_number(cp, t, n, false, wide, &dst->d) &&
            (trim_cell(&t, &n), !plan_number(cp, t, n, &dst->d))) {
            todo[cp->col] = 1, declined++;
            continue;
        }
        dst->kind = VAL_NUMBER;
    }
    return declined;
}

/* The cells of a plain row that bind_row marked in row_todo, through
 * bind_cell in column order; the marks of declined cells cleared. */
static __attribute__((noinline)) bool bind_marked(Eval *e, const FactRecord *rec)
{
    unsigned char *todo = e->row_todo;
    e->slots_dirty = true;
    bool ok = true;
    for (size_t col = 0; col < e->ncols; col++) {
        if (!todo[col])
            continue;
        if (todo[col] == 1) { /* what an earlier plain row left in the slot goes: set_fact
                                 writes only what it reads */
            int slot = e->colplan[col].slot;
            todo[col] = 0;
            e->shared[slot] = (Value){0};
            e->raw[slot] = NULL;
            e->raw_len[slot] = 0;
        }
        size_t len;
        const char *val = facts_row_cell(rec, col, &len);
        FactCell c = {.val = val, .val_len = len, .line = rec->line, .col = (int)col};
        ok &= bind_cell(e, rec, &c);
    }
    return ok;
}

/* A plain CSV row (FactRecord.row): the columns of facts read where the
 * reader found its commas, by their plans, one loop for each kind of plan
 * (Eval.rowplan), so that a cell costs no switch and the loops' branches
 * follow the data; the first column (the id, default_id) by bind_plan. What a
 * plan declines, and a rater's column, are marked (row_todo) and then read
 * through bind_cell in column order, so the first error, and the warnings,
 * come in the order a cell-by-cell reading gives them: the plans themselves
 * neither fail nor warn. Every plan slot is written (begin_employee relies on
 * it: a plan slot always holds its plan's kind or none, and the fields that
 * kind reads are written with it); a cell that goes through bind_cell marks
 * the slots dirty. */
static bool bind_row(Eval *e, const FactRecord *rec)
{
    unsigned char *todo = e->row_todo;
    const uint32_t *cut = rec->cut;
    const char *row = rec->row;
    size_t rowend = cut[rec->nrow - 1];
    const ColPlan *cp = e->rowplan, *end;
    ColPlan *const *ends = e->rowplan_end;
    const char *t;
    const uint32_t *q;
    size_t n;
    bool first_bad;
    const ColPlan *p0 = &e->colplan[0];
    if (p0->slot >= 0 && p0->plan == CP_TEXT) { /* the id: trimmed, not empty */
        p0->dst->kind = VAL_TEXT;
        p0->dst->s = rec->default_id;
        p0->dst->len = rec->id_len;
        e->raw[p0->slot] = rec->default_id;
        e->raw_len[p0->slot] = rec->id_len;
        e->nset++;
        first_bad = false;
    } else {
        first_bad = p0->slot >= 0 && !bind_plan(e, p0, rec->default_id, rec->id_len);
    }
    todo[0] = first_bad;
    int nset = e->rowplan_nset; /* less the cells declined or empty */
    for (end = ends[CP_TEXT]; cp < end; cp++) {
        CELL_OF(cp->col);
        trim_cell(&t, &n);
        Value *dst = cp->dst;
        dst->kind = n ? VAL_TEXT : VAL_NONE;
        dst->s = n ? t : NULL;
        dst->len = n;
        nset -= !n;
    }
    size_t ntodo = 0;
    for (end = ends[CP_BOOL]; cp < end; cp++) {
        CELL_OF(cp->col);
        Value *dst = cp->dst;
        if (bytes_are(t, n, "是", 3))
            dst->b = true;
        else if (bytes_are(t, n, "否", 3))
            dst->b = false;
        else if (trim_cell(&t, &n), bytes_are(t, n, "是", 3) || bytes_are(t, n, "true", 4) ||
                                        bytes_are(t, n, "yes", 3))
            dst->b = true;
        else if (bytes_are(t, n, "否", 3) || bytes_are(t, n, "false", 5) ||
                 bytes_are(t, n, "no", 2))
            dst->b = false;
        else {
            todo[cp->col] = 1, ntodo++;
            continue;
        }
        dst->kind = VAL_BOOL;
    }
    ntodo += row_plain_numbers(ends[CP_BOOL], ends[CP_NUMBER], row, cut, rowend, todo);
    ntodo += row_integers(ends[CP_NUMBER], ends[CP_INTEGER], row, cut, rowend, todo);
    ntodo += row_percents(ends[CP_INTEGER], ends[CP_PERCENT], row, cut, rowend, todo);
    if (e->id_col > 0) { /* the only slot whose text is read (id_of): trimmed */
        CELL_OF((size_t)e->id_col);
        trim_cell(&t, &n);
        e->raw[e->colplan[e->id_col].slot] = t;
        e->raw_len[e->colplan[e->id_col].slot] = n;
    }
    e->nset += nset - (int)ntodo;
    if (!ntodo && !first_bad && !e->row_other)
        return true;
    return bind_marked(e, rec);
}
#undef CELL_OF

/* Every record but the usual one (a plain row of the header already
 * mapped): 0 or 1, eval_bind_record's result, or 2 when rec is a plain row
 * that the plans just made for its header read. */
static int bind_other(Eval *e, const FactRecord *rec)
{
    if (!rec->is_csv) {
        e->slots_dirty = true;
        return bind_fact_file(e, rec);
    }
    if (rec->error)
        return fail(e, NULL, "%s", rec->error);
    if (!e->have_header || rec->header_gen != e->header_gen)
        map_header(e, rec);
    if (e->header_error)
        return fail(e, NULL, "%s", e->header_error);
    if (rec->row && e->plan_ready)
        return 2;
    e->slots_dirty = true;
    /* after a bad cell the rest are still bound, so the id and the shown
       facts are read; the first error is the row's */
    bool ok = true;
    if (rec->row) { /* a plain row without plans (no compiled code) */
        for (size_t col = 0; col < e->ncols; col++) {
            if (e->colslot[col] < 0)
                continue;
            size_t n;
            const char *t = facts_row_cell(rec, col, &n);
            FactCell c = {.val = t, .val_len = n, .line = rec->line, .col = (int)col};
            ok &= bind_cell(e, rec, &c);
        }
        return ok;
    }
    if (e->code) { /* the column plans first; what they decline goes through bind_cell */
        const ColPlan *plans = e->colplan;
        size_t ncols = e->ncols;
        for (size_t i = 0; i < rec->ncells; i++) {
            const FactCell *c = &rec->cells[i];
            size_t col = (size_t)c->col;
            if (col >= ncols)
                continue;
            const ColPlan *cp = &plans[col];
            if (cp->slot >= 0 && !c->error && bind_plan(e, cp, c->val, c->val_len))
                continue;
            if (e->colslot[col] >= 0)
                ok &= bind_cell(e, rec, c);
        }
        return ok;
    }
    for (size_t i = 0; i < rec->ncells; i++)
        ok &= bind_cell(e, rec, &rec->cells[i]);
    return ok;
}

bool eval_bind_record(Eval *e, const FactRecord *rec)
{
    /* the usual record first: a plain row (its error is NULL) of the header
       the plans were made for (plan_ready: that header has no error) */
    if (!rec->row || !e->plan_ready || rec->header_gen != e->header_gen) {
        int r = bind_other(e, rec);
        if (r != 2)
            return r;
    }
    return bind_row(e, rec);
}

/* A shown fact that nothing reads may be missing: it only shows. */
static bool optional(const FactInfo *f)
{
    return f->shown && !f->read;
}

/* Defaults, then every fact must have a value in every view. */
bool eval_finish_facts(Eval *e)
{
    if (e->nr == 0 && e->nset == e->nf) { /* every slot has its value: no default, none missing */
        e->label = NULL;
        e->label_name = NULL;
        return true;
    }
    for (int i = 0; i < e->nf; i++) {
        const FactInfo *f = &e->p->facts[i];
        if (e->shared[i].kind == VAL_NONE && f->has_default) {
            e->shared[i] = f->dflt;
            e->raw[i] = NULL;
            e->slots_dirty = true;
        }
    }
    e->label = NULL;
    e->label_name = NULL;
    if (e->nr == 0) {
        for (int i = 0; i < e->nf; i++)
            if (e->shared[i].kind == VAL_NONE && !optional(&e->p->facts[i]))
                return fail(e, NULL, "fact %s is missing", e->p->facts[i].name);
        return true;
    }
    for (int r = 0; r < e->nr; r++)
        for (int i = 0; i < e->nf; i++)
            if (e->shared[i].kind == VAL_NONE && !optional(&e->p->facts[i]) &&
                e->own[(size_t)r * (size_t)e->nf + (size_t)i].kind == VAL_NONE)
                return fail(e, NULL, "fact %s has no value for rater %s", e->p->facts[i].name,
                            e->p->raters[r]->name);
    return true;
}
