/* code.h - a compiled rubric (Code): what the batch evaluator runs per employee.
 *
 * code_compile turns a checked Program's items into flat tables and register
 * bytecode, once, before the first employee; vm_item (vm.c) runs them reading
 * nothing but the Code and the employee's fact values. What the compiler does
 * not cover stays uncompiled and the general evaluator (eval.c) scores it, so
 * the output is always the same bytes: the compiled path only computes faster.
 * A run-time case the machine does not take (a value out of range, a missing
 * or mistyped fact, an arithmetic error) makes vm_item answer VM_FALLBACK and
 * the general evaluator scores that item again and words any error.
 *
 * An item is compiled as its rule list (FIRST hit) or its `score` expression:
 *
 *   rule kinds (CodeRule.kind)
 *     CR_ELSE    always holds
 *     CR_CMP     view[slot] OP k        a fact against a constant, one compare
 *     CR_CODE    the bytecode at cond leaves a boolean in R[0]
 *   results (CodeRule.result)
 *     -1         the constant `points` (already in points: a percent result x 100)
 *     >= 0       the bytecode at that offset leaves the value in R[0]; `pct`
 *                says it is a percent (then points = value x 100)
 *
 * Registers hold 18-place decimals (Dec units, a percent as its fraction,
 * a boolean as 0 or 1). Every instruction is {op, a, b, c, k}; an expression
 * is compiled depth-first, its value in R[a] where a is its depth, so a
 * program never needs more than PARSE_MAX_DEPTH + 2 registers:
 *
 *   I_K      R[a] = k
 *   I_FACT   R[a] = the number in fact slot b       (fallback: not a number)
 *   I_BOOL   R[a] = the boolean in fact slot b      (fallback: not a boolean)
 *   I_NEG    R[a] = -R[a]
 *   I_NOT    R[a] = !R[a]
 *   I_ADD    R[a] = R[a] + R[a+1]                   (fallback: reaches 10^20)
 *   I_SUB    R[a] = R[a] - R[a+1]                   (fallback: reaches 10^20)
 *   I_MULW   R[a] = R[a] x k/10^18, k a whole number: exact (fallback: 10^20)
 *   I_MUL    R[a] = R[a] x R[a+1], rounded half to even like dec_mul
 *   I_DIV    R[a] = R[a] / R[a+1], rounded like dec_div (fallback: / 0)
 *   I_CMP    R[a] = R[a] (AstOp b) R[a+1]
 *   I_AND    R[a] = R[a] && R[a+1]
 *   I_OR     R[a] = R[a] || R[a+1]
 *   I_COUNT  R[a] = how many of R[a..a+b) are true, as a number
 *   I_MIN    R[a] = the least of R[a..a+b)
 *   I_MAX    R[a] = the greatest of R[a..a+b)
 *   I_ABS    R[a] = |R[a]|
 *   I_RET    the expression's value is R[0]
 *
 * Columns: `parser[slot]` is the typed parser a CSV column of that fact is
 * read with (the column plan is chosen at each header from it). */
#ifndef RUBRIC_CODE_H
#define RUBRIC_CODE_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "check.h"
#include "decimal.h"
#include "value.h"

typedef enum {
    I_K,
    I_FACT,
    I_BOOL,
    I_NEG,
    I_NOT,
    I_ADD,
    I_SUB,
    I_MULW,
    I_MUL,
    I_DIV,
    I_CMP,
    I_AND,
    I_OR,
    I_COUNT,
    I_MIN,
    I_MAX,
    I_ABS,
    I_RET
} OpCode;

typedef struct {
    uint8_t op; /* OpCode */
    uint8_t a;  /* destination register */
    int32_t b;  /* fact slot, operator (AstOp) or operand count */
    dec_i128 k; /* constant (Dec units) */
} Instr;

typedef enum { CR_ELSE, CR_CMP, CR_CODE } RuleKind;

