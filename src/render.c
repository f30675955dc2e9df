/* render.c - a rubric as the score sheet an HR office prints (see render.h).
 *
 * The layout is the paper form the language was made for: a title, a line for
 * the month, name and post, then one table per top-level section with the
 * columns 序号, 考核项目, 权重, 目标值/要求, 评分等级 and 得分 (自评, 上级,
 * 结果, or the rubric's raters), a 加权合计 row under each, the total formula
 * built from the weights, the grade bands and the signature lines. Whatever
 * the rubric declares that changes a score is on the sheet (bases, floors and
 * caps, the rubric's max, the raters' weights, a declared round, quotas): an
 * auditor holding the paper can work out every number. Groups and
 * nested sections become row headings; item numbers restart in each table, as
 * on the form.
 *
 * Rules are shown as their author wrote them, taken from the source text, not
 * rebuilt from the AST: only white space and comments are tidied, operators
 * take the forms a printed form uses (≥ ≤ ≠ = → × ÷) and English keywords
 * their Chinese spelling, so an HR author recognises every line. Both formats
 * share one table model; the writer escapes every cell for its format. */
#include "render.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "decimal.h"
#include "exact.h"
#include "utf8.h"

typedef struct {
    const Program *p;
    RenderFormat fmt;
    FILE *out;
    Arena *a;                 /* scratch text for the whole sheet */
    const char **score_heads; /* the 得分 sub-columns: one per rater and 结果 */
    int nscore;
    int row;     /* 序号 of the last item row in this table */
    bool deduct; /* this table is a deduction section (扣分制: base, events that deduct or add) */
} Sheet;

/* ---- source text as a printed sheet shows it ---- */

typedef struct {
    const char *from, *to;
} Subst;

static const Subst ops[] = {
    {">=", "≥"},   {"<=", "≤"}, {"!=", "≠"},   {"==", "="},   {"->", "→"},
    {"*", "×"},    {"/", "÷"},  {"＞＝", "≥"}, {"＜＝", "≤"}, {"！＝", "≠"},
    {"＝＝", "="}, {"＊", "×"}, {"／", "÷"},
};

static const Subst words[] = {
    {"total", "总分"}, {"grade", "评级"}, {"and", "且"},   {"or", "或"},
    {"not", "非"},     {"true", "是"},    {"false", "否"}, {"else", "否则"},
};

/* Bytes of the white-space character at s (ASCII or a Unicode space), or 0. */
static int space_len(const char *s, const char *end)
{
    unsigned char c = (unsigned char)*s;
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
        return 1;
    uint32_t cp;
    int n = utf8_decode(s, (size_t)(end - s), &cp);
    if (n > 1 && (cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A)))
        return n;
    return 0;
}

/* Bytes of the name character at s, or 0. */
static int name_len(const char *s, const char *end)
{
    unsigned char c = (unsigned char)*s;
    if (c < 0x80)
        return (c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'));
    uint32_t cp;
    int n = utf8_decode(s, (size_t)(end - s), &cp);
    return n > 0 && uni_is_name(cp) ? n : 0;
}

/* The closing quote of a string opened at s, and the opener's length; NULL if none. */
static const char *string_close(const char *s, const char *end, int *open_len)
{
    static const char *const pairs[][2] = {{"\"", "\""}, {"“", "”"}, {"「", "」"}, {"`", "`"}};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        size_t n = strlen(pairs[i][0]);
        if ((size_t)(end - s) >= n && memcmp(s, pairs[i][0], n) == 0) {
            *open_len = (int)n;
            return pairs[i][1];
        }
    }
    return NULL;
}

/* Source text [start, end) on one line: comments dropped, every run of white
 * space one blank; operators and English keywords mapped as the sheet shows them. */
/* Where a plain number is read as a percent (`完成率 >= 90` means 90%), the
 * offset just after it, so the sheet can print the percent sign: every one of
 * them (marks is NULL to count them first). */
static void percent_marks(const Program *p, const Node *n, uint32_t *marks, int *nm)
{
    if (!n)
        return;
    if (n->kind == AST_NUM && check_info(p, n)->ty == TY_PERCENT && !n->pct) {
        if (marks)
            marks[*nm] = n->end;
        ++*nm;
        return;
    }
    percent_marks(p, n->a, marks, nm);
    percent_marks(p, n->b, marks, nm);
    for (uint32_t i = 0; i < n->nkids; i++)
        percent_marks(p, n->kids[i], marks, nm);
}

static const char *sheet_text_marked(Arena *a, const Source *src, uint32_t start, uint32_t end,
                                     const uint32_t *marks, int nm)
{
    const char *s = src->text + start, *e = src->text + end;
    char *buf = arena_alloc(a, (size_t)(e - s) * 3 + (size_t)nm + 1), *d = buf;
    bool blank = false;
    for (;;) {
        for (int m = 0; m < nm; m++)
            if (src->text + marks[m] == s && d > buf && d[-1] != '%')
                *d++ = '%';
        if (s >= e)
            break;
        int n, open;
        const char *close;
        if ((n = space_len(s, e))) {
            blank = d > buf;
            s += n;
            continue;
        }
        if (*s == '#' || (e - s >= 3 && memcmp(s, "＃", 3) == 0)) {
            while (s < e && *s != '\n')
                s++;
            continue;
        }
        if (blank)
            *d++ = ' ', blank = false;
        if ((close = string_close(s, e, &open))) {
            const char *q = s + open;
            size_t cl = strlen(close);
            while (q < e && *q != '\n' && !((size_t)(e - q) >= cl && memcmp(q, close, cl) == 0))
                q++;
            if (q < e && *q != '\n')
                q += cl;
            memcpy(d, s, (size_t)(q - s)), d += q - s, s = q;
            continue;
        }
        if ((n = name_len(s, e))) {
            const char *q = s;
            while (q < e && (n = name_len(q, e)))
                q += n;
            const char *w = NULL;
            for (size_t i = 0; i < sizeof words / sizeof *words; i++)
                if (strlen(words[i].from) == (size_t)(q - s) &&
                    memcmp(words[i].from, s, (size_t)(q - s)) == 0)
                    w = words[i].to;
            if (w)
                memcpy(d, w, strlen(w)), d += strlen(w);
            else
                memcpy(d, s, (size_t)(q - s)), d += q - s;
            s = q;
            continue;
        }
        const Subst *op = NULL;
        for (size_t i = 0; i < sizeof ops / sizeof *ops && !op; i++)
            if ((size_t)(e - s) >= strlen(ops[i].from) &&
                memcmp(s, ops[i].from, strlen(ops[i].from)) == 0)
                op = &ops[i];
        if (op) {
            memcpy(d, op->to, strlen(op->to)), d += strlen(op->to);
            s += strlen(op->from);
            continue;
        }
        *d++ = *s++;
    }
    *d = '\0';
    return buf;
}

