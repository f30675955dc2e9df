/* eval_fast.c - the fast path of batch scoring (see eval_impl.h). */
#include "eval_impl.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* ---- the fast path: fixed denominators in 128 bits ----
 *
 * Without section `score` expressions, vetoes or raters, every node's exact
 * score is an integer N over a denominator D fixed for the node, worked out
 * once here: an item's D is 10^18 (its Dec units), a section's the lcm of what
 * its members' contributions need, each member contributing N x k in the
 * section's units. Per employee that is integer multiply-adds, no GMP and no
 * gcd. Any overflow, or a section above its full score (whose message the
 * exact path words), falls back to the exact path for that employee, which
 * gives the same numbers: this path only computes them faster. */

#define FAST_LIMIT ((dec_i128)1 << 120) /* headroom below 2^127 for the constants */
/* Terms of a sum, each below 2^120 in magnitude, that cannot wrap 128 bits
 * (60 x 2^120 < 2^126): a sum of at most this many is checked once, at its
 * end, not at every add. An overflow found there or at every add falls back
 * to the exact path all the same; a sum that comes back below 2^120 is exact
 * either way. */
#define FAST_TERMS 60
/* 10^20 - 1 in Dec units: below it dec_round never overflows */
#define ROUND_SAFE                                                                                 \
    ((dec_i128)100 * 1000000000000000000LL * 1000000000000000000LL - 1000000000000000000LL)

static bool mpz_fits_i128(mpz_srcptr z, dec_i128 *out)
{
    if (mpz_sizeinbase(z, 2) > 120)
        return false;
    uint64_t w[2] = {0, 0};
    size_t n = 0;
    mpz_export(w, &n, -1, sizeof w[0], 0, 0, z);
    unsigned __int128 m = (unsigned __int128)w[1] << 64 | w[0];
    *out = mpz_sgn(z) < 0 ? -(dec_i128)m : (dec_i128)m;
    return true;
}

static void mpz_set_dec_units(mpz_ptr z, Dec d)
{
    unsigned __int128 m = d.v < 0 ? -(unsigned __int128)d.v : (unsigned __int128)d.v;
    uint64_t w[2] = {(uint64_t)m, (uint64_t)(m >> 64)};
    mpz_import(z, 2, -1, sizeof w[0], 0, 0, w);
    if (d.v < 0)
        mpz_neg(z, z);
}

/* D, k and the constants of s's subtree; false when something does not fit. */
static bool fast_build_node(Eval *e, const ScoreNode *s, mpz_ptr D)
{
    FastNode *f = &e->fast[s->index >= 0 ? s->index : e->nn];
    mpz_t p18;
    mpz_init_set_ui(p18, 1000000000000000000UL);
    bool ok = true;
    if (s->kind == SN_ITEM) {
        mpz_set(D, p18);
        ok = mpz_fits_i128(D, &f->D);
        mpz_clear(p18);
        return ok;
    }
    if (s->score || s->nvetoes) {
        mpz_clear(p18);
        return false;
    }
    int n = s->nmembers;
    mpz_t *dm = xmalloc(((size_t)n + 1) * sizeof *dm), *am = xmalloc(((size_t)n + 1) * sizeof *am);
    mpz_t g, t;
    mpz_inits(g, t, NULL);
    mpz_set_ui(D, 1);
    if (s->has_base || s->has_floor || s->has_cap)
        mpz_set(D, p18);
    for (int i = 0; i < n; i++)
        mpz_init(dm[i]), mpz_init(am[i]);
    for (int i = 0; i < n && ok; i++) {
        const ScoreNode *m = s->members[i];
        ok = fast_build_node(e, m, dm[i]);
        if (!ok)
            break;
        /* contribution = N x a / (D_m x b): e_m = D_m b / g, a' = a / g */
        mpq_srcptr fac = e->factor[m->index];
        mpz_mul(t, dm[i], mpq_denref(fac));
        mpz_gcd(g, mpq_numref(fac), t);
        mpz_divexact(dm[i], t, g);
        mpz_divexact(am[i], mpq_numref(fac), g);
        mpz_lcm(D, D, dm[i]);
    }
    for (int i = 0; i < n && ok; i++) {
        FastNode *fm = &e->fast[s->members[i]->index];
        mpz_divexact(t, D, dm[i]);
        mpz_mul(t, t, am[i]);
        ok = mpz_fits_i128(t, &fm->k);
    }
    ok = ok && mpz_fits_i128(D, &f->D);
    f->dp = 0;
    if (ok && e->p->round >= 0 && e->p->round <= DEC_SCALE) {
        unsigned __int128 d = (unsigned __int128)f->D, P = 1;
        for (int i = 0; i < e->p->round; i++)
            P *= 10;
        if (d % P == 0 && d / P <= UINT64_MAX)
            f->dp = (uint64_t)(d / P);
    }
    /* base, floor, cap in the section's units (10^18 divides D then) */
    const Dec *consts[3] = {s->has_base ? &s->base : NULL, s->has_floor ? &s->floor : NULL,
                            s->has_cap ? &s->cap : NULL};
    dec_i128 *outs[3] = {&f->base, &f->lo, &f->hi};
    for (int i = 0; i < 3 && ok; i++) {
        *outs[i] = 0;
        if (!consts[i])
            continue;
        mpz_set_dec_units(t, *consts[i]);
        mpz_mul(t, t, D);
        mpz_divexact(t, t, p18);
        ok = mpz_fits_i128(t, outs[i]);
    }
    f->has_full = s->full_ok && (s->kind != SN_RUBRIC || e->p->declared_max);
    if (ok && f->has_full) {
        mpz_mul(t, mpq_numref(s->qfull), D);
        mpz_fdiv_q(t, t, mpq_denref(s->qfull)); /* N > full x D iff N > floor(full x D) */
        ok = mpz_fits_i128(t, &f->full);
    }
    for (int i = 0; i < n; i++)
        mpz_clear(dm[i]), mpz_clear(am[i]);
    free(dm), free(am);
    mpz_clears(g, t, p18, NULL);
    return ok;
}

