/* explain.c - why one employee got each score (see explain.h).
 *
 * The explanation is the score tree in the rubric's order: every section,
 * group and item with its reported score, full score, weight and
 * contribution; under each item the rule that fired, as written and with its
 * file:line, and the facts it read with their values. It ends with the total
 * as a sum an auditor can redo by hand and the grade rule that fired.
 *
 * The sum uses the exact values the evaluator used, not the rounded ones on
 * the rows: a total recomputed from rounded section scores would round twice
 * and can miss by a cent, which is exactly the mistake an audit must not
 * make. The rounding to `round` digits comes last, on a line of its own.
 *
 * An employee who could not be scored gets the same tree: what was scored
 * before the failure, the node that failed, the rest "not reached", and the
 * reason with the rubric line. Everything is computed from the Result; the
 * evaluator is not run again. Text is laid out for a terminal by display
 * width (CJK characters are two columns); JSON carries the same content. */
#include "explain.h"

#include <string.h>

#include "arena.h"
#include "decimal.h"
#include "exact.h"
#include "utf8.h"

typedef enum { ST_SCORED, ST_FAILED, ST_NOT_REACHED } Status;

enum { NCOLS = 5 };

typedef struct {
    const Program *p;
    const Result *r;
    FILE *out;
    Arena *a;
    int failed;           /* the node where scoring failed (innermost), or -1 */
    bool complete;        /* every node was scored */
    const char **formula; /* the total as a sum, a step a line */
    int nformula, capformula;
} Ex;

/* ---- values ---- */

static Dec rounded(const Ex *x, mpq_srcptr q)
{
    Dec r;
    return ex_round(q, x->p->round, &r) ? r : dec_zero();
}

/* Source text [start, end) on one line: comments dropped, each run of white
 * space (line breaks included) one blank; strings kept as they are. */
static const char *node_text(const Ex *x, const Node *n)
{
    return source_one_line(x->a, x->p->src, n->start, n->end);
}

static int line_of(const Ex *x, const Node *n)
{
    return source_line(x->p->src, n->start);
}

/* ---- the tree ---- */

static bool within(const Node *n, const Node *decl)
{
    return n && n->start >= decl->start && n->end <= decl->end;
}

static int depth_of(const ScoreNode *n)
{
    int d = 0;
    for (const ScoreNode *s = n->parent; s && s->kind != SN_RUBRIC; s = s->parent)
        d++;
    return d;
}

/* Every item under n (n itself if an item) was scored. */
static bool items_done(const Ex *x, const ScoreNode *n)
{
    if (n->kind == SN_ITEM)
        return x->r->fired[n->index] != -2;
    for (int i = 0; i < n->nkids; i++)
        if (!items_done(x, n->kids[i]))
            return false;
    return true;
}

static Status status_of(const Ex *x, const ScoreNode *n)
{
    if (!x->r->error)
        return ST_SCORED;
    if (n->index == x->failed)
        return ST_FAILED;
    if (within(x->r->error_node, n->decl) || !items_done(x, n))
        return ST_NOT_REACHED;
    return ST_SCORED;
}

/* The section n's score aggregates in (a group passes it on). */
static const ScoreNode *agg_of(const ScoreNode *n)
{
    const ScoreNode *s = n->parent;
    return s && s->kind == SN_GROUP ? s->parent : s;
}

/* A group's weight (declared, or its items') and full score (what its items
 * can contribute); false when it has no weight. */
static bool group_numbers(const ScoreNode *g, Dec *weight, Dec *full)
{
    const ScoreNode *sec = agg_of(g);
    bool weighted = sec && sec->mode == MODE_WEIGHTED;
    /* an item contributes up to weight × F, F the section's scale (its max
       before a cap), not its capped full score */
    Dec F = sec ? sec->full : dec_zero();
    if (weighted && sec->qscale && !ex_round(sec->qscale, DEC_SCALE, &F))
        F = sec->full;
    *weight = dec_zero(), *full = dec_zero();
    for (int i = 0; i < g->nkids; i++) {
        const ScoreNode *it = g->kids[i];
        Dec c = it->full;
        if (weighted && dec_mul(it->weight, F, &c) != DEC_OK)
            c = dec_zero();
        dec_add(*full, c, full);
        dec_add(*weight, it->weight, weight);
    }
    if (g->has_weight)
        *weight = g->weight;
    return weighted;
}

