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

#include "parse.h"
#include "utf8.h"

/* Memo tables: a batch scores the same few values over and over (an item
 * worth 20, 16 or 12 points), so the exact results of the costly steps are
 * kept by value. A hit returns what the computation would; nothing else
 * changes. */
#define MEMO_WAYS 16   /* contribution memo entries per node */
#define ROUND_MEMO 256 /* rounding memo entries, shared */
typedef struct {
    Dec key, val;
    bool used;
} Memo;

static inline unsigned memo_hash(Dec k)
{
    uint64_t x = (uint64_t)k.v ^ (uint64_t)((unsigned __int128)k.v >> 64);
    x ^= x >> 31;
    x *= 0x9E3779B97F4A7C15ull;
    return (unsigned)(x >> 40);
}

struct Eval {
    const Program *p;
    Memo *contrib_memo; /* nn x MEMO_WAYS: score -> contribution to its section */
    Memo *round_memo;   /* ROUND_MEMO: exact -> reported */
    Diags *d;
    int nf, nn, no, nr;
    Value *shared;    /* nf: the employee's shared values, defaults filled in */
    Value *own;       /* nr x nf: values given per rater (FACT@RATER) */
    Value *view;      /* nf: what fact names read now */
    const char **raw; /* nf: shared value as written, for the id */
    size_t *raw_len;
    int *given;    /* (nr + 1) x nf: line where given, 0 if not */
    Dec *exact;    /* nn: exact scores of the current view */
    Dec *reported; /* nn: reported scores */
    Dec *contrib;  /* nn: exact contribution to the enclosing section */
    int *fired;    /* nn: index of the rule that fired, -1 for a score expression, -2 not scored */
    int grade_fired;     /* index of the grade rule that fired, -1 none */
    Dec *combined;       /* nn: the raters' weighted sum, being built */
    Dec *rater_reported; /* nr x nn */
    Dec *rater_total;    /* nr */
    Dec total;           /* reported total */
    Dec total_exact;     /* the rubric's score before rounding */
    const char *grade;
    Value *outputs;  /* no */
    bool *veto_held; /* one per veto, in file order */
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
static bool fail(Eval *e, const Node *at, const char *fmt, ...)
{
    if (e->err)
        return false;
    va_list ap;
    va_start(ap, fmt);
    char buf[2048];
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (e->label && e->label_name)
        e->err = arena_printf(e->a, "%s %s: %s", e->label, e->label_name, buf);
    else if (e->label)
        e->err = arena_printf(e->a, "%s: %s", e->label, buf);
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
    e->exact = xmalloc(nn * sizeof *e->exact);
    e->reported = xmalloc(nn * sizeof *e->reported);
    e->contrib = xmalloc(nn * sizeof *e->contrib);
    e->contrib_memo = xmalloc(nn * MEMO_WAYS * sizeof *e->contrib_memo);
    memset(e->contrib_memo, 0, nn * MEMO_WAYS * sizeof *e->contrib_memo);
    e->round_memo = xmalloc(ROUND_MEMO * sizeof *e->round_memo);
    memset(e->round_memo, 0, ROUND_MEMO * sizeof *e->round_memo);
    e->fired = xmalloc(nn * sizeof *e->fired);
    e->combined = xmalloc(nn * sizeof *e->combined);
    e->rater_reported = xmalloc(nr * nn * sizeof *e->rater_reported);
    e->rater_total = xmalloc(nr * sizeof *e->rater_total);
    e->outputs = xmalloc(((size_t)e->no + 1) * sizeof *e->outputs);
    int nv = p->rubric ? count_vetoes(p->rubric) : 0;
    e->veto_nodes = xmalloc(((size_t)nv + 1) * sizeof *e->veto_nodes);
    e->veto_held = xmalloc(((size_t)nv + 1) * sizeof *e->veto_held);
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
    free(e->exact), free(e->reported), free(e->contrib), free(e->fired), free(e->contrib_memo),
        free(e->round_memo), free(e->combined), free(e->rater_reported);
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
            out->d = e->reported_mode ? e->reported[n->slot] : e->exact[n->slot];
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
        } else if (n->ref == REF_NODE) {
            *out = e->reported_mode ? e->reported[n->slot] : e->exact[n->slot];
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

static bool score_item(Eval *e, const ScoreNode *it, Dec *out)
{
    e->label = "item";
    e->label_name = it->name;
    Value v;
    const Node *at = it->score;
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
            return fail(e, it->decl, "no rule matched%s%s%s", *reads ? " (" : "", reads,
                        *reads ? ")" : "");
        }
        at = it->rules[i];
        v.kind = at->b->ty == TY_PERCENT ? VAL_PERCENT : VAL_NUMBER;
        if (!ev_num(e, at->b, &v.d))
            return false;
        e->fired[it->index] = i;
    }
    if (!points_of(e, at, &v, out))
        return false;
    if (it->full_ok && dec_cmp(*out, it->full) > 0) {
        char a[DEC_BUFSZ], b[DEC_BUFSZ];
        dec_format(*out, a);
        dec_format(it->full, b);
        return fail(e, at, "score %s is above its full score %s", a, b);
    }
    return true;
}

