/* check_impl.h - what the files of the checker share (not for other modules).
 *
 * check.c collects declarations into the symbol table and the score tree and
 * runs the passes in order; check_types.c resolves and types expressions;
 * check_bounds.c works out intervals over the declared fact ranges and, from
 * them, modes, weights and full scores bottom-up. */
#ifndef RUBRIC_CHECK_IMPL_H
#define RUBRIC_CHECK_IMPL_H
#include <stdarg.h>
#include <string.h>

#include "check.h"
#include "facts.h"
#include "i18n.h"
#include "parse.h"
#include "utf8.h"

/* ---- symbol table: folded name -> declaration ---- */

typedef enum { SYM_FACT, SYM_NODE, SYM_OUTPUT } SymKind;
typedef struct {
    const char *name; /* NULL: empty slot */
    SymKind kind;
    int index; /* fact slot, node index, output index */
    const Node *decl;
} Sym;

struct SymTab {
    Sym *slots;
    size_t cap, n;
};

/* ---- the pass's state ---- */

typedef enum { SC_ITEM, SC_SECTION, SC_GRADE, SC_OUTPUT, SC_EXPECT } ScopeKind;
typedef struct {
    ScopeKind kind;
    ScoreNode *owner; /* SC_ITEM: the item; SC_SECTION: the section whose children may be read */
    int nout;         /* SC_OUTPUT: outputs declared before this one */
    const char *what; /* "item X" etc., for messages */
} Scope;

typedef struct {
    Arena *a;
    const Source *src;
    Diags *d;
    Program *p;
    struct SymTab syms;
    /* growing arrays while collecting */
    int cap_facts, cap_nodes, cap_outputs, cap_tests, cap_raters, cap_quotas;
    const Node *grade_decl, *id_decl, *round_decl, *max_decl;
    const Node **shows; /* the `show` statements */
    int nshows;
    int syntax_errors; /* errors reported before this pass */
} Ck;

/* An error or a warning at `at` with its [code]; messages go through the
 * catalog (`err` and `warn` are the names tools/po-update.sh extracts). */
void check_err(Ck *c, const Node *at, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void check_warn(Ck *c, const Node *at, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
#define err check_err
#define warn check_warn

/* The checker's record of node n (Program.info), which it fills in. */
static inline NodeInfo *check_note(Ck *c, const Node *n)
{
    return &c->p->info[n->id];
}
#define note check_note

/* The type the checker gave n (TY_UNKNOWN until it is typed). */
static inline Type check_ty_of(const Ck *c, const Node *n)
{
    return c->p->info[n->id].ty;
}
#define ty_of check_ty_of

/* Helpers one file of the checker defines and another calls; each is
 * documented where it is defined, and called by its short name. */
Type check_type_expr(Ck *c, const Node *e, Scope *sc);
#define type_expr check_type_expr
void check_need_bool(Ck *c, const Node *e, Scope *sc, const char *what);
#define need_bool check_need_bool
bool check_numeric(Type t);
#define numeric check_numeric
const char *check_type_word(Type t);
#define type_word check_type_word
Type check_unify(Ck *c, const Node *const *xs, int n, bool comparison);
#define unify check_unify
void check_finish_section(Ck *c, ScoreNode *s);
#define finish_section check_finish_section
void check_type_rules(Ck *c, const Node **rules, int n, Scope *sc, bool text_results);
#define type_rules check_type_rules
Sym *check_sym_find(const struct SymTab *t, const char *name, size_t len);
#define sym_find check_sym_find
const char *check_suggest(const struct SymTab *t, const char *name, unsigned mask);
#define suggest check_suggest
const char *check_kind_word(ScoreKind k);
#define kind_word check_kind_word
bool check_num_of(const Node *n, Dec *out, bool *pct);
#define num_of check_num_of
Node check_name_span(const Node *decl);
#define name_span check_name_span
void check_type_score(Ck *c, const Node *e, Scope *sc);
#define type_score check_type_score

#endif
