/* eval.c - scoring employees (see eval.h).
 *
 * Scores are computed exactly: items from their first matching rule, sections
 * by weight or by points, groups as the sum of their items' contributions.
 * Only then is every score rounded once, half away from zero, for reporting;
 * grade rules, outputs and expect read the reported values so the grade
 * always agrees with the total an auditor reads. An employee that cannot be
 * scored gets one message naming the item and the facts it read. */
#include "eval.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "parse.h"
#include "utf8.h"

/* Memo table: a batch scores the same few values over and over (an item
 * worth 20, 16 or 12 points), so an item score's exact form and its exact
 * contribution to its section are kept by value. A hit returns what the
 * computation would; nothing else changes. */
#define MEMO_WAYS 16 /* memo entries per item */
/* The fast path's view of a node (see fast_build). */
typedef struct {
    dec_i128 D;            /* the exact score is N / D */
    dec_i128 k;            /* the contribution to its section is N x k in the section's units */
    dec_i128 base, lo, hi; /* base, floor, cap in its own units */
    dec_i128 full;         /* floor(full score x D) */
    bool has_full;         /* the score is checked against its full score */
} FastNode;

typedef struct {
    Dec key;
    mpq_t score, contrib; /* the score exactly, and score x weight x F / full */
    bool used;
} Memo;

#define QSTACK (PARSE_MAX_DEPTH * 2 + 16) /* temporaries for exact expressions */

static inline unsigned memo_hash(Dec k)
{
    uint64_t x = (uint64_t)k.v ^ (uint64_t)((unsigned __int128)k.v >> 64);
    x ^= x >> 31;
    x *= 0x9E3779B97F4A7C15ull;
    return (unsigned)(x >> 40);
}

struct Eval {
    const Program *p;
    Memo *memo; /* nn x MEMO_WAYS: item score -> exact score and contribution */
    Diags *d;
    int nf, nn, no, nr;
    Value *shared;    /* nf: the employee's shared values, defaults filled in */
    Value *own;       /* nr x nf: values given per rater (FACT@RATER) */
    Value *view;      /* nf: what fact names read now */
    const char **raw; /* nf: shared value as written, for the id */
    size_t *raw_len;
    int *given;             /* (nr + 1) x nf: line where given, 0 if not */
    Dec *item;              /* nn: items' scores (18-place decimals) */
    FastNode *fast;         /* nn + 1 (root last), or NULL: the rubric cannot take the fast path */
    dec_i128 *fast_n;       /* nn + 1: N of every node on the fast path */
    bool use_fast;          /* eval_use_fast_path was asked for */
    unsigned char *clamped; /* nn + 1: 1 floor applied, 2 cap applied (root last) */
    mpq_t *exact;           /* nn: exact scores of the current view */
    Dec *reported;          /* nn: reported scores */
    mpq_t *contrib;         /* nn: exact contribution to the enclosing section */
    mpq_t *factor;          /* nn: weighted members: weight x F / full, else 1 */
    mpq_t *stack;           /* QSTACK temporaries for exact expressions */
    mpq_t total_exact;      /* the rubric's score before rounding */
    mpq_t combined_total;
    int *fired; /* nn: index of the rule that fired, -1 for a score expression, -2 not scored */
    int grade_fired;     /* index of the grade rule that fired, -1 none */
    mpq_t *combined;     /* nn: the raters' weighted sum, being built */
    Dec *rater_reported; /* nr x nn */
    Dec *rater_total;    /* nr */
    Dec total;           /* reported total */
    const char *grade;
    Value *outputs;               /* no */
    bool *veto_held;              /* one per veto, in file order (in the current view) */
    bool *rater_veto;             /* nr x nveto: held in that rater's view */
    const char **rater_veto_text; /* nr x nveto: reasons, for the result */
    int *rater_nveto;
    const Node **veto_nodes;
    int nveto_nodes;
    bool reported_mode; /* node names read reported scores (grade, outputs, expect) */
    /* CSV header mapping, done once per header */
    unsigned header_gen;
    bool have_header;
    int *colslot, *colrater;
    size_t ncols;
    char *header_error; /* why every row of this CSV fails (malloc'd), or NULL */
    /* the current employee */
    Arena *a;
    const FactRecord *rec;
    const char *label;      /* what is being scored, for messages: "item", "section", "total"... */
    const char *label_name; /* its name, or NULL */
    const char *err;
    const Node *err_at;
};

