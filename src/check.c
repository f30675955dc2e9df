/* check.c - names, types, structure and full scores (see check.h).
 *
 * The pass runs in a fixed order: collect declarations and register names;
 * build the score tree (sections, groups, items) in report order; resolve and
 * type every expression in the scope its place allows; then aggregate modes,
 * weights and full scores bottom-up. Problems are reported and the pass goes
 * on, so one run shows every mistake; a node whose type is unknown after an
 * error stays quiet so one mistake gives one message. */
#include "check.h"

#include <stdarg.h>
#include <string.h>

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

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static Sym *sym_find(const struct SymTab *t, const char *name, size_t len)
{
    if (!t->cap)
        return NULL;
    for (size_t i = hash_name(name, len) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        Sym *s = &t->slots[i];
        if (!s->name)
            return NULL;
        if (strlen(s->name) == len && memcmp(s->name, name, len) == 0)
            return s;
    }
}

static void sym_grow(Arena *a, struct SymTab *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    Sym *old = t->slots;
    size_t oldcap = t->cap;
    t->slots = arena_zalloc(a, cap * sizeof *t->slots);
    t->cap = cap;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].name)
            continue;
        size_t j = hash_name(old[i].name, strlen(old[i].name)) & (cap - 1);
        while (t->slots[j].name)
            j = (j + 1) & (cap - 1);
        t->slots[j] = old[i];
    }
}

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

static void err(Ck *c, const Node *at, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void err(Ck *c, const Node *at, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(c->d, c->src, DIAG_ERROR, at->start, at->end, code, fmt, ap);
    va_end(ap);
}

static void warn(Ck *c, const Node *at, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void warn(Ck *c, const Node *at, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(c->d, c->src, DIAG_WARNING, at->start, at->end, code, fmt, ap);
    va_end(ap);
}

/* Point at a declaration's name rather than its whole block. */
static Node name_span(const Node *decl)
{
    Node n = *decl;
    if (decl->name_end > decl->name_start)
        n.start = decl->name_start, n.end = decl->name_end;
    else if (n.end > n.start + 1)
        n.end = n.start + 1;
    return n;
}

#define GROW(c, arr, n, cap)                                                                       \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            int ncap_ = (cap) ? (cap)*2 : 8;                                                       \
            void *p_ = arena_alloc((c)->a, (size_t)ncap_ * sizeof *(arr));                         \
            if (n)                                                                                 \
                memcpy(p_, (arr), (size_t)(n) * sizeof *(arr));                                    \
            (arr) = p_;                                                                            \
            (cap) = ncap_;                                                                         \
        }                                                                                          \
    } while (0)

static const char *kind_word(ScoreKind k)
{
    return _(k == SN_SECTION ? N_("section")
             : k == SN_GROUP ? N_("group")
             : k == SN_ITEM  ? N_("item")
                             : N_("rubric"));
}

/* ---- suggestions ---- */

size_t check_distance(const char *x, const char *y)
{
    uint32_t a[PARSE_MAX_NAME + 1], b[PARSE_MAX_NAME + 1];
    size_t na = 0, nb = 0;
    for (size_t i = 0, n = strlen(x); i < n && na < PARSE_MAX_NAME;) {
        int k = utf8_decode(x + i, n - i, &a[na]);
        i += k ? (size_t)k : 1;
        na++;
    }
    for (size_t i = 0, n = strlen(y); i < n && nb < PARSE_MAX_NAME;) {
        int k = utf8_decode(y + i, n - i, &b[nb]);
        i += k ? (size_t)k : 1;
        nb++;
    }
    size_t row[PARSE_MAX_NAME + 1];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* The closest declared name of the kinds in mask (1 << SymKind), or NULL. */
static const char *suggest(const struct SymTab *t, const char *name, unsigned mask)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t len = utf8_chars(name, strlen(name));
    for (size_t i = 0; i < t->cap; i++) {
        const Sym *s = &t->slots[i];
        if (!s->name || !(mask & (1u << s->kind)))
            continue;
        size_t d = check_distance(name, s->name);
        size_t slen = utf8_chars(s->name, strlen(s->name));
        size_t longer = slen > len ? slen : len;
        if (d * 2 <= longer + 1 && (d < best_d || (d == best_d && strcmp(s->name, best) < 0)))
            best = s->name, best_d = d;
    }
    return best;
}

int check_find_fact(const Program *p, const char *name, size_t len)
{
    Sym *s = sym_find(p->syms, name, len);
    return s && s->kind == SYM_FACT ? s->index : -1;
}

const char *check_suggest_fact(const Program *p, const char *name, size_t len)
{
    char buf[PARSE_MAX_NAME + 1];
    if (len > PARSE_MAX_NAME)
        return NULL;
    memcpy(buf, name, len);
    buf[len] = 0;
    return suggest(p->syms, buf, 1u << SYM_FACT);
}

/* ---- declarations ---- */

static bool declare(Ck *c, const Node *decl, SymKind kind, int index)
{
    const char *name = decl->name;
    size_t len = strlen(name);
    Sym *old = sym_find(&c->syms, name, len);
    if (old) {
        Node at = name_span(decl);
        err(c, &at, "clash", "the name %s is already used", name);
        Node o = name_span(old->decl);
        diag_note(c->d, c->src, o.start, o.end, "%s was declared here", name);
        return false;
    }
    if ((c->syms.n + 1) * 2 > c->syms.cap)
        sym_grow(c->a, &c->syms);
    size_t i = hash_name(name, len) & (c->syms.cap - 1);
    while (c->syms.slots[i].name)
        i = (i + 1) & (c->syms.cap - 1);
    c->syms.slots[i] = (Sym){name, kind, index, decl};
    c->syms.n++;
    return true;
}

/* The value of a NUM node as written, or of -NUM. */
static bool num_of(const Node *n, Dec *out, bool *pct)
{
    if (!n || n->kind != AST_NUM)
        return false;
    *out = n->num;
    *pct = n->pct;
    return true;
}

const char *check_literal_value(Arena *a, const Source *src, const FactSpec *spec, const Node *lit,
                                Value *out)
{
    memset(out, 0, sizeof *out);
    switch (spec->type) {
    case FT_NUMBER:
    case FT_INTEGER:
        if (lit->kind != AST_NUM || lit->pct)
            return spec->type == FT_NUMBER ? _("expected a number") : _("expected a whole number");
        if (spec->type == FT_INTEGER && !dec_is_integer(lit->num))
            return _("expected a whole number");
        out->kind = VAL_NUMBER, out->d = lit->num;
        break;
    case FT_PERCENT:
        if (lit->kind != AST_NUM)
            return _("expected a percent");
        out->kind = VAL_PERCENT, out->d = lit->num;
        if (!lit->pct && dec_shift_down(lit->num, 2, &out->d) != DEC_OK)
            return _("too many digits after the point for a percent");
        break;
    case FT_BOOL:
        if (lit->kind != AST_BOOL)
            return _("expected 是/否 (true/false)");
        out->kind = VAL_BOOL, out->b = lit->bval;
        break;
    case FT_TEXT:
        out->kind = VAL_TEXT;
        if (lit->kind == AST_STR) {
            out->s = lit->str, out->len = strlen(lit->str);
        } else {
            out->s = src->text + lit->start, out->len = lit->end - lit->start;
        }
        return NULL;
    }
    if ((spec->has_lo && dec_cmp(out->d, spec->lo) < 0) ||
        (spec->has_hi && dec_cmp(out->d, spec->hi) > 0))
        return arena_printf(a, _("%.*s is out of the declared range"), (int)(lit->end - lit->start),
                            src->text + lit->start);
    return NULL;
}

/* A bare number in (0, 1] given for a percent fact (a default or a test
 * value) is a [value] error: 0.92 could mean 92% or 0.92%, 1 100% or 1%.
 * True when it was reported. */
static bool ambiguous_percent(Ck *c, const FactSpec *spec, const Node *lit, bool is_default,
                              const char *fact)
{
    if (spec->type != FT_PERCENT || lit->kind != AST_NUM || lit->pct ||
        dec_cmp(lit->num, dec_zero()) <= 0 || dec_cmp(lit->num, dec_from_int(1)) > 0)
        return false;
    err(c, lit, "value", is_default ? N_("default for %s: %s") : N_("value for %s: %s"), fact,
        facts_ambiguous_percent(c->a, lit->num));
    diag_hint(c->d, "A percent is written with %% or as its points: 92 and 92%% are both 92%%.");
    return true;
}

static bool bound_value(Ck *c, const Node *fact, const Node *b, Dec *out)
{
    Dec d;
    bool pct;
    if (!num_of(b, &d, &pct))
        return false;
    if (fact->ftype == FT_PERCENT) {
        if (!pct && dec_shift_down(d, 2, &d) != DEC_OK) {
            err(c, b, "range", "too many digits after the point for a percent bound");
            return false;
        }
    } else if (pct) {
        err(c, b, "range", "a %s fact cannot have a percent bound",
            fact->ftype == FT_INTEGER ? "integer" : "number");
        return false;
    }
    *out = d;
    return true;
}

/* name with every @ and ＠ written as _ (a suggestion that can be given) */
static const char *at_free(Arena *a, const char *name)
{
    size_t n = strlen(name), k = 0;
    char *out = arena_alloc(a, n + 1);
    for (size_t i = 0; i < n; i++) {
        if (name[i] == '@') {
            out[k++] = '_';
        } else if (i + 2 < n && memcmp(name + i, "\xEF\xBC\xA0", 3) == 0) {
            out[k++] = '_';
            i += 2;
        } else {
            out[k++] = name[i];
        }
    }
    out[k] = 0;
    return out;
}

