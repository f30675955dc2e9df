/* fuzz_explain.c - `rubric explain` as cmd_explain runs it: read an employee,
 * keep it (facts_keep), score it, write the explanation; read the next
 * employee (explain does, to make sure there is only one); write the
 * explanation again.
 *
 * The first byte picks the input: bit 0 clear, the rest is a CSV scored by
 * rubrics/客户考核评分表.rubric; set, the rest is a rubric scoring
 * examples/客户考核评分表/team.csv. Bit 1 appends 30,000 empty ",," rows to
 * the CSV (more than one read block, so the next read moves the reader's
 * buffer). Invariants: both explanations are byte for byte the same (issue 9:
 * the second printed a text fact as ","); the JSON explanation's total and
 * every node's score are eval's. */
#include <stdbool.h>
#include <stdint.h>

#include "decimal.h"
#include "explain.h"
#include "fuzz_common.h"
#include "fuzz_mutate.h"
#include "fuzz_score.h"

static void write_both(const Program *p, const Result *res, const char *source, FuzzMem *m)
{
    fuzz_mem_open(m);
    explain_write(p, res, source, false, m->f);
    explain_write(p, res, source, true, m->f);
    fuzz_mem_close(m);
}

/* The JSON explanation (the last line of m) agrees with res. */
static void agrees(const Program *p, const Result *res, const FuzzMem *m)
{
    const char *json = m->buf;
    for (const char *q; (q = strstr(json, "\n{\"id\":")) != NULL;)
        json = q + 1;
    size_t len = m->len - (size_t)(json - m->buf), at = 0;
    char got[DEC_BUFSZ + 8], want[DEC_BUFSZ];
    FUZZ_ASSERT(fuzz_json_next(json, len, "total", &at, got, sizeof got));
    if (res->error) {
        FUZZ_ASSERT(strcmp(got, "null") == 0);
        return;
    }
    dec_format(res->total, want);
    FUZZ_ASSERT(strcmp(got, want) == 0);
    for (int i = 0; i < p->nnodes; i++) {
        FUZZ_ASSERT(fuzz_json_next(json, len, "score", &at, got, sizeof got));
        dec_format(res->scores[i], want);
        FUZZ_ASSERT(strcmp(got, want) == 0);
    }
}

static void explain_all(const Program *p, const char *csv)
{
    Diags d;
    diag_init(&d, fuzz_null());
    Eval *e = eval_new(p, &d);
    const char *paths[] = {csv};
    FactReader *r = facts_open(paths, 1);
    Arena a[2];
    arena_init(&a[0]);
    arena_init(&a[1]);
    FactRecord cur, next;
    int k = 0;
    bool have = facts_next(r, &a[k], &cur);
    for (int n = 0; have && n < 50; n++) {
        facts_keep(&cur, &a[k]);
        Result res;
        eval_record(e, &cur, &a[k], &res);
        FuzzMem before, after;
        write_both(p, &res, cur.source, &before);
        bool more = facts_next(r, &a[1 - k], &next);
        write_both(p, &res, cur.source, &after);
        FUZZ_ASSERT(before.len == after.len && memcmp(before.buf, after.buf, before.len) == 0);
        agrees(p, &res, &before);
        free(before.buf);
        free(after.buf);
        arena_reset(&a[k]);
        k = 1 - k;
        cur = next;
        have = more;
    }
    facts_close(r);
    arena_free(&a[0]);
    arena_free(&a[1]);
    eval_free(e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_score_csv(data, size, explain_all);
    return 0;
}