void eval_fast_build(Eval *e)
{
    const Program *p = e->p;
    if (!p->rubric || p->nraters || p->has_vetoes)
        return;
    e->fast = xmalloc(((size_t)e->nn + 1) * sizeof *e->fast);
    memset(e->fast, 0, ((size_t)e->nn + 1) * sizeof *e->fast);
    e->fast_n = xmalloc(((size_t)e->nn + 1) * sizeof *e->fast_n);
    mpz_t D;
    mpz_init(D);
    bool ok = fast_build_node(e, p->rubric, D);
    mpz_clear(D);
    if (!ok) {
        free(e->fast), free(e->fast_n);
        e->fast = NULL, e->fast_n = NULL;
    }
}

/* *out = a x b when |a x b| < 2^120 (then true), as __builtin_mul_overflow
 * and a range check would say, but with two 64-bit multiplies when b fits
 * 64 bits (every k the tree has in practice). */
static inline bool mul_fast(dec_i128 a, dec_i128 b, dec_i128 *out)
{
    if ((int64_t)b != b) {
        dec_i128 c;
        if (__builtin_mul_overflow(a, b, &c) || c >= FAST_LIMIT || c <= -FAST_LIMIT)
            return false;
        *out = c;
        return true;
    }
    unsigned __int128 ma = a < 0 ? -(unsigned __int128)a : (unsigned __int128)a;
    uint64_t mb = b < 0 ? -(uint64_t)b : (uint64_t)b;
    unsigned __int128 hi = (unsigned __int128)(uint64_t)(ma >> 64) * mb;
    if (hi >> 56) /* the product is at least 2^120 */
        return false;
    unsigned __int128 m = (unsigned __int128)(uint64_t)ma * mb;
    if (__builtin_add_overflow(m, hi << 64, &m) || m >> 120)
        return false;
    *out = (a < 0) != (b < 0) ? -(dec_i128)m : (dec_i128)m;
    return true;
}

/* The contributions of the compiled constant results (see FastRule). */
static void fast_rules(Eval *e)
{
    const Code *c = e->code;
    e->fast_rule = xmalloc(((size_t)c->nrules + 1) * sizeof *e->fast_rule);
    memset(e->fast_rule, 0, ((size_t)c->nrules + 1) * sizeof *e->fast_rule);
    for (int i = 0; i < e->nn; i++) {
        const CodeItem *ci = &c->items[i];
        if (!ci->compiled)
            continue;
        for (int j = ci->first; j < ci->first + ci->n; j++) {
            FastRule *fr = &e->fast_rule[j];
            fr->ok = c->rules[j].plain &&
                     !__builtin_mul_overflow(c->rules[j].points, e->fast[i].k, &fr->c) &&
                     fr->c < FAST_LIMIT && fr->c > -FAST_LIMIT;
            fr->direct = fr->ok && c->rules[j].has_shown;
            fr->has_text =
                c->rules[j].has_shown && dec_text_fill((Dec){c->rules[j].shown}, &fr->text);
            fr->tp = fr->has_text ? &fr->text : NULL;
            fr->points = c->rules[j].points;
            fr->shown = c->rules[j].shown;
            fr->pos = c->rules[j].pos;
        }
    }
}

/* An item on the fast path: its compiled code when it has one (then floor,
 * cap and the full-score check as score_item_body does them), else, or when
 * the machine declines, score_item_body. False on an employee error. Its
 * contribution to its section (N x k) in *c; *over set when that leaves
 * 2^120 (the exact path then scores the employee). Its reported value is set
 * too, unless rounding it could fail: then it is left pending, for the end
 * (eval_fast_score), where the exact path would round it. */
