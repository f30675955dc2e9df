/* eval_expr.c - evaluating expressions for one employee (see eval_impl.h).
 *
 * Item bodies compute on 18-place decimals (decimal.h), with fast paths for
 * the shapes rules are made of; section `score` expressions and vetoes read
 * their children's exact values and compute on fractions (exact.h). */
#include "eval_impl.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"

/* ---- expressions ---- */

bool eval_dec_check(Eval *e, const Node *at, DecStatus st)
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

static bool ev_call(Eval *e, const Node *n, Value *out)
{
    Value x, y;
    out->kind = kind_of(check_info(e->p, n)->ty);
    switch (check_info(e->p, n)->fn) {
    case FN_MIN:
    case FN_MAX:
        if (!ev(e, n->kids[0], out))
            return false;
        out->kind = kind_of(check_info(e->p, n)->ty);
        for (uint32_t i = 1; i < n->nkids; i++) {
            if (!ev(e, n->kids[i], &x))
                return false;
            int c = dec_cmp(x.d, out->d);
            if (check_info(e->p, n)->fn == FN_MIN ? c < 0 : c > 0)
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
        if (check_info(e->p, n)->fn == FN_AVG)
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
        if (check_info(e->p, n)->ty == TY_PERCENT || check_info(e->p, n)->ty == TY_NUMBER)
            out->kind = kind_of(check_info(e->p, n)->ty);
        return true;
    default:
        return fail(e, n, "unknown function");
    }
}

bool eval_value(Eval *e, const Node *n, Value *out)
{
    Value x, y;
    switch (n->kind) {
    case AST_NUM:
        out->kind = kind_of(check_info(e->p, n)->ty);
        out->d = check_num(e->p, n);
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
        switch (check_info(e->p, n)->ref) {
        case REF_FACT:
            *out = e->view[check_info(e->p, n)->slot];
            if (out->kind == VAL_NONE)
                return fail(e, n, "fact %s has no value", n->name);
            return true;
        case REF_NODE:
            out->kind = VAL_NUMBER;
            if (e->reported_mode)
                out->d = e->reported[check_info(e->p, n)->slot];
            else if (!ex_round_even(e->exact[check_info(e->p, n)->slot], &out->d))
                return fail(e, n, "a number reached 10^20 in size");
            return true;
        case REF_OUTPUT:
            *out = e->outputs[check_info(e->p, n)->slot];
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
        out->kind = kind_of(check_info(e->p, n)->ty);
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
bool eval_number(Eval *e, const Node *n, Dec *out)
{
    switch (n->kind) {
    case AST_NUM:
        *out = check_num(e->p, n);
        return true;
    case AST_NAME:
        if (check_info(e->p, n)->ref == REF_FACT) {
            const Value *v = &e->view[check_info(e->p, n)->slot];
            if (v->kind == VAL_NUMBER || v->kind == VAL_PERCENT) {
                *out = v->d;
                return true;
            }
        } else if (check_info(e->p, n)->ref == REF_NODE && e->reported_mode) {
            *out = e->reported[check_info(e->p, n)->slot];
            return true;
        }
        break;
    case AST_PAREN:
        return ev_num(e, n->a, out);
    case AST_BIN: {
        Dec x, y;
        if (!ev_num(e, n->a, &x) || !ev_num(e, n->b, &y))
            return false;
        if (n->op == OP_MUL && (check_info(e->p, n->a)->whole || check_info(e->p, n->b)->whole)) {
            /* a product with a whole-number literal is exact: no rounding step */
            int64_t k = check_info(e->p, n->a)->whole ? check_info(e->p, n->a)->wk
                                                      : check_info(e->p, n->b)->wk;
            Dec other = check_info(e->p, n->a)->whole ? y : x;
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

bool eval_truth(Eval *e, const Node *n, bool *out)
{
    switch (n->kind) {
    case AST_CHAIN: {
        if (!numeric_type(check_info(e->p, n->kids[0])->ty))
            break;
        const Node *l = n->kids[0], *r = n->kids[1];
        if (n->nkids == 2 && l->kind == AST_NAME && check_info(e->p, l)->ref == REF_FACT &&
            r->kind == AST_NUM) {
            /* the threshold rule `完成率 >= 90`: one fact against one constant */
            const Value *v = &e->view[check_info(e->p, l)->slot];
            if (v->kind == VAL_NUMBER || v->kind == VAL_PERCENT) {
                *out = holds(n->ops[0], dec_cmp(v->d, check_num(e->p, r)));
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

static bool stack_room(Eval *e, const Node *n, int sp)
{
    if (sp + 2 < QSTACK)
        return true;
    return fail(e, n, "this expression nests deeper than %d levels", QSTACK);
}

static bool evq_call(Eval *e, const Node *n, mpq_ptr out, int sp)
{
    mpq_ptr x = e->stack[sp], y = e->stack[sp + 1];
    switch (check_info(e->p, n)->fn) {
    case FN_MIN:
    case FN_MAX:
        if (!evq(e, n->kids[0], out, sp))
            return false;
        for (uint32_t i = 1; i < n->nkids; i++) {
            if (!evq(e, n->kids[i], x, sp + 1))
                return false;
            int c = mpq_cmp(x, out);
            if (check_info(e->p, n)->fn == FN_MIN ? c < 0 : c > 0)
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
        if (check_info(e->p, n)->fn == FN_AVG) {
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
        ex_round_q(out, out, places + (check_info(e->p, n->kids[0])->ty == TY_PERCENT ? 2 : 0));
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
bool eval_exact(Eval *e, const Node *n, mpq_ptr out, int sp)
{
    if (!stack_room(e, n, sp))
        return false;
    switch (n->kind) {
    case AST_NUM:
        ex_from_dec(out, check_num(e->p, n));
        return true;
    case AST_NAME:
        if (check_info(e->p, n)->ref == REF_NODE) {
            mpq_set(out, e->exact[check_info(e->p, n)->slot]);
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

bool eval_exact_truth(Eval *e, const Node *n, bool *out, int sp)
{
    if (!stack_room(e, n, sp))
        return false;
    switch (n->kind) {
    case AST_CHAIN: {
        if (!numeric_type(check_info(e->p, n->kids[0])->ty))
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
        if (check_info(e->p, n)->fn == FN_IF) {
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
