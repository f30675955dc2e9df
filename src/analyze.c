/* analyze.c - rule coverage and scale checks (see analyze.h).
 *
 * A condition becomes a Region: a union of boxes, a box giving each variable
 * of the rule list (a fact, total, or a node's score) an interval with open or
 * closed ends. Integer and bool variables keep closed integer bounds, so
 * `x >= 1` and `x < 1` cover an integer fact exactly. Walking the rules in
 * order, the part of the domain not yet matched shrinks by each condition;
 * what is left at the end is the gap. */
#include <stdint.h>
#include <stdio.h>

#include "analyze_impl.h"

/* ---- intervals ---- */

Ival iv_full(void)
{
    return (Ival){dec_zero(), dec_zero(), true, true, false, false};
}

static Dec one(void)
{
    return dec_from_int(1);
}

static Dec whole_floor(Dec x)
{
    dec_i128 unit = one().v, q = x.v / unit;
    if (x.v % unit != 0 && x.v < 0)
        q -= 1;
    return (Dec){q * unit};
}

static Dec whole_ceil(Dec x)
{
    dec_i128 unit = one().v, q = x.v / unit;
    if (x.v % unit != 0 && x.v > 0)
        q += 1;
    return (Dec){q * unit};
}

/* Integer variables: closed whole-number bounds. */
static Ival iv_norm(Ival x, VarKind k)
{
    if (k == V_REAL)
        return x;
    if (!x.lo_inf) {
        x.lo = x.lo_open ? (Dec){whole_floor(x.lo).v + one().v} : whole_ceil(x.lo);
        x.lo_open = false;
    }
    if (!x.hi_inf) {
        x.hi = x.hi_open ? (Dec){whole_ceil(x.hi).v - one().v} : whole_floor(x.hi);
        x.hi_open = false;
    }
    return x;
}

bool iv_empty(Ival x)
{
    if (x.lo_inf || x.hi_inf)
        return false;
    int c = dec_cmp(x.lo, x.hi);
    return c > 0 || (c == 0 && (x.lo_open || x.hi_open));
}

Ival iv_meet(Ival x, Ival y)
{
    Ival r = x;
    if (!y.lo_inf) {
        int c = x.lo_inf ? -1 : dec_cmp(x.lo, y.lo);
        if (c < 0)
            r.lo = y.lo, r.lo_inf = false, r.lo_open = y.lo_open;
        else if (c == 0)
            r.lo_open = x.lo_open || y.lo_open;
    }
    if (!y.hi_inf) {
        int c = x.hi_inf ? 1 : dec_cmp(x.hi, y.hi);
        if (c > 0)
            r.hi = y.hi, r.hi_inf = false, r.hi_open = y.hi_open;
        else if (c == 0)
            r.hi_open = x.hi_open || y.hi_open;
    }
    return r;
}

static bool iv_same(Ival x, Ival y)
{
    if (x.lo_inf != y.lo_inf || x.hi_inf != y.hi_inf)
        return false;
    if (!x.lo_inf && (dec_cmp(x.lo, y.lo) != 0 || x.lo_open != y.lo_open))
        return false;
    if (!x.hi_inf && (dec_cmp(x.hi, y.hi) != 0 || x.hi_open != y.hi_open))
        return false;
    return true;
}

/* ---- regions ---- */

static void rg_push(An *an, Region *r, const Box *b)
{
    for (int i = 0; i < an->vars.nvars; i++)
        if (iv_empty(b->iv[i]))
            return;
    if (r->n >= MAX_BOXES) {
        r->overflow = true;
        return;
    }
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 2; /* most regions are one box */
        Box *nb = arena_alloc(an->a, (size_t)cap * sizeof *nb);
        if (r->n)
            memcpy(nb, r->b, (size_t)r->n * sizeof *nb);
        r->b = nb, r->cap = cap;
    }
    r->b[r->n++] = *b;
}

static Box domain_box(const An *an)
{
    Box b;
    memset(&b, 0, sizeof b);
    for (int i = 0; i < an->vars.nvars; i++)
        b.iv[i] = an->vars.v[i].dom;
    return b;
}