static void add_fact(Ck *c, const Node *n)
{
    Program *p = c->p;
    GROW(c, p->facts, p->nfacts, c->cap_facts);
    FactInfo *f = &p->facts[p->nfacts];
    memset(f, 0, sizeof *f);
    f->decl = n;
    f->name = n->name;
    f->spec.type = n->ftype;
    if (strchr(n->name, '@') || strstr(n->name, "\xEF\xBC\xA0")) { /* @ or full-width ＠ */
        /* fact files, CSV headers and tests split every key at @ (NAME@RATER),
           so a fact whose name holds one could never be given */
        Node at = name_span(n);
        err(c, &at, "fact-name",
            "the fact name %s contains '@', which separates a fact from its "
            "rater in fact files and CSV columns, so it could never be given",
            n->name);
        diag_hint(c->d, "Rename the fact without '@' (e.g. %s).", at_free(c->a, n->name));
    }
    if ((n->lo || n->hi) && (n->ftype == FT_BOOL || n->ftype == FT_TEXT)) {
        err(c, n->lo ? n->lo : n->hi, "range", "a %s fact cannot have a range",
            n->ftype == FT_BOOL ? "bool" : "text");
    } else {
        f->spec.has_lo = n->lo && bound_value(c, n, n->lo, &f->spec.lo);
        f->spec.has_hi = n->hi && bound_value(c, n, n->hi, &f->spec.hi);
        if (f->spec.has_lo && f->spec.has_hi && dec_cmp(f->spec.lo, f->spec.hi) > 0)
            err(c, n->lo, "range", "the range of %s is empty: its low end is above its high end",
                n->name);
    }
    if (n->a) {
        const char *why = NULL;
        if (ambiguous_percent(c, &f->spec, n->a, true, n->name))
            why = "";
        else if ((why = check_literal_value(c->a, c->src, &f->spec, n->a, &f->dflt)))
            err(c, n->a, "default", "bad default for %s: %s", n->name, why);
        f->has_default = !why;
    }
    if (declare(c, n, SYM_FACT, p->nfacts))
        p->nfacts++;
}

static ScoreNode *new_node(Ck *c, ScoreKind k, const Node *decl, ScoreNode *parent)
{
    ScoreNode *s = arena_zalloc(c->a, sizeof *s);
    s->kind = k;
    s->decl = decl;
    s->name = decl->name ? decl->name : "";
    s->parent = parent;
    s->index = -1;
    return s;
}

static void push_kid(Ck *c, ScoreNode *parent, ScoreNode *kid)
{
    ScoreNode **k = arena_alloc(c->a, (size_t)(parent->nkids + 1) * sizeof *k);
    if (parent->nkids)
        memcpy(k, parent->kids, (size_t)parent->nkids * sizeof *k);
    k[parent->nkids++] = kid;
    parent->kids = k;
}

static void push_node(Ck *c, const Node ***arr, int *n, const Node *x)
{
    const Node **k = arena_alloc(c->a, (size_t)(*n + 1) * sizeof *k);
    if (*n)
        memcpy(k, *arr, (size_t)*n * sizeof *k);
    k[(*n)++] = x;
    *arr = k;
}

static const char *stmt_word(AstKind k)
{
    switch (k) {
    case AST_ID:
        return _("id");
    case AST_ROUND:
        return _("round");
    case AST_MAX:
        return _("max");
    case AST_BASE:
        return _("base");
    case AST_FLOOR:
        return _("floor");
    case AST_CAP:
        return _("cap");
    case AST_FACT:
        return _("a fact declaration");
    case AST_SECTION:
        return _("a section");
    case AST_GROUP:
        return _("a group");
    case AST_ITEM:
        return _("an item");
    case AST_OUTPUT:
        return _("an output");
    case AST_GRADE:
        return _("a grade block");
    case AST_TEST:
        return _("a test");
    case AST_SCORE:
        return _("score");
    case AST_RULE:
        return _("a rule");
    case AST_VETO:
        return _("a veto");
    case AST_RATER:
        return _("a rater");
    case AST_QUOTA:
        return _("a quota");
    case AST_ASSIGN:
        return _("a fact value");
    case AST_EXPECT:
        return _("expect");
    case AST_SHOW:
        return _("show");
    default:
        return _("this");
    }
}

static void misplaced(Ck *c, const Node *n, const char *where, const char *hint)
{
    Node at = *n;
    if (at.end > at.start + 1 && n->kind != AST_RULE && n->kind != AST_ASSIGN)
        at.end = n->name_end > n->start ? n->name_end : at.start + 1;
    err(c, &at, "misplaced", "%s cannot stand in %s", stmt_word(n->kind), _(where));
    if (hint)
        diag_hint(c->d, "%s", _(hint));
}

static void collect_body(Ck *c, const Node *n, ScoreNode *owner);

static Dec percent_weight(Ck *c, const Node *w, const char *whose, bool *bad)
{
    Dec d = dec_zero();
    bool pct;
    if (!num_of(w, &d, &pct))
        return d;
    if (!pct) {
        char buf[DEC_BUFSZ], pbuf[DEC_BUFSZ];
        dec_format(d, buf);
        Dec as_pct;
        bool fraction = dec_cmp(d, dec_zero()) > 0 && dec_cmp(d, dec_from_int(1)) < 0;
        if (fraction && dec_shift_up(d, 2, &as_pct) == DEC_OK)
            dec_format(as_pct, pbuf);
        else
            strcpy(pbuf, buf);
        err(c, w, "weight-percent", "the weight of %s is written %s; a weight is a percent", whose,
            buf);
        diag_hint(c->d, "Write the weight with a percent sign: {weight} %s%%.", pbuf);
        if (bad)
            *bad = true;
        return dec_zero();
    }
    if (dec_is_neg(d))
        err(c, w, "weights", "the weight of %s is negative", whose);
    return d;
}

static ScoreNode *collect_scored(Ck *c, const Node *n, ScoreNode *parent)
{
    ScoreKind k = n->kind == AST_SECTION ? SN_SECTION : n->kind == AST_GROUP ? SN_GROUP : SN_ITEM;
    ScoreNode *s = new_node(c, k, n, parent);
    Program *p = c->p;
    GROW(c, p->nodes, p->nnodes, c->cap_nodes);
    s->index = p->nnodes;
    p->nodes[p->nnodes++] = s;
    declare(c, n, SYM_NODE, s->index);
    if (n->weight) {
        s->has_weight = true;
        s->weight = percent_weight(c, n->weight, n->name, &s->bad_weight);
    }
    if (n->max && k == SN_GROUP)
        err(c, n->max, "misplaced", "a group has no max of its own; its items' full scores add up");
    if (k == SN_GROUP && (n->floor || n->cap)) {
        if (n->floor)
            err(c, n->floor, "clamp", "a group has no floor: it only reports its items' subtotal");
        else
            err(c, n->cap, "clamp", "a group has no cap: it only reports its items' subtotal");
        diag_hint(c->d, "Put floor and cap on the items or on the enclosing section.");
    }
    if (k == SN_GROUP && n->base) {
        err(c, n->base, "base", "a group has no base; base belongs to a points section");
        diag_hint(c->d, "Put base on the enclosing section.");
    }
    collect_body(c, n, s);
    return s;
}

/* A base/floor/cap statement of the rubric body becomes the root's option,
 * as if written in a header; given twice is an error. */
static bool root_opt(Ck *c, Node **slot, const Node *stmt)
{
    if (*slot) {
        Node at = *stmt;
        at.end = at.start + 1;
        err(c, &at, "duplicate", "%s is given twice", stmt_word(stmt->kind));
        diag_note(c->d, c->src, (*slot)->start, (*slot)->start + 1, "first given here");
        return true;
    }
    *slot = stmt->a;
    return false;
}

static void collect_body(Ck *c, const Node *n, ScoreNode *owner)
{
    Program *p = c->p;
    bool top = n->kind == AST_RUBRIC;
    ScoreKind ok = owner ? owner->kind : SN_RUBRIC;
    const char *where = top                ? N_("the rubric")
                        : ok == SN_SECTION ? N_("a section")
                        : ok == SN_GROUP   ? N_("a group")
                                           : N_("an item");
    for (uint32_t i = 0; i < n->nkids; i++) {
        Node *s = n->kids[i];
        switch (s->kind) {
        case AST_FACT:
            if (ok == SN_ITEM || ok == SN_GROUP)
                misplaced(c, s, where, "Declare facts at the top of the rubric.");
            else
                add_fact(c, s);
            break;
        case AST_SECTION:
        case AST_GROUP:
        case AST_ITEM:
            if (ok == SN_ITEM || (ok == SN_GROUP && s->kind != AST_ITEM))
                misplaced(c, s, where, ok == SN_GROUP ? N_("A group holds items only.") : NULL);
            else
                push_kid(c, owner, collect_scored(c, s, owner));
            break;
        case AST_SCORE:
            if (ok == SN_GROUP)
                misplaced(c, s, where, "A group reports the sum of its items.");
            else if (owner->score)
                err(c, s, "duplicate", "%s %s has two score expressions", kind_word(ok),
                    owner->name);
            else
                owner->score = s->a;
            break;
        case AST_RULE:
            if (ok != SN_ITEM)
                misplaced(c, s, where, "Rules belong in an item, a grade block or an output.");
            else
                push_node(c, &owner->rules, &owner->nrules, s);
            break;
        case AST_VETO:
            if (ok == SN_ITEM || ok == SN_GROUP)
                misplaced(c, s, where, "A veto belongs in a section or the rubric itself.");
            else
                push_node(c, &owner->vetoes, &owner->nvetoes, s), p->has_vetoes = true;
            break;
        case AST_BASE:
        case AST_FLOOR:
        case AST_CAP:
            if (!top) {
                misplaced(c, s, where,
                          "Write it in the header: section NAME base 30 floor 0 { … }.");
                break;
            }
            if (s->kind == AST_BASE    ? root_opt(c, &((Node *)n)->base, s)
                : s->kind == AST_FLOOR ? root_opt(c, &((Node *)n)->floor, s)
                                       : root_opt(c, &((Node *)n)->cap, s))
                break;
            break;
        case AST_ID:
        case AST_ROUND:
        case AST_MAX:
        case AST_GRADE:
        case AST_TEST:
        case AST_OUTPUT:
        case AST_RATER:
        case AST_QUOTA:
            if (!top) {
                misplaced(c, s, where, "It belongs at the top level of the rubric.");
                break;
            }
            if (s->kind == AST_ID || s->kind == AST_ROUND || s->kind == AST_MAX ||
                s->kind == AST_GRADE) {
                const Node **seen = s->kind == AST_ID      ? &c->id_decl
                                    : s->kind == AST_ROUND ? &c->round_decl
                                    : s->kind == AST_MAX   ? &c->max_decl
                                                           : &c->grade_decl;
                if (*seen) {
                    Node at = *s;
                    at.end = at.start + 1;
                    err(c, &at, "duplicate", "%s is given twice", stmt_word(s->kind));
                    diag_note(c->d, c->src, (*seen)->start, (*seen)->start + 1, "first given here");
                    break;
                }
                *seen = s;
            }
            if (s->kind == AST_GRADE) {
                p->has_grade = true;
                for (uint32_t j = 0; j < s->nkids; j++) {
                    if (s->kids[j]->kind == AST_RULE)
                        push_node(c, &p->grade, &p->ngrade, s->kids[j]);
                    else
                        misplaced(c, s->kids[j], "a grade block",
                                  "A grade block holds rules only.");
                }
            } else if (s->kind == AST_TEST) {
                for (int j = 0; j < p->ntests; j++)
                    if (strcmp(p->tests[j]->name, s->name) == 0) {
                        Node at = name_span(s);
                        err(c, &at, "duplicate", "there is already a test named \"%s\"", s->name);
                    }
                push_node(c, &p->tests, &p->ntests, s);
            } else if (s->kind == AST_OUTPUT) {
                GROW(c, p->outputs, p->noutputs, c->cap_outputs);
                OutputInfo *o = &p->outputs[p->noutputs];
                memset(o, 0, sizeof *o);
                o->decl = s;
                o->name = s->name;
                for (uint32_t j = 0; j < s->nkids; j++) {
                    Node *r = s->kids[j];
                    if (r->kind == AST_RULE && !o->score)
                        push_node(c, &o->rules, &o->nrules, r);
                    else if (r->kind == AST_SCORE && !o->score && !o->nrules)
                        o->score = r->a;
                    else
                        misplaced(c, r, "an output",
                                  "An output holds rules or one score, like an item.");
                }
                if (s->weight || s->max)
                    err(c, s->weight ? s->weight : s->max, "misplaced",
                        "an output has no weight or max");
                else if (s->base || s->floor || s->cap)
                    err(c,
                        s->base    ? s->base
                        : s->floor ? s->floor
                                   : s->cap,
                        "misplaced", "an output has no base, floor or cap");
                if (declare(c, s, SYM_OUTPUT, p->noutputs))
                    p->noutputs++;
            } else if (s->kind == AST_RATER) {
                push_node(c, &p->raters, &p->nraters, s);
            } else if (s->kind == AST_QUOTA) {
                push_node(c, &p->quotas, &p->nquotas, s);
            }
            break;
        case AST_ASSIGN:
        case AST_EXPECT:
            misplaced(c, s, where, "Fact values and expectations belong in a test block.");
            break;
        case AST_SHOW:
            if (top)
                push_node(c, &c->shows, &c->nshows, s);
            else
                misplaced(c, s, where, "It belongs at the top level of the rubric.");
            break;
        default:
            break;
        }
    }
}

