/* report.c - the team report (see report.h).
 *
 * Employees are kept in an arena (a team is hundreds, not millions), so the
 * summary can come first on the page. Everything printed is HTML-escaped;
 * the page has no external resources and prints on A4. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

#include "value.h"

typedef struct Kept Kept;
struct Kept {
    Kept *next;
    const char *id, *source, *error, *grade;
    Dec total;
    Dec *scores;          /* reported, Program.nodes order */
    const char **shown;   /* Program.nshow shown facts as text, NULL where missing */
    const char **outputs; /* Program.noutputs outputs as text (scored employees) */
};

struct Report {
    const Program *p;
    Arena a;
    Kept *first, **tail;
    long n, scored;
    bool **fired; /* per node (and the grade block last): which rules fired */
};

Report *report_new(const Program *p)
{
    Report *r = xmalloc(sizeof *r);
    memset(r, 0, sizeof *r);
    r->p = p;
    arena_init(&r->a);
    r->tail = &r->first;
    r->fired = arena_zalloc(&r->a, ((size_t)p->nnodes + 1) * sizeof *r->fired);
    for (int i = 0; i < p->nnodes; i++)
        r->fired[i] = arena_zalloc(&r->a, (size_t)p->nodes[i]->nrules + 1);
    r->fired[p->nnodes] = arena_zalloc(&r->a, (size_t)p->ngrade + 1);
    return r;
}

static const char *keep(Report *r, const char *s)
{
    return s ? arena_strndup(&r->a, s, strlen(s)) : NULL;
}

/* v as the sheet prints it: text as written, 92.5%, 是/否; NULL when missing. */
static const char *keep_value(Report *r, const Value *v)
{
    if (v->kind == VAL_NONE)
        return NULL;
    if (v->kind == VAL_TEXT)
        return arena_strndup(&r->a, v->s, v->len);
    return value_text(&r->a, v);
}

void report_add(Report *r, const Result *res, const char *source)
{
    const Program *p = r->p;
    Kept *k = arena_zalloc(&r->a, sizeof *k);
    k->id = keep(r, res->id);
    k->source = keep(r, source);
    k->error = keep(r, res->error);
    k->shown = arena_alloc(&r->a, ((size_t)p->nshow + 1) * sizeof *k->shown);
    for (int i = 0; i < p->nshow; i++)
        k->shown[i] = res->shown ? keep_value(r, &res->shown[i]) : NULL;
    r->n++;
    if (!res->error) {
        r->scored++;
        k->grade = keep(r, res->grade);
        k->total = res->total;
        k->scores = arena_alloc(&r->a, ((size_t)p->nnodes + 1) * sizeof *k->scores);
        memcpy(k->scores, res->scores, (size_t)p->nnodes * sizeof *k->scores);
        k->outputs = arena_alloc(&r->a, ((size_t)p->noutputs + 1) * sizeof *k->outputs);
        for (int i = 0; i < p->noutputs; i++)
            k->outputs[i] = keep_value(r, &res->outputs[i]);
        for (int i = 0; i < p->nnodes; i++)
            if (res->fired[i] >= 0)
                r->fired[i][res->fired[i]] = true;
        /* with raters a rule fired when it fired in any rater's view (res->fired
           holds the last view's) */
        for (int v = 0; res->rater_fired && v < p->nraters; v++)
            for (int i = 0; i < p->nnodes; i++) {
                int f = res->rater_fired[(size_t)v * (size_t)p->nnodes + (size_t)i];
                if (f >= 0)
                    r->fired[i][f] = true;
            }
        if (res->grade_fired >= 0)
            r->fired[p->nnodes][res->grade_fired] = true;
    }
    *r->tail = k;
    r->tail = &k->next;
}

static void esc(FILE *out, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*s, out);
        }
}

static void esc_n(FILE *out, const char *s, size_t n)
{
    char buf[512]; /* a window the text passes through, not a limit on it */
    while (n) {
        size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;
        memcpy(buf, s, k);
        buf[k] = 0;
        esc(out, buf);
        s += k, n -= k;
    }
}

