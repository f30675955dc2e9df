/* main.c - the command line: rubric check | eval | test | explain | fmt | render.
 *
 * Only argument handling and the flow between modules live here. Exit status:
 * 0 all well; 1 an employee could not be scored, a test failed or check found
 * errors; 2 the command could not run (bad usage, an unreadable rubric, or a
 * rubric with errors given to a command that scores). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arena.h"
#include "analyze.h"
#include "ast.h"
#include "check.h"
#include "code.h"
#include "diag.h"
#include "eval.h"
#include "explain.h"
#include "facts.h"
#include "fmt.h"
#include "i18n.h"
#include "output.h"
#include "parallel.h"
#include "parse.h"
#include "render.h"
#include "report.h"
#include "source.h"
#include "template.h"
#include "utf8.h"
#include "xlsxout.h"

#define RUBRIC_VERSION "0.1.0"

/* the help texts keep their layout: one source line per printed line */
/* clang-format off */
static const char usage_text[] = N_(
    "usage: rubric COMMAND [options] ...\n"
    "\n"
    "commands:\n"
    "  check RUBRIC...                    parse and analyse; print diagnostics\n"
    "  eval RUBRIC FACTS...               score employees (.facts, folders, .csv, .xlsx, -)\n"
    "  test RUBRIC...                     run the rubric's test blocks\n"
    "  explain RUBRIC FACTS [--id ID]     why one employee got each score\n"
    "  fmt [--check | -w | --diff] RUBRIC...  canonical layout, comments kept\n"
    "  render RUBRIC [-f md|html]         the rubric as a printable score sheet\n"
    "  diff OLD NEW FACTS...              what-if: whose total or grade changes between versions\n"
    "  report RUBRIC FACTS... [-o FILE]   one HTML file: team summary and a sheet per employee\n"
    "  template RUBRIC [-f csv|xlsx] [-o FILE]  a fill-in sheet of the facts, for managers\n"
    "\n"
    "options for every command:\n"
    "  --lang zh|en                       messages in Chinese or English (default: from\n"
    "                                     LC_ALL, LC_MESSAGES or LANG; zh... is Chinese)\n"
    "\n"
    "Run 'rubric COMMAND --help' for a command's options.\n");

static const char check_help[] = N_(
    "usage: rubric check [--verbose] [--dump-ast | --dump-tokens] RUBRIC...\n"
    "\n"
    "Parses and analyses each rubric and prints every problem found as\n"
    "FILE:LINE:COL: error|warning: message [code], with the source line.\n"
    "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file could not be read.\n"
    "\n"
    "  -v, --verbose   also show inferred full scores and rule lists the analysis skipped\n"
    "  --dump-ast      print the syntax tree of each rubric\n"
    "  --dump-tokens   print the tokens of each rubric\n");

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

static const char test_help[] = N_(
    "usage: rubric test [--run PATTERN] RUBRIC...\n"
    "\n"
    "Runs the test blocks of each rubric and reports each failed expectation with its\n"
    "actual value. Ends with 'N passed, N failed'. Exit status 1 if any test failed.\n"
    "\n"
    "  --run PATTERN   only the tests whose name contains PATTERN\n"
    "  --coverage      also list the rules that no test made fire\n");

static const char explain_help[] = N_(
    "usage: rubric explain [-f text|json] [--sheet NAME] RUBRIC FACTS... [--id ID]\n"
    "\n"
    "Shows why one employee got each score: every section, group and item in the\n"
    "rubric's order with the rule that fired (and its line), the facts it read, the\n"
    "score, the full score and the contribution, ending with the total as a sum.\n"
    "FACTS may hold one employee, or several with --id choosing one.\n"
    "Exit status: 0 scored, 1 the employee could not be scored, 2 bad usage or rubric.\n");

static const char fmt_help[] = N_(
    "usage: rubric fmt [--check | -w | --diff] RUBRIC...\n"
    "\n"
    "Prints each rubric in the canonical layout (indentation, spacing, aligned ->),\n"
    "keeping comments, blank-line paragraphs and keyword spellings.\n"
    "\n"
    "  --check   print nothing; list the files that would change and exit 1 if any\n"
    "  -w        rewrite the files in place\n"
    "  --diff    show what would change as a unified diff\n");

static const char render_help[] = N_(
    "usage: rubric render [-f md|html] [-o FILE] RUBRIC\n"
    "\n"
    "Writes the rubric as the score sheet an HR office prints: items, weights,\n"
    "requirements, scoring levels in words, blank score columns (自评/上级/结果),\n"
    "the total formula, grade bands and signature lines. HTML is one\n"
    "self-contained page for A4; md is Markdown for wikis.\n");
/* clang-format on */

static int usage_error(const char *fmt, const char *arg)
{
    fputs("rubric: ", stderr);
    fprintf(stderr, _(fmt), arg);
    fputs(_("\nRun 'rubric --help' for usage.\n"), stderr);
    return 2;
}

static bool is_help(const char *a)
{
    return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0;
}

/* The temporary file being written, removed at exit if the program stops
 * before renaming it (out of memory ends the program through exit). */
static char *pending_tmp;

static void remove_pending_tmp(void)
{
    if (pending_tmp)
        unlink(pending_tmp);
}