static Region rg_domain(An *an)
{
    Region r = {0};
    Box b = domain_box(an);
    rg_push(an, &r, &b);
    return r;
}

static Region rg_meet(An *an, const Region *x, const Region *y)
{
    Region r = {0};
    r.overflow = x->overflow || y->overflow;
    for (int i = 0; i < x->n; i++)
        for (int j = 0; j < y->n; j++) {
            Box b = domain_box(an);
            for (int k = 0; k < an->vars.nvars; k++)
                b.iv[k] = iv_norm(iv_meet(x->b[i].iv[k], y->b[j].iv[k]), an->vars.v[k].kind);
            rg_push(an, &r, &b);
        }
    return r;
}

/* Do x and y share a point? rg_meet(x, y).n != 0, without building the meet:
 * the unreachable warning asks it of many pairs of rules. */
static bool rg_overlaps(const An *an, const Region *x, const Region *y)
{
    for (int i = 0; i < x->n; i++)
        for (int j = 0; j < y->n; j++) {
            bool empty = false;
            for (int k = 0; k < an->vars.nvars && !empty; k++)
                empty =
                    iv_empty(iv_norm(iv_meet(x->b[i].iv[k], y->b[j].iv[k]), an->vars.v[k].kind));
            if (!empty)
                return true;
        }
    return false;
}

static Region rg_join(An *an, const Region *x, const Region *y)
{
    Region r = {0};
    r.overflow = x->overflow || y->overflow;
    for (int i = 0; i < x->n; i++)
        rg_push(an, &r, &x->b[i]);
    for (int i = 0; i < y->n; i++)
        rg_push(an, &r, &y->b[i]);
    return r;
}

/* a - b for one box b: split a along each dimension. */
static void box_minus(An *an, Region *out, const Box *a, const Box *b)
{
    Box rest = *a;
    for (int k = 0; k < an->vars.nvars; k++) {
        VarKind kind = an->vars.v[k].kind;
        Ival bi = b->iv[k];
        if (!bi.lo_inf) {
            Box below = rest;
            Ival lower = {dec_zero(), bi.lo, true, false, false, !bi.lo_open};
            below.iv[k] = iv_norm(iv_meet(rest.iv[k], lower), kind);
            rg_push(an, out, &below);
        }
        if (!bi.hi_inf) {
            Box above = rest;
            Ival upper = {bi.hi, dec_zero(), false, true, !bi.hi_open, false};
            above.iv[k] = iv_norm(iv_meet(rest.iv[k], upper), kind);
            rg_push(an, out, &above);
        }
        rest.iv[k] = iv_norm(iv_meet(rest.iv[k], bi), kind);
        if (iv_empty(rest.iv[k]))
            return;
    }
}

static Region rg_minus(An *an, const Region *x, const Region *y)
{
    Region cur = {0};
    cur.overflow = x->overflow || y->overflow;
    for (int i = 0; i < x->n; i++)
        rg_push(an, &cur, &x->b[i]);
    for (int j = 0; j < y->n && !cur.overflow; j++) {
        Region next = {0};
        for (int i = 0; i < cur.n; i++)
            box_minus(an, &next, &cur.b[i], &y->b[j]);
        next.overflow |= cur.overflow;
        cur = next;
    }
    return cur;
}

/* ---- conditions to regions ---- */

const Node *strip(const Node *n)
{
    while (n->kind == AST_PAREN)
        n = n->a;
    return n;
}

/* Is n a constant? Then its value (numbers, percents as fractions, bools 0/1).
 */
bool constant(const Program *p, const Node *n, Dec *out)
{
    n = strip(n);
    if (n->kind == AST_NUM) {
        *out = check_num(p, n);
        return true;
    }
    if (n->kind == AST_BOOL) {
        *out = n->bval ? one() : dec_zero();
        return true;
    }
    if (n->kind == AST_NEG && constant(p, n->a, out)) {
        *out = dec_neg(*out);
        return true;
    }
    return false;
}