static inline bool score_item_fast(Eval *e, const FastStep *st, dec_i128 *c, bool *over)
{
    int idx = st->node;
    const ScoreNode *it = st->sn;
    Dec v;
    int fired;
    const dec_i128 *shown;
    bool plain, ready = false;
    const Code *code = e->code;
    const CodeItem *ci = st->ci;
    FastItemMemo *m = NULL;
    if (ci && ci->table >= 0) { /* a plain table: its answer by the fact's value */
        const Value *x = &e->view[ci->table];
        if (x->kind != VAL_NUMBER && x->kind != VAL_PERCENT)
            goto general;
        int at = code_table_rule(code, ci, x->d.v);
        if (at < 0)
            goto general; /* no rule matched: score_item_body words it */
        const CodeRule *rule = &code->rules[at];
        const FastRule *fr = &e->fast_rule[at];
        if (fr->direct) { /* everything known at compile time */
            e->fired[idx] = rule->pos;
            e->item[idx].v = rule->points;
            e->reported[idx].v = rule->shown;
            e->score_text[idx] = fr->has_text ? &fr->text : NULL;
            *c = fr->c;
            return true;
        }
        v.v = rule->points;
        fired = rule->pos;
        shown = rule->has_shown ? &rule->shown : NULL;
        if (rule->plain && rule->has_shown) {
            e->fired[idx] = fired;
            e->item[idx] = v;
            e->reported[idx].v = rule->shown;
            ready = true;
            goto multiply;
        }
        goto clamp;
    }
    if (st->nbool) { /* its outcome by its yes/no facts */
        unsigned key = 0;
        for (int i = 0; i < st->nbool; i++) {
            const Value *x = &e->view[st->bools[i]];
            if (x->kind != VAL_BOOL)
                goto run;
            key |= (unsigned)x->b << i;
        }
        m = &e->fast_plan->imemo[st->imemo + (int)key];
        if (m->used) {
            e->fired[idx] = m->fired;
            e->clamped[idx] = m->clamped;
            e->item[idx].v = m->item;
            e->reported[idx].v = m->reported;
            e->score_text[idx] = m->has_text ? &m->text : NULL;
            *c = m->c;
            *over |= m->over;
            return true;
        }
    }
run:
    if (!code || vm_item(code, idx, e->view, &v, &fired, &shown, &plain) != VM_OK) {
    general:
        m = NULL;
        if (!score_item_body(e, it))
            return false;
        goto multiply;
    }
    if (plain) { /* a constant known at compile time to need no clamp or check */
        e->fired[idx] = fired;
        e->item[idx] = v;
        e->reported[idx].v = *shown;
        const FastRule *fr = &e->fast_rule[code->items[idx].first + fired];
        if (fr->ok) {
            *c = fr->c;
            e->score_text[idx] = fr->has_text ? &fr->text : NULL;
            if (m) {
                *m = (FastItemMemo){.item = v.v,
                                    .reported = *shown,
                                    .c = fr->c,
                                    .fired = fired,
                                    .clamped = e->clamped[idx],
                                    .used = true};
                m->has_text = dec_text_fill((Dec){*shown}, &m->text);
                m->tp = m->has_text ? &m->text : NULL;
            }
            return true;
        }
        ready = true;
        goto multiply;
    }
clamp:;
    unsigned char cl = 0;
    if (it->has_floor && dec_cmp(v, it->floor) < 0)
        v = it->floor, cl = 1;
    if (it->has_cap && dec_cmp(v, it->cap) > 0)
        v = it->cap, cl = 2;
    if (it->full_ok && dec_cmp(v, it->full) > 0) {
        m = NULL;
        if (!score_item_body(e, it)) /* it words the error */
            return false;
        goto multiply;
    }
    e->clamped[idx] = cl;
    e->fired[idx] = fired;
    e->item[idx] = v;
    /* a constant result: its reported value was rounded at compile time */
    if (!cl && shown) {
        e->reported[idx].v = *shown;
        ready = true;
    }
multiply:
    /* rounded now when that cannot fail (a magnitude below 10^20 - 1 cannot
       round to 10^20), which leaves eval_fast_score only the sections */
    if (!ready) {
        if (e->item[idx].v < ROUND_SAFE && e->item[idx].v > -ROUND_SAFE) {
            dec_round(e->item[idx], e->p->round, &e->reported[idx]);
        } else {
            FastPlan *fp = e->fast_plan;
            e->shown_ready[idx] = false;
            fp->pending[fp->npending++] = idx;
            m = NULL;
        }
    }
    e->score_text[idx] = NULL;
    bool mover = !mul_fast(e->item[idx].v, e->fast[idx].k, c);
    if (mover)
        *over = true;
    if (m) { /* the compiled code's outcome, with nothing left pending: keep it */
        *m = (FastItemMemo){.item = e->item[idx].v,
                            .reported = e->reported[idx].v,
                            .c = mover ? 0 : *c,
                            .fired = e->fired[idx],
                            .clamped = e->clamped[idx],
                            .used = true,
                            .over = mover};
        m->has_text = dec_text_fill(e->reported[idx], &m->text);
        m->tp = m->has_text ? &m->text : NULL;
    }
    return true;
}