/* A temporary file beside path, to be renamed over it once complete. It gets
 * the mode path has now, or for a new file what the umask allows, since
 * mkstemp alone would leave it private. Returns the descriptor or -1. A path
 * that is there and is no regular file (/dev/null, a FIFO, a terminal) is
 * opened and written in place, *tmp_out NULL: renaming over it would replace
 * the device with a file (as root, /dev/null for the whole machine). */
static int temp_beside(const char *path, char **tmp_out)
{
    struct stat pst;
    if (stat(path, &pst) == 0 && !S_ISREG(pst.st_mode) && !S_ISDIR(pst.st_mode)) {
        *tmp_out = NULL;
        return open(path, O_WRONLY | O_TRUNC);
    }
    size_t n = strlen(path);
    char *tmp = xmalloc(n + 16);
    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd >= 0) {
        struct stat st;
        mode_t mode;
        if (stat(path, &st) == 0) {
            mode = st.st_mode & 07777;
        } else {
            mode_t mask = umask(0);
            umask(mask);
            mode = 0666 & ~mask;
        }
        fchmod(fd, mode);
        static bool registered;
        if (!registered)
            atexit(remove_pending_tmp), registered = true;
        pending_tmp = tmp;
    }
    *tmp_out = tmp;
    return fd;
}

/* A rubric loaded, parsed and checked; NULL program when unreadable. */
typedef struct {
    Arena arena;
    Diags diags;
    const Source *src;
    Node *root;
    Program *prog;
} Loaded;

/* Load, parse and check path, diagnostics to diag_out; analyze 1 runs the
 * coverage analysis, 2 verbosely. False (arena freed) when it cannot be read. */
static bool load(Loaded *l, const char *path, FILE *diag_out, FILE *dump_tokens, bool dump_ast,
                 int analyze)
{
    arena_init(&l->arena);
    diag_init(&l->diags, diag_out);
    const char *err = NULL;
    l->src = source_load(&l->arena, path, &err);
    l->root = NULL;
    l->prog = NULL;
    if (!l->src) {
        fprintf(stderr, _("rubric: error: %s\n"), err);
        arena_free(&l->arena);
        return false;
    }
    l->root = parse_source(&l->arena, l->src, &l->diags, dump_tokens);
    if (dump_tokens)
        return true;
    if (dump_ast && l->root)
        ast_dump(stdout, l->root);
    l->prog = check_program(&l->arena, l->src, l->root, &l->diags);
    if (analyze && l->diags.errors == 0)
        analyze_program(&l->arena, l->prog, &l->diags, analyze > 1);
    return true;
}

static int cmd_check(int argc, char **argv)
{
    bool dump_ast = false, dump_tokens = false, verbose = false, dump_code = false;
    int nfiles = 0, status = 0;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(_(check_help), stdout);
            return 0;
        }
        if (strcmp(argv[i], "--dump-ast") == 0)
            dump_ast = true;
        else if (strcmp(argv[i], "--dump-tokens") == 0)
            dump_tokens = true;
        else if (strcmp(argv[i], "--dump-code") == 0) /* a debugging view (code.h) */
            dump_code = true;
        else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0)
            verbose = true;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage_error("check: unknown option %s", argv[i]);
    }
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            continue;
        nfiles++;
        Loaded l;
        if (!load(&l, argv[i], stderr, dump_tokens ? stdout : NULL, dump_ast, verbose ? 2 : 1)) {
            status = 2;
            continue;
        }
        if (dump_code && l.diags.errors == 0) {
            Code *c = code_compile(l.prog);
            code_dump(stdout, c, l.prog);
            code_free(c);
        }
        diag_summary(&l.diags, argv[i]);
        if (l.diags.errors && status == 0)
            status = 1;
        arena_free(&l.arena);
    }
    if (nfiles == 0)
        return usage_error("check: no rubric file given%s", "");
    return status;
}

/* Load a rubric for a command that scores: errors mean exit 2. Its warnings
 * are `check`'s business: with notice, one line says how many there are
 * (`sales.rubric: 2 warnings; rubric check sales.rubric shows them`), so a
 * batch's standard error holds otherwise only what concerns the employees. */
static bool load_for(Loaded *l, const char *path, const char *done, bool notice)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return false;
    bool ok = load(l, path, mem, NULL, false, notice ? 1 : 0);
    bool bad = ok && l->diags.errors;
    if (ok && !bad && notice && l->diags.warnings)
        fprintf(stderr,
                ngettext("%s: %d warning; rubric check %s shows it\n",
                         "%s: %d warnings; rubric check %s shows them\n",
                         (unsigned long)l->diags.warnings),
                path, l->diags.warnings, path);
    if (bad)
        diag_summary(&l->diags, path);
    fclose(mem);
    if (bad) {
        fwrite(buf, 1, len, stderr);
        fprintf(stderr, _("rubric: %s has errors; nothing was %s\n"), path, _(done));
        arena_free(&l->arena);
    }
    free(buf);
    l->diags.out = stderr; /* from now on: warnings about employees */
    l->diags.warnings = 0;
    return ok && !bad;
}

static bool load_for_scoring(Loaded *l, const char *path, bool notice)
{
    return load_for(l, path, N_("scored"), notice);
}

/* Whether a header cell of a workbook names a fact (NAME or NAME@RATER) of
 * one of the programs (a NULL-terminated list): the first row that does is
 * the header, title rows above it are skipped. */
