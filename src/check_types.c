/* check_types.c - resolving names and typing expressions (see check_impl.h).
 *
 * Every expression is typed in the scope its place allows (an item reads
 * facts, a section its children, grade and outputs the reported scores);
 * percent literals are coerced where a comparison or an operation needs it. */
#include "check_impl.h"

/* ---- expressions: names and types ---- */

const char *type_word(Type t)
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

bool numeric(Type t)
{
    return t == TY_NUMBER || t == TY_PERCENT;
}

/* Read the plain number literal x as a percent: 90 becomes 90%. The tree
 * keeps 90; what the program reads (check_num) is the fraction 0.9. */
static void coerce_percent(Ck *c, const Node *x, bool comparison)
{
    const Node *n = x;
    while (n->kind == AST_PAREN || n->kind == AST_NEG) {
        note(c, n)->ty = TY_PERCENT;
        n = n->a;
    }
    if (n->kind != AST_NUM)
        return;
    NodeInfo *in = note(c, n);
    in->ty = TY_PERCENT;
    in->whole = false; /* it now stands for a fraction */
    note(c, x)->ty = TY_PERCENT;
    if (in->as_pct)
        return; /* read as a percent already */
    in->as_pct = true;
    in->pct_num = n->num;
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
    if (dec_shift_down(n->num, 2, &in->pct_num) != DEC_OK)
        err(c, n, "percent", "too many digits after the point to read this number as a percent");
}

/* Bring number and percent operands to one type: literals next to a percent
 * become percents; any other number next to a percent is an error. */
