/* parse.c - lexer glue and syntax messages (the AST constructors of the
 * grammar's actions are in parse_build.c).
 *
 * parse_lex filters the scanner's tokens for the parser: it drops the line
 * breaks that do not end a statement, keeps the stack of open braces so an
 * unclosed one is reported at the line that opened it, and stops a file that
 * nests deeper than the limits. */
#include "parse.h"

#include <stdlib.h>
#include <string.h>

#include "parser.h"
#include "lexer.h"
#include "parse_build.h"
#include "parse_lex.h"
#include "i18n.h"
#include "utf8.h"

int lex_raw(YYSTYPE *lval, YYLTYPE *lloc, yyscan_t scanner);
int parse_lex(YYSTYPE *lval, YYLTYPE *lloc, ParseCtx *c);

/* ---- keywords ---- */

static const struct {
    const char *en, *zh;
    int tok;
} keywords[] = {
    {"rubric", "评分表", KW_RUBRIC},
    {"section", "维度", KW_SECTION},
    {"group", "类别", KW_GROUP},
    {"item", "指标", KW_ITEM},
    {"fact", "数据", KW_FACT},
    {"weight", "权重", KW_WEIGHT},
    {"max", "满分", KW_MAX},
    {"score", "得分", KW_SCORE},
    {"else", "否则", KW_ELSE},
    {"and", "且", KW_AND},
    {"or", "或", KW_OR},
    {"not", "非", KW_NOT},
    {"grade", "评级", KW_GRADE},
    {"test", "测试", KW_TEST},
    {"expect", "期望", KW_EXPECT},
    {"round", "保留", KW_ROUND},
    {"id", "标识", KW_ID},
    {"total", "总分", KW_TOTAL},
    {"true", "是", KW_TRUE},
    {"false", "否", KW_FALSE},
    {"number", "数值", KW_NUMBER},
    {"percent", "百分比", KW_PERCENT},
    {"integer", "整数", KW_INTEGER},
    {"bool", "布尔", KW_BOOL},
    {"text", "文本", KW_TEXT},
    {"output", "输出", KW_OUTPUT},
    {"veto", "否决", KW_VETO},
    {"rater", "评价人", KW_RATER},
    {"quota", "配额", KW_QUOTA},
};
enum { NKEYWORDS = sizeof keywords / sizeof keywords[0] };

int parse_keyword(const char *s, size_t n, bool *zh)
{
    for (int i = 0; i < NKEYWORDS; i++) {
        if (strlen(keywords[i].en) == n && memcmp(keywords[i].en, s, n) == 0)
            return *zh = false, keywords[i].tok;
        if (strlen(keywords[i].zh) == n && memcmp(keywords[i].zh, s, n) == 0)
            return *zh = true, keywords[i].tok;
    }
    return 0;
}

const char *parse_keyword_zh(const char *en)
{
    /* the contextual keywords of Edition 2 are not tokens of their own */
    static const char *const contextual[][2] = {
        {"base", "基础分"}, {"floor", "保底"}, {"cap", "封顶"}, {"show", "显示"}};
    for (int i = 0; i < NKEYWORDS; i++)
        if (strcmp(keywords[i].en, en) == 0)
            return keywords[i].zh;
    for (size_t i = 0; i < sizeof contextual / sizeof *contextual; i++)
        if (strcmp(contextual[i][0], en) == 0)
            return contextual[i][1];
    return NULL;
}

const char *parse_glued_keyword(const char *s)
{
    const char *best = NULL;
    size_t best_len = 0;
    for (int i = 0; i < NKEYWORDS; i++) {
        size_t k = strlen(keywords[i].zh);
        if (k > best_len && strncmp(s, keywords[i].zh, k) == 0 && s[k])
            best = keywords[i].zh, best_len = k;
    }
    return best;
}

/* The contextual keywords of edition 2: ordinary names except where the
 * statement's first word or a header option decides (see contextual below),
 * so a first-edition item named 基础分 keeps working everywhere else. */