typedef struct {
    bool has_score, has_full, has_weight, has_contrib, has_exact;
    mpq_srcptr exact; /* the exact score */
    Dec score, full, weight,
        contrib; /* reported score, full, weight fraction, rounded contribution */
} Numbers;

static Numbers numbers_of(const Ex *x, const ScoreNode *n, Status st)
{
    const Result *r = x->r;
    Numbers v = {0};
    if (n->kind == SN_GROUP) {
        v.has_full = true;
        v.has_weight = group_numbers(n, &v.weight, &v.full);
    } else {
        v.has_full = n->full_ok, v.full = n->full; /* 18 places, half away from zero */
        v.has_weight = n->has_weight, v.weight = n->weight;
    }
    if (st != ST_SCORED)
        return v;
    v.has_score = true;
    v.score = r->scores ? r->scores[n->index] : rounded(x, r->exact[n->index]);
    v.has_exact = true;
    v.exact = r->exact[n->index];
    v.has_contrib = x->p->nraters == 0; /* per rater there is no single contribution */
    v.contrib = rounded(x, r->contrib[n->index]);
    return v;
}

/* ---- the total as a sum ---- */

static void add_formula(Ex *x, const char *line)
{
    if (x->nformula < x->capformula)
        x->formula[x->nformula++] = line;
}

/* vals with ", FACT = value" for each fact expression e reads (each once, in
 * the order read), opened with sep0 when vals is empty: what a `score`
 * expression of a section or the rubric read besides its children. */
static const char *expr_facts(const Ex *x, const Node *e, const char *vals, const char *sep0,
                              bool *seen)
{
    if (!e)
        return vals;
    if (e->kind == AST_NAME) {
        int slot = check_find_fact(x->p, e->name, strlen(e->name));
        if (slot >= 0 && !seen[slot]) {
            seen[slot] = true;
            vals = arena_printf(x->a, "%s%s%s = %s", vals, *vals ? "，" : sep0,
                                x->p->facts[slot].name, value_text(x->a, &x->r->facts[slot]));
        }
        return vals;
    }
    vals = expr_facts(x, e->a, vals, sep0, seen);
    vals = expr_facts(x, e->b, vals, sep0, seen);
    for (uint32_t i = 0; i < e->nkids; i++)
        vals = expr_facts(x, e->kids[i], vals, sep0, seen);
    return vals;
}

static bool *no_facts_seen(const Ex *x)
{
    bool *seen = arena_alloc(x->a, (size_t)x->p->nfacts + 1);
    memset(seen, 0, (size_t)x->p->nfacts + 1);
    return seen;
}

/* 总分 = 业绩考核 72.53 ÷ 100 × 80% × 100 + …, then the contributions, their
 * sum and the rounding, from the exact values the evaluator used. */