/* ---- expressions: names and types ---- */

static const char *type_word(Type t)
{
    switch (t) {
    case TY_NUMBER:
        return _("a number");
    case TY_PERCENT:
        return _("a percent");
    case TY_BOOL:
        return _("true/false");
    case TY_TEXT:
        return _("text");
    default:
        return _("unknown");
    }
}

static Type fact_type(FactType t)
{
    switch (t) {
    case FT_PERCENT:
        return TY_PERCENT;
    case FT_BOOL:
        return TY_BOOL;
    case FT_TEXT:
        return TY_TEXT;
    default:
        return TY_NUMBER;
    }
}

static bool numeric(Type t)
{
    return t == TY_NUMBER || t == TY_PERCENT;
}

/* Read the plain number literal x as a percent: 90 becomes 90%. */
static void coerce_percent(Ck *c, Node *x, bool comparison)
{
    Node *n = x;
    while (n->kind == AST_PAREN || n->kind == AST_NEG) {
        n->ty = TY_PERCENT;
        n = n->a;
    }
    if (n->kind != AST_NUM)
        return;
    n->ty = TY_PERCENT;
    n->whole = false; /* it now holds a fraction */
    x->ty = TY_PERCENT;
    if (n->as_pct)
        return; /* read as a percent by an earlier check of this tree */
    n->as_pct = true;
    Dec abs = dec_abs(n->num);
    if (comparison && dec_cmp(abs, dec_zero()) > 0 && dec_cmp(abs, dec_from_int(1)) < 0) {
        char buf[DEC_BUFSZ];
        dec_format(n->num, buf);
        warn(c, x, "percent-fraction", "%s is compared with a percent, so it means %s%%", buf, buf);
        Dec h;
        if (dec_shift_up(n->num, 2, &h) == DEC_OK) {
            dec_format(h, buf);
            diag_hint(c->d, "Write %s%% if that is what you meant.", buf);
        }
    }
    if (dec_shift_down(n->num, 2, &n->num) != DEC_OK)
        err(c, n, "percent", "too many digits after the point to read this number as a percent");
}

/* Bring number and percent operands to one type: literals next to a percent
 * become percents; any other number next to a percent is an error. */
static Type unify(Ck *c, Node **xs, int n, bool comparison)
{
    bool any_pct = false;
    for (int i = 0; i < n; i++) {
        if (xs[i]->ty == TY_UNKNOWN)
            return TY_UNKNOWN;
        if (!numeric(xs[i]->ty)) {
            err(c, xs[i], "type", "expected a number here, got %s", type_word(xs[i]->ty));
            return TY_UNKNOWN;
        }
        any_pct |= xs[i]->ty == TY_PERCENT;
    }
    if (!any_pct)
        return TY_NUMBER;
    for (int i = 0; i < n; i++) {
        if (xs[i]->ty != TY_NUMBER)
            continue;
        if (xs[i]->lit) {
            coerce_percent(c, xs[i], comparison);
            continue;
        }
        err(c, xs[i], "percent-mix", "a percent cannot be mixed with this number");
        diag_hint(c->d,
                  "If this value is a rate, declare its fact as percent; a plain literal like 90 "
                  "next to a percent is read as 90%%.");
        return TY_UNKNOWN;
    }
    return TY_PERCENT;
}

static Type type_expr(Ck *c, Node *e, Scope *sc);

static void need_bool(Ck *c, Node *e, Scope *sc, const char *what)
{
    Type t = type_expr(c, e, sc);
    if (t != TY_BOOL && t != TY_UNKNOWN) {
        err(c, e, "type", "%s must be true or false, but this is %s", _(what), type_word(t));
        if (t == TY_NUMBER || t == TY_PERCENT)
            diag_hint(c->d, "Compare it with something, e.g. 完成率 >= 90.");
    }
}

static void note_read(Ck *c, ScoreNode *item, int slot)
{
    for (int i = 0; i < item->nreads; i++)
        if (item->reads[i] == slot)
            return;
    int *r = arena_alloc(c->a, (size_t)(item->nreads + 1) * sizeof *r);
    if (item->nreads)
        memcpy(r, item->reads, (size_t)item->nreads * sizeof *r);
    r[item->nreads++] = slot;
    item->reads = r;
}

static bool is_child_of(const ScoreNode *x, const ScoreNode *sec)
{
    if (x->parent == sec)
        return true;
    return x->parent && x->parent->kind == SN_GROUP && x->parent->parent == sec;
}

static Type type_name(Ck *c, Node *e, Scope *sc)
{
    Sym *s = sym_find(&c->syms, e->name, strlen(e->name));
    if (!s) {
        unsigned mask = 1u << SYM_FACT;
        if (sc->kind != SC_ITEM)
            mask |= 1u << SYM_NODE;
        if (sc->kind == SC_OUTPUT || sc->kind == SC_EXPECT)
            mask |= 1u << SYM_OUTPUT;
        const char *glued = parse_glued_keyword(e->name);
        err(c, e, "undeclared", "unknown name %s", e->name);
        const char *near = suggest(&c->syms, e->name, mask);
        if (glued && sym_find(&c->syms, e->name + strlen(glued), strlen(e->name + strlen(glued))))
            diag_hint(c->d, "A Chinese keyword must stand alone: write '%s %s'.", glued,
                      e->name + strlen(glued));
        else if (near)
            diag_hint(c->d, "Did you mean %s?", near);
        else if (sc->kind != SC_ITEM && sc->kind != SC_SECTION &&
                 (check_distance(e->name, "总分") <= 1 || check_distance(e->name, "total") <= 1))
            diag_hint(c->d, "Did you mean %s?",
                      (unsigned char)e->name[0] < 0x80 ? "total" : "总分");
        else
            diag_hint(c->d, "Declare it first, e.g. {fact} %s: {number} 0..100.", e->name);
        return TY_UNKNOWN;
    }
    Program *p = c->p;
    switch (s->kind) {
    case SYM_FACT:
        e->ref = REF_FACT;
        e->slot = s->index;
        p->facts[s->index].read = true;
        if (sc->kind == SC_ITEM && sc->owner)
            note_read(c, sc->owner, s->index);
        return fact_type(p->facts[s->index].spec.type);
    case SYM_NODE: {
        ScoreNode *target = p->nodes[s->index];
        bool ok = sc->kind == SC_GRADE || sc->kind == SC_OUTPUT || sc->kind == SC_EXPECT ||
                  (sc->kind == SC_SECTION && is_child_of(target, sc->owner));
        if (!ok) {
            err(c, e, "scope", "%s cannot read %s %s", sc->what, kind_word(target->kind), e->name);
            diag_hint(c->d, "%s",
                      _(sc->kind == SC_ITEM
                            ? N_("An item reads facts only.")
                            : N_("A section's score reads facts and its own children.")));
            return TY_UNKNOWN;
        }
        e->ref = REF_NODE;
        e->slot = s->index;
        return TY_NUMBER;
    }
    case SYM_OUTPUT:
        if (!((sc->kind == SC_OUTPUT && s->index < sc->nout) || sc->kind == SC_EXPECT)) {
            err(c, e, "scope", "%s cannot read output %s", sc->what, e->name);
            diag_hint(c->d, "Outputs are read by later outputs and by {expect} only.");
            return TY_UNKNOWN;
        }
        e->ref = REF_OUTPUT;
        e->slot = s->index;
        return p->outputs[s->index].ty;
    }
    return TY_UNKNOWN;
}

static const struct {
    const char *name;
    FnKind fn;
    int min, max; /* argument count; max -1: any */
} functions[] = {
    {"min", FN_MIN, 1, -1}, {"max", FN_MAX, 1, -1},    {"clamp", FN_CLAMP, 3, 3},
    {"abs", FN_ABS, 1, 1},  {"round", FN_ROUND, 2, 2}, {"count", FN_COUNT, 1, -1},
    {"sum", FN_SUM, 1, -1}, {"avg", FN_AVG, 1, -1},    {"if", FN_IF, 3, 3},
};

