/* fuzz_report.c - `rubric report`: every employee scored and kept by
 * report_add, then the whole HTML report written.
 *
 * The first byte picks the input as in fuzz_eval: bit 0 clear, the rest is a
 * CSV scored by the seed rubric; set, the rest is a rubric scoring the seed
 * team. Bit 1 appends 30,000 empty ",," rows to the CSV. Invariants: the
 * report is written whole (it ends with </html>); it holds a sheet for every
 * employee read (report_add keeps its own copies: the reader's text is gone
 * by the time the report is written). */
#include <stdbool.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "fuzz_mutate.h"
#include "fuzz_score.h"
#include "report.h"

static void report_all(const Program *p, const char *csv)
{
    Diags d;
    diag_init(&d, fuzz_null());
    Eval *e = eval_new(p, &d);
    Report *rep = report_new(p);
    const char *paths[] = {csv};
    FactReader *r = facts_open(paths, 1);
    Arena a;
    arena_init(&a);
    FactRecord rec;
    long n = 0;
    while (facts_next(r, &a, &rec) && n < 200) {
        Result res;
        eval_record(e, &rec, &a, &res);
        report_add(rep, &res, rec.source);
        arena_reset(&a);
        n++;
    }
    facts_close(r);
    arena_free(&a);
    FuzzMem m;
    fuzz_mem_open(&m);
    report_write(rep, m.f);
    fuzz_mem_close(&m);
    FUZZ_ASSERT(m.len > 8 && memcmp(m.buf + m.len - 8, "</html>\n", 8) == 0);
    long sheets = 0;
    for (const char *s = m.buf; (s = strstr(s, "class=\"sheet\"")) != NULL; s++)
        sheets++;
    FUZZ_ASSERT(sheets == n);
    free(m.buf);
    report_free(rep);
    eval_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20))
        return 0;
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
        report_all(p, path);
    arena_free(&a);
    return 0;
}