static const char *const css =
    "@page { size: A4; margin: 15mm 12mm; }\n"
    "body { font-family: \"SimSun\", \"Songti SC\", \"Noto Serif CJK SC\", serif; font-size: "
    "10.5pt; "
    "max-width: 186mm; margin: 0 auto; }\n"
    "h1 { text-align: center; font-size: 16pt; } h2 { font-size: 12pt; margin: 12pt 0 4pt; }\n"
    "table { border-collapse: collapse; margin: 4pt 0 8pt; }\n"
    "th, td { border: 1px solid #000; padding: 2pt 6pt; } th { background: #eee; }\n"
    "td.n { text-align: right; white-space: nowrap; }\n"
    ".bar { display: inline-block; height: 8pt; background: #555; }\n"
    ".sheet { break-before: page; page-break-before: always; }\n"
    ".sign { margin-top: 16pt; }\n";

static void summary(Report *r, FILE *out)
{
    const Program *p = r->p;
    fprintf(out, "<h2>汇总</h2>\n<p>共 %ld 人，已评分 %ld 人，无法评分 %ld 人。</p>\n", r->n,
            r->scored, r->n - r->scored);
    /* distribution of totals in tenths of the rubric's full score */
    long bins[11] = {0};
    Dec full = p->rubric && p->rubric->full_ok ? p->rubric->full : dec_from_int(100);
    for (Kept *k = r->first; k; k = k->next) {
        if (k->error)
            continue;
        Dec t;
        int b = 0;
        if (!dec_is_zero(full) && dec_mul(k->total, dec_from_int(10), &t) == DEC_OK &&
            dec_div(t, full, &t) == DEC_OK)
            b = dec_is_neg(t)                       ? 0
                : dec_cmp(t, dec_from_int(10)) >= 0 ? 10
                                                    : (int)(t.v / dec_from_int(1).v);
        bins[b]++;
    }
    fputs("<h3>总分分布</h3>\n<table>\n<tr><th>总分</th><th>人数</th><th></th></tr>\n", out);
    for (int b = 0; b <= 10; b++) {
        Dec lo, hi;
        dec_mul(full, dec_from_int(b), &lo), dec_div(lo, dec_from_int(10), &lo);
        dec_mul(full, dec_from_int(b + 1), &hi), dec_div(hi, dec_from_int(10), &hi);
        if (b == 10 && !bins[b])
            continue;
        fputs("<tr><td>", out);
        if (b == 10)
            fprintf(out, "≥ %s", value_dec_text(&r->a, lo));
        else
            fprintf(out, "%s – %s", value_dec_text(&r->a, lo), value_dec_text(&r->a, hi));
        fprintf(out,
                "</td><td class=\"n\">%ld</td><td><span class=\"bar\" "
                "style=\"width:%ldpt\"></span></td></tr>\n",
                bins[b], r->scored ? bins[b] * 200 / r->scored : 0);
    }
    fputs("</table>\n", out);
    if (p->has_grade) {
        fputs("<h3>评级分布</h3>\n<table>\n<tr><th>评级</th><th>人数</th><th>占比</th><th>配额</"
              "th></tr>\n",
              out);
        for (int g = 0; g < p->ngrade; g++) {
            const Node *res = p->grade[g]->b;
            if (res->kind != AST_STR)
                continue;
            bool seen = false;
            for (int h = 0; h < g; h++)
                seen |=
                    p->grade[h]->b->kind == AST_STR && strcmp(p->grade[h]->b->str, res->str) == 0;
            if (seen)
                continue;
            long c = 0;
            for (Kept *k = r->first; k; k = k->next)
                c += !k->error && k->grade && strcmp(k->grade, res->str) == 0;
            Dec share = dec_zero();
            if (r->scored)
                dec_div(dec_from_int(c), dec_from_int(r->scored), &share);
            Dec shown;
            if (dec_round(share, 4, &shown) != DEC_OK)
                shown = share;
            fputs("<tr><td>", out);
            esc(out, res->str);
            fprintf(out, "</td><td class=\"n\">%ld</td><td class=\"n\">%s</td><td>", c,
                    value_percent_text(&r->a, shown));
            for (int q = 0; q < p->nquotas; q++) {
                const Node *qn = p->quotas[q];
                if (!qn->name || strcmp(qn->name, res->str) != 0 || !qn->a)
                    continue;
                bool ok = qn->qop == OP_LE ? dec_cmp(share, qn->a->num) <= 0
                                           : dec_cmp(share, qn->a->num) >= 0;
                fprintf(out, "%s %s%s", qn->qop == OP_LE ? "≤" : "≥",
                        value_percent_text(&r->a, qn->a->num), ok ? "" : "（超出）");
            }
            fputs("</td></tr>\n", out);
        }
        fputs("</table>\n", out);
    }
    fputs("<h3>从未触发的规则</h3>\n<ul>\n", out);
    int never = 0;
    for (int n = 0; n <= p->nnodes; n++) {
        int nr = n < p->nnodes ? p->nodes[n]->nrules : p->ngrade;
        for (int i = 0; i < nr; i++) {
            if (r->fired[n][i])
                continue;
            const Node *rule = n < p->nnodes ? p->nodes[n]->rules[i] : p->grade[i];
            fprintf(out, "<li>%s（第 %d 行）：", n < p->nnodes ? "" : "评级",
                    source_line(p->src, rule->start));
            if (n < p->nnodes)
                esc(out, p->nodes[n]->name), fputs(" — ", out);
            esc_n(out, p->src->text + rule->start, rule->end - rule->start);
            fputs("</li>\n", out);
            never++;
        }
    }
    if (!never)
        fputs("<li>每条规则都至少触发过一次。</li>\n", out);
    fputs("</ul>\n", out);
}

