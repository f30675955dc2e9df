/* fuzz_fmt.c - bytes as a rubric through `rubric fmt`.
 *
 * Invariants: fmt is idempotent (formatting its own output changes nothing);
 * it writes nothing when it fails; a rubric that checks formats into one that
 * checks, with the same facts, nodes, outputs and tests in the same order. */
#include <stdbool.h>
#include <stdint.h>

#include "fmt.h"
#include "fuzz_common.h"
#include "fuzz_mutate.h"
#include "fuzz_score.h"

static int format(Arena *a, const char *name, const char *text, size_t len, FuzzMem *m)
{
    Diags d;
    diag_init(&d, fuzz_null());
    const Source *src = source_from_text(a, name, text, len);
    fuzz_mem_open(m);
    int rc = fmt_write(a, src, &d, m->f);
    fuzz_mem_close(m);
    if (rc != 0)
        FUZZ_ASSERT(m->len == 0);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    Arena a;
    arena_init(&a);
    FuzzMem once, twice;
    if (format(&a, "fuzz.rubric", (const char *)data, size, &once) == 0) {
        FUZZ_ASSERT(format(&a, "once.rubric", once.buf, once.len, &twice) == 0);
        FUZZ_ASSERT(once.len == twice.len && memcmp(once.buf, twice.buf, once.len) == 0);
        free(twice.buf);
        Program *p = fuzz_compile(&a, "fuzz.rubric", (const char *)data, size);
        if (p) {
            Program *q = fuzz_compile(&a, "once.rubric", once.buf, once.len);
            FUZZ_ASSERT(q);
            FUZZ_ASSERT(p->nfacts == q->nfacts && p->nnodes == q->nnodes &&
                        p->noutputs == q->noutputs && p->ntests == q->ntests &&
                        p->ngrade == q->ngrade && p->nraters == q->nraters);
            for (int i = 0; i < p->nfacts; i++)
                FUZZ_ASSERT(strcmp(p->facts[i].name, q->facts[i].name) == 0);
            for (int i = 0; i < p->nnodes; i++)
                FUZZ_ASSERT(strcmp(p->nodes[i]->name, q->nodes[i]->name) == 0 &&
                            p->nodes[i]->nrules == q->nodes[i]->nrules);
        }
    }
    free(once.buf);
    arena_free(&a);
    return 0;
}
