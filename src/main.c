/* main.c - the command line: rubric check | eval | test | explain | fmt | render.
 *
 * Only argument handling and the flow between modules live here. Exit status:
 * 0 all well; 1 an employee could not be scored, a test failed or check found
 * errors; 2 the command could not run (bad usage, an unreadable rubric, or a
 * rubric with errors given to a command that scores). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "analyze.h"
#include "ast.h"
#include "check.h"
#include "diag.h"
#include "eval.h"
#include "facts.h"
#include "output.h"
#include "parse.h"
#include "source.h"

#define RUBRIC_VERSION "0.1.0"

static const char usage_text[] =
    "usage: rubric COMMAND [options] ...\n"
    "\n"
    "commands:\n"
    "  check RUBRIC...                    parse and analyse; print diagnostics\n"
    "  eval RUBRIC FACTS...               score employees (.facts files, folders, .csv, - for stdin)\n"
    "  test RUBRIC...                     run the rubric's test blocks\n"
    "  explain RUBRIC FACTS [--id ID]     why one employee got each score\n"
    "\n"
    "Run 'rubric COMMAND --help' for a command's options.\n";

static const char check_help[] =
    "usage: rubric check [--verbose] [--dump-ast | --dump-tokens] RUBRIC...\n"
    "\n"
    "Parses and analyses each rubric and prints every problem found as\n"
    "FILE:LINE:COL: error|warning: message [code], with the source line.\n"
    "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 a file could not be read.\n"
    "\n"
    "  -v, --verbose   also show inferred full scores and rule lists the analysis skipped\n"
    "  --dump-ast      print the syntax tree of each rubric\n"
    "  --dump-tokens   print the tokens of each rubric\n";

static const char eval_help[] =
    "usage: rubric eval [-f table|csv|tsv|json] [-o FILE] RUBRIC FACTS...\n"
    "\n"
    "Scores every employee: FACTS are .facts files (one employee each), folders of\n"
    "them, .csv files (a row per employee), or - for standard input.\n"
    "\n"
    "  -f, --format FMT   table (default on a terminal), csv (default otherwise), tsv, json\n"
    "  -o, --output FILE  write the results to FILE, whole or not at all\n"
    "\n"
    "Exit status: 0 all scored, 1 some employee could not be scored, 2 the rubric has\n"
    "errors or the command could not run.\n";

static const char test_help[] =
    "usage: rubric test [--run PATTERN] RUBRIC...\n"
    "\n"
    "Runs the test blocks of each rubric and reports each failed expectation with its\n"
    "actual value. Ends with 'N passed, N failed'. Exit status 1 if any test failed.\n"
    "\n"
    "  --run PATTERN   only the tests whose name contains PATTERN\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("rubric: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nRun 'rubric --help' for usage.\n", stderr);
    return 2;
}

static bool is_help(const char *a) { return strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0; }

/* A rubric loaded, parsed and checked; NULL program when unreadable. */
typedef struct {
    Arena arena;
    Diags diags;
    const Source *src;
    Node *root;
    Program *prog;
} Loaded;

