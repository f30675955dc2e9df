/* cli.h - the command line: one file per command (cmd_NAME.c, entry point
 * cmd_NAME), main.c dispatching to them, and cli.c holding what they share.
 *
 * Every command takes the arguments after its name and returns the exit
 * status: 0 all well; 1 an employee could not be scored, a test failed or
 * check found errors; 2 the command could not run (bad usage, an unreadable
 * rubric, a rubric with errors given to a command that scores, an output
 * that could not be written). */
#ifndef RUBRIC_CLI_H
#define RUBRIC_CLI_H
#include <stdbool.h>
#include <stdio.h>

#include "arena.h"
#include "ast.h"
#include "check.h"
#include "diag.h"
#include "eval.h"
#include "facts.h"
#include "source.h"

/* A rubric loaded, parsed and checked; NULL program when unreadable. */
typedef struct {
    Arena arena;       /* owns everything below */
    Diags diags;       /* the rubric's diagnostics, then warnings about employees */
    const Source *src; /* the rubric's text */
    Node *root;        /* the syntax tree, NULL when it did not parse */
    Program *prog;     /* the checked program */
} Loaded;

/* The commands (cmd_NAME.c): argc/argv are the arguments after the command's
 * name; each returns the exit status described above. */
int cmd_check(int argc, char **argv);
int cmd_eval(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_fmt(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_diff(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_template(int argc, char **argv);

/* Print "rubric: " and the translated printf format fmt with arg, then where
 * usage is; returns 2, the exit status of bad usage. */
int cli_usage_error(const char *fmt, const char *arg);

/* Whether a is --help or -h. */
bool cli_is_help(const char *a);

/* A temporary file beside path, to be renamed over it once complete, with the
 * mode path has now (or, new, what the umask allows). Returns the descriptor
 * or -1; *tmp_out gets its name (the caller frees it), removed at exit unless
 * cli_temp_forget is called first. A path that exists and is no regular file
 * (/dev/null, a FIFO) is opened in place instead, *tmp_out NULL. */
int cli_temp_beside(const char *path, char **tmp_out);

/* The temporary file of cli_temp_beside was renamed into place or removed:
 * exit leaves it be. */
void cli_temp_forget(void);

/* Write text to path whole or not at all (cli_temp_beside, then rename); false
 * after printing why when it could not be written. */
bool cli_write_whole(const char *path, const char *text, size_t len);

/* Load, parse and check path into l, diagnostics to diag_out; dump_tokens
 * (stops after the tokens) and dump_ast print those views; analyze 1 runs the
 * coverage analysis, 2 verbosely. False (arena freed) when it cannot be read. */
bool cli_load(Loaded *l, const char *path, FILE *diag_out, FILE *dump_tokens, bool dump_ast,
              int analyze);

/* Load a rubric for a command that uses it (done: what was not done when it
 * has errors, an N_() past participle). True when it loaded without errors;
 * else its diagnostics are printed and the arena freed. With notice, its
 * warnings are one line counting them. Afterwards l->diags prints to stderr. */
bool cli_load_for(Loaded *l, const char *path, const char *done, bool notice);

/* cli_load_for for a command that scores employees. */
bool cli_load_for_scoring(Loaded *l, const char *path, bool notice);

/* facts_open on the n files, workbooks read from sheet (NULL: the first) with
 * their header row found by the facts of progs (NULL-terminated, kept alive
 * by the caller until facts_close). */
FactReader *cli_open_facts(const char *const *files, size_t n, const char *sheet,
                           const Program *const *progs);

/* --sheet NAME or --sheet=NAME at argv[*i]: true when it is one, with *sheet
 * set and *i moved past it; *bad set when NAME is missing. */
bool cli_sheet_option(int argc, char **argv, int *i, const char **sheet, bool *bad);

/* Print on stderr why the employee of rec could not be scored (res->error),
 * with the rule's location when known. */
void cli_employee_error(const FactRecord *rec, const Result *res);

#endif