static void build_formula(Ex *x)
{
    const Program *p = x->p;
    const Result *r = x->r;
    const ScoreNode *root = p->rubric;
    Arena *a = x->a;
    if (!x->complete || (r->error && (root->score || p->nraters)))
        return;
    if (p->nraters) {
        const char *s = "总分 =";
        for (int i = 0; i < p->nraters; i++) {
            const Node *rt = p->raters[i];
            const char *w = rt->weight ? value_percent_text(a, rt->weight->num) : "0%";
            s = arena_printf(a, "%s%s %s %s × %s", s, i ? " +" : "", rt->name,
                             value_dec_text(a, r->rater_totals[i]), w);
        }
        add_formula(x, s);
        add_formula(x, arena_printf(a, "= %s", value_dec_text(a, r->total)));
        for (int i = 0; r->rater_nvetoes && i < p->nraters; i++) {
            const char *why = "";
            for (int k = 0; k < r->rater_nvetoes[i]; k++)
                why = arena_printf(
                    a, "%s%s%s", why, k ? "；" : "",
                    r->rater_vetoes[(size_t)i * (size_t)r->rater_veto_stride + (size_t)k]);
            if (*why)
                add_formula(x, arena_printf(a, "（%s：一票否决：%s）", p->raters[i]->name, why));
        }
        return;
    }
    if (root->score) {
        add_formula(x, arena_printf(a, "总分 = %s", node_text(x, root->score)));
        /* the children's exact values, then the exact result and its rounding */
        const char *vals = "";
        for (int i = 0; i < root->nkids; i++) {
            const ScoreNode *k = root->kids[i];
            vals = arena_printf(a, "%s%s%s = %s", vals, *vals ? "，" : "（", k->name,
                                ex_text(a, r->exact[k->index]));
        }
        if (!p->nraters) /* with raters each view read its own values */
            vals = expr_facts(x, root->score, vals, "（", no_facts_seen(x));
        if (*vals)
            add_formula(x, arena_printf(a, "%s）", vals));
        if (r->error) /* a veto or clamp cannot be told apart here; the reported total stands */
            return;
        add_formula(x, arena_printf(a, "= %s", ex_text(a, r->total_exact)));
        Dec shown = rounded(x, r->total_exact);
        mpq_t sh;
        mpq_init(sh);
        ex_from_dec(sh, shown);
        if (mpq_cmp(sh, r->total_exact) != 0)
            add_formula(x, arena_printf(a, "≈ %s（保留 %d 位小数，四舍五入）",
                                        value_dec_text(a, shown), p->round));
        mpq_clear(sh);
        return;
    }
    /* one term a line when there are more than two, so the sum stays readable */
    bool wrap = root->nkids > 2;
    const char *terms = "总分 =", *parts = "=";
    mpq_t sum;
    mpq_init(sum);
    if (root->has_base) {
        ex_from_dec(sum, root->base);
        terms = arena_printf(a, "总分 = 基础分 %s +", value_dec_text(a, root->base));
        parts = arena_printf(a, "= %s", value_dec_text(a, root->base));
    }
    for (int i = 0; i < root->nkids; i++) {
        const ScoreNode *k = root->kids[i];
        mpq_srcptr s = r->exact[k->index], c = r->contrib[k->index];
        const char *term = arena_printf(a, "%s %s", k->name, ex_text(a, s));
        if (root->mode == MODE_WEIGHTED && k->kind != SN_GROUP && k->qfull && root->qscale)
            term = arena_printf(a, "%s ÷ %s × %s × %s", term, ex_text(a, k->qfull),
                                value_percent_text(a, k->weight), ex_text(a, root->qscale));
        if (wrap && i) {
            add_formula(x, terms);
            terms = "+";
        }
        terms = arena_printf(a, "%s%s %s", terms, i && !wrap ? " +" : "", term);
        parts = arena_printf(a, "%s%s %s", parts, i || root->has_base ? " +" : "", ex_text(a, c));
        mpq_add(sum, sum, c);
    }
    add_formula(x, terms);
    if ((root->mode == MODE_WEIGHTED && root->nkids > 1) || (root->has_base && root->nkids))
        add_formula(x, parts);
    if (root->mode == MODE_WEIGHTED || root->nkids > 1 || root->has_base)
        add_formula(x, arena_printf(a, "= %s", ex_text(a, sum)));
    /* floor and cap of the rubric itself */
    if (r->clamped && r->clamped[p->nnodes]) {
        bool floor = r->clamped[p->nnodes] == 1;
        ex_from_dec(sum, floor ? root->floor : root->cap);
        add_formula(x, arena_printf(a, "→ %s（%s %s）", ex_text(a, sum),
                                    floor ? "低于保底，记保底" : "超过封顶，记封顶",
                                    value_dec_text(a, floor ? root->floor : root->cap)));
    }
    Dec shown = rounded(x, sum);
    mpq_t sh;
    mpq_init(sh);
    ex_from_dec(sh, shown);
    if (mpq_cmp(sh, sum) != 0)
        add_formula(x, arena_printf(a, "≈ %s（保留 %d 位小数，四舍五入）", value_dec_text(a, shown),
                                    p->round));
    mpq_clears(sh, sum, NULL);
    if (!r->error && dec_cmp(shown, r->total) != 0) {
        const char *why = "";
        for (int i = 0; i < r->nvetoes; i++)
            why = arena_printf(a, "%s%s%s", why, i ? "；" : "", r->vetoes[i]);
        add_formula(x, arena_printf(a, "= %s（一票否决：%s）", value_dec_text(a, r->total), why));
    }
}