static const struct {
    const char *en, *zh;
    int tok;
    bool option; /* also a header option (after a section/group/item/output name) */
} contextual_words[] = {
    {"show", "显示", KW_SHOW, false},
    {"base", "基础分", KW_BASE, true},
    {"floor", "保底", KW_FLOOR, true},
    {"cap", "封顶", KW_CAP, true},
};

/* The span l spells a contextual keyword (not backquoted). */
static bool contextual_word_at(const ParseCtx *c, Loc l)
{
    const char *t = c->src->text + l.start;
    size_t n = l.end - l.start;
    for (size_t i = 0; i < sizeof contextual_words / sizeof *contextual_words; i++)
        if ((strlen(contextual_words[i].en) == n && memcmp(t, contextual_words[i].en, n) == 0) ||
            (strlen(contextual_words[i].zh) == n && memcmp(t, contextual_words[i].zh, n) == 0))
            return true;
    return false;
}

/* The token the name just scanned (tok NAME at l) stands for: a contextual
 * keyword when it was not written in backquotes and is the first word of a
 * statement in the rubric's own body (one brace open), or, for base, floor
 * and cap, a header option (after a declaration's name, before its '{');
 * else NAME. */
static int contextual(ParseCtx *c, YYSTYPE *lval, Loc l)
{
    if (c->src->text[l.start] == '`')
        return NAME;
    bool statement =
        c->nbraces == 1 && c->paren == 0 && (c->last == '{' || c->last == NL || c->last == ';');
    bool option = c->header && c->last != KW_SECTION && c->last != KW_GROUP && c->last != KW_ITEM &&
                  c->last != KW_OUTPUT;
    if (!statement && !option)
        return NAME;
    const char *name = lval->node->name;
    for (size_t i = 0; i < sizeof contextual_words / sizeof *contextual_words; i++) {
        bool en = strcmp(name, contextual_words[i].en) == 0;
        if ((en || strcmp(name, contextual_words[i].zh) == 0) &&
            (statement || contextual_words[i].option)) {
            lval->zh = !en;
            return contextual_words[i].tok;
        }
    }
    return NAME;
}

/* ---- scanner helpers ---- */

void lex_error(ParseCtx *c, Loc l, const char *msg, const char *hint)
{
    diag_at(c->diags, c->src, DIAG_ERROR, l.start, l.end, "lexical", "%s", _(msg));
    if (hint)
        diag_hint(c->diags, "%s.", _(hint));
}

Node *lex_number(ParseCtx *c, const char *t, size_t n, Loc l)
{
    Node *num = parse_node(c, AST_NUM, l.start, l.end);
    if (n == 0)
        return num;
    char *buf = arena_alloc(c->arena, n + 1);
    size_t k = utf8_fold(t, n, buf);
    if (buf[k - 1] == '%')
        num->pct = true, k--;
    Dec d;
    DecStatus st = dec_parse(buf, k, num->pct ? DEC_SCALE - 2 : DEC_SCALE, &d);
    if (st == DEC_OK && num->pct)
        st = dec_shift_down(d, 2, &d);
    if (st == DEC_PRECISION)
        lex_error(c, l,
                  num->pct ? N_("too many digits after the point (a percent has at most 16)")
                           : N_("too many digits after the point (at most 18)"),
                  NULL);
    else if (st != DEC_OK)
        lex_error(c, l, "number too large (at most 20 digits before the point)", NULL);
    else
        num->num = d;
    return num;
}

Node *lex_string(ParseCtx *c, Loc l, const char *s, size_t n)
{
    Node *str = parse_node(c, AST_STR, l.start, l.end);
    if (!utf8_valid(s, n))
        lex_error(c, l, "this text is not valid UTF-8", N_("save the rubric file as UTF-8"));
    str->str = arena_strndup(c->arena, s, n);
    return str;
}

