/* fuzz_mutate.h - a structure-aware mutator for the harnesses that read a
 * rubric (issue 9: byte mutations never reached 300 unary minus signs, an
 * output with 300 rules or 30,000 empty CSV rows).
 *
 * Included by a harness after fuzz_common.h. Built only for `make fuzz`
 * (FUZZ_MUTATOR defined): the replay build has no libFuzzer, and replays what
 * the mutator produced from the corpus. Half of the mutations are libFuzzer's
 * own (bytes, dictionary); the rest work on lines and tokens:
 *   - repeat a line 2 to 1000 times;
 *   - put a run of 10 to 400 unary operators (-, not, 非, +) or opening
 *     parentheses before a word, closing the parentheses at the line's end;
 *   - insert a token of the language (both spellings, full-width forms);
 *   - add an item or an output with 300+ rules over a fact the text declares;
 *   - copy a block (a line with '{' to its '}') up to 50 times;
 *   - append 1,000 to 40,000 empty ",," rows (the CSV harnesses). */
#ifndef RUBRIC_FUZZ_MUTATE_H
#define RUBRIC_FUZZ_MUTATE_H
#ifdef FUZZ_MUTATOR
#include <stddef.h>
#include <stdint.h>
#include <string.h>

size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

static const char *const fm_tokens[] = {"rubric ",  "评分表 ",
                                        "section ", "维度 ",
                                        "group ",   "类别 ",
                                        "item ",    "指标 ",
                                        "fact ",    "数据 ",
                                        "weight ",  "权重 ",
                                        "max ",     "满分 ",
                                        "score ",   "得分 ",
                                        "else ",    "否则 ",
                                        " and ",    " 且 ",
                                        " or ",     " 或 ",
                                        "not ",     "非 ",
                                        "grade ",   "评级 ",
                                        "test ",    "测试 ",
                                        "expect ",  "期望 ",
                                        "round ",   "保留 ",
                                        "id ",      "标识 ",
                                        "total",    "总分",
                                        "true",     "是",
                                        "false",    "否",
                                        "number",   "数值",
                                        "percent",  "百分比",
                                        "integer",  "整数",
                                        "bool",     "布尔",
                                        "text",     "文本",
                                        "output ",  "输出 ",
                                        "veto ",    "否决 ",
                                        "rater ",   "评价人 ",
                                        "quota ",   "配额 ",
                                        "base ",    "基础分 ",
                                        "floor ",   "保底 ",
                                        "cap ",     "封顶 ",
                                        "show ",    "显示 ",
                                        "->",       ">=",
                                        "<=",       "==",
                                        "!=",       "<",
                                        ">",        "＞＝",
                                        "＜＝",     "！＝",
                                        "＝＝",     "≥",
                                        "≤",        "≠",
                                        "→",        "×",
                                        "÷",        "，",
                                        "：",       "；",
                                        "（",       "）",
                                        "％",       "＠",
                                        "@",        "%",
                                        "#",        "..",
                                        "．．",     "\"",
                                        "“",        "”",
                                        "「",       "」",
                                        "`",        "\n",
                                        ";",        "{",
                                        "}",        "(",
                                        ")",        "\u00a0",
                                        "\u3000",   "-",
                                        "+",        "*",
                                        "/",        "0",
                                        "100",      "90%",
                                        "0.5",      "99999999999999999999",
                                        "if(",      "min(",
                                        "max(",     "clamp(",
                                        "round(",   "count(",
                                        "avg(",     ","};
static const char *const fm_prefixes[] = {"-", "- ", "not ", "非 ", "+", "(", "（", "-(", "not ("};

