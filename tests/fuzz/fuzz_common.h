/* fuzz_common.h - shared helpers of the libFuzzer harnesses.
 *
 * Each harness is built twice: with clang -fsanitize=fuzzer for `make fuzz`,
 * and with gcc and the test sanitizers, linked with replay.c, so `make test`
 * replays every corpus file and past crash without clang. Diagnostics go to
 * /dev/null: the harnesses look for crashes, hangs, leaks and broken
 * invariants, not for message text (the golden tests check that). */
#ifndef RUBRIC_FUZZ_COMMON_H
#define RUBRIC_FUZZ_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A stream that discards what is written (diagnostics, output). */
static inline FILE *fuzz_null(void)
{
    static FILE *null;
    if (!null && !(null = fopen("/dev/null", "w"))) {
        perror("/dev/null");
        abort();
    }
    return null;
}

/* A private folder for the temporary files a harness needs (one per process). */
static inline const char *fuzz_tmpdir(void)
{
    static char dir[64];
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/rubric-fuzz-XXXXXX", t && strlen(t) < 40 ? t : "/tmp");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            abort();
        }
    }
    return dir;
}

/* Write data to DIR/name; returns the path (static buffer per slot). */
static inline const char *fuzz_write_file(int slot, const char *name, const uint8_t *data, size_t size)
{
    static char paths[4][128];
    snprintf(paths[slot], sizeof paths[slot], "%s/%s", fuzz_tmpdir(), name);
    FILE *f = fopen(paths[slot], "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
        perror(paths[slot]);
        abort();
    }
    return paths[slot];
}

/* An invariant a correct program keeps; a broken one is a finding. */
#define FUZZ_ASSERT(c)                                                                  \
    do {                                                                                \
        if (!(c)) {                                                                     \
            fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #c); \
            abort();                                                                    \
        }                                                                               \
    } while (0)

#endif
