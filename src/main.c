/* main.c - the command line: rubric check | eval | test | explain | fmt | render
 * | diff | report | template.
 *
 * Only the language option, the usage text and the choice of command live
 * here; each command is a file of its own (cmd_NAME.c, see cli.h, which also
 * lists the exit statuses). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "cli.h"
#include "i18n.h"

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

/* clang-format on */

#ifdef RUBRIC_TESTING
static void report_alloc_count(void)
{
    fprintf(stderr, "rubric: %ld allocations\n", mem_alloc_count());
}
#endif

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
        return cli_usage_error("--lang needs a value, zh or en%s", "");
    if (!lang_ok)
        return cli_usage_error("--lang takes zh or en, not %s", bad);
    if (argc < 2) {
        fputs(_(usage_text), stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (cli_is_help(cmd)) {
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
    return cli_usage_error("unknown command %s", cmd);
}
