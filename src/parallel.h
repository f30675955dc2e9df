/* parallel.h - scoring a large CSV file or fact folder on several threads
 * (`rubric eval -j N`).
 *
 * The reader cuts the rest of a CSV file into chunks of whole rows exactly
 * where it would have cut the rows itself (facts_take_chunk), and the rest of
 * a folder into runs of its fact files (facts_take_files); worker threads
 * score the chunks, each with its own Eval, arena, diagnostics and output
 * buffers; the calling thread writes each chunk's output and standard error
 * in input order. The bytes written, the counts and the exit status are those
 * of one thread: row numbers are the file's, the header's warnings are printed
 * once, where one thread prints them. Memory is bounded: a fixed chunk size
 * and a fixed number of chunks in flight.
 *
 * What is not a CSV file of 2 MiB or a folder of 1,024 fact files or more
 * (single fact files, workbooks, standard input, small files and folders)
 * stays with the caller's one thread. */
#ifndef RUBRIC_PARALLEL_H
#define RUBRIC_PARALLEL_H
#include <stdio.h>

#include "check.h"
#include "diag.h"
#include "eval.h"
#include "facts.h"
#include "output.h"

#define PAR_MAX_THREADS 256 /* -j above this is refused */

/* The number in a -j value: 0 and *n set when s is a whole number from 1 to
 * PAR_MAX_THREADS; -1 when it is not a whole number of at least 1; -2 when
 * it is above PAR_MAX_THREADS. */
int par_parse_jobs(const char *s, int *n);
/* The default -j: the processors online, from 1 to PAR_MAX_THREADS. */
int par_default_jobs(void);

typedef struct Par Par;

/* The counts the caller keeps for the whole batch; par_rest_of_file adds to them. */
typedef struct {
    int *status;       /* set to 1 when an employee could not be scored */
    long *scored;      /* employees scored */
    long *nrecords;    /* employees read */
    long *quota_count; /* per quota of the program: scored with its grade */
} ParTally;

/* Parallel scoring with jobs worker threads (2 or more) for program p,
 * writing rows like o (format fmt, layout lay) to out, where o writes, and
 * warnings to d (the caller's, which its Eval uses). No thread starts before
 * a file is worth splitting. */
Par *par_new(const Program *p, const OutLayout *lay, OutFormat fmt, int jobs, Out *o, FILE *out,
             Diags *d);
/* Call after the caller has scored and written rec, the record facts_next
 * just returned from r, with e, its evaluator. When rec is the first row of
 * a CSV file worth splitting, or a fact file of a folder with enough files
 * left, score the rest of the file or folder (or as much as can be cut into
 * chunks; facts_next reads on from there) on the workers, write it in order
 * and add to t. Otherwise do nothing. */
void par_rest_of_file(Par *par, FactReader *r, const FactRecord *rec, Eval *e, const ParTally *t);
/* Stop the workers and free par (NULL: nothing). */
void par_free(Par *par);

#endif
