/* fuzz_diff.c - differential: for a rubric that checks, eval, explain and
 * test agree on every employee of examples/客户考核评分表/team.csv, and fmt
 * changes no score.
 *
 * The bytes are a rubric. Each employee is scored from the CSV (eval, on the
 * fast path as `rubric eval` scores); the
 * JSON explanation must show the same total and node scores; the employee is
 * written as a test block (FACT = VALUE lines, text quoted) appended to the
 * rubric, and eval_test of that block must give the same outcome, scores,
 * total and grade; the formatted rubric (fmt) must check and score every
 * employee the same. Employees or values that a test line cannot carry
 * (quotes, line breaks in text) are left out. */
#include <stdbool.h>
#include <stdint.h>

#include "decimal.h"
#include "explain.h"
#include "fmt.h"
#include "fuzz_common.h"
#include "fuzz_mutate.h"
#include "fuzz_score.h"

#define MAX_EMP 16

typedef struct {
    bool ok;
    Dec total;
    Dec *scores;
    const char *grade;
} Outcome;

static Outcome keep(Arena *a, const Program *p, bool ok, const Result *r)
{
    Outcome o = {ok, r->total, NULL, NULL};
    if (ok) {
        o.scores = arena_alloc(a, ((size_t)p->nnodes + 1) * sizeof *o.scores);
        memcpy(o.scores, r->scores, (size_t)p->nnodes * sizeof *o.scores);
        o.grade = r->grade ? arena_strndup(a, r->grade, strlen(r->grade)) : NULL;
    }
    return o;
}

static void agree(const Program *p, const Outcome *x, bool ok, const Result *r)
{
    FUZZ_ASSERT(x->ok == ok);
    if (!ok)
        return;
    FUZZ_ASSERT(dec_cmp(x->total, r->total) == 0);
    for (int i = 0; i < p->nnodes; i++)
        FUZZ_ASSERT(dec_cmp(x->scores[i], r->scores[i]) == 0);
    FUZZ_ASSERT((!x->grade && !r->grade) || (x->grade && r->grade && !strcmp(x->grade, r->grade)));
}

static void explained(const Program *p, const Result *r, const char *source)
{
    FuzzMem m;
    fuzz_mem_open(&m);
    explain_write(p, r, source, true, m.f);
    fuzz_mem_close(&m);
    size_t at = 0;
    char got[DEC_BUFSZ + 8], want[DEC_BUFSZ];
    FUZZ_ASSERT(fuzz_json_next(m.buf, m.len, "total", &at, got, sizeof got));
    dec_format(r->total, want);
    FUZZ_ASSERT(strcmp(got, want) == 0);
    for (int i = 0; i < p->nnodes; i++) {
        FUZZ_ASSERT(fuzz_json_next(m.buf, m.len, "score", &at, got, sizeof got));
        dec_format(r->scores[i], want);
        FUZZ_ASSERT(strcmp(got, want) == 0);
    }
    free(m.buf);
}

/* The employee as a test block, or NULL when a test line cannot carry it. */
static const char *as_test(Arena *a, const Program *p, const FactRecord *rec, int n)
{
    if (rec->error)
        return NULL;
    FuzzMem m;
    fuzz_mem_open(&m);
    fprintf(m.f, "\n    test \"差分%d\" {\n", n);
    bool ok = true;
    /* a plain CSV row's cells are cut from its text (facts_row_cells) */
    const FactCell *cells = rec->row ? facts_row_cells(rec, a) : rec->cells;
    size_t ncells = rec->row ? rec->nheader : rec->ncells;
    for (size_t i = 0; i < ncells && ok; i++) {
        const FactCell *c = &cells[i];
        if (c->val_len == 0)
            continue; /* missing: the default either way */
        int slot = check_find_fact(p, c->key, c->key_len);
        if (slot < 0)
            continue;
        bool text = p->facts[slot].spec.type == FT_TEXT;
        for (size_t j = 0; j < c->val_len; j++)
            ok &= c->val[j] != '"' && c->val[j] != '\n' && c->val[j] != '\r' &&
                  (text || (c->val[j] != '#' && c->val[j] != '`'));
        fprintf(m.f, text ? "        `%s` = \"%.*s\"\n" : "        `%s` = %.*s\n",
                p->facts[slot].name, (int)c->val_len, c->val);
    }
    fputs("    }\n", m.f);
    fuzz_mem_close(&m);
    const char *t = ok ? arena_strndup(a, m.buf, m.len) : NULL;
    free(m.buf);
    return t;
}