static Type type_call(Ck *c, Node *e, Scope *sc)
{
    int f = -1;
    for (size_t i = 0; i < sizeof functions / sizeof *functions; i++)
        if (strcmp(functions[i].name, e->name) == 0)
            f = (int)i;
    for (uint32_t i = 0; i < e->nkids; i++)
        type_expr(c, e->kids[i], sc);
    if (f < 0) {
        Node at = *e;
        at.start = e->name_start, at.end = e->name_end;
        err(c, &at, "function", "unknown function %s", e->name);
        const char *best = NULL;
        size_t bd = 3;
        for (size_t i = 0; i < sizeof functions / sizeof *functions; i++) {
            size_t d = check_distance(e->name, functions[i].name);
            if (d < bd)
                bd = d, best = functions[i].name;
        }
        if (best)
            diag_hint(c->d, "Did you mean %s?", best);
        else
            diag_hint(c->d,
                      "The functions are min, max, clamp, abs, round, count, sum, avg and if.");
        return TY_UNKNOWN;
    }
    if (e->zh) {
        err(c, e, "function", "functions have English names only");
        diag_hint(c->d, "Write %s(…).", functions[f].name);
    }
    e->fn = functions[f].fn;
    int n = (int)e->nkids;
    if (n < functions[f].min || (functions[f].max >= 0 && n > functions[f].max)) {
        if (functions[f].min == functions[f].max)
            err(c, e, "arguments",
                ngettext("%s takes %d argument, not %d", "%s takes %d arguments, not %d",
                         (unsigned long)functions[f].min),
                e->name, functions[f].min, n);
        else
            err(c, e, "arguments", "%s takes at least one argument", e->name);
        return TY_UNKNOWN;
    }
    for (int i = 0; i < n; i++)
        if (e->kids[i]->ty == TY_UNKNOWN)
            return TY_UNKNOWN;
    switch (e->fn) {
    case FN_MIN:
    case FN_MAX:
    case FN_SUM:
    case FN_AVG:
    case FN_CLAMP:
        return unify(c, e->kids, n, false);
    case FN_ABS:
        return unify(c, e->kids, 1, false);
    case FN_ROUND: {
        Type t = unify(c, e->kids, 1, false);
        if (e->kids[1]->ty != TY_NUMBER) {
            err(c, e->kids[1], "type", "round's second argument counts digits, so it is a number");
            return TY_UNKNOWN;
        }
        return t;
    }
    case FN_COUNT:
        for (int i = 0; i < n; i++)
            if (e->kids[i]->ty != TY_BOOL) {
                err(c, e->kids[i], "type", "count counts conditions that hold; this is %s",
                    type_word(e->kids[i]->ty));
                return TY_UNKNOWN;
            }
        return TY_NUMBER;
    case FN_IF: {
        if (e->kids[0]->ty != TY_BOOL) {
            err(c, e->kids[0], "type", "the condition of if must be true or false, but this is %s",
                type_word(e->kids[0]->ty));
            return TY_UNKNOWN;
        }
        Type a = e->kids[1]->ty, b = e->kids[2]->ty;
        if (numeric(a) && numeric(b))
            return unify(c, e->kids + 1, 2, false);
        if (a != b) {
            err(c, e, "type", "the two results of if differ: %s and %s", type_word(a),
                type_word(b));
            return TY_UNKNOWN;
        }
        return a;
    }
    default:
        return TY_UNKNOWN;
    }
}

static const Node *strip_paren(const Node *n)
{
    while (n->kind == AST_PAREN)
        n = n->a;
    return n;
}

static Type type_chain(Ck *c, Node *e)
{
    for (uint32_t i = 0; i + 1 < e->nkids; i++) {
        Node *x = e->kids[i], *y = e->kids[i + 1];
        AstOp op = e->ops[i];
        if (x->ty == TY_UNKNOWN || y->ty == TY_UNKNOWN)
            return TY_UNKNOWN;
        if (numeric(x->ty) && numeric(y->ty)) {
            Node *pair[2] = {x, y};
            if (unify(c, pair, 2, true) == TY_UNKNOWN)
                return TY_UNKNOWN;
            continue;
        }
        if (x->ty != y->ty) {
            err(c, e, "type", "cannot compare %s with %s", type_word(x->ty), type_word(y->ty));
            const Node *txt = x->ty == TY_TEXT ? x : y;
            if (strip_paren(txt)->kind == AST_GRADEREF)
                diag_hint(c->d, "A grade is text: compare it with a grade in quotes, e.g. {grade} "
                                "== \"优秀\".");
            else if (strip_paren(txt)->kind == AST_NAME && (numeric(x->ty) || numeric(y->ty)))
                diag_hint(c->d,
                          "A fact declared {text} never equals a number; declare it {number}.");
            return TY_UNKNOWN;
        }
        if (op != OP_EQ && op != OP_NE) {
            err(c, e, "type", "%s can only be compared with == or !=", type_word(x->ty));
            return TY_UNKNOWN;
        }
    }
    return TY_BOOL;
}

static Type type_expr(Ck *c, Node *e, Scope *sc)
{
    Type t = TY_UNKNOWN;
    switch (e->kind) {
    case AST_NUM:
        e->lit = !e->pct;
        t = e->pct ? TY_PERCENT : TY_NUMBER;
        e->whole = !e->pct && dec_is_integer(e->num) &&
                   dec_cmp(dec_abs(e->num), dec_from_int(INT64_MAX / 2)) < 0;
        e->wk = e->whole ? (int64_t)(e->num.v / dec_from_int(1).v) : 0;
        break;
    case AST_STR:
        t = TY_TEXT;
        break;
    case AST_BOOL:
        t = TY_BOOL;
        break;
    case AST_NAME:
        t = type_name(c, e, sc);
        break;
    case AST_TOTAL:
        if (sc->kind == SC_GRADE || sc->kind == SC_OUTPUT || sc->kind == SC_EXPECT)
            t = TY_NUMBER;
        else {
            err(c, e, "scope", "%s cannot read total", sc->what);
            diag_hint(c->d, "{total} is read by {grade} rules, outputs and {expect}.");
        }
        break;
    case AST_GRADEREF:
        if (!c->p->has_grade)
            err(c, e, "scope", "this rubric has no grade block");
        else if (sc->kind == SC_OUTPUT || sc->kind == SC_EXPECT)
            t = TY_TEXT;
        else
            err(c, e, "scope", "%s cannot read grade", sc->what);
        break;
    case AST_PAREN:
        t = type_expr(c, e->a, sc);
        e->lit = e->a->lit;
        break;
    case AST_NEG:
        t = type_expr(c, e->a, sc);
        if (t != TY_UNKNOWN && !numeric(t)) {
            err(c, e, "type", "cannot negate %s", type_word(t));
            t = TY_UNKNOWN;
        }
        e->lit = e->a->lit;
        break;
    case AST_BIN: {
        Type x = type_expr(c, e->a, sc), y = type_expr(c, e->b, sc);
        if (x == TY_UNKNOWN || y == TY_UNKNOWN)
            break;
        if (!numeric(x) || !numeric(y)) {
            err(c, e, "type", "cannot use %s with %s and %s", ast_op_text(e->op), type_word(x),
                type_word(y));
            break;
        }
        if (e->op == OP_ADD || e->op == OP_SUB) {
            Node *pair[2] = {e->a, e->b};
            t = unify(c, pair, 2, false);
        } else {
            t = TY_NUMBER; /* a percent acts as its fraction */
        }
        break;
    }
    case AST_CHAIN:
        for (uint32_t i = 0; i < e->nkids; i++)
            type_expr(c, e->kids[i], sc);
        t = type_chain(c, e);
        break;
    case AST_NOT:
        need_bool(c, e->a, sc, "the operand of not");
        t = TY_BOOL;
        break;
    case AST_AND:
    case AST_OR:
        need_bool(c, e->a, sc, e->kind == AST_AND ? N_("each side of and") : N_("each side of or"));
        need_bool(c, e->b, sc, e->kind == AST_AND ? N_("each side of and") : N_("each side of or"));
        t = TY_BOOL;
        break;
    case AST_CALL:
        t = type_call(c, e, sc);
        break;
    default:
        break;
    }
    e->ty = t;
    return t;
}

/* A score must be a number or a percent (which counts its points). */
static void type_score(Ck *c, Node *e, Scope *sc)
{
    Type t = type_expr(c, e, sc);
    if (t != TY_UNKNOWN && !numeric(t))
        err(c, e, "type", "a score must be a number, but this is %s", type_word(t));
}

static void type_rules(Ck *c, const Node **rules, int n, Scope *sc, bool text_results)
{
    for (int i = 0; i < n; i++) {
        Node *r = (Node *)rules[i];
        if (r->a)
            need_bool(c, r->a, sc, "a rule's condition");
        if (i + 1 < n && !r->a) {
            const Node *next = rules[i + 1];
            warn(c, next, "unreachable", "this rule comes after {else}, so it never applies");
        }
        if (text_results) {
            Type t = type_expr(c, r->b, sc);
            if (t != TY_UNKNOWN && t != TY_TEXT)
                err(c, r->b, "type", "a grade must be text in quotes, but this is %s",
                    type_word(t));
        } else {
            type_score(c, r->b, sc);
        }
    }
}

/* ---- intervals: bounds of expressions over the declared fact ranges ----
 *
 * Interval arithmetic over the extended reals (edition 2): a bound may be
 * -inf or +inf, 0 x inf is 0, and a division by an interval containing 0 can
 * be anything. Bounds are exact fractions; in an item body (dec) each product
 * and quotient is rounded to 18 places half to even as the item's arithmetic
 * rounds it, and a bound that reaches 10^20 there becomes infinite. */

typedef struct {
    mpq_t lo, hi;
    bool lo_inf, hi_inf; /* lo is -inf, hi is +inf */
} Iv;

typedef struct {
    const Program *p;
    bool dec; /* item-body arithmetic */
} IvCtx;

static void iv_init(Iv *x)
{
    mpq_inits(x->lo, x->hi, NULL);
    x->lo_inf = x->hi_inf = false;
}
static void iv_clear(Iv *x)
{
    mpq_clears(x->lo, x->hi, NULL);
}
static void iv_all(Iv *x)
{
    mpq_set_ui(x->lo, 0, 1), mpq_set_ui(x->hi, 0, 1);
    x->lo_inf = x->hi_inf = true;
}
static void iv_copy(Iv *r, const Iv *x)
{
    mpq_set(r->lo, x->lo), mpq_set(r->hi, x->hi);
    r->lo_inf = x->lo_inf, r->hi_inf = x->hi_inf;
}

/* In dec mode: round a finite bound as item arithmetic would, and make one
 * beyond a Dec's range infinite. */