static const char *node_text(const Sheet *sh, const Node *n)
{
    int nm = 0;
    percent_marks(sh->p, n, NULL, &nm);
    uint32_t *marks = arena_alloc(sh->a, ((size_t)nm + 1) * sizeof *marks);
    nm = 0;
    percent_marks(sh->p, n, marks, &nm);
    return sheet_text_marked(sh->a, sh->p->src, n->start, n->end, marks, nm);
}

/* A rule in words: 完成率 ≥ 90 → 20分（完成率在90%以上）. */
static const char *rule_text(const Sheet *sh, const Node *r)
{
    const char *cond = r->a ? node_text(sh, r->a) : "否则";
    const Node *res = r->b;
    const char *val = res->kind == AST_STR ? res->str : node_text(sh, res);
    const char *unit = res->kind == AST_NUM && !res->pct ? "分" : "";
    const char *s = arena_printf(sh->a, "%s → %s%s", cond, val, unit);
    if (r->str)
        s = arena_printf(sh->a, "%s（%s）", s, r->str);
    return s;
}

/* ---- the score tree ---- */

/* The section an item's score aggregates in (a group passes it on). */
static const ScoreNode *agg_of(const ScoreNode *n)
{
    const ScoreNode *s = n->parent;
    return s && s->kind == SN_GROUP ? s->parent : s;
}

/* F, the scale of a weighted section's children: its `max` (default 100)
 * before any cap, or a `score` section's full score before its cap; its own
 * full score is min(F, cap). */
static Dec scale_of(const ScoreNode *s)
{
    Dec F;
    if (s->qscale && ex_round(s->qscale, DEC_SCALE, &F))
        return F;
    return s->opt_max ? s->opt_max->num : dec_from_int(100);
}

/* A node's floor and cap as a rule of the sheet (低于 0 记 0（保底）；高于 30
 * 记 30（封顶）), or "". */
static const char *clamp_rule(const Sheet *sh, const ScoreNode *n)
{
    const char *s = "";
    if (n->has_floor)
        s = arena_printf(sh->a, "低于 %s 记 %s（保底）", value_dec_text(sh->a, n->floor),
                         value_dec_text(sh->a, n->floor));
    if (n->has_cap)
        s = arena_printf(sh->a, "%s%s高于 %s 记 %s（封顶）", s, *s ? "；" : "",
                         value_dec_text(sh->a, n->cap), value_dec_text(sh->a, n->cap));
    return s;
}

/* The 权重 cell: the weight, and the full score where it is not weight × F;
 * in points mode the full score. */
static const char *weight_cell(const Sheet *sh, const ScoreNode *n)
{
    const ScoreNode *sec = agg_of(n);
    if (n->kind == SN_GROUP) {
        if (n->has_weight)
            return value_percent_text(sh->a, n->weight);
        Dec sum = dec_zero(), full = dec_zero();
        bool weighted = false;
        for (int i = 0; i < n->nkids; i++) {
            weighted |= n->kids[i]->has_weight;
            dec_add(sum, n->kids[i]->weight, &sum);
            dec_add(full, n->kids[i]->full, &full);
        }
        return weighted ? value_percent_text(sh->a, sum)
                        : arena_printf(sh->a, "满分 %s", value_dec_text(sh->a, full));
    }
    const char *full = n->full_ok ? value_dec_text(sh->a, n->full) : "—";
    if (!n->has_weight || !sec || sec->mode != MODE_WEIGHTED)
        return arena_printf(sh->a, "满分 %s", full);
    Dec at_full;
    if (n->full_ok && dec_mul(n->weight, scale_of(sec), &at_full) == DEC_OK &&
        dec_cmp(at_full, n->full) == 0)
        return value_percent_text(sh->a, n->weight);
    return arena_printf(sh->a, "%s（满分 %s）", value_percent_text(sh->a, n->weight), full);
}

/* The 评分等级 cell of an item: its rules, one a line, or its score expression. */
static const char *rules_cell(const Sheet *sh, const ScoreNode *it)
{
    const char *s = "";
    if (it->score)
        s = arena_printf(sh->a, "得分 = %s", node_text(sh, it->score));
    for (int i = 0; i < it->nrules; i++)
        s = arena_printf(sh->a, "%s%s%s", s, i ? "\n" : "", rule_text(sh, it->rules[i]));
    if (!sh->deduct && *clamp_rule(sh, it)) /* a deduction table has them in its 核值 column */
        s = arena_printf(sh->a, "%s\n%s", s, clamp_rule(sh, it));
    return s;
}

