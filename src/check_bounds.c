/* check_bounds.c - intervals and aggregation (see check_impl.h): the bounds of
 * every expression over the declared fact ranges, exact (GMP), and from them
 * each node's mode, weights, full score and lowest score, bottom-up. */
#include "check_impl.h"

/* ---- intervals: bounds of expressions over the declared fact ranges ----
 *
 * Interval arithmetic over the extended reals (edition 2): a bound may be
 * -inf or +inf, 0 x inf is 0, and a division by an interval containing 0 can
 * be anything. Bounds are exact fractions; in an item body (dec) each product
 * and quotient is rounded to 18 places half to even as the item's arithmetic
 * rounds it, and a bound that reaches 10^20 there becomes infinite. */

typedef struct {
    mpq_t lo, hi;
    bool lo_inf, hi_inf; /* lo is -inf, hi is +inf */
} Iv;

typedef struct {
    const Program *p;
    bool dec; /* item-body arithmetic */
} IvCtx;

static void iv_init(Iv *x)
{
    mpq_inits(x->lo, x->hi, NULL);
    x->lo_inf = x->hi_inf = false;
}
static void iv_clear(Iv *x)
{
    mpq_clears(x->lo, x->hi, NULL);
}
static void iv_all(Iv *x)
{
    mpq_set_ui(x->lo, 0, 1), mpq_set_ui(x->hi, 0, 1);
    x->lo_inf = x->hi_inf = true;
}
static void iv_copy(Iv *r, const Iv *x)
{
    mpq_set(r->lo, x->lo), mpq_set(r->hi, x->hi);
    r->lo_inf = x->lo_inf, r->hi_inf = x->hi_inf;
}

/* In dec mode: round a finite bound as item arithmetic would, and make one
 * beyond a Dec's range infinite. */
static void iv_fit(const IvCtx *ix, mpq_ptr v, bool *inf, bool round)
{
    if (!ix->dec || *inf)
        return;
    Dec d;
    if (round ? !ex_round_even(v, &d) : !ex_is_dec(v, &d))
        *inf = true;
    else if (round)
        ex_from_dec(v, d);
}

static void iv_neg(Iv *x)
{
    mpq_swap(x->lo, x->hi);
    mpq_neg(x->lo, x->lo), mpq_neg(x->hi, x->hi);
    bool t = x->lo_inf;
    x->lo_inf = x->hi_inf, x->hi_inf = t;
}

/* r = x + y (x - y with sub); r may be x. */
static void iv_add(const IvCtx *ix, Iv *r, const Iv *x, Iv *y, bool sub)
{
    if (sub)
        iv_neg(y);
    r->lo_inf = x->lo_inf || y->lo_inf;
    r->hi_inf = x->hi_inf || y->hi_inf;
    mpq_add(r->lo, x->lo, y->lo);
    mpq_add(r->hi, x->hi, y->hi);
    iv_fit(ix, r->lo, &r->lo_inf, false);
    iv_fit(ix, r->hi, &r->hi_inf, false);
    if (sub)
        iv_neg(y);
}

/* An endpoint: inf -1/+1, or the finite value v. */
typedef struct {
    int inf;
    mpq_srcptr v;
} End;

static int end_sign(End e)
{
    return e.inf ? e.inf : mpq_sgn(e.v);
}

/* Order of two endpoints (inf -1/+1, or 0 and the finite value). */
static int ext_cmp(int ai, mpq_srcptr a, int bi, mpq_srcptr b)
{
    if (ai || bi)
        return (ai > bi) - (ai < bi);
    int c = mpq_cmp(a, b);
    return (c > 0) - (c < 0);
}