/* The variable index n names, adding it; -1 if n is no variable we handle. */
static int var_of(An *an, const Node *n)
{
    n = strip(n);
    RefKind rk;
    int slot = -1;
    Ival dom = iv_full();
    VarKind kind = V_REAL;
    bool pct = false;
    const char *name;
    if (n->kind == AST_TOTAL) {
        rk = REF_NONE;
        const ScoreNode *r = an->p->rubric;
        dom = (Ival){r->low, r->full, r->low_inf, !r->full_ok, false, false};
        name = "total";
    } else if (n->kind == AST_NAME && check_info(an->p, n)->ref == REF_FACT) {
        rk = REF_FACT;
        slot = check_info(an->p, n)->slot;
        const FactInfo *f = &an->p->facts[slot];
        if (f->spec.type == FT_TEXT)
            return -1;
        if (f->spec.type == FT_BOOL) {
            kind = V_BOOL;
            dom = (Ival){dec_zero(), one(), false, false, false, false};
        } else {
            kind = f->spec.type == FT_INTEGER ? V_INT : V_REAL;
            pct = f->spec.type == FT_PERCENT;
            dom = (Ival){f->spec.lo, f->spec.hi, !f->spec.has_lo, !f->spec.has_hi, false, false};
        }
        name = f->name;
    } else if (n->kind == AST_NAME && check_info(an->p, n)->ref == REF_NODE) {
        rk = REF_NODE;
        slot = check_info(an->p, n)->slot;
        const ScoreNode *s = an->p->nodes[slot];
        dom = (Ival){s->low, s->full, s->low_inf, !s->full_ok, false, false};
        name = s->name;
    } else {
        return -1;
    }
    Vars *v = &an->vars;
    for (int i = 0; i < v->nvars; i++)
        if (v->v[i].ref_kind == rk && v->v[i].slot == slot)
            return i;
    if (v->nvars == MAX_VARS) {
        an->vars_full = true;
        return -1;
    }
    int i = v->nvars++;
    v->v[i].ref = n;
    v->v[i].ref_kind = rk;
    v->v[i].slot = slot;
    v->v[i].kind = kind;
    v->v[i].percent = pct;
    v->v[i].dom = iv_norm(dom, kind);
    v->v[i].name = name;
    return i;
}

AstOp flip(AstOp op)
{
    switch (op) {
    case OP_LT:
        return OP_GT;
    case OP_LE:
        return OP_GE;
    case OP_GT:
        return OP_LT;
    case OP_GE:
        return OP_LE;
    default:
        return op;
    }
}

/* The region where var `op` c holds. */
static Region compare_region(An *an, int var, AstOp op, Dec c)
{
    Region r = {0};
    Box b = domain_box(an);
    Ival *x = &b.iv[var];
    VarKind k = an->vars.v[var].kind;
    Ival lim = iv_full();
    switch (op) {
    case OP_EQ:
        lim = (Ival){c, c, false, false, false, false};
        break;
    case OP_LT:
        lim = (Ival){dec_zero(), c, true, false, false, true};
        break;
    case OP_LE:
        lim = (Ival){dec_zero(), c, true, false, false, false};
        break;
    case OP_GT:
        lim = (Ival){c, dec_zero(), false, true, true, false};
        break;
    case OP_GE:
        lim = (Ival){c, dec_zero(), false, true, false, false};
        break;
    case OP_NE: {
        Box b2 = b;
        b.iv[var] = iv_norm(iv_meet(*x, (Ival){dec_zero(), c, true, false, false, true}), k);
        b2.iv[var] =
            iv_norm(iv_meet(b2.iv[var], (Ival){c, dec_zero(), false, true, true, false}), k);
        rg_push(an, &r, &b);
        rg_push(an, &r, &b2);
        return r;
    }
    default:
        break;
    }
    *x = iv_norm(iv_meet(*x, lim), k);
    rg_push(an, &r, &b);
    return r;
}

/* The region where cond holds; false when the condition is beyond the analysis.
 */
