/* cmd_check.c - rubric check: parse and analyse rubrics, print every diagnostic
 * (and the debugging views --dump-ast, --dump-tokens, --dump-code). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "code.h"
#include "i18n.h"

/* the help texts keep their layout: one source line per printed line */
/* clang-format off */
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

/* clang-format on */

int cmd_check(int argc, char **argv)
{
    bool dump_ast = false, dump_tokens = false, verbose = false, dump_code = false;
    int nfiles = 0, status = 0;
    for (int i = 0; i < argc; i++) {
        if (cli_is_help(argv[i])) {
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
            return cli_usage_error("check: unknown option %s", argv[i]);
    }
    for (int i = 0; i < argc; i++) {
        if (argv[i][0] == '-' && argv[i][1])
            continue;
        nfiles++;
        Loaded l;
        if (!cli_load(&l, argv[i], stderr, dump_tokens ? stdout : NULL, dump_ast,
                      verbose ? 2 : 1)) {
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
        return cli_usage_error("check: no rubric file given%s", "");
    return status;
}
