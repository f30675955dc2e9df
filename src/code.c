/* code.c - compiling a checked program's items to a Code (see code.h).
 *
 * The compiler reads the checked tree once; it covers the shapes items are
 * made of (facts, number literals, arithmetic, comparisons, not/and/or,
 * count, min, max, abs) and leaves anything else (text, names of sections,
 * other functions) to the general evaluator by not compiling that item. */
#include "code.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

typedef struct {
    Code *c;
    int cap_ins, cap_rules, cap_segs, cap_cells;
    int round; /* Program.round */
    const Program *p;
} Comp;

static void emit(Comp *cc, OpCode op, int a, int b, dec_i128 k)
{
    Code *c = cc->c;
    if (c->nins == cc->cap_ins) {
        cc->cap_ins = cc->cap_ins ? cc->cap_ins * 2 : 64;
        c->ins = xrealloc(c->ins, (size_t)cc->cap_ins * sizeof *c->ins);
    }
    c->ins[c->nins++] = (Instr){.op = (uint8_t)op, .a = (uint8_t)a, .b = b, .k = k};
}

static bool numeric(Type t)
{
    return t == TY_NUMBER || t == TY_PERCENT;
}

/* Code for n leaving its value in R[a]; false when n is not covered. */
static bool expr(Comp *cc, const Node *n, int a)
{
    if (a + 1 >= VM_REGS)
        return false;
    switch (n->kind) {
    case AST_NUM:
        emit(cc, I_K, a, 0, check_num(cc->p, n).v);
        return true;
    case AST_BOOL:
        emit(cc, I_K, a, 0, n->bval ? 1 : 0);
        return true;
    case AST_NAME:
        if (check_info(cc->p, n)->ref != REF_FACT)
            return false;
        if (numeric(check_info(cc->p, n)->ty))
            emit(cc, I_FACT, a, check_info(cc->p, n)->slot, 0);
        else if (check_info(cc->p, n)->ty == TY_BOOL)
            emit(cc, I_BOOL, a, check_info(cc->p, n)->slot, 0);
        else
            return false;
        return true;
    case AST_PAREN:
        return expr(cc, n->a, a);
    case AST_NEG:
        if (!numeric(check_info(cc->p, n)->ty) || !expr(cc, n->a, a))
            return false;
        emit(cc, I_NEG, a, 0, 0);
        return true;
    case AST_NOT:
        if (!expr(cc, n->a, a))
            return false;
        emit(cc, I_NOT, a, 0, 0);
        return true;
    case AST_AND:
    case AST_OR:
        if (!expr(cc, n->a, a) || !expr(cc, n->b, a + 1))
            return false;
        emit(cc, n->kind == AST_AND ? I_AND : I_OR, a, 0, 0);
        return true;
    case AST_BIN: {
        if (!numeric(check_info(cc->p, n->a)->ty) || !numeric(check_info(cc->p, n->b)->ty))
            return false;
        if (n->op == OP_MUL && (check_info(cc->p, n->a)->whole || check_info(cc->p, n->b)->whole)) {
            const Node *other = check_info(cc->p, n->a)->whole ? n->b : n->a;
            int64_t k = check_info(cc->p, n->a)->whole ? check_info(cc->p, n->a)->wk
                                                       : check_info(cc->p, n->b)->wk;
            if (!expr(cc, other, a))
                return false;
            emit(cc, I_MULW, a, 0, k);
            return true;
        }
        if (!expr(cc, n->a, a) || !expr(cc, n->b, a + 1))
            return false;
        static const OpCode ops[] = {
            [OP_ADD] = I_ADD, [OP_SUB] = I_SUB, [OP_MUL] = I_MUL, [OP_DIV] = I_DIV};
        if (n->op > OP_DIV)
            return false;
        emit(cc, ops[n->op], a, 0, 0);
        return true;
    }
    case AST_CHAIN:
        /* a chain of two numbers; longer chains stay with the general evaluator */
        if (n->nkids != 2 || !numeric(check_info(cc->p, n->kids[0])->ty) ||
            !numeric(check_info(cc->p, n->kids[1])->ty))
            return false;
        if (!expr(cc, n->kids[0], a) || !expr(cc, n->kids[1], a + 1))
            return false;
        emit(cc, I_CMP, a, (int)n->ops[0], 0);
        return true;
    case AST_CALL: {
        OpCode op;
        switch (check_info(cc->p, n)->fn) {
        case FN_COUNT:
            op = I_COUNT;
            break;
        case FN_MIN:
            op = I_MIN;
            break;
        case FN_MAX:
            op = I_MAX;
            break;
        case FN_ABS:
            op = I_ABS;
            break;
        default:
            return false;
        }
        if (n->nkids == 0 || a + (int)n->nkids + 1 >= VM_REGS)
            return false;
        for (uint32_t i = 0; i < n->nkids; i++) {
            if (op == I_COUNT ? check_info(cc->p, n->kids[i])->ty != TY_BOOL
                              : !numeric(check_info(cc->p, n->kids[i])->ty))
                return false;
            if (!expr(cc, n->kids[i], a + (int)i))
                return false;
        }
        emit(cc, op, a, (int)n->nkids, 0);
        return true;
    }
    default:
        return false;
    }
}

