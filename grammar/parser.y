/* parser.y - the grammar of rubric files: syntax only.
 *
 * Each action is one AST constructor carrying its location; names, types,
 * weights and coverage are checked by later passes (src/check.c). Statements
 * of every kind may stand in every block: which belong where is the checker's
 * call, which gives better messages than a grammar could. Errors recover at
 * statement level, so one run reports every broken statement. */
%define api.pure full
%define parse.error custom
%define parse.lac full
%define api.location.type {Loc}
%locations
%param {ParseCtx *ctx}
%expect 0

%code requires {
#include "parse.h"
#define YYLLOC_DEFAULT(Cur, Rhs, N)                          \
    do {                                                     \
        if (N) {                                             \
            (Cur).start = YYRHSLOC(Rhs, 1).start;            \
            (Cur).end = YYRHSLOC(Rhs, N).end;                \
        } else {                                             \
            (Cur).start = (Cur).end = YYRHSLOC(Rhs, 0).end;  \
        }                                                    \
    } while (0)
}

%code {
#include "parse.h"
#include "parse_build.h"
#define yylex parse_lex
int parse_lex(YYSTYPE *lval, YYLTYPE *lloc, ParseCtx *ctx);
static void yyerror(YYLTYPE *loc, ParseCtx *ctx, const char *msg);
#define A ctx->arena
}

%union {
    Node *node;
    int zh;
    int op;
}

%token <node> NAME "name" NUMBER "number" STRING "text in quotes"
%token NL "line break" COMMENT "comment"
%token ARROW "->" GE ">=" LE "<=" NE "!=" EQ "==" GT ">" LT "<" DOTDOT ".."
%token <zh> KW_RUBRIC "rubric" KW_SECTION "section" KW_GROUP "group" KW_ITEM "item"
%token <zh> KW_FACT "fact" KW_WEIGHT "weight" KW_MAX "max" KW_SCORE "score" KW_ELSE "else"
%token <zh> KW_AND "and" KW_OR "or" KW_NOT "not" KW_GRADE "grade" KW_TEST "test"
%token <zh> KW_EXPECT "expect" KW_ROUND "round" KW_ID "id" KW_TOTAL "total" KW_TRUE "true"
%token <zh> KW_FALSE "false" KW_NUMBER "number type" KW_PERCENT "percent" KW_INTEGER "integer"
%token <zh> KW_BOOL "bool" KW_TEXT "text" KW_OUTPUT "output" KW_VETO "veto" KW_RATER "rater"
%token <zh> KW_QUOTA "quota" KW_SHOW "show"
/* contextual: parse_lex turns the names base/floor/cap into these only where
   they can be options or statements (src/parse.c, contextual_keyword) */
%token <zh> KW_BASE "base" KW_FLOOR "floor" KW_CAP "cap"

%type <node> rubric block stmts open_list closed_list stmt header opts opt name literal signed_num
%type <node> range_opt default_opt desc_opt expr and_expr not_expr cmp_expr chain sum term
%type <node> unary primary args arglist quota_target names
%type <op> relop ftype

%%

file
    : seps_opt rubric tail            { ctx->root = $2; }
    | seps_opt                        { ctx->root = NULL; }
    ;

/* what may follow the rubric: separators, and junk reported but not fatal */
tail: %empty | tail sep | tail error ;

seps_opt: %empty | seps ;
seps: sep | seps sep ;
sep: NL | ';' ;

rubric
    : KW_RUBRIC name block            { $$ = mk_rubric(ctx, @$, $2, $3); }
    | KW_RUBRIC STRING block          { $$ = mk_rubric(ctx, @$, $2, $3); }
    ;

block
    : '{' stmts '}'                   { $$ = $2; $$->start = @1.start; $$->end = @3.end; }
    ;

/* A block's statements, separated by line breaks or ';'. The list is
   "open" when a statement may start and "closed" right after one; a syntax
   error is absorbed at either point, so recovery happens in the innermost
   block and keeps everything before the error. */
stmts
    : open_list
    | closed_list
    | open_list error                 { $$ = $1; }
    | closed_list error               { $$ = $1; }
    ;

open_list
    : %empty                          { $$ = mk_list(ctx, @$, NULL); }
    | open_list sep                   { $$ = $1; }
    | closed_list sep                 { $$ = $1; }
    | open_list error sep             { $$ = $1; }
    | closed_list error sep           { $$ = $1; }
    ;

closed_list
    : open_list stmt                  { $$ = list_add(ctx, $1, $2); }
    ;

