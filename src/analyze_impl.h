/* analyze_impl.h - what the files of the coverage analysis share (not for
 * other modules): analyze.c turns conditions into regions and reports gaps,
 * never-true rules and scale warnings; analyze_edge.c reports two rules that
 * meet on a single value. */
#ifndef RUBRIC_ANALYZE_IMPL_H
#define RUBRIC_ANALYZE_IMPL_H
#include <string.h>

#include "analyze.h"
#include "i18n.h"
#include "utf8.h"

#define MAX_VARS 8     /* variables in one rule list that the analysis handles */
#define MAX_BOXES 4096 /* boxes in one region before the list is skipped */
#define MAX_GAPS 5     /* gaps reported per rule list */
#define MAX_LISTED 10  /* earlier lines an unreachable warning names */

typedef struct {
    Dec lo, hi;
    bool lo_inf, hi_inf;   /* unbounded ends */
    bool lo_open, hi_open; /* the end itself is excluded */
} Ival;

typedef enum { V_REAL, V_INT, V_BOOL } VarKind;

typedef struct {
    int nvars;
    struct {
        const Node *ref;  /* a NAME or TOTAL node that names the variable */
        RefKind ref_kind; /* REF_FACT, REF_NODE, or REF_NONE for total */
        int slot;
        VarKind kind;
        bool percent;
        Ival dom;
        const char *name;
    } v[MAX_VARS];
} Vars;

typedef struct {
    Ival iv[MAX_VARS];
} Box;

typedef struct {
    Box *b;
    int n, cap;
    bool overflow; /* too many boxes: give up on this list */
} Region;

typedef struct {
    Arena *a;
    const Program *p;
    Diags *d;
    bool verbose;
    Vars vars;
    bool vars_full; /* a rule list read more than MAX_VARS facts */
} An;

/* Helpers one file defines and the other calls; each is documented where it
 * is defined, and called by its short name. */
void analyze_boundaries(An *an, const Node **rules, int n);
const Node *analyze_strip(const Node *n);
#define strip analyze_strip
bool analyze_iv_empty(Ival x);
#define iv_empty analyze_iv_empty
Ival analyze_iv_meet(Ival x, Ival y);
#define iv_meet analyze_iv_meet
Ival analyze_iv_full(void);
#define iv_full analyze_iv_full
bool analyze_constant(const Program *p, const Node *n, Dec *out);
#define constant analyze_constant
AstOp analyze_flip(AstOp op);
#define flip analyze_flip

#endif
