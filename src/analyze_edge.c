/* analyze_edge.c - two rules of a list that meet on a single value (see
 * analyze_impl.h): `x >= 80 -> 5` after `x > 80 -> 10` leaves 80 itself to the
 * lower rule, which is worth a note when the value looks like a threshold. */
#include <stdlib.h>

#include "analyze_impl.h"

/* ---- boundary: two rules that meet on a single value ---- */

/* A rule's condition over one variable as a union of intervals of the real
 * line (declared ranges ignored, integers read as reals, as the design says).
 */
#define MAX_SPANS 32
typedef struct {
    const Node *var; /* the NAME or TOTAL node naming the variable (first met) */
    Ival iv[MAX_SPANS];
    int n;
    bool ok; /* the condition is of the analysed form */
} Line1;

static bool same_var(const Program *p, const Node *x, const Node *y)
{
    x = strip(x), y = strip(y);
    if (x->kind == AST_TOTAL || y->kind == AST_TOTAL)
        return x->kind == y->kind;
    const NodeInfo *ix = check_info(p, x), *iy = check_info(p, y);
    return x->kind == AST_NAME && y->kind == AST_NAME && ix->ref == iy->ref && ix->slot == iy->slot;
}

/* A variable of the boundary analysis: total, or a numeric fact, node or
 * output. */
static bool var1(const Program *p, const Node *n)
{
    n = strip(n);
    if (n->kind == AST_TOTAL)
        return true;
    const NodeInfo *in = check_info(p, n);
    return n->kind == AST_NAME && in->ref != REF_NONE &&
           (in->ty == TY_NUMBER || in->ty == TY_PERCENT);
}

static void l1_push(Line1 *l, Ival x)
{
    if (iv_empty(x))
        return;
    if (l->n == MAX_SPANS) {
        l->ok = false;
        return;
    }
    l->iv[l->n++] = x;
}

static Line1 l1_meet(Line1 x, const Line1 *y)
{
    Line1 r = {.var = x.var ? x.var : y->var, .ok = x.ok && y->ok};
    for (int i = 0; i < x.n; i++)
        for (int j = 0; j < y->n; j++)
            l1_push(&r, iv_meet(x.iv[i], y->iv[j]));
    return r;
}

static Line1 l1_join(Line1 x, const Line1 *y)
{
    Line1 r = x;
    r.var = x.var ? x.var : y->var;
    r.ok = x.ok && y->ok;
    for (int j = 0; j < y->n; j++)
        l1_push(&r, y->iv[j]);
    return r;
}

static Line1 l1_all(void)
{
    Line1 r = {.ok = true};
    r.iv[0] = iv_full(), r.n = 1;
    return r;
}

/* The complement of x: the gaps between its intervals, sorted. */
static Line1 l1_not(Line1 x)
{
    Line1 r = {.var = x.var, .ok = x.ok};
    Ival rest = iv_full();
    /* subtract each interval from each piece, in turn */
    Line1 cur = {.var = x.var, .ok = true};
    cur.iv[0] = rest, cur.n = 1;
    for (int i = 0; i < x.n && cur.ok; i++) {
        Line1 next = {.var = x.var, .ok = true};
        Ival b = x.iv[i];
        for (int k = 0; k < cur.n; k++) {
            if (!b.lo_inf)
                l1_push(&next, iv_meet(cur.iv[k],
                                       (Ival){dec_zero(), b.lo, true, false, false, !b.lo_open}));
            if (!b.hi_inf)
                l1_push(&next, iv_meet(cur.iv[k],
                                       (Ival){b.hi, dec_zero(), false, true, !b.hi_open, false}));
        }
        next.ok &= cur.ok;
        cur = next;
    }
    for (int k = 0; k < cur.n; k++)
        l1_push(&r, cur.iv[k]);
    r.ok &= cur.ok;
    return r;
}

static Line1 l1_compare(const Node *var, AstOp op, Dec c)
{
    Line1 r = {.var = var, .ok = true};
    switch (op) {
    case OP_EQ:
        l1_push(&r, (Ival){c, c, false, false, false, false});
        break;
    case OP_NE:
        l1_push(&r, (Ival){dec_zero(), c, true, false, false, true});
        l1_push(&r, (Ival){c, dec_zero(), false, true, true, false});
        break;
    case OP_LT:
    case OP_LE:
        l1_push(&r, (Ival){dec_zero(), c, true, false, false, op == OP_LT});
        break;
    case OP_GT:
    case OP_GE:
        l1_push(&r, (Ival){c, dec_zero(), false, true, op == OP_GT, false});
        break;
    default:
        r.ok = false;
    }
    return r;
}