/* How a section adds up, for its 合计 row. */
static const char *sum_rule(const Sheet *sh, const ScoreNode *s)
{
    const char *how = s->score ? arena_printf(sh->a, "得分 = %s", node_text(sh, s->score))
                      : s->mode == MODE_WEIGHTED ? arena_printf(sh->a, "Σ 得分 ÷ 满分 × 权重 × %s",
                                                                value_dec_text(sh->a, scale_of(s)))
                                                 : "各项得分之和";
    if (*clamp_rule(sh, s))
        how = arena_printf(sh->a, "%s；%s", how, clamp_rule(sh, s));
    return how;
}

/* ---- writing ---- */

static void put_escaped(const Sheet *sh, const char *s)
{
    for (; *s; s++) {
        char c = *s;
        if (c == '\n') {
            fputs("<br>", sh->out);
        } else if (sh->fmt == RENDER_HTML) {
            switch (c) {
            case '&':
                fputs("&amp;", sh->out);
                break;
            case '<':
                fputs("&lt;", sh->out);
                break;
            case '>':
                fputs("&gt;", sh->out);
                break;
            case '"':
                fputs("&quot;", sh->out);
                break;
            case '\'':
                fputs("&#39;", sh->out);
                break;
            default:
                fputc(c, sh->out);
            }
        } else {
            /* a pipe would end the cell; < before a letter could open an HTML tag */
            unsigned char nx = (unsigned char)s[1];
            if (c == '|' || c == '\\' ||
                (c == '<' && (nx == '/' || nx == '!' || nx == '?' ||
                              ((nx | 0x20) >= 'a' && (nx | 0x20) <= 'z'))))
                fputc('\\', sh->out);
            fputc(c, sh->out);
        }
    }
}

typedef enum { ROW_ITEM, ROW_HEAD, ROW_SUM } RowKind;

/* One table row: 序号, 考核项目, 权重, 目标值/要求, 评分等级, then the empty score cells. */
static void put_row(Sheet *sh, RowKind kind, const char *no, const char *name, const char *weight,
                    const char *goal, const char *rules)
{
    const char *cells[5] = {no, name, weight, goal ? goal : "", rules ? rules : ""};
    if (sh->deduct) { /* 序号, 考核项目, 考核要求, 核值, 扣分/加分 */
        cells[2] = goal ? goal : "";
        cells[3] = weight;
    }
    if (sh->fmt == RENDER_MD) {
        fputc('|', sh->out);
        for (int i = 0; i < 5; i++) {
            bool bold = kind != ROW_ITEM && i == 1;
            if (!*cells[i]) {
                fputs(" |", sh->out);
                continue;
            }
            fputs(bold ? " **" : " ", sh->out);
            put_escaped(sh, cells[i]);
            fputs(bold ? "** |" : " |", sh->out);
        }
        for (int i = 0; i < sh->nscore; i++)
            fputs(" |", sh->out);
        fputc('\n', sh->out);
        return;
    }
    static const char *const cls[] = {"", " class=\"head\"", " class=\"sum\""};
    static const char *const tdcls_normal[] = {"n", "name", "w", "goal", "rules"};
    static const char *const tdcls_deduct[] = {"n", "name", "goal", "w", "rules"};
    const char *const *tdcls = sh->deduct ? tdcls_deduct : tdcls_normal;
    fprintf(sh->out, "<tr%s>", cls[kind]);
    for (int i = 0; i < 5; i++) {
        fprintf(sh->out, "<td class=\"%s\">", tdcls[i]);
        put_escaped(sh, cells[i]);
        fputs("</td>", sh->out);
    }
    for (int i = 0; i < sh->nscore; i++)
        fputs("<td class=\"s\"></td>", sh->out);
    fputs("</tr>\n", sh->out);
}

static void put_heading(Sheet *sh, int level, const char *text)
{
    if (sh->fmt == RENDER_MD) {
        fprintf(sh->out, "%.*s ", level, "######");
        put_escaped(sh, text);
        fputs("\n\n", sh->out);
    } else {
        fprintf(sh->out, "<h%d>", level);
        put_escaped(sh, text);
        fprintf(sh->out, "</h%d>\n", level);
    }
}

static void put_para(Sheet *sh, const char *cls, const char *text)
{
    if (sh->fmt == RENDER_MD) {
        put_escaped(sh, text);
        fputs("\n\n", sh->out);
    } else {
        fprintf(sh->out, "<p class=\"%s\">", cls);
        put_escaped(sh, text);
        fputs("</p>\n", sh->out);
    }
}

static void table_open(Sheet *sh)
{
    static const char *const normal[] = {"序号", "考核项目", "权重", "目标值/要求", "评分等级"};
    static const char *const deduct[] = {"序号", "考核项目", "考核要求", "核值", "扣分/加分"};
    const char *const *heads = sh->deduct ? deduct : normal;
    sh->row = 0;
    if (sh->fmt == RENDER_MD) {
        fputc('|', sh->out);
        for (int i = 0; i < 5; i++)
            fprintf(sh->out, " %s |", heads[i]);
        for (int i = 0; i < sh->nscore; i++) {
            fputs(" 得分（", sh->out);
            put_escaped(sh, sh->score_heads[i]);
            fputs("） |", sh->out);
        }
        fputs("\n|", sh->out);
        for (int i = 0; i < 5 + sh->nscore; i++)
            fputs("---|", sh->out);
        fputc('\n', sh->out);
        return;
    }
    fputs("<table>\n<thead>\n<tr>", sh->out);
    for (int i = 0; i < 5; i++)
        fprintf(sh->out, "<th rowspan=\"2\">%s</th>", heads[i]);
    fprintf(sh->out, "<th colspan=\"%d\">得分</th></tr>\n<tr>", sh->nscore);
    for (int i = 0; i < sh->nscore; i++) {
        fputs("<th class=\"s\">", sh->out);
        put_escaped(sh, sh->score_heads[i]);
        fputs("</th>", sh->out);
    }
    fputs("</tr>\n</thead>\n<tbody>\n", sh->out);
}