static bool cond_region(An *an, const Node *cond, Region *out)
{
    const Node *n = strip(cond);
    Region x, y;
    switch (n->kind) {
    case AST_BOOL:
        *out = n->bval ? rg_domain(an) : (Region){0};
        return true;
    case AST_NAME: {
        int v = var_of(an, n);
        if (v < 0 || an->vars.v[v].kind != V_BOOL)
            return false;
        *out = compare_region(an, v, OP_EQ, one());
        return true;
    }
    case AST_NOT:
        if (!cond_region(an, n->a, &x))
            return false;
        y = rg_domain(an);
        *out = rg_minus(an, &y, &x);
        return !out->overflow;
    case AST_AND:
    case AST_OR:
        if (!cond_region(an, n->a, &x) || !cond_region(an, n->b, &y))
            return false;
        *out = n->kind == AST_AND ? rg_meet(an, &x, &y) : rg_join(an, &x, &y);
        return !out->overflow;
    case AST_CHAIN: {
        Region acc = rg_domain(an);
        for (uint32_t i = 0; i + 1 < n->nkids; i++) {
            Dec c;
            int v;
            AstOp op = n->ops[i];
            if (constant(an->p, n->kids[i + 1], &c) && (v = var_of(an, n->kids[i])) >= 0) {
            } else if (constant(an->p, n->kids[i], &c) && (v = var_of(an, n->kids[i + 1])) >= 0) {
                op = flip(op);
            } else {
                return false;
            }
            Region part = compare_region(an, v, op, c);
            acc = rg_meet(an, &acc, &part);
        }
        *out = acc;
        return !out->overflow;
    }
    default:
        return false;
    }
}

/* Variables are discovered while converting; run once to collect them, then
 * again so every box has every dimension. */
static bool collect_vars(An *an, const Node **rules, int n)
{
    an->vars.nvars = 0;
    an->vars_full = false;
    for (int i = 0; i < n; i++) {
        if (!rules[i]->a)
            continue;
        Region r;
        if (!cond_region(an, rules[i]->a, &r))
            return false;
    }
    return true;
}

/* ---- printing regions as conditions ---- */

static const char *bound_text(An *an, int var, Dec d)
{
    char buf[DEC_BUFSZ];
    if (an->vars.v[var].percent) {
        Dec h;
        if (dec_shift_up(d, 2, &h) == DEC_OK)
            d = h;
        dec_format(d, buf);
        return arena_printf(an->a, "%s%%", buf);
    }
    if (an->vars.v[var].kind == V_BOOL)
        return dec_is_zero(d) ? "false" : "true";
    dec_format(d, buf);
    return arena_strndup(an->a, buf, strlen(buf));
}

/* A keyword in a condition the warnings show, spelled as the rubric spells its
 * keywords. */
static const char *kw(const An *an, const char *en)
{
    const char *zh = an->d->keyword ? an->d->keyword(en) : NULL;
    return zh ? zh : en;
}

static const char *box_text(An *an, const Box *b)
{
    const char *s = "";
    for (int k = 0; k < an->vars.nvars; k++) {
        Ival x = b->iv[k], dom = an->vars.v[k].dom;
        if (iv_same(x, dom))
            continue;
        const char *name = an->vars.v[k].name;
        const char *part;
        if (an->vars.v[k].kind == V_BOOL)
            part = dec_is_zero(x.lo) ? arena_printf(an->a, "%s %s", kw(an, "not"), name) : name;
        else if (!x.lo_inf && !x.hi_inf && dec_cmp(x.lo, x.hi) == 0)
            part = arena_printf(an->a, "%s == %s", name, bound_text(an, k, x.lo));
        else {
            bool lo = !x.lo_inf &&
                      !(iv_same((Ival){x.lo, x.lo, false, false, x.lo_open, false},
                                (Ival){dom.lo, dom.lo, dom.lo_inf, false, dom.lo_open, false}) &&
                        !dom.lo_inf);
            bool hi = !x.hi_inf &&
                      !(!dom.hi_inf && dec_cmp(x.hi, dom.hi) == 0 && x.hi_open == dom.hi_open);
            part = name;
            if (lo)
                part = arena_printf(an->a, "%s %s %s", bound_text(an, k, x.lo),
                                    x.lo_open ? "<" : "<=", part);
            if (hi)
                part = arena_printf(an->a, "%s %s %s", part,
                                    x.hi_open ? "<" : "<=", bound_text(an, k, x.hi));
        }
        s = *s ? arena_printf(an->a, "%s %s %s", s, kw(an, "and"), part) : part;
    }
    return *s ? s : "always";
}

