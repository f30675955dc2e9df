/* source.h - a rubric file in memory, with its line table.
 *
 * Locations everywhere else are byte offsets into Source.text; line and
 * column are worked out here only when a diagnostic is printed. A leading
 * UTF-8 BOM is dropped on load, so offsets start at the first real character. */
#ifndef RUBRIC_SOURCE_H
#define RUBRIC_SOURCE_H
#include <stddef.h>
#include <stdint.h>

#include "arena.h"

#define SOURCE_MAX_BYTES (16u << 20) /* a rubric file larger than this is refused */

typedef struct {
    const char *path; /* as given on the command line */
    char *text;       /* NUL-terminated contents, BOM removed */
    size_t len;       /* bytes in text */
    uint32_t *lines;  /* byte offset where each line starts */
    size_t nlines;
} Source;

/* Read path into a; on failure return NULL and set *err to a message. */
Source *source_load(Arena *a, const char *path, const char **err);
/* Wrap text[0..len) (copied) as a source named path. */
Source *source_from_text(Arena *a, const char *path, const char *text, size_t len);
/* 1-based line of byte offset off. */
int source_line(const Source *s, size_t off);
/* 1-based column of off in characters (a CJK character counts one). */
int source_col(const Source *s, size_t off);
/* The text of line n (1-based) without its line break. */
const char *source_line_text(const Source *s, int n, size_t *len);

/* The text [start, end) as one line: comments dropped, each run of white
 * space (line breaks included) one blank, quoted text kept as it is. For
 * showing a rule or a condition as written (explain, veto reasons). */
const char *source_one_line(Arena *a, const Source *s, uint32_t start, uint32_t end);

#endif