stmt
    : KW_ID name                      { $$ = mk_decl(ctx, AST_ID, @$, $2, NULL); }
    | KW_ROUND signed_num             { $$ = mk_decl(ctx, AST_ROUND, @$, NULL, $2); }
    | KW_MAX signed_num               { $$ = mk_decl(ctx, AST_MAX, @$, NULL, $2); }
    | KW_BASE signed_num              { $$ = mk_decl(ctx, AST_BASE, @$, NULL, $2); }
    | KW_FLOOR signed_num             { $$ = mk_decl(ctx, AST_FLOOR, @$, NULL, $2); }
    | KW_CAP signed_num               { $$ = mk_decl(ctx, AST_CAP, @$, NULL, $2); }
    | KW_FACT name ':' ftype range_opt default_opt desc_opt
                                      { $$ = mk_fact(ctx, @$, $2, $4, $5, $6, $7); }
    | header block                    { $$ = mk_block(ctx, $1, $2, @$); }
    | header seps block               { $$ = mk_block(ctx, $1, $3, @$); brace_on_next_line(ctx, @3); }
    | KW_GRADE block                  { $$ = mk_block(ctx, mk_header(ctx, AST_GRADE, @1, NULL, NULL), $2, @$); }
    | KW_TEST STRING block            { $$ = mk_block(ctx, mk_header(ctx, AST_TEST, @1, $2, NULL), $3, @$); }
    | KW_SCORE expr                   { $$ = mk_decl(ctx, AST_SCORE, @$, NULL, $2); }
    | expr ARROW expr desc_opt        { $$ = mk_rule(ctx, @$, $1, $3, $4); }
    | KW_ELSE ARROW expr desc_opt     { $$ = mk_rule(ctx, @$, NULL, $3, $4); }
    | KW_VETO expr desc_opt           { $$ = mk_veto(ctx, @$, $2, $3); }
    | KW_RATER name KW_WEIGHT signed_num
                                      { $$ = mk_rater(ctx, @$, $2, $4); }
    | KW_QUOTA quota_target LE signed_num
                                      { $$ = mk_quota(ctx, @$, $2, OP_LE, $4); }
    | KW_QUOTA quota_target GE signed_num
                                      { $$ = mk_quota(ctx, @$, $2, OP_GE, $4); }
    | KW_EXPECT expr                  { $$ = mk_decl(ctx, AST_EXPECT, @$, NULL, $2); }
    | KW_SHOW names                   { $$ = mk_show(ctx, @$, $2); }
    | name '=' literal                { $$ = mk_assign(ctx, @$, $1, NULL, $3); }
    | name '@' name '=' literal       { $$ = mk_assign(ctx, @$, $1, $3, $5); }
    ;

header
    : KW_SECTION name opts            { $$ = mk_header(ctx, AST_SECTION, @$, $2, $3); }
    | KW_GROUP name opts              { $$ = mk_header(ctx, AST_GROUP, @$, $2, $3); }
    | KW_ITEM name opts               { $$ = mk_header(ctx, AST_ITEM, @$, $2, $3); }
    | KW_OUTPUT name opts             { $$ = mk_header(ctx, AST_OUTPUT, @$, $2, $3); }
    ;

opts
    : %empty                          { $$ = mk_opts(ctx, @$); }
    | opts opt                        { $$ = opts_add(ctx, $1, $2); }
    ;

opt
    : KW_WEIGHT signed_num            { $$ = mk_opt(ctx, 'w', @$, $2); }
    | KW_MAX signed_num               { $$ = mk_opt(ctx, 'm', @$, $2); }
    | KW_BASE signed_num              { $$ = mk_opt(ctx, 'b', @$, $2); }
    | KW_FLOOR signed_num             { $$ = mk_opt(ctx, 'f', @$, $2); }
    | KW_CAP signed_num               { $$ = mk_opt(ctx, 'c', @$, $2); }
    | STRING                          { $$ = $1; }
    ;

quota_target: STRING | name ;

names
    : name                            { $$ = mk_list(ctx, @$, $1); }
    | names ',' name                  { $$ = list_add(ctx, $1, $3); }
    ;

name: NAME ;

ftype
    : KW_NUMBER                       { $$ = FT_NUMBER; }
    | KW_INTEGER                      { $$ = FT_INTEGER; }
    | KW_PERCENT                      { $$ = FT_PERCENT; }
    | KW_BOOL                         { $$ = FT_BOOL; }
    | KW_TEXT                         { $$ = FT_TEXT; }
    ;

range_opt
    : %empty                          { $$ = NULL; }
    | signed_num DOTDOT signed_num    { $$ = mk_range(ctx, @$, $1, $3); }
    | GE signed_num                   { $$ = mk_range(ctx, @$, $2, NULL); }
    | LE signed_num                   { $$ = mk_range(ctx, @$, NULL, $2); }
    ;

