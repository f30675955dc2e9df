/* parse.h - glue between the flex scanner, the bison parser and the rest.
 *
 * The scanner and parser are reentrant: all their state lives in ParseCtx.
 * parse_lex sits between them and decides which line breaks end a statement
 * (none inside parentheses or after an operator, ',', '{' or '->'), tracks
 * open braces so an unclosed one is reported where it opened, and enforces
 * the nesting limits a hostile file could otherwise blow past. */
#ifndef RUBRIC_PARSE_H
#define RUBRIC_PARSE_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "source.h"

/* A byte span of the source; the parser's location type. */
typedef struct {
    uint32_t start, end;
} Loc;

#define PARSE_MAX_NESTING 64 /* parentheses or braces open at once */
#define PARSE_MAX_DEPTH 200  /* depth of one expression tree */
#define PARSE_MAX_NAME 256   /* bytes in a name */

typedef struct ParseCtx {
    Arena *arena; /* owns the AST */
    Diags *diags;
    const Source *src;
    Node *root;                         /* the RUBRIC node, once parsed */
    uint32_t nids;                      /* nodes made so far: the next node's id */
    void *scanner;                      /* flex's yyscan_t */
    uint32_t off;                       /* byte offset the scanner has reached */
    int last;                           /* last token handed to the parser (0: none yet) */
    int paren;                          /* parentheses open */
    uint32_t braces[PARSE_MAX_NESTING]; /* offsets of the open braces */
    int nbraces;
    bool stop;          /* a fatal limit was hit: the end of file is not an error */
    FILE *trace;        /* --dump-tokens: print each token here */
    bool keep_comments; /* return comments as COMMENT tokens (for fmt) */
    bool bad_utf8;      /* invalid UTF-8 was reported already */
    Loc prev;           /* span of the token before the last one */
    Loc last_loc;       /* span of the last token handed out */
    int prev_tok;       /* the token before the last one */
    uint32_t eq_at;     /* offset+1 of a '=' in the current statement, 0 if none */
    uint32_t suspect;   /* offset+1 of a '{' whose '}' is indented unlike its header */
    bool header;        /* between a section/group/item/output keyword and its '{' */
} ParseCtx;

/* Parse src into a RUBRIC node (NULL when the file has no rubric at all);
 * every syntax error is reported to d. */
Node *parse_source(Arena *a, const Source *src, Diags *d, FILE *dump_tokens);
/* One token as the scanner saw it, for tools that work on the text (fmt). */
typedef struct {
    int kind;            /* the parser's token code (parser.h), or a character like '{' */
    uint32_t start, end; /* byte span */
} Token;

/* Every token of src in order, line breaks and comments included (nothing is
 * filtered); lexical errors go to d. Returns the count; *out is in a. */
size_t parse_tokens(Arena *a, const Source *src, Diags *d, Token **out);
/* A line break right after token tok continues the expression: tok is an
 * operator, ',', '(' or '->'. */
bool parse_continues(int tok);
/* The keyword token spelled s[0..n), or 0; *zh tells the Chinese spelling. */
int parse_keyword(const char *s, size_t n, bool *zh);
/* The Chinese keyword that starts s (for "且满意度"), or NULL. */
const char *parse_glued_keyword(const char *s);
/* The Chinese spelling of the keyword spelled en in English (contextual ones
 * included), or NULL when en is no keyword. */
const char *parse_keyword_zh(const char *en);

#endif