/* r = x * y or x / y over the extended reals; r may be x. */
static void iv_muldiv(const IvCtx *ix, Iv *r, const Iv *x, const Iv *y, bool div)
{
    if (div && (y->lo_inf || mpq_sgn(y->lo) <= 0) && (y->hi_inf || mpq_sgn(y->hi) >= 0)) {
        iv_all(r);
        return;
    }
    End xs[2] = {{x->lo_inf ? -1 : 0, x->lo}, {x->hi_inf ? 1 : 0, x->hi}};
    End ys[2] = {{y->lo_inf ? -1 : 0, y->lo}, {y->hi_inf ? 1 : 0, y->hi}};
    mpq_t v, lo, hi;
    mpq_inits(v, lo, hi, NULL);
    int lo_inf = 2, hi_inf = -2; /* 2/-2: no candidate yet */
    for (int i = 0; i < 4; i++) {
        End a = xs[i / 2], b = ys[i % 2];
        int inf = 0;
        if (!div) {
            if ((!a.inf && mpq_sgn(a.v) == 0) || (!b.inf && mpq_sgn(b.v) == 0))
                mpq_set_ui(v, 0, 1); /* 0 x inf = 0 */
            else if (a.inf || b.inf)
                inf = end_sign(a) * end_sign(b);
            else
                mpq_mul(v, a.v, b.v);
        } else {
            if (a.inf && b.inf)
                continue; /* the other candidates bound it */
            if (b.inf)
                mpq_set_ui(v, 0, 1);
            else if (a.inf)
                inf = end_sign(a) * end_sign(b);
            else
                mpq_div(v, a.v, b.v);
        }
        bool vinf = inf != 0;
        if (!vinf)
            iv_fit(ix, v, &vinf, true);
        if (vinf && !inf)
            inf = mpq_sgn(v) < 0 ? -1 : 1;
        if (lo_inf == 2 || ext_cmp(inf, v, lo_inf, lo) < 0) {
            lo_inf = inf;
            if (!inf)
                mpq_set(lo, v);
        }
        if (hi_inf == -2 || ext_cmp(inf, v, hi_inf, hi) > 0) {
            hi_inf = inf;
            if (!inf)
                mpq_set(hi, v);
        }
    }
    mpq_set(r->lo, lo), mpq_set(r->hi, hi);
    r->lo_inf = lo_inf != 0, r->hi_inf = hi_inf != 0;
    if (lo_inf > 0 || hi_inf < 0) /* cannot happen for non-empty intervals */
        iv_all(r);
    mpq_clears(v, lo, hi, NULL);
}

/* r = max(x, y) or min(x, y), pointwise; r may be x. */
static void iv_minmax(Iv *r, const Iv *x, const Iv *y, bool is_max)
{
    bool lo_inf, hi_inf;
    mpq_srcptr lo, hi;
    if (is_max) {
        lo_inf = x->lo_inf && y->lo_inf;
        lo = x->lo_inf ? y->lo : y->lo_inf ? x->lo : mpq_cmp(x->lo, y->lo) > 0 ? x->lo : y->lo;
        hi_inf = x->hi_inf || y->hi_inf;
        hi = mpq_cmp(x->hi, y->hi) > 0 ? x->hi : y->hi;
    } else {
        lo_inf = x->lo_inf || y->lo_inf;
        lo = mpq_cmp(x->lo, y->lo) < 0 ? x->lo : y->lo;
        hi_inf = x->hi_inf && y->hi_inf;
        hi = x->hi_inf ? y->hi : y->hi_inf ? x->hi : mpq_cmp(x->hi, y->hi) < 0 ? x->hi : y->hi;
    }
    mpq_t l, h;
    mpq_init(l), mpq_init(h);
    mpq_set(l, lo), mpq_set(h, hi);
    mpq_swap(r->lo, l), mpq_swap(r->hi, h);
    r->lo_inf = lo_inf, r->hi_inf = hi_inf;
    mpq_clear(l), mpq_clear(h);
}

static void iv_union(Iv *r, const Iv *x, const Iv *y)
{
    bool lo_inf = x->lo_inf || y->lo_inf, hi_inf = x->hi_inf || y->hi_inf;
    mpq_t l, h;
    mpq_init(l), mpq_init(h);
    mpq_set(l, mpq_cmp(x->lo, y->lo) < 0 ? x->lo : y->lo);
    mpq_set(h, mpq_cmp(x->hi, y->hi) > 0 ? x->hi : y->hi);
    if (x->lo_inf != y->lo_inf)
        mpq_set(l, x->lo_inf ? y->lo : x->lo);
    if (x->hi_inf != y->hi_inf)
        mpq_set(h, x->hi_inf ? y->hi : x->hi);
    mpq_swap(r->lo, l), mpq_swap(r->hi, h);
    r->lo_inf = lo_inf, r->hi_inf = hi_inf;
    mpq_clear(l), mpq_clear(h);
}

static void iv_expr(const IvCtx *ix, const Node *e, Iv *r);

static void iv_round(const IvCtx *ix, const Node *e, Iv *r)
{
    /* rounding is monotone: round the bounds when the digits are a constant;
       otherwise it moves a value by at most half a unit */
    iv_expr(ix, e->kids[0], r);
    bool pct = check_info(ix->p, e->kids[0])->ty == TY_PERCENT;
    const Node *n = e->kids[1];
    while (n->kind == AST_PAREN)
        n = n->a;
    Dec k = n->kind == AST_NUM ? check_num(ix->p, n) : dec_zero();
    if (n->kind == AST_NUM && dec_is_integer(k) && !dec_is_neg(k) &&
        dec_cmp(k, dec_from_int(pct ? DEC_SCALE - 2 : DEC_SCALE)) <= 0) {
        int places = (int)(k.v / dec_from_int(1).v) + (pct ? 2 : 0);
        if (!r->lo_inf)
            ex_round_q(r->lo, r->lo, places), iv_fit(ix, r->lo, &r->lo_inf, false);
        if (!r->hi_inf)
            ex_round_q(r->hi, r->hi, places), iv_fit(ix, r->hi, &r->hi_inf, false);
        return;
    }
    Iv h;
    iv_init(&h);
    mpq_set_si(h.hi, pct ? 1 : 100, 200);
    mpq_neg(h.lo, h.hi);
    iv_add(ix, r, r, &h, false);
    iv_clear(&h);
}