static bool fail(Eval *e, const Node *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fast_build(Eval *e);
static bool fail(Eval *e, const Node *at, const char *fmt, ...)
{
    if (e->err)
        return false;
    va_list ap;
    va_start(ap, fmt);
    const char *buf = arena_vprintf(e->a, _(fmt), ap); /* whole: it may quote a long value */
    va_end(ap);
    if (e->label && e->label_name)
        e->err = arena_printf(e->a, _("%s %s: %s"), _(e->label), e->label_name, buf);
    else if (e->label)
        e->err = arena_printf(e->a, _("%s: %s"), _(e->label), buf);
    else
        e->err = arena_strndup(e->a, buf, strlen(buf));
    e->err_at = at;
    return false;
}

static void collect_vetoes(Eval *e, const ScoreNode *s)
{
    for (int i = 0; i < s->nvetoes; i++)
        e->veto_nodes[e->nveto_nodes++] = s->vetoes[i];
    for (int i = 0; i < s->nkids; i++)
        collect_vetoes(e, s->kids[i]);
}

static int count_vetoes(const ScoreNode *s)
{
    int n = s->nvetoes;
    for (int i = 0; i < s->nkids; i++)
        n += count_vetoes(s->kids[i]);
    return n;
}

Eval *eval_new(const Program *p, Diags *d)
{
    Eval *e = xmalloc(sizeof *e);
    memset(e, 0, sizeof *e);
    e->p = p;
    e->d = d;
    e->nf = p->nfacts, e->nn = p->nnodes, e->no = p->noutputs, e->nr = p->nraters;
    size_t nf = (size_t)e->nf + 1, nn = (size_t)e->nn + 1, nr = (size_t)e->nr + 1;
    e->shared = xmalloc(nf * sizeof *e->shared);
    e->own = xmalloc(nr * nf * sizeof *e->own);
    e->view = xmalloc(nf * sizeof *e->view);
    e->raw = xmalloc(nf * sizeof *e->raw);
    e->raw_len = xmalloc(nf * sizeof *e->raw_len);
    e->given = xmalloc(nr * nf * sizeof *e->given);
    e->item = xmalloc(nn * sizeof *e->item);
    e->clamped = xmalloc(nn * sizeof *e->clamped);
    e->exact = xmalloc(nn * sizeof *e->exact);
    e->reported = xmalloc(nn * sizeof *e->reported);
    e->contrib = xmalloc(nn * sizeof *e->contrib);
    e->factor = xmalloc(nn * sizeof *e->factor);
    e->combined = xmalloc(nn * sizeof *e->combined);
    e->stack = xmalloc(QSTACK * sizeof *e->stack);
    e->memo = xmalloc(nn * MEMO_WAYS * sizeof *e->memo);
    for (size_t i = 0; i < nn; i++) {
        mpq_inits(e->exact[i], e->contrib[i], e->factor[i], e->combined[i], NULL);
        mpq_set_ui(e->factor[i], 1, 1);
    }
    for (size_t i = 0; i < nn * MEMO_WAYS; i++) {
        mpq_inits(e->memo[i].score, e->memo[i].contrib, NULL);
        e->memo[i].used = false;
    }
    for (size_t i = 0; i < QSTACK; i++)
        mpq_init(e->stack[i]);
    mpq_inits(e->total_exact, e->combined_total, NULL);
    /* each weighted member contributes score x (weight x F / full) */
    for (int i = 0; i < e->nn; i++) {
        const ScoreNode *m = p->nodes[i];
        const ScoreNode *sec =
            m->parent && m->parent->kind == SN_GROUP ? m->parent->parent : m->parent;
        if (m->kind == SN_GROUP || !sec || sec->mode != MODE_WEIGHTED || !m->full_ok ||
            !sec->qscale || mpq_sgn(m->qfull) == 0)
            continue;
        ex_from_dec(e->factor[i], m->weight);
        mpq_mul(e->factor[i], e->factor[i], sec->qscale);
        mpq_div(e->factor[i], e->factor[i], m->qfull);
    }
    e->fired = xmalloc(nn * sizeof *e->fired);
    if (!getenv("RUBRIC_EXACT_ONLY")) /* for tests: compare the two paths */
        fast_build(e);
    e->rater_reported = xmalloc(nr * nn * sizeof *e->rater_reported);
    e->rater_total = xmalloc(nr * sizeof *e->rater_total);
    e->outputs = xmalloc(((size_t)e->no + 1) * sizeof *e->outputs);
    int nv = p->rubric ? count_vetoes(p->rubric) : 0;
    e->veto_nodes = xmalloc(((size_t)nv + 1) * sizeof *e->veto_nodes);
    e->veto_held = xmalloc(((size_t)nv + 1) * sizeof *e->veto_held);
    e->rater_veto = xmalloc(((size_t)nv + 1) * nr * sizeof *e->rater_veto);
    e->rater_veto_text = xmalloc(((size_t)nv + 1) * nr * sizeof *e->rater_veto_text);
    e->rater_nveto = xmalloc(nr * sizeof *e->rater_nveto);
    if (p->rubric)
        collect_vetoes(e, p->rubric);
    /* reported in file order, whatever the nesting */
    for (int i = 1; i < e->nveto_nodes; i++)
        for (int j = i; j > 0 && e->veto_nodes[j - 1]->start > e->veto_nodes[j]->start; j--) {
            const Node *t = e->veto_nodes[j];
            e->veto_nodes[j] = e->veto_nodes[j - 1];
            e->veto_nodes[j - 1] = t;
        }
    return e;
}

void eval_free(Eval *e)
{
    if (!e)
        return;
    free(e->shared), free(e->own), free(e->view), free(e->raw), free(e->raw_len), free(e->given);
    size_t nn = (size_t)e->nn + 1;
    for (size_t i = 0; i < nn; i++)
        mpq_clears(e->exact[i], e->contrib[i], e->factor[i], e->combined[i], NULL);
    for (size_t i = 0; i < nn * MEMO_WAYS; i++)
        mpq_clears(e->memo[i].score, e->memo[i].contrib, NULL);
    for (size_t i = 0; i < QSTACK; i++)
        mpq_clear(e->stack[i]);
    mpq_clears(e->total_exact, e->combined_total, NULL);
    free(e->fast), free(e->fast_n);
    free(e->item), free(e->clamped), free(e->exact), free(e->reported), free(e->contrib),
        free(e->factor), free(e->stack), free(e->fired), free(e->memo), free(e->combined),
        free(e->rater_reported);
    free(e->rater_veto), free(e->rater_veto_text), free(e->rater_nveto);
    free(e->rater_total), free(e->outputs), free(e->veto_nodes), free(e->veto_held);
    free(e->colslot), free(e->colrater), free(e->header_error);
    free(e);
}

/* ---- expressions ---- */

static bool ev(Eval *e, const Node *n, Value *out);

static bool dec_check(Eval *e, const Node *at, DecStatus st)
{
    if (st == DEC_OK)
        return true;
    if (st == DEC_DIVZERO)
        return fail(e, at, "division by zero");
    return fail(e, at, "a number reached 10^20 in size");
}

static int compare(const Value *x, const Value *y)
{
    if (x->kind == VAL_TEXT) {
        if (x->len != y->len)
            return 1;
        return memcmp(x->s, y->s, x->len) != 0;
    }
    if (x->kind == VAL_BOOL)
        return x->b != y->b;
    return dec_cmp(x->d, y->d);
}

static bool holds(AstOp op, int c)
{
    switch (op) {
    case OP_EQ:
        return c == 0;
    case OP_NE:
        return c != 0;
    case OP_LT:
        return c < 0;
    case OP_LE:
        return c <= 0;
    case OP_GT:
        return c > 0;
    case OP_GE:
        return c >= 0;
    default:
        return false;
    }
}

static ValKind kind_of(Type t)
{
    return t == TY_PERCENT ? VAL_PERCENT : VAL_NUMBER;
}

static bool ev_call(Eval *e, const Node *n, Value *out)
{
    Value x, y;
    out->kind = kind_of(n->ty);
    switch (n->fn) {
    case FN_MIN:
    case FN_MAX:
        if (!ev(e, n->kids[0], out))
            return false;
        out->kind = kind_of(n->ty);
        for (uint32_t i = 1; i < n->nkids; i++) {
            if (!ev(e, n->kids[i], &x))
                return false;
            int c = dec_cmp(x.d, out->d);
            if (n->fn == FN_MIN ? c < 0 : c > 0)
                out->d = x.d;
        }
        return true;
    case FN_SUM:
    case FN_AVG:
        out->d = dec_zero();
        for (uint32_t i = 0; i < n->nkids; i++) {
            if (!ev(e, n->kids[i], &x) || !dec_check(e, n, dec_add(out->d, x.d, &out->d)))
                return false;
        }
        if (n->fn == FN_AVG)
            return dec_check(e, n, dec_div(out->d, dec_from_int(n->nkids), &out->d));
        return true;
    case FN_CLAMP: {
        Value lo, hi;
        if (!ev(e, n->kids[0], &x) || !ev(e, n->kids[1], &lo) || !ev(e, n->kids[2], &hi))
            return false;
        if (dec_cmp(lo.d, hi.d) > 0)
            return fail(e, n, "clamp with its low bound %s above its high bound %s",
                        value_text(e->a, &lo), value_text(e->a, &hi));
        out->d = dec_cmp(x.d, lo.d) < 0 ? lo.d : dec_cmp(x.d, hi.d) > 0 ? hi.d : x.d;
        return true;
    }
    case FN_ABS:
        if (!ev(e, n->kids[0], &x))
            return false;
        out->d = dec_abs(x.d);
        return true;
    case FN_ROUND: {
        if (!ev(e, n->kids[0], &x) || !ev(e, n->kids[1], &y))
            return false;
        if (!dec_is_integer(y.d) || dec_is_neg(y.d) || dec_cmp(y.d, dec_from_int(DEC_SCALE)) > 0)
            return fail(e, n, "round to %s digits: the digits must be a whole number from 0 to 18",
                        value_text(e->a, &y));
        int places = (int)(y.d.v / dec_from_int(1).v);
        Dec v = x.d;
        if (x.kind == VAL_PERCENT) {
            /* a percent rounds in percent units: round(92.345%, 1) is 92.3% */
            if (!dec_check(e, n, dec_shift_up(v, 2, &v)) ||
                !dec_check(e, n, dec_round(v, places, &v)))
                return false;
            Dec back;
            if (dec_shift_down(v, 2, &back) != DEC_OK)
                back = v; /* unreachable: places <= 18 - 2 keeps digits */
            out->d = back;
            return true;
        }
        return dec_check(e, n, dec_round(v, places, &out->d));
    }
    case FN_COUNT:
        out->kind = VAL_NUMBER;
        out->d = dec_zero();
        for (uint32_t i = 0; i < n->nkids; i++) {
            if (!ev(e, n->kids[i], &x))
                return false;
            if (x.b)
                out->d.v += dec_from_int(1).v;
        }
        return true;
    case FN_IF:
        if (!ev(e, n->kids[0], &x))
            return false;
        if (!ev(e, n->kids[x.b ? 1 : 2], out))
            return false;
        if (n->ty == TY_PERCENT || n->ty == TY_NUMBER)
            out->kind = kind_of(n->ty);
        return true;
    default:
        return fail(e, n, "unknown function");
    }
}

static bool ev(Eval *e, const Node *n, Value *out)
{
    Value x, y;
    switch (n->kind) {
    case AST_NUM:
        out->kind = kind_of(n->ty);
        out->d = n->num;
        return true;
    case AST_STR:
        out->kind = VAL_TEXT;
        out->s = n->str;
        out->len = strlen(n->str);
        return true;
    case AST_BOOL:
        out->kind = VAL_BOOL;
        out->b = n->bval;
        return true;
    case AST_NAME:
        switch (n->ref) {
        case REF_FACT:
            *out = e->view[n->slot];
            if (out->kind == VAL_NONE)
                return fail(e, n, "fact %s has no value", n->name);
            return true;
        case REF_NODE:
            out->kind = VAL_NUMBER;
            if (e->reported_mode)
                out->d = e->reported[n->slot];
            else if (!ex_round_even(e->exact[n->slot], &out->d))
                return fail(e, n, "a number reached 10^20 in size");
            return true;
        case REF_OUTPUT:
            *out = e->outputs[n->slot];
            return true;
        default:
            return fail(e, n, "unresolved name %s", n->name);
        }
    case AST_TOTAL:
        out->kind = VAL_NUMBER;
        out->d = e->total;
        return true;
    case AST_GRADEREF:
        out->kind = VAL_TEXT;
        out->s = e->grade ? e->grade : "";
        out->len = strlen(out->s);
        return true;
    case AST_PAREN:
        return ev(e, n->a, out);
    case AST_NEG:
        if (!ev(e, n->a, out))
            return false;
        out->d = dec_neg(out->d);
        return true;
    case AST_BIN: {
        if (!ev(e, n->a, &x) || !ev(e, n->b, &y))
            return false;
        out->kind = kind_of(n->ty);
        DecStatus st;
        switch (n->op) {
        case OP_ADD:
            st = dec_add(x.d, y.d, &out->d);
            break;
        case OP_SUB:
            st = dec_sub(x.d, y.d, &out->d);
            break;
        case OP_MUL:
            st = dec_mul(x.d, y.d, &out->d);
            break;
        default:
            st = dec_div(x.d, y.d, &out->d);
            break;
        }
        return dec_check(e, n, st);
    }
    case AST_CHAIN:
        out->kind = VAL_BOOL;
        if (!ev(e, n->kids[0], &x))
            return false;
        for (uint32_t i = 0; i + 1 < n->nkids; i++) {
            if (!ev(e, n->kids[i + 1], &y))
                return false;
            if (!holds(n->ops[i], compare(&x, &y))) {
                out->b = false;
                return true;
            }
            x = y;
        }
        out->b = true;
        return true;
    case AST_NOT:
        if (!ev(e, n->a, &x))
            return false;
        out->kind = VAL_BOOL;
        out->b = !x.b;
        return true;
    case AST_AND:
    case AST_OR:
        if (!ev(e, n->a, &x))
            return false;
        out->kind = VAL_BOOL;
        if (x.b == (n->kind == AST_OR)) {
            out->b = x.b;
            return true;
        }
        if (!ev(e, n->b, &y))
            return false;
        out->b = y.b;
        return true;
    case AST_CALL:
        return ev_call(e, n, out);
    default:
        return fail(e, n, "cannot evaluate this");
    }
}

/* Fast paths for the shapes rules are made of: a condition comparing numbers,
 * a result that is a number. They compute what ev computes, without building
 * Values; anything else falls back to ev. */
static bool ev_num(Eval *e, const Node *n, Dec *out)
{
    switch (n->kind) {
    case AST_NUM:
        *out = n->num;
        return true;
    case AST_NAME:
        if (n->ref == REF_FACT) {
            const Value *v = &e->view[n->slot];
            if (v->kind == VAL_NUMBER || v->kind == VAL_PERCENT) {
                *out = v->d;
                return true;
            }
        } else if (n->ref == REF_NODE && e->reported_mode) {
            *out = e->reported[n->slot];
            return true;
        }
        break;
    case AST_PAREN:
        return ev_num(e, n->a, out);
    case AST_BIN: {
        Dec x, y;
        if (!ev_num(e, n->a, &x) || !ev_num(e, n->b, &y))
            return false;
        if (n->op == OP_MUL && (n->a->whole || n->b->whole)) {
            /* a product with a whole-number literal is exact: no rounding step */
            int64_t k = n->a->whole ? n->a->wk : n->b->wk;
            Dec other = n->a->whole ? y : x;
            dec_i128 limit = dec_from_int(100000000000000000LL).v * 1000; /* 10^20 in units */
            dec_i128 prod;
            if (__builtin_mul_overflow(other.v, (dec_i128)k, &prod) || prod >= limit ||
                prod <= -limit)
                return dec_check(e, n, DEC_OVERFLOW);
            out->v = prod;
            return true;
        }
        switch (n->op) {
        case OP_ADD:
            return dec_check(e, n, dec_add(x, y, out));
        case OP_SUB:
            return dec_check(e, n, dec_sub(x, y, out));
        case OP_MUL:
            return dec_check(e, n, dec_mul(x, y, out));
        default:
            return dec_check(e, n, dec_div(x, y, out));
        }
    }
    default:
        break;
    }
    Value v;
    if (!ev(e, n, &v))
        return false;
    *out = v.d;
    return true;
}

static bool numeric_type(Type t)
{
    return t == TY_NUMBER || t == TY_PERCENT;
}

static bool ev_bool(Eval *e, const Node *n, bool *out)
{
    switch (n->kind) {
    case AST_CHAIN: {
        if (!numeric_type(n->kids[0]->ty))
            break;
        const Node *l = n->kids[0], *r = n->kids[1];
        if (n->nkids == 2 && l->kind == AST_NAME && l->ref == REF_FACT && r->kind == AST_NUM) {
            /* the threshold rule `完成率 >= 90`: one fact against one constant */
            const Value *v = &e->view[l->slot];
            if (v->kind == VAL_NUMBER || v->kind == VAL_PERCENT) {
                *out = holds(n->ops[0], dec_cmp(v->d, r->num));
                return true;
            }
        }
        Dec x, y;
        if (!ev_num(e, n->kids[0], &x))
            return false;
        for (uint32_t i = 0; i + 1 < n->nkids; i++) {
            if (!ev_num(e, n->kids[i + 1], &y))
                return false;
            if (!holds(n->ops[i], dec_cmp(x, y))) {
                *out = false;
                return true;
            }
            x = y;
        }
        *out = true;
        return true;
    }
    case AST_AND:
    case AST_OR:
        if (!ev_bool(e, n->a, out))
            return false;
        if (*out == (n->kind == AST_OR))
            return true;
        return ev_bool(e, n->b, out);
    case AST_NOT:
        if (!ev_bool(e, n->a, out))
            return false;
        *out = !*out;
        return true;
    case AST_PAREN:
        return ev_bool(e, n->a, out);
    default:
        break;
    }
    Value v;
    if (!ev(e, n, &v))
        return false;
    *out = v.b;
    return true;
}

/* ---- exact expressions: section and rubric `score`, vetoes ----
 *
 * They read their children's exact values, so they compute on fractions:
 * `/` is exact and round(x, n) rounds the exact value half away from zero.
 * Temporaries come from e->stack (sp is the first free one), so nothing is
 * allocated once warm. */

static bool evq(Eval *e, const Node *n, mpq_ptr out, int sp);
static bool evq_bool(Eval *e, const Node *n, bool *out, int sp);

static bool stack_room(Eval *e, const Node *n, int sp)
{
    if (sp + 2 < QSTACK)
        return true;
    return fail(e, n, "this expression nests deeper than %d levels", QSTACK);
}

static bool evq_call(Eval *e, const Node *n, mpq_ptr out, int sp)
{
    mpq_ptr x = e->stack[sp], y = e->stack[sp + 1];
    switch (n->fn) {
    case FN_MIN:
    case FN_MAX:
        if (!evq(e, n->kids[0], out, sp))
            return false;
        for (uint32_t i = 1; i < n->nkids; i++) {
            if (!evq(e, n->kids[i], x, sp + 1))
                return false;
            int c = mpq_cmp(x, out);
            if (n->fn == FN_MIN ? c < 0 : c > 0)
                mpq_set(out, x);
        }
        return true;
    case FN_SUM:
    case FN_AVG:
        mpq_set_ui(out, 0, 1);
        for (uint32_t i = 0; i < n->nkids; i++) {
            if (!evq(e, n->kids[i], x, sp + 1))
                return false;
            mpq_add(out, out, x);
        }
        if (n->fn == FN_AVG) {
            mpq_set_ui(x, n->nkids, 1);
            mpq_div(out, out, x);
        }
        return true;
    case FN_CLAMP:
        if (!evq(e, n->kids[0], out, sp) || !evq(e, n->kids[1], x, sp + 1) ||
            !evq(e, n->kids[2], y, sp + 2))
            return false;
        if (mpq_cmp(x, y) > 0)
            return fail(e, n, "clamp with its low bound %s above its high bound %s",
                        ex_text(e->a, x), ex_text(e->a, y));
        if (mpq_cmp(out, x) < 0)
            mpq_set(out, x);
        else if (mpq_cmp(out, y) > 0)
            mpq_set(out, y);
        return true;
    case FN_ABS:
        if (!evq(e, n->kids[0], out, sp))
            return false;
        mpq_abs(out, out);
        return true;
    case FN_ROUND: {
        if (!evq(e, n->kids[0], out, sp) || !evq(e, n->kids[1], x, sp + 1))
            return false;
        if (mpz_cmp_ui(mpq_denref(x), 1) != 0 || mpq_sgn(x) < 0 ||
            mpz_cmp_ui(mpq_numref(x), DEC_SCALE) > 0)
            return fail(e, n, "round to %s digits: the digits must be a whole number from 0 to 18",
                        ex_text(e->a, x));
        int places = (int)mpz_get_ui(mpq_numref(x));
        /* a percent rounds in percent units: round(92.345%, 1) is 92.3% */
        ex_round_q(out, out, places + (n->kids[0]->ty == TY_PERCENT ? 2 : 0));
        return true;
    }
    case FN_COUNT: {
        long k = 0;
        for (uint32_t i = 0; i < n->nkids; i++) {
            bool b;
            if (!evq_bool(e, n->kids[i], &b, sp))
                return false;
            k += b;
        }
        mpq_set_si(out, k, 1);
        return true;
    }
    case FN_IF: {
        bool b;
        if (!evq_bool(e, n->kids[0], &b, sp))
            return false;
        return evq(e, n->kids[b ? 1 : 2], out, sp);
    }
    default:
        return fail(e, n, "unknown function");
    }
}

/* The exact value of numeric expression n (a percent as its fraction). */
static bool evq(Eval *e, const Node *n, mpq_ptr out, int sp)
{
    if (!stack_room(e, n, sp))
        return false;
    switch (n->kind) {
    case AST_NUM:
        ex_from_dec(out, n->num);
        return true;
    case AST_NAME:
        if (n->ref == REF_NODE) {
            mpq_set(out, e->exact[n->slot]);
            return true;
        }
        break;
    case AST_PAREN:
        return evq(e, n->a, out, sp);
    case AST_NEG:
        if (!evq(e, n->a, out, sp))
            return false;
        mpq_neg(out, out);
        return true;
    case AST_BIN: {
        mpq_ptr y = e->stack[sp];
        if (!evq(e, n->a, out, sp + 1) || !evq(e, n->b, y, sp + 1))
            return false;
        switch (n->op) {
        case OP_ADD:
            mpq_add(out, out, y);
            return true;
        case OP_SUB:
            mpq_sub(out, out, y);
            return true;
        case OP_MUL:
            mpq_mul(out, out, y);
            return true;
        default:
            if (mpq_sgn(y) == 0)
                return fail(e, n, "division by zero");
            mpq_div(out, out, y);
            return true;
        }
    }
    case AST_CALL:
        return evq_call(e, n, out, sp);
    default:
        break;
    }
    Value v;
    if (!ev(e, n, &v))
        return false;
    ex_from_dec(out, v.d);
    return true;
}

static bool evq_bool(Eval *e, const Node *n, bool *out, int sp)
{
    if (!stack_room(e, n, sp))
        return false;
    switch (n->kind) {
    case AST_CHAIN: {
        if (!numeric_type(n->kids[0]->ty))
            break;
        mpq_ptr x = e->stack[sp], y = e->stack[sp + 1];
        if (!evq(e, n->kids[0], x, sp + 2))
            return false;
        for (uint32_t i = 0; i + 1 < n->nkids; i++) {
            if (!evq(e, n->kids[i + 1], y, sp + 2))
                return false;
            int c = mpq_cmp(x, y);
            if (!holds(n->ops[i], (c > 0) - (c < 0))) {
                *out = false;
                return true;
            }
            mpq_swap(x, y);
        }
        *out = true;
        return true;
    }
    case AST_AND:
    case AST_OR:
        if (!evq_bool(e, n->a, out, sp))
            return false;
        if (*out == (n->kind == AST_OR))
            return true;
        return evq_bool(e, n->b, out, sp);
    case AST_NOT:
        if (!evq_bool(e, n->a, out, sp))
            return false;
        *out = !*out;
        return true;
    case AST_PAREN:
        return evq_bool(e, n->a, out, sp);
    case AST_CALL:
        if (n->fn == FN_IF) {
            bool b;
            if (!evq_bool(e, n->kids[0], &b, sp))
                return false;
            return evq_bool(e, n->kids[b ? 1 : 2], out, sp);
        }
        break;
    default:
        break;
    }
    Value v;
    if (!ev(e, n, &v))
        return false;
    *out = v.b;
    return true;
}

/* ---- the score tree ---- */

static bool points_of(Eval *e, const Node *at, const Value *v, Dec *out)
{
    if (v->kind == VAL_PERCENT)
        return dec_check(e, at, dec_shift_up(v->d, 2, out));
    *out = v->d;
    return true;
}

static const char *reads_text(Eval *e, const ScoreNode *it)
{
    const char *s = "";
    for (int i = 0; i < it->nreads; i++) {
        const FactInfo *f = &e->p->facts[it->reads[i]];
        s = arena_printf(e->a, "%s%s%s = %s", s, i ? ", " : "", f->name,
                         value_text(e->a, &e->view[it->reads[i]]));
    }
    return s;
}

/* FIRST hit policy: the index of the first rule whose condition holds (an
 * else always does) in *hit, or -1 when none does; false on an error. */
static bool first_rule(Eval *e, const Node *const *rules, int n, int *hit)
{
    for (int i = 0; i < n; i++) {
        bool c = true;
        if (rules[i]->a && !ev_bool(e, rules[i]->a, &c))
            return false;
        if (c) {
            *hit = i;
            return true;
        }
    }
    *hit = -1;
    return true;
}

static bool above_full(Eval *e, const Node *at, const char *score, const char *full)
{
    return fail(e, at, "score %s is above its full score %s", score, full);
}

/* An item's score: its body, then floor and cap, then the check against its
 * full score (after the cap), into e->item. */
static bool score_item_body(Eval *e, const ScoreNode *it)
{
    e->label = N_("item");
    e->label_name = it->name;
    Value v;
    const Node *at = it->score;
    Dec *out = &e->item[it->index];
    if (it->score) {
        if (!ev(e, it->score, &v))
            return false;
        e->fired[it->index] = -1;
    } else {
        int i;
        if (!first_rule(e, it->rules, it->nrules, &i))
            return false;
        if (i < 0) {
            const char *reads = reads_text(e, it);
            if (*reads)
                return fail(e, it->decl, "no rule matched (%s)", reads);
            return fail(e, it->decl, "no rule matched");
        }
        at = it->rules[i];
        v.kind = at->b->ty == TY_PERCENT ? VAL_PERCENT : VAL_NUMBER;
        if (!ev_num(e, at->b, &v.d))
            return false;
        e->fired[it->index] = i;
    }
    if (!points_of(e, at, &v, out))
        return false;
    if (it->has_floor && dec_cmp(*out, it->floor) < 0)
        *out = it->floor, e->clamped[it->index] = 1;
    if (it->has_cap && dec_cmp(*out, it->cap) > 0)
        *out = it->cap, e->clamped[it->index] = 2;
    if (it->full_ok && dec_cmp(*out, it->full) > 0) {
        char a[DEC_BUFSZ], b[DEC_BUFSZ];
        dec_format(*out, a);
        dec_format(it->full, b);
        return above_full(e, at, a, b);
    }
    return true;
}

/* score_item_body, then the item's exact form and contribution. */
static bool score_item(Eval *e, const ScoreNode *it)
{
    if (!score_item_body(e, it))
        return false;
    const Dec *out = &e->item[it->index];
    Memo *memo = &e->memo[(size_t)it->index * MEMO_WAYS + (memo_hash(*out) & (MEMO_WAYS - 1))];
    if (!memo->used || memo->key.v != out->v) {
        memo->key = *out;
        memo->used = true;
        ex_from_dec(memo->score, *out);
        mpq_mul(memo->contrib, memo->score, e->factor[it->index]);
    }
    mpq_set(e->exact[it->index], memo->score);
    mpq_set(e->contrib[it->index], memo->contrib);
    return true;
}

static bool score_section(Eval *e, const ScoreNode *s, mpq_ptr out);

static bool score_kids(Eval *e, const ScoreNode *s)
{
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (k->kind == SN_ITEM) {
            if (!score_item(e, k))
                return false;
        } else if (k->kind == SN_GROUP) {
            for (int j = 0; j < k->nkids; j++)
                if (!score_item(e, k->kids[j]))
                    return false;
        } else if (!score_section(e, k, e->exact[k->index])) {
            return false;
        } else {
            mpq_mul(e->contrib[k->index], e->exact[k->index], e->factor[k->index]);
        }
    }
    return true;
}