static Node *make_name(ParseCtx *c, Loc l, const char *s, size_t n)
{
    Node *name = parse_node(c, AST_NAME, l.start, l.end);
    char *f = arena_alloc(c->arena, n + 1);
    f[utf8_fold(s, n, f)] = 0;
    name->name = f;
    name->name_start = l.start;
    name->name_end = l.end;
    if (n > PARSE_MAX_NAME)
        diag_at(c->diags, c->src, DIAG_ERROR, l.start, l.start + 1, "limit",
                "this name is %zu bytes long; a name has at most %d", n, PARSE_MAX_NAME);
    return name;
}

Node *lex_quoted_name(ParseCtx *c, Loc l, const char *s, size_t n)
{
    if (n == 0)
        lex_error(c, l, "empty name between backquotes", NULL);
    else if (!utf8_valid(s, n))
        lex_error(c, l, "this name is not valid UTF-8", N_("save the rubric file as UTF-8"));
    return make_name(c, l, s, n);
}

int lex_name_length(const char *t, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int k = utf8_decode(t + i, n - i, &cp);
        if (!k)
            break;
        bool ok = uni_fold(cp) == '_' || uni_is_name(cp);
        if (i == 0 && cp >= '0' && cp <= '9')
            ok = false;
        if (!ok)
            break;
        i += (size_t)k;
    }
    return (int)i;
}

static const char *const chinese_punct[] = {"、", "。", "《", "》", "【", "】", "…",
                                            "—",  "·",  "‘",  "’",  "！", "？", "〈",
                                            "〉", "〔", "〕", "～", "￥"};

/* True when the character before offset at (spaces skipped) is a digit, ASCII
 * or full-width: a tilde there is a range typed as forms print it (0～100). */
static bool after_digit(const Source *src, uint32_t at)
{
    while (at > 0 && (src->text[at - 1] == ' ' || src->text[at - 1] == '\t'))
        at--;
    if (at > 0 && src->text[at - 1] >= '0' && src->text[at - 1] <= '9')
        return true;
    /* ０-９ are EF BC 90 - EF BC 99 */
    return at >= 3 && (unsigned char)src->text[at - 3] == 0xEF &&
           (unsigned char)src->text[at - 2] == 0xBC && (unsigned char)src->text[at - 1] >= 0x90 &&
           (unsigned char)src->text[at - 1] <= 0x99;
}

int lex_other_char(ParseCtx *c, const char *t, size_t n, Loc l)
{
    uint32_t cp;
    int k = utf8_decode(t, n, &cp);
    if (!k)
        k = 1, cp = 0xFFFD;
    Loc at = {l.start, l.start + (uint32_t)k};
    if ((cp == '~' || cp == 0xFF5E || cp == 0x301C) && after_digit(c->src, l.start)) {
        diag_at(c->diags, c->src, DIAG_ERROR, at.start, at.end, "lexical",
                "'%.*s' does not make a range in a rubric", k, t);
        diag_hint(c->diags, "Write a range with two dots: 0..100.");
        return k;
    }
    for (size_t i = 0; i < sizeof chinese_punct / sizeof *chinese_punct; i++)
        if (strncmp(t, chinese_punct[i], (size_t)k) == 0 && (int)strlen(chinese_punct[i]) == k) {
            diag_at(c->diags, c->src, DIAG_ERROR, at.start, at.end, "lexical",
                    "the Chinese punctuation '%.*s' has no meaning in a rubric", k, t);
            diag_hint(c->diags, "Put descriptions in quotes, separate arguments with ',' and "
                                "write names with letters, digits and '_' only.");
            return k;
        }
    if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) ||
        (cp >= 0xFF10 && cp <= 0xFF19))
        diag_at(c->diags, c->src, DIAG_ERROR, at.start, at.end, "lexical",
                "a name cannot start with the full-width character '%.*s'", k, t);
    else if (uni_is_invisible(cp)) /* '%.*s' would print as <U+200B> too */
        diag_at(c->diags, c->src, DIAG_ERROR, at.start, at.end, "lexical",
                "unexpected invisible character U+%04X", (unsigned)cp);
    else
        diag_at(c->diags, c->src, DIAG_ERROR, at.start, at.end, "lexical",
                "unexpected character '%.*s' (U+%04X)", k, t, (unsigned)cp);
    return k;
}