/* ---- text ---- */

static void put_pad(FILE *out, size_t n)
{
    while (n--)
        fputc(' ', out);
}

/* s right-aligned (or left) in a field of w display columns. */
static void put_cell(FILE *out, const char *s, size_t w, bool right)
{
    size_t sw = utf8_width(s, strlen(s));
    size_t pad = w > sw ? w - sw : 0;
    if (right)
        put_pad(out, pad);
    fputs(s, out);
    if (!right)
        put_pad(out, pad);
}

static const char **row_cells(Ex *x, const ScoreNode *n)
{
    Status st = status_of(x, n);
    Numbers v = numbers_of(x, n, st);
    const char **c = arena_alloc(x->a, NCOLS * sizeof *c);
    c[0] = arena_printf(x->a, "%*s%s", depth_of(n) * 2, "", n->name);
    c[1] = st == ST_FAILED        ? "失败"
           : st == ST_NOT_REACHED ? "未评到"
                                  : value_dec_text(x->a, v.score);
    c[2] = v.has_full ? value_dec_text(x->a, v.full) : "";
    c[3] = v.has_weight ? value_percent_text(x->a, v.weight) : "";
    c[4] = v.has_contrib ? value_dec_text(x->a, v.contrib) : "";
    return c;
}

/* The rule (or score expression) that gave item it its score. */
static const Node *rule_at(const ScoreNode *it, int f)
{
    if (f >= 0 && f < it->nrules)
        return it->rules[f];
    if (f == -1)
        for (uint32_t i = 0; i < it->decl->nkids; i++)
            if (it->decl->kids[i]->kind == AST_SCORE)
                return it->decl->kids[i];
    return NULL;
}

static const Node *fired_rule(const Ex *x, const ScoreNode *it)
{
    return rule_at(it, x->r->fired[it->index]);
}

/* With raters, the rule that fired in rater r's view. */
static const Node *rater_rule(const Ex *x, const ScoreNode *it, int r)
{
    return rule_at(it, x->r->rater_fired[(size_t)r * (size_t)x->p->nnodes + (size_t)it->index]);
}

/* How many raters gave fact slot a value of their own (NAME@RATER). */
static int own_values(const Ex *x, int slot)
{
    int own = 0;
    for (int r = 0; x->r->rater_facts && r < x->p->nraters; r++)
        own += x->r->rater_facts[(size_t)r * (size_t)x->p->nfacts + (size_t)slot].kind != VAL_NONE;
    return own;
}

static const char *facts_text(const Ex *x, const ScoreNode *it)
{
    const char *s = "";
    const Program *p = x->p;
    for (int i = 0; i < it->nreads; i++) {
        int slot = it->reads[i];
        const char *name = p->facts[slot].name;
        const Value *shared = &x->r->facts[slot];
        /* with raters, each rater's own value (NAME@RATER) is what its view
           read; the shared value only where some rater has none */
        int own = own_values(x, slot);
        if (own < p->nraters || !own)
            s = arena_printf(x->a, "%s%s%s = %s", s, *s ? ", " : "", name,
                             value_text(x->a, shared));
        for (int r = 0; own && r < p->nraters; r++) {
            const Value *v = &x->r->rater_facts[(size_t)r * (size_t)p->nfacts + (size_t)slot];
            if (v->kind != VAL_NONE)
                s = arena_printf(x->a, "%s%s%s@%s = %s", s, *s ? ", " : "", name,
                                 p->raters[r]->name, value_text(x->a, v));
        }
    }
    return s;
}

