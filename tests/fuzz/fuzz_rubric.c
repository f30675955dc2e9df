/* fuzz_rubric.c - bytes as a rubric file: parse, check, analyse, format.
 *
 * Invariants besides "no crash, no leak": a file that parses and checks
 * without errors must format (fmt_write) without errors, and the formatted
 * text must check without errors too (fmt only changes white space). */
#include <stdbool.h>
#include <stdint.h>

#include "analyze.h"
#include "arena.h"
#include "check.h"
#include "diag.h"
#include "fmt.h"
#include "fuzz_common.h"
#include "parse.h"
#include "source.h"

static int front_end(Arena *a, const Source *src, bool analyze)
{
    Diags d;
    diag_init(&d, fuzz_null());
    Node *root = parse_source(a, src, &d, NULL);
    Program *p = check_program(a, src, root, &d);
    if (analyze && d.errors == 0 && p)
        analyze_program(a, p, &d, true);
    return d.errors;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    Arena a;
    arena_init(&a);
    const Source *src = source_from_text(&a, "fuzz.rubric", (const char *)data, size);
    int errors = front_end(&a, src, true);

    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    FUZZ_ASSERT(mem);
    Diags d;
    diag_init(&d, fuzz_null());
    int rc = fmt_write(&a, src, &d, mem);
    fclose(mem);
    if (errors == 0) {
        FUZZ_ASSERT(rc == 0);
        const Source *again = source_from_text(&a, "fuzz-fmt.rubric", buf, len);
        FUZZ_ASSERT(front_end(&a, again, false) == 0);
    }
    free(buf);
    arena_free(&a);
    return 0;
}
