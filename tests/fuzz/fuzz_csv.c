/* fuzz_csv.c - the CSV reader with and without the empty ",," rows Excel
 * writes below a formatted range, and the lifetime of a kept record.
 *
 * The bytes are read as t.csv; then the same bytes with a line break and
 * 30,000 empty rows appended (more than one read block). Invariants: a record
 * kept with facts_keep reads the same after the next facts_next as when it
 * was read (its text is copied out of the reader's buffer); and when the
 * bytes have balanced quotes (so the rows appended are rows, not text inside
 * a cell), the appended empty rows change nothing: the same records, cell for
 * cell, in the same order. */
#include <stdbool.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "fuzz_mutate.h"
#include "fuzz_score.h"

typedef struct {
    char *text; /* every string of the record, NUL-separated, in a fixed order */
    size_t len;
} Snap;

static void put(FILE *f, const char *s, size_t n)
{
    fputs(s ? "+" : "-", f);
    if (s)
        fwrite(s, 1, n, f);
    fputc(0, f);
}

static Snap snap(const FactRecord *r)
{
    Snap s = {NULL, 0};
    FILE *f = open_memstream(&s.text, &s.len);
    FUZZ_ASSERT(f);
    put(f, r->source, r->source ? strlen(r->source) : 0);
    put(f, r->default_id, r->default_id ? strlen(r->default_id) : 0);
    put(f, r->error, r->error ? strlen(r->error) : 0);
    /* a plain row's cells are cut from its kept text (facts_row_cells) */
    Arena scratch;
    arena_init(&scratch);
    const FactCell *cells = r->row ? facts_row_cells(r, &scratch) : r->cells;
    size_t ncells = r->row ? r->nheader : r->ncells;
    fprintf(f, "%d %zu %zu", r->line, ncells, r->nheader);
    for (size_t i = 0; i < ncells; i++) {
        put(f, cells[i].key, cells[i].key_len);
        put(f, cells[i].val, cells[i].val_len);
        fprintf(f, "%d %d", cells[i].line, cells[i].col);
    }
    arena_free(&scratch);
    for (size_t i = 0; i < r->nheader; i++)
        put(f, r->header[i].key, r->header[i].key_len);
    FUZZ_ASSERT(fclose(f) == 0);
    return s;
}

static bool same(const Snap *a, const Snap *b)
{
    return a->len == b->len && memcmp(a->text, b->text, a->len) == 0;
}

/* Read path; each record is kept and checked after the next read. Returns
 * the snapshots (at most max), *n of them. */
static Snap *read_all(const char *path, size_t max, size_t *n)
{
    Snap *all = calloc(max + 1, sizeof *all);
    FUZZ_ASSERT(all);
    const char *paths[] = {path};
    FactReader *r = facts_open(paths, 1);
    Arena a[2];
    arena_init(&a[0]);
    arena_init(&a[1]);
    FactRecord cur, next;
    int k = 0;
    *n = 0;
    bool have = facts_next(r, &a[k], &cur);
    while (have) {
        FUZZ_ASSERT(cur.source && *cur.source);
        Snap s = snap(&cur);
        facts_keep(&cur, &a[k]);
        bool more = facts_next(r, &a[1 - k], &next);
        Snap t = snap(&cur);
        FUZZ_ASSERT(same(&s, &t));
        free(t.text);
        if (*n < max)
            all[(*n)++] = s;
        else
            free(s.text);
        arena_reset(&a[k]);
        k = 1 - k;
        cur = next;
        have = more;
    }
    facts_close(r);
    arena_free(&a[0]);
    arena_free(&a[1]);
    return all;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    size_t na, nb, len;
    Snap *a = read_all(fuzz_write_file(0, "t.csv", data, size), 1000, &na);
    char *more = fuzz_with_empty_rows(data, size, 30000, &len);
    Snap *b = read_all(fuzz_write_file(0, "t.csv", (const uint8_t *)more, len), 1000, &nb);
    free(more);
    size_t quotes = 0;
    for (size_t i = 0; i < size; i++)
        quotes += data[i] == '"';
    /* a last line without its line break, or one ending in a bare CR, is a
       different row once a line break follows: compare the complete rows */
    bool plain = quotes % 2 == 0 && memchr(data, 0, size) == NULL &&
                 memchr(data, '\r', size) == NULL && na < 1000;
    if (plain && (size == 0 || data[size - 1] == '\n')) {
        FUZZ_ASSERT(na == nb);
        for (size_t i = 0; i < na; i++)
            FUZZ_ASSERT(same(&a[i], &b[i]));
    }
    for (size_t i = 0; i < na; i++)
        free(a[i].text);
    for (size_t i = 0; i < nb; i++)
        free(b[i].text);
    free(a);
    free(b);
    return 0;
}
