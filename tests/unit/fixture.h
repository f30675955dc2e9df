/* fixture.h - the fixture the front-end tests share: a fresh arena and an
 * in-memory diagnostics sink per test, so tests assert exact message text.
 * Include once per test file, after unit.h. */
#ifndef RUBRIC_FIXTURE_H
#define RUBRIC_FIXTURE_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "ast.h"
#include "check.h"
#include "diag.h"
#include "parse.h"
#include "source.h"

typedef struct {
    Arena a;
    char *buf; /* diagnostics written so far */
    size_t len;
    FILE *f;
    Diags d;
    Source *src;
    Node *root;
    Program *p;
} Fx;

/* (Re)open the diagnostics sink, forgetting what was written. */
static inline void fx_open_sink(Fx *x)
{
    x->buf = NULL;
    x->len = 0;
    x->f = open_memstream(&x->buf, &x->len);
    assert_non_null(x->f);
    diag_init(&x->d, x->f);
}

static inline int setup(void **state)
{
    Fx *x = calloc(1, sizeof *x);
    if (!x)
        return -1;
    arena_init(&x->a);
    fx_open_sink(x);
    *state = x;
    return 0;
}

static inline int teardown(void **state)
{
    Fx *x = *state;
    fclose(x->f);
    free(x->buf);
    arena_free(&x->a);
    free(x);
    return 0;
}

/* The diagnostics written so far. */
static inline const char *diags(Fx *x)
{
    fflush(x->f);
    return x->buf ? x->buf : "";
}

/* Forget the diagnostics so far. */
static inline void reset(Fx *x)
{
    fclose(x->f);
    free(x->buf);
    fx_open_sink(x);
}

/* Parse text (as t.rubric) into x->src; diagnostics go to the sink. */
static inline Node *parse(Fx *x, const char *text)
{
    x->src = source_from_text(&x->a, "t.rubric", text, strlen(text));
    return parse_source(&x->a, x->src, &x->d, NULL);
}

/* The --dump-ast view of n (kinds, names, operators and numbers, no offsets). */
static inline const char *tree(Fx *x, const Node *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ast_dump(f, n);
    fclose(f);
    char *r = arena_strndup(&x->a, buf, len);
    free(buf);
    return r;
}

#endif