default_opt
    : %empty                          { $$ = NULL; }
    | '=' literal                     { $$ = $2; }
    ;

desc_opt
    : %empty                          { $$ = NULL; }
    | STRING                          { $$ = $1; }
    ;

literal
    : signed_num
    | STRING
    | KW_TRUE                         { $$ = mk_bool(ctx, @$, true, $1); }
    | KW_FALSE                        { $$ = mk_bool(ctx, @$, false, $1); }
    | NAME                            { $$ = mk_bare_text(ctx, $1); }
    ;

signed_num
    : NUMBER
    | '-' NUMBER                      { $$ = mk_neg_literal(ctx, @$, $2); }
    ;

expr
    : and_expr
    | expr KW_OR and_expr             { $$ = mk_logic(ctx, AST_OR, @$, $1, $3); }
    ;

and_expr
    : not_expr
    | and_expr KW_AND not_expr        { $$ = mk_logic(ctx, AST_AND, @$, $1, $3); }
    ;

not_expr
    : cmp_expr
    | KW_NOT not_expr                 { $$ = mk_unary(ctx, AST_NOT, @$, $2); }
    ;

cmp_expr
    : sum
    | chain
    ;

chain
    : sum relop sum                   { $$ = mk_chain(ctx, @$, NULL, $1, $2, $3); }
    | chain relop sum                 { $$ = mk_chain(ctx, @$, $1, NULL, $2, $3); }
    ;

relop
    : EQ { $$ = OP_EQ; } | NE { $$ = OP_NE; } | LT { $$ = OP_LT; }
    | LE { $$ = OP_LE; } | GT { $$ = OP_GT; } | GE { $$ = OP_GE; }
    ;

sum
    : term
    | sum '+' term                    { $$ = mk_bin(ctx, @$, OP_ADD, $1, $3); }
    | sum '-' term                    { $$ = mk_bin(ctx, @$, OP_SUB, $1, $3); }
    ;

term
    : unary
    | term '*' unary                  { $$ = mk_bin(ctx, @$, OP_MUL, $1, $3); }
    | term '/' unary                  { $$ = mk_bin(ctx, @$, OP_DIV, $1, $3); }
    ;

unary
    : primary
    | '-' unary                       { $$ = mk_unary(ctx, AST_NEG, @$, $2); }
    ;

primary
    : NUMBER
    | STRING
    | KW_TRUE                         { $$ = mk_bool(ctx, @$, true, $1); }
    | KW_FALSE                        { $$ = mk_bool(ctx, @$, false, $1); }
    | name
    | KW_TOTAL                        { $$ = mk_leaf(ctx, AST_TOTAL, @$); }
    | KW_GRADE                        { $$ = mk_leaf(ctx, AST_GRADEREF, @$); }
    | name '(' args ')'               { $$ = mk_call(ctx, @$, $1, $3); }
    | KW_MAX '(' args ')'             { $$ = mk_call_kw(ctx, @$, "max", $1, $3); }
    | KW_ROUND '(' args ')'           { $$ = mk_call_kw(ctx, @$, "round", $1, $3); }
    | '(' expr ')'                    { $$ = mk_paren(ctx, @$, $2); }
    ;

args
    : %empty                          { $$ = mk_list(ctx, @$, NULL); }
    | arglist
    ;

arglist
    : expr                            { $$ = mk_list(ctx, @$, $1); }
    | arglist ',' expr                { $$ = list_add(ctx, $1, $3); }
    ;

%%

static void yyerror(YYLTYPE *loc, ParseCtx *ctx, const char *msg)
{
    if (ctx->stop)
        return;
    ctx->stop = true;
    diag_at(ctx->diags, ctx->src, DIAG_ERROR, loc->start, loc->end, "syntax",
            "%s: the rubric nests too deeply", msg);
}

static int yyreport_syntax_error(const yypcontext_t *yy, ParseCtx *ctx)
{
    yysymbol_kind_t tok = yypcontext_token(yy);
    if (tok == YYSYMBOL_YYEOF && ctx->stop)
        return 0;
    yysymbol_kind_t exp[YYNTOKENS];
    int n = yypcontext_expected_tokens(yy, exp, YYNTOKENS);
    const char *names[YYNTOKENS];
    for (int i = 0; i < n; i++)
        names[i] = yysymbol_name(exp[i]);
    parse_report_syntax(ctx, *yypcontext_location(yy), tok == YYSYMBOL_YYEOF, names, n);
    return 0;
}
