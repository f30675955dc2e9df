/* vm.c - running a compiled item (see code.h).
 *
 * One loop over flat instructions on 128-bit registers: no Values, no
 * recursion, no allocation. Anything the machine does not take at run time
 * (a fact without a number, an overflow, a division by zero) is VM_FALLBACK:
 * the general evaluator then scores the item and words the error, so the two
 * never disagree on a number. */
#include "code.h"

#define UNIT ((dec_i128)1000000000000000000LL)
#define LIMIT (UNIT * 100 * 1000000000000000000LL) /* 10^20 in Dec units */

static bool holds(int op, int c)
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

static int cmp(dec_i128 x, dec_i128 y)
{
    return (x > y) - (x < y);
}

/* Run the bytecode at pc; the value in *out; false: fall back. */
static bool run(const Code *c, int pc, const Value *view, dec_i128 *out)
{
    dec_i128 R[VM_REGS];
    for (const Instr *in = &c->ins[pc];; in++) {
        dec_i128 *r = &R[in->a];
        Dec t;
        switch ((OpCode)in->op) {
        case I_K:
            *r = in->k;
            break;
        case I_FACT: {
            const Value *v = &view[in->b];
            if (v->kind != VAL_NUMBER && v->kind != VAL_PERCENT)
                return false;
            *r = v->d.v;
            break;
        }
        case I_BOOL: {
            const Value *v = &view[in->b];
            if (v->kind != VAL_BOOL)
                return false;
            *r = v->b;
            break;
        }
        case I_NEG:
            *r = -*r;
            break;
        case I_NOT:
            *r = !*r;
            break;
        case I_ADD: /* dec_add, inline */
            if (__builtin_add_overflow(r[0], r[1], r) || *r >= LIMIT || *r <= -LIMIT)
                return false;
            break;
        case I_SUB: /* dec_sub, inline */
            if (__builtin_sub_overflow(r[0], r[1], r) || *r >= LIMIT || *r <= -LIMIT)
                return false;
            break;
        case I_MULW:
            if ((int64_t)*r == *r && (int64_t)in->k == in->k) /* 64 x 64 bits: exact */
                *r = (dec_i128)(int64_t)*r * (int64_t)in->k;
            else if (__builtin_mul_overflow(*r, in->k, r))
                return false;
            if (*r >= LIMIT || *r <= -LIMIT)
                return false;
            break;
        case I_MUL:
            if (dec_mul((Dec){r[0]}, (Dec){r[1]}, &t) != DEC_OK)
                return false;
            *r = t.v;
            break;
        case I_DIV:
            if (dec_div((Dec){r[0]}, (Dec){r[1]}, &t) != DEC_OK)
                return false;
            *r = t.v;
            break;
        case I_CMP:
            *r = holds(in->b, cmp(r[0], r[1]));
            break;
        case I_AND:
            *r = r[0] && r[1];
            break;
        case I_OR:
            *r = r[0] || r[1];
            break;
        case I_COUNT: {
            dec_i128 n = 0;
            for (int i = 0; i < in->b; i++)
                n += r[i] != 0;
            *r = n * UNIT;
            break;
        }
        case I_MIN:
        case I_MAX: {
            dec_i128 m = r[0];
            for (int i = 1; i < in->b; i++)
                if (in->op == I_MIN ? r[i] < m : r[i] > m)
                    m = r[i];
            *r = m;
            break;
        }
        case I_ABS:
            *r = *r < 0 ? -*r : *r;
            break;
        case I_RET:
            *out = R[0];
            return true;
        }
    }
}

VmStatus vm_item(const Code *c, int idx, const Value *view, Dec *out, int *fired,
                 const dec_i128 **shown, bool *plain)
{
    const CodeItem *ci = &c->items[idx];
    if (!ci->compiled)
        return VM_FALLBACK;
    const CodeRule *rule = &c->rules[ci->first], *end = rule + ci->n;
    for (; rule < end; rule++) {
        if (rule->kind == CR_CMP) {
            const Value *v = &view[rule->slot];
            if (v->kind != VAL_NUMBER && v->kind != VAL_PERCENT)
                return VM_FALLBACK;
            if (((unsigned __int128)v->d.v - (unsigned __int128)rule->lo <= rule->span) ==
                rule->invert)
                continue;
        } else if (rule->kind == CR_CODE) {
            dec_i128 b;
            if (!run(c, rule->cond, view, &b))
                return VM_FALLBACK;
            if (!b)
                continue;
        }
        *shown = NULL;
        *plain = false;
        if (rule->result < 0) {
            out->v = rule->points;
            if (rule->has_shown)
                *shown = &rule->shown, *plain = rule->plain;
        } else {
            dec_i128 v;
            if (!run(c, rule->result, view, &v))
                return VM_FALLBACK;
            out->v = v;
            if (rule->pct && dec_shift_up(*out, 2, out) != DEC_OK)
                return VM_FALLBACK;
        }
        *fired = ci->is_score ? -1 : (int)(rule - &c->rules[ci->first]);
        return VM_OK;
    }
    return VM_NOMATCH;
}

int vm_grade(const Code *c, Dec total)
{
    const CodeRule *rule = &c->rules[c->grade_first];
    for (int i = 0; i < c->ngrade; i++, rule++)
        if (rule->kind == CR_ELSE || ((unsigned __int128)total.v - (unsigned __int128)rule->lo <=
                                      rule->span) != rule->invert)
            return i;
    return -1;
}