/* -2^120 <= x < 2^120: x's high word is in [-2^56, 2^56) */
static inline bool fits120(dec_i128 x)
{
    uint64_t hi = (uint64_t)(int64_t)(x >> 64);
    return hi + ((uint64_t)1 << 56) < (uint64_t)1 << 57;
}

/* sum += c, keeping |sum| below 2^120 (both are, so the add cannot wrap);
 * *over set, and sum left alone, when it would not be. */
static inline void add_fast(dec_i128 *sum, dec_i128 c, bool *over)
{
    dec_i128 t = *sum + c;
    /* -2^120 <= t < 2^120 is -2^56 <= t's high word < 2^56 */
    uint64_t hi = (uint64_t)(int64_t)(t >> 64);
    if (hi + ((uint64_t)1 << 56) >= (uint64_t)1 << 57)
        *over = true;
    else
        *sum = t;
}

/* Adds c to a step's accumulator: unchecked when every sum of the plan is
 * short enough to be range checked once when it closes, else checked now
 * (a sum already out of range stays so). */
static inline void accumulate(dec_i128 *N, bool *over, const FastStep *st, dec_i128 c, bool checked)
{
    if (!checked)
        N[st->acc] += c;
    else if (!over[st->ov])
        add_fast(&N[st->acc], c, &over[st->ov]);
}

/* N / D rounded half away from zero to `places` digits, as a Dec; false when
 * 128 bits do not suffice (the exact path then rounds). With dp = D /
 * 10^places (0: none) the quotient is one 128-by-64 division: N x 10^places /
 * D is N / dp, and its remainder against dp decides the rounding as the
 * remainder against D would. */
static bool fast_round(dec_i128 N, dec_i128 D, uint64_t dp, int places, Dec *out)
{
    unsigned __int128 m = N < 0 ? -(unsigned __int128)N : (unsigned __int128)N;
    unsigned __int128 d = (unsigned __int128)D, P = dec_pow10[places], q, r, t, res;
    if (dp && (uint64_t)(m >> 64) < dp) {
        uint64_t r64, q64 = dec_div_small(m, dp, &r64);
        res = (unsigned __int128)q64 + (r64 >= dp - r64); /* 2r >= dp, without overflow */
    } else if (D == 1000000000000000000LL) {              /* already 18-place units */
        q = m / dec_pow10[DEC_SCALE - places];
        r = m % dec_pow10[DEC_SCALE - places];
        if (2 * r >= dec_pow10[DEC_SCALE - places])
            q++;
        res = q;
    } else {
        q = m / d, r = m % d;
        if (__builtin_mul_overflow(r, P, &t))
            return false;
        unsigned __int128 f = t / d, rem = t % d;
        if (2 * rem >= d)
            f++;
        if (__builtin_mul_overflow(q, P, &res) || __builtin_add_overflow(res, f, &res))
            return false;
    }
    unsigned __int128 lim = (unsigned __int128)dec_pow10[18] * 100 * P; /* 10^20 in these units */
    if (res >= lim)
        return false;
    res *= dec_pow10[DEC_SCALE - places];
    out->v = N < 0 ? -(dec_i128)res : (dec_i128)res;
    return true;
}

/* N / D of the plan's j-th section or group (the rubric: j = nsec) rounded,
 * through its memo (FastRound), its text in *text; NULL as fast_round says
 * false, else the memo entry. */
static inline __attribute__((always_inline)) FastRound *round_sec(Eval *e, const FastPlan *fp,
                                                                  int j, dec_i128 N, dec_i128 *out,
                                                                  const DecText **text,
                                                                  unsigned mask)
{
    /* the hash: both halves folded, one multiply, its top bits */
    uint64_t h = ((uint64_t)N ^ (uint64_t)((unsigned __int128)N >> 64)) * 0x9E3779B97F4A7C15ull;
    FastRound *m = &fp->round[(size_t)j * FAST_ROUND_WAYS + ((h >> 40) & mask)];
    if (m->n != N) {
        const FastNode *f = fp->sec_f[j];
        Dec r;
        if (!fast_round(N, f->D, f->dp, e->p->round, &r))
            return NULL;
        m->n = N;
        m->cstate = 0;
        m->shown = r.v;
        m->tp = dec_text_fill(r, &m->text) ? &m->text : NULL;
        /* the total's grade is a function of its reported value: kept with it */
        m->grade = j == fp->nsec && e->code && e->code->grade ? vm_grade(e->code, r) : -1;
        m->grade_text = m->grade >= 0 ? e->code->rules[e->code->grade_first + m->grade].text : NULL;
    }
    *out = m->shown;
    *text = m->tp;
    return m;
}

