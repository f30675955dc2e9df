/* fmt.c - the canonical layout of rubric files (`rubric fmt`).
 *
 * The formatter works on the scanner's token stream, not on the AST: every
 * token is written back with the exact bytes the author typed (keyword
 * spelling, full-width operators, quotes, comments), and only the white space
 * between tokens is decided here. So formatting cannot change what a rubric
 * means - the parser sees the same tokens - and comments, which the AST does
 * not keep, stay where they were. Line breaks are the author's too, since a
 * line break ends a statement; the only ones added are after a '{' and before
 * a '}' of a block that spans lines, where the grammar ignores them. A file
 * with lexical or syntax errors is refused rather than half laid out.
 *
 * The layout, decided in this order:
 *   lines      the author's, plus the block breaks above; at most one blank
 *              line in a row, none at the start or end of the file or a block
 *   indent     4 spaces per open brace; a line that continues a statement
 *              (inside parentheses, or after an operator, ',' or '->') gets
 *              one level more
 *   spacing    one space between tokens, except: none before ) , ; : and
 *              after ( ; none around .. and @ ; none after a unary '-' or
 *              before the '(' of a call; none after the full-width ，：；
 *              (their glyph carries its own space); a comment one space
 *              after the code it follows
 *   alignment  the '->' of consecutive rule lines of a block share a column,
 *              counted in display width (CJK is two columns); a full-line
 *              comment does not break the run, a blank line does
 */
#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"
#include "parser.h"
#include "utf8.h"

#define FMT_INDENT 4      /* spaces per level */
#define NO_ARROW SIZE_MAX /* Line.arrow of a line that is not a rule line */

/* A growing byte buffer. */
typedef struct {
    char *p;
    size_t len, cap;
} Buf;