static void iv_expr(const IvCtx *ix, const Node *e, Iv *r)
{
    const Program *p = ix->p;
    const NodeInfo *in = check_info(p, e);
    Iv y;
    switch (e->kind) {
    case AST_NUM:
        ex_from_dec(r->lo, check_num(p, e)), ex_from_dec(r->hi, check_num(p, e));
        r->lo_inf = r->hi_inf = false;
        return;
    case AST_PAREN:
        iv_expr(ix, e->a, r);
        return;
    case AST_NEG:
        iv_expr(ix, e->a, r);
        iv_neg(r);
        return;
    case AST_NAME:
        if (in->ref == REF_FACT) {
            const FactSpec *s = &p->facts[in->slot].spec;
            ex_from_dec(r->lo, s->lo), ex_from_dec(r->hi, s->hi);
            r->lo_inf = !s->has_lo, r->hi_inf = !s->has_hi;
            return;
        }
        if (in->ref == REF_NODE) {
            const ScoreNode *n = p->nodes[in->slot];
            r->lo_inf = n->low_inf || !n->qlow, r->hi_inf = !n->full_ok || !n->qfull;
            mpq_set_ui(r->lo, 0, 1), mpq_set_ui(r->hi, 0, 1);
            if (!r->lo_inf)
                mpq_set(r->lo, n->qlow);
            if (!r->hi_inf)
                mpq_set(r->hi, n->qfull);
            return;
        }
        iv_all(r);
        return;
    case AST_BIN:
        iv_init(&y);
        iv_expr(ix, e->a, r);
        iv_expr(ix, e->b, &y);
        if (e->op == OP_ADD || e->op == OP_SUB)
            iv_add(ix, r, r, &y, e->op == OP_SUB);
        else
            iv_muldiv(ix, r, r, &y, e->op == OP_DIV);
        iv_clear(&y);
        return;
    case AST_CALL:
        switch (in->fn) {
        case FN_MIN:
        case FN_MAX:
        case FN_SUM:
        case FN_AVG:
            iv_init(&y);
            iv_expr(ix, e->kids[0], r);
            for (uint32_t i = 1; i < e->nkids; i++) {
                iv_expr(ix, e->kids[i], &y);
                if (in->fn == FN_MIN || in->fn == FN_MAX)
                    iv_minmax(r, r, &y, in->fn == FN_MAX);
                else
                    iv_add(ix, r, r, &y, false);
            }
            if (in->fn == FN_AVG) {
                mpq_set_ui(y.lo, e->nkids, 1), mpq_set_ui(y.hi, e->nkids, 1);
                y.lo_inf = y.hi_inf = false;
                iv_muldiv(ix, r, r, &y, true);
            }
            iv_clear(&y);
            return;
        case FN_CLAMP:
            iv_init(&y);
            iv_expr(ix, e->kids[0], r);
            iv_expr(ix, e->kids[1], &y);
            iv_minmax(r, r, &y, true);
            iv_expr(ix, e->kids[2], &y);
            iv_minmax(r, r, &y, false);
            iv_clear(&y);
            return;
        case FN_ABS:
            iv_expr(ix, e->kids[0], r);
            if (!r->lo_inf && mpq_sgn(r->lo) >= 0)
                return;
            if (!r->hi_inf && mpq_sgn(r->hi) <= 0) {
                iv_neg(r);
                return;
            }
            /* straddles 0: [0, max(-lo, hi)] */
            r->hi_inf = r->hi_inf || r->lo_inf;
            mpq_neg(r->lo, r->lo);
            if (!r->hi_inf && mpq_cmp(r->lo, r->hi) > 0)
                mpq_set(r->hi, r->lo);
            mpq_set_ui(r->lo, 0, 1);
            r->lo_inf = false;
            return;
        case FN_ROUND:
            iv_round(ix, e, r);
            return;
        case FN_COUNT:
            mpq_set_ui(r->lo, 0, 1), mpq_set_ui(r->hi, e->nkids, 1);
            r->lo_inf = r->hi_inf = false;
            return;
        case FN_IF:
            iv_init(&y);
            iv_expr(ix, e->kids[1], r);
            iv_expr(ix, e->kids[2], &y);
            iv_union(r, r, &y);
            iv_clear(&y);
            return;
        default:
            iv_all(r);
            return;
        }
    default:
        iv_all(r);
        return;
    }
}