static bool names_fact(const void *ctx, const char *name, size_t len)
{
    char buf[PARSE_MAX_NAME * 2 + 2];
    if (len >= sizeof buf)
        return false;
    size_t k = utf8_fold(name, len, buf);
    const char *at = memchr(buf, '@', k);
    size_t n = at ? (size_t)(at - buf) : k;
    for (const Program *const *p = ctx; *p; p++)
        if (check_find_fact(*p, buf, n) >= 0)
            return true;
    return false;
}

/* facts_open, with workbooks read from sheet (NULL: the first) and their
 * header found by the facts of progs (NULL-terminated, kept by the caller). */
static FactReader *open_facts(const char *const *files, size_t n, const char *sheet,
                              const Program *const *progs)
{
    FactReader *r = facts_open(files, n);
    facts_workbooks(r, sheet, names_fact, progs);
    return r;
}

/* --sheet NAME at argv[*i]: true (and *sheet, *i moved on) when it is one. */
static bool sheet_option(int argc, char **argv, int *i, const char **sheet, bool *bad)
{
    const char *a = argv[*i];
    if (strncmp(a, "--sheet=", 8) == 0) {
        *sheet = a + 8;
        return true;
    }
    if (strcmp(a, "--sheet") != 0)
        return false;
    if (*i + 1 >= argc) {
        *bad = true;
        return true;
    }
    *sheet = argv[++*i];
    return true;
}

static void layout_of(const Program *p, OutLayout *lay, Arena *a)
{
    memset(lay, 0, sizeof *lay);
    const char **shown = arena_alloc(a, ((size_t)p->nshow + 1) * sizeof *shown);
    for (int i = 0; i < p->nshow; i++)
        shown[i] = p->facts[p->show[i]].name;
    lay->show_names = shown;
    lay->nshow = (size_t)p->nshow;
    const char **names = arena_alloc(a, ((size_t)p->nnodes + 1) * sizeof *names);
    for (int i = 0; i < p->nnodes; i++)
        names[i] = p->nodes[i]->name;
    lay->score_names = names;
    lay->nscores = (size_t)p->nnodes;
    const char **outs = arena_alloc(a, ((size_t)p->noutputs + 1) * sizeof *outs);
    for (int i = 0; i < p->noutputs; i++)
        outs[i] = p->outputs[i].name;
    lay->output_names = outs;
    lay->noutputs = (size_t)p->noutputs;
    lay->has_grade = p->has_grade;
    lay->has_vetoes = p->has_vetoes;
    const char **raters = arena_alloc(a, ((size_t)p->nraters + 1) * sizeof *raters);
    for (int i = 0; i < p->nraters; i++)
        raters[i] = p->raters[i]->name;
    lay->rater_names = raters;
    lay->nraters = (size_t)p->nraters;
}

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

static void fill_row(const Program *p, const Result *res, const FactRecord *rec, OutRow *row,
                     OutRaterRow *raters)
{
    memset(row, 0, sizeof *row);
    row->id = res->id ? res->id : "";
    row->source = rec ? rec->source : "";
    row->shown = res->shown;
    row->error = res->error;
    row->total = res->total;
    row->grade = res->grade;
    row->scores = res->scores;
    row->outputs = res->outputs;
    row->vetoes = res->vetoes;
    row->nvetoes = (size_t)res->nvetoes;
    if (p->nraters && !res->error) {
        for (int r = 0; r < p->nraters; r++) {
            raters[r].total = res->rater_totals[r];
            raters[r].scores = res->rater_scores + (size_t)r * (size_t)p->nnodes;
            raters[r].vetoes = res->rater_vetoes
                                   ? res->rater_vetoes + (size_t)r * (size_t)res->rater_veto_stride
                                   : NULL;
            raters[r].nvetoes = res->rater_nvetoes ? (size_t)res->rater_nvetoes[r] : 0;
        }
        row->raters = raters;
    }
}