int lex_word(ParseCtx *c, YYSTYPE *lval, Loc l, const char *t, size_t n)
{
    bool zh;
    int tok = parse_keyword(t, n, &zh);
    if (!tok && n < 64 && utf8_fold_same(t, n) < n) {
        /* full-width forms read as ASCII (LANGUAGE.md, Full-width input), so
           `ｓｃｏｒｅ` typed in an input method's full-width mode is score, a
           keyword, as `score` is (a name folded to a keyword would be a
           reserved word used without backquotes) */
        char buf[64]; /* folding never grows text; no keyword is near 64 bytes, so a
                         longer word cannot fold to one: not a cap */
        tok = parse_keyword(buf, utf8_fold(t, n, buf), &zh);
    }
    if (tok) {
        lval->zh = zh;
        /* hints show keywords the way the rubric spells them */
        if (tok == KW_RUBRIC)
            c->diags->keyword = zh ? parse_keyword_zh : NULL;
        return tok;
    }
    lval->node = make_name(c, l, t, n);
    return NAME;
}

void lex_leading_dot(ParseCtx *c, Loc l, const char *t, size_t n)
{
    diag_at(c->diags, c->src, DIAG_ERROR, l.start, l.end, "lexical",
            "a number cannot start with '.'");
    char *buf = arena_alloc(c->arena, n + 1); /* the whole number, however long */
    size_t k = utf8_fold(t, n, buf);
    diag_hint(c->diags, "Write 0%.*s.", (int)k, buf);
}

void lex_lone_percent(ParseCtx *c, Loc l)
{
    const char *t = c->src->text;
    uint32_t s = c->last_loc.start, e = c->last_loc.end;
    if (c->last == NAME && e == l.start && e > s && t[e - 1] >= '0' && t[e - 1] <= '9') {
        uint32_t d = e;
        while (d > s && t[d - 1] >= '0' && t[d - 1] <= '9')
            d--;
        diag_at(c->diags, c->src, DIAG_ERROR, s, l.end, "lexical",
                "'%.*s' is read as one name followed by '%%'", (int)(e - s), t + s);
        diag_hint(c->diags, "Put an operator between the name and the number, e.g. %.*s >= %.*s%%.",
                  (int)(d - s), t + s, (int)(e - d), t + d);
        return;
    }
    diag_at(c->diags, c->src, DIAG_ERROR, l.start, l.end, "lexical",
            "'%%' must touch the number before it");
    diag_hint(c->diags, "Write the percent sign right after the number, e.g. 20%%.");
}

void lex_bad_utf8(ParseCtx *c, Loc l)
{
    if (c->bad_utf8)
        return;
    c->bad_utf8 = true;
    diag_at(c->diags, c->src, DIAG_ERROR, l.start, l.end, "encoding",
            "these bytes are not valid UTF-8");
    diag_hint(c->diags, "Save the rubric file as UTF-8.");
}

void lex_ascii_char(ParseCtx *c, char ch, Loc l)
{
    static const struct {
        char ch;
        const char *hint;
    } hints[] = {
        {'&', N_("Write and (or 且) to require both conditions.")},
        {'|', N_("Write or (or 或) for either condition.")},
        {'!', N_("Write not (or 非) to negate, and != for 'not equal'.")},
        {'[', N_("Group with parentheses ( ) instead.")},
        {']', N_("Group with parentheses ( ) instead.")},
        {'\'', N_("Quote text with double quotes \"…\" or “…”.")},
    };
    if (ch == '\0' || (unsigned char)ch < 0x20) {
        diag_at(c->diags, c->src, DIAG_ERROR, l.start, l.end, "lexical",
                "unexpected control character (byte 0x%02X)", (unsigned)(unsigned char)ch);
        return;
    }
    if (ch == '~' && after_digit(c->src, l.start)) {
        diag_at(c->diags, c->src, DIAG_ERROR, l.start, l.end, "lexical",
                "'%.*s' does not make a range in a rubric", 1, "~");
        diag_hint(c->diags, "Write a range with two dots: 0..100.");
        return;
    }
    diag_at(c->diags, c->src, DIAG_ERROR, l.start, l.end, "lexical", "unexpected character '%c'",
            ch);
    for (size_t i = 0; i < sizeof hints / sizeof *hints; i++)
        if (hints[i].ch == ch)
            diag_hint(c->diags, "%s", _(hints[i].hint));
}

