/* eval_impl.h - what the files of the evaluator share (not for other modules).
 *
 * eval.c makes an Eval and scores the tree on the exact path; eval_expr.c
 * evaluates expressions (18-place decimals for item bodies, exact fractions
 * for section expressions and vetoes); eval_fast.c is the fast path of batch
 * scoring (fixed denominators, compiled items); eval_bind.c binds an
 * employee's facts to slots (CSV column plans, fact files, defaults). */
#ifndef RUBRIC_EVAL_IMPL_H
#define RUBRIC_EVAL_IMPL_H
#include "code.h"
#include "eval.h"
#include "parse.h"

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
    uint64_t dp;           /* D / 10^round when that is whole and fits 64 bits, else 0:
                              rounding is then one 128-by-64 division */
} FastNode;

/* A CSV column's plan, chosen at its header: the fact slot and the typed
 * parser its cells are read with, and the fact's range (the widest values
 * when none is declared, so the check needs no flag). */
typedef struct {
    int slot;        /* -1: not a fact's column, or read by bind_cell (a rater's, no code) */
    uint8_t plan;    /* ColParser */
    bool integer;    /* a whole number */
    bool id;         /* the slot is the id fact's: its text is kept (Eval.raw) */
    uint16_t digits; /* CP_INTEGER: bit d set when the integer d (0-9) is in range */
    uint32_t col;    /* its column (in Eval.rowplan, which is grouped by plan) */
    Value *dst;      /* its slot: &Eval.shared[slot] */
    dec_i128 lo, hi;
    /* the range's nonnegative part [ulo, ulo + uspan]: a value x read without
       a sign (below 2^127) is in range when x - ulo <= uspan, unsigned
       (ulo = 2^127, uspan = 0 when no such value is) */
    unsigned __int128 ulo, uspan;
} ColPlan;

/* A compiled constant result's contribution to its section (N x k of its
 * item), worked out once: the fast path then adds it without a multiply. */
typedef struct {
    dec_i128 c;
    bool ok;     /* c is below 2^120 in magnitude (else the multiply is done per row) */
    bool direct; /* ok, and the rule is plain with a rounded value (CodeRule.plain, has_shown):
                    the item's score, reported value and contribution are all the rule's */
    bool has_text;
    DecText text;           /* the rounded value's text, when has_text */
    const DecText *tp;      /* &text when has_text, else NULL */
    dec_i128 points, shown; /* the rule's CodeRule.points and .shown, */
    int pos;                /* and its index in its item: a direct rule needs nothing else */
} FastRule;

/* A table item's outcome in one of its segments (CodeSeg), for the step
 * loop: its rule's FastRule, copied next to the others of the item so that a
 * row reads one entry; `direct` false where the rule is not direct or no rule
 * holds (the step then scores the item as FS_ITEM does). */
typedef struct {
    dec_i128 shown, c;
    const DecText *tp;
    int32_t pos;
    bool direct;
} FastSeg;

/* The fast path's tree as a flat list of steps in scoring order (see
 * fast_plan): open a section or group (its sum starts at its base), score an
 * item and add its contribution, close a group (add its sum to its section) or
 * a section (floor, cap, full-score check, then add N x k to its parent). */
/* FS_TABLE: an item with a table; FS_GRID: one whose table has a grid. The
   sums start at FastPlan.n0, set at once before the steps (no step opens a
   section or group). */
enum { FS_TABLE, FS_GRID, FS_ITEM, FS_BOOLS, FS_GROUP, FS_SECTION }; /* FS_BOOLS: nbool > 0 */
typedef struct {
    uint8_t kind;
    int node; /* Program.nodes index; e->nn for the rubric */
    int acc;  /* the sum it adds to (a fast_n index; -1: none, the rubric) */
    int ov;   /* the overflow flag it sets (the enclosing section's, for a group's items) */
    const ScoreNode *sn;
    const CodeItem *ci;          /* an item's compiled code, or NULL */
    const FastSeg *fseg;         /* FS_TABLE: its segments' outcomes (FastPlan.seg + ci->seg) */
    int slot;                    /* FS_TABLE: its fact (ci->table) */
    const FastSeg *const *cellp; /* FS_GRID: each cell's outcome (FastPlan.cellp + ci->cell) */
    const Value *x;              /* FS_TABLE: &e->view[slot] (the view never moves) */
    /* an item's: &e->fired[node], &e->reported[node], &e->score_text[node],
       &e->fast_n[acc] */
    int sj; /* FS_GROUP, FS_SECTION: the index in FastPlan.sec (its rounding memo) */
    int *fired;
    dec_i128 *reported; /* also a group's or section's (not the rubric's) */
    const DecText **text;
    dec_i128 *sum;
    bool clamp; /* FS_SECTION: it has a floor, a cap or a full-score check */
    /* an item whose compiled code reads nothing but up to FAST_BOOLS yes/no
       facts: those slots, and where its 2^nbool outcomes start in
       FastPlan.imemo */
    int nbool, imemo;
    int bools[8];
    const Value *bx[8]; /* FS_BOOLS: &e->view[bools[i]] */
    /* FS_GRID: a copy of *ci (read without the pointer), its `marked` cleared
       where the fact's values always fall on a cell's first value (see
       grid_marks in eval_fast.c) */
    CodeItem gci;
} FastStep;