static void table_close(Sheet *sh)
{
    fputs(sh->fmt == RENDER_MD ? "\n" : "</tbody>\n</table>\n", sh->out);
}

/* A node's floor and cap as the form words them (保底 0，封顶 30), or "". */
static const char *clamp_text(const Sheet *sh, const ScoreNode *n)
{
    const char *s = "";
    if (n->has_floor)
        s = arena_printf(sh->a, "保底 %s", value_dec_text(sh->a, n->floor));
    if (n->has_cap)
        s = arena_printf(sh->a, "%s%s封顶 %s", s, *s ? "，" : "", value_dec_text(sh->a, n->cap));
    return s;
}

static void put_item(Sheet *sh, const ScoreNode *it)
{
    const char *no = arena_printf(sh->a, "%d", ++sh->row);
    const char *w = sh->deduct ? clamp_text(sh, it) : weight_cell(sh, it);
    put_row(sh, ROW_ITEM, no, it->name, w, it->decl->str, rules_cell(sh, it));
}

/* A deduction section: a points section with a base and no score expression. */
static bool is_deduction(const ScoreNode *s)
{
    return s->kind != SN_GROUP && s->has_base && !s->score && s->mode == MODE_POINTS;
}

/* The 得分 row of a deduction section: 核值 plus the deductions and
 * bonuses, then its floor (扣完为止) and cap (加分不超过). */
static void put_deduction_sum(Sheet *sh, const ScoreNode *s, const char *label)
{
    const char *how =
        arena_printf(sh->a, "核值 %s + 各项扣分/加分", value_dec_text(sh->a, s->base));
    if (s->has_floor)
        how = arena_printf(sh->a, "%s；低于 %s 记 %s（扣完为止）", how,
                           value_dec_text(sh->a, s->floor), value_dec_text(sh->a, s->floor));
    if (s->has_cap)
        how = arena_printf(sh->a, "%s；高于 %s 记 %s（封顶）", how, value_dec_text(sh->a, s->cap),
                           value_dec_text(sh->a, s->cap));
    const char *full =
        s->full_ok ? arena_printf(sh->a, "满分 %s", value_dec_text(sh->a, s->full)) : "";
    /* 满分 in the 核值 column of a deduction table, where 小计 puts it in another */
    put_row(sh, ROW_SUM, "", label, sh->deduct ? full : "", sh->deduct ? "" : full, how);
}

static void put_vetoes(Sheet *sh, const ScoreNode *s)
{
    for (int i = 0; i < s->nvetoes; i++) {
        const Node *v = s->vetoes[i];
        put_row(sh, ROW_HEAD, "", "一票否决", "", v->str,
                arena_printf(sh->a, "%s → %s得0分", node_text(sh, v->a),
                             s->kind == SN_RUBRIC ? "总分" : s->name));
    }
}

static void put_sum(Sheet *sh, const ScoreNode *s, const char *label)
{
    if (is_deduction(s)) { /* nested in an ordinary table too: its 核值 is part of the sum */
        put_deduction_sum(sh, s, label);
        return;
    }
    const char *w = s->mode == MODE_WEIGHTED && !s->score ? "100%" : "";
    const char *full =
        s->full_ok ? arena_printf(sh->a, "满分 %s", value_dec_text(sh->a, s->full)) : "";
    put_row(sh, ROW_SUM, "", label, w, full, sum_rule(sh, s));
}

/* The rows of a section's children: items numbered, groups and nested
 * sections as headings (a nested section closes with its 小计). */
static void put_kids(Sheet *sh, const ScoreNode *s)
{
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (k->kind == SN_ITEM) {
            put_item(sh, k);
        } else if (k->kind == SN_GROUP) {
            put_row(sh, ROW_HEAD, "", k->name, weight_cell(sh, k), k->decl->str, NULL);
            for (int j = 0; j < k->nkids; j++)
                put_item(sh, k->kids[j]);
        } else {
            put_row(sh, ROW_HEAD, "", k->name, weight_cell(sh, k), k->decl->str, NULL);
            put_kids(sh, k);
            put_vetoes(sh, k);
            put_sum(sh, k, arena_printf(sh->a, "%s小计", k->name));
        }
    }
}

static const char *sum_label(const ScoreNode *s)
{
    return s->mode == MODE_WEIGHTED && !s->score ? "加权合计" : "合计";
}