static int code_of(Comp *cc, const Node *n)
{
    int at = cc->c->nins;
    if (!expr(cc, n, 0))
        return -1;
    emit(cc, I_RET, 0, 0, 0);
    return at;
}

static CodeRule *new_rule(Comp *cc)
{
    Code *c = cc->c;
    if (c->nrules == cc->cap_rules) {
        cc->cap_rules = cc->cap_rules ? cc->cap_rules * 2 : 32;
        c->rules = xrealloc(c->rules, (size_t)cc->cap_rules * sizeof *c->rules);
    }
    CodeRule *r = &c->rules[c->nrules++];
    memset(r, 0, sizeof *r);
    r->result = -1;
    return r;
}

/* The result of a rule or a score expression into r; false if not covered. */
static bool result(Comp *cc, CodeRule *r, const Node *b)
{
    if (!numeric(check_info(cc->p, b)->ty))
        return false;
    r->pct = check_info(cc->p, b)->ty == TY_PERCENT;
    if (b->kind == AST_NUM) {
        dec_i128 v = check_num(cc->p, b).v;
        if (r->pct) {
            Dec d;
            if (dec_shift_up(check_num(cc->p, b), 2, &d) != DEC_OK)
                return false;
            v = d.v;
        }
        r->points = v;
        r->result = -1;
        Dec sh;
        r->has_shown = dec_round((Dec){v}, cc->round, &sh) == DEC_OK;
        r->shown = sh.v;
        return true;
    }
    r->result = code_of(cc, b);
    return r->result >= 0;
}

/* A CR_CMP rule's test `x OP k` as the interval [lo, lo + span] of x (Dec
 * units are integers: x > k is x >= k + 1), inverted for !=. k is below
 * 10^38 in magnitude, so k - 1 and k + 1 do not overflow. */
static void interval(CodeRule *r)
{
    const dec_i128 MAX = (dec_i128)(~(unsigned __int128)0 >> 1), MIN = -MAX - 1;
    dec_i128 lo = r->k, hi = r->k;
    switch ((AstOp)r->cmp) {
    case OP_LT:
        lo = MIN, hi = r->k - 1;
        break;
    case OP_LE:
        lo = MIN;
        break;
    case OP_GT:
        lo = r->k + 1, hi = MAX;
        break;
    case OP_GE:
        hi = MAX;
        break;
    default: /* OP_EQ, and OP_NE inverted */
        break;
    }
    r->lo = lo;
    r->span = (unsigned __int128)hi - (unsigned __int128)lo;
    r->invert = r->cmp == OP_NE;
}

/* The 64-bit form of r's interval [lo, hi], for x that fits int64: clamped
 * to [INT64_MIN, INT64_MAX]; false when nothing of it is left (the item then
 * keeps the 128-bit test). */
static bool interval64(CodeRule *r)
{
    dec_i128 lo = r->lo, hi = (dec_i128)((unsigned __int128)r->lo + r->span);
    if (lo > INT64_MAX || hi < INT64_MIN)
        return false;
    if (lo < INT64_MIN)
        lo = INT64_MIN;
    if (hi > INT64_MAX)
        hi = INT64_MAX;
    r->lo64 = (int64_t)lo;
    r->span64 = (uint64_t)(int64_t)hi - (uint64_t)(int64_t)lo;
    return true;
}

