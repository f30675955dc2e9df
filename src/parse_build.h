/* parse_build.h - the AST constructors the grammar's actions call (parse.c). */
#ifndef RUBRIC_PARSE_BUILD_H
#define RUBRIC_PARSE_BUILD_H
#include "ast.h"
#include "parse.h"
#include "parser.h"

/* A new node of kind k over start..end, numbered in the order the parse makes them. */
Node *parse_node(ParseCtx *c, AstKind k, uint32_t start, uint32_t end);
Node *mk_rubric(ParseCtx *c, Loc l, Node *name, Node *body);
Node *mk_list(ParseCtx *c, Loc l, Node *first);
Node *list_add(ParseCtx *c, Node *list, Node *n);
Node *mk_decl(ParseCtx *c, AstKind k, Loc l, Node *name, Node *a);
Node *mk_fact(ParseCtx *c, Loc l, Node *name, int ftype, Node *range, Node *dflt, Node *desc);
Node *mk_header(ParseCtx *c, AstKind k, Loc l, Node *name, Node *opts);
Node *mk_block(ParseCtx *c, Node *header, Node *body, Loc l);
Node *mk_rule(ParseCtx *c, Loc l, Node *cond, Node *result, Node *label);
Node *mk_veto(ParseCtx *c, Loc l, Node *cond, Node *reason);
Node *mk_rater(ParseCtx *c, Loc l, Node *name, Node *weight);
Node *mk_quota(ParseCtx *c, Loc l, Node *grade, AstOp op, Node *share);
Node *mk_show(ParseCtx *c, Loc l, Node *names);
Node *mk_assign(ParseCtx *c, Loc l, Node *name, Node *rater, Node *value);
Node *mk_opts(ParseCtx *c, Loc l);
Node *opts_add(ParseCtx *c, Node *opts, Node *opt);
Node *mk_opt(ParseCtx *c, int which, Loc l, Node *value);
Node *mk_range(ParseCtx *c, Loc l, Node *lo, Node *hi);
Node *mk_bool(ParseCtx *c, Loc l, bool v, int zh);
Node *mk_bare_text(ParseCtx *c, Node *name);
Node *mk_neg_literal(ParseCtx *c, Loc l, Node *num);
Node *mk_logic(ParseCtx *c, AstKind k, Loc l, Node *x, Node *y);
Node *mk_unary(ParseCtx *c, AstKind k, Loc l, Node *x);
Node *mk_chain(ParseCtx *c, Loc l, Node *chain, Node *first, int op, Node *next);
Node *mk_bin(ParseCtx *c, Loc l, AstOp op, Node *x, Node *y);
Node *mk_leaf(ParseCtx *c, AstKind k, Loc l);
Node *mk_call(ParseCtx *c, Loc l, Node *fn, Node *args);
Node *mk_call_kw(ParseCtx *c, Loc l, const char *fn, int zh, Node *args);
Node *mk_paren(ParseCtx *c, Loc l, Node *x);
void brace_on_next_line(ParseCtx *c, Loc brace);
void parse_report_syntax(ParseCtx *c, Loc l, bool at_eof, const char **expected, int n);

#endif