static void iv_fit(const IvCtx *ix, mpq_ptr v, bool *inf, bool round)
{
    if (!ix->dec || *inf)
        return;
    Dec d;
    if (round ? !ex_round_even(v, &d) : !ex_is_dec(v, &d))
        *inf = true;
    else if (round)
        ex_from_dec(v, d);
}

static void iv_neg(Iv *x)
{
    mpq_swap(x->lo, x->hi);
    mpq_neg(x->lo, x->lo), mpq_neg(x->hi, x->hi);
    bool t = x->lo_inf;
    x->lo_inf = x->hi_inf, x->hi_inf = t;
}

/* r = x + y (x - y with sub); r may be x. */
static void iv_add(const IvCtx *ix, Iv *r, const Iv *x, Iv *y, bool sub)
{
    if (sub)
        iv_neg(y);
    r->lo_inf = x->lo_inf || y->lo_inf;
    r->hi_inf = x->hi_inf || y->hi_inf;
    mpq_add(r->lo, x->lo, y->lo);
    mpq_add(r->hi, x->hi, y->hi);
    iv_fit(ix, r->lo, &r->lo_inf, false);
    iv_fit(ix, r->hi, &r->hi_inf, false);
    if (sub)
        iv_neg(y);
}

/* An endpoint: inf -1/+1, or the finite value v. */
typedef struct {
    int inf;
    mpq_srcptr v;
} End;

static int end_sign(End e)
{
    return e.inf ? e.inf : mpq_sgn(e.v);
}

/* Order of two endpoints (inf -1/+1, or 0 and the finite value). */
static int ext_cmp(int ai, mpq_srcptr a, int bi, mpq_srcptr b)
{
    if (ai || bi)
        return (ai > bi) - (ai < bi);
    int c = mpq_cmp(a, b);
    return (c > 0) - (c < 0);
}

/* r = x * y or x / y over the extended reals; r may be x. */
static void iv_muldiv(const IvCtx *ix, Iv *r, const Iv *x, const Iv *y, bool div)
{
    if (div && (y->lo_inf || mpq_sgn(y->lo) <= 0) && (y->hi_inf || mpq_sgn(y->hi) >= 0)) {
        iv_all(r);
        return;
    }
    End xs[2] = {{x->lo_inf ? -1 : 0, x->lo}, {x->hi_inf ? 1 : 0, x->hi}};
    End ys[2] = {{y->lo_inf ? -1 : 0, y->lo}, {y->hi_inf ? 1 : 0, y->hi}};
    mpq_t v, lo, hi;
    mpq_inits(v, lo, hi, NULL);
    int lo_inf = 2, hi_inf = -2; /* 2/-2: no candidate yet */
    for (int i = 0; i < 4; i++) {
        End a = xs[i / 2], b = ys[i % 2];
        int inf = 0;
        if (!div) {
            if ((!a.inf && mpq_sgn(a.v) == 0) || (!b.inf && mpq_sgn(b.v) == 0))
                mpq_set_ui(v, 0, 1); /* 0 x inf = 0 */
            else if (a.inf || b.inf)
                inf = end_sign(a) * end_sign(b);
            else
                mpq_mul(v, a.v, b.v);
        } else {
            if (a.inf && b.inf)
                continue; /* the other candidates bound it */
            if (b.inf)
                mpq_set_ui(v, 0, 1);
            else if (a.inf)
                inf = end_sign(a) * end_sign(b);
            else
                mpq_div(v, a.v, b.v);
        }
        bool vinf = inf != 0;
        if (!vinf)
            iv_fit(ix, v, &vinf, true);
        if (vinf && !inf)
            inf = mpq_sgn(v) < 0 ? -1 : 1;
        if (lo_inf == 2 || ext_cmp(inf, v, lo_inf, lo) < 0) {
            lo_inf = inf;
            if (!inf)
                mpq_set(lo, v);
        }
        if (hi_inf == -2 || ext_cmp(inf, v, hi_inf, hi) > 0) {
            hi_inf = inf;
            if (!inf)
                mpq_set(hi, v);
        }
    }
    mpq_set(r->lo, lo), mpq_set(r->hi, hi);
    r->lo_inf = lo_inf != 0, r->hi_inf = hi_inf != 0;
    if (lo_inf > 0 || hi_inf < 0) /* cannot happen for non-empty intervals */
        iv_all(r);
    mpq_clears(v, lo, hi, NULL);
}

/* r = max(x, y) or min(x, y), pointwise; r may be x. */
static void iv_minmax(Iv *r, const Iv *x, const Iv *y, bool is_max)
{
    bool lo_inf, hi_inf;
    mpq_srcptr lo, hi;
    if (is_max) {
        lo_inf = x->lo_inf && y->lo_inf;
        lo = x->lo_inf ? y->lo : y->lo_inf ? x->lo : mpq_cmp(x->lo, y->lo) > 0 ? x->lo : y->lo;
        hi_inf = x->hi_inf || y->hi_inf;
        hi = mpq_cmp(x->hi, y->hi) > 0 ? x->hi : y->hi;
    } else {
        lo_inf = x->lo_inf || y->lo_inf;
        lo = mpq_cmp(x->lo, y->lo) < 0 ? x->lo : y->lo;
        hi_inf = x->hi_inf && y->hi_inf;
        hi = x->hi_inf ? y->hi : y->hi_inf ? x->hi : mpq_cmp(x->hi, y->hi) < 0 ? x->hi : y->hi;
    }
    mpq_t l, h;
    mpq_init(l), mpq_init(h);
    mpq_set(l, lo), mpq_set(h, hi);
    mpq_swap(r->lo, l), mpq_swap(r->hi, h);
    r->lo_inf = lo_inf, r->hi_inf = hi_inf;
    mpq_clear(l), mpq_clear(h);
}

static void iv_union(Iv *r, const Iv *x, const Iv *y)
{
    bool lo_inf = x->lo_inf || y->lo_inf, hi_inf = x->hi_inf || y->hi_inf;
    mpq_t l, h;
    mpq_init(l), mpq_init(h);
    mpq_set(l, mpq_cmp(x->lo, y->lo) < 0 ? x->lo : y->lo);
    mpq_set(h, mpq_cmp(x->hi, y->hi) > 0 ? x->hi : y->hi);
    if (x->lo_inf != y->lo_inf)
        mpq_set(l, x->lo_inf ? y->lo : x->lo);
    if (x->hi_inf != y->hi_inf)
        mpq_set(h, x->hi_inf ? y->hi : x->hi);
    mpq_swap(r->lo, l), mpq_swap(r->hi, h);
    r->lo_inf = lo_inf, r->hi_inf = hi_inf;
    mpq_clear(l), mpq_clear(h);
}

static void iv_expr(const IvCtx *ix, const Node *e, Iv *r);

static void iv_round(const IvCtx *ix, const Node *e, Iv *r)
{
    /* rounding is monotone: round the bounds when the digits are a constant;
       otherwise it moves a value by at most half a unit */
    iv_expr(ix, e->kids[0], r);
    bool pct = e->kids[0]->ty == TY_PERCENT;
    const Node *n = e->kids[1];
    while (n->kind == AST_PAREN)
        n = n->a;
    if (n->kind == AST_NUM && dec_is_integer(n->num) && !dec_is_neg(n->num) &&
        dec_cmp(n->num, dec_from_int(pct ? DEC_SCALE - 2 : DEC_SCALE)) <= 0) {
        int places = (int)(n->num.v / dec_from_int(1).v) + (pct ? 2 : 0);
        if (!r->lo_inf)
            ex_round_q(r->lo, r->lo, places), iv_fit(ix, r->lo, &r->lo_inf, false);
        if (!r->hi_inf)
            ex_round_q(r->hi, r->hi, places), iv_fit(ix, r->hi, &r->hi_inf, false);
        return;
    }
    Iv h;
    iv_init(&h);
    mpq_set_si(h.hi, pct ? 1 : 100, 200);
    mpq_neg(h.lo, h.hi);
    iv_add(ix, r, r, &h, false);
    iv_clear(&h);
}

static void iv_expr(const IvCtx *ix, const Node *e, Iv *r)
{
    const Program *p = ix->p;
    Iv y;
    switch (e->kind) {
    case AST_NUM:
        ex_from_dec(r->lo, e->num), ex_from_dec(r->hi, e->num);
        r->lo_inf = r->hi_inf = false;
        return;
    case AST_PAREN:
        iv_expr(ix, e->a, r);
        return;
    case AST_NEG:
        iv_expr(ix, e->a, r);
        iv_neg(r);
        return;
    case AST_NAME:
        if (e->ref == REF_FACT) {
            const FactSpec *s = &p->facts[e->slot].spec;
            ex_from_dec(r->lo, s->lo), ex_from_dec(r->hi, s->hi);
            r->lo_inf = !s->has_lo, r->hi_inf = !s->has_hi;
            return;
        }
        if (e->ref == REF_NODE) {
            const ScoreNode *n = p->nodes[e->slot];
            r->lo_inf = n->low_inf || !n->qlow, r->hi_inf = !n->full_ok || !n->qfull;
            mpq_set_ui(r->lo, 0, 1), mpq_set_ui(r->hi, 0, 1);
            if (!r->lo_inf)
                mpq_set(r->lo, n->qlow);
            if (!r->hi_inf)
                mpq_set(r->hi, n->qfull);
            return;
        }
        iv_all(r);
        return;
    case AST_BIN:
        iv_init(&y);
        iv_expr(ix, e->a, r);
        iv_expr(ix, e->b, &y);
        if (e->op == OP_ADD || e->op == OP_SUB)
            iv_add(ix, r, r, &y, e->op == OP_SUB);
        else
            iv_muldiv(ix, r, r, &y, e->op == OP_DIV);
        iv_clear(&y);
        return;
    case AST_CALL:
        switch (e->fn) {
        case FN_MIN:
        case FN_MAX:
        case FN_SUM:
        case FN_AVG:
            iv_init(&y);
            iv_expr(ix, e->kids[0], r);
            for (uint32_t i = 1; i < e->nkids; i++) {
                iv_expr(ix, e->kids[i], &y);
                if (e->fn == FN_MIN || e->fn == FN_MAX)
                    iv_minmax(r, r, &y, e->fn == FN_MAX);
                else
                    iv_add(ix, r, r, &y, false);
            }
            if (e->fn == FN_AVG) {
                mpq_set_ui(y.lo, e->nkids, 1), mpq_set_ui(y.hi, e->nkids, 1);
                y.lo_inf = y.hi_inf = false;
                iv_muldiv(ix, r, r, &y, true);
            }
            iv_clear(&y);
            return;
        case FN_CLAMP:
            iv_init(&y);
            iv_expr(ix, e->kids[0], r);
            iv_expr(ix, e->kids[1], &y);
            iv_minmax(r, r, &y, true);
            iv_expr(ix, e->kids[2], &y);
            iv_minmax(r, r, &y, false);
            iv_clear(&y);
            return;
        case FN_ABS:
            iv_expr(ix, e->kids[0], r);
            if (!r->lo_inf && mpq_sgn(r->lo) >= 0)
                return;
            if (!r->hi_inf && mpq_sgn(r->hi) <= 0) {
                iv_neg(r);
                return;
            }
            /* straddles 0: [0, max(-lo, hi)] */
            r->hi_inf = r->hi_inf || r->lo_inf;
            mpq_neg(r->lo, r->lo);
            if (!r->hi_inf && mpq_cmp(r->lo, r->hi) > 0)
                mpq_set(r->hi, r->lo);
            mpq_set_ui(r->lo, 0, 1);
            r->lo_inf = false;
            return;
        case FN_ROUND:
            iv_round(ix, e, r);
            return;
        case FN_COUNT:
            mpq_set_ui(r->lo, 0, 1), mpq_set_ui(r->hi, e->nkids, 1);
            r->lo_inf = r->hi_inf = false;
            return;
        case FN_IF:
            iv_init(&y);
            iv_expr(ix, e->kids[1], r);
            iv_expr(ix, e->kids[2], &y);
            iv_union(r, r, &y);
            iv_clear(&y);
            return;
        default:
            iv_all(r);
            return;
        }
    default:
        iv_all(r);
        return;
    }
}