/* Whether rule r's test holds for x (as vm_item's table loop has it). */
static bool rule_holds(const CodeRule *r, dec_i128 x)
{
    return ((unsigned __int128)x - (unsigned __int128)r->lo <= r->span) != r->invert;
}

static int cmp_i128(const void *a, const void *b)
{
    dec_i128 x = *(const dec_i128 *)a, y = *(const dec_i128 *)b;
    return (x > y) - (x < y);
}

/* Table item ci's segments (see CodeSeg): the ends of its rules' intervals
 * sorted, the rule that fires found once at each segment's first value (every
 * test is constant between two ends), neighbours with the same answer
 * merged. */
static void segments(Comp *cc, CodeItem *ci)
{
    const dec_i128 MAX = (dec_i128)(~(unsigned __int128)0 >> 1), MIN = -MAX - 1;
    Code *c = cc->c;
    dec_i128 *ends = xmalloc(((size_t)ci->n * 2 + 1) * sizeof *ends);
    int n = 0;
    for (int i = 0; i < ci->n; i++) {
        const CodeRule *r = &c->rules[ci->first + i];
        if (r->kind == CR_ELSE)
            continue;
        dec_i128 hi = (dec_i128)((unsigned __int128)r->lo + r->span);
        if (r->lo != MIN)
            ends[n++] = r->lo;
        if (hi != MAX)
            ends[n++] = hi + 1;
    }
    qsort(ends, (size_t)n, sizeof *ends, cmp_i128);
    if (c->nsegs + n + 1 > cc->cap_segs) {
        while (c->nsegs + n + 1 > cc->cap_segs)
            cc->cap_segs = cc->cap_segs ? cc->cap_segs * 2 : 64;
        c->segs = xrealloc(c->segs, (size_t)cc->cap_segs * sizeof *c->segs);
    }
    ci->seg = c->nsegs;
    ci->nseg = 0;
    for (int j = -1; j < n; j++) {
        dec_i128 from = j < 0 ? MIN : ends[j];
        if (j > 0 && ends[j] == ends[j - 1])
            continue; /* an end given twice */
        int at = -1;
        for (int i = 0; i < ci->n && at < 0; i++)
            if (rule_holds(&c->rules[ci->first + i], from))
                at = ci->first + i;
        if (ci->nseg && c->segs[c->nsegs - 1].rule == at)
            continue; /* the same answer as the segment before: one segment */
        c->segs[c->nsegs++] = (CodeSeg){from, at};
        ci->nseg++;
    }
    free(ends);
}

/* floor(a / b) and a mod b (in [0, b)), b > 0 */
static dec_i128 floor_div(dec_i128 a, dec_i128 b)
{
    dec_i128 q = a / b;
    return a % b != 0 && a < 0 ? q - 1 : q;
}

static dec_i128 floor_mod(dec_i128 a, dec_i128 b)
{
    dec_i128 r = a % b;
    return r < 0 ? r + b : r;
}

/* A reciprocal for floor(d / g), g >= 2, every 0 <= d <= dmax: pre, mul and
 * shift with floor(d / g) = ((d >> pre) x mul) >> (64 + shift); false when
 * none is found. Why it is exact: with g = g' x 2^pre, floor(d / g) =
 * floor(floor(d / 2^pre) / g'); and for D = d >> pre <= dmax >> pre, mul =
 * ceil(2^k / g') = (2^k + e) / g' (k = 64 + shift, 0 <= e < g'), D x mul /
 * 2^k = D / g' + D x e / (g' x 2^k), where D x e < 2^k makes the added part
 * less than 1 / g': too little to carry D / g' (whose fraction is at most
 * (g' - 1) / g') past the next integer. */
