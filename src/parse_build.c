/* parse_build.c - the AST constructors of the grammar's actions (see
 * parse_build.h): the mk_* functions are what the grammar's actions call, one
 * per action; they also keep every expression's nesting depth. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "lexer.h"
#include "parse_build.h"
#include "parse_lex.h"
#include "i18n.h"
#include "utf8.h"

/* ---- constructors for the grammar's actions ---- */

Node *parse_node(ParseCtx *c, AstKind k, uint32_t start, uint32_t end)
{
    return ast_new(c->arena, c->nids++, k, start, end);
}

static uint32_t depth_of(const Node *n)
{
    return n ? n->depth : 0;
}

/* Give n the depth of its deepest operand plus one, refusing trees deeper than the limit. */
static Node *deepen(ParseCtx *c, Node *n, const Node *x, const Node *y)
{
    uint32_t d = depth_of(x) > depth_of(y) ? depth_of(x) : depth_of(y);
    n->depth = d + 1;
    if (n->depth > PARSE_MAX_DEPTH) {
        if (n->depth == PARSE_MAX_DEPTH + 1)
            diag_at(c->diags, c->src, DIAG_ERROR, n->start, n->end, "limit",
                    "expression nested deeper than %d levels", PARSE_MAX_DEPTH);
        Node *zero = parse_node(c, AST_NUM, n->start, n->end);
        zero->depth = PARSE_MAX_DEPTH + 2; /* report once per expression */
        return zero;
    }
    return n;
}

Node *mk_list(ParseCtx *c, Loc l, Node *first)
{
    Node *list = parse_node(c, AST_LIST, l.start, l.end);
    if (first)
        ast_push(c->arena, list, first);
    return list;
}

Node *list_add(ParseCtx *c, Node *list, Node *n)
{
    if (n) {
        ast_push(c->arena, list, n);
        list->end = n->end;
    }
    return list;
}

static void take_name(Node *n, const Node *name)
{
    if (!name)
        return;
    n->name = name->kind == AST_STR ? name->str : name->name;
    n->name_start = name->start;
    n->name_end = name->end;
}

Node *mk_rubric(ParseCtx *c, Loc l, Node *name, Node *body)
{
    Node *r = parse_node(c, AST_RUBRIC, l.start, l.end);
    take_name(r, name);
    r->kids = body->kids, r->nkids = body->nkids, r->capkids = body->capkids;
    return r;
}

Node *mk_decl(ParseCtx *c, AstKind k, Loc l, Node *name, Node *a)
{
    Node *n = parse_node(c, k, l.start, l.end);
    take_name(n, name);
    n->a = a;
    return n;
}

Node *mk_fact(ParseCtx *c, Loc l, Node *name, int ftype, Node *range, Node *dflt, Node *desc)
{
    Node *n = parse_node(c, AST_FACT, l.start, l.end);
    take_name(n, name);
    n->ftype = (FactType)ftype;
    if (range)
        n->lo = range->lo, n->hi = range->hi;
    n->a = dflt;
    n->str = desc ? desc->str : NULL;
    return n;
}

Node *mk_opts(ParseCtx *c, Loc l)
{
    return parse_node(c, AST_LIST, l.start, l.end);
}

Node *opts_add(ParseCtx *c, Node *opts, Node *opt)
{
    ast_push(c->arena, opts, opt);
    return opts;
}

Node *mk_opt(ParseCtx *c, int which, Loc l, Node *value)
{
    AstKind k = which == 'w'   ? AST_WEIGHT
                : which == 'm' ? AST_MAX
                : which == 'b' ? AST_BASE
                : which == 'f' ? AST_FLOOR
                               : AST_CAP;
    Node *n = parse_node(c, k, l.start, l.end);
    n->a = value;
    return n;
}

Node *mk_header(ParseCtx *c, AstKind k, Loc l, Node *name, Node *opts)
{
    Node *n = parse_node(c, k, l.start, l.end);
    if (k == AST_TEST && name) {
        n->name = name->str;
        n->name_start = name->start, n->name_end = name->end;
    } else {
        take_name(n, name);
    }
    for (uint32_t i = 0; opts && i < opts->nkids; i++) {
        Node *o = opts->kids[i];
        Node **slot = o->kind == AST_WEIGHT  ? &n->weight
                      : o->kind == AST_MAX   ? &n->max
                      : o->kind == AST_BASE  ? &n->base
                      : o->kind == AST_FLOOR ? &n->floor
                      : o->kind == AST_CAP   ? &n->cap
                                             : NULL;
        const char *what = o->kind == AST_WEIGHT  ? "weight"
                           : o->kind == AST_MAX   ? "max"
                           : o->kind == AST_BASE  ? "base"
                           : o->kind == AST_FLOOR ? "floor"
                           : o->kind == AST_CAP   ? "cap"
                                                  : "description";
        if ((slot && *slot) || (!slot && n->str)) {
            diag_at(c->diags, c->src, DIAG_ERROR, o->start, o->end, "duplicate",
                    "%s given twice in this header", what);
            continue;
        }
        if (slot) {
            *slot = o->a;
            o->a->start = o->start; /* the span includes the keyword, for messages */
        } else {
            n->str = o->str;
        }
    }
    return n;
}

Node *mk_block(ParseCtx *c, Node *header, Node *body, Loc l)
{
    (void)c;
    header->kids = body->kids, header->nkids = body->nkids, header->capkids = body->capkids;
    header->end = l.end;
    return header;
}