static bool contribution(Eval *e, const ScoreNode *sec, const ScoreNode *m, Dec *out)
{
    Dec s = e->exact[m->index];
    if (sec->mode == MODE_POINTS) {
        *out = s;
        return true;
    }
    Memo *memo = &e->contrib_memo[(size_t)m->index * MEMO_WAYS + (memo_hash(s) & (MEMO_WAYS - 1))];
    if (memo->used && memo->key.v == s.v) {
        *out = memo->val;
        return true;
    }
    Dec t;
    if (!(dec_check(e, m->decl, dec_mul(s, m->weight, &t)) &&
          dec_check(e, m->decl, dec_mul(t, sec->full, &t)) &&
          dec_check(e, m->decl, dec_div(t, m->full, out))))
        return false;
    *memo = (Memo){s, *out, true};
    return true;
}

static bool score_section(Eval *e, const ScoreNode *s, Dec *out);

static bool score_kids(Eval *e, const ScoreNode *s)
{
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (k->kind == SN_ITEM) {
            if (!score_item(e, k, &e->exact[k->index]))
                return false;
        } else if (k->kind == SN_GROUP) {
            for (int j = 0; j < k->nkids; j++)
                if (!score_item(e, k->kids[j], &e->exact[k->kids[j]->index]))
                    return false;
        } else if (!score_section(e, k, &e->exact[k->index])) {
            return false;
        }
    }
    return true;
}

static bool score_section(Eval *e, const ScoreNode *s, Dec *out)
{
    if (!score_kids(e, s))
        return false;
    e->label = s->kind == SN_RUBRIC ? "total" : "section";
    e->label_name = s->kind == SN_RUBRIC ? NULL : s->name;
    Dec sum = dec_zero();
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        Dec c;
        if (k->kind == SN_GROUP) {
            Dec g = dec_zero();
            for (int j = 0; j < k->nkids; j++) {
                if (!contribution(e, s, k->kids[j], &c) ||
                    !dec_check(e, k->decl, dec_add(g, c, &g)))
                    return false;
                e->contrib[k->kids[j]->index] = c;
            }
            e->exact[k->index] = g;
            c = g;
        } else if (!contribution(e, s, k, &c)) {
            return false;
        }
        e->contrib[k->index] = c;
        if (!dec_check(e, s->decl, dec_add(sum, c, &sum)))
            return false;
    }
    if (s->score) {
        Value v;
        if (!ev(e, s->score, &v) || !points_of(e, s->score, &v, &sum))
            return false;
    }
    for (int i = 0; i < s->nvetoes; i++) {
        Value c;
        if (!ev(e, s->vetoes[i]->a, &c))
            return false;
        if (c.b) {
            for (int k = 0; k < e->nveto_nodes; k++)
                if (e->veto_nodes[k] == s->vetoes[i])
                    e->veto_held[k] = true;
            sum = dec_zero();
        }
    }
    bool check_full = s->kind != SN_RUBRIC || e->p->declared_max;
    if (check_full && s->full_ok && dec_cmp(sum, s->full) > 0) {
        char a[DEC_BUFSZ], b[DEC_BUFSZ];
        dec_format(sum, a);
        dec_format(s->full, b);
        return fail(e, s->score ? s->score : s->decl, "score %s is above its full score %s", a, b);
    }
    *out = sum;
    return true;
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
    memset(e->exact, 0, (size_t)e->nn * sizeof *e->exact);
    memset(e->contrib, 0, (size_t)e->nn * sizeof *e->contrib);
    e->grade_fired = -1;
    e->total_exact = dec_zero();
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
                           (int)h->key_len, h->key, rater == -2 ? "fact@rater" : "fact");
            continue;
        }
        for (size_t j = 0; j < ncols; j++)
            if (e->colslot[j] == slot && e->colrater[j] == rater && !e->header_error) {
                const char *f = e->p->facts[slot].name;
                size_t n = strlen(f) + 128;
                e->header_error = xmalloc(n);
                snprintf(e->header_error, n, "the header gives fact %s twice (columns %zu and %d)",
                         f, j + 1, h->col + 1);
            }
        e->colslot[h->col] = slot;
        e->colrater[h->col] = rater;
    }
    if (unknown > UNKNOWN_SHOWN)
        diag_plain(e->d, DIAG_WARNING, rec->path,
                   "%d more columns are not facts of this rubric and are ignored [unknown-fact]",
                   unknown - UNKNOWN_SHOWN);
}