static bool load(Loaded *l, const char *path, FILE *dump_tokens, bool dump_ast, int analyze)
{
    arena_init(&l->arena);
    diag_init(&l->diags, stderr);
    const char *err = NULL;
    l->src = source_load(&l->arena, path, &err);
    l->root = NULL;
    l->prog = NULL;
    if (!l->src) {
        fprintf(stderr, "rubric: error: %s\n", err);
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
    bool dump_ast = false, dump_tokens = false, verbose = false;
    int nfiles = 0, status = 0;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(check_help, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--dump-ast") == 0)
            dump_ast = true;
        else if (strcmp(argv[i], "--dump-tokens") == 0)
            dump_tokens = true;
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
        if (!load(&l, argv[i], dump_tokens ? stdout : NULL, dump_ast, verbose ? 2 : 1)) {
            status = 2;
            continue;
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
 * are `check`'s business and stay quiet here, so a batch's standard error
 * holds only what concerns the employees. */
static bool load_for_scoring(Loaded *l, const char *path)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return false;
    arena_init(&l->arena);
    diag_init(&l->diags, mem);
    const char *err = NULL;
    l->root = NULL;
    l->prog = NULL;
    l->src = source_load(&l->arena, path, &err);
    if (l->src) {
        l->root = parse_source(&l->arena, l->src, &l->diags, NULL);
        l->prog = check_program(&l->arena, l->src, l->root, &l->diags);
    }
    bool bad = !l->src || l->diags.errors;
    if (l->src && bad)
        diag_summary(&l->diags, path);
    fclose(mem);
    if (!l->src)
        fprintf(stderr, "rubric: error: %s\n", err);
    if (l->src && bad) {
        fwrite(buf, 1, len, stderr);
        fprintf(stderr, "rubric: %s has errors; nothing was scored\n", path);
    }
    free(buf);
    l->diags.out = stderr;
    l->diags.warnings = 0;
    return !bad;
}

static void layout_of(const Program *p, OutLayout *lay, Arena *a)
{
    memset(lay, 0, sizeof *lay);
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
        }
        row->raters = raters;
    }
}

static void report_employee_error(const FactRecord *rec, const Result *res)
{
    if (res->error_where)
        fprintf(stderr, "%s: error: %s (rule at %s)\n", rec->source, res->error, res->error_where);
    else
        fprintf(stderr, "%s: error: %s\n", rec->source, res->error);
}

static int cmd_eval(int argc, char **argv)
{
    const char *format = NULL, *outpath = NULL;
    const char **files = xmalloc(((size_t)argc + 1) * sizeof *files);
    int nfiles = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (is_help(a)) {
            fputs(eval_help, stdout);
            free(files);
            return 0;
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
    if (format && parse_format(format, &fmt) < 0) {
        free(files);
        return usage_error("eval: unknown format %s (use table, csv, tsv or json)", format);
    }
    Loaded l;
    if (!load_for_scoring(&l, files[0])) {
        free(files);
        return 2;
    }
    const Program *p = l.prog;
    FILE *out = stdout;
    char *tmppath = NULL;
    if (outpath) {
        size_t n = strlen(outpath);
        tmppath = xmalloc(n + 16);
        snprintf(tmppath, n + 16, "%s.tmpXXXXXX", outpath);
        int fd = mkstemp(tmppath);
        if (fd < 0 || !(out = fdopen(fd, "w"))) {
            fprintf(stderr, "rubric: error: cannot write %s: %s\n", outpath, strerror(errno));
            free(tmppath);
            free(files);
            arena_free(&l.arena);
            return 2;
        }
    }
    OutLayout lay;
    layout_of(p, &lay, &l.arena);
    Out *o = out_open(out, fmt, &lay);
    Eval *e = eval_new(p, &l.diags);
    FactReader *r = facts_open(files + 1, (size_t)(nfiles - 1));
    Arena emp;
    arena_init(&emp);
    OutRaterRow *raters = arena_alloc(&l.arena, ((size_t)p->nraters + 1) * sizeof *raters);
    int status = 0;
    FactRecord rec;
    while (facts_next(r, &emp, &rec)) {
        Result res;
        if (!eval_record(e, &rec, &emp, &res)) {
            status = 1;
            report_employee_error(&rec, &res);
        }
        OutRow row;
        fill_row(p, &res, &rec, &row, raters);
        out_row(o, &row);
        arena_reset(&emp);
    }
    facts_close(r);
    int werr = out_finish(o);
    if (outpath) {
        if (fclose(out) != 0)
            werr = -1;
        if (werr == 0 && rename(tmppath, outpath) != 0)
            werr = -1;
        if (werr != 0) {
            fprintf(stderr, "rubric: error: cannot write %s: %s\n", outpath, strerror(errno));
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
    free(tmppath);
    free(files);
    return status;
}

static int cmd_test(int argc, char **argv)
{
    const char *pattern = NULL;
    int passed = 0, failed = 0, nfiles = 0;
    bool bad_rubric = false;
    for (int i = 0; i < argc; i++) {
        if (is_help(argv[i])) {
            fputs(test_help, stdout);
            return 0;
        }
        if (strcmp(argv[i], "--run") == 0) {
            if (i + 1 >= argc)
                return usage_error("test: %s needs a pattern", argv[i]);
            pattern = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return usage_error("test: unknown option %s", argv[i]);
        }
    }
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--run") == 0) {
            i++;
            continue;
        }
        nfiles++;
        Loaded l;
        if (!load_for_scoring(&l, argv[i])) {
            bad_rubric = true;
            continue;
        }
        const Program *p = l.prog;
        Eval *e = eval_new(p, &l.diags);
        Arena emp;
        arena_init(&emp);
        for (int t = 0; t < p->ntests; t++) {
            const Node *test = p->tests[t];
            if (pattern && !strstr(test->name, pattern))
                continue;
            Result res;
            int line = source_line(l.src, test->start);
            bool ok = eval_test(e, test, &emp, &res);
            if (!ok) {
                printf("FAIL %s:%d: test \"%s\": employee cannot be scored: %s\n", argv[i], line, test->name,
                       res.error);
                failed++;
                arena_reset(&emp);
                continue;
            }
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
                    printf("FAIL %s:%d: test \"%s\"\n", argv[i], line, test->name);
                all = false;
                int xl = source_line(l.src, x->start);
                printf("  %s:%d: expect %.*s\n", argv[i], xl, (int)(x->a->end - x->a->start),
                       l.src->text + x->a->start);
                if (v < 0) {
                    printf("    error: %s\n", why);
                } else if (x->a->kind == AST_CHAIN && x->a->nkids == 2) {
                    for (int s = 0; s < 2; s++) {
                        const Node *side = x->a->kids[s];
                        if (side->kind == AST_NUM || side->kind == AST_STR || side->kind == AST_BOOL)
                            continue;
                        const char *sv = eval_test_side(e, side, &emp);
                        printf("    %.*s is %s\n", (int)(side->end - side->start), l.src->text + side->start,
                               sv);
                    }
                }
            }
            if (all)
                passed++;
            else
                failed++;
            arena_reset(&emp);
        }
        eval_free(e);
        arena_free(&emp);
        arena_free(&l.arena);
    }
    if (nfiles == 0)
        return usage_error("test: no rubric file given%s", "");
    printf("%d passed, %d failed\n", passed, failed);
    if (bad_rubric)
        return 2;
    return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (is_help(cmd)) {
        fputs(usage_text, stdout);
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
    return usage_error("unknown command %s", cmd);
}