static void report_employee_error(const FactRecord *rec, const Result *res)
{
    if (res->error_where)
        fprintf(stderr, _("%s: error: %s (rule at %s)\n"), rec->source, res->error,
                res->error_where);
    else
        fprintf(stderr, _("%s: error: %s\n"), rec->source, res->error);
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

static int cmd_eval(int argc, char **argv)
{
    const char *format = NULL, *outpath = NULL, *sheet = NULL;
    bool strict = false, bom = false, bad = false;
    const char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int nfiles = 0, jobs = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) {
            fputs(_(eval_help), stdout);
            free(files);
            return 0;
        }
        if (strncmp(a, "-j", 2) == 0 || strncmp(a, "--jobs", 6) == 0) { /* -j N, -jN, --jobs[=]N */
            const char *v = a[1] == 'j' ? (a[2] ? a + 2 : NULL) : a[6] == '=' ? a + 7 : NULL;
            if (!v && a[1] == '-' && a[6]) {
                free(files);
                return usage_error("eval: unknown option %s", a);
            }
            if (!v && i + 1 >= argc) {
                free(files);
                return usage_error("eval: %s needs a value", a);
            }
            v = v ? v : argv[++i];
            _Static_assert(PAR_MAX_THREADS == 256, "the message below names the limit");
            int rc = par_parse_jobs(v, &jobs);
            if (rc < 0) {
                free(files);
                return usage_error(rc == -2
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
                return usage_error("eval: %s needs a value", a);
            }
            if (a[1] == 'f' || a[2] == 'f')
                format = argv[++i];
            else
                outpath = argv[++i];
        } else if (strcmp(a, "--strict") == 0) {
            strict = true;
        } else if (strcmp(a, "--bom") == 0) {
            bom = true;
        } else if (sheet_option(argc, argv, &i, &sheet, &bad)) {
            if (bad) {
                free(files);
                return usage_error("eval: %s needs a sheet name", a);
            }
        } else if (strncmp(a, "--format=", 9) == 0) {
            format = a + 9;
        } else if (strncmp(a, "--output=", 9) == 0) {
            outpath = a + 9;
        } else if (a[0] == '-' && a[1]) {
            free(files);
            return usage_error("eval: unknown option %s", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles < 2) {
        free(files);
        return usage_error("eval: give a rubric and at least one facts file, folder or CSV%s", "");
    }
    OutFormat fmt = isatty(STDOUT_FILENO) && !outpath ? OUT_TABLE : OUT_CSV;
    bool xlsx = format && strcmp(format, "xlsx") == 0;
    if (format && !xlsx && parse_format(format, &fmt) < 0) {
        free(files);
        return usage_error("eval: unknown format %s (use table, csv, tsv, json or xlsx)", format);
    }
    if (xlsx && !outpath) {
        free(files);
        return usage_error("eval: -f xlsx needs -o FILE (a workbook is a file, not text)%s", "");
    }
    if (bom && (xlsx || (fmt != OUT_CSV && fmt != OUT_TSV))) {
        free(files);
        return usage_error("eval: --bom is for csv and tsv output%s", "");
    }
    Loaded l;
    if (!load_for_scoring(&l, files[0], true)) {
        free(files);
        return 2;
    }
    const Program *p = l.prog;
    FILE *out = stdout;
    char *tmppath = NULL;
    if (outpath) {
        int fd = temp_beside(outpath, &tmppath);
        if (fd >= 0 && xlsx) { /* libxlsxwriter writes the file by its name */
            close(fd);
            out = NULL;
        } else if (fd < 0 || !(out = fdopen(fd, "w"))) {
            fprintf(stderr, _("rubric: error: cannot write %s: %s\n"), outpath, strerror(errno));
            if (fd >= 0 && tmppath)
                unlink(tmppath);
            pending_tmp = NULL;
            free(tmppath);
            free(files);
            arena_free(&l.arena);
            return 2;
        }
    }
    OutLayout lay;
    layout_of(p, &lay, &l.arena);
    if (bom)
        fputs("\xEF\xBB\xBF", out);
    XlsxOut *xo = xlsx ? xlsxout_open(tmppath, &lay) : NULL;
    Out *o = xlsx ? NULL : out_open(out, fmt, &lay);
    Eval *e = eval_new(p, &l.diags);
    const Program *progs[] = {p, NULL};
    FactReader *r = open_facts(files + 1, (size_t)(nfiles - 1), sheet, progs);
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
            report_employee_error(&rec, &res);
        } else {
            scored++;
            for (int q = 0; q < p->nquotas; q++)
                if (res.grade && p->quotas[q]->name && strcmp(res.grade, p->quotas[q]->name) == 0)
                    quota_count[q]++;
        }
        OutRow row;
        fill_row(p, &res, &rec, &row, raters);
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
            pending_tmp = NULL;
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
    pending_tmp = NULL;
    free(tmppath);
    free(files);
    return status;
}

static int cmd_test(int argc, char **argv)
{
    const char *pattern = NULL;
    bool coverage = false;
    int passed = 0, failed = 0, nfiles = 0;
    bool bad_rubric = false;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(_(test_help), stdout);
            return 0;
        }
        if (strcmp(argv[i], "--run") == 0) {
            if (i + 1 >= argc)
                return usage_error("test: %s needs a pattern", argv[i]);
            pattern = argv[++i];
        } else if (strcmp(argv[i], "--coverage") == 0) {
            coverage = true;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error("test: unknown option %s", argv[i]);
        }
    }
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--run") == 0) {
            i++;
            continue;
        }
        if (strcmp(argv[i], "--coverage") == 0)
            continue;
        nfiles++;
        Loaded l;
        if (!load_for_scoring(&l, argv[i], false)) {
            bad_rubric = true;
            continue;
        }
        const Program *p = l.prog;
        Eval *e = eval_new(p, &l.diags);
        Arena emp;
        arena_init(&emp);
        /* hit[i][r]: rule r of node i fired in some test; the grade block last */
        bool **hit = arena_zalloc(&l.arena, ((size_t)p->nnodes + 1) * sizeof *hit);
        for (int n = 0; n < p->nnodes; n++)
            hit[n] = arena_zalloc(&l.arena, (size_t)p->nodes[n]->nrules + 1);
        hit[p->nnodes] = arena_zalloc(&l.arena, (size_t)p->ngrade + 1);
        for (int t = 0; t < p->ntests; t++) {
            const Node *test = p->tests[t];
            if (pattern && !strstr(test->name, pattern))
                continue;
            Result res;
            int line = source_line(l.src, test->start);
            bool ok = eval_test(e, test, &emp, &res);
            if (!ok) {
                printf(_("FAIL %s:%d: test \"%s\": employee cannot be scored: %s\n"), argv[i], line,
                       test->name, res.error);
                failed++;
                arena_reset(&emp);
                continue;
            }
            for (int n = 0; n < p->nnodes; n++)
                if (res.fired[n] >= 0)
                    hit[n][res.fired[n]] = true;
            if (res.grade_fired >= 0)
                hit[p->nnodes][res.grade_fired] = true;
            bool all = true;
            for (uint32_t k = 0; k < test->nkids; k++) {
                const Node *x = test->kids[k];
                if (x->kind != AST_EXPECT)
                    continue;
                const char *why = NULL;
                int v = eval_expect(e, x->a, &emp, &why);
                if (v == 1)
                    continue;
                if (all)
                    printf(_("FAIL %s:%d: test \"%s\"\n"), argv[i], line, test->name);
                all = false;
                int xl = source_line(l.src, x->start);
                printf(_("  %s:%d: expect %.*s\n"), argv[i], xl, (int)(x->a->end - x->a->start),
                       l.src->text + x->a->start);
                if (v < 0) {
                    printf(_("    error: %s\n"), why);
                } else if (x->a->kind == AST_CHAIN && x->a->nkids == 2) {
                    for (int s = 0; s < 2; s++) {
                        const Node *side = x->a->kids[s];
                        if (side->kind == AST_NUM || side->kind == AST_STR ||
                            side->kind == AST_BOOL)
                            continue;
                        const char *sv = eval_test_side(e, side, &emp);
                        printf(_("    %.*s is %s\n"), (int)(side->end - side->start),
                               l.src->text + side->start, sv);
                    }
                }
            }
            if (all)
                passed++;
            else
                failed++;
            arena_reset(&emp);
        }
        if (coverage) {
            int missed = 0;
            for (int n = 0; n <= p->nnodes; n++) {
                int nr = n < p->nnodes ? p->nodes[n]->nrules : p->ngrade;
                for (int r = 0; r < nr; r++) {
                    if (hit[n][r])
                        continue;
                    const Node *rule = n < p->nnodes ? p->nodes[n]->rules[r] : p->grade[r];
                    const char *owner = n < p->nnodes ? p->nodes[n]->name : _("grade");
                    printf(_("%s:%d: not exercised by any test: %s: %.*s\n"), argv[i],
                           source_line(l.src, rule->start), owner, (int)(rule->end - rule->start),
                           l.src->text + rule->start);
                    missed++;
                }
            }
            printf(ngettext("coverage: %s: %d rule not exercised\n",
                            "coverage: %s: %d rules not exercised\n", (unsigned long)missed),
                   argv[i], missed);
        }
        eval_free(e);
        arena_free(&emp);
        arena_free(&l.arena);
    }
    if (nfiles == 0)
        return usage_error("test: no rubric file given%s", "");
    /* the English line stays last, for CI scripts that read it */
    static const char *const tally = N_("%d passed, %d failed\n");
    if (i18n_translated(tally))
        printf(_(tally), passed, failed);
    printf(tally, passed, failed);
    if (bad_rubric)
        return 2;
    return failed ? 1 : 0;
}