/* The bound employee's N of every section and group, and the rubric's,
 * by the plan's steps: 1 done, 0 an employee error (e->err), -1 fall back to
 * the exact path. The items are scored in the tree's order, an employee error
 * ending it there; a section's overflow is reported when it closes, after all
 * of its children (as when the sums were a second pass), and a section above
 * its full score falls back when it closes (the exact path words it). */
static inline __attribute__((always_inline)) int fast_steps(Eval *e, const bool checked)
{
    const FastPlan *fp = e->fast_plan;
    const Code *code = e->code;
    const Value *view = e->view;
    dec_i128 *N = e->fast_n;
    bool *over = fp->over;
    /* every section's and group's sum starts at its base (0 for a group),
       none has overflowed: at once, not as a step each */
    for (int j = 0; j <= fp->nsec; j++) { /* fp->sec[nsec] is the rubric */
        int i = fp->sec[j];
        N[i] = fp->n0[i];
        if (checked)
            over[i] = false; /* only sections, groups and the rubric have a flag */
    }
/* A sum's term left 2^120: checked, the sum's flag (its section falls back
   when it closes); unchecked, the employee falls back now. That is the same
   bytes: the exact path finds any error a later item has as this loop would
   have (as for a group's failed rounding, below), and unchecked no flag is
   then read or reset. */
#define FAST_OVER(k)                                                                               \
    do {                                                                                           \
        if (!checked)                                                                              \
            return -1;                                                                             \
        over[k] = true;                                                                            \
    } while (0)
    for (const FastStep *st = fp->step, *end = st + fp->nstep; st < end; st++) {
        if (st->kind == FS_GRID) { /* a table on a grid (the usual step): its cell's outcome */
            const Value *x = st->x;
            if (x->kind == VAL_NUMBER || x->kind == VAL_PERCENT) {
                uint64_t d;
                int q = code_grid_cell(&st->gci, x->d.v, &d);
                const FastSeg *fs = code_grid_holds(&st->gci, q, d)
                                        ? st->cellp[q]
                                        : &st->fseg[code_table_search(code, st->ci, x->d.v)];
                if (fs->direct) { /* as FS_TABLE's, through the step's own pointers */
                    *st->fired = fs->pos;
                    *st->reported = fs->shown;
                    *st->text = fs->tp;
                    if (!checked)
                        *st->sum += fs->c;
                    else
                        accumulate(N, over, st, fs->c, checked);
                    continue;
                }
            }
            goto item;
        }
        if (st->kind == FS_BOOLS) { /* an item kept by its yes/no facts: the kept outcome */
            unsigned key = 0;
            int i = 0;
            for (; i < st->nbool && st->bx[i]->kind == VAL_BOOL; i++)
                key |= (unsigned)st->bx[i]->b << i;
            const FastItemMemo *m = &fp->imemo[st->imemo + (int)key];
            if (i == st->nbool && m->used) { /* as score_item_fast's memo (e->item unread) */
                *st->fired = m->fired;
                e->clamped[st->node] = m->clamped;
                *st->reported = m->reported;
                *st->text = m->tp;
                if (m->over)
                    FAST_OVER(st->ov);
                else
                    accumulate(N, over, st, m->c, checked);
                continue;
            }
            goto item; /* not kept yet, or a fact not yes/no: score_item_fast */
        }
        dec_i128 c;
        switch (st->kind) {
        case FS_TABLE: { /* a direct rule inline; anything else as FS_ITEM */
            const Value *x = &view[st->slot];
            if (x->kind == VAL_NUMBER || x->kind == VAL_PERCENT) {
                const FastSeg *fs = &st->fseg[code_table_seg(code, st->ci, x->d.v)];
                if (fs->direct) {
                    /* e->item is not set: only the exact path and a pending
                       rounding read it, and a direct rule is never pending */
                    int idx = st->node;
                    e->fired[idx] = fs->pos;
                    e->reported[idx].v = fs->shown;
                    e->score_text[idx] = fs->tp;
                    accumulate(N, over, st, fs->c, checked);
                    continue;
                }
            }
        }
            /* fall through */
        case FS_ITEM:
        case FS_BOOLS:
        item : {
            bool ov = false;
            c = 0;
            if (!score_item_fast(e, st, &c, &ov))
                return 0;
            if (ov)
                FAST_OVER(st->ov);
            else
                accumulate(N, over, st, c, checked);
            continue;
        }
        case FS_GROUP: /* a group's sum is in its section's units */
            if (!checked && !fits120(N[st->node])) {
                FAST_OVER(st->ov);
                continue;
            }
            accumulate(N, over, st, N[st->node], checked);
            /* its reported value now (eval_fast_score's loop is then not
               needed): a failure falls back, where the exact path finds
               whatever error a later item has as it would */
            if ((!checked || !over[st->ov]) &&
                !round_sec(e, fp, st->sj, N[st->node], st->reported, st->text, FAST_ROUND_WAYS - 1))
                return -1;
            continue;
        default: { /* FS_SECTION */
            const FastNode *f = &e->fast[st->node];
            const ScoreNode *s = st->sn;
            if (checked ? over[st->node] : !fits120(N[st->node]))
                return -1;
            dec_i128 sum = N[st->node];
            if (st->clamp) {
                if (s->has_floor && sum < f->lo)
                    sum = f->lo;
                if (s->has_cap && sum > f->hi)
                    sum = f->hi;
                if (f->has_full && sum > f->full)
                    return -1; /* the exact path words the error */
                N[st->node] = sum;
            }
            if (st->acc < 0)
                continue;
            FastRound *m =
                round_sec(e, fp, st->sj, sum, st->reported, st->text, FAST_ROUND_WAYS - 1);
            if (!m)
                return -1; /* as FS_GROUP's */
            /* N x k is a function of N: kept in N's memo entry (the entry is
               this section's own, keyed by N) */
            if (!m->cstate)
                m->cstate = mul_fast(sum, f->k, &m->c) ? 1 : 2;
            if (m->cstate == 2)
                FAST_OVER(st->ov);
            else
                accumulate(N, over, st, m->c, checked);
            continue;
        }
        }
    }
    return 1;
#undef FAST_OVER
}

