/* facts_utf8.c - where the fact reader's UTF-8 text first goes wrong
 * (facts_utf8_bad, see facts_impl.h): a plain loop, and on x86-64 processors
 * with SSSE3 a check of sixteen bytes at a time by table lookups.
 *
 * Every CSV row and fact file is validated once; on the bench CSV (about a
 * third of the bytes in CJK characters) the plain loop was the reader's
 * largest single cost, some 4 instructions a byte. The vector check answers
 * only "is this block well-formed"; where it says no, or at the last partial
 * block, the plain loop finds the exact offset from a sequence start at most
 * four bytes back, so both give the same answer by construction (and
 * test_utf8_bad_vector_matches_plain checks it on adversarial strings). */
#include "facts_impl.h"

#include <string.h>

#include "utf8.h"

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_UTF8_SSSE3 1
#include <immintrin.h>
#endif

size_t facts_utf8_bad_plain(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            w &= 0x8080808080808080u;
            if (!w) {
                i += 8;
                continue;
            }
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
            i += (size_t)__builtin_clzll(w) >> 3;
#else
            i += (size_t)__builtin_ctzll(w) >> 3;
#endif
        } else if (u[i] < 0x80) {
            i++;
            continue;
        }
        /* the usual three-byte characters (most of CJK) first, a run of them
           in one loop; the second byte may be any continuation byte but
           after E0 and ED */
        unsigned c = u[i];
        while (c >= 0xE1 && c <= 0xEF && c != 0xED && n - i >= 3 && (u[i + 1] & 0xC0) == 0x80 &&
               (u[i + 2] & 0xC0) == 0x80) {
            i += 3;
            if (i == n)
                return n;
            c = u[i];
        }
        if (c < 0x80)
            continue;
        size_t k = utf8_seq(u + i, n - i);
        if (!k)
            return i;
        i += k;
    }
    return n;
}

/* A sequence start at or before b, when s[0..b) holds no error other than a
 * sequence that b cuts off: the last byte of the three before b that is not
 * a continuation byte (10xxxxxx), else b (three continuation bytes end a
 * four-byte sequence). Every well-formed sequence is at most four bytes and
 * starts with such a byte, so the plain loop run from there walks the same
 * sequences as when run from 0. */
static size_t seq_start(const unsigned char *u, size_t b)
{
    for (size_t k = 1; k <= 3 && k <= b; k++)
        if ((u[b - k] & 0xC0) != 0x80)
            return b - k;
    return b;
}

#ifdef HAVE_UTF8_SSSE3
/* The table method: an error in a byte pair (the byte before, the byte) is
 * the AND of three 16-entry lookups, by the high and low half of the byte
 * before and the high half of the byte; each bit is one kind of error:
 *   TS  a lead byte (C0-FF) not followed by a continuation byte (80-BF)
 *   TL  a continuation byte after an ASCII byte
 *   OL3 E0 then 80-9F (overlong three-byte)     SUR ED then A0-BF (surrogate)
 *   OL2 C0 or C1 then 80-BF (overlong two-byte) OL4 F0 then 80-8F (overlong
 *       four-byte), and F5-FF then 80-8F (past U+10FFFF)
 *   TLG F4-FF then 90-BF (past U+10FFFF)
 *   TC  two continuation bytes in a row: an error unless the byte is the
 *       third of a three- or four-byte sequence or the fourth of a
 *       four-byte one (the byte two before is E0-FF, or three before F0-FF),
 *       which the pair cannot tell; that is worked out apart and must match.
 * Together these are the ranges of Unicode's table 3-7 (utf8_seq). Bytes are
 * taken 64 at a time: 64 ASCII bytes skip the tables (they are well-formed
 * unless the bytes before left a sequence open); the errors of the 64 are
 * looked at once, and on one the plain loop runs from the 64's start. */
enum {
    TS = 0x01,
    TL = 0x02,
    OL3 = 0x04,
    TLG = 0x08,
    SUR = 0x10,
    OL2 = 0x20,
    OL4 = 0x40,
    TC = 0x80
};
#define ALL (TS | TL | TC)
/* the three tables, and the last three bytes of a block that leave a
   sequence open (at least C0, E0, F0 as the last, one before, two before:
   a saturating subtract of one less is then not zero) */