/* Bounds of a score expression in points (a percent counts its points). */
static void iv_points(const Program *p, const Node *e, bool dec, Iv *r)
{
    IvCtx ix = {p, dec};
    iv_expr(&ix, e, r);
    if (check_info(p, e)->ty == TY_PERCENT) {
        mpq_t h;
        mpq_init(h);
        mpq_set_ui(h, 100, 1);
        mpq_mul(r->lo, r->lo, h), mpq_mul(r->hi, r->hi, h);
        mpq_clear(h);
        iv_fit(&ix, r->lo, &r->lo_inf, false);
        iv_fit(&ix, r->hi, &r->hi_inf, false);
    }
}

/* The facts read by e with no upper bound (or, when every one has one, no
 * lower bound), as "a, b" for a hint; "" when none. */
static const char *unbounded_facts(Ck *c, const Node *e, bool upper, const char *acc)
{
    if (!e)
        return acc;
    if (e->kind == AST_NAME && check_info(c->p, e)->ref == REF_FACT) {
        const FactSpec *s = &c->p->facts[check_info(c->p, e)->slot].spec;
        if ((upper ? !s->has_hi : !s->has_lo) && !strstr(acc, e->name))
            return *acc ? arena_printf(c->a, "%s%s%s", acc, _(", "), e->name) : e->name;
        return acc;
    }
    acc = unbounded_facts(c, e->a, upper, acc);
    acc = unbounded_facts(c, e->b, upper, acc);
    for (uint32_t i = 0; i < e->nkids; i++)
        acc = unbounded_facts(c, e->kids[i], upper, acc);
    return acc;
}

/* Every fact e reads, as "a, b" for a hint; "" when none. */
static const char *read_facts(Ck *c, const Node *e, const char *acc)
{
    if (!e)
        return acc;
    if (e->kind == AST_NAME && check_info(c->p, e)->ref == REF_FACT)
        return strstr(acc, e->name) ? acc
               : *acc               ? arena_printf(c->a, "%s%s%s", acc, _(", "), e->name)
                                    : e->name;
    acc = read_facts(c, e->a, acc);
    acc = read_facts(c, e->b, acc);
    for (uint32_t i = 0; i < e->nkids; i++)
        acc = read_facts(c, e->kids[i], acc);
    return acc;
}

/* ---- aggregation: modes, weights and full scores, bottom-up ---- */

static void add_member(Ck *c, ScoreNode *sec, ScoreNode *m)
{
    ScoreNode **k = arena_alloc(c->a, (size_t)(sec->nmembers + 1) * sizeof *k);
    if (sec->nmembers)
        memcpy(k, sec->members, (size_t)sec->nmembers * sizeof *k);
    k[sec->nmembers++] = m;
    sec->members = k;
}

/* Record the exact full score q (finite) of s, with its 18-place display form
 * (half away from zero, as every reported number is rounded; an item's is
 * an 18-place decimal already). */
static void set_full(Ck *c, ScoreNode *s, mpq_srcptr q)
{
    if (!s->qfull)
        s->qfull = ex_arena_new(c->a);
    mpq_set(s->qfull, q);
    s->full_ok = true;
    s->full_inf = false;
    if (!ex_round(q, DEC_SCALE, &s->full))
        s->full = dec_zero();
}

static void set_low(Ck *c, ScoreNode *s, mpq_srcptr q, bool inf)
{
    if (!s->qlow)
        s->qlow = ex_arena_new(c->a);
    s->low_inf = inf;
    mpq_set(s->qlow, q);
    if (inf || !ex_round_even(q, &s->low))
        s->low = dec_zero();
}

/* A plain number of points for option o (base, floor, cap); a percent is an error. */
static bool points_option(Ck *c, const Node *o, const char *word, const char *code, Dec *out)
{
    bool pct = false;
    if (!num_of(o, out, &pct))
        return false;
    if (pct) {
        err(c, o, code, "%s is a number of points, not a percent", _(word));
        return false;
    }
    return true;
}

/* base/floor/cap of s from its header (or the rubric body's statements). */
static void read_clamps(Ck *c, ScoreNode *s)
{
    if (s->opt_floor)
        s->has_floor = points_option(c, s->opt_floor, N_("floor"), "clamp", &s->floor);
    if (s->opt_cap)
        s->has_cap = points_option(c, s->opt_cap, N_("cap"), "clamp", &s->cap);
    if (s->opt_base)
        s->has_base = points_option(c, s->opt_base, N_("base"), "base", &s->base);
}

/* After full and low are known: the cap lowers the full score, floor and cap
 * bound the lowest score, a veto can take it to 0; [clamp] checks. */