#define FAST_BOOLS 8
/* A compiled item's outcome on the fast path for one combination of its
   yes/no facts (FastStep.bools), kept once computed: the item is a function
   of them. */
typedef struct {
    dec_i128 item, reported, c;
    int fired;
    unsigned char clamped;
    bool used, over, has_text;
    const DecText *tp; /* &text when has_text, else NULL */
    DecText text;      /* reported's, when has_text */
} FastItemMemo;

/* A section's (group's, the total's) reported value by its N: the same few
 * sums come back row after row, and rounding one is a 128-bit division. A
 * fixed number of entries per node, direct-mapped, so memory does not grow
 * with the input. */
#define FAST_ROUND_WAYS 512
#define FAST_ROUND_TOTAL                                                                           \
    4096 /* the total's: it takes the most values (their sections' product)                        \
          */
typedef struct {
    dec_i128 n;             /* the key, N; FAST_EMPTY when the entry is unused */
    dec_i128 shown;         /* N / D rounded (Dec units) */
    const DecText *tp;      /* &text, or NULL when shown has none */
    int grade;              /* the total's: vm_grade of shown (-1: none, or no compiled grade) */
    const char *grade_text; /* the total's: that grade rule's text (NULL: none) */
    DecText text;           /* shown's */
    /* a section's: its contribution to its parent, N x k (FastNode.k), kept
       with N: cstate 0 not yet worked out, 1 in c, 2 it leaves 2^120 */
    dec_i128 c;
    uint8_t cstate;
} FastRound;

typedef struct {
    FastStep *step;
    int nstep;
    int *sec;               /* the sections and groups, node order */
    const FastNode **sec_f; /* the FastNode whose D each rounds with (a group: its section's) */
    int nsec;
    FastRound *round; /* nsec x FAST_ROUND_WAYS, then the rubric's FAST_ROUND_TOTAL */
    int *pending;     /* items whose reported value is left to the end (rounding may fail) */
    int npending;
    bool *over;            /* nn + 1 */
    FastItemMemo *imemo;   /* the outcomes of the items keyed by yes/no facts (with Code) */
    FastSeg *seg;          /* Code.nsegs: the table items' outcomes by segment (with Code) */
    const FastSeg **cellp; /* Code.ncells: the outcome in each grid cell (its segment's) */
    dec_i128 *n0;          /* nn + 1: the sums' start, a section's base (0: a group, an item) */
    int nimemo;
    const char *last_item; /* the name of the last item scored (the label of a late error) */
    bool checked; /* a section or group sums more than FAST_TERMS terms: every add is checked
                     (else the sums cannot wrap 128 bits and are checked when they close) */
} FastPlan;

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

