/* analyze.h - static analysis of a checked rubric for `rubric check`.
 *
 * Answers an auditor's first question, "can this rubric give a wrong or no
 * score?", before anyone is scored: for every rule list (item, grade, output)
 * with FIRST semantics it finds the regions of the declared fact domains that
 * no rule matches (gaps), rules that earlier rules fully cover (unreachable),
 * conditions that never hold, and duplicate rules; it also explains how
 * weighted items are scaled. Conditions built from comparisons of facts, total
 * or node scores with constants, and/or/not and bool facts are decided exactly
 * as unions of boxes; anything else is skipped, never guessed. */
#ifndef RUBRIC_ANALYZE_H
#define RUBRIC_ANALYZE_H
#include <stdbool.h>

#include "arena.h"
#include "check.h"
#include "diag.h"

/* Report findings on p (which checked without errors) to d. verbose adds the
 * full-score report and says which rule lists were skipped. */
void analyze_program(Arena *a, const Program *p, Diags *d, bool verbose);

#endif