/* Bounds of a score expression in points (a percent counts its points). */
static void iv_points(const Program *p, const Node *e, bool dec, Iv *r)
{
    IvCtx ix = {p, dec};
    iv_expr(&ix, e, r);
    if (e->ty == TY_PERCENT) {
        mpq_t h;
        mpq_init(h);
        mpq_set_ui(h, 100, 1);
        mpq_mul(r->lo, r->lo, h), mpq_mul(r->hi, r->hi, h);
        mpq_clear(h);
        iv_fit(&ix, r->lo, &r->lo_inf, false);
        iv_fit(&ix, r->hi, &r->hi_inf, false);
    }
}

/* The facts read by e with no upper bound (or, when every one has one, no
 * lower bound), as "a, b" for a hint; "" when none. */
static const char *unbounded_facts(Ck *c, const Node *e, bool upper, const char *acc)
{
    if (!e)
        return acc;
    if (e->kind == AST_NAME && e->ref == REF_FACT) {
        const FactSpec *s = &c->p->facts[e->slot].spec;
        if ((upper ? !s->has_hi : !s->has_lo) && !strstr(acc, e->name))
            return *acc ? arena_printf(c->a, "%s%s%s", acc, _(", "), e->name) : e->name;
        return acc;
    }
    acc = unbounded_facts(c, e->a, upper, acc);
    acc = unbounded_facts(c, e->b, upper, acc);
    for (uint32_t i = 0; i < e->nkids; i++)
        acc = unbounded_facts(c, e->kids[i], upper, acc);
    return acc;
}

/* ---- aggregation: modes, weights and full scores, bottom-up ---- */

static void add_member(Ck *c, ScoreNode *sec, ScoreNode *m)
{
    ScoreNode **k = arena_alloc(c->a, (size_t)(sec->nmembers + 1) * sizeof *k);
    if (sec->nmembers)
        memcpy(k, sec->members, (size_t)sec->nmembers * sizeof *k);
    k[sec->nmembers++] = m;
    sec->members = k;
}

/* Record the exact full score q (finite) of s, with its 18-place display form. */
static void set_full(Ck *c, ScoreNode *s, mpq_srcptr q)
{
    if (!s->qfull)
        s->qfull = ex_arena_new(c->a);
    mpq_set(s->qfull, q);
    s->full_ok = true;
    s->full_inf = false;
    if (!ex_round_even(q, &s->full))
        s->full = dec_zero();
}

static void set_low(Ck *c, ScoreNode *s, mpq_srcptr q, bool inf)
{
    if (!s->qlow)
        s->qlow = ex_arena_new(c->a);
    s->low_inf = inf;
    mpq_set(s->qlow, q);
    if (inf || !ex_round_even(q, &s->low))
        s->low = dec_zero();
}

/* A plain number of points for option o (base, floor, cap); a percent is an error. */
static bool points_option(Ck *c, const Node *o, const char *word, const char *code, Dec *out)
{
    bool pct = false;
    if (!num_of(o, out, &pct))
        return false;
    if (pct) {
        err(c, o, code, "%s is a number of points, not a percent", _(word));
        return false;
    }
    return true;
}

/* base/floor/cap of s from its header (or the rubric body's statements). */
static void read_clamps(Ck *c, ScoreNode *s)
{
    const Node *d = s->decl;
    if (d->floor)
        s->has_floor = points_option(c, d->floor, N_("floor"), "clamp", &s->floor);
    if (d->cap)
        s->has_cap = points_option(c, d->cap, N_("cap"), "clamp", &s->cap);
    if (d->base)
        s->has_base = points_option(c, d->base, N_("base"), "base", &s->base);
}

/* After full and low are known: the cap lowers the full score, floor and cap
 * bound the lowest score, a veto can take it to 0; [clamp] checks. */
static void apply_clamps(Ck *c, ScoreNode *s, const char *label)
{
    mpq_t h, l;
    mpq_inits(h, l, NULL);
    if (s->has_cap) {
        ex_from_dec(h, s->cap);
        /* +inf capped is H; a known full score above H becomes H */
        if (s->full_inf || (s->full_ok && mpq_cmp(s->qfull, h) > 0))
            set_full(c, s, h);
    }
    if (s->has_floor && s->has_cap && dec_cmp(s->floor, s->cap) > 0) {
        char a[DEC_BUFSZ], b[DEC_BUFSZ];
        dec_format(s->floor, a), dec_format(s->cap, b);
        err(c, s->decl->floor, "clamp", "the floor %s of %s is above its cap %s", a, label, b);
    } else if (s->has_floor && s->full_ok) {
        ex_from_dec(l, s->floor);
        if (mpq_cmp(l, s->qfull) > 0) {
            char a[DEC_BUFSZ];
            dec_format(s->floor, a);
            err(c, s->decl->floor, "clamp", "the floor %s of %s is above its full score %s", a,
                label, ex_text(c->a, s->qfull));
        }
    }
    /* lowest score: floored, capped, vetoed */
    mpq_set(l, s->qlow ? s->qlow : l);
    bool inf = s->low_inf || !s->qlow;
    if (s->has_floor) {
        ex_from_dec(h, s->floor);
        if (inf || mpq_cmp(l, h) < 0)
            mpq_set(l, h), inf = false;
    }
    if (s->has_cap) {
        ex_from_dec(h, s->cap);
        if (!inf && mpq_cmp(l, h) > 0)
            mpq_set(l, h);
    }
    if (s->nvetoes && !inf && mpq_sgn(l) > 0)
        mpq_set_ui(l, 0, 1); /* a veto can take it to 0 */
    set_low(c, s, l, inf);
    mpq_clears(h, l, NULL);
}

/* The [max] error for a full score of +inf where a finite one is needed,
 * reported where it arises: the item (naming the facts without an upper
 * bound) or the section's score expression, through sections that add. */
static void report_unbounded(Ck *c, ScoreNode *s)
{
    if (s->inf_reported || !s->full_inf)
        return;
    s->inf_reported = true;
    if (s->kind == SN_ITEM && s->unbounded) {
        err(c, s->unbounded, "max",
            "cannot work out the full score of item %s: this can be any size", s->name);
        const char *facts = unbounded_facts(c, s->unbounded, true, "");
        if (*facts)
            diag_hint(c->d,
                      strstr(facts, _(", "))
                          ? N_("%s have no upper bound: give them a range (e.g. 0..10), or "
                               "declare the item's full score, e.g. item %s max 20 { … }, or cap "
                               "it.")
                          : N_("%s has no upper bound: give it a range (e.g. 0..10), or declare "
                               "the item's full score, e.g. item %s max 20 { … }, or cap it."),
                      facts, s->name);
        else
            diag_hint(c->d,
                      "Declare the item's full score, e.g. item %s max 20 { … }, or give its facts "
                      "a range.",
                      s->name);
        return;
    }
    if (s->score) {
        const char *label =
            s->kind == SN_RUBRIC ? _("the rubric") : arena_printf(c->a, _("section %s"), s->name);
        err(c, s->score, "max", "cannot work out the full score of %s from its score expression",
            label);
        diag_hint(c->d, "Declare it with max, e.g. section %s max 100 { … }, or cap it.", s->name);
        return;
    }
    for (int i = 0; i < s->nmembers; i++)
        report_unbounded(c, s->members[i]);
}