Node *mk_rule(ParseCtx *c, Loc l, Node *cond, Node *result, Node *label)
{
    Node *n = parse_node(c, AST_RULE, l.start, l.end);
    n->a = cond, n->b = result;
    n->str = label ? label->str : NULL;
    return n;
}

Node *mk_veto(ParseCtx *c, Loc l, Node *cond, Node *reason)
{
    Node *n = parse_node(c, AST_VETO, l.start, l.end);
    n->a = cond;
    n->str = reason ? reason->str : NULL;
    return n;
}

Node *mk_rater(ParseCtx *c, Loc l, Node *name, Node *weight)
{
    Node *n = parse_node(c, AST_RATER, l.start, l.end);
    take_name(n, name);
    n->weight = weight;
    return n;
}

Node *mk_quota(ParseCtx *c, Loc l, Node *grade, AstOp op, Node *share)
{
    Node *n = parse_node(c, AST_QUOTA, l.start, l.end);
    take_name(n, grade);
    n->qop = op;
    n->a = share;
    return n;
}

Node *mk_show(ParseCtx *c, Loc l, Node *names)
{
    Node *n = parse_node(c, AST_SHOW, l.start, l.end);
    n->kids = names->kids, n->nkids = names->nkids, n->capkids = names->capkids;
    return n;
}

Node *mk_assign(ParseCtx *c, Loc l, Node *name, Node *rater, Node *value)
{
    Node *n = parse_node(c, AST_ASSIGN, l.start, l.end);
    take_name(n, name);
    n->rater = rater;
    n->a = value;
    return n;
}

Node *mk_range(ParseCtx *c, Loc l, Node *lo, Node *hi)
{
    Node *n = parse_node(c, AST_LIST, l.start, l.end);
    n->lo = lo, n->hi = hi;
    return n;
}

Node *mk_bool(ParseCtx *c, Loc l, bool v, int zh)
{
    Node *n = parse_node(c, AST_BOOL, l.start, l.end);
    n->bval = v;
    n->zh = zh;
    return n;
}

Node *mk_bare_text(ParseCtx *c, Node *name)
{
    Node *n = parse_node(c, AST_STR, name->start, name->end);
    n->str = arena_strndup(c->arena, c->src->text + name->start, name->end - name->start);
    return n;
}

Node *mk_neg_literal(ParseCtx *c, Loc l, Node *num)
{
    (void)c;
    num->num = dec_neg(num->num);
    num->start = l.start;
    return num;
}

Node *mk_logic(ParseCtx *c, AstKind k, Loc l, Node *x, Node *y)
{
    Node *n = parse_node(c, k, l.start, l.end);
    n->a = x, n->b = y;
    return deepen(c, n, x, y);
}

Node *mk_unary(ParseCtx *c, AstKind k, Loc l, Node *x)
{
    Node *n = parse_node(c, k, l.start, l.end);
    n->a = x;
    return deepen(c, n, x, NULL);
}

/* The operand of n that nests deepest (NULL when n has none). */
static const Node *deepest_kid(const Node *n)
{
    const Node *deepest = NULL;
    for (uint32_t i = 0; i < n->nkids; i++)
        if (!deepest || n->kids[i]->depth > deepest->depth)
            deepest = n->kids[i];
    return deepest;
}

Node *mk_chain(ParseCtx *c, Loc l, Node *chain, Node *first, int op, Node *next)
{
    Node *n = chain;
    /* a chain cut short by the depth limit is a stub number (see deepen):
       the error is reported, and there is no chain left to extend */
    if (n && n->kind != AST_CHAIN)
        return n;
    if (!n) {
        n = parse_node(c, AST_CHAIN, l.start, l.end);
        ast_push(c->arena, n, first);
    }
    AstOp *ops = arena_alloc(c->arena, n->nkids * sizeof *ops);
    if (n->nkids > 1)
        memcpy(ops, n->ops, (n->nkids - 1) * sizeof *ops);
    ops[n->nkids - 1] = (AstOp)op;
    n->ops = ops;
    ast_push(c->arena, n, next);
    n->end = l.end;
    return deepen(c, n, deepest_kid(n), NULL);
}

Node *mk_bin(ParseCtx *c, Loc l, AstOp op, Node *x, Node *y)
{
    Node *n = parse_node(c, AST_BIN, l.start, l.end);
    n->op = op;
    n->a = x, n->b = y;
    return deepen(c, n, x, y);
}

Node *mk_leaf(ParseCtx *c, AstKind k, Loc l)
{
    return parse_node(c, k, l.start, l.end);
}

Node *mk_call(ParseCtx *c, Loc l, Node *fn, Node *args)
{
    Node *n = parse_node(c, AST_CALL, l.start, l.end);
    take_name(n, fn);
    n->kids = args->kids, n->nkids = args->nkids, n->capkids = args->capkids;
    return deepen(c, n, deepest_kid(n), NULL);
}

Node *mk_call_kw(ParseCtx *c, Loc l, const char *fn, int zh, Node *args)
{
    Node *n = mk_call(c, l, NULL, args);
    if (n->kind == AST_CALL) {
        n->name = fn;
        n->name_start = l.start;
        n->name_end = l.start + (uint32_t)strlen(fn);
        n->zh = zh;
    }
    return n;
}

Node *mk_paren(ParseCtx *c, Loc l, Node *x)
{
    Node *n = parse_node(c, AST_PAREN, l.start, l.end);
    n->a = x;
    return deepen(c, n, x, NULL);
}