/* ---- the filter between scanner and parser ---- */

/* Display width of the white space that starts the line holding off. */
static size_t indent_of(const Source *src, uint32_t off, bool *first)
{
    int line = source_line(src, off);
    size_t len;
    const char *t = source_line_text(src, line, &len);
    size_t i = 0, w = 0;
    while (i < len && (t[i] == ' ' || t[i] == '\t'))
        w += t[i] == '\t' ? 4 : 1, i++;
    *first = t + i == src->text + off;
    return w;
}

bool parse_continues(int tok)
{
    switch (tok) {
    case '+':
    case '-':
    case '*':
    case '/':
    case EQ:
    case NE:
    case LT:
    case LE:
    case GT:
    case GE:
    case KW_AND:
    case KW_OR:
    case KW_NOT:
    case ',':
    case '(':
    case ARROW:
        return true;
    default:
        return false;
    }
}

/* A line break after tok ends no statement: nothing stands before it yet, or
 * the statement has ended already, or the expression goes on. */
static bool continues_line(int tok)
{
    return tok == 0 || tok == NL || tok == ';' || tok == '{' || parse_continues(tok);
}

static void trace_token(ParseCtx *c, int tok, Loc l)
{
    int line = source_line(c->src, l.start), col = source_col(c->src, l.start);
    if (tok == 0)
        fprintf(c->trace, "%d:%d\tend of file\n", line, col);
    else if (tok == NL)
        fprintf(c->trace, "%d:%d\tline break\n", line, col);
    else
        fprintf(c->trace, "%d:%d\t%.*s\n", line, col, (int)(l.end - l.start),
                c->src->text + l.start);
}

int parse_lex(YYSTYPE *lval, YYLTYPE *lloc, ParseCtx *c)
{
    for (;;) {
        if (c->stop) {
            lloc->start = lloc->end = (uint32_t)c->src->len;
            return 0;
        }
        int tok = lex_raw(lval, lloc, c->scanner);
        if (tok == NL && (c->paren > 0 || continues_line(c->last)))
            continue;
        if (tok == NAME)
            tok = contextual(c, lval, *lloc);
        switch (tok) {
        case '(':
            if (++c->paren > PARSE_MAX_NESTING) {
                diag_at(c->diags, c->src, DIAG_ERROR, lloc->start, lloc->end, "limit",
                        "parentheses nested deeper than %d levels", PARSE_MAX_NESTING);
                c->stop = true;
                continue;
            }
            break;
        case ')':
            if (c->paren > 0)
                c->paren--;
            break;
        case '{':
            c->paren = 0;
            if (c->nbraces == PARSE_MAX_NESTING) {
                diag_at(c->diags, c->src, DIAG_ERROR, lloc->start, lloc->end, "limit",
                        "blocks nested deeper than %d levels", PARSE_MAX_NESTING);
                c->stop = true;
                continue;
            }
            c->braces[c->nbraces++] = lloc->start;
            break;
        case '}':
            c->paren = 0;
            if (c->nbraces > 0) {
                uint32_t open = c->braces[--c->nbraces];
                bool first_open, first_close;
                size_t io = indent_of(c->src, open, &first_open),
                       ic = indent_of(c->src, lloc->start, &first_close);
                if (first_close && io != ic && !c->suspect)
                    c->suspect = open + 1;
            }
            break;
        case 0:
            lloc->start = lloc->end = (uint32_t)c->src->len;
            if (c->nbraces > 0) {
                uint32_t at = c->suspect ? c->suspect - 1 : c->braces[c->nbraces - 1];
                diag_at(c->diags, c->src, DIAG_ERROR, at, at + 1, "unclosed",
                        "this '{' is never closed");
                diag_hint(c->diags, "Add a '}' where the block opened on line %d ends.",
                          source_line(c->src, at));
                c->stop = true;
            }
            break;
        }
        if (tok == KW_SECTION || tok == KW_GROUP || tok == KW_ITEM || tok == KW_OUTPUT)
            c->header = true;
        else if (tok == '{' || tok == '}' || tok == NL || tok == ';')
            c->header = false;
        if (c->trace)
            trace_token(c, tok, *lloc);
        if (tok == NL || tok == ';' || tok == '{' || tok == '}')
            c->eq_at = 0;
        else if (tok == '=')
            c->eq_at = lloc->start + 1;
        c->prev_tok = c->last;
        c->prev = c->last_loc;
        c->last = tok;
        c->last_loc = *lloc;
        return tok;
    }
}