static void apply_clamps(Ck *c, ScoreNode *s, const char *label)
{
    mpq_t h, l;
    mpq_inits(h, l, NULL);
    if (s->has_cap) {
        ex_from_dec(h, s->cap);
        /* +inf capped is H; a known full score above H becomes H */
        if (s->full_inf || (s->full_ok && mpq_cmp(s->qfull, h) > 0))
            set_full(c, s, h);
    }
    if (s->has_floor && s->has_cap && dec_cmp(s->floor, s->cap) > 0) {
        char a[DEC_BUFSZ], b[DEC_BUFSZ];
        dec_format(s->floor, a), dec_format(s->cap, b);
        err(c, s->opt_floor, "clamp", "the floor %s of %s is above its cap %s", a, label, b);
    } else if (s->has_floor && s->full_ok) {
        ex_from_dec(l, s->floor);
        if (mpq_cmp(l, s->qfull) > 0) {
            char a[DEC_BUFSZ];
            dec_format(s->floor, a);
            err(c, s->opt_floor, "clamp", "the floor %s of %s is above its full score %s", a, label,
                ex_text(c->a, s->qfull));
        }
    }
    /* lowest score: floored, capped, vetoed */
    mpq_set(l, s->qlow ? s->qlow : l);
    bool inf = s->low_inf || !s->qlow;
    if (s->has_floor) {
        ex_from_dec(h, s->floor);
        if (inf || mpq_cmp(l, h) < 0)
            mpq_set(l, h), inf = false;
    }
    if (s->has_cap) {
        ex_from_dec(h, s->cap);
        if (!inf && mpq_cmp(l, h) > 0)
            mpq_set(l, h);
    }
    if (s->nvetoes && !inf && mpq_sgn(l) > 0)
        mpq_set_ui(l, 0, 1); /* a veto can take it to 0 */
    set_low(c, s, l, inf);
    mpq_clears(h, l, NULL);
}

/* The [max] error for a full score of +inf where a finite one is needed,
 * reported where it arises: the item (naming the facts without an upper
 * bound) or the section's score expression, through sections that add. */
static void report_unbounded(Ck *c, ScoreNode *s)
{
    if (s->inf_reported || !s->full_inf)
        return;
    s->inf_reported = true;
    if (s->kind == SN_ITEM && s->unbounded) {
        /* over the exact reals the result may be bounded after all: then only
           the 10^20 limit of item arithmetic was exceeded, by the result or by
           a step on the way, and no fact lacks a bound */
        Iv exact;
        iv_init(&exact);
        iv_points(c->p, s->unbounded, false, &exact);
        bool finite = !exact.hi_inf;
        bool result = false;
        if (finite) {
            mpq_t lim;
            mpq_init(lim);
            mpq_set_str(lim, "100000000000000000000", 10);
            result = mpq_cmp(exact.hi, lim) >= 0;
            mpq_clear(lim);
        }
        iv_clear(&exact);
        if (finite) {
            if (result)
                err(c, s->unbounded, "max",
                    "cannot work out the full score of item %s: its result can reach 10^20, the "
                    "limit of an item's numbers",
                    s->name);
            else
                err(c, s->unbounded, "max",
                    "cannot work out the full score of item %s: a step of its calculation can "
                    "reach 10^20, the limit of an item's numbers",
                    s->name);
            const char *facts = read_facts(c, s->unbounded, "");
            if (*facts)
                diag_hint(c->d,
                          "The ranges of %s allow it: narrow them, or declare the item's full "
                          "score, e.g. item %s max 20 { … } (an employee whose numbers reach "
                          "10^20 is then an error of their own).",
                          facts, s->name);
            else
                diag_hint(c->d, "Its numbers alone reach it: write smaller ones.");
            return;
        }
        err(c, s->unbounded, "max",
            "cannot work out the full score of item %s: this can be any size", s->name);
        const char *facts = unbounded_facts(c, s->unbounded, true, "");
        if (*facts)
            diag_hint(c->d,
                      strstr(facts, _(", "))
                          ? N_("%s have no upper bound: give them a range (e.g. 0..10), or "
                               "declare the item's full score, e.g. item %s max 20 { … }, or cap "
                               "it.")
                          : N_("%s has no upper bound: give it a range (e.g. 0..10), or declare "
                               "the item's full score, e.g. item %s max 20 { … }, or cap it."),
                      facts, s->name);
        else if (*(facts = unbounded_facts(c, s->unbounded, false, "")))
            /* every fact has an upper bound: a missing lower one did it (-c) */
            diag_hint(c->d,
                      strstr(facts, _(", "))
                          ? N_("%s have no lower bound, so the result has no upper one: give them "
                               "a range (e.g. 0..10), or declare the item's full score, e.g. item "
                               "%s max 20 { … }, or cap it.")
                          : N_("%s has no lower bound, so the result has no upper one: give it a "
                               "range (e.g. 0..10), or declare the item's full score, e.g. item %s "
                               "max 20 { … }, or cap it."),
                      facts, s->name);
        else /* every fact is bounded: only a divisor whose range holds 0 makes +inf */
            diag_hint(c->d,
                      "A divisor's range includes 0, so the result has no bound: keep the "
                      "divisor's range away from 0, or declare the item's full score, e.g. item "
                      "%s max 20 { … }.",
                      s->name);
        return;
    }
    if (s->score) {
        const char *label =
            s->kind == SN_RUBRIC ? _("the rubric") : arena_printf(c->a, _("section %s"), s->name);
        err(c, s->score, "max", "cannot work out the full score of %s from its score expression",
            label);
        diag_hint(c->d, "Declare it with max, e.g. section %s max 100 { … }, or cap it.", s->name);
        return;
    }
    for (int i = 0; i < s->nmembers; i++)
        report_unbounded(c, s->members[i]);
}