/* text with blocks inserted before its last '}' */
static char *with_tests(const uint8_t *data, size_t size, const char *const *blocks, int n,
                        size_t *len)
{
    size_t at = size;
    while (at > 0 && data[at - 1] != '}')
        at--;
    if (at == 0)
        return NULL;
    at--;
    FuzzMem m;
    fuzz_mem_open(&m);
    fwrite(data, 1, at, m.f);
    for (int i = 0; i < n; i++)
        if (blocks[i])
            fputs(blocks[i], m.f);
    fwrite(data + at, 1, size - at, m.f);
    fuzz_mem_close(&m);
    *len = m.len;
    return m.buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 18))
        return 0;
    Arena a;
    arena_init(&a);
    Program *p = fuzz_compile(&a, "fuzz.rubric", (const char *)data, size);
    if (!p) {
        arena_free(&a);
        return 0;
    }
    Diags d;
    diag_init(&d, fuzz_null());
    Eval *e = eval_new(p, &d);
    /* the fast path, as cmd_diff scores; the test blocks and the formatted
       rubric below are scored on the general path, so agree() also holds the
       fast path to the exact one */
    eval_use_fast_path(e, true);
    const char *path = fuzz_write_file(0, "t.csv", seed_team, sizeof seed_team);
    const char *paths[] = {path};
    FactReader *r = facts_open(paths, 1);
    Arena ea;
    arena_init(&ea);
    FactRecord rec;
    Outcome out[MAX_EMP];
    const char *tests[MAX_EMP];
    int n = 0;
    while (n < MAX_EMP && facts_next(r, &ea, &rec)) {
        Result res;
        bool ok = eval_record(e, &rec, &ea, &res);
        if (ok)
            explained(p, &res, rec.source);
        out[n] = keep(&a, p, ok, &res);
        tests[n] = as_test(&a, p, &rec, n);
        n++;
        arena_reset(&ea);
    }
    facts_close(r);
    eval_free(e);

    /* test: the same employees as test blocks */
    size_t tlen;
    char *text = with_tests(data, size, tests, n, &tlen);
    Program *q = text ? fuzz_compile(&a, "tests.rubric", text, tlen) : NULL;
    if (q) {
        Eval *te = eval_new(q, &d);
        for (int t = 0; t < q->ntests; t++) {
            const char *name = q->tests[t]->name;
            int k;
            if (!name || sscanf(name, "差分%d", &k) != 1 || k < 0 || k >= n || !tests[k])
                continue;
            Result res;
            bool ok = eval_test(te, q->tests[t], &ea, &res);
            agree(q, &out[k], ok, &res);
            arena_reset(&ea);
        }
        eval_free(te);
    }
    free(text);

    /* fmt: the formatted rubric scores everyone the same */
    FuzzMem m;
    fuzz_mem_open(&m);
    Diags fd;
    diag_init(&fd, fuzz_null());
    int rc = fmt_write(&a, p->src, &fd, m.f);
    fuzz_mem_close(&m);
    FUZZ_ASSERT(rc == 0);
    Program *f = fuzz_compile(&a, "fmt.rubric", m.buf, m.len);
    FUZZ_ASSERT(f);
    Eval *fe = eval_new(f, &d);
    r = facts_open(paths, 1);
    for (int i = 0; i < n && facts_next(r, &ea, &rec); i++) {
        Result res;
        bool ok = eval_record(fe, &rec, &ea, &res);
        agree(f, &out[i], ok, &res);
        arena_reset(&ea);
    }
    facts_close(r);
    eval_free(fe);
    free(m.buf);
    arena_free(&ea);
    arena_free(&a);
    return 0;
}