static void finish_item(Ck *c, ScoreNode *it)
{
    const Node *d = it->decl;
    Scope sc = {SC_ITEM, it, 0, arena_printf(c->a, _("item %s"), it->name)};
    read_clamps(c, it);
    if (it->has_base) {
        err(c, d->base, "base", "an item has no base; base belongs to a points section");
        diag_hint(c->d, "Put base on the section that holds the deductions: section NAME base 30 "
                        "floor 0 { … }.");
    }
    if (it->score && it->nrules) {
        err(c, it->rules[0], "item-body", "item %s has both a score and rules", it->name);
        diag_hint(c->d, "Give either {score} EXPR or a list of rules.");
    }
    if (!it->score && !it->nrules) {
        if (c->syntax_errors)
            return; /* its rules were probably lost to a syntax error already reported */
        Node at = name_span(d);
        err(c, &at, "item-body", "item %s gives no score", it->name);
        diag_hint(c->d, "Add {score} EXPR, or rules such as 完成率 >= 90 -> 20.");
        return;
    }
    if (it->score)
        type_score(c, (Node *)it->score, &sc);
    type_rules(c, it->rules, it->nrules, &sc, false);
    /* full score: declared, or the largest result */
    Iv all, r;
    iv_init(&all), iv_init(&r);
    bool first = true, typed = true;
    const Node *unbounded = NULL;
    for (int i = 0; i < (it->score ? 1 : it->nrules); i++) {
        const Node *res = it->score ? it->score : it->rules[i]->b;
        if (res->ty == TY_UNKNOWN) {
            typed = false;
            continue;
        }
        iv_points(c->p, res, true, &r);
        if (r.hi_inf && !unbounded)
            unbounded = res;
        if (first)
            iv_copy(&all, &r);
        else
            iv_union(&all, &all, &r);
        first = false;
    }
    set_low(c, it, all.lo, first || all.lo_inf);
    if (d->max) {
        Dec m = dec_zero();
        bool pct = false;
        num_of(d->max, &m, &pct);
        if (pct)
            err(c, d->max, "max", "a full score is a number of points, not a percent");
        mpq_t q;
        mpq_init(q);
        ex_from_dec(q, m);
        set_full(c, it, q);
        /* what the item can score after its cap (an employee above max is an error) */
        mpq_t top;
        mpq_init(top);
        mpq_set(top, all.hi);
        bool top_inf = all.hi_inf;
        if (it->has_cap) {
            mpq_t h;
            mpq_init(h);
            ex_from_dec(h, it->cap);
            if (top_inf || mpq_cmp(h, top) < 0)
                mpq_set(top, h), top_inf = false;
            mpq_clear(h);
        }
        if (!pct && typed && !first && !top_inf && mpq_cmp(top, q) > 0) {
            char b[DEC_BUFSZ];
            dec_format(m, b);
            warn(c, d->max, "over-max", "item %s can score up to %s, above its declared max %s",
                 it->name, ex_text(c->a, top), b);
            diag_hint(c->d,
                      "An employee who gets more than %s cannot be scored; lower the rule's result "
                      "or raise {max}.",
                      b);
        }
        mpq_clear(top);
        mpq_clear(q);
    } else if (typed && !first) {
        if (unbounded) {
            it->full_inf = true;
            it->unbounded = unbounded;
        } else {
            set_full(c, it, all.hi);
        }
    }
    iv_clear(&all), iv_clear(&r);
    apply_clamps(c, it, arena_printf(c->a, _("item %s"), it->name));
}

static void finish_section(Ck *c, ScoreNode *s);

static void finish_group(Ck *c, ScoreNode *g)
{
    for (int i = 0; i < g->nkids; i++)
        finish_item(c, g->kids[i]);
}

/* Lowest contribution of member m to weighted section sec with scale F:
 * low x weight x F / full, exact; false when it has none. */
static bool contribution_low(const ScoreNode *m, mpq_srcptr F, mpq_ptr out)
{
    if (m->low_inf || !m->qlow || !m->full_ok || mpq_sgn(m->qfull) <= 0)
        return false;
    mpq_t w;
    mpq_init(w);
    ex_from_dec(w, m->weight);
    mpq_mul(out, m->qlow, w);
    mpq_mul(out, out, F);
    mpq_div(out, out, m->qfull);
    mpq_clear(w);
    return true;
}

static void finish_section(Ck *c, ScoreNode *s)
{
    const Node *d = s->decl;
    bool is_root = s->kind == SN_RUBRIC;
    const char *label = is_root ? _("the rubric") : arena_printf(c->a, _("section %s"), s->name);
    /* children first; groups contribute their items as members */
    for (int i = 0; i < s->nkids; i++) {
        ScoreNode *k = s->kids[i];
        if (k->kind == SN_ITEM) {
            finish_item(c, k);
            add_member(c, s, k);
        } else if (k->kind == SN_GROUP) {
            finish_group(c, k);
            for (int j = 0; j < k->nkids; j++)
                add_member(c, s, k->kids[j]);
        } else {
            finish_section(c, k);
            add_member(c, s, k);
        }
    }
    read_clamps(c, s);
    int weighted = 0;
    for (int i = 0; i < s->nmembers; i++)
        weighted += s->members[i]->has_weight;
    Node at = name_span(d);
    if (is_root) {
        at.start = d->start;
        at.end = d->name_end > d->start ? d->name_end : d->start + 1;
    }
    s->mode = weighted ? MODE_WEIGHTED : MODE_POINTS;
    bool ok = true;
    if (weighted && weighted < s->nmembers) {
        ok = false;
        err(c, &at, "weights", "%s mixes weighted and unweighted children", label);
        for (int i = 0; i < s->nmembers; i++)
            if (!s->members[i]->has_weight) {
                Node m = name_span(s->members[i]->decl);
                diag_note(c->d, c->src, m.start, m.end, "%s %s has no weight",
                          kind_word(s->members[i]->kind), s->members[i]->name);
                break;
            }
        diag_hint(c->d,
                  "Give every child a weight (they add up to 100%%), or none (points are added).");
    }
    if (s->has_base && (weighted || s->score)) {
        if (s->score)
            err(c, d->base, "base", "%s gives its own score expression, so it has no base", label);
        else
            err(c, d->base, "base", "%s is weighted, so it has no base", label);
        diag_hint(c->d, s->score ? N_("Add the base in the score expression itself.")
                                 : N_("base belongs to a points section, whose children have no "
                                      "weight and add their points to it."));
    }
    /* groups: declared weight = sum of items' weights */
    for (int i = 0; i < s->nkids; i++) {
        ScoreNode *g = s->kids[i];
        if (g->kind != SN_GROUP || !g->has_weight)
            continue;
        Dec sum = dec_zero();
        bool all = true;
        for (int j = 0; j < g->nkids; j++) {
            all &= g->kids[j]->has_weight;
            dec_add(sum, g->kids[j]->weight, &sum);
        }
        Node gat = name_span(g->decl);
        if (!all)
            err(c, &gat, "weights", "group %s has a weight but not all of its items do", g->name);
        else if (dec_cmp(sum, g->weight) != 0)
            err(c, &gat, "weights", "group %s has weight %s but its items' weights add up to %s",
                g->name, value_percent_text(c->a, g->weight), value_percent_text(c->a, sum));
    }
    Dec F = dec_from_int(100);
    bool declared = false, members_ok_for_max = true;
    if (d->max) {
        bool pct = false;
        num_of(d->max, &F, &pct);
        declared = true;
        if (pct && !is_root)
            err(c, d->max, "max", "a full score is a number of points, not a percent");
        else if (!pct && dec_cmp(F, dec_zero()) <= 0)
            err(c, d->max, "max", "the full score of %s must be above 0", label);
        if (pct || dec_cmp(F, dec_zero()) <= 0)
            members_ok_for_max = false;
    }
    for (int i = 0; i < s->nmembers; i++)
        if (s->members[i]->bad_weight)
            ok = false; /* already reported: the sum would only repeat it */
    if (ok && s->mode == MODE_WEIGHTED) {
        Dec sum = dec_zero();
        for (int i = 0; i < s->nmembers; i++)
            dec_add(sum, s->members[i]->weight, &sum);
        if (dec_cmp(sum, dec_from_int(1)) != 0) {
            err(c, &at, "weights", "the weights in %s add up to %s, not 100%%", label,
                value_percent_text(c->a, sum));
            const char *list = "";
            for (int i = 0; i < s->nmembers && i < 12; i++)
                list = arena_printf(c->a, "%s%s%s %s", list, i ? ", " : "", s->members[i]->name,
                                    value_percent_text(c->a, s->members[i]->weight));
            diag_hint(c->d, "The weights are: %s.", list);
        }
        for (int i = 0; i < s->nmembers; i++) {
            ScoreNode *m = s->members[i];
            if (m->full_ok && mpq_sgn(m->qfull) <= 0) {
                Node mat = name_span(m->decl);
                err(c, &mat, "max", "%s %s has full score %s, so it cannot be weighted",
                    kind_word(m->kind), m->name, ex_text(c->a, m->qfull));
                if (m->low_inf || mpq_sgn(m->qlow) < 0)
                    diag_hint(c->d, "A weighted child needs a full score above 0; put deductions "
                                    "in a points section with a base, e.g. section NAME weight "
                                    "20%% base 30 floor 0 { … }.");
            } else if (m->full_inf) {
                report_unbounded(c, m);
            }
        }
    }
    /* the section's own score expression, if any */
    if (s->score) {
        Scope sc = {SC_SECTION, s, 0, label};
        type_score(c, (Node *)s->score, &sc);
    }
    for (int i = 0; i < s->nvetoes; i++) {
        Scope sc = {SC_SECTION, s, 0, label};
        need_bool(c, s->vetoes[i]->a, &sc, "a veto's condition");
    }
    /* full score and lowest score */
    mpq_t q, low, t;
    mpq_inits(q, low, t, NULL);
    bool low_inf = false;
    if (s->score) {
        Iv r;
        iv_init(&r);
        if (s->score->ty == TY_UNKNOWN)
            iv_all(&r);
        else
            iv_points(c->p, s->score, false, &r);
        mpq_set(low, r.lo), low_inf = r.lo_inf;
        if (declared) {
            ex_from_dec(q, F);
            set_full(c, s, q);
        } else if (s->score->ty != TY_UNKNOWN) {
            if (r.hi_inf)
                s->full_inf = true;
            else
                set_full(c, s, r.hi);
        }
        iv_clear(&r);
        if (s->mode == MODE_WEIGHTED && s->full_ok) {
            s->qscale = ex_arena_new(c->a);
            mpq_set(s->qscale, s->qfull);
        }
    } else if (s->mode == MODE_WEIGHTED) {
        ex_from_dec(q, F);
        s->qscale = ex_arena_new(c->a);
        mpq_set(s->qscale, q);
        set_full(c, s, q);
        for (int i = 0; i < s->nmembers && !low_inf; i++) {
            if (!contribution_low(s->members[i], q, t))
                low_inf = true;
            else
                mpq_add(low, low, t);
        }
    } else {
        bool members_ok = true, inf = false;
        if (s->has_base)
            ex_from_dec(q, s->base), ex_from_dec(low, s->base);
        for (int i = 0; i < s->nmembers; i++) {
            ScoreNode *m = s->members[i];
            members_ok &= m->full_ok || m->full_inf;
            inf |= m->full_inf;
            if (m->full_ok)
                mpq_add(q, q, m->qfull);
            if (m->low_inf || !m->qlow)
                low_inf = true;
            else
                mpq_add(low, low, m->qlow);
        }
        if (members_ok && inf)
            s->full_inf = true;
        else if (members_ok)
            set_full(c, s, q);
    }
    set_low(c, s, low, low_inf);
    apply_clamps(c, s, label);
    if (!s->score && s->mode == MODE_POINTS && declared && members_ok_for_max) {
        /* a declared max must equal the full score the children give (after the cap) */
        ex_from_dec(t, F);
        if (s->full_inf) {
            report_unbounded(c, s);
        } else if (s->full_ok && mpq_cmp(s->qfull, t) != 0) {
            char a[DEC_BUFSZ];
            dec_format(F, a);
            err(c, d->max, "max", "%s declares max %s but its children's full scores add up to %s",
                label, a, ex_text(c->a, s->qfull));
        }
        if (s->full_ok || s->full_inf)
            set_full(c, s, t);
    }
    if (is_root && !s->score && s->mode == MODE_POINTS && s->full_inf)
        report_unbounded(c, s); /* the total in points mode needs a finite full score */
    mpq_clears(q, low, t, NULL);
}

