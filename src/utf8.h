/* utf8.h - UTF-8 decoding, display width and full-width folding.
 *
 * Names compare by code point after full-width forms are folded, in rubric
 * files, fact files and CSV headers alike; utf8_fold is the one place that
 * folding is defined. Display width counts East Asian wide characters as two
 * columns, so carets and table columns line up under CJK text. */
#ifndef RUBRIC_UTF8_H
#define RUBRIC_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decode one well-formed sequence at s[0..n): its length (1-4) and *cp, or 0
 * for an invalid, overlong, surrogate or truncated sequence. */
int utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Length of the well-formed UTF-8 sequence above ASCII at s[0..n) (n >= 1,
 * s[0] >= 0x80), or 0: the ranges of Unicode's table 3-7, utf8_decode's rules
 * without the code point, inlined for the hot loops (validating every CSV
 * row, writing every text cell). */
static inline size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c >= 0xC2 && c <= 0xDF)
        return n >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return n >= 3 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return n >= 4 && s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}
/* Encode cp into out (4 bytes room); returns the length. */
int utf8_encode(uint32_t cp, char *out);
/* True when s[0..n) is entirely well-formed UTF-8. */
bool utf8_valid(const char *s, size_t n);
/* Letter, mark or decimal digit (the characters of a name besides '_'). */
bool uni_is_name(uint32_t cp);
/* A character a reader cannot see or cannot tell from an ASCII space: the
 * controls (but tab and line feed), the zero-width and format characters
 * (U+200B, U+FEFF, U+00AD, bidi marks, variation selectors, ...) and the
 * Unicode spaces (U+00A0, U+2000-U+200A, U+202F, U+205F, U+3000). A name
 * that holds one looks like another name; diagnostics show it as <U+200B>. */
bool uni_is_invisible(uint32_t cp);
/* s[0..n) as a message shows it: every uni_is_invisible character written as
 * <U+200B>, into out (UTF8_VISIBLE_ROOM(n) bytes), NUL-terminated; returns the
 * length. Invalid bytes are copied as they are. */
#define UTF8_VISIBLE_ROOM(n) (8 * (n) + 1)
size_t utf8_visible(const char *s, size_t n, char *out);
/* Length of s[0..n) with every uni_is_invisible character left out, written
 * to out (n bytes room suffice); invalid bytes are copied as they are. */
size_t utf8_strip_invisible(const char *s, size_t n, char *out);
/* Columns a terminal gives cp: 0, 1 or 2. */
int uni_width(uint32_t cp);
/* Display columns of s[0..n); invalid bytes count one column each. */
size_t utf8_width(const char *s, size_t n);
/* Number of code points in s[0..n) (invalid bytes count one each). */
size_t utf8_chars(const char *s, size_t n);
/* Full-width ASCII forms (U+FF01-U+FF5E) to ASCII and U+3000 to ' '; others unchanged. */
uint32_t uni_fold(uint32_t cp);
/* Fold s[0..n) into out (n bytes room suffice, folding never grows text);
 * returns the folded length. Invalid bytes are copied as they are. */
size_t utf8_fold(const char *s, size_t n, char *out);
/* Length of the start of s[0..n) that utf8_fold leaves as it is (all of it:
 * n, for text with no character that folds): the bytes before the first E3
 * or EF. */
size_t utf8_fold_same(const char *s, size_t n);

#endif
