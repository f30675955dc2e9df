/* cmd_fmt.c - rubric fmt: print, check, rewrite or diff rubrics in the
 * canonical layout (fmt.c does the layout; this file the files and modes). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "fmt.h"
#include "i18n.h"

/* the help texts keep their layout: one source line per printed line */
/* clang-format off */
static const char fmt_help[] = N_(
    "usage: rubric fmt [--check | -w | --diff] RUBRIC...\n"
    "\n"
    "Prints each rubric in the canonical layout (indentation, spacing, aligned ->),\n"
    "keeping comments, blank-line paragraphs and keyword spellings.\n"
    "\n"
    "  --check   print nothing; list the files that would change and exit 1 if any\n"
    "  -w        rewrite the files in place\n"
    "  --diff    show what would change as a unified diff\n");

/* clang-format on */

int cmd_fmt(int argc, char **argv)
{
    enum { PRINT, CHECK, WRITE, DIFF } mode = PRINT;
    int nfiles = 0, status = 0;
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
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
            return cli_usage_error("fmt: unknown option %s", argv[i]);
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
                if (!same && !cli_write_whole(path, buf, len))
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
        return cli_usage_error("fmt: no rubric file given%s", "");
    return status;
}