static Line1 l1_cond(const Program *p, const Node *cond)
{
    const Node *n = strip(cond);
    Line1 bad = {.ok = false};
    switch (n->kind) {
    case AST_NOT:
        return l1_not(l1_cond(p, n->a));
    case AST_AND:
    case AST_OR: {
        Line1 x = l1_cond(p, n->a), y = l1_cond(p, n->b);
        if (!x.ok || !y.ok || (x.var && y.var && !same_var(p, x.var, y.var)))
            return bad;
        return n->kind == AST_AND ? l1_meet(x, &y) : l1_join(x, &y);
    }
    case AST_CHAIN: {
        Line1 acc = l1_all();
        for (uint32_t i = 0; i + 1 < n->nkids; i++) {
            Dec c;
            const Node *v;
            AstOp op = n->ops[i];
            if (constant(p, n->kids[i + 1], &c) && var1(p, n->kids[i])) {
                v = n->kids[i];
            } else if (constant(p, n->kids[i], &c) && var1(p, n->kids[i + 1])) {
                v = n->kids[i + 1];
                op = flip(op);
            } else {
                return bad;
            }
            if (acc.var && !same_var(p, acc.var, v))
                return bad;
            Line1 part = l1_compare(v, op, c);
            acc = l1_meet(acc, &part);
        }
        return acc;
    }
    default:
        return bad;
    }
}

static bool l1_has(const Line1 *l, Dec v)
{
    for (int i = 0; i < l->n; i++) {
        Ival x = l->iv[i];
        int lo = x.lo_inf ? -1 : dec_cmp(x.lo, v), hi = x.hi_inf ? 1 : dec_cmp(x.hi, v);
        if ((lo < 0 || (lo == 0 && !x.lo_open)) && (hi > 0 || (hi == 0 && !x.hi_open)))
            return true;
    }
    return false;
}

/* l holds some (v - e, v) (below) or (v, v + e) (above). */
static bool l1_near(const Line1 *l, Dec v, bool above)
{
    for (int i = 0; i < l->n; i++) {
        Ival x = l->iv[i];
        int lo = x.lo_inf ? -1 : dec_cmp(x.lo, v), hi = x.hi_inf ? 1 : dec_cmp(x.hi, v);
        if (above ? (lo <= 0 && hi > 0) : (lo < 0 && hi >= 0))
            return true;
    }
    return false;
}

static const char *var_text(An *an, const Node *var)
{
    return arena_printf(an->a, "%.*s", (int)(var->end - var->start), an->p->src->text + var->start);
}

static const char *value_at(An *an, const Node *var, Dec v)
{
    char buf[DEC_BUFSZ];
    Dec h = v;
    bool pct = check_info(an->p, strip(var))->ty == TY_PERCENT;
    if (pct && dec_shift_up(v, 2, &h) != DEC_OK)
        h = v, pct = false;
    dec_format(h, buf);
    return arena_printf(an->a, "%s%s", buf, pct ? "%" : "");
}

/* The end points of the rules' spans, per variable, each with the first rule
 * that holds it: the boundary warning's "no earlier rule matches v" in one
 * lookup instead of a walk over the earlier rules. */
typedef struct {
    int var; /* index into the list's distinct variables */
    Dec v;
    int first; /* the first rule whose condition holds v; n if none */
} Point;

static int point_cmp(const void *x, const void *y)
{
    const Point *a = x, *b = y;
    if (a->var != b->var)
        return a->var < b->var ? -1 : 1;
    return dec_cmp(a->v, b->v);
}

