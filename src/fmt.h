/* fmt.h - the canonical layout of rubric files (`rubric fmt`).
 *
 * Works on the token stream, not the AST: every token, comment and keyword
 * spelling is written back exactly as the author typed it, so formatting can
 * only change white space and never meaning. */
#ifndef RUBRIC_FMT_H
#define RUBRIC_FMT_H
#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "source.h"

/* Write src in canonical layout to out. Returns 0, or -1 when the file has
 * lexical or syntax errors (reported to d; then nothing is written). */
int fmt_write(Arena *a, const Source *src, Diags *d, FILE *out);

#endif
