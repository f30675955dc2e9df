/* arena.c - bump allocation in growing blocks; see arena.h for the contract. */
#include "arena.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ArenaBlock {
    ArenaBlock *next;
    size_t size;
    max_align_t data[];
};

/* The only state shared by every thread (parallel.c scores on several):
   atomic, so that counting is no data race. With threads, which allocation
   fails is not repeatable; the fault-injection tests run one thread. */
static _Atomic long fail_countdown; /* 0: never fail; else the call that fails */
static _Atomic long alloc_count;    /* allocations so far, for fault-injection tests */

void mem_fail_at(long n)
{
    atomic_store_explicit(&fail_countdown, n, memory_order_relaxed);
}

long mem_alloc_count(void)
{
    return atomic_load_explicit(&alloc_count, memory_order_relaxed);
}

static void out_of_memory(void)
{
    fputs("rubric: error: out of memory\n", stderr);
    exit(2);
}

static int should_fail(void)
{
    atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed);
    if (atomic_load_explicit(&fail_countdown, memory_order_relaxed) > 0 &&
        atomic_fetch_sub_explicit(&fail_countdown, 1, memory_order_relaxed) == 1)
        return 1;
    return 0;
}

void *xmalloc(size_t n)
{
    void *p = should_fail() ? NULL : malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = should_fail() ? NULL : realloc(p, n ? n : 1);
    if (!q)
        out_of_memory();
    return q;
}

enum { BLOCK_MIN = 64 * 1024 };

void arena_init(Arena *a)
{
    a->head = NULL, a->cur = a->end = NULL;
    a->cleanup = NULL;
}

void *arena_alloc(Arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
    if ((size_t)(a->end - a->cur) < n || !a->cur) {
        size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
        ArenaBlock *b = xmalloc(sizeof *b + size);
        b->size = size;
        b->next = a->head;
        a->head = b;
        a->cur = (char *)b->data;
        a->end = a->cur + size;
    }
    void *p = a->cur;
    a->cur += n;
    return p;
}

void *arena_zalloc(Arena *a, size_t n)
{
    return memset(arena_alloc(a, n), 0, n);
}

char *arena_strndup(Arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_vprintf(Arena *a, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    if (n < 0)
        n = 0; /* an encoding error: an empty text rather than a bad size */
    char *p = arena_alloc(a, (size_t)n + 1);
    p[0] = 0;
    vsnprintf(p, (size_t)n + 1, fmt, again);
    va_end(again);
    return p;
}

char *arena_printf(Arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

struct ArenaCleanup {
    ArenaCleanup *next;
    void (*fn)(void *);
    void *p;
};

void arena_on_reset(Arena *a, void (*fn)(void *), void *p)
{
    ArenaCleanup *c = arena_alloc(a, sizeof *c);
    *c = (ArenaCleanup){a->cleanup, fn, p};
    a->cleanup = c;
}

static void run_cleanup(Arena *a)
{
    for (ArenaCleanup *c = a->cleanup; c; c = c->next)
        c->fn(c->p);
    a->cleanup = NULL;
}

void arena_reset(Arena *a)
{
    run_cleanup(a);
    if (!a->head)
        return;
    /* keep the oldest block (usually the only one) */
    ArenaBlock *b = a->head, *keep = NULL;
    while (b) {
        ArenaBlock *next = b->next;
        if (!next)
            keep = b;
        else
            free(b);
        b = next;
    }
    a->head = keep;
    keep->next = NULL;
    a->cur = (char *)keep->data;
    a->end = a->cur + keep->size;
}

void arena_free(Arena *a)
{
    run_cleanup(a);
    for (ArenaBlock *b = a->head, *n; b; b = n) {
        n = b->next;
        free(b);
    }
    arena_init(a);
}
