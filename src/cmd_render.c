/* cmd_render.c - rubric render: the rubric as a printable score sheet (md or html). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "render.h"

/* the help texts keep their layout: one source line per printed line */
/* clang-format off */
static const char render_help[] = N_(
    "usage: rubric render [-f md|html] [-o FILE] RUBRIC\n"
    "\n"
    "Writes the rubric as the score sheet an HR office prints: items, weights,\n"
    "requirements, scoring levels in words, blank score columns (自评/上级/结果),\n"
    "the total formula, grade bands and signature lines. HTML is one\n"
    "self-contained page for A4; md is Markdown for wikis.\n");
/* clang-format on */

int cmd_render(int argc, char **argv)
{
    RenderFormat fmt = RENDER_HTML;
    const char *path = NULL, *outpath = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(_(render_help), stdout);
            return 0;
        }
        if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0 ||
            strcmp(a, "--output") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("render: %s needs a value", a);
            const char *v = argv[++i];
            if (a[1] == 'o' || a[2] == 'o') {
                outpath = v;
            } else if (strcmp(v, "md") == 0 || strcmp(v, "markdown") == 0) {
                fmt = RENDER_MD;
            } else if (strcmp(v, "html") == 0) {
                fmt = RENDER_HTML;
            } else {
                return cli_usage_error("render: unknown format %s (use md or html)", v);
            }
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("render: unknown option %s", a);
        } else if (path) {
            return cli_usage_error("render: one rubric at a time (got %s too)", a);
        } else {
            path = a;
        }
    }
    if (!path)
        return cli_usage_error("render: no rubric file given%s", "");
    Loaded l;
    if (!cli_load_for(&l, path, N_("rendered"), false))
        return 2;
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem) {
        arena_free(&l.arena);
        return 2;
    }
    render_program(l.prog, fmt, mem);
    fclose(mem);
    int status = 0;
    if (outpath)
        status = cli_write_whole(outpath, buf, len) ? 0 : 2;
    else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0)
        status = 2;
    free(buf);
    arena_free(&l.arena);
    return status;
}
