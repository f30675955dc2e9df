/* cmd_eval.c - rubric eval: score every employee of the facts given and write
 * the results (table, csv, tsv, json or xlsx), then the grade quota summary. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "i18n.h"
#include "output.h"
#include "parallel.h"
#include "xlsxout.h"

/* the help texts keep their layout: one source line per printed line */
/* clang-format off */
static const char eval_help[] = N_(
    "usage: rubric eval [-f table|csv|tsv|json|xlsx] [-o FILE] [--bom] [--sheet NAME] [--strict]\n"
    "                   [-j N] RUBRIC FACTS...\n"
    "\n"
    "Scores every employee: FACTS are .facts files (one employee each), folders of\n"
    "them, .csv files or .xlsx workbooks (a row per employee), or - for standard input.\n"
    "\n"
    "  -f, --format FMT   table (default on a terminal), csv (default otherwise), tsv, json,\n"
    "                     xlsx (needs -o)\n"
    "  -o, --output FILE  write the results to FILE, whole or not at all\n"
    "  --bom              start CSV or TSV with a UTF-8 BOM, so Excel reads it as UTF-8\n"
    "  --sheet NAME       the worksheet of .xlsx FACTS (default: the first)\n"
    "  --strict           exit 1 when a grade quota (配额) is breached\n"
    "  -j, --jobs N       score a CSV file of 2 MiB or more, or a folder of 1024 fact files\n"
    "                     or more, on N threads (default: all processors, at most 256);\n"
    "                     the output is the same as with -j 1\n"
    "\n"
    "Exit status: 0 all scored, 1 some employee could not be scored, 2 the rubric has\n"
    "errors or the command could not run.\n");

/* clang-format on */

static int parse_format(const char *s, OutFormat *f)
{
    if (strcmp(s, "table") == 0)
        *f = OUT_TABLE;
    else if (strcmp(s, "csv") == 0)
        *f = OUT_CSV;
    else if (strcmp(s, "tsv") == 0)
        *f = OUT_TSV;
    else if (strcmp(s, "json") == 0)
        *f = OUT_JSON;
    else
        return -1;
    return 0;
}

/* The quota summary on standard error, one line per quota; true if any is breached. */
static bool report_quotas(const Program *p, const long *count, long scored)
{
    bool breached = false;
    for (int q = 0; q < p->nquotas; q++) {
        const Node *n = p->quotas[q];
        Dec share = dec_zero(), limit = n->a ? n->a->num : dec_zero();
        if (scored > 0)
            dec_div(dec_from_int(count[q]), dec_from_int(scored), &share);
        bool ok = n->qop == OP_LE ? dec_cmp(share, limit) <= 0 : dec_cmp(share, limit) >= 0;
        Dec pct, lim;
        dec_shift_up(share, 2, &pct);
        dec_round(pct, 2, &pct);
        dec_shift_up(limit, 2, &lim);
        char a[DEC_BUFSZ], b[DEC_BUFSZ];
        dec_format(pct, a);
        dec_format(lim, b);
        fprintf(stderr,
                ok ? _("quota %s %s %s%%: %ld of %ld scored (%s%%)\n")
                   : _("quota %s %s %s%%: %ld of %ld scored (%s%%): breached\n"),
                n->name ? n->name : "", n->qop == OP_LE ? "<=" : ">=", b, count[q], scored, a);
        breached |= !ok;
    }
    return breached;
}