#define PREV_HI                                                                                    \
    TL, TL, TL, TL, TL, TL, TL, TL, (char)TC, (char)TC, (char)TC, (char)TC, TS | OL2, TS,          \
        TS | OL3 | SUR, TS | TLG | OL4
#define PREV_LO                                                                                    \
    (char)(ALL | OL3 | OL2 | OL4), (char)(ALL | OL2), (char)ALL, (char)ALL, (char)(ALL | TLG),     \
        (char)(ALL | TLG | OL4), (char)(ALL | TLG | OL4), (char)(ALL | TLG | OL4),                 \
        (char)(ALL | TLG | OL4), (char)(ALL | TLG | OL4), (char)(ALL | TLG | OL4),                 \
        (char)(ALL | TLG | OL4), (char)(ALL | TLG | OL4), (char)(ALL | TLG | OL4 | SUR),           \
        (char)(ALL | TLG | OL4), (char)(ALL | TLG | OL4)
#define CUR_HI                                                                                     \
    TS, TS, TS, TS, TS, TS, TS, TS, (char)(TL | TC | OL3 | OL2 | OL4),                             \
        (char)(TL | TC | OL3 | OL2 | TLG), (char)(TL | TC | OL2 | TLG | SUR),                      \
        (char)(TL | TC | OL2 | TLG | SUR), TS, TS, TS, TS
#define OPEN_16                                                                                    \
    (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,            \
        (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xEF,        \
        (char)0xDF, (char)0xBF
/* A byte two before that is E0-FF, three before F0-FF, has the high bit
   set after a saturating subtract of 0x60, 0x70: that bit is where TC must be */
#define THIRD 0x60
#define FOURTH 0x70

/* The errors of the sixteen bytes cur after the sixteen bytes prev: not
   zero when a byte of cur is in error (given what comes before it). */
__attribute__((target("ssse3"))) static inline __m128i check16(__m128i prev, __m128i cur)
{
    const __m128i nib = _mm_set1_epi8(0x0F);
    __m128i p1 = _mm_alignr_epi8(cur, prev, 15), p2 = _mm_alignr_epi8(cur, prev, 14),
            p3 = _mm_alignr_epi8(cur, prev, 13);
    __m128i e = _mm_and_si128(
        _mm_and_si128(
            _mm_shuffle_epi8(_mm_setr_epi8(PREV_HI), _mm_and_si128(_mm_srli_epi16(p1, 4), nib)),
            _mm_shuffle_epi8(_mm_setr_epi8(PREV_LO), _mm_and_si128(p1, nib))),
        _mm_shuffle_epi8(_mm_setr_epi8(CUR_HI), _mm_and_si128(_mm_srli_epi16(cur, 4), nib)));
    __m128i must = _mm_and_si128(_mm_or_si128(_mm_subs_epu8(p2, _mm_set1_epi8(THIRD)),
                                              _mm_subs_epu8(p3, _mm_set1_epi8(FOURTH))),
                                 _mm_set1_epi8((char)TC));
    return _mm_xor_si128(e, must);
}

__attribute__((target("ssse3"))) static size_t utf8_bad_ssse3(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    const __m128i open_t = _mm_setr_epi8(OPEN_16), zero = _mm_setzero_si128();
    __m128i prev = zero; /* before s: as after an ASCII byte */
    size_t g = 0;        /* the group of four blocks being checked */
    for (; g + 64 <= n; g += 64) {
        const __m128i *at = (const __m128i *)(const void *)(u + g);
        __m128i c0 = _mm_loadu_si128(at), c1 = _mm_loadu_si128(at + 1),
                c2 = _mm_loadu_si128(at + 2), c3 = _mm_loadu_si128(at + 3), err;
        if (!_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(c0, c1), _mm_or_si128(c2, c3))))
            err = _mm_subs_epu8(prev, open_t); /* ASCII: only an open sequence before */
        else
            err = _mm_or_si128(_mm_or_si128(check16(prev, c0), check16(c0, c1)),
                               _mm_or_si128(check16(c1, c2), check16(c2, c3)));
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(err, zero)) != 0xFFFF)
            break;
        prev = c3;
    }
    /* an error in the group at g, or the last bytes: the plain loop from a
       sequence start (s[0..g) is well-formed but for a sequence g cuts off) */
    size_t t = seq_start(u, g);
    return t + facts_utf8_bad_plain(s + t, n - t);
}