/* fast_steps made twice, `checked` a constant in each (FastPlan.checked):
 * the usual plan then has no test of it per step */
static int fast_steps_unchecked(Eval *e)
{
    return fast_steps(e, false);
}

static int fast_steps_checked(Eval *e)
{
    return fast_steps(e, true);
}

/* The yes/no facts the bytecode at pc reads, added to st's (no slot twice);
 * false when it reads a number or more than FAST_BOOLS of them. */
static bool code_bools(const Code *c, int pc, FastStep *st)
{
    for (const Instr *in = &c->ins[pc];; in++) {
        if (in->op == I_FACT)
            return false;
        if (in->op == I_BOOL) {
            int i = 0;
            while (i < st->nbool && st->bools[i] != in->b)
                i++;
            if (i == st->nbool) {
                if (st->nbool == FAST_BOOLS)
                    return false;
                st->bools[st->nbool++] = in->b;
            }
        }
        if (in->op == I_RET)
            return true;
    }
}

/* st->nbool and st->bools of item step st: the yes/no facts its compiled
 * code reads when it reads nothing else (then its outcome is kept by them,
 * FastItemMemo), else nbool 0. */
static void item_bools(const Code *c, FastStep *st)
{
    const CodeItem *ci = st->ci;
    st->nbool = 0;
    if (!ci || ci->table >= 0)
        return;
    for (int i = ci->first; i < ci->first + ci->n; i++) {
        const CodeRule *r = &c->rules[i];
        if (r->kind == CR_CMP || (r->kind == CR_CODE && !code_bools(c, r->cond, st)) ||
            (r->result >= 0 && !code_bools(c, r->result, st))) {
            st->nbool = 0;
            return;
        }
    }
}

/* Clears the marks of grid ci (a copy) when its fact is an integer and its
 * cells' width g divides 1 (10^18 units): why that is exact. An integer
 * fact's value is always whole (binding refuses any other: facts_value.c,
 * eval_bind.c, check_literal_value), so x, and glo = L x g, are multiples
 * of g, and so is d = x - glo; a value outside the grid is clamped to d = 0
 * or d = ghi - glo, multiples of g too. Then d is always q x g, the first
 * value of its cell, where a marked cell's answer holds (code_grid_holds):
 * the test would always pass. (Ratings `== 1..5` and counts `== 0` have
 * marked cells of 1.) */
static void grid_marks(const Program *p, CodeItem *ci)
{
    if (p->facts[ci->table].spec.type == FT_INTEGER && 1000000000000000000ULL % ci->g == 0)
        ci->marked = 0;
}

/* The index of section or group node i in fp->sec (the rubric: nsec). */
static int sec_index(const FastPlan *fp, int i)
{
    int j = 0;
    while (j < fp->nsec && fp->sec[j] != i)
        j++;
    return j;
}

/* The steps of s's subtree into fp (see FastStep); acc and ov: where s's
 * own contribution goes. */
