/* fuzz_render.c - bytes as a rubric; one that checks is rendered as the
 * Markdown and the HTML score sheet (`rubric render`).
 *
 * Invariants: both sheets are written whole (the HTML page ends with
 * </html>); the Markdown sheet names the rubric in its first line; every
 * rater has a score column (it kept 15 at most). */
#include <stdbool.h>
#include <stdint.h>

#include "fuzz_common.h"
#include "fuzz_mutate.h"
#include "fuzz_score.h"
#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > (1u << 20))
        return 0;
    Arena a;
    arena_init(&a);
    Program *p = fuzz_compile(&a, "fuzz.rubric", (const char *)data, size);
    if (p) {
        FuzzMem md, html;
        fuzz_mem_open(&md);
        render_program(p, RENDER_MD, md.f);
        fuzz_mem_close(&md);
        fuzz_mem_open(&html);
        render_program(p, RENDER_HTML, html.f);
        fuzz_mem_close(&html);
        FUZZ_ASSERT(md.len > 2 && memcmp(md.buf, "# ", 2) == 0);
        FUZZ_ASSERT(html.len > 8 && memcmp(html.buf + html.len - 8, "</html>\n", 8) == 0);
        if (p->nraters > 0) {
            /* the first table header line of the Markdown sheet: 5 columns, then
               one per rater and 结果 */
            const char *h = strstr(md.buf, "\n| 序号 |");
            if (h) {
                int bars = 0;
                for (h++; *h && *h != '\n'; h++)
                    bars += *h == '|';
                FUZZ_ASSERT(bars - 1 >= 5 + p->nraters + 1);
            }
        }
        free(md.buf);
        free(html.buf);
    }
    arena_free(&a);
    return 0;
}