/* 总分 = 业绩考核 × 80% + 行为考核 × 20%, from the rubric's children. */
static const char *total_formula(Sheet *sh)
{
    const ScoreNode *r = sh->p->rubric;
    const char *s = "总分 =";
    if (r->score)
        s = arena_printf(sh->a, "总分 = %s", node_text(sh, r->score));
    else if (r->has_base) /* a points-mode rubric's 核值 */
        s = arena_printf(sh->a, "总分 = 核值 %s +", value_dec_text(sh->a, r->base));
    for (int i = 0; i < r->nkids && !r->score; i++) {
        const ScoreNode *k = r->kids[i];
        const char *term = k->name;
        if (r->mode == MODE_WEIGHTED && k->kind != SN_GROUP) {
            /* a group's score is already its part of the total */
            if (k->full_ok && dec_cmp(k->full, scale_of(r)) == 0)
                term =
                    arena_printf(sh->a, "%s × %s", k->name, value_percent_text(sh->a, k->weight));
            else
                term = arena_printf(sh->a, "%s ÷ %s × %s × %s", k->name,
                                    k->full_ok ? value_dec_text(sh->a, k->full) : "满分",
                                    value_percent_text(sh->a, k->weight),
                                    value_dec_text(sh->a, scale_of(r)));
        }
        s = arena_printf(sh->a, "%s%s %s", s, i ? " +" : "", term);
    }
    /* with `score EXPR` the total is held to its full score only when the
       rubric declares `max`; otherwise the inferred one is no limit to show */
    if (r->full_ok && (!r->score || sh->p->declared_max))
        s = arena_printf(sh->a, "%s（满分 %s）", s, value_dec_text(sh->a, r->full));
    if (*clamp_rule(sh, r))
        s = arena_printf(sh->a, "%s；%s", s, clamp_rule(sh, r));
    return s;
}

/* ---- outputs beside the grade bands ----
 *
 * An output such as 系数 that reads only `total` and `grade` and gives
 * constants is printed as a column of the grade table: its value in each band.
 * Both rule lists are tried at test points (every constant they compare total
 * with, the midpoints between them and one beyond each end, within the total's
 * range); a band shows the values its points give. */

#define MAX_POINTS 64

static bool const_of(const Program *p, const Node *n, Dec *out)
{
    while (n->kind == AST_PAREN)
        n = n->a;
    if (n->kind == AST_NUM) {
        *out = check_num(p, n);
        return true;
    }
    if (n->kind == AST_NEG && const_of(p, n->a, out)) {
        *out = dec_neg(*out);
        return true;
    }
    return false;
}

/* Collect the constants cond compares total with; false when cond reads
 * anything but total, grade and constants. */
static bool band_consts(const Program *p, const Node *cond, Dec *pts, int *n)
{
    if (!cond)
        return true;
    while (cond->kind == AST_PAREN)
        cond = cond->a;
    switch (cond->kind) {
    case AST_BOOL:
        return true;
    case AST_NOT:
        return band_consts(p, cond->a, pts, n);
    case AST_AND:
    case AST_OR:
        return band_consts(p, cond->a, pts, n) && band_consts(p, cond->b, pts, n);
    case AST_CHAIN:
        for (uint32_t i = 0; i < cond->nkids; i++) {
            const Node *k = cond->kids[i];
            while (k->kind == AST_PAREN)
                k = k->a;
            Dec d;
            if (k->kind == AST_TOTAL || k->kind == AST_GRADEREF || k->kind == AST_STR)
                continue;
            if (!const_of(p, k, &d))
                return false;
            if (*n < MAX_POINTS)
                pts[(*n)++] = d;
        }
        return true;
    default:
        return false;
    }
}

/* One operand at the test point: total t, grade g (NULL: none yet). */
static bool band_operand(const Program *p, const Node *k, Dec t, const char *g, Dec *d,
                         const char **str)
{
    while (k->kind == AST_PAREN)
        k = k->a;
    *str = NULL;
    if (k->kind == AST_TOTAL) {
        *d = t;
        return true;
    }
    if (k->kind == AST_GRADEREF)
        return (*str = g) != NULL;
    if (k->kind == AST_STR)
        return (*str = k->str) != NULL;
    return const_of(p, k, d);
}

/* cond at the test point; -1 when it cannot be told. */
static int band_holds(const Program *p, const Node *cond, Dec t, const char *g)
{
    if (!cond)
        return 1;
    while (cond->kind == AST_PAREN)
        cond = cond->a;
    int x, y;
    switch (cond->kind) {
    case AST_BOOL:
        return cond->bval;
    case AST_NOT:
        x = band_holds(p, cond->a, t, g);
        return x < 0 ? -1 : !x;
    case AST_AND:
    case AST_OR:
        x = band_holds(p, cond->a, t, g), y = band_holds(p, cond->b, t, g);
        if (x < 0 || y < 0)
            return -1;
        return cond->kind == AST_AND ? x && y : x || y;
    case AST_CHAIN:
        for (uint32_t i = 0; i + 1 < cond->nkids; i++) {
            Dec a = dec_zero(), b = dec_zero();
            const char *sa, *sb;
            if (!band_operand(p, cond->kids[i], t, g, &a, &sa) ||
                !band_operand(p, cond->kids[i + 1], t, g, &b, &sb) || (!sa != !sb))
                return -1;
            int c = sa ? strcmp(sa, sb) != 0 : dec_cmp(a, b);
            AstOp op = cond->ops[i];
            bool ok = op == OP_EQ   ? c == 0
                      : op == OP_NE ? c != 0
                      : op == OP_LT ? c < 0
                      : op == OP_LE ? c <= 0
                      : op == OP_GT ? c > 0
                                    : c >= 0;
            if (sa && op != OP_EQ && op != OP_NE)
                return -1;
            if (!ok)
                return 0;
        }
        return 1;
    default:
        return -1;
    }
}

/* The first rule of rules holding at the point, -1 none, -2 cannot be told. */
static int band_first(const Program *p, const Node *const *rules, int n, Dec t, const char *g)
{
    for (int i = 0; i < n; i++) {
        int h = band_holds(p, rules[i]->a, t, g);
        if (h != 0)
            return h > 0 ? i : -2;
    }
    return -1;
}

static int dec_order(const void *x, const void *y)
{
    return dec_cmp(*(const Dec *)x, *(const Dec *)y);
}