static bool grid_magic(uint64_t g, uint64_t dmax, uint8_t *pre, uint64_t *mul, uint8_t *shift)
{
    int p = __builtin_ctzll(g);
    if (g >> p == 1) /* a power of two: keep a factor 2 (a multiplier 2^k would not fit) */
        p--;
    if (p < 0)
        return false;
    unsigned __int128 gp = g >> p, dm = dmax >> p;
    for (int s = 0; s < 64; s++) {
        unsigned __int128 two = (unsigned __int128)1 << (64 + s), m = (two + gp - 1) / gp;
        if (m > UINT64_MAX)
            return false;
        unsigned __int128 e = m * gp - two;
        if (e * dm < two) {
            *pre = (uint8_t)p, *mul = (uint64_t)m, *shift = (uint8_t)s;
            return true;
        }
    }
    return false;
}

/* A grid of cells g wide for table item ci (see code_table_seg), its
 * segments' starts b[0 .. n): true, with the grid in ci and the count of
 * marked cells in *marked, when it has at most CODE_GRID_CELLS cells, spans
 * less than 2^64 and has a reciprocal. */
static bool grid_try(const dec_i128 *b, int n, dec_i128 g, const FactSpec *spec, CodeItem *ci,
                     int *marked)
{
    if (g < 2 || g > (dec_i128)UINT64_MAX)
        return false;
    dec_i128 L = floor_div(b[0], g) - 1, H = -floor_div(-b[n - 1], g); /* H = ceil */
    if (H - L + 1 > CODE_GRID_CELLS)
        return false;
    /* widened, where the cells allow, to the fact's declared range (up to the
       most cells when it has no upper bound): a value outside the grid takes
       a branch (code_grid_cell) that is then rarely taken. The cells added
       below the first start or above the last are like their neighbours: no
       segment starts in them. */
    dec_i128 most = (dec_i128)(UINT64_MAX / (uint64_t)g); /* span (H - L) x g below 2^64 */
    if (most > CODE_GRID_CELLS - 1)
        most = CODE_GRID_CELLS - 1;
    if (spec->has_lo && spec->lo.v < L * g) {
        dec_i128 L2 = floor_div(spec->lo.v, g);
        if (H - L2 <= most)
            L = L2;
    }
    if (spec->has_hi && spec->hi.v > H * g) {
        dec_i128 H2 = -floor_div(-spec->hi.v, g);
        if (H2 - L <= most)
            H = H2;
    } else if (!spec->has_hi && H - L < most) {
        H = L + most;
    }
    dec_i128 lo, hi;
    if (__builtin_mul_overflow(L, g, &lo) || __builtin_mul_overflow(H, g, &hi) ||
        (unsigned __int128)(hi - lo) > UINT64_MAX)
        return false;
    CodeItem t = *ci;
    t.g = (uint64_t)g, t.glo = lo, t.ghi = hi, t.ncell = (int)(H - L + 1);
    t.gspan = (uint64_t)(hi - lo);
    if (!grid_magic(t.g, (uint64_t)(hi - lo), &t.gpre, &t.gmul, &t.gshift))
        return false;
    *marked = 0;
    for (int q = 0; q < t.ncell; q++) {
        dec_i128 start = lo + (dec_i128)q * g;
        for (int j = 0; j < n; j++)
            *marked += q + 1 < t.ncell && b[j] > start && b[j] < start + g;
    }
    *ci = t;
    return true;
}

/* Table item ci's grid, when one fits (see code_table_seg): the cells are
 * either as wide as the greatest common divisor of its segments' starts (no
 * segment starts inside a cell), or a power of ten wide when every start is a
 * multiple of it or one unit above one (x == k, x > k: marked cells). */
