/* value.h - the run-time values of the language and the declared fact types. */
#ifndef RUBRIC_VALUE_H
#define RUBRIC_VALUE_H
#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "decimal.h"

/* Declared fact types. */
typedef enum { FT_NUMBER, FT_INTEGER, FT_PERCENT, FT_BOOL, FT_TEXT } FactType;

/* Run-time value kinds. A percent holds its fraction: 92% is 0.92. */
typedef enum { VAL_NONE, VAL_NUMBER, VAL_PERCENT, VAL_BOOL, VAL_TEXT } ValKind;

typedef struct {
    ValKind kind;  /* VAL_NONE: missing */
    bool b;        /* VAL_BOOL */
    Dec d;         /* VAL_NUMBER, VAL_PERCENT (fraction) */
    const char *s; /* VAL_TEXT: UTF-8, not NUL-terminated */
    size_t len;    /* VAL_TEXT byte length */
} Value;

/* What a fact's declaration says about its values. */
typedef struct {
    FactType type;
    bool has_lo, has_hi; /* range bounds declared */
    Dec lo, hi;          /* inclusive; for percent facts, fractions */
} FactSpec;

/* d in its shortest exact form ("87.2"). */
const char *value_dec_text(Arena *a, Dec d);
/* A fraction as a percent: 0.2 is "20%". */
const char *value_percent_text(Arena *a, Dec fraction);
/* v as reports show it: 92%, 87.2, 是/否, "text" in quotes, (missing). */
const char *value_text(Arena *a, const Value *v);

#endif
