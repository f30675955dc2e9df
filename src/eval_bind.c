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
    e->colplan = xmalloc((ncols + 1) * sizeof *e->colplan);
    const dec_i128 MAX = (dec_i128)(~(unsigned __int128)0 >> 1), MIN = -MAX - 1;
    e->plan_ready = e->code && !e->header_error;
    e->slots_dirty = true; /* cleared for the new plans (mapped ahead, before any employee) */
    for (size_t i = 0; i < ncols; i++) {
        ColPlan *cp = &e->colplan[i];
        int slot = e->colslot[i];
        cp->slot = e->code && slot >= 0 && e->colrater[i] < 0 ? slot : -1;
        if (cp->slot < 0)
            continue;
        const FactSpec *spec = &e->p->facts[slot].spec;
        cp->plan = e->code->parser[slot];
        cp->integer = spec->type == FT_INTEGER;
        cp->lo = spec->has_lo ? spec->lo.v : MIN;
        cp->hi = spec->has_hi ? spec->hi.v : MAX;
        cp->id = slot == e->p->id_fact;
        cp->digits = 0;
        for (int d = 0; d < 10 && cp->plan == CP_INTEGER; d++) {
            dec_i128 v = (dec_i128)d * (dec_i128)dec_pow10[18];
            cp->digits |= (uint16_t)((v >= cp->lo && v <= cp->hi) << d);
        }
    }
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

/* The usual spelling of a number cell (`95.73%`, `3`, `86.5`: ASCII digits,
 * at most 17 bytes, a percent with its sign) read into *out, range checked;
 * false for anything else, which plan_number reads. What it accepts it reads
 * as facts_plain_number does, with 64-bit digits and one 64 x 64-bit product. */
static inline bool quick_number(const ColPlan *cp, const char *t, size_t n, Dec *out)
{
    const unsigned char *u = (const unsigned char *)t;
    if (n - 1 >= 17) /* 1 to 17 bytes: no digit count can overflow */
        return false;
    size_t i = 0;
    uint64_t ip = 0, fp = 0;
    unsigned dg;
    while (i < n && (dg = (unsigned)u[i] - '0') < 10)
        ip = ip * 10 + dg, i++;
    if (i == 0)
        return false;
    size_t nf = 0;
    if (i < n && u[i] == '.') {
        size_t fs = ++i;
        while (i < n && (dg = (unsigned)u[i] - '0') < 10)
            fp = fp * 10 + dg, i++;
        nf = i - fs;
        if (!nf)
            return false;
    }
    int shift = 0;
    if (cp->plan == CP_PERCENT) { /* a bare number (92 or 0.92) is left to plan_number */
        if (i + 1 != n || u[i] != '%')
            return false;
        shift = 2;
    } else if (i != n || (cp->integer && fp)) {
        return false;
    }
    unsigned __int128 v = (unsigned __int128)ip * dec_pow10[18 - shift];
    if (nf)
        v += (unsigned __int128)fp * dec_pow10[18 - shift - (int)nf];
    if ((dec_i128)v < cp->lo || (dec_i128)v > cp->hi)
        return false;
    out->v = (dec_i128)v;
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
        if (!quick_number(cp, s, n, &dst->d) && !plan_number(cp, s, n, &dst->d))
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

/* A plain CSV row (FactRecord.row): each column of a fact read from the text
 * where the reader found its commas, by its plan, in one loop that keeps the
 * slot arrays in registers; what a plan declines, and a rater's column,
 * through bind_cell as a FactCell. Every plan slot is written (begin_employee
 * relies on it: a plan slot always holds its plan's kind or none, and the
 * fields that kind reads are written with it); a cell that goes through
 * bind_cell marks the slots dirty. */
static bool bind_row(Eval *e, const FactRecord *rec)
{
    const ColPlan *plans = e->colplan;
    const int *colslot = e->colslot;
    size_t ncols = e->ncols; /* at most rec->nrow: the header's named columns */
    Value *shared = e->shared;
    const char **raw = e->raw;
    size_t *raw_len = e->raw_len;
    int nset = 0;
    bool ok = true;
    const uint32_t *cut = rec->cut;
    const char *row = rec->row;
    size_t start = 0; /* the cell's first byte in row */
    for (size_t col = 0; col < ncols; col++) {
        const ColPlan *cp = &plans[col];
        int slot = cp->slot;
        /* the cell as cut, untrimmed: a number or a truth value is tried as it
           is (a padded one fails the quick test), trimmed only after that */
        const char *t = row + start;
        size_t n = cut[col] - start;
        start = cut[col] + 1;
        if (col == 0)
            t = rec->default_id, n = rec->id_len; /* trimmed, ended in place */
        if (slot < 0) {
            if (colslot[col] < 0)
                continue;
            trim_cell(&t, &n);
        } else {
            Value *dst = &shared[slot];
            switch (cp->plan) {
            case CP_INTEGER: {
                unsigned d; /* a rating: one digit, its range checked by a bit */
                if (n == 1 && (d = (unsigned)(unsigned char)t[0] - '0') < 10 &&
                    (cp->digits >> d & 1)) {
                    dst->kind = VAL_NUMBER;
                    dst->d.v = (int64_t)d * INT64_C(1000000000000000000);
                    break;
                }
            }
                /* fall through */
            case CP_NUMBER:
            case CP_PERCENT:
                if (!quick_number(cp, t, n, &dst->d)) {
                    trim_cell(&t, &n);
                    if (!plan_number(cp, t, n, &dst->d))
                        goto decline;
                }
                dst->kind = cp->plan == CP_PERCENT ? VAL_PERCENT : VAL_NUMBER;
                break;
            case CP_BOOL:
                if (bytes_are(t, n, "是", 3))
                    dst->b = true;
                else if (bytes_are(t, n, "否", 3))
                    dst->b = false;
                else if (trim_cell(&t, &n), bytes_are(t, n, "是", 3) ||
                                                bytes_are(t, n, "true", 4) ||
                                                bytes_are(t, n, "yes", 3))
                    dst->b = true;
                else if (bytes_are(t, n, "否", 3) || bytes_are(t, n, "false", 5) ||
                         bytes_are(t, n, "no", 2))
                    dst->b = false;
                else
                    goto decline;
                dst->kind = VAL_BOOL;
                break;
            default: /* CP_TEXT */
                trim_cell(&t, &n);
                dst->kind = n ? VAL_TEXT : VAL_NONE;
                dst->s = n ? t : NULL;
                dst->len = n;
                nset -= !n;
                break;
            }
            nset++;
            if (cp->id) { /* the only slot whose text is read (id_of) */
                raw[slot] = t;
                raw_len[slot] = n;
            }
            continue;
        decline:
            /* what an earlier plain row left in the slot goes: set_fact
               writes only what it reads */
            *dst = (Value){0};
            raw[slot] = NULL;
            raw_len[slot] = 0;
        }
        e->slots_dirty = true;
        FactCell c = {.val = t, .val_len = n, .line = rec->line, .col = (int)col};
        ok &= bind_cell(e, rec, &c);
    }
    e->nset += nset;
    return ok;
}

bool eval_bind_record(Eval *e, const FactRecord *rec)
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
        return bind_row(e, rec);
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