static int cmd_explain(int argc, char **argv)
{
    const char *id = NULL, *sheet = NULL;
    bool json = false, bad = false;
    const char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int nfiles = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) {
            fputs(_(explain_help), stdout);
            free(files);
            return 0;
        }
        if (strcmp(a, "--id") == 0 || strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0) {
            if (i + 1 >= argc) {
                free(files);
                return usage_error("explain: %s needs a value", a);
            }
            const char *v = argv[++i];
            if (a[2] == 'i') {
                id = v;
            } else if (strcmp(v, "json") == 0 || strcmp(v, "text") == 0) {
                json = strcmp(v, "json") == 0;
            } else {
                free(files);
                return usage_error("explain: unknown format %s (use text or json)", v);
            }
        } else if (sheet_option(argc, argv, &i, &sheet, &bad)) {
            if (bad) {
                free(files);
                return usage_error("explain: %s needs a sheet name", a);
            }
        } else if (a[0] == '-' && a[1]) {
            free(files);
            return usage_error("explain: unknown option %s", a);
        } else {
            files[nfiles++] = a;
        }
    }
    if (nfiles < 2) {
        free(files);
        return usage_error("explain: give a rubric and the employee's facts%s", "");
    }
    Loaded l;
    if (!load_for_scoring(&l, files[0], true)) {
        free(files);
        return 2;
    }
    const Program *p = l.prog;
    Eval *e = eval_new(p, &l.diags);
    const Program *progs[] = {p, NULL};
    FactReader *r = open_facts(files + 1, (size_t)(nfiles - 1), sheet, progs);
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

