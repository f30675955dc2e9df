/* check.h - the name, type and structure pass, and the checked program.
 *
 * check_program walks the AST once the grammar has built it: it resolves every
 * name (with "did you mean" suggestions), decides what each expression may
 * read, types every expression (percent rules included), works out each
 * section's mode (weighted or points), checks weights and infers full scores
 * by interval arithmetic over the declared fact ranges. What it returns is
 * everything evaluation needs, resolved once: facts to slots, names to nodes,
 * nodes in report order, and per node of the tree (Program.info, indexed by
 * Node.id) its type and what it refers to. The tree is read only: checking it
 * twice gives two equal programs. */
#ifndef RUBRIC_CHECK_H
#define RUBRIC_CHECK_H
#include <stdbool.h>

#include "arena.h"
#include "ast.h"
#include "exact.h"
#include "diag.h"
#include "source.h"
#include "value.h"

/* Expression types of the checker. */
typedef enum { TY_UNKNOWN, TY_NUMBER, TY_PERCENT, TY_BOOL, TY_TEXT } Type;

/* What a NAME resolves to. */
typedef enum { REF_NONE, REF_FACT, REF_NODE, REF_OUTPUT } RefKind;

/* The functions of the language. */
typedef enum {
    FN_NONE,
    FN_MIN,
    FN_MAX,
    FN_CLAMP,
    FN_ABS,
    FN_ROUND,
    FN_COUNT,
    FN_SUM,
    FN_AVG,
    FN_IF
} FnKind;

/* What the checker found out about one node of the tree: Program.info[node->id].
 * Nodes it never typed keep ty TY_UNKNOWN, ref REF_NONE, slot -1. */
typedef struct {
    Type ty;     /* expression type */
    RefKind ref; /* NAME: what it names */
    int slot;    /* NAME: fact, node or output index; -1 when unresolved */
    FnKind fn;   /* CALL */
    bool lit;    /* a plain number literal, maybe in parentheses or negated (may be read
                    as a percent) */
    bool as_pct; /* NUM: a plain literal read as a percent: 90 means 90%, pct_num holds 0.9 */
    bool whole;  /* NUM: a whole number that fits int64 (wk), for fast products */
    int64_t wk;  /* NUM: that whole number */
    Dec pct_num; /* NUM with as_pct: the literal's value read as a percent (a fraction) */
} NodeInfo;

typedef enum { SN_RUBRIC, SN_SECTION, SN_GROUP, SN_ITEM } ScoreKind;
typedef enum { MODE_POINTS, MODE_WEIGHTED } AggMode;

typedef struct ScoreNode ScoreNode;
struct ScoreNode {
    ScoreKind kind;
    const Node *decl;  /* the declaration */
    const char *name;  /* folded name (the rubric's title for the root) */
    int index;         /* position in Program.nodes (report order); root: -1 */
    ScoreNode *parent; /* enclosing section, group or rubric */
    ScoreNode **kids;  /* direct children in file order */
    int nkids;
    ScoreNode *
        *members; /* sections: the children that aggregate (groups replaced by their items) */
    int nmembers;
    bool has_weight; /* declared weight */
    bool bad_weight; /* the weight was written wrong (already reported) */
    Dec weight;      /* as a fraction: 20% is 0.2 */
    Dec full;        /* full score (after cap), to 18 places for display */
    bool full_ok;    /* full is finite and could be worked out */
    bool full_inf;   /* no finite full score (+inf: a bonus over an unbounded count) */
    Dec low;         /* lowest possible score (interval lower bound), to 18 places */
    bool low_inf;    /* no lower bound */
    mpq_ptr qfull;   /* the exact full score (when full_ok) */
    mpq_ptr qlow;    /* the exact lowest score (unless low_inf) */
    mpq_ptr qscale;  /* weighted sections: F, the scale of the children (max before cap,
                        or the full score of a `score` section); NULL if unknown */
    /* the header options as written (NUM nodes) or NULL; the rubric's also from the
       base, floor and cap statements of its body and the rubric-level `max` */
    const Node *opt_max, *opt_base, *opt_floor, *opt_cap;
    bool has_base, has_floor, has_cap; /* deduction-sheet options (edition 2) */
    Dec base, floor, cap;              /* their values in points */
    const Node *unbounded;             /* item: the result with no upper bound (for [max]) */
    bool inf_reported;                 /* the [max] error for its unbounded full score is out */
    AggMode mode;                      /* sections and rubric */
    const Node *score;                 /* item: `score EXPR`; section/rubric: override (or NULL) */
    const Node **rules;                /* item rules in order */
    int nrules;
    const Node **vetoes; /* sections/rubric */
    int nvetoes;
    int *reads; /* item: fact slots its rules read, first use first */
    int nreads;
};

