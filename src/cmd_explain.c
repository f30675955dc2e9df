/* cmd_explain.c - rubric explain: why one employee got each score. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "explain.h"
#include "i18n.h"

/* the help texts keep their layout: one source line per printed line */
/* clang-format off */
static const char explain_help[] = N_(
    "usage: rubric explain [-f text|json] [--sheet NAME] RUBRIC FACTS... [--id ID]\n"
    "\n"
    "Shows why one employee got each score: every section, group and item in the\n"
    "rubric's order with the rule that fired (and its line), the facts it read, the\n"
    "score, the full score and the contribution, ending with the total as a sum.\n"
    "FACTS may hold one employee, or several with --id choosing one.\n"
    "Exit status: 0 scored, 1 the employee could not be scored, 2 bad usage or rubric.\n");

/* clang-format on */

int cmd_explain(int argc, char **argv)
{
    const char *id = NULL, *sheet = NULL;
    bool json = false, bad = false;
    const char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int nfiles = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(_(explain_help), stdout);
            free(files);
            return 0;
        }
        if (strcmp(a, "--id") == 0 || strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
            if (i + 1 >= argc) {
                free(files);
                return cli_usage_error("explain: %s needs a value", a);
            }
            const char *v = argv[++i];
            if (a[2] == 'i') {
                id = v;
            } else if (strcmp(v, "json") == 0 || strcmp(v, "text") == 0) {
                json = strcmp(v, "json") == 0;
            } else {
                free(files);
                return cli_usage_error("explain: unknown format %s (use text or json)", v);
            }
        } else if (cli_sheet_option(argc, argv, &i, &sheet, &bad)) {
            if (bad) {
                free(files);
                return cli_usage_error("explain: %s needs a sheet name", a);
            }
        } else if (a[0] == '-' && a[1]) {
            free(files);
            return cli_usage_error("explain: unknown option %s", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles < 2) {
        free(files);
        return cli_usage_error("explain: give a rubric and the employee's facts%s", "");
    }
    Loaded l;
    if (!cli_load_for_scoring(&l, files[0], true)) {
        free(files);
        return 2;
    }
    const Program *p = l.prog;
    Eval *e = eval_new(p, &l.diags);
    const Program *progs[] = {p, NULL};
    FactReader *r = cli_open_facts(files + 1, (size_t)(nfiles - 1), sheet, progs);
    Arena emp;
    arena_init(&emp);
    FactRecord rec;
    int status = 2, seen = 0;
    bool done = false;
    while (!done && facts_next(r, &emp, &rec)) {
        /* without --id the next record is read before this one is written:
           its text must not live in the reader's buffer (facts.h) */
        if (!id)
            facts_keep(&rec, &emp);
        Result res;
        bool ok = eval_record(e, &rec, &emp, &res);
        seen++;
        if (id ? (res.id && strcmp(res.id, id) == 0) : seen == 1) {
            if (!id) {
                /* without --id the facts must hold exactly one employee */
                Arena probe;
                arena_init(&probe);
                FactRecord more;
                bool another = facts_next(r, &probe, &more);
                arena_free(&probe);
                if (another) {
                    fprintf(stderr,
                            _("rubric: explain: %s holds more than one employee; choose one with "
                              "--id ID\n"),
                            files[1]);
                    break;
                }
            }
            explain_write(p, &res, rec.source, json, stdout);
            status = ok ? 0 : 1;
            done = true;
        }
        if (!done)
            arena_reset(&emp);
    }
    if (!done && id)
        fprintf(stderr, _("rubric: explain: no employee with id %s in the facts given\n"), id);
    else if (!done && seen == 0)
        fputs(_("rubric: explain: the facts given hold no employee\n"), stderr);
    facts_close(r);
    eval_free(e);
    arena_free(&emp);
    arena_free(&l.arena);
    free(files);
    if (fflush(stdout) != 0)
        return 2;
    return status;
}