/* ---- syntax errors ---- */

void brace_on_next_line(ParseCtx *c, Loc brace)
{
    diag_at(c->diags, c->src, DIAG_ERROR, brace.start, brace.start + 1, "syntax",
            "this '{' must stay on the line of its header");
    diag_hint(c->diags, "Move the '{' up to the end of the line above.");
}

static const char *const descriptive[] = {N_("name"),       N_("number"),      N_("text in quotes"),
                                          N_("line break"), N_("end of file"), N_("comment")};

/* The expected token as a reader sees it: '->', '{', 'item', name; a
 * keyword in Chinese when the rubric spells its keywords so. */
static const char *shown(const ParseCtx *c, Arena *a, const char *name)
{
    bool number_type = strcmp(name, "number type") == 0;
    for (size_t i = 0; i < sizeof descriptive / sizeof *descriptive; i++)
        if (strcmp(name, descriptive[i]) == 0)
            return _(name);
    size_t n = strlen(name);
    if (c->diags->keyword) {
        const char *zh = c->diags->keyword(number_type ? "number" : name);
        if (zh)
            return arena_printf(a, "'%s'", zh);
    }
    if (number_type)
        return "'number'";
    if (n >= 2 && (name[0] == '"' || name[0] == '\''))
        return arena_printf(a, "'%.*s'", (int)(n - 2), name + 1);
    return arena_printf(a, "'%s'", name);
}

static bool expects(const char **expected, int n, const char *what)
{
    for (int i = 0; i < n; i++)
        if (strcmp(expected[i], what) == 0)
            return true;
    return false;
}

static bool is_keyword_tok(int tok)
{
    return tok >= KW_RUBRIC && tok <= KW_SHOW;
}