/* A section's (or the rubric's) exact score: the sum of its children's
 * contributions plus its base, or its score expression; then floor and cap,
 * the check against its full score, and its vetoes. */
static bool score_section(Eval *e, const ScoreNode *s, mpq_ptr out)
{
    if (!score_kids(e, s))
        return false;
    e->label = s->kind == SN_RUBRIC ? N_("total") : N_("section");
    e->label_name = s->kind == SN_RUBRIC ? NULL : s->name;
    mpq_ptr sum = out;
    if (s->has_base)
        ex_from_dec(sum, s->base);
    else
        mpq_set_ui(sum, 0, 1);
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (k->kind == SN_GROUP) {
            mpq_ptr g = e->exact[k->index];
            mpq_set_ui(g, 0, 1);
            for (int j = 0; j < k->nkids; j++)
                mpq_add(g, g, e->contrib[k->kids[j]->index]);
            mpq_set(e->contrib[k->index], g);
        }
        if (!s->score)
            mpq_add(sum, sum, e->contrib[k->index]);
    }
    if (s->score) {
        if (!evq(e, s->score, sum, 0))
            return false;
        if (s->score->ty == TY_PERCENT) {
            mpq_set_ui(e->stack[0], 100, 1);
            mpq_mul(sum, sum, e->stack[0]);
        }
    }
    mpq_ptr t = e->stack[0];
    unsigned char *clamped = &e->clamped[s->index >= 0 ? s->index : e->nn];
    if (s->has_floor) {
        ex_from_dec(t, s->floor);
        if (mpq_cmp(sum, t) < 0)
            mpq_set(sum, t), *clamped = 1;
    }
    if (s->has_cap) {
        ex_from_dec(t, s->cap);
        if (mpq_cmp(sum, t) > 0)
            mpq_set(sum, t), *clamped = 2;
    }
    bool check_full = s->kind != SN_RUBRIC || e->p->declared_max;
    if (check_full && s->full_ok && mpq_cmp(sum, s->qfull) > 0)
        return above_full(e, s->score ? s->score : s->decl, ex_text(e->a, sum),
                          ex_text(e->a, s->qfull));
    for (int i = 0; i < s->nvetoes; i++) {
        bool c;
        if (!evq_bool(e, s->vetoes[i]->a, &c, 1))
            return false;
        if (c) {
            for (int k = 0; k < e->nveto_nodes; k++)
                if (e->veto_nodes[k] == s->vetoes[i])
                    e->veto_held[k] = true;
            mpq_set_ui(sum, 0, 1);
        }
    }
    return true;
}

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