static void text_details(Ex *x, const ScoreNode *it, Status st)
{
    if (st == ST_NOT_REACHED)
        return;
    int ind = depth_of(it) * 2 + 4;
    const Node *rule = fired_rule(x, it);
    bool differ = false; /* with raters: different rules fired in different views */
    for (int r = 1; x->r->rater_fired && r < x->p->nraters; r++)
        differ |= rater_rule(x, it, r) != rater_rule(x, it, 0);
    if (differ) {
        for (int r = 0; r < x->p->nraters; r++) {
            const Node *rr = rater_rule(x, it, r);
            if (!rr)
                continue;
            put_pad(x->out, (size_t)ind);
            fprintf(x->out, "规则 %s %s:%d  %s\n", x->p->raters[r]->name, x->p->src->path,
                    line_of(x, rr), node_text(x, rr));
        }
    } else if (rule) {
        put_pad(x->out, (size_t)ind);
        fprintf(x->out, "规则 %s:%d  %s\n", x->p->src->path, line_of(x, rule), node_text(x, rule));
    }
    /* facts are bound once the tree is being scored; a fact file error comes before */
    if (it->nreads && (rule || x->r->error_node)) {
        put_pad(x->out, (size_t)ind);
        fprintf(x->out, "数据 %s\n", facts_text(x, it));
    }
}

/* The reason of veto v when it held for this employee (in Result.vetoes), else
 * NULL. */
static const char *veto_held(const Ex *x, const Node *v)
{
    const char *why = v->str ? v->str : source_one_line(x->a, x->p->src, v->a->start, v->a->end);
    for (int i = 0; i < x->r->nvetoes; i++)
        if (strcmp(x->r->vetoes[i], why) == 0)
            return why;
    return NULL;
}

/* A deduction section's sum as a person checks it (基础分 30 - 5 - 3 = 22),
 * and a line when a floor or cap applied to a node. */
static void text_base_and_clamp(Ex *x, const ScoreNode *k)
{
    const Result *r = x->r;
    if (status_of(x, k) != ST_SCORED)
        return;
    int c = r->clamped ? r->clamped[k->index] : 0;
    size_t ind = (size_t)depth_of(k) * 2 + 4;
    if (k->kind == SN_SECTION && k->has_base && !k->score) {
        mpq_t sum;
        mpq_init(sum);
        ex_from_dec(sum, k->base);
        const char *line = arena_printf(x->a, "基础分 %s", value_dec_text(x->a, k->base));
        for (int i = 0; i < k->nmembers; i++) {
            mpq_srcptr m = r->contrib[k->members[i]->index];
            mpq_add(sum, sum, m);
            const char *t = ex_text(x->a, m);
            line = *t == '-' ? arena_printf(x->a, "%s - %s", line, t + 1)
                             : arena_printf(x->a, "%s + %s", line, t);
        }
        put_pad(x->out, ind);
        fprintf(x->out, "计算 %s = %s\n", line, ex_text(x->a, sum));
        mpq_clear(sum);
    }
    if (k->kind == SN_SECTION && k->score && k != x->p->rubric) {
        /* a section's own formula, with its exact value unless a floor, cap or
           veto changed it (their lines follow) */
        bool held = false;
        for (int i = 0; i < k->nvetoes; i++)
            held |= veto_held(x, k->vetoes[i]) != NULL;
        put_pad(x->out, ind);
        const char *facts =
            x->p->nraters ? "" : expr_facts(x, k->score, "", "（", no_facts_seen(x));
        if (*facts)
            facts = arena_printf(x->a, "%s）", facts);
        if (c || held || x->p->nraters)
            fprintf(x->out, "计算 %s%s\n", node_text(x, k->score), facts);
        else
            fprintf(x->out, "计算 %s = %s%s\n", node_text(x, k->score),
                    ex_text(x->a, r->exact[k->index]), facts);
    }
    if (c) {
        put_pad(x->out, ind);
        fprintf(x->out, "%s %s  %s\n", c == 1 ? "保底" : "封顶",
                value_dec_text(x->a, c == 1 ? k->floor : k->cap),
                c == 1 ? "得分低于保底，记保底分" : "得分超过封顶，记封顶分");
    }
    /* a veto applies last, after the floor and cap */
    for (int i = 0; i < k->nvetoes; i++) {
        const char *why = veto_held(x, k->vetoes[i]);
        if (why && k != x->p->rubric) {
            put_pad(x->out, ind);
            fprintf(x->out, "否决 %s  一票否决，记0分\n", why);
        }
    }
}

