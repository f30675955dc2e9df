/* cli.c - what the commands of the command line share: usage errors, loading
 * a rubric for a command, opening the facts, --sheet, and writing an output
 * file whole or not at all (a temporary file beside it, renamed into place,
 * removed at exit if the program stops first). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "batch.h"
#include "analyze.h"
#include "i18n.h"
#include "parse.h"
#include "utf8.h"

int cli_usage_error(const char *fmt, const char *arg)
{
    fputs("rubric: ", stderr);
    fprintf(stderr, _(fmt), arg);
    fputs(_("\nRun 'rubric --help' for usage.\n"), stderr);
    return 2;
}

bool cli_is_help(const char *a)
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

/* The temporary file was renamed into place or removed: exit leaves it be. */
void cli_temp_forget(void)
{
    pending_tmp = NULL;
}

/* A temporary file beside path, to be renamed over it once complete. It gets
 * the mode path has now, or for a new file what the umask allows, since
 * mkstemp alone would leave it private. Returns the descriptor or -1. A path
 * that is there and is no regular file (/dev/null, a FIFO, a terminal) is
 * opened and written in place, *tmp_out NULL: renaming over it would replace
 * the device with a file (as root, /dev/null for the whole machine). */
int cli_temp_beside(const char *path, char **tmp_out)
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

/* Load, parse and check path, diagnostics to diag_out; analyze 1 runs the
 * coverage analysis, 2 verbosely. False (arena freed) when it cannot be read. */
bool cli_load(Loaded *l, const char *path, FILE *diag_out, FILE *dump_tokens, bool dump_ast,
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

/* Load a rubric for a command that scores: errors mean exit 2. Its warnings
 * are `check`'s business: with notice, one line says how many there are
 * (`sales.rubric: 2 warnings; rubric check sales.rubric shows them`), so a
 * batch's standard error holds otherwise only what concerns the employees. */
bool cli_load_for(Loaded *l, const char *path, const char *done, bool notice)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return false;
    bool ok = cli_load(l, path, mem, NULL, false, notice ? 1 : 0);
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

bool cli_load_for_scoring(Loaded *l, const char *path, bool notice)
{
    return cli_load_for(l, path, N_("scored"), notice);
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
FactReader *cli_open_facts(const char *const *files, size_t n, const char *sheet,
                           const Program *const *progs)
{
    FactReader *r = facts_open(files, n);
    facts_workbooks(r, sheet, names_fact, progs);
    if (sheet) { /* a worksheet name with only CSVs and fact files would go unread */
        bool book = false;
        for (size_t i = 0; i < n && !book; i++) {
            size_t k = strlen(files[i]);
            book = k >= 5 && strcasecmp(files[i] + k - 5, ".xlsx") == 0;
        }
        if (!book)
            fprintf(stderr,
                    _("rubric: warning: --sheet %s is ignored: no .xlsx workbook is among the "
                      "facts\n"),
                    sheet);
    }
    return r;
}

/* --sheet NAME at argv[*i]: true (and *sheet, *i moved on) when it is one. */
bool cli_sheet_option(int argc, char **argv, int *i, const char **sheet, bool *bad)
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

void cli_employee_error(const FactRecord *rec, const Result *res)
{
    batch_error(stderr, rec, res);
}

/* Write text to path whole or not at all: a temporary file renamed into place. */
bool cli_write_whole(const char *path, const char *text, size_t len)
{
    char *tmp;
    int fd = cli_temp_beside(path, &tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    bool ok = f && fwrite(text, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok && tmp && rename(tmp, path) != 0)
        ok = false;
    if (ok)
        cli_temp_forget();
    if (!ok) {
        fprintf(stderr, _("rubric: error: cannot write %s: %s\n"), path, strerror(errno));
        if (fd >= 0 && tmp)
            unlink(tmp);
    }
    cli_temp_forget();
    free(tmp);
    return ok;
}