static void fast_build(Eval *e)
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

/* s's N (in its own units) into *out: 1 done, 0 an employee error (e->err),
 * -1 fall back to the exact path. */
static int fast_section(Eval *e, const ScoreNode *s, dec_i128 *out)
{
    dec_i128 *N = e->fast_n;
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (k->kind == SN_ITEM) {
            if (!score_item_body(e, k))
                return 0;
            N[k->index] = e->item[k->index].v;
        } else if (k->kind == SN_GROUP) {
            for (int j = 0; j < k->nkids; j++) {
                if (!score_item_body(e, k->kids[j]))
                    return 0;
                N[k->kids[j]->index] = e->item[k->kids[j]->index].v;
            }
        } else {
            int r = fast_section(e, k, &N[k->index]);
            if (r <= 0)
                return r;
        }
    }
    const FastNode *f = &e->fast[s->index >= 0 ? s->index : e->nn];
    dec_i128 sum = f->base, c;
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (k->kind == SN_GROUP) {
            dec_i128 g = 0;
            for (int j = 0; j < k->nkids; j++) {
                const ScoreNode *it = k->kids[j];
                if (__builtin_mul_overflow(N[it->index], e->fast[it->index].k, &c) ||
                    __builtin_add_overflow(g, c, &g))
                    return -1;
            }
            N[k->index] = g; /* a group is in its section's units */
            c = g;
        } else if (__builtin_mul_overflow(N[k->index], e->fast[k->index].k, &c)) {
            return -1;
        }
        if (__builtin_add_overflow(sum, c, &sum) || sum >= FAST_LIMIT || sum <= -FAST_LIMIT)
            return -1;
    }
    if (s->has_floor && sum < f->lo)
        sum = f->lo;
    if (s->has_cap && sum > f->hi)
        sum = f->hi;
    if (f->has_full && sum > f->full)
        return -1; /* the exact path words the error */
    *out = sum;
    return 1;
}