/* ---- one rule list ---- */

static bool same_str(const char *x, const char *y)
{
    return x == y || (x && y && strcmp(x, y) == 0);
}

/* x and y are the same expression as parsed: spelling (English or Chinese,
 * full-width, white space, parentheses) does not count, so `a >= 1` and
 * `a ＞＝　1` repeat each other whatever the layout (and `rubric fmt`, which
 * changes only the layout, never changes what is reported). */
static bool same_expr(const Node *x, const Node *y)
{
    while (x && x->kind == AST_PAREN)
        x = x->a;
    while (y && y->kind == AST_PAREN)
        y = y->a;
    if (!x || !y)
        return x == y;
    if (x->kind != y->kind || x->op != y->op || x->nkids != y->nkids || x->pct != y->pct ||
        x->bval != y->bval || !same_str(x->name, y->name) || !same_str(x->str, y->str) ||
        (x->kind == AST_NUM && dec_cmp(x->num, y->num) != 0))
        return false;
    for (uint32_t i = 0; i < x->nkids; i++)
        if (!same_expr(x->kids[i], y->kids[i]) ||
            (x->kind == AST_CHAIN && i + 1 < x->nkids && x->ops[i] != y->ops[i]))
            return false;
    return same_expr(x->a, y->a) && same_expr(x->b, y->b);
}

/* The rules of owner split the facts' ranges into more than MAX_BOXES pieces
 * (a note with --verbose, like every list the analysis skips). */
static void too_many_regions(An *an, const Node *owner, const char *what)
{
    if (an->verbose)
        diag_at(an->d, an->p->src, DIAG_NOTE, owner->start,
                owner->name_end > owner->start ? owner->name_end : owner->start + 1, "skipped",
                "the rules of %s split the facts' ranges into more than %d "
                "regions, beyond the "
                "coverage analysis, so gaps are not checked",
                what, MAX_BOXES);
}

static uint64_t text_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* duplicate-rule: a condition written as an earlier rule's, byte for byte;
 * the warning names the first such rule. A hash table of the conditions'
 * texts keeps a long list linear. */
/* A hash of x that same_expr respects: equal expressions hash alike whatever
 * their spelling (numbers are left out; same_expr tells them apart). */
static size_t expr_hash(const Node *x)
{
    while (x && x->kind == AST_PAREN)
        x = x->a;
    if (!x)
        return 7;
    size_t h = (size_t)x->kind * 31u + (size_t)x->op * 131u + x->nkids;
    if (x->name)
        h = h * 1000003u ^ text_hash(x->name, strlen(x->name));
    if (x->str)
        h = h * 1000003u ^ text_hash(x->str, strlen(x->str));
    for (uint32_t i = 0; i < x->nkids; i++)
        h = h * 1000003u ^ expr_hash(x->kids[i]);
    h = h * 1000003u ^ expr_hash(x->a);
    return h * 1000003u ^ expr_hash(x->b);
}

static void report_duplicates(An *an, const Node **rules, int n)
{
    const Source *src = an->p->src;
    size_t cap = 16;
    while (cap < 2 * (size_t)n)
        cap *= 2;
    int *slot = arena_alloc(an->a, cap * sizeof *slot);
    for (size_t k = 0; k < cap; k++)
        slot[k] = -1;
    for (int i = 0; i < n; i++) {
        const Node *c = rules[i]->a;
        if (!c)
            continue;
        size_t k = expr_hash(c) & (cap - 1);
        for (; slot[k] >= 0; k = (k + 1) & (cap - 1))
            if (same_expr(rules[slot[k]]->a, c))
                break;
        if (slot[k] < 0) {
            slot[k] = i;
            continue;
        }
        diag_at(an->d, src, DIAG_WARNING, rules[i]->start, c->end, "duplicate-rule",
                "this condition repeats the rule on line %d",
                source_line(src, rules[slot[k]]->start));
    }
}

/* Rule i of the list never applies: name the earlier rules whose conditions
 * overlap its own, each line once. At most MAX_LISTED lines are named, and the
 * search stops at the next one, so that a list of a thousand repeated rules
 * costs a thousand short warnings, not a million line numbers; the warning
 * then says that it names only the first MAX_LISTED. */
