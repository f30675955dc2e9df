/* arena.h - region allocation and the one allocation wrapper.
 *
 * The compiled rubric lives in one arena for the whole run; each employee gets
 * a second arena that is reset after it is scored, so the evaluation loop takes
 * nothing from malloc once warm. Every heap allocation of the program goes
 * through xmalloc/xrealloc, which a test build can make fail at the Nth call
 * (mem_fail_at) to prove that running out of memory ends cleanly. */
#ifndef RUBRIC_ARENA_H
#define RUBRIC_ARENA_H
#include <stdarg.h>
#include <stddef.h>

typedef struct ArenaBlock ArenaBlock;
typedef struct ArenaCleanup ArenaCleanup;
typedef struct {
    ArenaBlock *head;      /* newest block; older ones follow */
    char *cur, *end;       /* free space in head */
    ArenaCleanup *cleanup; /* run at reset and free, newest first */
} Arena;

/* Allocate n bytes or exit with "out of memory" (exit status 2). */
void *xmalloc(size_t n);
/* Resize p to n bytes or exit with "out of memory". */
void *xrealloc(void *p, size_t n);
/* Make the Nth allocation from now fail (0 turns failure off); for tests. */
void mem_fail_at(long n);
/* How many allocations xmalloc/xrealloc have made. */
long mem_alloc_count(void);

void arena_init(Arena *a);
/* n bytes aligned for any type; never NULL. */
void *arena_alloc(Arena *a, size_t n);
/* Zeroed n bytes. */
void *arena_zalloc(Arena *a, size_t n);
/* Copy of s[0..n) with a terminating NUL. */
char *arena_strndup(Arena *a, const char *s, size_t n);
/* printf into the arena, the whole text however long (never truncated). */
char *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The same with a va_list (ap is consumed). */
char *arena_vprintf(Arena *a, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Call fn(p) when a is next reset or freed: for objects inside the arena that
 * own memory of their own (GMP numbers). */
void arena_on_reset(Arena *a, void (*fn)(void *), void *p);
/* Forget everything allocated, keeping the first block for reuse. */
void arena_reset(Arena *a);
void arena_free(Arena *a);

#endif