static void grid(Comp *cc, CodeItem *ci)
{
    Code *c = cc->c;
    const FactSpec *spec = &cc->p->facts[ci->table].spec;
    int n = ci->nseg - 1;
    ci->grid = false;
    if (n < 1 || ci->nseg > CODE_CELL_EXACT)
        return;
    dec_i128 *b = xmalloc((size_t)n * sizeof *b);
    unsigned __int128 gcd = 0;
    for (int j = 0; j < n; j++) {
        b[j] = c->segs[ci->seg + j + 1].from;
        unsigned __int128 a = b[j] < 0 ? -(unsigned __int128)b[j] : (unsigned __int128)b[j];
        while (a) {
            unsigned __int128 t = gcd % a;
            gcd = a, a = t;
        }
    }
    CodeItem best = *ci, t = *ci;
    int best_marked = -1, marked;
    if (gcd <= (unsigned __int128)UINT64_MAX && grid_try(b, n, (dec_i128)gcd, spec, &t, &marked))
        best = t, best_marked = marked;
    dec_i128 p = 1000000000000000000LL;
    for (; p >= 10 && best_marked != 0; p /= 10) {
        bool fits = true;
        for (int j = 0; j < n && fits; j++)
            fits = floor_mod(b[j], p) <= 1;
        t = *ci;
        if (fits && grid_try(b, n, p, spec, &t, &marked) &&
            (best_marked < 0 || marked < best_marked))
            best = t, best_marked = marked;
    }
    free(b);
    if (best_marked < 0)
        return;
    *ci = best;
    if (c->ncells + ci->ncell > cc->cap_cells) {
        while (c->ncells + ci->ncell > cc->cap_cells)
            cc->cap_cells = cc->cap_cells ? cc->cap_cells * 2 : 64;
        c->cells = xrealloc(c->cells, (size_t)cc->cap_cells);
    }
    ci->cell = c->ncells;
    ci->marked = 0;
    for (int q = 0; q < ci->ncell; q++) {
        dec_i128 start = ci->glo + (dec_i128)q * (dec_i128)ci->g;
        int seg = 0;
        bool mark = false;
        for (int j = 1; j < ci->nseg; j++) {
            dec_i128 from = c->segs[ci->seg + j].from;
            seg += from <= start;
            mark |= q + 1 < ci->ncell && from > start && from < start + (dec_i128)ci->g;
        }
        c->cells[c->ncells++] = (uint8_t)(seg | (mark ? CODE_CELL_EXACT : 0));
        ci->marked |= (uint64_t)mark << q;
    }
    ci->grid = true;
}

static bool item(Comp *cc, const ScoreNode *it, CodeItem *ci)
{
    ci->first = cc->c->nrules;
    if (it->score) {
        ci->is_score = true;
        CodeRule *r = new_rule(cc);
        r->kind = CR_ELSE;
        ci->n = 1;
        return result(cc, r, it->score);
    }
    if (it->nrules == 0)
        return false;
    for (int i = 0; i < it->nrules; i++) {
        const Node *rule = it->rules[i], *cnd = rule->a;
        int ri = cc->c->nrules;
        CodeRule *r = new_rule(cc);
        if (!cnd) {
            r->kind = CR_ELSE;
        } else if (cnd->kind == AST_CHAIN && cnd->nkids == 2 &&
                   numeric(check_info(cc->p, cnd->kids[0])->ty) && cnd->kids[0]->kind == AST_NAME &&
                   check_info(cc->p, cnd->kids[0])->ref == REF_FACT &&
                   cnd->kids[1]->kind == AST_NUM) {
            r->kind = CR_CMP;
            r->cmp = (uint8_t)cnd->ops[0];
            static const uint8_t masks[] = {
                [OP_EQ] = 2, [OP_NE] = 5, [OP_LT] = 1, [OP_LE] = 3, [OP_GT] = 4, [OP_GE] = 6};
            r->mask = masks[cnd->ops[0]];
            r->slot = check_info(cc->p, cnd->kids[0])->slot;
            r->k = check_num(cc->p, cnd->kids[1]).v;
            interval(r);
        } else {
            r->kind = CR_CODE;
            int at = code_of(cc, cnd);
            r = &cc->c->rules[ri]; /* code_of does not move rules, but be plain about it */
            if (at < 0)
                return false;
            r->cond = at;
        }
        if (!result(cc, &cc->c->rules[ri], rule->b))
            return false;
    }
    ci->n = it->nrules;
    const CodeRule *r0 = &cc->c->rules[ci->first];
    ci->table = r0->kind == CR_CMP ? r0->slot : -1;
    for (int i = 0; i < ci->n; i++) {
        CodeRule *r = &cc->c->rules[ci->first + i];
        r->plain = r->result < 0 && r->has_shown && !it->has_floor && !it->has_cap &&
                   (!it->full_ok || r->points <= it->full.v);
        if (r->kind == CR_ELSE) { /* the interval of every x */
            r->lo = (dec_i128)((unsigned __int128)1 << 127);
            r->span = ~(unsigned __int128)0;
            r->invert = false;
        }
        if (r->result >= 0 || r->kind == CR_CODE || (r->kind == CR_CMP && r->slot != ci->table))
            ci->table = -1;
    }
    for (int i = 0; i < ci->n; i++)
        cc->c->rules[ci->first + i].pos = i, cc->c->rules[ci->first + i].at = ci->first + i;
    ci->small = ci->table >= 0;
    for (int i = 0; i < ci->n && ci->small; i++)
        ci->small = interval64(&cc->c->rules[ci->first + i]);
    if (ci->table >= 0) {
        segments(cc, ci);
        grid(cc, ci);
    }
    return true;
}

