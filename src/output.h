/* output.h - writing scored employees as table, CSV, TSV or JSON Lines.
 *
 * The caller describes the columns once (OutLayout) and then hands one OutRow
 * per employee; CSV, TSV and JSON are written as rows arrive, through one large
 * buffer. A table needs every row to size its columns, so it is written by
 * out_finish. Numbers arrive already rounded for reporting; they print in their
 * shortest exact form (no trailing zeros, no exponent, -0 as 0). */
#ifndef RUBRIC_OUTPUT_H
#define RUBRIC_OUTPUT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "decimal.h"
#include "value.h"

typedef enum { OUT_TABLE, OUT_CSV, OUT_TSV, OUT_JSON } OutFormat;

typedef struct {
    const char *const *score_names; /* every section, group and item, file order */
    size_t nscores;
    const char *const *output_names; /* output declarations, file order */
    size_t noutputs;
    bool has_grade;                 /* the rubric has a grade block */
    const char *const *grade_texts; /* per grade rule (ngrades), its text when that is a
                                       literal (the string the compiled grade reports),
                                       else NULL; grade_texts NULL: none known */
    size_t ngrades;
    const char *const *rater_names; /* raters in declaration order (none: 0) */
    size_t nraters;
    bool has_vetoes;               /* the rubric declares a veto; JSON has "vetoes" when one held */
    const char *const *show_names; /* the shown facts (`show`), in order */
    size_t nshow;
} OutLayout;

typedef struct {
    Dec total;
    const Dec *scores;         /* layout->nscores */
    const char *const *vetoes; /* the vetoes that held in this rater's view, file order */
    size_t nvetoes;
} OutRaterRow;

typedef struct {
    const char *id;     /* UTF-8 */
    size_t id_len;      /* 0, or id's length when the caller knows it (id[id_len] is then
                           its NUL, or comes after it: the text ends at its first NUL) */
    const char *source; /* path as given, or "path:LINE" for a CSV row */
    const Value *shown; /* layout->nshow values (VAL_NONE: empty/null), error rows too */
    const char *error;  /* not NULL: the employee could not be scored */
    Dec total;          /* reported (rounded) */
    const char *grade;  /* NULL when the rubric has no grade block */
    int grade_rule;     /* the grade rule that fired (layout->grade_texts), or -1: a
                           grade that is that rule's text (its very string or the same
                           bytes) is written from a cell prepared once; any other grade,
                           whatever grade_rule says, as the text it is */
    const Dec *scores;  /* layout->nscores reported scores */
    const DecText *const *score_text; /* NULL, or nscores + 1 (the total last): the text of
                                         each (as dec_format writes it), NULL where not made */
    const Value *outputs;      /* layout->noutputs values; a percent prints in percent units */
    const char *const *vetoes; /* reasons of the vetoes that held, file order */
    size_t nvetoes;
    const OutRaterRow *raters; /* layout->nraters, or NULL */
} OutRow;

typedef struct Out Out;

/* Start writing to f in the given format. The layout must outlive the Out. */
Out *out_open(FILE *f, OutFormat fmt, const OutLayout *layout);
/* An Out that writes rows into memory (a -j worker's): CSV, TSV or JSON
 * (a table is taken as CSV), with no header line (the rows follow the header
 * of an out_open on the same layout). Its rows go into the buffer of
 * out_mem_give, grown with xrealloc as needed; out_mem_take hands it back. */
Out *out_open_mem(OutFormat fmt, const OutLayout *layout);
/* Write the rows from now on into buf (cap bytes from xmalloc; NULL: a buffer
 * is allocated when the first row comes), from its start; a buffer the Out
 * held is freed. */
void out_mem_give(Out *o, char *buf, size_t cap);
/* The rows written since out_mem_give: their buffer, now the caller's, in
 * *buf (NULL: none was written), its size in *cap; returns their length. */
size_t out_mem_take(Out *o, char **buf, size_t *cap);
/* Write (or, for a table, keep) one employee. */
void out_row(Out *o, const OutRow *row);
/* Write what is buffered to the file now (not a table, which waits for
 * out_finish), so that the caller may write to the same file after it;
 * returns 0, or -1 on a write error (a memory Out: 0, nothing done). */
int out_flush(Out *o);
/* Flush everything (a table is printed now) and free o, with a memory Out's
 * buffer; returns 0, or -1 on a write error. */
int out_finish(Out *o);

#endif