/* A deduction section (扣分制): a points section that starts from a base. */
static bool is_deduction(const ScoreNode *s)
{
    return s->kind == SN_SECTION && s->has_base && !s->score && s->mode == MODE_POINTS;
}

static bool has_deduction(const Program *p)
{
    for (int i = 0; i < p->nnodes; i++)
        if (is_deduction(p->nodes[i]))
            return true;
    return false;
}

/* The sheet as a deduction form prints it: 考核项目, 考核要求, 核值 (a
 * section's base) or 分值 (a full score), 扣分/加分 (the items of a
 * deduction section), 得分. */
static void deduction_table(Report *r, const Kept *k, FILE *out)
{
    const Program *p = r->p;
    fputs("<table>\n<tr><th>考核项目</th><th>考核要求</th><th>核值/分值</th><th>扣分/加分</th>"
          "<th>得分</th></tr>\n",
          out);
    for (int i = 0; i < p->nnodes; i++) {
        const ScoreNode *s = p->nodes[i];
        const ScoreNode *sec =
            s->parent && s->parent->kind == SN_GROUP ? s->parent->parent : s->parent;
        bool event = s->kind == SN_ITEM && sec && is_deduction(sec);
        int depth = 0;
        for (const ScoreNode *q = s->parent; q && q->kind != SN_RUBRIC; q = q->parent)
            depth++;
        fprintf(out, "<tr><td style=\"padding-left:%dpt\">", 6 + 12 * depth);
        if (s->kind != SN_ITEM)
            fputs("<b>", out);
        esc(out, s->name);
        if (s->kind != SN_ITEM)
            fputs("</b>", out);
        fputs("</td><td>", out);
        esc(out, s->decl->str ? s->decl->str : "");
        const char *value = is_deduction(s) ? value_dec_text(&r->a, s->base)
                            : event || s->kind == SN_GROUP || !s->full_ok
                                ? ""
                                : value_dec_text(&r->a, s->full);
        const char *score = value_dec_text(&r->a, k->scores[i]);
        if (event && !dec_is_neg(k->scores[i]) && !dec_is_zero(k->scores[i]))
            score = arena_printf(&r->a, "+%s", score);
        fprintf(out,
                "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                value, event ? score : "", event ? "" : score);
    }
    fprintf(out,
            "<tr><td><b>总分</b></td><td></td><td class=\"n\">%s</td><td></td><td "
            "class=\"n\"><b>%s</b></td></tr>\n",
            p->rubric->full_ok ? value_dec_text(&r->a, p->rubric->full) : "",
            value_dec_text(&r->a, k->total));
    if (k->grade) {
        fputs("<tr><td><b>评级</b></td><td colspan=\"4\"><b>", out);
        esc(out, k->grade);
        fputs("</b></td></tr>\n", out);
    }
}

static void sheet(Report *r, const Kept *k, FILE *out)
{
    const Program *p = r->p;
    fputs("<section class=\"sheet\">\n<h2>", out);
    esc(out, p->root && p->root->name ? p->root->name : "");
    fputs(" — ", out);
    esc(out, k->id);
    fputs("</h2>\n<p>", out);
    for (int i = 0; i < p->nshow; i++) {
        esc(out, p->facts[p->show[i]].name);
        fputs("：", out);
        esc(out, k->shown[i] ? k->shown[i] : "");
        fputs("　", out);
    }
    fputs("来源：", out);
    esc(out, k->source);
    fputs("</p>\n", out);
    if (k->error) {
        fputs("<p><b>无法评分：</b>", out);
        esc(out, k->error);
        fputs("</p>\n</section>\n", out);
        return;
    }
    if (has_deduction(p)) {
        deduction_table(r, k, out);
        goto end;
    }
    fputs("<table>\n<tr><th>考核项目</th><th>得分</th><th>满分</th></tr>\n", out);
    for (int i = 0; i < p->nnodes; i++) {
        const ScoreNode *s = p->nodes[i];
        int depth = 0;
        for (const ScoreNode *q = s->parent; q && q->kind != SN_RUBRIC; q = q->parent)
            depth++;
        fprintf(out, "<tr><td style=\"padding-left:%dpt\">", 6 + 12 * depth);
        if (s->kind != SN_ITEM)
            fputs("<b>", out);
        esc(out, s->name);
        if (s->kind != SN_ITEM)
            fputs("</b>", out);
        fprintf(out, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                value_dec_text(&r->a, k->scores[i]),
                s->kind == SN_GROUP || !s->full_ok ? "" : value_dec_text(&r->a, s->full));
    }
    fprintf(out,
            "<tr><td><b>总分</b></td><td class=\"n\"><b>%s</b></td><td class=\"n\">%s</td></tr>\n",
            value_dec_text(&r->a, k->total),
            p->rubric->full_ok ? value_dec_text(&r->a, p->rubric->full) : "");
    if (k->grade) {
        fputs("<tr><td><b>评级</b></td><td colspan=\"2\"><b>", out);
        esc(out, k->grade);
        fputs("</b></td></tr>\n", out);
    }
end:
    for (int i = 0; i < p->noutputs; i++) {
        fputs("<tr><td><b>", out);
        esc(out, p->outputs[i].name);
        fputs("</b></td><td colspan=\"2\">", out);
        esc(out, k->outputs[i]);
        fputs("</td></tr>\n", out);
    }
    fputs("</table>\n<p class=\"sign\">被考核人签字：__________　　考核人签字：__________　　"
          "____ 年 ____ 月 ____ 日</p>\n</section>\n",
          out);
}

void report_write(Report *r, FILE *out)
{
    const Program *p = r->p;
    fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    esc(out, p->root && p->root->name ? p->root->name : "rubric");
    fprintf(out, " — 考核报告</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>", css);
    esc(out, p->root && p->root->name ? p->root->name : "");
    fputs(" 考核报告</h1>\n", out);
    summary(r, out);
    for (Kept *k = r->first; k; k = k->next)
        sheet(r, k, out);
    fputs("</body>\n</html>\n", out);
}

void report_free(Report *r)
{
    if (!r)
        return;
    arena_free(&r->a);
    free(r);
}