int cmd_eval(int argc, char **argv)
{
    const char *format = NULL, *outpath = NULL, *sheet = NULL;
    bool strict = false, bom = false, bad = false;
    const char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int nfiles = 0, jobs = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(_(eval_help), stdout);
            free(files);
            return 0;
        }
        if (strncmp(a, "-j", 2) == 0 || strncmp(a, "--jobs", 6) == 0) { /* -j N, -jN, --jobs[=]N */
            const char *v = a[1] == 'j' ? (a[2] ? a + 2 : NULL) : a[6] == '=' ? a + 7 : NULL;
            if (!v && a[1] == '-' && a[6]) {
                free(files);
                return cli_usage_error("eval: unknown option %s", a);
            }
            if (!v && i + 1 >= argc) {
                free(files);
                return cli_usage_error("eval: %s needs a value", a);
            }
            v = v ? v : argv[++i];
            _Static_assert(PAR_MAX_THREADS == 256, "the message below names the limit");
            int rc = par_parse_jobs(v, &jobs);
            if (rc < 0) {
                free(files);
                return cli_usage_error(rc == -2
                                           ? N_("eval: -j %s is more threads than the limit of 256")
                                           : N_("eval: -j needs a number of threads, 1 or more, "
                                                "not \"%s\""),
                                       v);
            }
            continue;
        }
        if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0 ||
            strcmp(a, "--output") == 0) {
            if (i + 1 >= argc) {
                free(files);
                return cli_usage_error("eval: %s needs a value", a);
            }
            if (a[1] == 'f' || a[2] == 'f')
                format = argv[++i];
            else
                outpath = argv[++i];
        } else if (strcmp(a, "--strict") == 0) {
            strict = true;
        } else if (strcmp(a, "--bom") == 0) {
            bom = true;
        } else if (cli_sheet_option(argc, argv, &i, &sheet, &bad)) {
            if (bad) {
                free(files);
                return cli_usage_error("eval: %s needs a sheet name", a);
            }
        } else if (strncmp(a, "--format=", 9) == 0) {
            format = a + 9;
        } else if (strncmp(a, "--output=", 9) == 0) {
            outpath = a + 9;
        } else if (a[0] == '-' && a[1]) {
            free(files);
            return cli_usage_error("eval: unknown option %s", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles < 2) {
        free(files);
        return cli_usage_error("eval: give a rubric and at least one facts file, folder or CSV%s",
                               "");
    }
    OutFormat fmt = isatty(STDOUT_FILENO) && !outpath ? OUT_TABLE : OUT_CSV;
    bool xlsx = format && strcmp(format, "xlsx") == 0;
    if (format && !xlsx && parse_format(format, &fmt) < 0) {
        free(files);
        return cli_usage_error("eval: unknown format %s (use table, csv, tsv, json or xlsx)",
                               format);
    }
    if (xlsx && !outpath) {
        free(files);
        return cli_usage_error("eval: -f xlsx needs -o FILE (a workbook is a file, not text)%s",
                               "");
    }
    if (bom && (xlsx || (fmt != OUT_CSV && fmt != OUT_TSV))) {
        free(files);
        return cli_usage_error("eval: --bom is for csv and tsv output%s", "");
    }
    Loaded l;
    if (!cli_load_for_scoring(&l, files[0], true)) {
        free(files);
        return 2;
    }
    const Program *p = l.prog;
    FILE *out = stdout;
    char *tmppath = NULL;
    if (outpath) {
        int fd = cli_temp_beside(outpath, &tmppath);
        if (fd >= 0 && xlsx) { /* libxlsxwriter writes the file by its name */
            close(fd);
            out = NULL;
        } else if (fd < 0 || !(out = fdopen(fd, "w"))) {
            fprintf(stderr, _("rubric: error: cannot write %s: %s\n"), outpath, strerror(errno));
            if (fd >= 0 && tmppath)
                unlink(tmppath);
            cli_temp_forget();
            free(tmppath);
            free(files);
            arena_free(&l.arena);
            return 2;
        }
    }
    OutLayout lay;
    batch_layout(p, &lay, &l.arena);
    if (bom)
        fputs("\xEF\xBB\xBF", out);
    XlsxOut *xo = xlsx ? xlsxout_open(tmppath, &lay) : NULL;
    Out *o = xlsx ? NULL : out_open(out, fmt, &lay);
    Eval *e = eval_new(p, &l.diags);
    const Program *progs[] = {p, NULL};
    FactReader *r = cli_open_facts(files + 1, (size_t)(nfiles - 1), sheet, progs);
    eval_use_fast_path(e, true);
    if (!jobs)
        jobs = par_default_jobs();
    /* a table needs every row, a workbook is written by its library: one thread */
    Par *par =
        jobs > 1 && o && fmt != OUT_TABLE ? par_new(p, &lay, fmt, jobs, o, out, &l.diags) : NULL;
    Arena emp;
    arena_init(&emp);
    OutRaterRow *raters = arena_alloc(&l.arena, ((size_t)p->nraters + 1) * sizeof *raters);
    int status = 0;
    long scored = 0, nrecords = 0;
    long *quota_count = arena_zalloc(&l.arena, ((size_t)p->nquotas + 1) * sizeof *quota_count);
    FactRecord rec;
    while (facts_next(r, &emp, &rec)) {
        Result res;
        nrecords++;
        if (!eval_record(e, &rec, &emp, &res)) {
            status = 1;
            cli_employee_error(&rec, &res);
        } else {
            scored++;
            for (int q = 0; q < p->nquotas; q++)
                if (res.grade && p->quotas[q]->name && strcmp(res.grade, p->quotas[q]->name) == 0)
                    quota_count[q]++;
        }
        OutRow row;
        batch_row(p, &res, &rec, &row, raters);
        if (xo)
            xlsxout_row(xo, &row);
        else if (o)
            out_row(o, &row);
        if (par)
            par_rest_of_file(par, r, &rec, e,
                             &(ParTally){&status, &scored, &nrecords, quota_count});
        arena_reset(&emp);
    }
    par_free(par);
    facts_close(r);
    if (nrecords == 0)
        fputs(_("rubric: warning: the facts given hold no employee\n"), stderr);
    if (report_quotas(p, quota_count, scored) && strict && status == 0)
        status = 1;
    const char *why = NULL;
    int werr = xlsx ? (xo ? xlsxout_finish(xo, &why) : (why = _("cannot create the workbook"), -1))
                    : out_finish(o);
    if (outpath) {
        if (out && fclose(out) != 0)
            werr = -1;
        if (werr == 0 && tmppath && rename(tmppath, outpath) != 0)
            werr = -1;
        if (werr == 0)
            cli_temp_forget();
        if (werr != 0) {
            fprintf(stderr, _("rubric: error: cannot write %s: %s\n"), outpath,
                    why ? why : strerror(errno));
            if (tmppath)
                unlink(tmppath);
        }
    } else if (fflush(stdout) != 0) {
        werr = -1;
    }
    if (werr != 0)
        status = 2;
    eval_free(e);
    arena_free(&emp);
    arena_free(&l.arena);
    cli_temp_forget();
    free(tmppath);
    free(files);
    return status;
}