static void explain_text(Ex *x, const char *source)
{
    const Program *p = x->p;
    const Result *r = x->r;
    FILE *out = x->out;
    fprintf(out, "员工 %s", r->id ? r->id : "");
    for (int i = 0; i < p->nshow && r->shown; i++) {
        const Value *v = &r->shown[i];
        if (v->kind == VAL_TEXT)
            fprintf(out, "  %s %.*s", p->facts[p->show[i]].name, (int)v->len, v->s);
        else if (v->kind != VAL_NONE)
            fprintf(out, "  %s %s", p->facts[p->show[i]].name, value_text(x->a, v));
    }
    fprintf(out, "  %s\n", source ? source : "");
    fprintf(out, "评分表 %s  %s\n\n", p->rubric->name, p->src->path);

    int n = p->nnodes;
    const char ***rows = arena_alloc(x->a, ((size_t)n + 1) * sizeof *rows);
    static const char *const head[NCOLS] = {"项目", "得分", "满分", "权重", "贡献"};
    rows[0] = (const char **)head;
    for (int i = 0; i < n; i++)
        rows[i + 1] = row_cells(x, p->nodes[i]);
    size_t w[NCOLS] = {0};
    bool used[NCOLS] = {true}; /* a column empty on every row (权重 in points mode) is left out */
    for (int i = 0; i <= n; i++)
        for (int c = 0; c < NCOLS; c++) {
            size_t cw = utf8_width(rows[i][c], strlen(rows[i][c]));
            if (cw > w[c])
                w[c] = cw;
            used[c] |= i > 0 && cw > 0;
        }
    for (int i = 0; i <= n; i++) {
        /* no trailing blanks: stop after the last non-empty cell */
        int last = NCOLS - 1;
        while (last > 0 && (!*rows[i][last] || !used[last]))
            last--;
        put_cell(out, rows[i][0], last ? w[0] : 0, false);
        for (int c = 1; c <= last; c++) {
            if (!used[c])
                continue;
            fputs("  ", out);
            put_cell(out, rows[i][c], w[c], true);
        }
        fputc('\n', out);
        if (i > 0 && p->nodes[i - 1]->kind == SN_ITEM)
            text_details(x, p->nodes[i - 1], status_of(x, p->nodes[i - 1]));
        if (i > 0)
            text_base_and_clamp(x, p->nodes[i - 1]);
    }

    if (x->nformula) {
        fputc('\n', out);
        size_t lead = utf8_width("总分 ", strlen("总分 "));
        for (int i = 0; i < x->nformula; i++) {
            if (i)
                put_pad(out, lead);
            fprintf(out, "%s\n", x->formula[i]);
        }
    }
    if (p->has_grade && r->grade_fired >= 0 && r->grade_fired < p->ngrade) {
        const Node *g = p->grade[r->grade_fired];
        fprintf(out, "评级 %s  %s:%d  %s\n", r->grade ? r->grade : "", p->src->path, line_of(x, g),
                node_text(x, g));
    }
    if (r->error) {
        fputc('\n', out);
        if (r->error_node)
            fprintf(out, "无法评分 %s:%d  %s\n", p->src->path, line_of(x, r->error_node), r->error);
        else
            fprintf(out, "无法评分  %s\n", r->error);
    }
}