typedef struct {
    const Node *decl; /* FACT declaration */
    const char *name; /* folded */
    FactSpec spec;
    bool has_default;
    Value dflt;       /* the default, typed */
    bool read;        /* a rule, score, veto, grade, output or expect reads it */
    bool read_shared; /* a grade rule or an output reads it: with raters, its shared value */
    bool shown;       /* named by `show` */
} FactInfo;

typedef struct {
    const Node *decl; /* OUTPUT declaration */
    const char *name;
    Type ty;            /* TY_NUMBER, TY_PERCENT, TY_TEXT or TY_BOOL */
    const Node **rules; /* or score */
    int nrules;
    const Node *score;
} OutputInfo;

typedef struct {
    const Source *src;
    const Node *root;
    FactInfo *facts;
    int nfacts;
    ScoreNode *rubric; /* the root of the score tree */
    ScoreNode **nodes; /* every section, group and item in report order */
    int nnodes;
    const Node **grade; /* grade rules, NULL when there is no grade block */
    int ngrade;
    bool has_grade;
    OutputInfo *outputs;
    int noutputs;
    const Node **tests;
    int ntests;
    const Node **raters;
    int nraters;
    const Node **quotas;
    int nquotas;
    bool has_vetoes; /* some section or the rubric can veto */
    int id_fact;     /* slot of the `id` fact, or -1 */
    int *show;       /* fact slots of `show`, in the order written */
    int nshow;
    int round;           /* digits after the point in reports */
    bool declared_max;   /* the rubric declares `max` */
    struct SymTab *syms; /* names to declarations */
    NodeInfo *info;      /* per node of the tree, indexed by Node.id */
    uint32_t ninfo;      /* the root's nids */
} Program;

/* What the checker of p found out about n, a node of p's tree. */
static inline const NodeInfo *check_info(const Program *p, const Node *n)
{
    return &p->info[n->id];
}

/* The value of the NUM node n as p reads it: as written, or, for a plain
 * literal read as a percent (90 next to a percent), its fraction (0.9). */
static inline Dec check_num(const Program *p, const Node *n)
{
    const NodeInfo *i = check_info(p, n);
    return i->as_pct ? i->pct_num : n->num;
}

/* Check root (from parse_source) and build the program; problems go to d.
 * The result is usable for evaluation only when d->errors is 0. */
Program *check_program(Arena *a, const Source *src, const Node *root, Diags *d);
/* The fact slot of a folded name, or -1. */
int check_find_fact(const Program *p, const char *name, size_t len);
/* The declared fact name closest to name[0..len), or NULL when none is close;
 * the fact that name is once its invisible characters (uni_is_invisible) are
 * left out comes first. */
const char *check_suggest_fact(const Program *p, const char *name, size_t len);
/* Convert a literal node (number, percent, string, bool) to a value for the
 * declared fact; NULL when fine, else why not. */
const char *check_literal_value(Arena *a, const Source *src, const FactSpec *spec, const Node *lit,
                                Value *out);
/* Levenshtein distance over code points, for suggestions. */
size_t check_distance(const char *x, const char *y);

#endif
