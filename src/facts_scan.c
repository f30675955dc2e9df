/* facts_scan.c - the CSV reader's scans of many lines at once (see
 * facts_impl.h): the line breaks of a chunk counted (facts_count_lines) and
 * the commas and line ends of a region of lines found (facts_region_scan),
 * with SSE2 and, where the processor has them, AVX2, BMI1 and POPCNT (chosen
 * with __builtin_cpu_supports; the tests run each way the processor has). */
#include "facts_impl.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_SCAN_X86 1
#include <immintrin.h>
#endif

#ifdef HAVE_SCAN_X86

/* count_lines on b[0..n) (n a multiple of 64) 32 bytes a compare, where the
 * processor has AVX2 (a counter takes at most 2 x 63 before it is summed). */
__attribute__((target("avx2"))) static size_t count_lines_avx2(const char *b, size_t n, bool *quote)
{
    const __m256i vn = _mm256_set1_epi8('\n'), vq = _mm256_set1_epi8('"'),
                  zero = _mm256_setzero_si256();
    __m256i qs = zero;
    size_t lines = 0, i = 0;
    while (i < n) {
        __m256i acc = zero;
        size_t stop = n - i >= 126 * 32 ? i + 126 * 32 : n;
        for (; i < stop; i += 64) {
            const __m256i *at = (const __m256i *)(const void *)(b + i);
            __m256i v0 = _mm256_loadu_si256(at), v1 = _mm256_loadu_si256(at + 1);
            acc = _mm256_sub_epi8(
                acc, _mm256_add_epi8(_mm256_cmpeq_epi8(v0, vn), _mm256_cmpeq_epi8(v1, vn)));
            qs = _mm256_or_si256(
                qs, _mm256_or_si256(_mm256_cmpeq_epi8(v0, vq), _mm256_cmpeq_epi8(v1, vq)));
        }
        __m256i sum = _mm256_sad_epu8(acc, zero); /* four 64-bit sums */
        lines += (size_t)_mm256_extract_epi64(sum, 0) + (size_t)_mm256_extract_epi64(sum, 1) +
                 (size_t)_mm256_extract_epi64(sum, 2) + (size_t)_mm256_extract_epi64(sum, 3);
    }
    *quote = !_mm256_testz_si256(qs, qs);
    return lines;
}
#endif

/* facts_count_lines: 64 bytes a round with SSE2 (how >= 1): each compare
 * gives -1 in a byte that is a line break, subtracted into byte counters that
 * are summed (psadbw) before they can wrap, every 63 rounds (4 x 63 < 256). */
size_t facts_count_lines(int how, const char *b, size_t n, bool *quote)
{
    size_t lines = 0, i = 0;
    bool q = false;
#ifdef HAVE_SCAN_X86
    if (how >= 2 && n >= 64) {
        i = n / 64 * 64;
        lines = count_lines_avx2(b, i, &q);
    }
#endif
#if defined(__SSE2__)
    if (how < 1)
        goto bytes;
    const __m128i vn = _mm_set1_epi8('\n'), vq = _mm_set1_epi8('"'), zero = _mm_setzero_si128();
    __m128i qs = zero;
    while (i + 64 <= n) {
        __m128i acc = zero;
        size_t stop = n - i >= 63 * 64 ? i + 63 * 64 : i + (n - i) / 64 * 64;
        for (; i < stop; i += 64) {
            const __m128i *at = (const __m128i *)(const void *)(b + i);
            __m128i v0 = _mm_loadu_si128(at), v1 = _mm_loadu_si128(at + 1),
                    v2 = _mm_loadu_si128(at + 2), v3 = _mm_loadu_si128(at + 3);
            acc = _mm_sub_epi8(
                acc, _mm_add_epi8(_mm_add_epi8(_mm_cmpeq_epi8(v0, vn), _mm_cmpeq_epi8(v1, vn)),
                                  _mm_add_epi8(_mm_cmpeq_epi8(v2, vn), _mm_cmpeq_epi8(v3, vn))));
            qs = _mm_or_si128(
                qs, _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v0, vq), _mm_cmpeq_epi8(v1, vq)),
                                 _mm_or_si128(_mm_cmpeq_epi8(v2, vq), _mm_cmpeq_epi8(v3, vq))));
        }
        __m128i sum = _mm_sad_epu8(acc, zero); /* two 64-bit sums of eight counters */
        lines += (size_t)_mm_cvtsi128_si64(sum) +
                 (size_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum));
    }
    q |= _mm_movemask_epi8(qs) != 0;
bytes:
#endif
    for (; i < n; i++) {
        lines += b[i] == '\n';
        q |= b[i] == '"';
    }
    *quote = q;
    return lines;
}

int facts_count_lines_best(void)
{
#ifdef HAVE_SCAN_X86
    if (__builtin_cpu_supports("avx2"))
        return 2;
#endif
#if defined(__SSE2__)
    return 1;
#else
    return 0;
#endif
}

#ifdef HAVE_SCAN_X86
/* The region of whole lines without a quote that starts at b[from]: 64 bytes
 * at a time (while they are in b[..end), up to FACTS_REGION bytes and the first
 * quote), the offsets of its commas and line ends into reg, in order, and the
 * indices in reg of the line ends into nl; returns how many line ends (what
 * comes after the last is not the region's). A block's offsets are counted
 * first and written four at a time: up to three past the count are written
 * too (reg has room for FACTS_REGION + 68). (No SLP vectorizing: gcc packs the four
 * stores through vector inserts, which costs more than it saves.) */
__attribute__((target("avx2,bmi,popcnt"), optimize("no-tree-slp-vectorize"))) size_t
facts_region_scan(const char *b, size_t from, size_t end, uint32_t *reg, uint32_t *nl)
{
    const __m256i vc = _mm256_set1_epi8(','), vn = _mm256_set1_epi8('\n'),
                  vq = _mm256_set1_epi8('"');
    size_t n = 0, nn = 0;
    for (size_t i = from; i + 64 <= end && i - from < FACTS_REGION; i += 64) {
        const __m256i *at = (const __m256i *)(const void *)(b + i);
        __m256i v0 = _mm256_loadu_si256(at), v1 = _mm256_loadu_si256(at + 1);
        uint64_t mc = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, vc)) |
                      (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v1, vc)) << 32;
        uint64_t mn = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, vn)) |
                      (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v1, vn)) << 32;
        uint64_t mq = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v0, vq)) |
                      (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v1, vq)) << 32;
        if (mq) { /* what comes before the quote, then stop */
            uint64_t before = _blsmsk_u64(mq) >> 1;
            mc &= before;
            mn &= before;
        }
        uint64_t m = mc | mn;
        for (uint64_t t = mn; t; t = _blsr_u64(t)) /* a line end's index: the offsets before it */
            nl[nn++] = (uint32_t)(n + (size_t)_mm_popcnt_u64(m & (_blsmsk_u64(t) >> 1)));
        uint32_t base = (uint32_t)i, *o = reg + n;
        n += (size_t)_mm_popcnt_u64(m);
        while (m) {
            o[0] = base + (uint32_t)_tzcnt_u64(m);
            m = _blsr_u64(m);
            o[1] = base + (uint32_t)_tzcnt_u64(m);
            m = _blsr_u64(m);
            o[2] = base + (uint32_t)_tzcnt_u64(m);
            m = _blsr_u64(m);
            o[3] = base + (uint32_t)_tzcnt_u64(m);
            m = _blsr_u64(m);
            o += 4;
        }
        if (mq)
            break;
    }
    return nn;
}
#endif
