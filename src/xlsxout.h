/* xlsxout.h - scored employees as an Excel workbook (eval -f xlsx -o FILE).
 *
 * The columns are the CSV's (output.h): id, every node, total, grade, the
 * outputs, error. Numbers are number cells, percent outputs number cells with
 * a percent format, text is a string cell (never a formula), the header is
 * frozen with an autofilter and the columns are as wide as their text (a CJK
 * character counts two). Rows stream to the file (libxlsxwriter's constant
 * memory mode), so memory does not grow with the number of employees. */
#ifndef RUBRIC_XLSXOUT_H
#define RUBRIC_XLSXOUT_H
#include "output.h"

typedef struct XlsxOut XlsxOut;

/* Start a workbook at path (created or truncated when it is closed). The
 * layout must outlive the writer. */
XlsxOut *xlsxout_open(const char *path, const OutLayout *layout);
/* Write one employee. */
void xlsxout_row(XlsxOut *o, const OutRow *row);
/* Write the workbook out and free o; 0, or -1 with *why set (static text or
 * libxlsxwriter's) when it could not be written. */
int xlsxout_finish(XlsxOut *o, const char **why);

/* A Dec's decimal text as the double a spreadsheet cell stores: the nearest
 * one (strtod), done only here, at the edge where the file format needs it. */
double xlsxout_number(Dec d);

#endif