/* Write text to path whole or not at all: a temporary file renamed into place. */
static bool write_whole(const char *path, const char *text, size_t len)
{
    char *tmp;
    int fd = temp_beside(path, &tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    bool ok = f && fwrite(text, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && tmp && rename(tmp, path) != 0)
        ok = false;
    if (ok)
        pending_tmp = NULL;
    if (!ok) {
        fprintf(stderr, _("rubric: error: cannot write %s: %s\n"), path, strerror(errno));
        if (fd >= 0 && tmp)
            unlink(tmp);
    }
    pending_tmp = NULL;
    free(tmp);
    return ok;
}

static int cmd_fmt(int argc, char **argv)
{
    enum { PRINT, CHECK, WRITE, DIFF } mode = PRINT;
    int nfiles = 0, status = 0;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(_(fmt_help), stdout);
            return 0;
        }
        if (strcmp(argv[i], "--check") == 0)
            mode = CHECK;
        else if (strcmp(argv[i], "-w") == 0 || strcmp(argv[i], "--write") == 0)
            mode = WRITE;
        else if (strcmp(argv[i], "--diff") == 0)
            mode = DIFF;
        else if (argv[i][0] == '-' && argv[i][1])
            return usage_error("fmt: unknown option %s", argv[i]);
    }
    for (int i = 0; i < argc; i++) {
        const char *path = argv[i];
        if (path[0] == '-' && path[1])
            continue;
        nfiles++;
        Arena a;
        arena_init(&a);
        Diags d;
        diag_init(&d, stderr);
        const char *err = NULL;
        Source *src = source_load(&a, path, &err);
        if (!src) {
            fprintf(stderr, _("rubric: error: %s\n"), err);
            status = 2;
            arena_free(&a);
            continue;
        }
        char *buf = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&buf, &len);
        int rc = mem ? fmt_write(&a, src, &d, mem) : -1;
        if (mem)
            fclose(mem);
        if (rc != 0) {
            diag_summary(&d, path);
            fprintf(stderr, _("rubric: %s has errors; it was not formatted\n"), path);
            status = 2;
        } else {
            /* compare with the bytes on disk (a BOM or CRLF counts as a change) */
            FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "rb");
            bool same = false;
            if (f) {
                char *disk = xmalloc(len + 2);
                size_t got = fread(disk, 1, len + 1, f);
                same = got == len && memcmp(disk, buf, len) == 0;
                free(disk);
                fclose(f);
            }
            if (mode == PRINT) {
                fwrite(buf, 1, len, stdout);
            } else if (mode == CHECK) {
                if (!same) {
                    printf("%s\n", path);
                    if (status == 0)
                        status = 1;
                }
            } else if (mode == WRITE) {
                if (!same && !write_whole(path, buf, len))
                    status = 2;
            } else if (!same) {
                const char *dir = getenv("TMPDIR");
                char *tmp = arena_printf(&a, "%s/rubric-fmt-XXXXXX", dir && *dir ? dir : "/tmp");
                int fd = mkstemp(tmp);
                FILE *t = fd >= 0 ? fdopen(fd, "w") : NULL;
                if (!t)
                    fprintf(stderr, "rubric: fmt: cannot show the changes: %s: %s\n", tmp,
                            strerror(errno));
                if (t) {
                    fwrite(buf, 1, len, t);
                    fclose(t);
                    fflush(stdout);
                    pid_t pid = fork();
                    if (pid == 0) {
                        execlp("diff", "diff", "-u", "--label", path, "--label", "formatted", path,
                               tmp, (char *)NULL);
                        _exit(127);
                    }
                    int ws = 0;
                    if (pid > 0)
                        waitpid(pid, &ws, 0);
                    unlink(tmp);
                }
                if (status == 0)
                    status = 1;
            }
        }
        free(buf);
        arena_free(&a);
    }
    if (nfiles == 0)
        return usage_error("fmt: no rubric file given%s", "");
    return status;
}

static int cmd_render(int argc, char **argv)
{
    RenderFormat fmt = RENDER_HTML;
    const char *path = NULL, *outpath = NULL;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) {
            fputs(_(render_help), stdout);
            return 0;
        }
        if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0 ||
            strcmp(a, "--output") == 0) {
            if (i + 1 >= argc)
                return usage_error("render: %s needs a value", a);
            const char *v = argv[++i];
            if (a[1] == 'o' || a[2] == 'o') {
                outpath = v;
            } else if (strcmp(v, "md") == 0 || strcmp(v, "markdown") == 0) {
                fmt = RENDER_MD;
            } else if (strcmp(v, "html") == 0) {
                fmt = RENDER_HTML;
            } else {
                return usage_error("render: unknown format %s (use md or html)", v);
            }
        } else if (a[0] == '-' && a[1]) {
            return usage_error("render: unknown option %s", a);
        } else if (path) {
            return usage_error("render: one rubric at a time (got %s too)", a);
        } else {
            path = a;
        }
    }
    if (!path)
        return usage_error("render: no rubric file given%s", "");
    Loaded l;
    if (!load_for(&l, path, N_("rendered"), false))
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
        status = write_whole(outpath, buf, len) ? 0 : 2;
    else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0)
        status = 2;
    free(buf);
    arena_free(&l.arena);
    return status;
}

#ifdef RUBRIC_TESTING
static void report_alloc_count(void)
{
    fprintf(stderr, "rubric: %ld allocations\n", mem_alloc_count());
}
#endif

/* the help texts keep their layout: one source line per printed line */
/* clang-format off */
static const char diff_help[] = N_(
    "usage: rubric diff [--sheet NAME] OLD.rubric NEW.rubric FACTS...\n"
    "\n"
    "Scores the same employees under two versions of a rubric and lists each one\n"
    "whose total, grade or an output changes, with the change, then how many changed.\n"
    "Exit status: 0 all scored under both, 1 some employee could not be scored\n"
    "under one of them, 2 bad usage or a rubric with errors.\n");
/* clang-format on */