static bool bind_record(Eval *e, const FactRecord *rec)
{
    if (rec->error)
        return fail(e, NULL, "%s", rec->error);
    if (rec->is_csv && (!e->have_header || rec->header_gen != e->header_gen))
        map_header(e, rec);
    if (rec->is_csv && e->header_error)
        return fail(e, NULL, "%s", e->header_error);
    char buf[PARSE_MAX_NAME * 2 + 2];
    for (size_t i = 0; i < rec->ncells; i++) {
        const FactCell *c = &rec->cells[i];
        int slot, rater;
        const char *where;
        if (rec->is_csv) {
            if (c->col < 0 || (size_t)c->col >= e->ncols || e->colslot[c->col] < 0)
                continue;
            slot = e->colslot[c->col], rater = e->colrater[c->col];
            where = "";
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
                               (int)c->key_len, c->key, rater == -2 ? "fact@rater" : "fact");
                continue;
            }
            where = arena_printf(e->a, "line %d: ", c->line);
        }
        if (c->error) { /* a workbook cell with no value: a formula not saved, #DIV/0! */
            e->label = NULL;
            e->label_name = NULL;
            return fail(e, NULL, "fact %s: %s", e->p->facts[slot].name, c->error);
        }
        if (!set_fact(e, slot, rater, c->val, c->val_len, c->quoted && !rec->is_csv, c->line,
                      where))
            return false;
    }
    return true;
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
            if (e->shared[i].kind == VAL_NONE)
                return fail(e, NULL, "fact %s is missing", e->p->facts[i].name);
        return true;
    }
    for (int r = 0; r < e->nr; r++)
        for (int i = 0; i < e->nf; i++)
            if (e->shared[i].kind == VAL_NONE &&
                e->own[(size_t)r * (size_t)e->nf + (size_t)i].kind == VAL_NONE)
                return fail(e, NULL, "fact %s has no value for rater %s", e->p->facts[i].name,
                            e->p->raters[r]->name);
    return true;
}

/* ---- scoring the bound employee ---- */

static bool round_one(Eval *e, const Node *at, Dec x, Dec *out)
{
    Memo *memo = &e->round_memo[memo_hash(x) & (ROUND_MEMO - 1)];
    if (memo->used && memo->key.v == x.v) {
        *out = memo->val;
        return true;
    }
    if (!dec_check(e, at, dec_round(x, e->p->round, out)))
        return false;
    *memo = (Memo){x, *out, true};
    return true;
}

static bool round_all(Eval *e, const Dec *exact, Dec *reported, Dec total_exact, Dec *total)
{
    for (int i = 0; i < e->nn; i++)
        if (!round_one(e, e->p->nodes[i]->decl, exact[i], &reported[i]))
            return false;
    return round_one(e, e->p->root, total_exact, total);
}

static bool score_bound(Eval *e, Result *res)
{
    const Program *p = e->p;
    Dec total_exact;
    if (e->nr == 0) {
        memcpy(e->view, e->shared, (size_t)e->nf * sizeof *e->view);
        if (!score_section(e, p->rubric, &total_exact))
            return false;
    } else {
        Dec *combined = e->combined;
        memset(combined, 0, (size_t)e->nn * sizeof *combined);
        total_exact = dec_zero();
        for (int r = 0; r < e->nr; r++) {
            for (int i = 0; i < e->nf; i++) {
                Value own = e->own[(size_t)r * (size_t)e->nf + (size_t)i];
                e->view[i] = own.kind != VAL_NONE ? own : e->shared[i];
            }
            Dec t, w, c;
            if (!score_section(e, p->rubric, &t))
                return false;
            w = p->raters[r]->weight->num; /* check made sure it is a percent */
            /* the shared score is the weighted sum of the raters' exact
               scores (each product to 18 places); it is rounded once below */
            if (!round_all(e, e->exact, &e->rater_reported[(size_t)r * (size_t)e->nn], t,
                           &e->rater_total[r]))
                return false;
            for (int i = 0; i < e->nn; i++)
                if (!dec_check(e, p->root, dec_mul(w, e->exact[i], &c)) ||
                    !dec_check(e, p->root, dec_add(combined[i], c, &combined[i])))
                    return false;
            if (!dec_check(e, p->root, dec_mul(w, t, &c)) ||
                !dec_check(e, p->root, dec_add(total_exact, c, &total_exact)))
                return false;
        }
        memcpy(e->exact, combined, (size_t)e->nn * sizeof *e->exact);
        memcpy(e->view, e->shared, (size_t)e->nf * sizeof *e->view);
    }
    e->total_exact = total_exact;
    e->label = "total";
    e->label_name = NULL;
    if (!round_all(e, e->exact, e->reported, total_exact, &e->total))
        return false;
    e->reported_mode = true;
    if (p->has_grade) {
        e->label = "grade";
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
        e->label = "output";
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
    return true;
}

static bool finish(Eval *e, Result *res, bool ok)
{
    res->exact = e->exact;
    res->total_exact = e->total_exact;
    res->contrib = e->contrib;
    res->fired = e->fired;
    res->grade_fired = e->grade_fired;
    res->facts = e->view;
    res->error_node = e->err_at;
    if (!ok) {
        res->error = e->err ? e->err : "cannot be scored";
        res->error_where = e->err_at ? arena_printf(e->a, "%s:%d", e->p->src->path,
                                                    source_line(e->p->src, e->err_at->start))
                                     : NULL;
    }
    return ok;
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
