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
 * This file is the writer: the sheet's layout in Markdown or HTML (headings,
 * tables, rows, the print CSS). What each cell says (rules in the author's
 * words, weights, formulas, the grade bands' columns) is render_cells.c's.
 * Both formats share one table model; the writer escapes every cell for its
 * format. */
#include "render.h"

#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "decimal.h"
#include "render_impl.h"

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

static void put_item(Sheet *sh, const ScoreNode *it)
{
    const char *no = arena_printf(sh->a, "%d", ++sh->row);
    const char *w = sh->deduct ? render_clamp_text(sh, it) : render_weight_cell(sh, it);
    put_row(sh, ROW_ITEM, no, it->name, w, it->decl->str, render_rules_cell(sh, it));
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
                arena_printf(sh->a, "%s → %s得0分", render_node_text(sh, v->a),
                             s->kind == SN_RUBRIC ? "总分" : s->name));
    }
}

static void put_sum(Sheet *sh, const ScoreNode *s, const char *label)
{
    if (render_is_deduction(s)) { /* nested in an ordinary table too: its 核值 is part of the sum */
        put_deduction_sum(sh, s, label);
        return;
    }
    const char *w = s->mode == MODE_WEIGHTED && !s->score ? "100%" : "";
    const char *full =
        s->full_ok ? arena_printf(sh->a, "满分 %s", value_dec_text(sh->a, s->full)) : "";
    put_row(sh, ROW_SUM, "", label, w, full, render_sum_rule(sh, s));
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
            put_row(sh, ROW_HEAD, "", k->name, render_weight_cell(sh, k), k->decl->str, NULL);
            for (int j = 0; j < k->nkids; j++)
                put_item(sh, k->kids[j]);
        } else {
            put_row(sh, ROW_HEAD, "", k->name, render_weight_cell(sh, k), k->decl->str, NULL);
            put_kids(sh, k);
            put_vetoes(sh, k);
            put_sum(sh, k, arena_printf(sh->a, "%s小计", k->name));
        }
    }
}

static void put_cell_sep(Sheet *sh, bool first, bool last)
{
    if (sh->fmt == RENDER_MD)
        fputs(first ? "| " : last ? " |\n" : " | ", sh->out);
    else
        fputs(first ? "<tr><td>" : last ? "</td></tr>\n" : "</td><td>", sh->out);
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
        if (render_band_column(sh, &p->outputs[i], cells))
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
        const char *grade = r->b->kind == AST_STR ? r->b->str : render_node_text(sh, r->b);
        const char *cond = r->a ? render_node_text(sh, r->a) : "否则";
        if (r->str)
            cond = arena_printf(sh->a, "%s（%s）", cond, r->str);
        put_cell_sep(sh, true, false);
        put_escaped(sh, grade);
        put_cell_sep(sh, false, false);
        put_escaped(sh, cond);
        if (quotas) {
            put_cell_sep(sh, false, false);
            put_escaped(sh, r->b->kind == AST_STR ? render_quota_cell(sh, r->b->str) : "");
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
        const char *rules =
            o->score ? arena_printf(sh->a, "= %s", render_node_text(sh, o->score)) : "";
        for (int k = 0; k < o->nrules; k++) {
            const Node *r = o->rules[k];
            const char *val = r->b->kind == AST_STR ? r->b->str : render_node_text(sh, r->b);
            const char *t =
                arena_printf(sh->a, "%s → %s", r->a ? render_node_text(sh, r->a) : "否则", val);
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
            sh.deduct = render_is_deduction(k);
            if (!sh.deduct &&
                *render_clamp_text(&sh, k)) /* 封顶 90: its full score is min(F, 90) */
                how = *how ? arena_printf(&a, "%.*s，%s）", (int)(strlen(how) - strlen("）")), how,
                                          render_clamp_text(&sh, k))
                           : arena_printf(&a, "（%s）", render_clamp_text(&sh, k));
            if (sh.deduct)
                how = arena_printf(
                    &a, "（%s%s核值 %s%s%s）", k->has_weight ? "权重 " : "",
                    k->has_weight ? arena_printf(&a, "%s，", value_percent_text(&a, k->weight))
                                  : "",
                    value_dec_text(&a, k->base), *render_clamp_text(&sh, k) ? "，" : "",
                    render_clamp_text(&sh, k));
            put_heading(&sh, 2, arena_printf(&a, "%s%s", k->name, how));
            if (k->decl->str)
                put_para(&sh, "desc", k->decl->str);
            table_open(&sh);
            if (sh.deduct)
                put_row(&sh, ROW_HEAD, "", "核值", value_dec_text(&a, k->base), NULL, NULL);
            put_kids(&sh, k);
            put_vetoes(&sh, k);
            put_sum(&sh, k, sh.deduct ? "得分" : render_sum_label(k));
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
                put_row(&sh, ROW_HEAD, "", k->name, render_weight_cell(&sh, k), k->decl->str, NULL);
                for (int j = 0; j < k->nkids; j++)
                    put_item(&sh, k->kids[j]);
            }
        }
        if (!has_section)
            put_sum(&sh, root, render_sum_label(root));
        table_close(&sh);
    }
    if (fmt == RENDER_MD)
        fputs("**", out);
    else
        fputs("<p class=\"total\">", out);
    put_escaped(&sh, render_total_formula(&sh));
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
        const char *t =
            arena_printf(&a, "一票否决: %s → 总分为0%s%s%s", render_node_text(&sh, v->a),
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
