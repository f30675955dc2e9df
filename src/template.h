/* template.h - the fill-in sheet a manager gets: one column per fact.
 *
 * Columns come in declaration order: the id fact first (a column named "id"
 * when the rubric declares none, since eval then takes the first column as
 * the employee's id), then every other fact. With raters, a fact that an item
 * reads gets one column per rater (NAME@RATER), so each rater's view has its
 * own value; the other facts are shared. What is filled in reads back through
 * eval (CSV or the workbook itself) without an error. */
#ifndef RUBRIC_TEMPLATE_H
#define RUBRIC_TEMPLATE_H
#include <stdbool.h>
#include <stdio.h>

#include "check.h"

/* The header row as CSV (with a UTF-8 BOM when bom) to f; 0, or -1 when f
 * reports a write error. */
int template_csv(const Program *p, bool bom, FILE *f);
/* The template as a workbook at path: text columns formatted as text,
 * percent columns as percents, each header with a note (description, type,
 * range) and data validation on its column, the header frozen. 0, or -1 with
 * *why (static text or libxlsxwriter's). */
int template_xlsx(const Program *p, const char *path, const char **why);

#endif