/* A targeted hint for a common mistake at this syntax error, or nothing. */
static void syntax_hint(ParseCtx *c, Loc l, bool at_eof, const char **expected, int n)
{
    const char *t = c->src->text;
    int len = (int)(l.end - l.start);
    const char *glued = c->last == NAME && !at_eof ? parse_glued_keyword(t + l.start) : NULL;
    if (glued && strlen(glued) < (size_t)len) {
        size_t k = strlen(glued);
        diag_hint(
            c->diags,
            "A Chinese keyword must stand alone: '%.*s' is read as one name; write '%s %.*s'.", len,
            t + l.start, glued, (int)(len - (int)k), t + l.start + k);
    } else if (expects(expected, n, "'{'") && c->last == NL) {
        diag_hint(c->diags, "An opening '{' must stay on the line of its header.");
    } else if ((c->last == ARROW || c->last == '=') && c->eq_at) {
        diag_hint(c->diags,
                  "To compare, write == (or ＝＝); a single = gives a test fact its value.");
    } else if (c->prev_tok == NAME && c->nbraces > 1 && contextual_word_at(c, c->prev)) {
        diag_hint(c->diags,
                  "'%.*s' is a keyword only at the top level of the rubric; move it "
                  "there, or backquote it to use it as a name.",
                  (int)(c->prev.end - c->prev.start), t + c->prev.start);
    } else if (c->prev_tok == NAME && c->last == NAME) {
        bool zh;
        char low[16]; /* keywords have at most seven letters: a longer name is not one */
        int plen = (int)(c->prev.end - c->prev.start);
        for (int i = 0; i < plen && i < 15; i++)
            low[i] = (char)(t[c->prev.start + i] | 0x20);
        low[plen < 15 ? plen : 15] = 0;
        if (plen < 15 && parse_keyword(low, strlen(low), &zh))
            diag_hint(c->diags, "Keywords are lower case: write %s.", low);
    } else if (is_keyword_tok(c->last) && expects(expected, n, "name")) {
        diag_hint(c->diags,
                  "'%.*s' is a keyword; to use it as a name, write it in backquotes: `%.*s`.", len,
                  t + l.start, len, t + l.start);
    } else if (c->last == NAME && c->prev_tok == NUMBER && c->prev.end == l.start) {
        diag_hint(c->diags, "A name cannot start with a digit; write it in backquotes: `%.*s`.",
                  (int)(l.end - c->prev.start), t + c->prev.start);
    } else if (c->last == ',' && c->prev_tok == NUMBER && l.end < c->src->len && t[l.end] >= '0' &&
               t[l.end] <= '9') {
        diag_hint(c->diags, "Write numbers without thousands separators, e.g. 100000.");
    } else if (c->last == ARROW && expects(expected, n, "line break") == false && c->paren > 0) {
        diag_hint(c->diags, "A '(' before this is never closed.");
    }
}

void parse_report_syntax(ParseCtx *c, Loc l, bool at_eof, const char **expected, int n)
{
    Arena *a = c->arena;
    const char *t = c->src->text;
    const char *got;
    if (at_eof)
        got = _("end of file");
    else if (c->last == NL)
        got = _("line break");
    else
        got = arena_printf(a, "'%.*s'", (int)(l.end - l.start), t + l.start);
    uint32_t end = l.end > l.start ? l.end : l.start + 1;
    if (at_eof || c->last == NL)
        end = l.start; /* a caret, not a span, at the line's end */
    if (!c->root && c->nbraces == 0 && expects(expected, n, "rubric")) {
        diag_at(c->diags, c->src, DIAG_ERROR, l.start, end, "syntax",
                at_eof ? N_("this file holds no rubric") : N_("unexpected %s outside the rubric"),
                got);
        diag_hint(
            c->diags,
            "A rubric file holds one block: rubric \"名称\" { … } (or 评分表 \"名称\" { … }).");
        return;
    }
    if (c->nbraces == 0 && c->last == KW_RUBRIC) {
        diag_at(c->diags, c->src, DIAG_ERROR, l.start, end, "syntax",
                "a file holds only one rubric");
        diag_hint(c->diags, "Put each rubric in a file of its own.");
        return;
    }
    char *msg = arena_printf(a, _("unexpected %s"), got);
    int shown_n = 0;
    for (int i = 0; i < n; i++)
        shown_n += strcmp(expected[i], "error") != 0;
    if (shown_n > 0 && shown_n <= 6) {
        int k = 0;
        const char *list = "";
        for (int i = 0; i < n; i++) {
            if (strcmp(expected[i], "error") == 0)
                continue;
            /* TRANSLATORS: separators of the list "A, B or C" */
            const char *sep = k == 0 ? "" : k == shown_n - 1 ? _(" or ") : _(", ");
            list = arena_printf(a, "%s%s%s", list, sep, shown(c, a, expected[i]));
            k++;
        }
        msg = arena_printf(a, _("%s, expected %s"), msg, list);
    } else if (expects(expected, n, "->")) {
        msg = arena_printf(a, _("%s, expected '->' or an operator"), msg);
    }
    uint32_t at = l.start;
    if ((c->last == ARROW) && c->eq_at) {
        at = c->eq_at - 1, end = at + 1;
        msg = arena_printf(a, "%s", _("'=' gives a value; it does not compare"));
    }
    diag_at(c->diags, c->src, DIAG_ERROR, at, end, "syntax", "%s", msg);
    syntax_hint(c, l, at_eof, expected, n);
}