static void unreachable_warning(An *an, const Node **rules, const Region *conds, int i)
{
    const Source *src = an->p->src;
    const Node *r = rules[i];
    char lines[MAX_LISTED * 16] = "";
    size_t len = 0;
    int cnt = 0, last_line = 0;
    bool more = false;
    for (int j = 0; j < i && !more; j++) {
        int line = source_line(src, rules[j]->start);
        if (line == last_line || !rg_overlaps(an, &conds[j], &conds[i]))
            continue;
        if (cnt == MAX_LISTED) {
            more = true;
            break;
        }
        len += (size_t)snprintf(lines + len, sizeof lines - len, "%s%d", cnt ? ", " : "", line);
        last_line = line;
        cnt++;
    }
    if (more)
        diag_at(an->d, src, DIAG_WARNING, r->start, r->a ? r->a->end : r->start + 1, "unreachable",
                "this rule never applies: the rules on lines %s and more match first (only "
                "the first %d are listed)",
                lines, MAX_LISTED);
    else
        diag_at(an->d, src, DIAG_WARNING, r->start, r->a ? r->a->end : r->start + 1, "unreachable",
                ngettext("this rule never applies: the rule on line %s matches first",
                         "this rule never applies: the rules on lines %s match first",
                         (unsigned long)cnt),
                lines);
}

static void analyze_rules(An *an, const Node *owner, const char *what, const Node **rules, int n,
                          bool text_results)
{
    const Source *src = an->p->src;
    if (n == 0)
        return;
    report_duplicates(an, rules, n);
    if (!collect_vars(an, rules, n)) {
        if (an->verbose && an->vars_full)
            diag_at(an->d, src, DIAG_NOTE, owner->start,
                    owner->name_end > owner->start ? owner->name_end : owner->start + 1, "skipped",
                    "the rules of %s read more than %d facts, beyond the coverage "
                    "analysis, so "
                    "gaps are not checked",
                    what, MAX_VARS);
        else if (an->verbose)
            diag_at(an->d, src, DIAG_NOTE, owner->start,
                    owner->name_end > owner->start ? owner->name_end : owner->start + 1, "skipped",
                    "the rules of %s are beyond the coverage analysis (arithmetic, "
                    "text or several "
                    "values in one comparison), so gaps are not checked",
                    what);
        return;
    }
    Region remaining = rg_domain(an);
    Region *conds = arena_alloc(an->a, (size_t)n * sizeof *conds);
    for (int i = 0; i < n; i++) {
        const Node *r = rules[i];
        if (!r->a) {
            conds[i] = rg_domain(an);
        } else if (!cond_region(an, r->a, &conds[i]) || conds[i].overflow) {
            too_many_regions(an, owner, what);
            return;
        }
        Region live = rg_meet(an, &conds[i], &remaining);
        if (live.overflow) {
            too_many_regions(an, owner, what);
            return;
        }
        if (r->a && conds[i].n == 0) {
            diag_at(an->d, src, DIAG_WARNING, r->a->start, r->a->end, "never",
                    "this condition never holds on the declared range of its facts");
            diag_hint(an->d, "Check the numbers against the facts' declared ranges.");
        } else if (live.n == 0 && !(i > 0 && !rules[i - 1]->a)) {
            unreachable_warning(an, rules, conds, i);
        }
        remaining = rg_minus(an, &remaining, &conds[i]);
        if (remaining.overflow) {
            too_many_regions(an, owner, what);
            return;
        }
    }
    Node at = *owner;
    if (owner->name_end > owner->start)
        at.start = owner->name_start, at.end = owner->name_end;
    else
        at.end = at.start + 1;
    for (int g = 0; g < remaining.n && g < MAX_GAPS; g++) {
        const char *cond = box_text(an, &remaining.b[g]);
        diag_at(an->d, src, DIAG_WARNING, at.start, at.end, "gap", "%s gives no result when %s",
                what, cond);
        diag_hint(an->d, "Add a rule for it, e.g. %s -> %s.", cond, text_results ? "\"…\"" : "0");
    }
    if (remaining.n > MAX_GAPS)
        diag_plain(an->d, DIAG_NOTE, NULL,
                   ngettext("%d more gap in %s not shown", "%d more gaps in %s not shown",
                            (unsigned long)(remaining.n - MAX_GAPS)),
                   remaining.n - MAX_GAPS, what);
}