static void plan_node(Eval *e, FastPlan *fp, const ScoreNode *s, int acc, int ov)
{
    const Code *code = e->code;
    int node = s->index >= 0 ? s->index : e->nn;
    fp->n0[node] = e->fast[node].base; /* its sum starts at its base (see fast_steps) */
    if (s->nkids + 1 > FAST_TERMS)     /* the base and the children */
        fp->checked = true;
    for (int i = 0; i < s->nkids; i++)
        if (s->kids[i]->kind == SN_GROUP && s->kids[i]->nkids > FAST_TERMS)
            fp->checked = true;
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (k->kind == SN_SECTION) {
            plan_node(e, fp, k, node, node);
            continue;
        }
        if (k->kind == SN_GROUP)
            fp->n0[k->index] = 0;
        int n = k->kind == SN_GROUP ? k->nkids : 1;
        for (int j = 0; j < n; j++) {
            const ScoreNode *it = k->kind == SN_GROUP ? k->kids[j] : k;
            const CodeItem *ci =
                code && code->items[it->index].compiled ? &code->items[it->index] : NULL;
            FastStep *is = &fp->step[fp->nstep++];
            *is = (FastStep){.kind = ci && ci->table >= 0 ? FS_TABLE : FS_ITEM,
                             .node = it->index,
                             .acc = k->kind == SN_GROUP ? k->index : node,
                             .ov = node,
                             .sn = it,
                             .ci = ci};
            /* where the step writes: the arrays never move once made */
            is->fired = &e->fired[it->index];
            is->reported = &e->reported[it->index].v;
            is->text = &e->score_text[it->index];
            is->sum = &e->fast_n[is->acc];
            if (is->kind == FS_TABLE) {
                is->fseg = fp->seg + ci->seg, is->slot = ci->table;
                is->x = &e->view[ci->table];
                if (ci->grid) { /* each cell's outcome (the rule of its segment) */
                    is->kind = FS_GRID;
                    is->gci = *ci;
                    grid_marks(e->p, &is->gci);
                    is->cellp = fp->cellp + ci->cell;
                    for (int q = 0; q < ci->ncell; q++)
                        fp->cellp[ci->cell + q] =
                            is->fseg + (code->cells[ci->cell + q] & ~CODE_CELL_EXACT);
                }
            }
            if (fp->imemo) {
                item_bools(code, is);
                is->imemo = fp->nimemo;
                fp->nimemo += is->nbool ? 1 << is->nbool : 0;
                if (is->nbool && is->kind == FS_ITEM) {
                    is->kind = FS_BOOLS;
                    for (int b = 0; b < is->nbool; b++)
                        is->bx[b] = &e->view[is->bools[b]];
                }
            }
            fp->last_item = it->name;
        }
        if (k->kind == SN_GROUP)
            fp->step[fp->nstep++] = (FastStep){.kind = FS_GROUP,
                                               .node = k->index,
                                               .acc = node,
                                               .ov = node,
                                               .sn = k,
                                               .sj = sec_index(fp, k->index),
                                               .reported = &e->reported[k->index].v,
                                               .text = &e->score_text[k->index]};
    }
    fp->step[fp->nstep++] =
        (FastStep){.kind = FS_SECTION,
                   .clamp = s->has_floor || s->has_cap || e->fast[node].has_full,
                   .node = node,
                   .acc = acc,
                   .ov = ov,
                   .sn = s,
                   .sj = sec_index(fp, node),
                   .reported = node < e->nn ? &e->reported[node].v : NULL,
                   .text = &e->score_text[node]};
}

/* One allocation for the plan: the parts one after the other, each aligned
 * for what it holds. */
static size_t carve(size_t *at, size_t n, size_t align)
{
    size_t off = (*at + align - 1) / align * align;
    *at = off + n;
    return off;
}

#define FAST_EMPTY ((dec_i128)((unsigned __int128)1 << 127)) /* never an N (below 2^120) */

