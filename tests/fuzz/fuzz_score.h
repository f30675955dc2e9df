/* fuzz_score.h - what the scoring harnesses share: the seed rubric and team
 * (embedded at build time, see the Makefile), compiling a rubric from bytes,
 * writing to memory, and appending the empty ",," rows Excel writes below a
 * formatted range. Include after fuzz_common.h. */
#ifndef RUBRIC_FUZZ_SCORE_H
#define RUBRIC_FUZZ_SCORE_H
#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "check.h"
#include "diag.h"
#include "eval.h"
#include "facts.h"
#include "parse.h"
#include "source.h"

static const unsigned char seed_rubric[] = {
#include "seed_rubric.inc"
};
static const unsigned char seed_team[] = {
#include "seed_team.inc"
};

/* Parse and check text; the program, or NULL when it has errors. */
static inline Program *fuzz_compile(Arena *a, const char *name, const char *text, size_t len)
{
    Diags d;
    diag_init(&d, fuzz_null());
    const Source *src = source_from_text(a, name, text, len);
    Node *root = parse_source(a, src, &d, NULL);
    Program *p = check_program(a, src, root, &d);
    return d.errors == 0 && p && root ? p : NULL;
}

/* A stream writing to memory: fuzz_mem_open, write, fuzz_mem_close; the text
 * stays in *buf (free it). */
typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} FuzzMem;

static inline void fuzz_mem_open(FuzzMem *m)
{
    m->buf = NULL;
    m->len = 0;
    m->f = open_memstream(&m->buf, &m->len);
    FUZZ_ASSERT(m->f);
}

static inline void fuzz_mem_close(FuzzMem *m)
{
    FUZZ_ASSERT(fclose(m->f) == 0);
}

/* data followed by a line break (if missing) and rows empty ",," rows, in a
 * malloc'ed buffer of *len bytes. */
static inline char *fuzz_with_empty_rows(const uint8_t *data, size_t size, size_t rows, size_t *len)
{
    char *b = malloc(size + 1 + 3 * rows + 1);
    FUZZ_ASSERT(b);
    memcpy(b, data, size);
    size_t n = size;
    if (n && b[n - 1] != '\n')
        b[n++] = '\n';
    for (size_t i = 0; i < rows; i++, n += 3)
        memcpy(b + n, ",,\n", 3);
    *len = n;
    return b;
}

/* The number after the first `"KEY":` at or after *from in json, as text in
 * out (up to the next ',' or '}'); false when there is none. */
static inline bool fuzz_json_next(const char *json, size_t len, const char *key, size_t *from,
                                  char *out, size_t cap)
{
    char pat[32];
    int k = snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *end = json + len;
    for (const char *p = json + *from; p + k <= end; p++) {
        if (memcmp(p, pat, (size_t)k) != 0)
            continue;
        const char *v = p + k, *e = v;
        while (e < end && *e != ',' && *e != '}')
            e++;
        if ((size_t)(e - v) >= cap)
            return false;
        memcpy(out, v, (size_t)(e - v));
        out[e - v] = 0;
        *from = (size_t)(e - json);
        return true;
    }
    return false;
}

/* The input of the harnesses that score a CSV (explain, report): the first
 * byte's bit 0 clear, the rest is a CSV scored by the seed rubric; set, the
 * rest is a rubric scoring the seed team. Bit 1 appends 30,000 empty ",," rows
 * to the CSV (more than one read block, so the next read moves the reader's
 * buffer). run(p, path) is called when the rubric checks. */
static inline void fuzz_score_csv(const uint8_t *data, size_t size,
                                  void (*run)(const Program *p, const char *csv_path))
{
    if (size < 1 || size > (1u << 20))
        return;
    bool rubric = data[0] & 1, rows = data[0] & 2;
    const uint8_t *csv = rubric ? seed_team : data + 1;
    size_t csv_len = rubric ? sizeof seed_team : size - 1, len;
    char *text = fuzz_with_empty_rows(csv, csv_len, rows ? 30000 : 0, &len);
    const char *path = fuzz_write_file(0, "t.csv", (const uint8_t *)text, rows ? len : csv_len);
    free(text);
    Arena a;
    arena_init(&a);
    Program *p =
        rubric ? fuzz_compile(&a, "fuzz.rubric", (const char *)data + 1, size - 1)
               : fuzz_compile(&a, "seed.rubric", (const char *)seed_rubric, sizeof seed_rubric);
    if (p)
        run(p, path);
    arena_free(&a);
}

#endif