/* ---- unused: a hand-written score that leaves out a child ---- */

static void reads_nodes(const Program *p, const Node *e, bool *read)
{
    if (!e)
        return;
    const NodeInfo *in = check_info(p, e);
    if (e->kind == AST_NAME && in->ref == REF_NODE && in->slot >= 0)
        read[in->slot] = true;
    reads_nodes(p, e->a, read);
    reads_nodes(p, e->b, read);
    for (uint32_t i = 0; i < e->nkids; i++)
        reads_nodes(p, e->kids[i], read);
}

static void analyze_unused(An *an, const ScoreNode *s)
{
    for (int i = 0; i < s->nkids; i++)
        if (s->kids[i]->kind == SN_SECTION)
            analyze_unused(an, s->kids[i]);
    if (!s->score)
        return;
    bool *read = arena_zalloc(an->a, (size_t)an->p->nnodes + 1);
    reads_nodes(an->p, s->score, read);
    const char **names = arena_alloc(an->a, ((size_t)an->p->nnodes + 1) * sizeof *names);
    int nleft = 0;
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (read[k->index])
            continue;
        for (int j = 0; j < (k->kind == SN_GROUP ? k->nkids : 1); j++) {
            const ScoreNode *m = k->kind == SN_GROUP ? k->kids[j] : k;
            if (read[m->index])
                continue;
            names[nleft++] = m->name;
        }
    }
    if (!nleft)
        return;
    const char *left = names[0];
    for (int i = 1; i < nleft; i++)
        /* TRANSLATORS: the separators of a list of names, "A, B and C" */
        left = arena_printf(an->a, "%s%s%s", left, i + 1 < nleft ? _(", ") : _(" and "), names[i]);
    const char *whose =
        s->kind == SN_RUBRIC ? _("the rubric") : arena_printf(an->a, _("section %s"), s->name);
    /* whole sentences per number, so that a translation need not assemble them */
    diag_at(an->d, an->p->src, DIAG_WARNING, s->score->start, s->score->end, "unused",
            ngettext("the score of %s leaves out its child %s: its score counts for nothing",
                     "the score of %s leaves out its children %s: their scores count for nothing",
                     (unsigned long)nleft),
            whose, left);
    diag_hint(an->d,
              ngettext("Add it to the score expression, or take it out of %s if it is not meant "
                       "to count.",
                       "Add them to the score expression, or take them out of %s if they are not "
                       "meant to count.",
                       (unsigned long)nleft),
              whose);
}

/* ---- scale: items scored out of something other than their weight share ----
 */

static void analyze_scale(An *an, const ScoreNode *s)
{
    const Source *src = an->p->src;
    for (int i = 0; i < s->nkids; i++)
        if (s->kids[i]->kind == SN_SECTION)
            analyze_scale(an, s->kids[i]);
    if (s->mode != MODE_WEIGHTED || s->score)
        return;
    /* Only where the form scores its items out of their share (20 points at
       20%) does an item scored otherwise stand out; a declared max says the
       author meant it. */
    bool some_match = false;
    for (int i = 0; i < s->nmembers; i++) {
        const ScoreNode *m = s->members[i];
        Dec share;
        if (m->full_ok && dec_mul(m->weight, s->full, &share) == DEC_OK &&
            dec_cmp(share, m->full) == 0)
            some_match = true;
    }
    if (!some_match)
        return;
    for (int i = 0; i < s->nmembers; i++) {
        const ScoreNode *m = s->members[i];
        if (!m->full_ok || m->kind != SN_ITEM || m->opt_max || dec_is_zero(m->weight))
            continue;
        Dec share;
        if (dec_mul(m->weight, s->full, &share) != DEC_OK || dec_cmp(share, m->full) == 0)
            continue;
        char f[DEC_BUFSZ], w[DEC_BUFSZ], sh[DEC_BUFSZ];
        dec_format(m->full, f);
        Dec wp;
        dec_shift_up(m->weight, 2, &wp);
        dec_format(wp, w);
        dec_format(share, sh);
        const Node *d = m->decl;
        diag_at(an->d, src, DIAG_WARNING, d->name_start, d->name_end, "scale",
                "item %s is scored out of %s but weighs %s%%, unlike its siblings, "
                "so its points are "
                "scaled: a score of x contributes x / %s × %s",
                m->name, f, w, f, sh);
        Dec need;
        char nw[DEC_BUFSZ] = "?";
        if (dec_div(m->full, s->full, &need) == DEC_OK && dec_shift_up(need, 2, &need) == DEC_OK)
            dec_format(need, nw);
        diag_hint(an->d,
                  "If that is what the form means, declare {max} %s on the item to "
                  "say so; if its points "
                  "should count as they are, give it {weight} %s%%.",
                  f, nw);
    }
}