/* v is one of the " / "-separated parts of list. */
static bool has_part(const char *list, const char *v)
{
    size_t n = strlen(v);
    for (const char *s = list;; s += 3) {
        const char *e = strstr(s, " / ");
        size_t k = e ? (size_t)(e - s) : strlen(s);
        if (k == n && memcmp(s, v, n) == 0)
            return true;
        if (!e)
            return false;
        s = e;
    }
}

/* cells[g] for each grade rule g: output o's value in that band, or its
 * values from low totals to high ("0.5 / 1"), "—" where no output rule
 * matches; false when o is not of the form shown in the grade table. */
static bool band_column(Sheet *sh, const OutputInfo *o, const char **cells)
{
    const Program *p = sh->p;
    if (o->score || !o->nrules)
        return false;
    Dec pts[MAX_POINTS], tests[3 * MAX_POINTS + 2];
    int n = 0, nt = 0;
    for (int i = 0; i < o->nrules; i++) {
        Dec d;
        const Node *r = o->rules[i]->b;
        while (r->kind == AST_PAREN)
            r = r->a;
        if ((r->kind != AST_STR && r->kind != AST_BOOL && !const_of(p, r, &d)) ||
            !band_consts(p, o->rules[i]->a, pts, &n))
            return false;
    }
    for (int i = 0; i < p->ngrade; i++)
        if (!band_consts(p, p->grade[i]->a, pts, &n))
            return false;
    if (n >= MAX_POINTS)
        return false;
    qsort(pts, (size_t)n, sizeof *pts, dec_order);
    for (int i = 0; i < n; i++) {
        Dec mid;
        if (i == 0 && dec_sub(pts[0], dec_from_int(1), &tests[nt]) == DEC_OK)
            nt++;
        tests[nt++] = pts[i];
        if (i + 1 < n && dec_add(pts[i], pts[i + 1], &mid) == DEC_OK &&
            dec_div(mid, dec_from_int(2), &tests[nt]) == DEC_OK)
            nt++;
        if (i + 1 == n && dec_add(pts[i], dec_from_int(1), &tests[nt]) == DEC_OK)
            nt++;
    }
    if (n == 0)
        tests[nt++] = dec_zero();
    const ScoreNode *root = p->rubric;
    for (int g = 0; g < p->ngrade; g++)
        cells[g] = NULL;
    for (int k = 0; k < nt; k++) {
        Dec t = tests[k];
        if ((root->full_ok && dec_cmp(t, root->full) > 0) ||
            (!root->low_inf && dec_cmp(t, root->low) < 0))
            continue;
        int g = band_first(p, p->grade, p->ngrade, t, NULL);
        if (g == -2)
            return false;
        if (g < 0 || p->grade[g]->b->kind != AST_STR)
            continue;
        int r = band_first(p, o->rules, o->nrules, t, p->grade[g]->b->str);
        if (r == -2)
            return false;
        const Node *res = r >= 0 ? o->rules[r]->b : NULL;
        const char *v = !res ? "—" : res->kind == AST_STR ? res->str : node_text(sh, res);
        if (!cells[g])
            cells[g] = v;
        else if (!has_part(cells[g], v))
            cells[g] = arena_printf(sh->a, "%s / %s", cells[g], v);
    }
    for (int g = 0; g < p->ngrade; g++)
        if (!cells[g])
            cells[g] = "";
    return true;
}

static void put_cell_sep(Sheet *sh, bool first, bool last)
{
    if (sh->fmt == RENDER_MD)
        fputs(first ? "| " : last ? " |\n" : " | ", sh->out);
    else
        fputs(first ? "<tr><td>" : last ? "</td></tr>\n" : "</td><td>", sh->out);
}

/* The 配额 cell of a grade: its quotas (≤ 20%，≥ 50%), or "". */
static const char *quota_cell(const Sheet *sh, const char *grade)
{
    const Program *p = sh->p;
    const char *s = "";
    for (int q = 0; q < p->nquotas; q++) {
        const Node *n = p->quotas[q];
        if (!n->name || !n->a || strcmp(n->name, grade) != 0)
            continue;
        s = arena_printf(sh->a, "%s%s%s %s", s, *s ? "，" : "", n->qop == OP_LE ? "≤" : "≥",
                         value_percent_text(sh->a, n->a->num));
    }
    return s;
}

static void put_grades(Sheet *sh)
{
    const Program *p = sh->p;
    if (!p->has_grade || !p->ngrade)
        return;
    /* the outputs that go beside the bands */
    const char ***cols = arena_alloc(sh->a, ((size_t)p->noutputs + 1) * sizeof *cols);
    const OutputInfo **outs = arena_alloc(sh->a, ((size_t)p->noutputs + 1) * sizeof *outs);
    int ncols = 0;
    for (int i = 0; i < p->noutputs; i++) {
        const char **cells = arena_alloc(sh->a, ((size_t)p->ngrade + 1) * sizeof *cells);
        if (band_column(sh, &p->outputs[i], cells))
            cols[ncols] = cells, outs[ncols++] = &p->outputs[i];
    }
    put_heading(sh, 2, "评级");
    bool quotas = p->nquotas > 0; /* 配额 (forced distribution): a column of its own */
    if (sh->fmt == RENDER_MD) {
        fputs(quotas ? "| 评级 | 条件 | 配额 |" : "| 评级 | 条件 |", sh->out);
        for (int c = 0; c < ncols; c++) {
            fputc(' ', sh->out);
            put_escaped(sh, outs[c]->name);
            fputs(" |", sh->out);
        }
        fputs(quotas ? "\n|---|---|---|" : "\n|---|---|", sh->out);
        for (int c = 0; c < ncols; c++)
            fputs("---|", sh->out);
        fputc('\n', sh->out);
    } else {
        fputs("<table class=\"grades\">\n<thead><tr><th>评级</th><th>条件</th>", sh->out);
        if (quotas)
            fputs("<th>配额</th>", sh->out);
        for (int c = 0; c < ncols; c++) {
            fputs("<th>", sh->out);
            put_escaped(sh, outs[c]->name);
            fputs("</th>", sh->out);
        }
        fputs("</tr></thead>\n<tbody>\n", sh->out);
    }
    for (int i = 0; i < p->ngrade; i++) {
        const Node *r = p->grade[i];
        const char *grade = r->b->kind == AST_STR ? r->b->str : node_text(sh, r->b);
        const char *cond = r->a ? node_text(sh, r->a) : "否则";
        if (r->str)
            cond = arena_printf(sh->a, "%s（%s）", cond, r->str);
        put_cell_sep(sh, true, false);
        put_escaped(sh, grade);
        put_cell_sep(sh, false, false);
        put_escaped(sh, cond);
        if (quotas) {
            put_cell_sep(sh, false, false);
            put_escaped(sh, r->b->kind == AST_STR ? quota_cell(sh, r->b->str) : "");
        }
        for (int c = 0; c < ncols; c++) {
            put_cell_sep(sh, false, false);
            put_escaped(sh, cols[c][i]);
        }
        put_cell_sep(sh, false, true);
    }
    fputs(sh->fmt == RENDER_MD ? "\n" : "</tbody>\n</table>\n", sh->out);
}