static void finish_item(Ck *c, ScoreNode *it)
{
    const Node *d = it->decl;
    Scope sc = {SC_ITEM, it, 0, arena_printf(c->a, _("item %s"), it->name)};
    read_clamps(c, it);
    if (it->has_base) {
        err(c, it->opt_base, "base", "an item has no base; base belongs to a points section");
        diag_hint(c->d, "Put base on the section that holds the deductions: section NAME base 30 "
                        "floor 0 { … }.");
    }
    if (it->score && it->nrules) {
        err(c, it->rules[0], "item-body", "item %s has both a score and rules", it->name);
        diag_hint(c->d, "Give either {score} EXPR or a list of rules.");
    }
    if (!it->score && !it->nrules) {
        if (c->syntax_errors)
            return; /* its rules were probably lost to a syntax error already reported */
        Node at = name_span(d);
        err(c, &at, "item-body", "item %s gives no score", it->name);
        diag_hint(c->d, "Add {score} EXPR, or rules such as 完成率 >= 90 -> 20.");
        return;
    }
    if (it->score)
        type_score(c, it->score, &sc);
    type_rules(c, it->rules, it->nrules, &sc, false);
    /* full score: declared, or the largest result */
    Iv all, r;
    iv_init(&all), iv_init(&r);
    bool first = true, typed = true;
    const Node *unbounded = NULL;
    for (int i = 0; i < (it->score ? 1 : it->nrules); i++) {
        const Node *res = it->score ? it->score : it->rules[i]->b;
        if (ty_of(c, res) == TY_UNKNOWN) {
            typed = false;
            continue;
        }
        iv_points(c->p, res, true, &r);
        if (r.hi_inf && !unbounded)
            unbounded = res;
        if (first)
            iv_copy(&all, &r);
        else
            iv_union(&all, &all, &r);
        first = false;
    }
    set_low(c, it, all.lo, first || all.lo_inf);
    if (it->opt_max) {
        Dec m = dec_zero();
        bool pct = false;
        num_of(it->opt_max, &m, &pct);
        if (pct)
            err(c, it->opt_max, "max", "a full score is a number of points, not a percent");
        mpq_t q;
        mpq_init(q);
        ex_from_dec(q, m);
        set_full(c, it, q);
        /* what the item can score after its cap (an employee above max is an error) */
        mpq_t top;
        mpq_init(top);
        mpq_set(top, all.hi);
        bool top_inf = all.hi_inf;
        if (top_inf && typed && !first) {
            /* past 10^20 in 18-place decimals, but perhaps bounded over the
               exact reals: then that bound is what the warning below names */
            Iv ex;
            iv_init(&ex);
            top_inf = false;
            for (int i = 0; i < (it->score ? 1 : it->nrules) && !top_inf; i++) {
                iv_points(c->p, it->score ? it->score : it->rules[i]->b, false, &ex);
                top_inf = ex.hi_inf;
                if (!top_inf && (i == 0 || mpq_cmp(ex.hi, top) > 0))
                    mpq_set(top, ex.hi);
            }
            iv_clear(&ex);
        }
        if (it->has_cap) {
            mpq_t h;
            mpq_init(h);
            ex_from_dec(h, it->cap);
            if (top_inf || mpq_cmp(h, top) < 0)
                mpq_set(top, h), top_inf = false;
            mpq_clear(h);
        }
        if (!pct && typed && !first && !top_inf && mpq_cmp(top, q) > 0) {
            char b[DEC_BUFSZ];
            dec_format(m, b);
            warn(c, it->opt_max, "over-max",
                 "item %s can score up to %s, above its declared max %s", it->name,
                 ex_text(c->a, top), b);
            diag_hint(c->d,
                      "An employee who gets more than %s cannot be scored; lower the rule's result "
                      "or raise {max}.",
                      b);
        }
        mpq_clear(top);
        mpq_clear(q);
    } else if (typed && !first) {
        if (unbounded) {
            it->full_inf = true;
            it->unbounded = unbounded;
        } else {
            set_full(c, it, all.hi);
        }
    }
    iv_clear(&all), iv_clear(&r);
    apply_clamps(c, it, arena_printf(c->a, _("item %s"), it->name));
}