static void report_full_scores(An *an, const ScoreNode *s)
{
    const Source *src = an->p->src;
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (k->kind != SN_GROUP && k->full_ok) {
            char f[DEC_BUFSZ];
            dec_format(k->full, f);
            const char *how = k->opt_max ? N_("declared")
                              : k->kind == SN_ITEM
                                  ? (k->score ? N_("the largest its score expression gives")
                                              : N_("the largest result of its rules"))
                              : k->score                 ? N_("inferred from its score expression")
                              : k->mode == MODE_WEIGHTED ? N_("weighted section (default 100)")
                              : k->has_base              ? N_("its base plus its children's")
                                                         : N_("sum of its children");
            if (k->has_cap && !k->opt_max && dec_cmp(k->full, k->cap) == 0)
                how = N_("its cap");
            diag_at(an->d, src, DIAG_NOTE, k->decl->name_start, k->decl->name_end, NULL,
                    "%s %s: full score %s (%s)",
                    _(k->kind == SN_ITEM      ? N_("item")
                      : k->kind == SN_SECTION ? N_("section")
                                              : N_("group")),
                    k->name, f, _(how));
        } else if (k->kind != SN_GROUP && k->full_inf)
            diag_at(an->d, src, DIAG_NOTE, k->decl->name_start, k->decl->name_end, NULL,
                    "%s %s: no finite full score (a cap above it absorbs it)",
                    _(k->kind == SN_ITEM ? N_("item") : N_("section")), k->name);
        report_full_scores(an, k);
    }
}

void analyze_program(Arena *a, const Program *p, Diags *d, bool verbose)
{
    if (!p->rubric)
        return;
    An an;
    memset(&an, 0, sizeof an);
    an.a = a;
    an.p = p;
    an.d = d;
    an.verbose = verbose;
    for (int i = 0; i < p->nnodes; i++) {
        const ScoreNode *s = p->nodes[i];
        if (s->kind == SN_ITEM && s->nrules) {
            analyze_rules(&an, s->decl, arena_printf(a, _("item %s"), s->name), s->rules, s->nrules,
                          false);
            analyze_boundaries(&an, s->rules, s->nrules);
        }
    }
    if (p->has_grade && p->ngrade) {
        const Node *g = p->grade[0];
        Node owner = *g;
        owner.name_start = owner.name_end = 0;
        /* point at the grade block's first rule's line */
        analyze_rules(&an, &owner, _("the grade block"), p->grade, p->ngrade, true);
        analyze_boundaries(&an, p->grade, p->ngrade);
    }
    for (int i = 0; i < p->noutputs; i++)
        if (p->outputs[i].nrules) {
            analyze_rules(&an, p->outputs[i].decl,
                          arena_printf(a, _("output %s"), p->outputs[i].name), p->outputs[i].rules,
                          p->outputs[i].nrules, p->outputs[i].ty == TY_TEXT);
            analyze_boundaries(&an, p->outputs[i].rules, p->outputs[i].nrules);
        }
    analyze_scale(&an, p->rubric);
    analyze_unused(&an, p->rubric);
    if (verbose)
        report_full_scores(&an, p->rubric);
}