static uint32_t fm_rand(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Insert ins[0..n) at data[at]; false when it would not fit. */
static int fm_insert(uint8_t *data, size_t *size, size_t max, size_t at, const char *ins, size_t n)
{
    if (*size + n > max || at > *size)
        return 0;
    memmove(data + at + n, data + at, *size - at);
    memcpy(data + at, ins, n);
    *size += n;
    return 1;
}

/* Offset of the start of a random line, and its length (without '\n'). */
static size_t fm_line(const uint8_t *d, size_t size, uint32_t *s, size_t *len)
{
    size_t at = size ? fm_rand(s) % size : 0;
    while (at > 0 && d[at - 1] != '\n')
        at--;
    size_t e = at;
    while (e < size && d[e] != '\n')
        e++;
    *len = e - at;
    return at;
}

/* The first declared fact name in the text (ASCII or UTF-8 up to ':'), or "x". */
static size_t fm_fact(const uint8_t *d, size_t size, char *out, size_t cap)
{
    for (size_t i = 0; i + 5 < size; i++) {
        if (memcmp(d + i, "fact ", 5) != 0 && !(i + 7 < size && memcmp(d + i, "数据 ", 7) == 0))
            continue;
        size_t s = i + (d[i] == 'f' ? 5 : 7), e = s;
        while (e < size && e - s < cap - 1 && d[e] != ':' && d[e] != ' ' && d[e] != '\n' &&
               d[e] != '`' && !(e + 3 <= size && memcmp(d + e, "：", 3) == 0))
            e++;
        if (e > s && e < size && (d[e] == ':' || d[e] == ' ')) {
            memcpy(out, d + s, e - s);
            out[e - s] = 0;
            return e - s;
        }
    }
    strcpy(out, "x");
    return 1;
}

/* Where a new statement can go: just before the last '}' (the rubric's end). */
static size_t fm_body_end(const uint8_t *d, size_t size)
{
    for (size_t i = size; i > 0; i--)
        if (d[i - 1] == '}')
            return i - 1;
    return size;
}

static size_t fm_structural(uint8_t *data, size_t size, size_t max, uint32_t *s)
{
    char buf[512];
    switch (fm_rand(s) % 7) {
    case 0: { /* repeat a line */
        size_t len, at = fm_line(data, size, s, &len);
        static const size_t counts[] = {2, 3, 10, 300, 1000};
        size_t k = counts[fm_rand(s) % 5];
        if (len == 0 || len + 1 > sizeof buf)
            return size;
        memcpy(buf, data + at, len);
        buf[len] = '\n';
        for (size_t i = 0; i < k && fm_insert(data, &size, max, at, buf, len + 1); i++)
            ;
        return size;
    }
    case 1: { /* a run of unary operators or parentheses before a word */
        size_t len, at = fm_line(data, size, s, &len);
        size_t off = at;
        while (off < at + len && (data[off] == ' ' || data[off] == '\t'))
            off++;
        const char *p = fm_prefixes[fm_rand(s) % (sizeof fm_prefixes / sizeof *fm_prefixes)];
        size_t k = 10 + fm_rand(s) % 391, n = strlen(p);
        int parens = strchr(p, '(') != NULL || strstr(p, "（") != NULL;
        size_t end = at + len, added = 0;
        for (size_t i = 0; i < k && fm_insert(data, &size, max, off, p, n); i++)
            added += n;
        if (parens && fm_rand(s) % 4)
            for (size_t i = 0; i < k && fm_insert(data, &size, max, end + added, ")", 1); i++)
                ;
        return size;
    }
    case 2: { /* a token */
        const char *t = fm_tokens[fm_rand(s) % (sizeof fm_tokens / sizeof *fm_tokens)];
        fm_insert(data, &size, max, size ? fm_rand(s) % (size + 1) : 0, t, strlen(t));
        return size;
    }
    case 3:   /* an item with 300+ rules */
    case 4: { /* an output with 300+ rules */
        char fact[64];
        fm_fact(data, size, fact, sizeof fact);
        int output = fm_rand(s) % 2;
        size_t k = 300 + fm_rand(s) % 200, at = fm_body_end(data, size);
        int n = snprintf(buf, sizeof buf, output ? "    output 多档%u {\n" : "    item 多档%u {\n",
                         (unsigned)(fm_rand(s) % 100));
        if (!fm_insert(data, &size, max, at, buf, (size_t)n))
            return size;
        at += (size_t)n;
        unsigned kind = fm_rand(s) % 3;
        for (size_t i = 0; i < k; i++) {
            if (kind == 0)
                n = snprintf(buf, sizeof buf, "        %s >= %zu -> %zu\n", fact, k - i, i % 10);
            else if (kind == 1)
                n = snprintf(buf, sizeof buf, "        %s == %zu -> \"档%zu\"\n", fact, i, i);
            else
                n = snprintf(buf, sizeof buf, "        %s < %zu%% -> %zu%%\n", fact, i, i % 100);
            if (!fm_insert(data, &size, max, at, buf, (size_t)n))
                return size;
            at += (size_t)n;
        }
        n = snprintf(buf, sizeof buf, "        else -> %s\n    }\n",
                     fm_rand(s) % 2 ? "0" : "\"零\"");
        fm_insert(data, &size, max, at, buf, (size_t)n);
        return size;
    }
    case 5: { /* copy a block */
        size_t len, at = fm_line(data, size, s, &len);
        if (!memchr(data + at, '{', len))
            return size;
        int depth = 0;
        size_t e = at;
        for (; e < size; e++) {
            if (data[e] == '{')
                depth++;
            else if (data[e] == '}' && --depth == 0)
                break;
        }
        if (e >= size || e - at + 2 > sizeof buf)
            return size;
        size_t n = e + 1 - at;
        memcpy(buf, data + at, n);
        buf[n++] = '\n';
        size_t k = 1 + fm_rand(s) % 50;
        for (size_t i = 0;
             i < k && fm_insert(data, &size, max, e + 2 <= size ? e + 2 : size, buf, n); i++)
            ;
        return size;
    }
    default: { /* empty CSV rows at the end */
        size_t k = 1000 + fm_rand(s) % 39000;
        for (size_t i = 0; i < k && fm_insert(data, &size, max, size, ",,\n", 3); i++)
            ;
        return size;
    }
    }
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    uint32_t s = seed ? seed : 1;
    if (fm_rand(&s) % 2 || size == 0)
        return LLVMFuzzerMutate(data, size, max_size);
    return fm_structural(data, size, max_size, &s);
}
#endif
#endif
