/* parse_lex.h - helpers the scanner's actions call (parse.c). */
#ifndef RUBRIC_PARSE_LEX_H
#define RUBRIC_PARSE_LEX_H
#include <stddef.h>

#include "parse.h"
#include "parser.h"

/* Report a lexical error at l, with an optional hint. */
void lex_error(ParseCtx *c, Loc l, const char *msg, const char *hint);
/* A NUM node for the number text t[0..n) (full-width digits allowed). */
Node *lex_number(ParseCtx *c, const char *t, size_t n, Loc l);
/* A STR node for the quoted text s[0..n). */
Node *lex_string(ParseCtx *c, Loc l, const char *s, size_t n);
/* A NAME node for a backquoted name. */
Node *lex_quoted_name(ParseCtx *c, Loc l, const char *s, size_t n);
/* Bytes of the longest name at the start of t[0..n) (0: none). */
int lex_name_length(const char *t, size_t n);
/* Deal with one character that starts no token (a space, Chinese
 * punctuation, a symbol); returns its length in bytes. */
int lex_other_char(ParseCtx *c, const char *t, size_t n, Loc l);
/* `.5`: a number must start with a digit. */
void lex_leading_dot(ParseCtx *c, Loc l, const char *t, size_t n);
/* A '%' that does not touch a number. */
void lex_lone_percent(ParseCtx *c, Loc l);
/* Bytes that are not UTF-8 (reported once per file). */
void lex_bad_utf8(ParseCtx *c, Loc l);
/* An ASCII character with no meaning here (&, |, !, $, ?, [, ] ...). */
void lex_ascii_char(ParseCtx *c, char ch, Loc l);
/* A keyword token, or NAME with its node in lval. */
int lex_word(ParseCtx *c, YYSTYPE *lval, Loc l, const char *t, size_t n);

#endif
