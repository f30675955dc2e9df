/* render.h - a rubric as the score sheet an HR office prints (`rubric render`). */
#ifndef RUBRIC_RENDER_H
#define RUBRIC_RENDER_H
#include <stdio.h>

#include "check.h"

typedef enum { RENDER_MD, RENDER_HTML } RenderFormat;

/* Write the score sheet of p (checked without errors) to out: Markdown, or one
 * self-contained HTML page with print CSS for A4. */
void render_program(const Program *p, RenderFormat fmt, FILE *out);

#endif