Type unify(Ck *c, const Node *const *xs, int n, bool comparison)
{
    bool any_pct = false;
    for (int i = 0; i < n; i++) {
        Type t = ty_of(c, xs[i]);
        if (t == TY_UNKNOWN)
            return TY_UNKNOWN;
        if (!numeric(t)) {
            err(c, xs[i], "type", "expected a number here, got %s", type_word(t));
            return TY_UNKNOWN;
        }
        any_pct |= t == TY_PERCENT;
    }
    if (!any_pct)
        return TY_NUMBER;
    for (int i = 0; i < n; i++) {
        if (ty_of(c, xs[i]) != TY_NUMBER)
            continue;
        if (note(c, xs[i])->lit) {
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

void need_bool(Ck *c, const Node *e, Scope *sc, const char *what)
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

static Type type_name(Ck *c, const Node *e, Scope *sc)
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
        else if (sc->kind == SC_GRADE || sc->kind == SC_OUTPUT || sc->kind == SC_EXPECT)
            /* where text is at home (a grade's result, grade == "优秀"), a bare
               word is most likely text that lost its quotes */
            diag_hint(c->d,
                      "If %s is text (a grade), put it in quotes: \"%s\"; if it is a fact, "
                      "declare it first.",
                      e->name, e->name);
        else
            diag_hint(c->d, "Declare it first, e.g. {fact} %s: {number} 0..100.", e->name);
        return TY_UNKNOWN;
    }
    Program *p = c->p;
    switch (s->kind) {
    case SYM_FACT:
        note(c, e)->ref = REF_FACT;
        note(c, e)->slot = s->index;
        p->facts[s->index].read = true;
        if (sc->kind == SC_GRADE || sc->kind == SC_OUTPUT)
            p->facts[s->index].read_shared = true;
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
        note(c, e)->ref = REF_NODE;
        note(c, e)->slot = s->index;
        return TY_NUMBER;
    }
    case SYM_OUTPUT:
        if (!((sc->kind == SC_OUTPUT && s->index < sc->nout) || sc->kind == SC_EXPECT)) {
            err(c, e, "scope", "%s cannot read output %s", sc->what, e->name);
            diag_hint(c->d, "Outputs are read by later outputs and by {expect} only.");
            return TY_UNKNOWN;
        }
        note(c, e)->ref = REF_OUTPUT;
        note(c, e)->slot = s->index;
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

static Type type_call(Ck *c, const Node *e, Scope *sc)
{
    /* the arguments as const nodes, for unify */
    const Node **args = arena_alloc(c->a, ((size_t)e->nkids + 1) * sizeof *args);
    for (uint32_t i = 0; i < e->nkids; i++)
        args[i] = e->kids[i];
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
    FnKind fn = functions[f].fn;
    note(c, e)->fn = fn;
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
        if (ty_of(c, args[i]) == TY_UNKNOWN)
            return TY_UNKNOWN;
    switch (fn) {
    case FN_MIN:
    case FN_MAX:
    case FN_SUM:
    case FN_AVG:
    case FN_CLAMP:
        return unify(c, args, n, false);
    case FN_ABS:
        return unify(c, args, 1, false);
    case FN_ROUND: {
        Type t = unify(c, args, 1, false);
        if (ty_of(c, args[1]) != TY_NUMBER) {
            err(c, e->kids[1], "type", "round's second argument counts digits, so it is a number");
            return TY_UNKNOWN;
        }
        return t;
    }
    case FN_COUNT:
        for (int i = 0; i < n; i++)
            if (ty_of(c, args[i]) != TY_BOOL) {
                err(c, args[i], "type", "count counts conditions that hold; this is %s",
                    type_word(ty_of(c, args[i])));
                return TY_UNKNOWN;
            }
        return TY_NUMBER;
    case FN_IF: {
        if (ty_of(c, args[0]) != TY_BOOL) {
            err(c, args[0], "type", "the condition of if must be true or false, but this is %s",
                type_word(ty_of(c, args[0])));
            return TY_UNKNOWN;
        }
        Type a = ty_of(c, args[1]), b = ty_of(c, args[2]);
        if (numeric(a) && numeric(b))
            return unify(c, args + 1, 2, false);
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

static Type type_chain(Ck *c, const Node *e)
{
    for (uint32_t i = 0; i + 1 < e->nkids; i++) {
        const Node *x = e->kids[i], *y = e->kids[i + 1];
        AstOp op = e->ops[i];
        Type tx = ty_of(c, x), ty = ty_of(c, y);
        if (tx == TY_UNKNOWN || ty == TY_UNKNOWN)
            return TY_UNKNOWN;
        if (numeric(tx) && numeric(ty)) {
            const Node *pair[2] = {x, y};
            if (unify(c, pair, 2, true) == TY_UNKNOWN)
                return TY_UNKNOWN;
            continue;
        }
        if (tx != ty) {
            err(c, e, "type", "cannot compare %s with %s", type_word(tx), type_word(ty));
            const Node *txt = tx == TY_TEXT ? x : y;
            if (strip_paren(txt)->kind == AST_GRADEREF)
                diag_hint(c->d, "A grade is text: compare it with a grade in quotes, e.g. {grade} "
                                "== \"优秀\".");
            else if (strip_paren(txt)->kind == AST_NAME && (numeric(tx) || numeric(ty)))
                diag_hint(c->d,
                          "A fact declared {text} never equals a number; declare it {number}.");
            return TY_UNKNOWN;
        }
        if (op != OP_EQ && op != OP_NE) {
            err(c, e, "type", "%s can only be compared with == or !=", type_word(tx));
            return TY_UNKNOWN;
        }
    }
    return TY_BOOL;
}

Type type_expr(Ck *c, const Node *e, Scope *sc)
{
    Type t = TY_UNKNOWN;
    NodeInfo *in = note(c, e);
    switch (e->kind) {
    case AST_NUM:
        in->lit = !e->pct;
        t = e->pct ? TY_PERCENT : TY_NUMBER;
        in->whole = !e->pct && dec_is_integer(e->num) &&
                    dec_cmp(dec_abs(e->num), dec_from_int(INT64_MAX / 2)) < 0;
        in->wk = in->whole ? (int64_t)(e->num.v / dec_from_int(1).v) : 0;
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
        in->lit = note(c, e->a)->lit;
        break;
    case AST_NEG:
        t = type_expr(c, e->a, sc);
        if (t != TY_UNKNOWN && !numeric(t)) {
            err(c, e, "type", "cannot negate %s", type_word(t));
            t = TY_UNKNOWN;
        }
        in->lit = note(c, e->a)->lit;
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
            const Node *pair[2] = {e->a, e->b};
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
    in->ty = t;
    return t;
}

/* A score must be a number or a percent (which counts its points). */
void type_score(Ck *c, const Node *e, Scope *sc)
{
    Type t = type_expr(c, e, sc);
    if (t != TY_UNKNOWN && !numeric(t))
        err(c, e, "type", "a score must be a number, but this is %s", type_word(t));
}

void type_rules(Ck *c, const Node **rules, int n, Scope *sc, bool text_results)
{
    for (int i = 0; i < n; i++) {
        const Node *r = rules[i];
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
