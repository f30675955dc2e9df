/* ast.h - the syntax tree of a rubric file.
 *
 * One Node struct for every kind keeps the parser's actions one constructor
 * call each. Every node carries the byte span it came from; line and column
 * are computed only when a diagnostic is printed. The kinds are listed once in
 * AST_KINDS, which makes the enum and the names printed by --dump-ast. The
 * tree is not changed once parsed: what the checker finds out about a node
 * (its type, what a name refers to) is kept in the checked Program, indexed by
 * Node.id (see check.h). */
#ifndef RUBRIC_AST_H
#define RUBRIC_AST_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "decimal.h"
#include "source.h"
#include "value.h"

/* clang-format off */
#define AST_KINDS(X)                                                                     \
    /* declarations */                                                                   \
    X(RUBRIC) X(SECTION) X(GROUP) X(ITEM) X(OUTPUT) X(GRADE) X(TEST) X(FACT) X(ID)       \
    X(ROUND) X(MAX) X(SCORE) X(RULE) X(VETO) X(RATER) X(QUOTA) X(ASSIGN) X(EXPECT)       \
    X(SHOW)                                                                              \
    X(BASE) X(FLOOR) X(CAP)                                                              \
    /* expressions */                                                                    \
    X(NUM) X(STR) X(BOOL) X(NAME) X(TOTAL) X(GRADEREF) X(CALL) X(NEG) X(BIN) X(NOT)     \
    X(AND) X(OR) X(CHAIN) X(PAREN)                                                       \
    /* parser scaffolding */                                                             \
    X(LIST) X(WEIGHT)
/* clang-format on */

typedef enum {
#define X(k) AST_##k,
    AST_KINDS(X)
#undef X
        AST_KIND_COUNT
} AstKind;

/* Operators of AST_BIN and AST_CHAIN. */
typedef enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE } AstOp;

typedef struct Node Node;
struct Node {
    AstKind kind;
    uint32_t id;                   /* dense, in order of creation: what the checker's tables
                                      (Program.info) are indexed by */
    uint32_t nids;                 /* RUBRIC: how many nodes its parse made (ids 0..nids-1) */
    uint32_t start, end;           /* byte span in the source */
    uint32_t depth;                /* expression nesting depth, bounded by the parser */
    const char *name;              /* folded name (declarations, NAME, CALL), NUL-terminated */
    uint32_t name_start, name_end; /* span of the name as written */
    Node **kids;                   /* block statements, call arguments, chain operands,
                                      SHOW: the NAME nodes of the facts shown */
    uint32_t nkids, capkids;
    Node *a, *b;              /* operands; RULE: condition (NULL for else) and result;
                                 FACT: default; VETO/EXPECT/SCORE: the expression */
    const char *str;          /* STR literal, description, label, test name, NUL-terminated */
    Dec num;                  /* NUM: value as written (a percent literal holds its fraction) */
    bool pct;                 /* NUM: written with %; RANGE bounds likewise */
    bool zh;                  /* keyword spelled in Chinese (CALL of max/round, BOOL) */
    bool bval;                /* BOOL literal */
    AstOp op;                 /* BIN operator */
    AstOp *ops;               /* CHAIN: nkids-1 operators */
    Node *weight, *max;       /* header options (NUM nodes) */
    Node *base, *floor, *cap; /* header options of edition 2 (NUM nodes), or NULL */
    FactType ftype;           /* FACT: declared type */
    Node *lo, *hi;            /* FACT: range bounds (NUM nodes), either may be NULL */
    Node *rater;              /* ASSIGN: the rater of NAME@RATER */
    AstOp qop;                /* QUOTA: OP_LE or OP_GE */
};

/* A zeroed node of kind k spanning start..end with the given id (see Node.id). */
Node *ast_new(Arena *a, uint32_t id, AstKind k, uint32_t start, uint32_t end);
/* Append kid to n's kids. */
void ast_push(Arena *a, Node *n, Node *kid);
/* The name of kind k as --dump-ast prints it. */
const char *ast_kind_name(AstKind k);
/* Spelling of op in source form (">=", "+"). */
const char *ast_op_text(AstOp op);
/* Write n as an indented tree; stable, one node per line. */
void ast_dump(FILE *out, const Node *n);

#endif