/* Every output with its rules (or score), as the sheet's last table. */
static void put_outputs(Sheet *sh)
{
    const Program *p = sh->p;
    if (!p->noutputs)
        return;
    put_heading(sh, 2, "输出");
    if (sh->fmt == RENDER_MD)
        fputs("| 输出 | 规则 |\n|---|---|\n", sh->out);
    else
        fputs("<table class=\"grades\">\n<thead><tr><th>输出</th><th>规则</th></tr></thead>\n"
              "<tbody>\n",
              sh->out);
    for (int i = 0; i < p->noutputs; i++) {
        const OutputInfo *o = &p->outputs[i];
        const char *rules = o->score ? arena_printf(sh->a, "= %s", node_text(sh, o->score)) : "";
        for (int k = 0; k < o->nrules; k++) {
            const Node *r = o->rules[k];
            const char *val = r->b->kind == AST_STR ? r->b->str : node_text(sh, r->b);
            const char *t =
                arena_printf(sh->a, "%s → %s", r->a ? node_text(sh, r->a) : "否则", val);
            if (r->str)
                t = arena_printf(sh->a, "%s（%s）", t, r->str);
            rules = arena_printf(sh->a, "%s%s%s", rules, k ? "\n" : "", t);
        }
        put_cell_sep(sh, true, false);
        put_escaped(sh, o->name);
        put_cell_sep(sh, false, false);
        put_escaped(sh, rules);
        put_cell_sep(sh, false, true);
    }
    fputs(sh->fmt == RENDER_MD ? "\n" : "</tbody>\n</table>\n", sh->out);
}

static const char *const css =
    "@page { size: A4; margin: 15mm 12mm; }\n"
    "body { font-family: \"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\", serif; font-size: "
    "10.5pt;"
    " color: #000; max-width: 186mm; margin: 0 auto; }\n"
    "h1 { text-align: center; font-size: 16pt; margin: 0 0 8pt; }\n"
    "h2 { font-size: 12pt; margin: 12pt 0 4pt; }\n"
    "p { margin: 4pt 0; }\n"
    ".blank { display: inline-block; min-width: 6em; border-bottom: 1px solid #000; }\n"
    ".blank.short { min-width: 2.5em; }\n"
    "table { width: 100%; border-collapse: collapse; margin: 4pt 0 8pt; }\n"
    "thead { display: table-header-group; }\n"
    "tr { break-inside: avoid; page-break-inside: avoid; }\n"
    "th, td { border: 1px solid #000; padding: 2pt 4pt; vertical-align: top; }\n"
    "th { background: #eee; text-align: center; font-weight: bold; }\n"
    "td.n, td.w { text-align: center; white-space: nowrap; }\n"
    "td.s, th.s { width: 12mm; }\n"
    "tr.head td { font-weight: bold; background: #f5f5f5; }\n"
    "tr.sum td { font-weight: bold; }\n"
    "table.grades { width: auto; }\n"
    ".total { font-weight: bold; }\n"
    ".sign { margin-top: 16pt; }\n"
    "@media print { body { max-width: none; } th, tr.head td { -webkit-print-color-adjust: exact;"
    " print-color-adjust: exact; } }\n";

static void put_blank_line(Sheet *sh, const char *cls, const char *label, bool date)
{
    if (sh->fmt == RENDER_MD) {
        fprintf(sh->out, "%s: __________", label);
        if (date)
            fputs("　　____ 年 ____ 月 ____ 日", sh->out);
        fputs("\n\n", sh->out);
        return;
    }
    fprintf(sh->out, "<p class=\"%s\">%s: <span class=\"blank\"></span>", cls, label);
    if (date)
        fputs("　　<span class=\"blank short\"></span>年<span class=\"blank short\"></span>月"
              "<span class=\"blank short\"></span>日",
              sh->out);
    fputs("</p>\n", sh->out);
}