/* ---- JSON ---- */

static void json_str(FILE *out, const char *s, size_t n)
{
    fputc('"', out);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(out, "\\%c", c);
        else if (c == '\n')
            fputs("\\n", out);
        else if (c == '\t')
            fputs("\\t", out);
        else if (c < 0x20 || c == 0x7f)
            fprintf(out, "\\u%04x", c);
        else
            fputc(c, out);
    }
    fputc('"', out);
}

static void json_s(FILE *out, const char *s)
{
    if (s)
        json_str(out, s, strlen(s));
    else
        fputs("null", out);
}

static void json_dec(FILE *out, bool has, Dec d)
{
    char buf[DEC_BUFSZ];
    if (!has) {
        fputs("null", out);
        return;
    }
    dec_format(d, buf);
    fputs(buf, out);
}

/* A fact value in JSON: a number, a percent in percent units (92), a bool or text. */
static void json_value(FILE *out, const Value *v)
{
    Dec h;
    switch (v->kind) {
    case VAL_NUMBER:
        json_dec(out, true, v->d);
        break;
    case VAL_PERCENT:
        json_dec(out, true, dec_shift_up(v->d, 2, &h) == DEC_OK ? h : v->d);
        break;
    case VAL_BOOL:
        fputs(v->b ? "true" : "false", out);
        break;
    case VAL_TEXT:
        json_str(out, v->s, v->len);
        break;
    default:
        fputs("null", out);
    }
}

static void json_node(Ex *x, const ScoreNode *n)
{
    static const char *const kinds[] = {"rubric", "section", "group", "item"};
    static const char *const states[] = {"scored", "failed", "not reached"};
    FILE *out = x->out;
    Status st = status_of(x, n);
    Numbers v = numbers_of(x, n, st);
    Dec wpct = v.weight;
    if (v.has_weight && dec_shift_up(v.weight, 2, &wpct) != DEC_OK)
        wpct = v.weight;
    fputs("{\"name\":", out);
    json_s(out, n->name);
    fprintf(out, ",\"kind\":\"%s\",\"status\":\"%s\",\"score\":", kinds[n->kind], states[st]);
    json_dec(out, v.has_score, v.score);
    fputs(",\"full\":", out);
    json_dec(out, v.has_full, v.full);
    fputs(",\"weight\":", out);
    json_dec(out, v.has_weight, wpct);
    fputs(",\"contribution\":", out);
    json_dec(out, v.has_contrib, v.contrib);
    if (n->kind == SN_ITEM) {
        const Node *rule = st != ST_NOT_REACHED ? fired_rule(x, n) : NULL;
        fputs(",\"rule\":", out);
        if (rule) {
            fputs("{\"text\":", out);
            json_s(out, node_text(x, rule));
            fprintf(out, ",\"line\":%d}", line_of(x, rule));
        } else {
            fputs("null", out);
        }
        /* with raters whose views fired different rules: each one's */
        bool differ = false;
        for (int r = 1; rule && x->r->rater_fired && r < x->p->nraters; r++)
            differ |= rater_rule(x, n, r) != rater_rule(x, n, 0);
        if (differ) {
            fputs(",\"rater_rules\":{", out);
            for (int r = 0; r < x->p->nraters; r++) {
                const Node *rr = rater_rule(x, n, r);
                if (r)
                    fputc(',', out);
                json_s(out, x->p->raters[r]->name);
                if (!rr) {
                    fputs(":null", out);
                    continue;
                }
                fputs(":{\"text\":", out);
                json_s(out, node_text(x, rr));
                fprintf(out, ",\"line\":%d}", line_of(x, rr));
            }
            fputc('}', out);
        }
        fputs(",\"facts\":{", out);
        if (st != ST_NOT_REACHED && (rule || x->r->error_node)) {
            /* as the text: each rater's own value under NAME@RATER, the shared
               value under NAME where some rater has none */
            const Program *p = x->p;
            bool first = true;
            for (int i = 0; i < n->nreads; i++) {
                int slot = n->reads[i];
                int own = own_values(x, slot);
                if (own < p->nraters || !own) {
                    fputs(first ? "" : ",", out);
                    first = false;
                    json_s(out, p->facts[slot].name);
                    fputc(':', out);
                    json_value(out, &x->r->facts[slot]);
                }
                for (int r = 0; own && r < p->nraters; r++) {
                    const Value *own_v =
                        &x->r->rater_facts[(size_t)r * (size_t)p->nfacts + (size_t)slot];
                    if (own_v->kind == VAL_NONE)
                        continue;
                    fputs(first ? "" : ",", out);
                    first = false;
                    json_s(out,
                           arena_printf(x->a, "%s@%s", p->facts[slot].name, p->raters[r]->name));
                    fputc(':', out);
                    json_value(out, own_v);
                }
            }
        }
        fputc('}', out);
    } else {
        fputs(",\"nodes\":[", out);
        for (int i = 0; i < n->nkids; i++) {
            if (i)
                fputc(',', out);
            json_node(x, n->kids[i]);
        }
        fputc(']', out);
    }
    fputc('}', out);
}

