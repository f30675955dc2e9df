/* parallel.c - scoring a large CSV file or folder on several threads; see parallel.h.
 *
 * The calling thread is the reader and the writer: it cuts chunks off the
 * file (or runs of files off the folder) into a ring of jobs (at most
 * RING_PER_WORKER per worker, plus two, in flight, so memory does not grow
 * with the file), and writes the oldest job once it is done. Workers take the
 * jobs in ring order; each sets up its own evaluator, arena and counts in its
 * own thread, so that no two threads write to one cache line row by row. A
 * job's output is what one thread would have written for its employees: the
 * rows through the worker's memory Out (out_open_mem: no header line, which
 * the caller's Out wrote) straight into the buffer of its ring slot, the
 * error lines and warnings through a memory stream of the slot.
 *
 * The header's warnings (unknown columns) are printed by the evaluator at the
 * first row it can read, once per header. Here the workers' evaluators map
 * the header before the first chunk (the warnings kept aside, once); each job
 * records where its first readable row is in its standard error, and the
 * writer puts the warnings there in the first job that has one, unless the
 * caller's evaluator printed them already. Mapping it up front also makes
 * the allocations of a run the same whichever worker takes which chunk (the
 * fault-injection tests walk them). */
/* a file table per worker (worker_main), but not under ThreadSanitizer,
   which takes a descriptor number for one file process-wide: two workers'
   tables give out the same numbers, and it reports the reads of two files as
   a race */
#if defined(__linux__) && !defined(__SANITIZE_THREAD__) /* gcc's -fsanitize=thread */
#define PAR_UNSHARE 1
#endif
#if defined(__has_feature) /* clang's */
#if __has_feature(thread_sanitizer)
#undef PAR_UNSHARE
#endif
#endif
#if defined(__linux__)
#define _GNU_SOURCE /* unshare */
#endif
#include "parallel.h"

#include <pthread.h>
#ifdef PAR_UNSHARE
#include <sched.h>
#endif
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "batch.h"
#include "i18n.h"

enum {
    CHUNK_BYTES = 256 << 10, /* text of a chunk: 1 MiB of CSV is 4 chunks */
    MIN_FILE = 2 << 20,      /* smaller CSV files are scored by one thread */
    RING_PER_WORKER = 2,     /* chunks in flight per worker, plus two */
    CHUNK_FILES = 256,       /* fact files of a folder in a chunk */
    MIN_FILES = 1024         /* smaller folders are read by one thread */
};

int par_parse_jobs(const char *s, int *n)
{
    if (!s || !*s)
        return -1;
    long v = 0;
    for (const char *c = s; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        if (v <= PAR_MAX_THREADS)
            v = v * 10 + (*c - '0');
    }
    if (v < 1)
        return -1;
    if (v > PAR_MAX_THREADS)
        return -2;
    *n = (int)v;
    return 0;
}

int par_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > PAR_MAX_THREADS ? PAR_MAX_THREADS : (int)n;
}

typedef struct {
    FactReader *reader; /* the chunk's rows; closed by the worker */
    FILE *ef;           /* error stream of this ring slot, emptied for each job: its
                           buffer is reused, not grown again */
    char *out;          /* standard output of the chunk, written there by the worker's
                           memory Out; the slot's buffer, reused job after job */
    size_t out_len;
    size_t out_cap; /* the size of out */
    char *err;      /* its standard error */
    size_t err_len;
    size_t warn_at; /* where in err one thread would print the header's warnings */
    bool mapped;    /* a row of the chunk could be read (one thread maps the header there) */
    bool failed;    /* an employee could not be scored */
    long scored, nrecords;
    long *quota; /* per quota */
    bool done;
} Job;

/* A worker's own state, allocated by its own thread (worker_main): what it
 * writes row by row (the arena's bump pointer, the evaluator's registers and
 * scratch arrays, the counts) then comes from that thread's malloc arena
 * (glibc gives each thread one of its own), never from a cache line it
 * shares with the other workers' or the reader's memory. Allocated by the
 * calling thread next to each other, two workers' structures shared cache
 * lines that both wrote for every row: -j 2 spent 40% more CPU than -j 1
 * (docs/performance.md). */
