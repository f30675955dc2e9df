/* fuzz_report.c - `rubric report`: every employee scored and kept by
 * report_add, then the whole HTML report written.
 *
 * The first byte picks the input as in fuzz_eval: bit 0 clear, the rest is a
 * CSV scored by the seed rubric; set, the rest is a rubric scoring the seed
 * team. Bit 1 appends 30,000 empty ",," rows to the CSV. Employees are
 * scored on the fast path, as `rubric report` scores them. Invariants: the
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
    eval_use_fast_path(e, true); /* as cmd_report scores */
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
    fuzz_score_csv(data, size, report_all);
    return 0;
}