/* Set up a scanner over src with its state in c. */
static YY_BUFFER_STATE scanner_open(ParseCtx *c, Arena *a, const Source *src, Diags *d)
{
    memset(c, 0, sizeof *c);
    c->arena = a;
    c->diags = d;
    c->src = src;
    yyscan_t sc;
    yylex_init_extra(c, &sc);
    c->scanner = sc;
    return yy_scan_bytes(src->text, (int)src->len, sc);
}

static void scanner_close(ParseCtx *c, YY_BUFFER_STATE buf)
{
    yy_delete_buffer(buf, c->scanner);
    yylex_destroy(c->scanner);
}

Node *parse_source(Arena *a, const Source *src, Diags *d, FILE *dump_tokens)
{
    ParseCtx c;
    YY_BUFFER_STATE buf = scanner_open(&c, a, src, d);
    c.trace = dump_tokens;
    size_t bad = 0, first_bad = 0;
    for (size_t i = 0; i < src->len && bad < 3;) {
        uint32_t cp;
        int k =
            (unsigned char)src->text[i] < 0x80 ? 1 : utf8_decode(src->text + i, src->len - i, &cp);
        if (!k) {
            if (!bad++)
                first_bad = i;
            k = 1;
        }
        i += (size_t)k;
    }
    if (bad >= 3) {
        /* a whole file in another encoding, or no text at all: one message,
           not one per byte */
        size_t controls = 0;
        for (size_t i = 0; i < src->len; i++) {
            unsigned char ch = (unsigned char)src->text[i];
            controls += ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r';
        }
        bool binary = memchr(src->text, 0, src->len) || controls * 100 > src->len;
        diag_at(d, src, DIAG_ERROR, (uint32_t)first_bad, (uint32_t)first_bad + 1, "encoding",
                binary ? N_("this file holds binary data, not rubric text")
                       : N_("this file is not UTF-8 text"));
        if (binary)
            diag_hint(d, "Give rubric the .rubric text file of the score sheet.");
        else
            diag_hint(
                d,
                "It looks saved as GBK/GB18030; save the rubric as UTF-8 (另存为 → 编码 UTF-8).");
        c.stop = true;
    }
    if (dump_tokens) {
        YYSTYPE v;
        YYLTYPE l;
        while (parse_lex(&v, &l, &c) != 0)
            ;
    } else {
        yyparse(&c);
    }
    scanner_close(&c, buf);
    if (c.root)
        c.root->nids = c.nids;
    return c.root;
}

size_t parse_tokens(Arena *a, const Source *src, Diags *d, Token **out)
{
    ParseCtx c;
    YY_BUFFER_STATE buf = scanner_open(&c, a, src, d);
    c.keep_comments = true;
    size_t n = 0, cap = 256;
    Token *t = xmalloc(cap * sizeof *t);
    for (;;) {
        YYSTYPE v;
        YYLTYPE l;
        int tok = lex_raw(&v, &l, c.scanner);
        if (tok == 0)
            break;
        if (n == cap)
            t = xrealloc(t, (cap *= 2) * sizeof *t);
        t[n++] = (Token){tok, l.start, l.end};
    }
    scanner_close(&c, buf);
    *out = arena_alloc(a, (n + 1) * sizeof **out);
    if (n)
        memcpy(*out, t, n * sizeof *t);
    free(t);
    return n;
}