typedef struct {
    Par *par;
    Eval *e;
    Diags d;
    Out *o; /* a memory Out, given each job's buffer (its caches kept from job to job) */
    Arena emp;
    OutRaterRow *raters;
    long *quota; /* per quota, the job at hand's counts */
} Worker;

struct Par {
    const Program *p;
    const OutLayout *lay;
    OutFormat fmt;
    Out *o;
    FILE *out;
    Diags *d;
    size_t chunk;
    long long min_bytes;
    size_t chunk_files, min_files;
    int nworkers; /* started: 0 until a file is split */
    int jobs;
    pthread_t *threads;
    Worker **w; /* filled in by the workers as they start */
    int nready; /* workers that have set themselves up */
    Job *ring;
    size_t nring;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    size_t filled, taken; /* jobs filled by the reader, taken by workers (ring order) */
    bool quit;
};

static void no_memory(void)
{
    fputs("rubric: error: out of memory\n", stderr);
    exit(2);
}

static FILE *mem_stream(char **buf, size_t *len)
{
    FILE *f = open_memstream(buf, len);
    if (!f)
        no_memory();
    return f;
}

Par *par_new(const Program *p, const OutLayout *lay, OutFormat fmt, int jobs, Out *o, FILE *out,
             Diags *d)
{
    Par *par = xmalloc(sizeof *par);
    *par = (Par){.p = p, .lay = lay, .fmt = fmt, .o = o, .out = out, .d = d, .jobs = jobs};
    par->chunk = CHUNK_BYTES;
    par->min_bytes = MIN_FILE;
    par->chunk_files = CHUNK_FILES;
    par->min_files = MIN_FILES;
#ifdef RUBRIC_TESTING
    /* for tests: small chunks, so that a small file or folder is cut into many */
    const char *cb = getenv("RUBRIC_CHUNK_BYTES");
    if (cb && atol(cb) > 0) {
        par->chunk = (size_t)atol(cb);
        par->min_bytes = 0;
    }
    const char *cf = getenv("RUBRIC_CHUNK_FILES");
    if (cf && atol(cf) > 0) {
        par->chunk_files = (size_t)atol(cf);
        par->min_files = 1;
    }
#endif
    return par;
}

/* Score every row of job j, as main.c's eval loop does. */
static void run_job(Worker *w, Job *j)
{
    const Program *p = w->par->p;
    FILE *ef = j->ef;
    rewind(ef);
    w->d.out = ef;
    Out *o = w->o;
    out_mem_give(o, j->out, j->out_cap);
    /* the counts stay in locals and w->quota, written to the job at its
       end: the ring's jobs sit side by side, one worker's next to another's */
    size_t nq = (size_t)p->nquotas;
    memset(w->quota, 0, (nq + 1) * sizeof *w->quota);
    long nrecords = 0, scored = 0;
    bool failed = false, mapped = false;
    size_t warn_at = 0;
    FactReader *r = j->reader;
    FactRecord rec;
    while (facts_next(r, &w->emp, &rec)) {
        Result res;
        nrecords++;
        if (!mapped && rec.is_csv && !rec.error) { /* where eval_record would map it */
            fflush(ef);
            warn_at = j->err_len;
            mapped = true;
        }
        if (!eval_record(w->e, &rec, &w->emp, &res)) {
            failed = true;
            batch_error(ef, &rec, &res);
        } else {
            scored++;
            for (size_t q = 0; q < nq; q++)
                if (res.grade && p->quotas[q]->name && strcmp(res.grade, p->quotas[q]->name) == 0)
                    w->quota[q]++;
        }
        OutRow row;
        batch_row(p, &res, &rec, &row, w->raters);
        out_row(o, &row);
        arena_reset(&w->emp);
    }
    j->out_len = out_mem_take(o, &j->out, &j->out_cap);
    if (fflush(ef) != 0) /* a memory stream fails only without memory */
        no_memory();
    w->d.out = NULL;
    facts_close(r);
    j->reader = NULL;
    j->nrecords = nrecords, j->scored = scored;
    j->failed = failed, j->mapped = mapped, j->warn_at = warn_at;
    memcpy(j->quota, w->quota, nq * sizeof *j->quota);
}

