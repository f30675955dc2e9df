/* check.c - names, types, structure and full scores (see check.h).
 *
 * The pass runs in a fixed order: collect declarations and register names;
 * build the score tree (sections, groups, items) in report order; resolve and
 * type every expression in the scope its place allows; then aggregate modes,
 * weights and full scores bottom-up. Problems are reported and the pass goes
 * on, so one run shows every mistake; a node whose type is unknown after an
 * error stays quiet so one mistake gives one message. */
#include "check_impl.h"

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

Sym *sym_find(const struct SymTab *t, const char *name, size_t len)
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

void check_err(Ck *c, const Node *at, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(c->d, c->src, DIAG_ERROR, at->start, at->end, code, fmt, ap);
    va_end(ap);
}

void check_warn(Ck *c, const Node *at, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_vat(c->d, c->src, DIAG_WARNING, at->start, at->end, code, fmt, ap);
    va_end(ap);
}

/* Point at a declaration's name rather than its whole block. */
Node name_span(const Node *decl)
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

const char *kind_word(ScoreKind k)
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
const char *suggest(const struct SymTab *t, const char *name, unsigned mask)
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
    /* a header or key that is a fact once its invisible characters are gone
       (a zero-width space or a BOM pasted from a web page or Word) names that
       fact, however short the name and however many there are */
    size_t k = utf8_strip_invisible(name, len, buf);
    int slot = k < len ? check_find_fact(p, buf, k) : -1;
    if (slot >= 0)
        return p->facts[slot].name;
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
        /* a form's indicator and the datum it is scored from often have one name
           (指标 回款率, 数据 回款率) */
        if ((old->kind == SYM_FACT) != (kind == SYM_FACT))
            diag_hint(c->d,
                      "Facts share one namespace with items, groups, sections and outputs; "
                      "keep %s for the fact and call the other one %s得分, for example.",
                      name, name);
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
bool num_of(const Node *n, Dec *out, bool *pct)
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
        if (lit->kind == AST_STR && strlen(lit->str) == lit->end - lit->start &&
            !memcmp(lit->str, src->text + lit->start, lit->end - lit->start)) {
            /* a bare word: yes, no, True, NO… read as a fact file reads them, since
               a test's values and a default are valid like a fact file's */
            const char *warning;
            if (!facts_value(spec, lit->str, strlen(lit->str), false, a, out, &warning) &&
                out->kind == VAL_BOOL)
                break;
        }
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
        if (f->spec.has_lo && f->spec.has_hi && dec_cmp(f->spec.lo, f->spec.hi) > 0) {
            err(c, n->lo, "range", "the range of %s is empty: its low end is above its high end",
                n->name);
            /* the later passes read the range as written the right way round: an
               inverted interval would pass for one without 0 and be divided by 0 */
            Dec lo = f->spec.lo;
            f->spec.lo = f->spec.hi, f->spec.hi = lo;
        }
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
    s->opt_max = decl->max;
    s->opt_base = decl->base;
    s->opt_floor = decl->floor;
    s->opt_cap = decl->cap;
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

/* Append x to an array that only push_node grows: its capacity is the
 * smallest power of two (at least 4) that holds *n, so a list of n rules
 * costs O(n) copies and arena bytes, not O(n^2). */
static void push_node(Ck *c, const Node ***arr, int *n, const Node *x)
{
    if (*n == 0 || (*n >= 4 && (*n & (*n - 1)) == 0)) {
        size_t cap = *n ? 2 * (size_t)*n : 4;
        const Node **k = arena_alloc(c->a, cap * sizeof *k);
        if (*n)
            memcpy(k, *arr, (size_t)*n * sizeof *k);
        *arr = k;
    }
    (*arr)[(*n)++] = x;
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
static bool root_opt(Ck *c, const Node **slot, const Node *stmt)
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
        const Node *s = n->kids[i];
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
            if (s->kind == AST_BASE    ? root_opt(c, &owner->opt_base, s)
                : s->kind == AST_FLOOR ? root_opt(c, &owner->opt_floor, s)
                                       : root_opt(c, &owner->opt_cap, s))
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
                    const Node *r = s->kids[j];
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

/* ---- the rest: grade, outputs, tests, raters, quotas, settings ---- */

static void finish_outputs(Ck *c)
{
    Program *p = c->p;
    for (int k = 0; k < p->noutputs; k++) {
        OutputInfo *o = &p->outputs[k];
        Scope sc = {SC_OUTPUT, NULL, k, arena_printf(c->a, _("output %s"), o->name)};
        /* every result is typed and unified: an output has as many as it has rules */
        const Node **results = arena_alloc(c->a, ((size_t)o->nrules + 1) * sizeof *results);
        int n = 0;
        if (o->score) {
            type_expr(c, o->score, &sc);
            results[n++] = o->score;
        }
        for (int i = 0; i < o->nrules; i++) {
            const Node *r = o->rules[i];
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
            Type t = ty_of(c, results[i]);
            any_unknown |= t == TY_UNKNOWN;
            any_num |= numeric(t);
            any_text |= t == TY_TEXT;
            any_bool |= t == TY_BOOL;
        }
        if (any_unknown)
            continue;
        if (any_num + any_text + any_bool > 1) {
            /* point at the first result that differs from the first one */
            const Node *odd = results[0];
            Type t0 = ty_of(c, results[0]);
            for (int i = 1; i < n; i++) {
                Type t = ty_of(c, results[i]);
                if (numeric(t) != numeric(t0) || (!numeric(t) && t != t0)) {
                    odd = results[i];
                    break;
                }
            }
            err(c, odd, "type",
                "output %s gives %s here but %s on line %d; its results must be of one kind",
                o->name, type_word(ty_of(c, odd)), type_word(t0),
                source_line(c->src, results[0]->start));
            continue;
        }
        o->ty = any_num ? unify(c, results, n, false) : ty_of(c, results[0]);
    }
}

static void finish_tests(Ck *c)
{
    Program *p = c->p;
    for (int t = 0; t < p->ntests; t++) {
        const Node *test = p->tests[t];
        Scope sc = {SC_EXPECT, NULL, p->noutputs, _("expect")};
        for (uint32_t i = 0; i < test->nkids; i++) {
            const Node *s = test->kids[i];
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
        p->rubric->opt_max = v;
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
    p->ninfo = root->nids;
    p->info = arena_zalloc(a, ((size_t)p->ninfo + 1) * sizeof *p->info);
    for (uint32_t i = 0; i < p->ninfo; i++)
        p->info[i].slot = -1;
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