/* An employee's total and grade as text, or why they could not be scored. */
static const char *diff_side(Arena *a, const Result *r, bool ok)
{
    if (!ok)
        return arena_printf(a, _("error: %s"), r->error);
    char buf[DEC_BUFSZ];
    dec_format(r->total, buf);
    return r->grade ? arena_printf(a, "%s %s", buf, r->grade) : arena_strndup(a, buf, strlen(buf));
}

static bool same_value(const Value *x, const Value *y)
{
    if (x->kind != y->kind)
        return false;
    switch (x->kind) {
    case VAL_NUMBER:
    case VAL_PERCENT:
        return dec_cmp(x->d, y->d) == 0;
    case VAL_BOOL:
        return x->b == y->b;
    case VAL_TEXT:
        return x->len == y->len && memcmp(x->s, y->s, x->len) == 0;
    default:
        return true;
    }
}

/* The outputs (by name, those both rubrics declare) whose value changes, as
 * "; 系数 1 -> 1.2" each; "" when none does. */
static const char *diff_outputs(Arena *a, const Program *po, const Result *ro, const Program *pn,
                                const Result *rn)
{
    const char *s = "";
    for (int i = 0; i < pn->noutputs; i++)
        for (int j = 0; j < po->noutputs; j++) {
            if (strcmp(po->outputs[j].name, pn->outputs[i].name) != 0 ||
                same_value(&ro->outputs[j], &rn->outputs[i]))
                continue;
            const Value *x = &ro->outputs[j], *y = &rn->outputs[i];
            s = arena_printf(
                a, "%s; %s %s -> %s", s, pn->outputs[i].name,
                x->kind == VAL_TEXT ? arena_strndup(a, x->s, x->len) : value_text(a, x),
                y->kind == VAL_TEXT ? arena_strndup(a, y->s, y->len) : value_text(a, y));
        }
    return s;
}

