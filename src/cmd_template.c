/* cmd_template.c - rubric template: the fill-in sheet of a rubric's facts
 * (csv or xlsx), for managers to fill in and give back to rubric eval. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "template.h"

/* clang-format off */
static const char template_help[] = N_(
    "usage: rubric template [-f csv|xlsx] [-o FILE] [--bom] RUBRIC\n"
    "\n"
    "Writes the fill-in sheet for a rubric's facts: one column per fact in\n"
    "declaration order (the id first; NAME@RATER columns for raters). CSV is the\n"
    "header row alone; xlsx (needs -o) adds each column's description, type and\n"
    "range as a note on its header, data validation, text and percent formats\n"
    "and a frozen header. What is filled in reads back with rubric eval.\n"
    "\n"
    "  -f, --format FMT   csv (default) or xlsx\n"
    "  -o, --output FILE  write to FILE, whole or not at all\n"
    "  --bom              start the CSV with a UTF-8 BOM, so Excel reads it as UTF-8\n");
/* clang-format on */

int cmd_template(int argc, char **argv)
{
    const char *path = NULL, *outpath = NULL;
    bool xlsx = false, bom = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(_(template_help), stdout);
            return 0;
        }
        if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0 ||
            strcmp(a, "--output") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error("template: %s needs a value", a);
            const char *v = argv[++i];
            if (a[1] == 'o' || a[2] == 'o')
                outpath = v;
            else if (strcmp(v, "csv") == 0 || strcmp(v, "xlsx") == 0)
                xlsx = v[0] == 'x';
            else
                return cli_usage_error("template: unknown format %s (use csv or xlsx)", v);
        } else if (strcmp(a, "--bom") == 0) {
            bom = true;
        } else if (a[0] == '-' && a[1]) {
            return cli_usage_error("template: unknown option %s", a);
        } else if (path) {
            return cli_usage_error("template: one rubric at a time (got %s too)", a);
        } else {
            path = a;
        }
    }
    if (!path)
        return cli_usage_error("template: no rubric file given%s", "");
    if (xlsx && !outpath)
        return cli_usage_error("template: -f xlsx needs -o FILE (a workbook is a file, not text)%s",
                               "");
    if (xlsx && bom)
        return cli_usage_error("template: --bom is for csv%s", "");
    Loaded l;
    if (!cli_load_for(&l, path, N_("written"), false))
        return 2;
    int status = 0;
    if (xlsx) {
        char *tmp = NULL;
        const char *why = NULL;
        int fd = cli_temp_beside(outpath, &tmp);
        if (fd >= 0)
            close(fd);
        if (fd < 0 || template_xlsx(l.prog, tmp, &why) != 0 || rename(tmp, outpath) != 0) {
            fprintf(stderr, _("rubric: error: cannot write %s: %s\n"), outpath,
                    why ? why : strerror(errno));
            if (fd >= 0)
                unlink(tmp);
            status = 2;
        }
        cli_temp_forget();
        free(tmp);
    } else {
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        if (!mem || template_csv(l.prog, bom, mem) != 0) {
            status = 2;
        }
        if (mem)
            fclose(mem);
        if (status == 0 && outpath)
            status = cli_write_whole(outpath, buf, len) ? 0 : 2;
        else if (status == 0 && (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0))
            status = 2;
        free(buf);
    }
    arena_free(&l.arena);
    return status;
}
