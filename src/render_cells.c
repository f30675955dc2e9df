/* render_cells.c - what each cell of the printed score sheet says (render_impl.h).
 *
 * The sheet's content, apart from how it is written: rules as their author
 * wrote them, taken from the source text, not rebuilt from the AST (only white
 * space and comments are tidied, operators take the forms a printed form uses,
 * ≥ ≤ ≠ = → × ÷, and English keywords their Chinese spelling, so an HR author
 * recognises every line); the 权重 and 评分等级 cells, the 合计 rules and the
 * total formula, worked out from the score tree so that an auditor holding the
 * paper can work out every number; and the grade table's extra columns (an
 * output's value in each grade band, found at test points, and the quotas).
 * Every text is allocated in the sheet's arena and is plain: render.c escapes
 * it for its format. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "decimal.h"
#include "exact.h"
#include "render_impl.h"
#include "utf8.h"

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

/* Source text [start, end) on one line: comments dropped, every run of white
 * space one blank; operators and English keywords mapped as the sheet shows them. */
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

const char *render_node_text(const Sheet *sh, const Node *n)
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
    const char *cond = r->a ? render_node_text(sh, r->a) : "否则";
    const Node *res = r->b;
    const char *val = res->kind == AST_STR ? res->str : render_node_text(sh, res);
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
const char *render_weight_cell(const Sheet *sh, const ScoreNode *n)
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
const char *render_rules_cell(const Sheet *sh, const ScoreNode *it)
{
    const char *s = "";
    if (it->score)
        s = arena_printf(sh->a, "得分 = %s", render_node_text(sh, it->score));
    for (int i = 0; i < it->nrules; i++)
        s = arena_printf(sh->a, "%s%s%s", s, i ? "\n" : "", rule_text(sh, it->rules[i]));
    if (!sh->deduct && *clamp_rule(sh, it)) /* a deduction table has them in its 核值 column */
        s = arena_printf(sh->a, "%s\n%s", s, clamp_rule(sh, it));
    return s;
}

/* How a section adds up, for its 合计 row. */
const char *render_sum_rule(const Sheet *sh, const ScoreNode *s)
{
    const char *how = s->score ? arena_printf(sh->a, "得分 = %s", render_node_text(sh, s->score))
                      : s->mode == MODE_WEIGHTED ? arena_printf(sh->a, "Σ 得分 ÷ 满分 × 权重 × %s",
                                                                value_dec_text(sh->a, scale_of(s)))
                                                 : "各项得分之和";
    if (*clamp_rule(sh, s))
        how = arena_printf(sh->a, "%s；%s", how, clamp_rule(sh, s));
    return how;
}

/* A node's floor and cap as the form words them (保底 0，封顶 30), or "". */
const char *render_clamp_text(const Sheet *sh, const ScoreNode *n)
{
    const char *s = "";
    if (n->has_floor)
        s = arena_printf(sh->a, "保底 %s", value_dec_text(sh->a, n->floor));
    if (n->has_cap)
        s = arena_printf(sh->a, "%s%s封顶 %s", s, *s ? "，" : "", value_dec_text(sh->a, n->cap));
    return s;
}

/* A deduction section: a points section with a base and no score expression. */
bool render_is_deduction(const ScoreNode *s)
{
    return s->kind != SN_GROUP && s->has_base && !s->score && s->mode == MODE_POINTS;
}

const char *render_sum_label(const ScoreNode *s)
{
    return s->mode == MODE_WEIGHTED && !s->score ? "加权合计" : "合计";
}

/* 总分 = 业绩考核 × 80% + 行为考核 × 20%, from the rubric's children. */
const char *render_total_formula(const Sheet *sh)
{
    const ScoreNode *r = sh->p->rubric;
    const char *s = "总分 =";
    if (r->score)
        s = arena_printf(sh->a, "总分 = %s", render_node_text(sh, r->score));
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
bool render_band_column(const Sheet *sh, const OutputInfo *o, const char **cells)
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
        const char *v = !res ? "—" : res->kind == AST_STR ? res->str : render_node_text(sh, res);
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

/* The 配额 cell of a grade: its quotas (≤ 20%，≥ 50%), or "". */
const char *render_quota_cell(const Sheet *sh, const char *grade)
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
