/* cmd_report.c - rubric report: score the employees and write one HTML file,
 * a team summary and a sheet per employee (report.c builds it). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "report.h"

/* the help texts keep their layout: one source line per printed line */
/* clang-format off */
static const char report_help[] = N_(
    "usage: rubric report [-o report.html] [--sheet NAME] RUBRIC FACTS...\n"
    "\n"
    "Scores the employees and writes one self-contained HTML file: a summary\n"
    "(distribution of totals, grade shares against quotas, rules that never fired)\n"
    "and a printable score sheet per employee with signature lines.\n"
    "Exit status: 0 all scored, 1 some employee could not be scored, 2 bad usage or rubric.\n");
/* clang-format on */

int cmd_report(int argc, char **argv)
{
    const char *outpath = NULL, *sheet = NULL;
    bool bad = false;
    const char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int nfiles = 0;
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
            fputs(_(report_help), stdout);
            free(files);
            return 0;
        }
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (i + 1 >= argc) {
                free(files);
                return cli_usage_error("report: %s needs a file name", argv[i]);
            }
            outpath = argv[++i];
        } else if (cli_sheet_option(argc, argv, &i, &sheet, &bad)) {
            if (bad) {
                free(files);
                return cli_usage_error("report: %s needs a sheet name", argv[i]);
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(files);
            return cli_usage_error("report: unknown option %s", argv[i]);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles < 2) {
        free(files);
        return cli_usage_error("report: give a rubric and the employees' facts%s", "");
    }
    Loaded l;
    if (!cli_load_for(&l, files[0], N_("reported"), true)) {
        free(files);
        return 2;
    }
    Eval *e = eval_new(l.prog, &l.diags);
    eval_use_fast_path(e, true);
    Report *rep = report_new(l.prog);
    const Program *progs[] = {l.prog, NULL};
    FactReader *r = cli_open_facts(files + 1, (size_t)(nfiles - 1), sheet, progs);
    Arena emp;
    arena_init(&emp);
    FactRecord rec;
    int status = 0;
    while (facts_next(r, &emp, &rec)) {
        Result res;
        if (!eval_record(e, &rec, &emp, &res)) {
            status = 1;
            cli_employee_error(&rec, &res);
        }
        report_add(rep, &res, rec.source);
        arena_reset(&emp);
    }
    facts_close(r);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (mem) {
        report_write(rep, mem);
        fclose(mem);
        if (outpath ? !cli_write_whole(outpath, buf, len)
                    : (fwrite(buf, 1, len, stdout) != len || fflush(stdout)))
            status = 2;
    } else {
        status = 2;
    }
    free(buf);
    report_free(rep);
    eval_free(e);
    arena_free(&emp);
    arena_free(&l.arena);
    free(files);
    return status;
}