typedef struct {
    uint8_t kind;   /* RuleKind */
    uint8_t cmp;    /* CR_CMP: AstOp */
    uint8_t mask;   /* CR_CMP: bit 0 holds when below k, bit 1 when equal, bit 2 when above */
    bool pct;       /* result: a percent (points = value x 100) */
    int32_t slot;   /* CR_CMP: fact slot */
    int32_t cond;   /* CR_CODE: offset of the condition's bytecode */
    int32_t result; /* offset of the result's bytecode, or -1 for `points` */
    dec_i128 k;     /* CR_CMP: the constant */
    dec_i128 lo;    /* CR_CMP: the test as an interval: holds when (unsigned)(x - lo) <= span, */
    unsigned __int128 span; /* or, when `invert` (!=), when that does not hold: one subtraction
                               and one compare instead of a three-way comparison */
    bool invert;
    int64_t lo64;    /* lo and span clamped to 64 bits (CodeItem.small): for x that fits int64, */
    uint64_t span64; /* (uint64)(x - lo64) <= span64 is the same test */
    dec_i128 points;
    dec_i128 shown; /* `points` rounded to Program.round places (when has_shown) */
    bool has_shown;
    bool plain;       /* `points` needs no floor or cap and is within the item's full score */
    const char *text; /* grade rules: the grade */
    int pos;          /* the rule's index in its item (its `fired`), and in Code.rules: */
    int at;           /* kept so the batch loop need not divide pointer differences */
} CodeRule;

typedef struct {
    bool compiled; /* false: the general evaluator scores this item */
    bool is_score; /* a `score` expression: rules[first] is its one CR_ELSE rule */
    int first, n;  /* its rules: Code.rules[first .. first + n) */
    int table;     /* >= 0: a plain table on that fact slot: the first rule is CR_CMP, every rule
                      CR_CMP on that slot or CR_ELSE (its interval is every x), every result a
                      constant; the caller may run it inline (one kind check, then one interval
                      test per rule). -1: run it with vm_item */
    bool small;    /* a table whose intervals have 64-bit forms (lo64, span64) */
    int seg, nseg; /* a table: Code.segs[seg .. seg + nseg), its rules' answers by the fact's
                      value (see CodeSeg) */
    /* a table's segment found by its grid (see code_table_seg), when `grid`:
       cell q covers [glo + q x g, glo + (q + 1) x g), the first cell also
       everything below and the last everything from ghi on; Code.cells[cell + q]
       is its segment, CODE_CELL_EXACT added when a segment starts inside the
       cell (its answer is then the one at the cell's first value only) */
    bool grid;
    uint8_t gpre, gshift; /* floor(d / g) = ((d >> gpre) x gmul) >> (64 + gshift) for every
                             0 <= d <= ghi - glo (see grid_magic in code.c) */
    uint64_t g, gmul;
    dec_i128 glo, ghi;
    uint64_t gspan; /* ghi - glo */
    int cell, ncell;
    uint64_t marked; /* bit q set: cell q is marked CODE_CELL_EXACT */
} CodeItem;

#define CODE_CELL_EXACT 0x80 /* Code.cells: the cell's segment holds at its first value only */
#define CODE_GRID_CELLS 64   /* the most cells a grid has (else the binary search) */

/* A table item's answer for every value of its fact: the number line cut at
 * its rules' interval ends into segments, each holding the rule that fires
 * there (FIRST hit) or -1 when none does; segment j covers [from, the next
 * segment's from), the first one from the least value. One lookup (a binary
 * search over the sorted `from`s) then replaces the rule-by-rule tests. */
typedef struct {
    dec_i128 from;
    int32_t rule; /* Code.rules index (CodeRule.at), or -1: no rule holds */
} CodeSeg;

/* Typed column parsers (per fact slot). */
typedef enum { CP_TEXT, CP_BOOL, CP_NUMBER, CP_INTEGER, CP_PERCENT } ColParser;

typedef struct Code {
    int nnodes;      /* Program.nnodes: items[] follows the report order */
    CodeItem *items; /* nnodes; sections and groups are not compiled (compiled false) */
    CodeRule *rules;
    int nrules;
    Instr *ins;
    int nins;
    int nfacts;
    uint8_t *parser; /* nfacts: ColParser */
    int ncompiled;   /* items compiled */
    CodeSeg *segs;   /* the tables' segments (CodeItem.seg) */
    int nsegs;
    uint8_t
        *cells; /* the tables' grids (CodeItem.cell): a segment index relative to the
                   item's first, CODE_CELL_EXACT added where it holds at the cell's start only */
    int ncells;
    bool grade; /* the grade block is compiled: rules[grade_first ..) compare the
                   reported total (CR_CMP, slot -1) or are CR_ELSE, each with its text */
    int grade_first, ngrade;
} Code;

#define VM_REGS 80 /* registers of the machine; deeper expressions are not compiled */