static void finish_group(Ck *c, ScoreNode *g)
{
    for (int i = 0; i < g->nkids; i++)
        finish_item(c, g->kids[i]);
}

/* Lowest contribution of member m to weighted section sec with scale F:
 * low x weight x F / full, exact; false when it has none. */
static bool contribution_low(const ScoreNode *m, mpq_srcptr F, mpq_ptr out)
{
    if (m->low_inf || !m->qlow || !m->full_ok || mpq_sgn(m->qfull) <= 0)
        return false;
    mpq_t w;
    mpq_init(w);
    ex_from_dec(w, m->weight);
    mpq_mul(out, m->qlow, w);
    mpq_mul(out, out, F);
    mpq_div(out, out, m->qfull);
    mpq_clear(w);
    return true;
}

void finish_section(Ck *c, ScoreNode *s)
{
    const Node *d = s->decl;
    bool is_root = s->kind == SN_RUBRIC;
    const char *label = is_root ? _("the rubric") : arena_printf(c->a, _("section %s"), s->name);
    /* children first; groups contribute their items as members */
    for (int i = 0; i < s->nkids; i++) {
        ScoreNode *k = s->kids[i];
        if (k->kind == SN_ITEM) {
            finish_item(c, k);
            add_member(c, s, k);
        } else if (k->kind == SN_GROUP) {
            finish_group(c, k);
            for (int j = 0; j < k->nkids; j++)
                add_member(c, s, k->kids[j]);
        } else {
            finish_section(c, k);
            add_member(c, s, k);
        }
    }
    read_clamps(c, s);
    int weighted = 0;
    for (int i = 0; i < s->nmembers; i++)
        weighted += s->members[i]->has_weight;
    Node at = name_span(d);
    if (is_root) {
        at.start = d->start;
        at.end = d->name_end > d->start ? d->name_end : d->start + 1;
    }
    s->mode = weighted ? MODE_WEIGHTED : MODE_POINTS;
    bool ok = true;
    if (weighted && weighted < s->nmembers) {
        ok = false;
        err(c, &at, "weights", "%s mixes weighted and unweighted children", label);
        for (int i = 0; i < s->nmembers; i++)
            if (!s->members[i]->has_weight) {
                Node m = name_span(s->members[i]->decl);
                diag_note(c->d, c->src, m.start, m.end, "%s %s has no weight",
                          kind_word(s->members[i]->kind), s->members[i]->name);
                break;
            }
        diag_hint(c->d,
                  "Give every child a weight (they add up to 100%%), or none (points are added).");
    }
    if (s->has_base && (weighted || s->score)) {
        if (s->score)
            err(c, s->opt_base, "base", "%s gives its own score expression, so it has no base",
                label);
        else
            err(c, s->opt_base, "base", "%s is weighted, so it has no base", label);
        diag_hint(c->d, s->score ? N_("Add the base in the score expression itself.")
                                 : N_("base belongs to a points section, whose children have no "
                                      "weight and add their points to it."));
    }
    /* groups: declared weight = sum of items' weights */
    for (int i = 0; i < s->nkids; i++) {
        ScoreNode *g = s->kids[i];
        if (g->kind != SN_GROUP || !g->has_weight)
            continue;
        Dec sum = dec_zero();
        bool all = true;
        for (int j = 0; j < g->nkids; j++) {
            all &= g->kids[j]->has_weight;
            dec_add(sum, g->kids[j]->weight, &sum);
        }
        Node gat = name_span(g->decl);
        if (!all)
            err(c, &gat, "weights", "group %s has a weight but not all of its items do", g->name);
        else if (dec_cmp(sum, g->weight) != 0)
            err(c, &gat, "weights", "group %s has weight %s but its items' weights add up to %s",
                g->name, value_percent_text(c->a, g->weight), value_percent_text(c->a, sum));
    }
    Dec F = dec_from_int(100);
    bool declared = false, members_ok_for_max = true;
    if (s->opt_max) {
        bool pct = false;
        num_of(s->opt_max, &F, &pct);
        declared = true;
        if (pct && !is_root)
            err(c, s->opt_max, "max", "a full score is a number of points, not a percent");
        else if (!pct && dec_cmp(F, dec_zero()) <= 0)
            err(c, s->opt_max, "max", "the full score of %s must be above 0", label);
        if (pct || dec_cmp(F, dec_zero()) <= 0)
            members_ok_for_max = false;
    }
    for (int i = 0; i < s->nmembers; i++)
        if (s->members[i]->bad_weight)
            ok = false; /* already reported: the sum would only repeat it */
    if (ok && s->mode == MODE_WEIGHTED) {
        Dec sum = dec_zero();
        for (int i = 0; i < s->nmembers; i++)
            dec_add(sum, s->members[i]->weight, &sum);
        if (dec_cmp(sum, dec_from_int(1)) != 0) {
            err(c, &at, "weights", "the weights in %s add up to %s, not 100%%", label,
                value_percent_text(c->a, sum));
            const char *list = "";
            for (int i = 0; i < s->nmembers && i < 12; i++)
                list = arena_printf(c->a, "%s%s%s %s", list, i ? ", " : "", s->members[i]->name,
                                    value_percent_text(c->a, s->members[i]->weight));
            diag_hint(c->d, "The weights are: %s.", list);
        }
        for (int i = 0; i < s->nmembers; i++) {
            ScoreNode *m = s->members[i];
            if (m->full_ok && mpq_sgn(m->qfull) <= 0) {
                Node mat = name_span(m->decl);
                err(c, &mat, "max", "%s %s has full score %s, so it cannot be weighted",
                    kind_word(m->kind), m->name, ex_text(c->a, m->qfull));
                if (m->low_inf || mpq_sgn(m->qlow) < 0)
                    diag_hint(c->d, "A weighted child needs a full score above 0; put deductions "
                                    "in a points section with a base, e.g. section NAME weight "
                                    "20%% base 30 floor 0 { … }.");
            } else if (m->full_inf) {
                report_unbounded(c, m);
            }
        }
    }
    /* the section's own score expression, if any */
    if (s->score) {
        Scope sc = {SC_SECTION, s, 0, label};
        type_score(c, s->score, &sc);
    }
    for (int i = 0; i < s->nvetoes; i++) {
        Scope sc = {SC_SECTION, s, 0, label};
        need_bool(c, s->vetoes[i]->a, &sc, "a veto's condition");
    }
    /* full score and lowest score */
    mpq_t q, low, t;
    mpq_inits(q, low, t, NULL);
    bool low_inf = false;
    if (s->score) {
        Iv r;
        iv_init(&r);
        if (ty_of(c, s->score) == TY_UNKNOWN)
            iv_all(&r);
        else
            iv_points(c->p, s->score, false, &r);
        mpq_set(low, r.lo), low_inf = r.lo_inf;
        if (declared) {
            ex_from_dec(q, F);
            set_full(c, s, q);
        } else if (ty_of(c, s->score) != TY_UNKNOWN) {
            if (r.hi_inf)
                s->full_inf = true;
            else
                set_full(c, s, r.hi);
        }
        iv_clear(&r);
        if (s->mode == MODE_WEIGHTED && s->full_ok) {
            s->qscale = ex_arena_new(c->a);
            mpq_set(s->qscale, s->qfull);
        }
    } else if (s->mode == MODE_WEIGHTED) {
        ex_from_dec(q, F);
        s->qscale = ex_arena_new(c->a);
        mpq_set(s->qscale, q);
        set_full(c, s, q);
        for (int i = 0; i < s->nmembers && !low_inf; i++) {
            if (!contribution_low(s->members[i], q, t))
                low_inf = true;
            else
                mpq_add(low, low, t);
        }
    } else {
        bool members_ok = true, inf = false;
        if (s->has_base)
            ex_from_dec(q, s->base), ex_from_dec(low, s->base);
        for (int i = 0; i < s->nmembers; i++) {
            ScoreNode *m = s->members[i];
            members_ok &= m->full_ok || m->full_inf;
            inf |= m->full_inf;
            if (m->full_ok)
                mpq_add(q, q, m->qfull);
            if (m->low_inf || !m->qlow)
                low_inf = true;
            else
                mpq_add(low, low, m->qlow);
        }
        if (members_ok && inf)
            s->full_inf = true;
        else if (members_ok)
            set_full(c, s, q);
    }
    set_low(c, s, low, low_inf);
    apply_clamps(c, s, label);
    if (!s->score && s->mode == MODE_POINTS && declared && members_ok_for_max) {
        /* a declared max must equal the full score the children give (after the cap) */
        ex_from_dec(t, F);
        if (s->full_inf) {
            report_unbounded(c, s);
        } else if (s->full_ok && mpq_cmp(s->qfull, t) != 0) {
            char a[DEC_BUFSZ], b[DEC_BUFSZ];
            dec_format(F, a);
            if (s->has_base && !s->has_cap) { /* say where the rest comes from */
                dec_format(s->base, b);
                err(c, s->opt_max, "max",
                    "%s declares max %s but its base %s and its children's full scores add up "
                    "to %s",
                    label, a, b, ex_text(c->a, s->qfull));
            } else {
                err(c, s->opt_max, "max",
                    "%s declares max %s but its children's full scores add up to %s", label, a,
                    ex_text(c->a, s->qfull));
            }
        }
        if (s->full_ok || s->full_inf)
            set_full(c, s, t);
    }
    if (is_root && !s->score && s->mode == MODE_POINTS && s->full_inf)
        report_unbounded(c, s); /* the total in points mode needs a finite full score */
    mpq_clears(q, low, t, NULL);
}