static void explain_json(Ex *x, const char *source)
{
    const Program *p = x->p;
    const Result *r = x->r;
    FILE *out = x->out;
    fputs("{\"id\":", out);
    json_s(out, r->id ? r->id : "");
    fputs(",\"source\":", out);
    json_s(out, source ? source : "");
    if (p->nshow) {
        fputs(",\"show\":{", out);
        for (int i = 0; i < p->nshow; i++) {
            if (i)
                fputc(',', out);
            json_s(out, p->facts[p->show[i]].name);
            fputc(':', out);
            json_value(out, r->shown ? &r->shown[i] : &(Value){.kind = VAL_NONE});
        }
        fputc('}', out);
    }
    fputs(",\"total\":", out);
    json_dec(out, !r->error, r->total);
    if (p->has_grade) {
        fputs(",\"grade\":", out);
        json_s(out, r->error ? NULL : r->grade);
    }
    fputs(",\"nodes\":[", out);
    for (int i = 0; i < p->rubric->nkids; i++) {
        if (i)
            fputc(',', out);
        json_node(x, p->rubric->kids[i]);
    }
    fputs("],\"total_formula\":[", out);
    for (int i = 0; i < x->nformula; i++) {
        if (i)
            fputc(',', out);
        json_s(out, x->formula[i]);
    }
    fputs("],\"grade_rule\":", out);
    if (p->has_grade && r->grade_fired >= 0 && r->grade_fired < p->ngrade) {
        const Node *g = p->grade[r->grade_fired];
        fputs("{\"text\":", out);
        json_s(out, node_text(x, g));
        fprintf(out, ",\"line\":%d}", line_of(x, g));
    } else {
        fputs("null", out);
    }
    fputs(",\"error\":", out);
    json_s(out, r->error);
    if (r->error && r->error_node)
        fprintf(out, ",\"error_line\":%d", line_of(x, r->error_node));
    fputs("}\n", out);
}

void explain_write(const Program *p, const Result *res, const char *source, bool json, FILE *out)
{
    Arena a;
    arena_init(&a);
    Ex x = {.p = p, .r = res, .out = out, .a = &a, .failed = -1};
    /* the innermost node holding the failure: the last in report order, as
       report order puts a section before its children */
    if (res->error && res->error_node)
        for (int i = 0; i < p->nnodes; i++)
            if (within(res->error_node, p->nodes[i]->decl))
                x.failed = i;
    x.capformula = p->rubric->nkids + p->nraters + 8;
    x.formula = arena_alloc(&a, (size_t)x.capformula * sizeof *x.formula);
    x.complete = true;
    for (int i = 0; i < p->nnodes; i++)
        x.complete &= status_of(&x, p->nodes[i]) == ST_SCORED;
    build_formula(&x);
    if (json)
        explain_json(&x, source);
    else
        explain_text(&x, source);
    arena_free(&a);
}