Code *code_compile(const Program *p)
{
    Code *c = xmalloc(sizeof *c);
    memset(c, 0, sizeof *c);
    Comp cc = {.c = c, .round = p->round, .p = p};
    c->nnodes = p->nnodes;
    c->items = xmalloc(((size_t)p->nnodes + 1) * sizeof *c->items);
    memset(c->items, 0, ((size_t)p->nnodes + 1) * sizeof *c->items);
    for (int i = 0; i < p->nnodes; i++) {
        const ScoreNode *n = p->nodes[i];
        if (n->kind != SN_ITEM)
            continue;
        int nr = c->nrules, ni = c->nins, ns = c->nsegs, nc = c->ncells;
        CodeItem *ci = &c->items[i];
        ci->table = -1;
        ci->compiled = item(&cc, n, ci);
        if (ci->compiled) {
            c->ncompiled++;
        } else { /* drop what was emitted for it */
            c->nrules = nr, c->nins = ni, c->nsegs = ns, c->ncells = nc;
            memset(ci, 0, sizeof *ci);
            ci->table = -1;
        }
    }
    if (p->has_grade && p->ngrade > 0) {
        int first = c->nrules;
        bool ok = true;
        for (int i = 0; i < p->ngrade && ok; i++) {
            const Node *rule = p->grade[i], *cnd = rule->a;
            CodeRule *r = new_rule(&cc);
            if (!rule->b || rule->b->kind != AST_STR) {
                ok = false;
            } else if (!cnd) {
                r->kind = CR_ELSE;
            } else if (cnd->kind == AST_CHAIN && cnd->nkids == 2 &&
                       cnd->kids[0]->kind == AST_TOTAL && cnd->kids[1]->kind == AST_NUM &&
                       numeric(check_info(p, cnd->kids[1])->ty)) {
                static const uint8_t masks[] = {
                    [OP_EQ] = 2, [OP_NE] = 5, [OP_LT] = 1, [OP_LE] = 3, [OP_GT] = 4, [OP_GE] = 6};
                r->kind = CR_CMP;
                r->cmp = (uint8_t)cnd->ops[0];
                r->mask = masks[cnd->ops[0]];
                r->slot = -1;
                r->k = check_num(p, cnd->kids[1]).v;
                interval(r);
            } else {
                ok = false;
            }
            if (ok)
                r->text = rule->b->str;
        }
        if (ok)
            c->grade = true, c->grade_first = first, c->ngrade = p->ngrade;
        else
            c->nrules = first;
    }
    c->nfacts = p->nfacts;
    c->parser = xmalloc((size_t)p->nfacts + 1);
    for (int i = 0; i < p->nfacts; i++) {
        FactType t = p->facts[i].spec.type;
        c->parser[i] = t == FT_TEXT      ? CP_TEXT
                       : t == FT_BOOL    ? CP_BOOL
                       : t == FT_INTEGER ? CP_INTEGER
                       : t == FT_PERCENT ? CP_PERCENT
                                         : CP_NUMBER;
    }
    return c;
}

void code_free(Code *c)
{
    if (!c)
        return;
    free(c->items);
    free(c->rules);
    free(c->segs);
    free(c->cells);
    free(c->ins);
    free(c->parser);
    free(c);
}

/* ---- the listing ---- */