/* A worker's state, allocated by the thread that uses it (see Worker). */
static Worker *worker_new(Par *par)
{
    Worker *w = xmalloc(sizeof *w);
    w->par = par;
    w->d = *par->d; /* the keyword spelling; out is set per job */
    w->d.out = NULL;
    w->e = eval_new(par->p, &w->d);
    eval_use_fast_path(w->e, true);
    w->o = out_open_mem(par->fmt, par->lay);
    arena_init(&w->emp);
    arena_alloc(&w->emp, 1); /* its block now, whether or not it gets a job */
    arena_reset(&w->emp);
    w->raters = xmalloc(((size_t)par->p->nraters + 1) * sizeof *w->raters);
    w->quota = xmalloc(((size_t)par->p->nquotas + 1) * sizeof *w->quota);
    return w;
}

static void *worker_main(void *arg)
{
    Par *par = arg;
#ifdef PAR_UNSHARE
    /* A file table of its own (a copy of the process's): the fact files a
       worker opens and closes then take no lock, and no reference count,
       that the other workers' opens also take (the kernel's fast path for
       a table with one user). A folder on two threads spent 13% more CPU
       than on one with the table shared, 4% with a table each. Workers
       never use a descriptor the calling thread opens later; a failure
       only costs the speed. */
    (void)unshare(CLONE_FILES);
#endif
    Worker *w = worker_new(par);
    pthread_mutex_lock(&par->mu);
    par->w[par->nready++] = w;
    pthread_cond_broadcast(&par->done);
    for (;;) {
        while (par->taken == par->filled && !par->quit)
            pthread_cond_wait(&par->work, &par->mu);
        if (par->taken == par->filled)
            break; /* quit, and nothing left */
        Job *j = &par->ring[par->taken++ % par->nring];
        pthread_mutex_unlock(&par->mu);
        run_job(w, j);
        pthread_mutex_lock(&par->mu);
        j->done = true;
        pthread_cond_broadcast(&par->done);
    }
    pthread_mutex_unlock(&par->mu);
    return NULL;
}

static void start_workers(Par *par)
{
    int n = par->jobs;
    par->nring = (size_t)n * RING_PER_WORKER + 2;
    par->ring = xmalloc(par->nring * sizeof *par->ring);
    memset(par->ring, 0, par->nring * sizeof *par->ring);
    for (size_t i = 0; i < par->nring; i++) {
        Job *j = &par->ring[i];
        j->quota = xmalloc(((size_t)par->p->nquotas + 1) * sizeof(long));
        j->ef = mem_stream(&j->err, &j->err_len);
    }
    if (pthread_mutex_init(&par->mu, NULL) || pthread_cond_init(&par->work, NULL) ||
        pthread_cond_init(&par->done, NULL))
        no_memory();
    par->w = xmalloc((size_t)n * sizeof *par->w);
    par->threads = xmalloc((size_t)n * sizeof *par->threads);
    for (int i = 0; i < n; i++) {
        int rc = pthread_create(&par->threads[i], NULL, worker_main, par);
        if (rc) {
            fprintf(stderr, _("rubric: error: cannot start a thread: %s\n"), strerror(rc));
            exit(2);
        }
        par->nworkers++;
    }
    /* par_rest_of_file maps the header into each worker's evaluator */
    pthread_mutex_lock(&par->mu);
    while (par->nready < n)
        pthread_cond_wait(&par->done, &par->mu);
    pthread_mutex_unlock(&par->mu);
}

/* Write job j to the output and standard error, with the header's warnings
 * (warn[0..nwarn)) at its first readable row when *mapped is still false
 * (then it becomes true); add its counts. */
static void write_job(Par *par, Job *j, bool *mapped, const char *warn, size_t nwarn,
                      const ParTally *t)
{
    if (j->out_len)
        fwrite(j->out, 1, j->out_len, par->out);
    if (j->mapped && !*mapped) {
        fwrite(j->err, 1, j->warn_at, stderr);
        fwrite(warn, 1, nwarn, stderr);
        fwrite(j->err + j->warn_at, 1, j->err_len - j->warn_at, stderr);
    } else if (j->err_len) {
        fwrite(j->err, 1, j->err_len, stderr);
    }
    *mapped |= j->mapped;
    if (j->failed)
        *t->status = 1;
    *t->scored += j->scored;
    *t->nrecords += j->nrecords;
    for (int q = 0; q < par->p->nquotas; q++)
        t->quota_count[q] += j->quota[q];
}