static void fast_plan(Eval *e)
{
    const Program *p = e->p;
    size_t nn = (size_t)e->nn, nsteps = 3 * nn + 2, nsec = 0, nimemo = 0;
    for (size_t i = 0; i < nn; i++)
        nsec += p->nodes[i]->kind != SN_ITEM;
    if (e->code) { /* how many item outcomes to keep */
        for (size_t i = 0; i < nn; i++) {
            const CodeItem *ci = &e->code->items[i];
            FastStep st = {.ci = ci->compiled ? ci : NULL};
            item_bools(e->code, &st);
            nimemo += st.nbool ? (size_t)1 << st.nbool : 0;
        }
    }
    size_t size = sizeof(FastPlan);
    size_t o_step = carve(&size, nsteps * sizeof(FastStep), _Alignof(FastStep));
    size_t o_sec = carve(&size, (nsec + 1) * sizeof(int), _Alignof(int));
    size_t o_secf = carve(&size, (nsec + 1) * sizeof(FastNode *), _Alignof(FastNode *));
    size_t nround = nsec * FAST_ROUND_WAYS + FAST_ROUND_TOTAL;
    size_t o_round = carve(&size, nround * sizeof(FastRound), 16);
    size_t o_pend = carve(&size, (nn + 1) * sizeof(int), _Alignof(int));
    size_t o_over = carve(&size, (nn + 1) * sizeof(bool), 1);
    size_t o_imemo = carve(&size, (nimemo + 1) * sizeof(FastItemMemo), 16);
    size_t o_text = carve(&size, (nn + 1) * sizeof(DecText *), _Alignof(DecText *));
    size_t nseg = e->code ? (size_t)e->code->nsegs : 0;
    size_t o_seg = carve(&size, (nseg + 1) * sizeof(FastSeg), 16);
    size_t ncell = e->code ? (size_t)e->code->ncells : 0;
    size_t o_cellp = carve(&size, (ncell + 1) * sizeof(FastSeg *), _Alignof(FastSeg *));
    size_t o_n0 = carve(&size, (nn + 1) * sizeof(dec_i128), 16);
    char *b = xmalloc(size);
    FastPlan *fp = (FastPlan *)b;
    *fp = (FastPlan){.step = (FastStep *)(b + o_step),
                     .sec = (int *)(b + o_sec),
                     .sec_f = (const FastNode **)(b + o_secf),
                     .round = (FastRound *)(b + o_round),
                     .pending = (int *)(b + o_pend),
                     .over = (bool *)(b + o_over),
                     .imemo = e->code ? (FastItemMemo *)(b + o_imemo) : NULL};
    memset(b + o_imemo, 0, (nimemo + 1) * sizeof(FastItemMemo));
    fp->seg = (FastSeg *)(b + o_seg);
    fp->cellp = (const FastSeg **)(b + o_cellp);
    fp->n0 = (dec_i128 *)(b + o_n0);
    memset(fp->n0, 0, (nn + 1) * sizeof *fp->n0);
    for (size_t i = 0; i < nseg; i++) { /* each segment's rule's outcome (made by fast_rules) */
        int at = e->code->segs[i].rule;
        const FastRule *fr = at >= 0 ? &e->fast_rule[at] : NULL;
        fp->seg[i] = fr ? (FastSeg){.shown = fr->shown,
                                    .c = fr->c,
                                    .tp = fr->tp,
                                    .pos = fr->pos,
                                    .direct = fr->direct}
                        : (FastSeg){.direct = false};
    }
    e->score_text = (const DecText **)(b + o_text);
    memset(e->score_text, 0, (nn + 1) * sizeof *e->score_text);
    for (size_t i = 0; i < nn; i++) {
        const ScoreNode *nd = p->nodes[i];
        if (nd->kind == SN_ITEM)
            continue;
        const ScoreNode *sec = nd->kind == SN_GROUP ? nd->parent : nd;
        fp->sec_f[fp->nsec] = &e->fast[sec->index >= 0 ? sec->index : e->nn];
        fp->sec[fp->nsec++] = (int)i;
    }
    fp->sec[fp->nsec] = e->nn;
    fp->sec_f[fp->nsec] = &e->fast[e->nn];
    for (size_t i = 0; i < nround; i++)
        fp->round[i] = (FastRound){.n = FAST_EMPTY};
    memset(fp->over, 0, nn + 1);
    plan_node(e, fp, p->rubric, -1, -1);
    e->fast_plan = fp;
    memset(e->shown_ready, 1, nn * sizeof *e->shown_ready);
}

void eval_fast_prepare(Eval *e)
{
    if (e->code && !e->fast_rule)
        fast_rules(e);
    if (!e->fast_plan)
        fast_plan(e);
}

/* Score the bound employee on the fast path: 1 done, 0 an employee error,
 * -1 fall back to the exact path. */
int eval_fast_score(Eval *e)
{
    const Program *p = e->p;
    FastPlan *fp = e->fast_plan;
    /* e->view is e->shared: the fast path has no raters (eval_new) */
    for (int j = 0; j < fp->npending; j++) /* what an earlier employee left */
        e->shown_ready[fp->pending[j]] = true;
    fp->npending = 0;
    int r = fp->checked ? fast_steps_checked(e) : fast_steps_unchecked(e);
    if (r <= 0)
        return r;
    if (fp->npending) { /* every node in order, as an error must be found (the sections and
                           groups were rounded by their steps; their memo has them) */
        e->label = N_("item");
        e->label_name = fp->last_item;
        for (int i = 0, j = 0; i < e->nn; i++) {
            const ScoreNode *nd = p->nodes[i];
            if (nd->kind == SN_ITEM) {
                if (e->shown_ready[i])
                    continue;
                if (!dec_check(e, nd->decl, dec_round(e->item[i], p->round, &e->reported[i])))
                    return 0;
                continue;
            }
            if (!round_sec(e, fp, j, e->fast_n[i], &e->reported[i].v, &e->score_text[i],
                           FAST_ROUND_WAYS - 1))
                return -1;
            j++;
        }
    }
    const FastRound *t = round_sec(e, fp, fp->nsec, e->fast_n[e->nn], &e->total.v,
                                   &e->score_text[e->nn], FAST_ROUND_TOTAL - 1);
    if (!t)
        return -1;
    e->fast_grade = t->grade;
    e->fast_grade_text = t->grade_text;
    return 1;
}