/* The first point of var at or after v (v NULL: the first point of var). */
static int point_lower(const Point *pt, int np, int var, const Dec *v)
{
    int lo = 0, hi = np;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        int c = pt[mid].var != var ? (pt[mid].var < var ? -1 : 1) : v ? dec_cmp(pt[mid].v, *v) : 0;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first rule that holds the end point v of var (every end point of a
 * rule of the list is a Point). */
static int first_holding(const Point *pt, int np, int var, Dec v)
{
    int k = point_lower(pt, np, var, &v);
    return pt[k].first;
}

/* skip[k]: the first point at or after k that no rule has claimed yet */
static int next_free(int *skip, int k)
{
    int r = k;
    while (skip[r] != r)
        r = skip[r];
    while (skip[k] != r) {
        int up = skip[k];
        skip[k] = r;
        k = up;
    }
    return r;
}

/* Rules i < j of one list whose conditions meet at a single value v that no
 * rule before i matches: v goes to i, which is seldom what a form copied as
 * bands (60-70分, 70-80分) meant. The warning stands at rule j, once for each
 * such i (at the lowest such v).
 *
 * Such a v is an end point of a span of B (rule j) on the side B does not
 * reach past, and i is the first rule that holds v; so for each j only the
 * first holders of B's end points are candidates, which keeps a list of
 * thousands of rules near linear instead of trying every pair. */
void analyze_boundaries(An *an, const Node **rules, int n)
{
    const Source *src = an->p->src;
    Line1 *sets = arena_alloc(an->a, (size_t)(n + 1) * sizeof *sets);
    int *vid = arena_alloc(an->a, (size_t)(n + 1) * sizeof *vid);
    const Node **vars = arena_alloc(an->a, (size_t)(n + 1) * sizeof *vars);
    int nvars = 0, np = 0;
    for (int i = 0; i < n; i++) {
        sets[i] = rules[i]->a ? l1_cond(an->p, rules[i]->a) : (Line1){.ok = false};
        vid[i] = -1;
        if (!sets[i].ok || !sets[i].var)
            continue;
        int k = 0;
        while (k < nvars && !same_var(an->p, vars[k], sets[i].var))
            k++;
        if (k == nvars)
            vars[nvars++] = sets[i].var;
        vid[i] = k;
        np += 2 * sets[i].n;
    }
    Point *pt = arena_alloc(an->a, (size_t)(np + 1) * sizeof *pt);
    np = 0;
    for (int i = 0; i < n; i++)
        for (int s = 0; vid[i] >= 0 && s < sets[i].n; s++) {
            Ival x = sets[i].iv[s];
            if (!x.lo_inf)
                pt[np++] = (Point){vid[i], x.lo, n};
            if (!x.hi_inf)
                pt[np++] = (Point){vid[i], x.hi, n};
        }
    if (np == 0)
        return;
    qsort(pt, (size_t)np, sizeof *pt, point_cmp);
    int m = 1;
    for (int k = 1; k < np; k++)
        if (point_cmp(&pt[k], &pt[m - 1]) != 0)
            pt[m++] = pt[k];
    np = m;
    /* each point's first holder: rules in order claim the points they hold */
    int *skip = arena_alloc(an->a, (size_t)(np + 1) * sizeof *skip);
    for (int k = 0; k <= np; k++)
        skip[k] = k;
    for (int i = 0; i < n; i++)
        for (int s = 0; vid[i] >= 0 && s < sets[i].n; s++) {
            Ival x = sets[i].iv[s];
            int k = point_lower(pt, np, vid[i], x.lo_inf ? NULL : &x.lo);
            if (!x.lo_inf && x.lo_open && k < np && pt[k].var == vid[i] &&
                dec_cmp(pt[k].v, x.lo) == 0)
                k++;
            for (k = next_free(skip, k); k < np && pt[k].var == vid[i]; k = next_free(skip, k)) {
                int c = x.hi_inf ? -1 : dec_cmp(pt[k].v, x.hi);
                if (c > 0 || (c == 0 && x.hi_open))
                    break;
                pt[k].first = i;
                skip[k] = k + 1;
            }
        }
    for (int j = 1; j < n; j++) {
        if (vid[j] < 0)
            continue;
        const Line1 *B = &sets[j];
        int cand[2 * MAX_SPANS], nc = 0;
        for (int s = 0; s < 2 * B->n; s++) {
            Ival x = B->iv[s / 2];
            if (s % 2 ? x.hi_inf : x.lo_inf)
                continue;
            int f = first_holding(pt, np, vid[j], s % 2 ? x.hi : x.lo);
            bool seen = false;
            for (int c = 0; c < nc && !seen; c++)
                seen = cand[c] == f;
            if (f < j && !seen)
                cand[nc++] = f;
        }
        for (int a = 1; a < nc; a++) /* ascending, as the warnings are ordered */
            for (int b = a; b > 0 && cand[b - 1] > cand[b]; b--) {
                int t = cand[b];
                cand[b] = cand[b - 1], cand[b - 1] = t;
            }
        for (int c = 0; c < nc; c++) {
            int i = cand[c];
            const Line1 *A = &sets[i];
            bool warned = false; /* one warning per pair of rules */
            for (int k = 0; k < 2 * A->n && !warned; k++) {
                Ival x = A->iv[k / 2];
                if (k % 2 ? x.hi_inf : x.lo_inf)
                    continue;
                Dec v = k % 2 ? x.hi : x.lo;
                bool a_lo = l1_near(A, v, false), a_hi = l1_near(A, v, true);
                bool b_lo = l1_near(B, v, false), b_hi = l1_near(B, v, true);
                if (!l1_has(A, v) || !l1_has(B, v) || (a_lo && b_lo) || (a_hi && b_hi) ||
                    !((a_lo && b_hi) || (a_hi && b_lo)))
                    continue;
                if (first_holding(pt, np, vid[i], v) < i) /* an earlier rule takes v */
                    continue;
                const char *name = var_text(an, B->var), *val = value_at(an, B->var, v);
                int li = source_line(src, rules[i]->start);
                diag_at(an->d, src, DIAG_WARNING, rules[j]->start, rules[j]->a->end, "boundary",
                        "this rule and the rule on line %d both match %s = %s, and the "
                        "rule on "
                        "line %d takes it",
                        li, name, val, li);
                diag_hint(an->d,
                          "If %s = %s belongs here, write %s %s %s on line %d; if it belongs "
                          "there, write %s %s %s here.",
                          name, val, name, a_lo ? "<" : ">", val, li, name, b_hi ? ">" : "<", val);
                warned = true;
            }
        }
    }
}