/* Compile p's items; never fails (what cannot be compiled is marked so).
 * Free with code_free. */
Code *code_compile(const Program *p);
void code_free(Code *c);
/* A readable listing of c (for --dump-code and its golden test). */
void code_dump(FILE *out, const Code *c, const Program *p);

typedef enum { VM_OK, VM_FALLBACK, VM_NOMATCH } VmStatus;

/* The segment of table item ci (ci->table >= 0) that holds the value x of
 * its fact, relative to its first (Code.segs[ci->seg + the answer]): the last
 * one whose `from` is at most x.
 *
 * With a grid (ci->grid) that is one lookup: x clamped to [glo, ghi], d =
 * its distance from glo (below 2^64), q = floor(d / g) its cell. The grid is
 * chosen at compile time so that no segment starts inside a cell except where
 * the cell is marked CODE_CELL_EXACT: every x in an unmarked cell is in the
 * segment of the cell's first value, and so is every x below glo (no segment
 * but the first starts before glo + g) and from ghi on (none starts after
 * ghi). In a marked cell only its first value (d a multiple of g) is known;
 * any other x, like a grid-less item, takes the binary search. The division
 * is a multiply by a reciprocal that is exact for every d up to ghi - glo
 * (see grid_magic in code.c). */
static inline int code_table_search(const Code *c, const CodeItem *ci, dec_i128 x);

/* The cell of grid item ci (ci->grid) that x falls in, and in *d its
 * distance from the grid's start (x clamped as code_table_seg says): one
 * subtraction and compare finds x inside the grid, the usual case. */
static inline int code_grid_cell(const CodeItem *ci, dec_i128 x, uint64_t *d)
{
    unsigned __int128 u = (unsigned __int128)x - (unsigned __int128)ci->glo;
    if (u <= ci->gspan)
        *d = (uint64_t)u;
    else /* outside: below the grid (the first cell) or above it (the last) */
        *d = x < ci->glo ? 0 : ci->gspan;
    return (int)((uint64_t)(((unsigned __int128)(*d >> ci->gpre) * ci->gmul) >> 64) >> ci->gshift);
}

/* Whether the grid's answer in cell q holds for x (*d of code_grid_cell):
 * the cell is not marked, or x is its first value. */
static inline bool code_grid_holds(const CodeItem *ci, int q, uint64_t d)
{
    return !((ci->marked >> q) & 1) || d == (uint64_t)q * ci->g;
}

static inline int code_table_seg(const Code *c, const CodeItem *ci, dec_i128 x)
{
    if (ci->grid) {
        uint64_t d;
        int q = code_grid_cell(ci, x, &d);
        if (code_grid_holds(ci, q, d))
            return c->cells[ci->cell + q] & ~CODE_CELL_EXACT;
    }
    return code_table_search(c, ci, x);
}

/* code_table_seg by a binary search over the segments' starts. */
static inline int code_table_search(const Code *c, const CodeItem *ci, dec_i128 x)
{
    const CodeSeg *s0 = &c->segs[ci->seg], *s = s0;
    int n = ci->nseg;
    while (n > 1) { /* the last segment whose from <= x lies in s[0 .. n) */
        int h = n / 2;
        s = s[h].from <= x ? s + h : s;
        n -= h;
    }
    return (int)(s - s0);
}

/* The rule of table item ci (ci->table >= 0) that fires for the value x of
 * its fact (Code.rules index), or -1 when none does: the same answer as
 * testing its rules in order. */
static inline int code_table_rule(const Code *c, const CodeItem *ci, dec_i128 x)
{
    return c->segs[ci->seg + code_table_seg(c, ci, x)].rule;
}

/* The grade rule that fires for the reported total, -1 when none does; only
 * when c->grade. */
int vm_grade(const Code *c, Dec total);

/* Run item idx of c against the fact values view (Program.nfacts, shared
 * values): VM_OK with its score in points (before floor and cap) in *out, the
 * rule that fired in *fired (-1 for a score expression) and in *shown the
 * score rounded for reports when the result is a constant (else NULL), *plain
 * when that constant needs no floor, cap or full-score check;
 * VM_NOMATCH when no rule holds; VM_FALLBACK when the general evaluator must
 * score it. */
VmStatus vm_item(const Code *c, int idx, const Value *view, Dec *out, int *fired,
                 const dec_i128 **shown, bool *plain);

#endif