static void buf_put(Buf *b, const char *s, size_t n)
{
    if (b->len + n > b->cap) {
        while (b->len + n > b->cap)
            b->cap = b->cap ? b->cap * 2 : 4096;
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void buf_spaces(Buf *b, size_t n)
{
    static const char sp[] = "                                ";
    while (n > 0) {
        size_t k = n < sizeof sp - 1 ? n : sizeof sp - 1;
        buf_put(b, sp, k);
        n -= k;
    }
}

/* One line of output. */
typedef struct {
    size_t first, n;   /* its tokens: ord[first .. first + n) */
    bool blank_before; /* an empty line is written before it */
    size_t text, len;  /* the rendered line (without '->' padding) in the text buffer */
    size_t arrow;      /* byte offset of its one top-level '->' in the text, or NO_ARROW */
    size_t pad;        /* spaces inserted before that '->' to align it */
    bool comment_only; /* holds nothing but a comment */
} Line;

/* tok can end an operand, so a '-' after it is binary. */
static bool ends_operand(int tok)
{
    switch (tok) {
    case NAME:
    case NUMBER:
    case STRING:
    case ')':
    case KW_TOTAL:
    case KW_GRADE:
    case KW_TRUE:
    case KW_FALSE:
        return true;
    default:
        return false;
    }
}

/* Whether a space goes between token kinds p and k on one line. p_unary: p is
 * a unary '-'; p_wide: p is a full-width ，：； . */
static bool space_between(int p, bool p_unary, bool p_wide, int k)
{
    if (k == COMMENT)
        return true;
    switch (k) {
    case ')':
    case ',':
    case ';':
    case ':':
    case DOTDOT:
    case '@':
        return false;
    default:
        break;
    }
    switch (p) {
    case '(':
    case '@':
    case DOTDOT:
        return false;
    case '-':
        return !p_unary;
    case ',':
    case ':':
    case ';':
        return !p_wide;
    default:
        break;
    }
    if (k == '(' && (p == NAME || p == KW_MAX || p == KW_ROUND))
        return false; /* a call: `max` and `round` take no '(' otherwise */
    if (p == '{' && k == '}')
        return false;
    return true;
}

/* Length of a comment's text without trailing white space (a CRLF file's
 * '\r' included; the scanner's Unicode spaces too). */
static size_t comment_len(const char *s, size_t n)
{
    for (;;) {
        const unsigned char *u = (const unsigned char *)s;
        if (n >= 1 && (u[n - 1] == ' ' || u[n - 1] == '\t' || u[n - 1] == '\r' ||
                       u[n - 1] == '\f' || u[n - 1] == '\v'))
            n -= 1;
        else if (n >= 2 && u[n - 2] == 0xC2 && u[n - 1] == 0xA0)
            n -= 2;
        else if (n >= 3 && u[n - 3] == 0xE2 && u[n - 2] == 0x80 && u[n - 1] >= 0x80 &&
                 u[n - 1] <= 0x8A)
            n -= 3;
        else if (n >= 3 && u[n - 3] == 0xE3 && u[n - 2] == 0x80 && u[n - 1] == 0x80)
            n -= 3;
        else
            return n;
    }
}

/* Split the tokens into output lines: the author's lines, with a break added
 * after a '{' and before a '}' whose partner is on another source line. */
static size_t split_lines(Arena *a, const Token *tok, size_t ntok, size_t *ord, Line *lines)
{
    uint32_t *row = arena_alloc(a, (ntok + 1) * sizeof *row); /* source line of each token */
    size_t *mate = arena_alloc(a, (ntok + 1) * sizeof *mate); /* partner of each brace */
    size_t *stack = arena_alloc(a, (ntok + 1) * sizeof *stack);
    size_t depth = 0;
    uint32_t r = 0;
    for (size_t i = 0; i < ntok; i++) {
        row[i] = r;
        mate[i] = i;
        if (tok[i].kind == NL)
            r++;
        else if (tok[i].kind == '{')
            stack[depth++] = i;
        else if (tok[i].kind == '}' && depth > 0)
            mate[i] = stack[--depth], mate[mate[i]] = i;
    }
    size_t nord = 0, nlines = 0, prev = 0, breaks = 0;
    for (size_t i = 0; i < ntok; i++) {
        int k = tok[i].kind;
        if (k == NL) {
            breaks++;
            continue;
        }
        bool brk = nlines == 0 || breaks > 0;
        if (!brk && k == '}' && row[mate[i]] != row[i])
            brk = true;
        if (!brk && tok[prev].kind == '{' && row[mate[prev]] != row[prev] && k != COMMENT)
            brk = true;
        if (brk) {
            memset(&lines[nlines], 0, sizeof lines[nlines]);
            lines[nlines].first = nord;
            lines[nlines].blank_before = nlines > 0 && breaks > 1;
            nlines++;
        }
        ord[nord++] = i;
        lines[nlines - 1].n++;
        breaks = 0;
        prev = i;
    }
    return nlines;
}

/* Drop the blank lines that open or close a block. */
static void trim_blanks(const Token *tok, const size_t *ord, Line *lines, size_t nlines)
{
    for (size_t l = 1; l < nlines; l++) {
        const Line *p = &lines[l - 1];
        size_t last = p->first + p->n - 1;
        if (tok[ord[last]].kind == COMMENT && p->n > 1)
            last--;
        if (tok[ord[last]].kind == '{' || tok[ord[lines[l].first]].kind == '}')
            lines[l].blank_before = false;
    }
}

/* Render every line into text with its indentation and spacing, and find
 * the rule lines' arrows. */
static void render(const Source *src, const Token *tok, const size_t *ord, Line *lines,
                   size_t nlines, Buf *text)
{
    int depth = 0, paren = 0, last = 0;
    for (size_t l = 0; l < nlines; l++) {
        Line *ln = &lines[l];
        const size_t *t = ord + ln->first;
        int closers = 0, pclose = 0;
        size_t j = 0;
        while (j < ln->n && tok[t[j]].kind == '}')
            closers++, j++;
        while (closers == 0 && j < ln->n && tok[t[j]].kind == ')')
            pclose++, j++;
        bool cont;
        if (closers > 0)
            cont = false;
        else if (pclose > 0)
            cont = paren - pclose > 0;
        else
            cont = paren > 0 || parse_continues(last); /* '{' and ';' start anew here */
        if (!cont)
            last = NL; /* the line break before ended a statement */
        int level = depth - closers > 0 ? depth - closers : 0;
        level += cont;

        ln->text = text->len;
        ln->arrow = NO_ARROW;
        ln->comment_only = ln->n == 1 && tok[t[0]].kind == COMMENT;
        buf_spaces(text, (size_t)level * FMT_INDENT);
        int p = 0, arrows = 0;
        bool p_unary = false, p_wide = false, braces = false;
        for (j = 0; j < ln->n; j++) {
            const Token *tk = &tok[t[j]];
            int k = tk->kind;
            const char *s = src->text + tk->start;
            size_t n = tk->end - tk->start;
            bool unary = k == '-' && !ends_operand(last);
            if (j > 0 && space_between(p, p_unary, p_wide, k))
                buf_put(text, " ", 1);
            if (k == ARROW && paren == 0 && arrows++ == 0)
                ln->arrow = text->len - ln->text;
            if (k == COMMENT)
                n = comment_len(s, n);
            buf_put(text, s, n);
            switch (k) {
            case '(':
                paren++;
                break;
            case ')':
                paren -= paren > 0;
                break;
            case '{':
                depth++, paren = 0, braces = true;
                break;
            case '}':
                depth -= depth > 0, paren = 0, braces = true;
                break;
            default:
                break;
            }
            if (k != COMMENT)
                last = k;
            p = k, p_unary = unary, p_wide = n > 1;
        }
        if (arrows != 1 || braces)
            ln->arrow = NO_ARROW;
        ln->len = text->len - ln->text;
    }
}

/* Give the '->' of each run of rule lines one column. A run is broken by a
 * blank line or by any line but a rule or a full-line comment; since rule
 * lines hold no braces, a run never leaves its block. */
static void align_arrows(Arena *a, const Buf *text, Line *lines, size_t nlines)
{
    size_t *col = arena_zalloc(a, (nlines + 1) * sizeof *col); /* display column of each '->' */
    for (size_t l = 0; l < nlines; l++)
        if (lines[l].arrow != NO_ARROW)
            col[l] = utf8_width(text->p + lines[l].text, lines[l].arrow);
    size_t i = 0;
    while (i < nlines) {
        if (lines[i].arrow == NO_ARROW) {
            i++;
            continue;
        }
        size_t end = i, target = col[i];
        for (size_t j = i + 1; j < nlines && !lines[j].blank_before; j++) {
            if (lines[j].arrow != NO_ARROW) {
                end = j;
                target = col[j] > target ? col[j] : target;
            } else if (!lines[j].comment_only) {
                break;
            }
        }
        for (size_t j = i; j <= end; j++)
            if (lines[j].arrow != NO_ARROW)
                lines[j].pad = target - col[j];
        i = end + 1;
    }
}

int fmt_write(Arena *a, const Source *src, Diags *d, FILE *out)
{
    int errors = d->errors;
    parse_source(a, src, d, NULL);
    if (d->errors > errors)
        return -1;
    Token *tok;
    size_t ntok = parse_tokens(a, src, d, &tok);
    if (d->errors > errors)
        return -1;

    size_t *ord = arena_alloc(a, (ntok + 1) * sizeof *ord);
    Line *lines = arena_alloc(a, (ntok + 1) * sizeof *lines);
    size_t nlines = split_lines(a, tok, ntok, ord, lines);
    trim_blanks(tok, ord, lines, nlines);
    Buf text = {0};
    render(src, tok, ord, lines, nlines, &text);
    align_arrows(a, &text, lines, nlines);

    Buf o = {0};
    for (size_t l = 0; l < nlines; l++) {
        const Line *ln = &lines[l];
        const char *s = text.p + ln->text;
        if (ln->blank_before)
            buf_put(&o, "\n", 1);
        if (ln->arrow != NO_ARROW) {
            buf_put(&o, s, ln->arrow);
            buf_spaces(&o, ln->pad);
            buf_put(&o, s + ln->arrow, ln->len - ln->arrow);
        } else {
            buf_put(&o, s, ln->len);
        }
        buf_put(&o, "\n", 1);
    }
    if (o.len)
        fwrite(o.p, 1, o.len, out);
    free(o.p);
    free(text.p);
    return 0;
}