enum { KEY_GUESSES = 64 }; /* fact file lines whose fact is guessed from the last file */

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
    int *given;          /* (nr + 1) x nf: line where given, 0 if not */
    int nset;            /* shared slots bound to a value this employee (each at most once:
                            a second is an error); nf of them means nothing is missing */
    bool *bad;           /* nf: the shared value was given but could not be read (shown as
                            null: its default does not stand in for a bad value) */
    Dec *item;           /* nn: items' scores (18-place decimals) */
    FastNode *fast;      /* nn + 1 (root last), or NULL: the rubric cannot take the fast path */
    dec_i128 *fast_n;    /* nn + 1: N of every node on the fast path */
    FastRule *fast_rule; /* code->nrules, made on the first employee, or NULL */
    FastPlan *fast_plan; /* the steps and memos of the fast path (one allocation), or NULL */
    const DecText **score_text;  /* nn + 1 (the total last): the reported values' text as the
                                    fast path found it made (NULL: not made); Result.score_text */
    bool use_fast;               /* eval_use_fast_path was asked for */
    int fast_grade;              /* after eval_fast_score: vm_grade of the total (-1 none) */
    const char *fast_grade_text; /* and its rule's text */
    const char *no_vetoes[1];    /* Result.vetoes of a rubric without vetoes (none held) */
    Code *code;                  /* the compiled items (fast path only), or NULL */
    bool *shown_ready;           /* nn: the fast path: false while an item's reported value is
                                    pending (FastPlan.pending), else true */
    bool exact_dirty;            /* exact[] and contrib[] hold an earlier employee's values */
    unsigned char *clamped;      /* nn + 1: 1 floor applied, 2 cap applied (root last) */
    mpq_t *exact;                /* nn: exact scores of the current view */
    Dec *reported;               /* nn: reported scores */
    mpq_t *contrib;              /* nn: exact contribution to the enclosing section */
    mpq_t *factor;               /* nn: weighted members: weight x F / full, else 1 */
    mpq_t *stack;                /* QSTACK temporaries for exact expressions */
    mpq_t total_exact;           /* the rubric's score before rounding */
    mpq_t combined_total;
    int *fired; /* nn: index of the rule that fired, -1 for a score expression, -2 not scored */
    int *rater_fired;    /* nr x nn: fired in each rater's view (for explain) */
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
    ColPlan *colplan; /* ncols: each column's plan (with compiled code) */
    size_t ncols;
    char *header_error; /* why every row of this CSV fails (malloc'd), or NULL */
    bool plan_ready;    /* the header's columns are read by their plans (code, no header_error):
                           a plain row (FactRecord.row) writes every plan slot */
    bool slots_dirty;   /* the slots (shared, raw, own, given, bad) hold more than a plain row's
                           plan slots wrote: begin_employee must clear them */
    /* a plain row's plan columns after the first, grouped by plan (eval_bind.c, bind_row):
       all in colplan's allocation, made with it by the header's mapping */
    ColPlan *rowplan;
    ColPlan *rowplan_end[5]; /* where each ColParser's run ends in rowplan */
    unsigned char *row_todo; /* ncols: 1 a plan declined the column's cell this row, 2 a fact's
                                column without a plan (a rater's): read by bind_cell */
    int rowplan_nset;        /* the slots rowplan binds when no cell is declined or empty */
    bool row_other;          /* some row_todo entry is 2 */
    int id_col;              /* the id fact's column after the first, with a plan; else -1 */
    /* fact files: per line (its i-th NAME = VALUE), 1 + the slot that line
       named in the last file (0: none yet), tried before the symbol table */
    int key_guess[KEY_GUESSES];
    size_t *name_len; /* nf: the length of each fact's name; SIZE_MAX when it holds
                         an E3 or EF byte (a character that may fold) */
    /* the current employee */
    Arena *a;
    const FactRecord *rec;
    const char *label;      /* what is being scored, for messages: "item", "section", "total"... */
    const char *label_name; /* its name, or NULL */
    const char *err;
    const Node *err_at;
};

/* Record the employee's error (the first one wins; formatted through the
 * catalog, prefixed with what is being scored); always false. `fail` is the
 * name the sources call it by (tools/po-update.sh extracts its messages). */
bool eval_fail(Eval *e, const Node *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define fail eval_fail
/* fail with the message of a decimal status; true when st is DEC_OK. */
bool eval_dec_check(Eval *e, const Node *at, DecStatus st);
#define dec_check eval_dec_check

static inline ValKind kind_of(Type t)
{
    return t == TY_PERCENT ? VAL_PERCENT : VAL_NUMBER;
}

/* eval_expr.c: n's value in *out (ev), as a number (ev_num) or a truth value
 * (ev_bool); false (e->err set) on an error. */
bool eval_value(Eval *e, const Node *n, Value *out);
bool eval_number(Eval *e, const Node *n, Dec *out);
bool eval_truth(Eval *e, const Node *n, bool *out);
/* The exact value of n (section `score`, vetoes) in out, temporaries from
 * e->stack[sp..]; false on an error. */
bool eval_exact(Eval *e, const Node *n, mpq_ptr out, int sp);
bool eval_exact_truth(Eval *e, const Node *n, bool *out, int sp);
#define ev eval_value
#define ev_num eval_number
#define ev_bool eval_truth
#define evq eval_exact
#define evq_bool eval_exact_truth

/* eval.c: an item's score on the general path (body, floor, cap, full score). */
bool eval_item_body(Eval *e, const ScoreNode *it);
#define score_item_body eval_item_body

/* eval_fast.c: set up the fast path (e->fast stays NULL when the rubric
 * cannot take it), and score the bound employee on it: 1 done, 0 an employee
 * error, -1 fall back to the exact path. */
void eval_fast_build(Eval *e);
/* The fast path's tables of e (its compiled rules, its sections), made when
 * the path is turned on rather than at the first employee, so that an
 * evaluator allocates the same whatever it is given (eval -j's workers, the
 * fault injection that counts allocations). */
void eval_fast_prepare(Eval *e);
int eval_fast_score(Eval *e);

/* eval_bind.c: bind rec's facts to the slots (false, e->err set, on a bad
 * value; every cell is still bound), then defaults and the missing-fact check. */
bool eval_bind_record(Eval *e, const FactRecord *rec);
bool eval_finish_facts(Eval *e);

#endif