static const char *const op_names[] = {"K",   "FACT",  "BOOL", "NEG", "NOT", "ADD",
                                       "SUB", "MULW",  "MUL",  "DIV", "CMP", "AND",
                                       "OR",  "COUNT", "MIN",  "MAX", "ABS", "RET"};

static void put_units(FILE *out, dec_i128 v)
{
    char buf[DEC_BUFSZ];
    dec_format((Dec){v}, buf);
    fputs(buf, out);
}

static void dump_code(FILE *out, const Code *c, const Program *p, int at)
{
    for (int i = at; i < c->nins; i++) {
        const Instr *in = &c->ins[i];
        fprintf(out, "      %4d  %-5s R%d", i, op_names[in->op], in->a);
        switch (in->op) {
        case I_K:
            fputs(", ", out);
            put_units(out, in->k);
            break;
        case I_FACT:
        case I_BOOL:
            fprintf(out, ", fact %d (%s)", in->b, p->facts[in->b].name);
            break;
        case I_MULW:
            fprintf(out, ", %lld", (long long)in->k);
            break;
        case I_CMP:
            fprintf(out, " %s R%d", ast_op_text((AstOp)in->b), in->a + 1);
            break;
        case I_COUNT:
        case I_MIN:
        case I_MAX:
            fprintf(out, "..R%d", in->a + in->b - 1);
            break;
        case I_ADD:
        case I_SUB:
        case I_MUL:
        case I_DIV:
        case I_AND:
        case I_OR:
            fprintf(out, ", R%d", in->a + 1);
            break;
        default:
            break;
        }
        fputc('\n', out);
        if (in->op == I_RET)
            return;
    }
}

void code_dump(FILE *out, const Code *c, const Program *p)
{
    static const char *const parsers[] = {"text", "bool", "number", "integer", "percent"};
    int nitems = 0;
    for (int i = 0; i < c->nnodes; i++)
        nitems += p->nodes[i]->kind == SN_ITEM;
    fprintf(out, "code: %d of %d items compiled, %d rules, %d instructions\n", c->ncompiled, nitems,
            c->nrules, c->nins);
    for (int i = 0; i < c->nfacts; i++)
        fprintf(out, "fact %d %s: %s\n", i, p->facts[i].name, parsers[c->parser[i]]);
    if (c->grade) {
        fprintf(out, "grade: table\n");
        for (int r = 0; r < c->ngrade; r++) {
            const CodeRule *cr = &c->rules[c->grade_first + r];
            fprintf(out, "  %d ", r);
            if (cr->kind == CR_ELSE)
                fputs("else", out);
            else {
                fprintf(out, "total %s ", ast_op_text((AstOp)cr->cmp));
                put_units(out, cr->k);
            }
            fprintf(out, " -> \"%s\"\n", cr->text);
        }
    } else if (p->has_grade) {
        fprintf(out, "grade: general evaluator\n");
    }
    for (int i = 0; i < c->nnodes; i++) {
        const ScoreNode *n = p->nodes[i];
        if (n->kind != SN_ITEM)
            continue;
        const CodeItem *ci = &c->items[i];
        if (!ci->compiled) {
            fprintf(out, "item %d %s: general evaluator\n", i, n->name);
            continue;
        }
        fprintf(out, "item %d %s: %s\n", i, n->name, ci->is_score ? "score" : "rules");
        for (int r = 0; r < ci->n; r++) {
            const CodeRule *cr = &c->rules[ci->first + r];
            fprintf(out, "  %d ", r);
            if (cr->kind == CR_ELSE)
                fputs("else", out);
            else if (cr->kind == CR_CMP) {
                fprintf(out, "fact %d (%s) %s ", cr->slot, p->facts[cr->slot].name,
                        ast_op_text((AstOp)cr->cmp));
                put_units(out, cr->k);
            } else
                fprintf(out, "code %d", cr->cond);
            fputs(" -> ", out);
            if (cr->result < 0)
                put_units(out, cr->points);
            else
                fprintf(out, "code %d%s", cr->result, cr->pct ? " (percent)" : "");
            fputc('\n', out);
            if (cr->kind == CR_CODE)
                dump_code(out, c, p, cr->cond);
            if (cr->result >= 0)
                dump_code(out, c, p, cr->result);
        }
    }
}