static int cmd_diff(int argc, char **argv)
{
    const char *sheet = NULL;
    int kept = 0; /* argv without --sheet NAME */
    for (int i = 0; i < argc; i++) {
        bool bad = false;
        if (is_help(argv[i])) {
            fputs(_(diff_help), stdout);
            return 0;
        } else if (sheet_option(argc, argv, &i, &sheet, &bad)) {
            if (bad)
                return usage_error("diff: %s needs a sheet name", argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error("diff: unknown option %s", argv[i]);
        } else {
            argv[kept++] = argv[i];
        }
    }
    argc = kept;
    if (argc < 3)
        return usage_error("diff: give the old rubric, the new rubric and the facts%s", "");
    Loaded old, new;
    if (!load_for_scoring(&old, argv[0], true))
        return 2;
    if (!load_for_scoring(&new, argv[1], true)) {
        arena_free(&old.arena);
        return 2;
    }
    Eval *eo = eval_new(old.prog, &old.diags), *en = eval_new(new.prog, &new.diags);
    eval_use_fast_path(eo, true);
    eval_use_fast_path(en, true);
    const Program *progs[] = {old.prog, new.prog, NULL};
    FactReader *r = open_facts((const char *const *)argv + 2, (size_t)(argc - 2), sheet, progs);
    Arena ao, an;
    arena_init(&ao);
    arena_init(&an);
    FactRecord rec;
    long total = 0, changed = 0;
    int status = 0;
    while (facts_next(r, &ao, &rec)) {
        Result ro, rn;
        bool oko = eval_record(eo, &rec, &ao, &ro), okn = eval_record(en, &rec, &an, &rn);
        total++;
        if (!oko || !okn)
            status = 1;
        const char *outs = oko && okn ? diff_outputs(&ao, old.prog, &ro, new.prog, &rn) : "";
        bool same =
            oko == okn && (!oko || (dec_cmp(ro.total, rn.total) == 0 && !*outs &&
                                    ((!ro.grade && !rn.grade) ||
                                     (ro.grade && rn.grade && strcmp(ro.grade, rn.grade) == 0))));
        if (!same) {
            changed++;
            const char *delta = "";
            if (oko && okn) {
                Dec d;
                char buf[DEC_BUFSZ];
                dec_sub(rn.total, ro.total, &d);
                dec_format(d, buf);
                delta = arena_printf(&ao, " (%s%s)", dec_is_neg(d) ? "" : "+", buf);
            }
            printf("%s\t%s -> %s%s%s\t%s\n", ro.id ? ro.id : rec.default_id,
                   diff_side(&ao, &ro, oko), diff_side(&an, &rn, okn), delta, outs, rec.source);
        }
        arena_reset(&ao);
        arena_reset(&an);
    }
    facts_close(r);
    static const char *const tally = N_("%ld of %ld employees change\n");
    if (i18n_translated(tally))
        printf(_(tally), changed, total);
    printf(tally, changed, total);
    eval_free(eo);
    eval_free(en);
    arena_free(&ao);
    arena_free(&an);
    arena_free(&old.arena);
    arena_free(&new.arena);
    return status;
}

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

static int cmd_report(int argc, char **argv)
{
    const char *outpath = NULL, *sheet = NULL;
    bool bad = false;
    const char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int nfiles = 0;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(_(report_help), stdout);
            free(files);
            return 0;
        }
        if (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) {
            if (i + 1 >= argc) {
                free(files);
                return usage_error("report: %s needs a file name", argv[i]);
            }
            outpath = argv[++i];
        } else if (sheet_option(argc, argv, &i, &sheet, &bad)) {
            if (bad) {
                free(files);
                return usage_error("report: %s needs a sheet name", argv[i]);
            }
        } else if (argv[i][0] == '-' && argv[i][1]) {
            free(files);
            return usage_error("report: unknown option %s", argv[i]);
        } else {
            files[nfiles++] = argv[i];
        }
    }
    if (nfiles < 2) {
        free(files);
        return usage_error("report: give a rubric and the employees' facts%s", "");
    }
    Loaded l;
    if (!load_for(&l, files[0], N_("reported"), true)) {
        free(files);
        return 2;
    }
    Eval *e = eval_new(l.prog, &l.diags);
    eval_use_fast_path(e, true);
    Report *rep = report_new(l.prog);
    const Program *progs[] = {l.prog, NULL};
    FactReader *r = open_facts(files + 1, (size_t)(nfiles - 1), sheet, progs);
    Arena emp;
    arena_init(&emp);
    FactRecord rec;
    int status = 0;
    while (facts_next(r, &emp, &rec)) {
        Result res;
        if (!eval_record(e, &rec, &emp, &res)) {
            status = 1;
            report_employee_error(&rec, &res);
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
        if (outpath ? !write_whole(outpath, buf, len)
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

static int cmd_template(int argc, char **argv)
{
    const char *path = NULL, *outpath = NULL;
    bool xlsx = false, bom = false;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) {
            fputs(_(template_help), stdout);
            return 0;
        }
        if (strcmp(a, "-f") == 0 || strcmp(a, "--format") == 0 || strcmp(a, "-o") == 0 ||
            strcmp(a, "--output") == 0) {
            if (i + 1 >= argc)
                return usage_error("template: %s needs a value", a);
            const char *v = argv[++i];
            if (a[1] == 'o' || a[2] == 'o')
                outpath = v;
            else if (strcmp(v, "csv") == 0 || strcmp(v, "xlsx") == 0)
                xlsx = v[0] == 'x';
            else
                return usage_error("template: unknown format %s (use csv or xlsx)", v);
        } else if (strcmp(a, "--bom") == 0) {
            bom = true;
        } else if (a[0] == '-' && a[1]) {
            return usage_error("template: unknown option %s", a);
        } else if (path) {
            return usage_error("template: one rubric at a time (got %s too)", a);
        } else {
            path = a;
        }
    }
    if (!path)
        return usage_error("template: no rubric file given%s", "");
    if (xlsx && !outpath)
        return usage_error("template: -f xlsx needs -o FILE (a workbook is a file, not text)%s",
                           "");
    if (xlsx && bom)
        return usage_error("template: --bom is for csv%s", "");
    Loaded l;
    if (!load_for(&l, path, N_("written"), false))
        return 2;
    int status = 0;
    if (xlsx) {
        char *tmp = NULL;
        const char *why = NULL;
        int fd = temp_beside(outpath, &tmp);
        if (fd >= 0)
            close(fd);
        if (fd < 0 || template_xlsx(l.prog, tmp, &why) != 0 || rename(tmp, outpath) != 0) {
            fprintf(stderr, _("rubric: error: cannot write %s: %s\n"), outpath,
                    why ? why : strerror(errno));
            if (fd >= 0)
                unlink(tmp);
            status = 2;
        }
        pending_tmp = NULL;
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
            status = write_whole(outpath, buf, len) ? 0 : 2;
        else if (status == 0 && (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0))
            status = 2;
        free(buf);
    }
    arena_free(&l.arena);
    return status;
}

int main(int argc, char **argv)
{
#ifdef RUBRIC_TESTING
    /* fault injection for the sanitizer build: fail the Nth allocation, or
       count them so a test can walk N across every allocation */
    const char *fail = getenv("RUBRIC_FAIL_ALLOC");
    if (fail)
        mem_fail_at(atol(fail));
    if (getenv("RUBRIC_COUNT_ALLOC"))
        atexit(report_alloc_count);
#endif
    /* the language first: every message after this is in it */
    I18nLang lang = i18n_from_env();
    const char *bad = NULL;
    bool lang_ok = i18n_take_option(&argc, argv, &lang, &bad);
    i18n_use(lang);
    if (!lang_ok && strcmp(bad, "--lang") == 0)
        return usage_error("--lang needs a value, zh or en%s", "");
    if (!lang_ok)
        return usage_error("--lang takes zh or en, not %s", bad);
    if (argc < 2) {
        fputs(_(usage_text), stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (is_help(cmd)) {
        fputs(_(usage_text), stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("rubric %s\n", RUBRIC_VERSION);
        return 0;
    }
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "eval") == 0)
        return cmd_eval(argc - 2, argv + 2);
    if (strcmp(cmd, "test") == 0)
        return cmd_test(argc - 2, argv + 2);
    if (strcmp(cmd, "explain") == 0)
        return cmd_explain(argc - 2, argv + 2);
    if (strcmp(cmd, "fmt") == 0)
        return cmd_fmt(argc - 2, argv + 2);
    if (strcmp(cmd, "render") == 0)
        return cmd_render(argc - 2, argv + 2);
    if (strcmp(cmd, "diff") == 0)
        return cmd_diff(argc - 2, argv + 2);
    if (strcmp(cmd, "report") == 0)
        return cmd_report(argc - 2, argv + 2);
    if (strcmp(cmd, "template") == 0)
        return cmd_template(argc - 2, argv + 2);
    return usage_error("unknown command %s", cmd);
}