/* N / D rounded half away from zero to `places` digits, as a Dec; false when
 * 128 bits do not suffice (the exact path then rounds). */
static bool fast_round(dec_i128 N, dec_i128 D, int places, Dec *out)
{
    static const uint64_t p10[19] = {1ULL,
                                     10ULL,
                                     100ULL,
                                     1000ULL,
                                     10000ULL,
                                     100000ULL,
                                     1000000ULL,
                                     10000000ULL,
                                     100000000ULL,
                                     1000000000ULL,
                                     10000000000ULL,
                                     100000000000ULL,
                                     1000000000000ULL,
                                     10000000000000ULL,
                                     100000000000000ULL,
                                     1000000000000000ULL,
                                     10000000000000000ULL,
                                     100000000000000000ULL,
                                     1000000000000000000ULL};
    unsigned __int128 m = N < 0 ? -(unsigned __int128)N : (unsigned __int128)N;
    unsigned __int128 d = (unsigned __int128)D, P = p10[places], q, r, t, res;
    if (D == 1000000000000000000LL) { /* already 18-place units */
        q = m / p10[DEC_SCALE - places];
        r = m % p10[DEC_SCALE - places];
        if (2 * r >= p10[DEC_SCALE - places])
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
    unsigned __int128 lim = (unsigned __int128)p10[18] * 100 * P; /* 10^20 in these units */
    if (res >= lim)
        return false;
    res *= p10[DEC_SCALE - places];
    out->v = N < 0 ? -(dec_i128)res : (dec_i128)res;
    return true;
}

/* Score the bound employee on the fast path: 1 done, 0 an employee error,
 * -1 fall back to the exact path. */
static int fast_score(Eval *e)
{
    const Program *p = e->p;
    memcpy(e->view, e->shared, (size_t)e->nf * sizeof *e->view);
    int r = fast_section(e, p->rubric, &e->fast_n[e->nn]);
    if (r <= 0)
        return r;
    for (int i = 0; i < e->nn; i++) {
        const ScoreNode *n = p->nodes[i];
        if (n->kind == SN_ITEM) {
            if (!dec_check(e, n->decl, dec_round(e->item[i], p->round, &e->reported[i])))
                return 0;
            continue;
        }
        const ScoreNode *sec = n->kind == SN_GROUP ? n->parent : n;
        dec_i128 D = e->fast[sec->index >= 0 ? sec->index : e->nn].D;
        if (!fast_round(e->fast_n[i], D, p->round, &e->reported[i]))
            return -1;
    }
    if (!fast_round(e->fast_n[e->nn], e->fast[e->nn].D, p->round, &e->total))
        return -1;
    return 1;
}

/* ---- binding an employee's facts ---- */

static void begin_employee(Eval *e, Arena *a, const FactRecord *rec)
{
    e->a = a;
    e->rec = rec;
    e->err = NULL;
    e->err_at = NULL;
    e->label = NULL;
    e->label_name = NULL;
    e->grade = NULL;
    e->reported_mode = false;
    memset(e->shared, 0, (size_t)e->nf * sizeof *e->shared);
    memset(e->own, 0, (size_t)e->nr * (size_t)e->nf * sizeof *e->own);
    memset(e->raw, 0, (size_t)e->nf * sizeof *e->raw);
    memset(e->given, 0, (size_t)(e->nr + 1) * (size_t)e->nf * sizeof *e->given);
    memset(e->veto_held, 0, (size_t)e->nveto_nodes * sizeof *e->veto_held);
    for (int i = 0; i < e->nn; i++)
        e->fired[i] = -2;
    for (int i = 0; i < e->nn; i++)
        mpq_set_ui(e->exact[i], 0, 1), mpq_set_ui(e->contrib[i], 0, 1);
    e->grade_fired = -1;
    mpq_set_ui(e->total_exact, 0, 1);
    memset(e->clamped, 0, ((size_t)e->nn + 1) * sizeof *e->clamped);
}

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

static bool set_fact(Eval *e, int slot, int rater, const char *val, size_t len, bool quoted,
                     int line, const char *where)
{
    const FactInfo *f = &e->p->facts[slot];
    int *given = &e->given[(size_t)(rater + 1) * (size_t)e->nf + (size_t)slot];
    if (*given) {
        e->label = NULL;
        e->label_name = NULL;
        return fail(e, NULL, "%sfact %s is given twice (first on line %d)", where, f->name, *given);
    }
    *given = line > 0 ? line : 1;
    Value *dst =
        rater >= 0 ? &e->own[(size_t)rater * (size_t)e->nf + (size_t)slot] : &e->shared[slot];
    const char *warning = NULL;
    const char *why = facts_value(&f->spec, val, len, quoted, e->a, dst, &warning);
    if (why) {
        e->label = NULL;
        e->label_name = NULL;
        return fail(e, NULL, "%sfact %s: %s", where, f->name, why);
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
    }
    return true;
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
        diag_plain(e->d, DIAG_WARNING, rec->path,
                   "%d more columns are not facts of this rubric and are ignored [unknown-fact]",
                   unknown - UNKNOWN_SHOWN);
}

/* Bind one cell of rec; false (e->err set) when its value is bad. */
static bool bind_cell(Eval *e, const FactRecord *rec, const FactCell *c)
{
    char buf[PARSE_MAX_NAME * 2 + 2];
    int slot, rater;
    const char *where;
    if (rec->is_csv) {
        if (c->col < 0 || (size_t)c->col >= e->ncols || e->colslot[c->col] < 0)
            return true;
        slot = e->colslot[c->col], rater = e->colrater[c->col];
        where = "";
        if (c->error) { /* a workbook cell with no value: a formula not saved, #DIV/0! */
            e->label = NULL;
            e->label_name = NULL;
            return fail(e, NULL, "fact %s: %s", e->p->facts[slot].name, c->error);
        }
    } else {
        slot = -1, rater = -1;
        size_t k = 0;
        if (c->key_len < sizeof buf) {
            k = utf8_fold(c->key, c->key_len, buf);
            slot = lookup_key(e, buf, k, &rater);
        }
        if (slot < 0 || rater == -2) {
            const char *near =
                slot < 0 && c->key_len < sizeof buf ? check_suggest_fact(e->p, buf, k) : NULL;
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
        where = arena_printf(e->a, _("line %d: "), c->line);
    }
    return set_fact(e, slot, rater, c->val, c->val_len, c->quoted && !rec->is_csv, c->line, where);
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

static bool bind_record(Eval *e, const FactRecord *rec)
{
    if (!rec->is_csv)
        return bind_fact_file(e, rec);
    if (rec->error)
        return fail(e, NULL, "%s", rec->error);
    if (!e->have_header || rec->header_gen != e->header_gen)
        map_header(e, rec);
    if (e->header_error)
        return fail(e, NULL, "%s", e->header_error);
    /* after a bad cell the rest are still bound, so the id and the shown
       facts are read; the first error is the row's */
    bool ok = true;
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
static bool finish_facts(Eval *e)
{
    for (int i = 0; i < e->nf; i++) {
        const FactInfo *f = &e->p->facts[i];
        if (e->shared[i].kind == VAL_NONE && f->has_default) {
            e->shared[i] = f->dflt;
            e->raw[i] = NULL;
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

/* ---- scoring the bound employee ---- */

static bool round_one(Eval *e, const Node *at, mpq_srcptr x, Dec *out)
{
    if (!ex_round(x, e->p->round, out))
        return fail(e, at, "a number reached 10^20 in size");
    return true;
}

/* Every node's and the total's reported value, each rounded once from its
 * exact value; items round their 18-place score directly. */
static bool round_all(Eval *e, Dec *reported, mpq_srcptr total_exact, Dec *total)
{
    for (int i = 0; i < e->nn; i++) {
        const ScoreNode *n = e->p->nodes[i];
        if (n->kind == SN_ITEM) {
            if (!dec_check(e, n->decl, dec_round(e->item[i], e->p->round, &reported[i])))
                return false;
        } else if (!round_one(e, n->decl, e->exact[i], &reported[i])) {
            return false;
        }
    }
    return round_one(e, e->p->root, total_exact, total);
}

void eval_use_fast_path(Eval *e, bool on)
{
    e->use_fast = on;
}

static bool score_bound(Eval *e, Result *res)
{
    const Program *p = e->p;
    size_t nv = (size_t)e->nveto_nodes;
    int fast = e->use_fast && e->fast ? fast_score(e) : -1;
    if (fast == 0)
        return false;
    if (fast == 1) {
        e->label = "total";
        e->label_name = NULL;
        goto reported;
    }
    if (e->nr == 0) {
        memcpy(e->view, e->shared, (size_t)e->nf * sizeof *e->view);
        if (!score_section(e, p->rubric, e->total_exact))
            return false;
    } else {
        bool *held = e->veto_held;
        for (int i = 0; i < e->nn; i++)
            mpq_set_ui(e->combined[i], 0, 1);
        mpq_set_ui(e->combined_total, 0, 1);
        for (int r = 0; r < e->nr; r++) {
            for (int i = 0; i < e->nf; i++) {
                Value own = e->own[(size_t)r * (size_t)e->nf + (size_t)i];
                e->view[i] = own.kind != VAL_NONE ? own : e->shared[i];
            }
            bool *mine = &e->rater_veto[(size_t)r * nv];
            e->veto_held = mine;
            memset(mine, 0, nv * sizeof *mine);
            bool ok = score_section(e, p->rubric, e->total_exact);
            e->veto_held = held;
            if (!ok)
                return false;
            /* the shared score is the weighted sum of the raters' exact
               scores, exact; it is rounded once below */
            if (!round_all(e, &e->rater_reported[(size_t)r * (size_t)e->nn], e->total_exact,
                           &e->rater_total[r]))
                return false;
            mpq_ptr w = e->stack[0], c = e->stack[1];
            ex_from_dec(w, p->raters[r]->weight->num); /* check made sure it is a percent */
            for (int i = 0; i < e->nn; i++) {
                mpq_mul(c, w, e->exact[i]);
                mpq_add(e->combined[i], e->combined[i], c);
            }
            mpq_mul(c, w, e->total_exact);
            mpq_add(e->combined_total, e->combined_total, c);
            /* a veto counts when it held for a rater whose weight is above 0% */
            int k = 0;
            for (size_t v = 0; v < nv; v++) {
                if (!mine[v])
                    continue;
                if (mpq_sgn(w) > 0)
                    held[v] = true;
                const Node *vn = e->veto_nodes[v];
                e->rater_veto_text[(size_t)r * nv + (size_t)k++] =
                    vn->str ? vn->str : source_one_line(e->a, p->src, vn->a->start, vn->a->end);
            }
            e->rater_nveto[r] = k;
        }
        for (int i = 0; i < e->nn; i++)
            mpq_swap(e->exact[i], e->combined[i]);
        mpq_swap(e->total_exact, e->combined_total);
        memcpy(e->view, e->shared, (size_t)e->nf * sizeof *e->view);
    }
    e->label = N_("total");
    e->label_name = NULL;
    if (e->nr == 0) {
        if (!round_all(e, e->reported, e->total_exact, &e->total))
            return false;
    } else {
        /* items too are weighted sums now: round them from the exact sum */
        for (int i = 0; i < e->nn; i++)
            if (!round_one(e, p->nodes[i]->decl, e->exact[i], &e->reported[i]))
                return false;
        if (!round_one(e, p->root, e->total_exact, &e->total))
            return false;
    }
reported:
    e->reported_mode = true;
    if (p->has_grade) {
        e->label = N_("grade");
        e->label_name = NULL;
        int i;
        Value v;
        if (!first_rule(e, p->grade, p->ngrade, &i))
            return false;
        if (i < 0)
            return fail(e, p->grade[0], "no rule matched (total = %s)",
                        value_dec_text(e->a, e->total));
        if (!ev(e, p->grade[i]->b, &v))
            return false;
        e->grade = arena_strndup(e->a, v.s, v.len);
        e->grade_fired = i;
    }
    for (int k = 0; k < e->no; k++) {
        const OutputInfo *o = &p->outputs[k];
        e->label = N_("output");
        e->label_name = o->name;
        Value v;
        if (o->score) {
            if (!ev(e, o->score, &v))
                return false;
        } else {
            int i;
            if (!first_rule(e, o->rules, o->nrules, &i))
                return false;
            if (i < 0)
                return fail(e, o->decl, "no rule matched");
            if (!ev(e, o->rules[i]->b, &v))
                return false;
        }
        if (o->ty == TY_PERCENT || o->ty == TY_NUMBER)
            v.kind = kind_of(o->ty);
        e->outputs[k] = v;
    }
    res->total = e->total;
    res->grade = e->grade;
    res->scores = e->reported;
    res->outputs = e->outputs;
    res->nvetoes = 0;
    res->vetoes = arena_alloc(e->a, ((size_t)e->nveto_nodes + 1) * sizeof *res->vetoes);
    for (int k = 0; k < e->nveto_nodes; k++) {
        if (!e->veto_held[k])
            continue;
        const Node *v = e->veto_nodes[k];
        res->vetoes[res->nvetoes++] =
            v->str ? v->str : source_one_line(e->a, p->src, v->a->start, v->a->end);
    }
    res->rater_totals = e->rater_total;
    res->rater_scores = e->rater_reported;
    if (e->nr) {
        res->rater_vetoes = e->rater_veto_text;
        res->rater_nvetoes = e->rater_nveto;
        res->rater_veto_stride = e->nveto_nodes;
    }
    return true;
}

static bool finish(Eval *e, Result *res, bool ok)
{
    res->exact = (const mpq_t *)e->exact;
    res->total_exact = e->total_exact;
    res->contrib = (const mpq_t *)e->contrib;
    res->clamped = e->nr ? NULL : e->clamped;
    res->fired = e->fired;
    res->grade_fired = e->grade_fired;
    res->facts = e->view;
    res->error_node = e->err_at;
    if (!ok) {
        res->error = e->err ? e->err : _("cannot be scored");
        res->error_where = e->err_at ? arena_printf(e->a, "%s:%d", e->p->src->path,
                                                    source_line(e->p->src, e->err_at->start))
                                     : NULL;
    }
    return ok;
}

/* The shown facts' shared values, defaults filled in; VAL_NONE where one was
 * not read (the employee may have failed before it). */
static const Value *shown_of(Eval *e)
{
    const Program *p = e->p;
    Value *v = arena_alloc(e->a, ((size_t)p->nshow + 1) * sizeof *v);
    for (int i = 0; i < p->nshow; i++) {
        const FactInfo *f = &p->facts[p->show[i]];
        v[i] = e->shared[p->show[i]];
        if (v[i].kind == VAL_NONE && f->has_default)
            v[i] = f->dflt;
    }
    return v;
}

static const char *id_of(Eval *e, const FactRecord *rec)
{
    int slot = e->p->id_fact;
    if (slot >= 0 && e->raw[slot])
        return arena_strndup(e->a, e->raw[slot], e->raw_len[slot]);
    if (slot >= 0 && e->shared[slot].kind == VAL_TEXT)
        return arena_strndup(e->a, e->shared[slot].s, e->shared[slot].len);
    if (slot >= 0 && e->shared[slot].kind != VAL_NONE)
        return value_text(e->a, &e->shared[slot]);
    return rec ? rec->default_id : "";
}

bool eval_record(Eval *e, const FactRecord *rec, Arena *a, Result *res)
{
    memset(res, 0, sizeof *res);
    begin_employee(e, a, rec);
    bool ok = bind_record(e, rec);
    res->id = id_of(e, rec);
    res->shown = shown_of(e);
    ok = ok && finish_facts(e) && score_bound(e, res);
    return finish(e, res, ok);
}

bool eval_test(Eval *e, const Node *test, Arena *a, Result *res)
{
    memset(res, 0, sizeof *res);
    begin_employee(e, a, NULL);
    bool ok = true;
    for (uint32_t i = 0; ok && i < test->nkids; i++) {
        const Node *s = test->kids[i];
        if (s->kind != AST_ASSIGN)
            continue;
        int slot = check_find_fact(e->p, s->name, strlen(s->name));
        int rater = -1;
        if (s->rater)
            for (int r = 0; r < e->nr; r++)
                if (strcmp(e->p->raters[r]->name, s->rater->name) == 0)
                    rater = r;
        if (slot < 0)
            continue;
        Value *dst =
            rater >= 0 ? &e->own[(size_t)rater * (size_t)e->nf + (size_t)slot] : &e->shared[slot];
        const char *why = check_literal_value(a, e->p->src, &e->p->facts[slot].spec, s->a, dst);
        if (why)
            ok = fail(e, s, "%s: %s", s->name, why);
        else if (rater < 0) {
            e->raw[slot] = dst->kind == VAL_TEXT ? dst->s : e->p->src->text + s->a->start;
            e->raw_len[slot] = dst->kind == VAL_TEXT ? dst->len : s->a->end - s->a->start;
        }
    }
    res->id = test->name;
    res->shown = shown_of(e);
    ok = ok && finish_facts(e) && score_bound(e, res);
    return finish(e, res, ok);
}

int eval_expect(Eval *e, const Node *expr, Arena *a, const char **why)
{
    e->a = a;
    e->err = NULL;
    e->label = NULL;
    e->label_name = NULL;
    e->reported_mode = true;
    Value v;
    if (!ev(e, expr, &v)) {
        *why = e->err;
        return -1;
    }
    return v.b ? 1 : 0;
}

const char *eval_test_side(Eval *e, const Node *x, Arena *a)
{
    e->a = a;
    e->err = NULL;
    e->label = NULL;
    e->label_name = NULL;
    e->reported_mode = true;
    Value v;
    if (!ev(e, x, &v))
        return e->err;
    return value_text(a, &v);
}