/* The same, 32 bytes a block (two groups of 16 side by side: the bytes
   before a block's upper half are its lower half, moved in by a permute). */
__attribute__((target("avx2"))) static inline __m256i check32(__m256i prev, __m256i cur)
{
    const __m256i nib = _mm256_set1_epi8(0x0F);
    __m256i before = _mm256_permute2x128_si256(prev, cur, 0x21);
    __m256i p1 = _mm256_alignr_epi8(cur, before, 15), p2 = _mm256_alignr_epi8(cur, before, 14),
            p3 = _mm256_alignr_epi8(cur, before, 13);
    __m256i e = _mm256_and_si256(
        _mm256_and_si256(
            _mm256_shuffle_epi8(_mm256_setr_epi8(PREV_HI, PREV_HI),
                                _mm256_and_si256(_mm256_srli_epi16(p1, 4), nib)),
            _mm256_shuffle_epi8(_mm256_setr_epi8(PREV_LO, PREV_LO), _mm256_and_si256(p1, nib))),
        _mm256_shuffle_epi8(_mm256_setr_epi8(CUR_HI, CUR_HI),
                            _mm256_and_si256(_mm256_srli_epi16(cur, 4), nib)));
    __m256i must = _mm256_and_si256(_mm256_or_si256(_mm256_subs_epu8(p2, _mm256_set1_epi8(THIRD)),
                                                    _mm256_subs_epu8(p3, _mm256_set1_epi8(FOURTH))),
                                    _mm256_set1_epi8((char)TC));
    return _mm256_xor_si256(e, must);
}

__attribute__((target("avx2"))) static size_t utf8_bad_avx2(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    const __m256i open_t =
        _mm256_setr_epi8((char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
                         (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF,
                         (char)0xFF, (char)0xFF, (char)0xFF, (char)0xFF, OPEN_16);
    __m256i prev = _mm256_setzero_si256();
    size_t g = 0;
    for (; g + 64 <= n; g += 64) {
        const __m256i *at = (const __m256i *)(const void *)(u + g);
        __m256i c0 = _mm256_loadu_si256(at), c1 = _mm256_loadu_si256(at + 1), err;
        if (!_mm256_movemask_epi8(_mm256_or_si256(c0, c1)))
            err = _mm256_subs_epu8(prev, open_t);
        else
            err = _mm256_or_si256(check32(prev, c0), check32(c0, c1));
        if (!_mm256_testz_si256(err, err))
            break;
        prev = c1;
    }
    size_t t = seq_start(u, g);
    return t + facts_utf8_bad_plain(s + t, n - t);
}

int facts_utf8_best(void)
{
    return __builtin_cpu_supports("avx2") ? 2 : __builtin_cpu_supports("ssse3") ? 1 : 0;
}

size_t facts_utf8_bad_with(int how, const char *s, size_t n)
{
    return how == 2   ? utf8_bad_avx2(s, n)
           : how == 1 ? utf8_bad_ssse3(s, n)
                      : facts_utf8_bad_plain(s, n);
}

size_t utf8_bad(const char *s, size_t n)
{
    /* short texts (a cell, a small fact file) gain nothing from the tables */
    if (n >= 64) {
        if (__builtin_cpu_supports("avx2"))
            return utf8_bad_avx2(s, n);
        if (__builtin_cpu_supports("ssse3"))
            return utf8_bad_ssse3(s, n);
    }
    return facts_utf8_bad_plain(s, n);
}
#else
int facts_utf8_best(void)
{
    return 0;
}

size_t facts_utf8_bad_with(int how, const char *s, size_t n)
{
    (void)how;
    return facts_utf8_bad_plain(s, n);
}

size_t utf8_bad(const char *s, size_t n)
{
    return facts_utf8_bad_plain(s, n);
}
#endif
