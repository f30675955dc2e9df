/* diag.h - every diagnostic of the program is printed here.
 *
 * Format: `FILE:LINE:COL: error|warning: message [code]`, then the source line
 * and a caret/tilde underline placed by display width (CJK is two columns),
 * then optional `note:`/`hint:` lines. Messages are lower case without a
 * trailing period; hints are full sentences. Errors past a cap are counted but
 * not printed.
 *
 * Every format string is translated here (gettext, see i18n.h), so callers
 * pass the English literal and xgettext finds it by the function's name. In
 * a format, `{kw}` (a keyword's English spelling in braces, e.g. `{else}`)
 * prints the keyword as the rubric spells it: its Chinese form when the
 * rubric is written with Chinese keywords (Diags.keyword set), else kw. */
#ifndef RUBRIC_DIAG_H
#define RUBRIC_DIAG_H
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "source.h"

typedef enum { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } DiagLevel;

#define DIAG_CAP 50 /* errors printed per file at most */

typedef struct {
    FILE *out;       /* where diagnostics go (stderr, or a memory stream in tests) */
    int errors;      /* errors reported, printed or not */
    int warnings;    /* warnings reported */
    int shown;       /* errors actually printed */
    bool last_shown; /* the previous diagnostic was printed (so its hints are too) */
    /* the Chinese spelling of an English keyword, set once the rubric is seen
       to use Chinese keywords; NULL: keywords in messages stay English */
    const char *(*keyword)(const char *en);
} Diags;

void diag_init(Diags *d, FILE *out);
/* Report at the byte span [start, end) of src. code may be NULL. */
void diag_at(Diags *d, const Source *src, DiagLevel lv, uint32_t start, uint32_t end,
             const char *code, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* diag_at with the arguments as a va_list. */
void diag_vat(Diags *d, const Source *src, DiagLevel lv, uint32_t start, uint32_t end,
              const char *code, const char *fmt, va_list ap) __attribute__((format(printf, 7, 0)));
/* A `hint:` line for the diagnostic just reported. */
void diag_hint(Diags *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A located `note:` for the diagnostic just reported (e.g. where a block opened). */
void diag_note(Diags *d, const Source *src, uint32_t start, uint32_t end, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Report without a source line: `where: error: message`. where may be NULL. */
void diag_plain(Diags *d, DiagLevel lv, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* `N errors and M warnings in FILE` (nothing when both are 0), and the count
 * of errors not shown. */
void diag_summary(Diags *d, const char *path);
/* The word a translated level shows: "error", "warning", "note" in English. */
const char *diag_level_name(DiagLevel lv);

#endif