void par_rest_of_file(Par *par, FactReader *r, const FactRecord *rec, Eval *e, const ParTally *t)
{
    bool csv = facts_can_split(r, par->min_bytes);
    if (!csv && !facts_can_split_folder(r, par->min_files))
        return;
    if (!par->nworkers)
        start_workers(par);
    out_flush(par->o);                        /* the rows so far go first */
    bool mapped = rec->is_csv && !rec->error; /* e printed the header's warnings */
    bool main_mapped = mapped;
    char *warn = NULL; /* the header's warnings, as the workers' evaluators print them */
    size_t nwarn = 0;
    for (int i = 0; csv && i < par->jobs; i++) {
        Worker *w = par->w[i]; /* idle: it takes no job before the first is filled */
        char *buf = NULL;
        size_t len = 0;
        w->d.out = mem_stream(&buf, &len);
        eval_map_header(w->e, rec);
        fclose(w->d.out);
        w->d.out = NULL;
        if (i == 0)
            warn = buf, nwarn = len;
        else
            free(buf);
    }
    bool more = true;
    size_t written = par->filled;
    while (more || written < par->filled) {
        while (more && par->filled - written < par->nring) {
            FactChunk c;
            FactReader *cr = !csv ? facts_take_files(r, par->chunk_files)
                             : facts_take_chunk(r, par->chunk, &c) ? facts_chunk_reader(r, &c)
                                                                   : NULL;
            if (!cr) {
                more = false;
                break;
            }
            Job *j = &par->ring[par->filled % par->nring];
            Job keep = *j; /* the slot's streams and quota counts */
            memset(j, 0, sizeof *j);
            j->quota = keep.quota;
            j->ef = keep.ef;
            j->out = keep.out, j->err = keep.err;
            j->out_cap = keep.out_cap;
            memset(j->quota, 0, ((size_t)par->p->nquotas + 1) * sizeof *j->quota);
            j->reader = cr;
            pthread_mutex_lock(&par->mu);
            par->filled++;
            pthread_cond_signal(&par->work);
            pthread_mutex_unlock(&par->mu);
        }
        if (written == par->filled)
            break;
        Job *j = &par->ring[written % par->nring];
        pthread_mutex_lock(&par->mu);
        while (!j->done)
            pthread_cond_wait(&par->done, &par->mu);
        pthread_mutex_unlock(&par->mu);
        write_job(par, j, &mapped, warn, nwarn, t);
        written++;
    }
    free(warn);
    if (mapped && !main_mapped) {
        /* a worker printed the header's warnings: e must not print them again
           at a row that facts_next still reads */
        char *buf = NULL;
        size_t len = 0;
        FILE *keep = par->d->out;
        par->d->out = mem_stream(&buf, &len);
        eval_map_header(e, rec);
        fclose(par->d->out);
        free(buf);
        par->d->out = keep;
    }
}

void par_free(Par *par)
{
    if (!par)
        return;
    if (par->nworkers) {
        pthread_mutex_lock(&par->mu);
        par->quit = true;
        pthread_cond_broadcast(&par->work);
        pthread_mutex_unlock(&par->mu);
        for (int i = 0; i < par->nworkers; i++)
            pthread_join(par->threads[i], NULL);
        for (int i = 0; i < par->jobs; i++) {
            Worker *w = par->w[i];
            eval_free(w->e);
            out_finish(w->o);
            arena_free(&w->emp);
            free(w->raters);
            free(w->quota);
            free(w);
        }
        for (size_t i = 0; i < par->nring; i++) {
            Job *j = &par->ring[i];
            free(j->quota);
            fclose(j->ef);
            free(j->out);
            free(j->err);
        }
        free(par->ring);
        free(par->w);
        free(par->threads);
        pthread_mutex_destroy(&par->mu);
        pthread_cond_destroy(&par->work);
        pthread_cond_destroy(&par->done);
    }
    free(par);
}