void render_program(const Program *p, RenderFormat fmt, FILE *out)
{
    Arena a;
    arena_init(&a);
    Sheet sh = {.p = p, .fmt = fmt, .out = out, .a = &a};
    sh.score_heads = arena_alloc(&a, ((size_t)p->nraters + 3) * sizeof *sh.score_heads);
    if (p->nraters > 0) {
        for (int i = 0; i < p->nraters; i++) /* 自评 30%: what the rater's view counts */
            sh.score_heads[sh.nscore++] =
                p->raters[i]->weight
                    ? arena_printf(&a, "%s %s", p->raters[i]->name,
                                   value_percent_text(&a, p->raters[i]->weight->num))
                    : p->raters[i]->name;
        sh.score_heads[sh.nscore++] = "结果";
    } else {
        sh.score_heads[0] = "自评", sh.score_heads[1] = "上级", sh.score_heads[2] = "结果";
        sh.nscore = 3;
    }
    const ScoreNode *root = p->rubric;
    const char *title = root->name;
    if (fmt == RENDER_HTML) {
        fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
              out);
        put_escaped(&sh, title);
        fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n", css);
    }
    put_heading(&sh, 1, title);
    if (fmt == RENDER_MD)
        fputs("考核时间: ______ 年 ____ 月　　姓名: __________　　岗位: __________\n\n", out);
    else
        fputs(
            "<p class=\"meta\">考核时间: <span class=\"blank\"></span>年<span class=\"blank "
            "short\"></span>月"
            "　　姓名: <span class=\"blank\"></span>　　岗位: <span class=\"blank\"></span></p>\n",
            out);
    if (root->decl->str)
        put_para(&sh, "desc", root->decl->str);

    /* a table per top-level section; the rubric's own items and groups
       (between sections) make untitled tables */
    bool has_section = false;
    for (int i = 0; i < root->nkids; i++)
        has_section |= root->kids[i]->kind == SN_SECTION;
    for (int i = 0; i < root->nkids;) {
        const ScoreNode *k = root->kids[i];
        if (k->kind == SN_SECTION) {
            const char *how =
                k->has_weight ? arena_printf(&a, "（权重 %s）", value_percent_text(&a, k->weight))
                : k->full_ok ? arena_printf(&a, "（满分 %s）", value_dec_text(&a, k->full))
                             : "";
            sh.deduct = is_deduction(k);
            if (!sh.deduct && *clamp_text(&sh, k)) /* 封顶 90: its full score is min(F, 90) */
                how = *how ? arena_printf(&a, "%.*s，%s）", (int)(strlen(how) - strlen("）")), how,
                                          clamp_text(&sh, k))
                           : arena_printf(&a, "（%s）", clamp_text(&sh, k));
            if (sh.deduct)
                how = arena_printf(&a, "（%s%s核值 %s%s%s）", k->has_weight ? "权重 " : "",
                                   k->has_weight
                                       ? arena_printf(&a, "%s，", value_percent_text(&a, k->weight))
                                       : "",
                                   value_dec_text(&a, k->base), *clamp_text(&sh, k) ? "，" : "",
                                   clamp_text(&sh, k));
            put_heading(&sh, 2, arena_printf(&a, "%s%s", k->name, how));
            if (k->decl->str)
                put_para(&sh, "desc", k->decl->str);
            table_open(&sh);
            if (sh.deduct)
                put_row(&sh, ROW_HEAD, "", "核值", value_dec_text(&a, k->base), NULL, NULL);
            put_kids(&sh, k);
            put_vetoes(&sh, k);
            put_sum(&sh, k, sh.deduct ? "得分" : sum_label(k));
            table_close(&sh);
            sh.deduct = false;
            i++;
            continue;
        }
        table_open(&sh);
        for (; i < root->nkids && root->kids[i]->kind != SN_SECTION; i++) {
            k = root->kids[i];
            if (k->kind == SN_ITEM) {
                put_item(&sh, k);
            } else {
                put_row(&sh, ROW_HEAD, "", k->name, weight_cell(&sh, k), k->decl->str, NULL);
                for (int j = 0; j < k->nkids; j++)
                    put_item(&sh, k->kids[j]);
            }
        }
        if (!has_section)
            put_sum(&sh, root, sum_label(root));
        table_close(&sh);
    }
    if (fmt == RENDER_MD)
        fputs("**", out);
    else
        fputs("<p class=\"total\">", out);
    put_escaped(&sh, total_formula(&sh));
    fputs(fmt == RENDER_MD ? "**\n\n" : "</p>\n", out);
    for (uint32_t i = 0; i < root->decl->nkids; i++) /* a declared `round`: what the grades see */
        if (root->decl->kids[i]->kind == AST_ROUND)
            put_para(&sh, "round",
                     p->round ? arena_printf(
                                    &a, "各项得分与总分四舍五入保留 %d 位小数，评级按保留后的分数",
                                    p->round)
                              : "各项得分与总分四舍五入取整，评级按取整后的分数");
    /* a default scores an employee whose value is missing: the sheet says so */
    const char *dflt = "";
    for (int i = 0; i < p->nfacts; i++) {
        const FactInfo *f = &p->facts[i];
        if (f->has_default && f->read)
            dflt = arena_printf(&a, "%s%s%s 按 %s 计", dflt, *dflt ? "；" : "", f->name,
                                value_text(&a, &f->dflt));
    }
    if (*dflt)
        put_para(&sh, "defaults", arena_printf(&a, "未填写的数据：%s", dflt));
    for (int i = 0; i < root->nvetoes; i++) {
        const Node *v = root->vetoes[i];
        const char *t = arena_printf(&a, "一票否决: %s → 总分为0%s%s%s", node_text(&sh, v->a),
                                     v->str ? "（" : "", v->str ? v->str : "", v->str ? "）" : "");
        put_para(&sh, "veto", t);
    }
    put_grades(&sh);
    put_outputs(&sh);
    put_blank_line(&sh, "sign", "考核人签字", true);
    put_blank_line(&sh, "sign", "被考核人签字", true);
    if (fmt == RENDER_HTML)
        fputs("</body>\n</html>\n", out);
    arena_free(&a);
}
