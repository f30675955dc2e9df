/* render_impl.h - what the files of `rubric render` share (render.h is its
 * interface): the sheet being written, and the cell texts render_cells.c works
 * out for the writer in render.c. Every text returned is allocated in the
 * sheet's arena and is not yet escaped for the sheet's format. */
#ifndef RUBRIC_RENDER_IMPL_H
#define RUBRIC_RENDER_IMPL_H
#include <stdbool.h>
#include <stdio.h>

#include "arena.h"
#include "check.h"
#include "render.h"

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

/* A node's source text as the sheet prints it: on one line, comments dropped,
 * operators and English keywords in their printed form, a % after each plain
 * number that is read as a percent. */
const char *render_node_text(const Sheet *sh, const Node *n);

/* The 权重 cell of an item or a group: its weight, and the full score where it
 * is not weight × the section's scale; "满分 N" where there is no weight. */
const char *render_weight_cell(const Sheet *sh, const ScoreNode *n);

/* The 评分等级 cell of an item: its rules one a line, or its score expression,
 * then its floor and cap (except in a deduction table, whose 核值 column has them). */
const char *render_rules_cell(const Sheet *sh, const ScoreNode *it);

/* How a section adds up, for its 合计 or 小计 row. */
const char *render_sum_rule(const Sheet *sh, const ScoreNode *s);

/* A node's floor and cap as the form words them (保底 0，封顶 30), or "". */
const char *render_clamp_text(const Sheet *sh, const ScoreNode *n);

/* Whether s is a deduction section (扣分制): a points section with a base and
 * no score expression. */
bool render_is_deduction(const ScoreNode *s);

/* The label of a section's sum row: 加权合计 or 合计. */
const char *render_sum_label(const ScoreNode *s);

/* The total formula (总分 = 业绩考核 × 80% + 行为考核 × 20%), with the
 * rubric's full score, floor and cap. */
const char *render_total_formula(const Sheet *sh);

/* Fills cells[g] for each grade rule g with output o's value in that band (or
 * its values from low totals to high, "0.5 / 1"; "—" where no output rule
 * matches; "" for a band no test point reaches); false when o is not a column
 * the grade table can show (it reads more than total and grade, or gives more
 * than constants). */
bool render_band_column(const Sheet *sh, const OutputInfo *o, const char **cells);

/* The 配额 cell of a grade: its quotas (≤ 20%，≥ 50%), or "". */
const char *render_quota_cell(const Sheet *sh, const char *grade);

#endif