/* ---- the rest: grade, outputs, tests, raters, quotas, settings ---- */

static void finish_outputs(Ck *c)
{
    Program *p = c->p;
    for (int k = 0; k < p->noutputs; k++) {
        OutputInfo *o = &p->outputs[k];
        Scope sc = {SC_OUTPUT, NULL, k, arena_printf(c->a, _("output %s"), o->name)};
        /* every result is typed and unified: an output has as many as it has rules */
        Node **results = arena_alloc(c->a, ((size_t)o->nrules + 1) * sizeof *results);
        int n = 0;
        if (o->score) {
            type_expr(c, (Node *)o->score, &sc);
            results[n++] = (Node *)o->score;
        }
        for (int i = 0; i < o->nrules; i++) {
            Node *r = (Node *)o->rules[i];
            if (r->a)
                need_bool(c, r->a, &sc, "a rule's condition");
            type_expr(c, r->b, &sc);
            results[n++] = r->b;
        }
        if (n == 0) {
            Node at = name_span(o->decl);
            err(c, &at, "item-body", "output %s gives no result", o->name);
            continue;
        }
        bool any_unknown = false, any_num = false, any_text = false, any_bool = false;
        for (int i = 0; i < n; i++) {
            any_unknown |= results[i]->ty == TY_UNKNOWN;
            any_num |= numeric(results[i]->ty);
            any_text |= results[i]->ty == TY_TEXT;
            any_bool |= results[i]->ty == TY_BOOL;
        }
        if (any_unknown)
            continue;
        if (any_num + any_text + any_bool > 1) {
            /* point at the first result that differs from the first one */
            Node *odd = results[0];
            for (int i = 1; i < n; i++)
                if (numeric(results[i]->ty) != numeric(results[0]->ty) ||
                    (!numeric(results[i]->ty) && results[i]->ty != results[0]->ty)) {
                    odd = results[i];
                    break;
                }
            err(c, odd, "type",
                "output %s gives %s here but %s on line %d; its results must be of one kind",
                o->name, type_word(odd->ty), type_word(results[0]->ty),
                source_line(c->src, results[0]->start));
            continue;
        }
        o->ty = any_num ? unify(c, results, n, false) : results[0]->ty;
    }
}

static void finish_tests(Ck *c)
{
    Program *p = c->p;
    for (int t = 0; t < p->ntests; t++) {
        const Node *test = p->tests[t];
        Scope sc = {SC_EXPECT, NULL, p->noutputs, _("expect")};
        for (uint32_t i = 0; i < test->nkids; i++) {
            Node *s = test->kids[i];
            if (s->kind == AST_EXPECT) {
                need_bool(c, s->a, &sc, "an expectation");
                continue;
            }
            if (s->kind != AST_ASSIGN) {
                misplaced(c, s, "a test",
                          "A test holds fact values (NAME = VALUE) and expect lines.");
                continue;
            }
            int slot = check_find_fact(p, s->name, strlen(s->name));
            Node at = name_span(s);
            if (slot < 0) {
                err(c, &at, "undeclared", "%s is not a fact of this rubric", s->name);
                const char *near = check_suggest_fact(p, s->name, strlen(s->name));
                if (near)
                    diag_hint(c->d, "Did you mean %s?", near);
                continue;
            }
            if (s->rater) {
                bool found = false;
                for (int r = 0; r < p->nraters; r++)
                    found |= strcmp(p->raters[r]->name, s->rater->name) == 0;
                if (!found)
                    err(c, s->rater, "undeclared", "%s is not a rater of this rubric",
                        s->rater->name);
            }
            for (uint32_t j = 0; j < i; j++) {
                const Node *o = test->kids[j];
                if (o->kind == AST_ASSIGN && strcmp(o->name, s->name) == 0 &&
                    ((!o->rater && !s->rater) ||
                     (o->rater && s->rater && strcmp(o->rater->name, s->rater->name) == 0))) {
                    err(c, &at, "duplicate", "%s is given twice in this test", s->name);
                    break;
                }
            }
            Value v;
            if (ambiguous_percent(c, &p->facts[slot].spec, s->a, false, s->name))
                continue;
            const char *why = check_literal_value(c->a, c->src, &p->facts[slot].spec, s->a, &v);
            if (why)
                err(c, s->a, "fact-value", "%s: %s", s->name, why);
        }
    }
}

static void finish_settings(Ck *c)
{
    Program *p = c->p;
    p->id_fact = -1;
    p->round = 2;
    if (c->id_decl) {
        const Node *n = c->id_decl;
        Node at = name_span(n);
        int slot = n->name ? check_find_fact(p, n->name, strlen(n->name)) : -1;
        if (slot < 0) {
            err(c, &at, "undeclared", "id names %s, which is not a declared fact",
                n->name ? n->name : "?");
            const char *near = n->name ? check_suggest_fact(p, n->name, strlen(n->name)) : NULL;
            if (near)
                diag_hint(c->d, "Did you mean %s?", near);
        }
        p->id_fact = slot;
    }
    for (int k = 0; k < c->nshows; k++)
        for (uint32_t i = 0; i < c->shows[k]->nkids; i++) {
            const Node *n = c->shows[k]->kids[i];
            int slot = check_find_fact(p, n->name, strlen(n->name));
            if (slot < 0) {
                err(c, n, "undeclared", "show names %s, which is not a declared fact", n->name);
                const char *near = check_suggest_fact(p, n->name, strlen(n->name));
                diag_hint(c->d,
                          near ? N_("Did you mean %s?")
                               : N_("Declare it first, e.g. fact %s: text."),
                          near ? near : n->name);
                continue;
            }
            if (p->facts[slot].shown) {
                err(c, n, "duplicate", "%s is shown twice", n->name);
                continue;
            }
            p->facts[slot].shown = true;
            int *sh = arena_alloc(c->a, (size_t)(p->nshow + 1) * sizeof *sh);
            if (p->nshow)
                memcpy(sh, p->show, (size_t)p->nshow * sizeof *sh);
            sh[p->nshow++] = slot;
            p->show = sh;
        }
    if (c->round_decl) {
        Dec d;
        bool pct;
        const Node *v = c->round_decl->a;
        if (!num_of(v, &d, &pct) || pct || !dec_is_integer(d) || dec_is_neg(d) ||
            dec_cmp(d, dec_from_int(DEC_SCALE)) > 0)
            err(c, v, "round", "round takes a whole number of digits from 0 to 18");
        else
            p->round = (int)(d.v / (dec_from_int(1).v));
    }
    if (c->max_decl) {
        Dec d;
        bool pct;
        const Node *v = c->max_decl->a;
        if (!num_of(v, &d, &pct) || pct)
            err(c, v, "max", "the rubric's full score must be a number of points");
        p->declared_max = true;
        ((Node *)p->root)->max = (Node *)v;
    }
    Dec sum = dec_zero();
    for (int r = 0; r < p->nraters; r++) {
        const Node *n = p->raters[r];
        for (int q = 0; q < r; q++)
            if (strcmp(p->raters[q]->name, n->name) == 0) {
                Node at = name_span(n);
                err(c, &at, "duplicate", "rater %s is declared twice", n->name);
            }
        dec_add(sum, percent_weight(c, n->weight, n->name, NULL), &sum);
    }
    if (p->nraters && dec_cmp(sum, dec_from_int(1)) != 0)
        err(c, p->raters[0], "weights", "the raters' weights add up to %s, not 100%%",
            value_percent_text(c->a, sum));
    for (int q = 0; q < p->nquotas; q++) {
        const Node *n = p->quotas[q];
        Dec d;
        bool pct;
        if (!num_of(n->a, &d, &pct) || !pct)
            err(c, n->a, "weight-percent", "a quota is a share written as a percent, e.g. 20%%");
        else if (dec_is_neg(d) || dec_cmp(d, dec_from_int(1)) > 0)
            err(c, n->a, "quota", "a quota's share must be between 0%% and 100%%");
        if (!p->has_grade) {
            err(c, n, "quota", "a quota needs a grade block");
            continue;
        }
        bool found = false;
        for (int g = 0; g < p->ngrade; g++) {
            const Node *res = p->grade[g]->b;
            found |= res->kind == AST_STR && n->name && strcmp(res->str, n->name) == 0;
        }
        if (!found) {
            Node at = name_span(n);
            warn(c, &at, "quota", "no grade rule gives \"%s\", so this quota never counts anyone",
                 n->name ? n->name : "");
        }
    }
}

Program *check_program(Arena *a, const Source *src, const Node *root, Diags *d)
{
    Ck c;
    memset(&c, 0, sizeof c);
    c.a = a;
    c.src = src;
    c.d = d;
    c.syntax_errors = d->errors;
    Program *p = arena_zalloc(a, sizeof *p);
    c.p = p;
    p->src = src;
    p->root = root;
    p->syms = &c.syms; /* while checking; the program keeps a copy (below) */
    p->id_fact = -1;
    p->round = 2;
    if (!root) {
        if (d->errors == 0)
            diag_plain(d, DIAG_ERROR, src->path,
                       "no rubric in this file (it starts with {rubric} NAME { … })");
        p->syms = arena_zalloc(a, sizeof *p->syms); /* not c.syms: it dies with this frame */
        return p;
    }
    p->rubric = new_node(&c, SN_RUBRIC, root, NULL);
    collect_body(&c, root, p->rubric);
    finish_settings(&c);
    /* grade before sections would be fine too; items are typed in finish_section */
    finish_section(&c, p->rubric);
    Scope gs = {SC_GRADE, NULL, 0, _("a grade rule")};
    type_rules(&c, p->grade, p->ngrade, &gs, true);
    if (p->has_grade && p->ngrade == 0)
        err(&c, c.grade_decl, "item-body", "the grade block has no rules");
    finish_outputs(&c);
    finish_tests(&c);
    struct SymTab *keep = arena_alloc(a, sizeof *keep);
    *keep = c.syms;
    p->syms = keep;
    return p;
}
