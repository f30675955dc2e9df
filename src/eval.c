/* eval.c - scoring employees (see eval.h).
 *
 * Scores are computed exactly: items from their first matching rule, sections
 * by weight or by points, groups as the sum of their items' contributions.
 * Only then is every score rounded once, half away from zero, for reporting;
 * grade rules, outputs and expect read the reported values so the grade
 * always agrees with the total an auditor reads. An employee that cannot be
 * scored gets one message naming the item and the facts it read. */
#include "eval.h"
#include "eval_impl.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "utf8.h"

bool eval_fail(Eval *e, const Node *at, const char *fmt, ...)
{
    if (e->err)
        return false;
    va_list ap;
    va_start(ap, fmt);
    const char *buf = arena_vprintf(e->a, _(fmt), ap); /* whole: it may quote a long value */
    va_end(ap);
    if (e->label && e->label_name)
        e->err = arena_printf(e->a, _("%s %s: %s"), _(e->label), e->label_name, buf);
    else if (e->label)
        e->err = arena_printf(e->a, _("%s: %s"), _(e->label), buf);
    else
        e->err = arena_strndup(e->a, buf, strlen(buf));
    e->err_at = at;
    return false;
}

static void collect_vetoes(Eval *e, const ScoreNode *s)
{
    for (int i = 0; i < s->nvetoes; i++)
        e->veto_nodes[e->nveto_nodes++] = s->vetoes[i];
    for (int i = 0; i < s->nkids; i++)
        collect_vetoes(e, s->kids[i]);
}

static int count_vetoes(const ScoreNode *s)
{
    int n = s->nvetoes;
    for (int i = 0; i < s->nkids; i++)
        n += count_vetoes(s->kids[i]);
    return n;
}

Eval *eval_new(const Program *p, Diags *d)
{
    Eval *e = xmalloc(sizeof *e);
    memset(e, 0, sizeof *e);
    e->p = p;
    e->d = d;
    e->nf = p->nfacts, e->nn = p->nnodes, e->no = p->noutputs, e->nr = p->nraters;
    size_t nf = (size_t)e->nf + 1, nn = (size_t)e->nn + 1, nr = (size_t)e->nr + 1;
    e->shared = xmalloc(nf * sizeof *e->shared);
    e->own = xmalloc(nr * nf * sizeof *e->own);
    /* without raters the view is always the shared values: one array, so
       scoring need not copy it (score_bound, eval_fast_score) */
    e->view = e->nr ? xmalloc(nf * sizeof *e->view) : e->shared;
    e->raw = xmalloc(nf * sizeof *e->raw);
    e->raw_len = xmalloc(nf * sizeof *e->raw_len);
    e->given = xmalloc(nr * nf * sizeof *e->given);
    e->name_len = xmalloc(nf * sizeof *e->name_len);
    for (int i = 0; i < e->nf; i++) { /* SIZE_MAX: a name with what folds, never guessed */
        size_t n = strlen(p->facts[i].name);
        e->name_len[i] = utf8_fold_same(p->facts[i].name, n) == n ? n : SIZE_MAX;
    }
    e->bad = xmalloc(nf * sizeof *e->bad);
    e->item = xmalloc(nn * sizeof *e->item);
    e->clamped = xmalloc(nn * sizeof *e->clamped);
    e->exact = xmalloc(nn * sizeof *e->exact);
    e->reported = xmalloc(nn * sizeof *e->reported);
    e->contrib = xmalloc(nn * sizeof *e->contrib);
    e->factor = xmalloc(nn * sizeof *e->factor);
    e->combined = xmalloc(nn * sizeof *e->combined);
    e->stack = xmalloc(QSTACK * sizeof *e->stack);
    e->memo = xmalloc(nn * MEMO_WAYS * sizeof *e->memo);
    for (size_t i = 0; i < nn; i++) {
        mpq_inits(e->exact[i], e->contrib[i], e->factor[i], e->combined[i], NULL);
        mpq_set_ui(e->factor[i], 1, 1);
    }
    for (size_t i = 0; i < nn * MEMO_WAYS; i++) {
        mpq_inits(e->memo[i].score, e->memo[i].contrib, NULL);
        e->memo[i].used = false;
    }
    for (size_t i = 0; i < QSTACK; i++)
        mpq_init(e->stack[i]);
    mpq_inits(e->total_exact, e->combined_total, NULL);
    /* each weighted member contributes score x (weight x F / full) */
    for (int i = 0; i < e->nn; i++) {
        const ScoreNode *m = p->nodes[i];
        const ScoreNode *sec =
            m->parent && m->parent->kind == SN_GROUP ? m->parent->parent : m->parent;
        if (m->kind == SN_GROUP || !sec || sec->mode != MODE_WEIGHTED || !m->full_ok ||
            !sec->qscale || mpq_sgn(m->qfull) == 0)
            continue;
        ex_from_dec(e->factor[i], m->weight);
        mpq_mul(e->factor[i], e->factor[i], sec->qscale);
        mpq_div(e->factor[i], e->factor[i], m->qfull);
    }
    e->fired = xmalloc(nn * sizeof *e->fired);
    e->rater_fired = xmalloc((nr * nn + 1) * sizeof *e->rater_fired);
    if (!getenv("RUBRIC_EXACT_ONLY")) /* for tests: compare the two paths */
        eval_fast_build(e);
    if (e->fast && !getenv("RUBRIC_NO_CODE")) /* for tests: the fast path without Code */
        e->code = code_compile(p);
    e->exact_dirty = true;
    e->shown_ready = xmalloc(nn * sizeof *e->shown_ready);
    memset(e->shown_ready, 0, nn * sizeof *e->shown_ready);
    e->rater_reported = xmalloc(nr * nn * sizeof *e->rater_reported);
    e->rater_total = xmalloc(nr * sizeof *e->rater_total);
    e->outputs = xmalloc(((size_t)e->no + 1) * sizeof *e->outputs);
    int nv = p->rubric ? count_vetoes(p->rubric) : 0;
    e->veto_nodes = xmalloc(((size_t)nv + 1) * sizeof *e->veto_nodes);
    e->veto_held = xmalloc(((size_t)nv + 1) * sizeof *e->veto_held);
    e->rater_veto = xmalloc(((size_t)nv + 1) * nr * sizeof *e->rater_veto);
    e->rater_veto_text = xmalloc(((size_t)nv + 1) * nr * sizeof *e->rater_veto_text);
    e->rater_nveto = xmalloc(nr * sizeof *e->rater_nveto);
    if (p->rubric)
        collect_vetoes(e, p->rubric);
    /* reported in file order, whatever the nesting */
    for (int i = 1; i < e->nveto_nodes; i++)
        for (int j = i; j > 0 && e->veto_nodes[j - 1]->start > e->veto_nodes[j]->start; j--) {
            const Node *t = e->veto_nodes[j];
            e->veto_nodes[j] = e->veto_nodes[j - 1];
            e->veto_nodes[j - 1] = t;
        }
    return e;
}

void eval_free(Eval *e)
{
    if (!e)
        return;
    if (e->view != e->shared)
        free(e->view);
    free(e->shared), free(e->own), free(e->raw), free(e->raw_len), free(e->given),
        free(e->name_len), free(e->bad);
    size_t nn = (size_t)e->nn + 1;
    for (size_t i = 0; i < nn; i++)
        mpq_clears(e->exact[i], e->contrib[i], e->factor[i], e->combined[i], NULL);
    for (size_t i = 0; i < nn * MEMO_WAYS; i++)
        mpq_clears(e->memo[i].score, e->memo[i].contrib, NULL);
    for (size_t i = 0; i < QSTACK; i++)
        mpq_clear(e->stack[i]);
    mpq_clears(e->total_exact, e->combined_total, NULL);
    free(e->fast), free(e->fast_n), free(e->fast_rule), free(e->fast_plan);
    code_free(e->code);
    free(e->shown_ready);
    free(e->item), free(e->clamped), free(e->exact), free(e->reported), free(e->contrib),
        free(e->factor), free(e->stack), free(e->fired), free(e->rater_fired), free(e->memo),
        free(e->combined), free(e->rater_reported);
    free(e->rater_veto), free(e->rater_veto_text), free(e->rater_nveto);
    free(e->rater_total), free(e->outputs), free(e->veto_nodes), free(e->veto_held);
    free(e->colslot), free(e->colrater), free(e->colplan), free(e->header_error);
    free(e);
}

/* ---- the score tree ---- */

static bool points_of(Eval *e, const Node *at, const Value *v, Dec *out)
{
    if (v->kind == VAL_PERCENT)
        return dec_check(e, at, dec_shift_up(v->d, 2, out));
    *out = v->d;
    return true;
}

static const char *reads_text(Eval *e, const ScoreNode *it)
{
    const char *s = "";
    for (int i = 0; i < it->nreads; i++) {
        const FactInfo *f = &e->p->facts[it->reads[i]];
        s = arena_printf(e->a, "%s%s%s = %s", s, i ? ", " : "", f->name,
                         value_text(e->a, &e->view[it->reads[i]]));
    }
    return s;
}

/* FIRST hit policy: the index of the first rule whose condition holds (an
 * else always does) in *hit, or -1 when none does; false on an error. */
static bool first_rule(Eval *e, const Node *const *rules, int n, int *hit)
{
    for (int i = 0; i < n; i++) {
        bool c = true;
        if (rules[i]->a && !ev_bool(e, rules[i]->a, &c))
            return false;
        if (c) {
            *hit = i;
            return true;
        }
    }
    *hit = -1;
    return true;
}

static bool above_full(Eval *e, const Node *at, const char *score, const char *full)
{
    return fail(e, at, "score %s is above its full score %s", score, full);
}

/* An item's score: its body, then floor and cap, then the check against its
 * full score (after the cap), into e->item. */
bool eval_item_body(Eval *e, const ScoreNode *it)
{
    e->label = N_("item");
    e->label_name = it->name;
    Value v;
    const Node *at = it->score;
    Dec *out = &e->item[it->index];
    if (it->score) {
        if (!ev(e, it->score, &v))
            return false;
        e->fired[it->index] = -1;
    } else {
        int i;
        if (!first_rule(e, it->rules, it->nrules, &i))
            return false;
        if (i < 0) {
            const char *reads = reads_text(e, it);
            if (*reads)
                return fail(e, it->decl, "no rule matched (%s)", reads);
            return fail(e, it->decl, "no rule matched");
        }
        at = it->rules[i];
        v.kind = check_info(e->p, at->b)->ty == TY_PERCENT ? VAL_PERCENT : VAL_NUMBER;
        if (!ev_num(e, at->b, &v.d))
            return false;
        e->fired[it->index] = i;
    }
    if (!points_of(e, at, &v, out))
        return false;
    if (it->has_floor && dec_cmp(*out, it->floor) < 0)
        *out = it->floor, e->clamped[it->index] = 1;
    if (it->has_cap && dec_cmp(*out, it->cap) > 0)
        *out = it->cap, e->clamped[it->index] = 2;
    if (it->full_ok && dec_cmp(*out, it->full) > 0) {
        char a[DEC_BUFSZ], b[DEC_BUFSZ];
        dec_format(*out, a);
        dec_format(it->full, b);
        return above_full(e, at, a, b);
    }
    return true;
}

/* score_item_body, then the item's exact form and contribution. */
static bool score_item(Eval *e, const ScoreNode *it)
{
    if (!score_item_body(e, it))
        return false;
    const Dec *out = &e->item[it->index];
    Memo *memo = &e->memo[(size_t)it->index * MEMO_WAYS + (memo_hash(*out) & (MEMO_WAYS - 1))];
    if (!memo->used || memo->key.v != out->v) {
        memo->key = *out;
        memo->used = true;
        ex_from_dec(memo->score, *out);
        mpq_mul(memo->contrib, memo->score, e->factor[it->index]);
    }
    mpq_set(e->exact[it->index], memo->score);
    mpq_set(e->contrib[it->index], memo->contrib);
    return true;
}

static bool score_section(Eval *e, const ScoreNode *s, mpq_ptr out);

static bool score_kids(Eval *e, const ScoreNode *s)
{
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (k->kind == SN_ITEM) {
            if (!score_item(e, k))
                return false;
        } else if (k->kind == SN_GROUP) {
            for (int j = 0; j < k->nkids; j++)
                if (!score_item(e, k->kids[j]))
                    return false;
        } else if (!score_section(e, k, e->exact[k->index])) {
            return false;
        } else {
            mpq_mul(e->contrib[k->index], e->exact[k->index], e->factor[k->index]);
        }
    }
    return true;
}

/* A section's (or the rubric's) exact score: the sum of its children's
 * contributions plus its base, or its score expression; then floor and cap,
 * the check against its full score, and its vetoes. */
static bool score_section(Eval *e, const ScoreNode *s, mpq_ptr out)
{
    if (!score_kids(e, s))
        return false;
    e->label = s->kind == SN_RUBRIC ? N_("total") : N_("section");
    e->label_name = s->kind == SN_RUBRIC ? NULL : s->name;
    mpq_ptr sum = out;
    if (s->has_base)
        ex_from_dec(sum, s->base);
    else
        mpq_set_ui(sum, 0, 1);
    for (int i = 0; i < s->nkids; i++) {
        const ScoreNode *k = s->kids[i];
        if (k->kind == SN_GROUP) {
            mpq_ptr g = e->exact[k->index];
            mpq_set_ui(g, 0, 1);
            for (int j = 0; j < k->nkids; j++)
                mpq_add(g, g, e->contrib[k->kids[j]->index]);
            mpq_set(e->contrib[k->index], g);
        }
        if (!s->score)
            mpq_add(sum, sum, e->contrib[k->index]);
    }
    if (s->score) {
        if (!evq(e, s->score, sum, 0))
            return false;
        if (check_info(e->p, s->score)->ty == TY_PERCENT) {
            mpq_set_ui(e->stack[0], 100, 1);
            mpq_mul(sum, sum, e->stack[0]);
        }
    }
    mpq_ptr t = e->stack[0];
    unsigned char *clamped = &e->clamped[s->index >= 0 ? s->index : e->nn];
    if (s->has_floor) {
        ex_from_dec(t, s->floor);
        if (mpq_cmp(sum, t) < 0)
            mpq_set(sum, t), *clamped = 1;
    }
    if (s->has_cap) {
        ex_from_dec(t, s->cap);
        if (mpq_cmp(sum, t) > 0)
            mpq_set(sum, t), *clamped = 2;
    }
    bool check_full = s->kind != SN_RUBRIC || e->p->declared_max;
    if (check_full && s->full_ok && mpq_cmp(sum, s->qfull) > 0)
        return above_full(e, s->score ? s->score : s->decl, ex_text(e->a, sum),
                          ex_text(e->a, s->qfull));
    for (int i = 0; i < s->nvetoes; i++) {
        bool c;
        if (!evq_bool(e, s->vetoes[i]->a, &c, 1))
            return false;
        if (c) {
            for (int k = 0; k < e->nveto_nodes; k++)
                if (e->veto_nodes[k] == s->vetoes[i])
                    e->veto_held[k] = true;
            mpq_set_ui(sum, 0, 1);
        }
    }
    return true;
}

/* ---- binding an employee's facts ---- */

/* Every node's fired entry to -2 (not reached). */
static void fired_reset(Eval *e)
{
    int *fired = e->fired; /* locals: the stores could alias e->nn */
    int nn = e->nn, k = 0;
    for (const int four[4] = {-2, -2, -2, -2}; k + 4 <= nn; k += 4) /* one 16-byte store each */
        memcpy(&fired[k], four, sizeof four);
    for (; k < nn; k++)
        fired[k] = -2;
}

static void begin_employee(Eval *e, Arena *a, const FactRecord *rec)
{
    e->a = a;
    e->rec = rec;
    e->err = NULL;
    e->err_at = NULL;
    e->label = NULL;
    e->label_name = NULL;
    e->grade = NULL;
    e->reported_mode = false;
    /* a plain CSV row read by the same header's plans overwrites every slot
       the last one wrote, when nothing else wrote any (eval_bind.c): then the
       slots are not cleared */
    if (e->slots_dirty || !rec || !rec->row || !e->plan_ready || rec->header_gen != e->header_gen) {
        memset(e->shared, 0, (size_t)e->nf * sizeof *e->shared);
        memset(e->own, 0, (size_t)e->nr * (size_t)e->nf * sizeof *e->own);
        memset(e->raw, 0, (size_t)e->nf * sizeof *e->raw);
        memset(e->given, 0, (size_t)(e->nr + 1) * (size_t)e->nf * sizeof *e->given);
        memset(e->bad, 0, (size_t)e->nf * sizeof *e->bad);
        e->slots_dirty = !rec; /* eval_test writes the slots itself */
    }
    e->nset = 0;
    if (e->nveto_nodes)
        memset(e->veto_held, 0, (size_t)e->nveto_nodes * sizeof *e->veto_held);
    fired_reset(e);
    for (size_t i = 0; i < (size_t)e->nr * (size_t)e->nn; i++)
        e->rater_fired[i] = -2;
    if (e->exact_dirty) { /* only the exact path writes them: skip the resets after a fast one */
        for (int i = 0; i < e->nn; i++)
            mpq_set_ui(e->exact[i], 0, 1), mpq_set_ui(e->contrib[i], 0, 1);
        mpq_set_ui(e->total_exact, 0, 1);
        e->exact_dirty = false;
    }
    e->grade_fired = -1;
    memset(e->clamped, 0, ((size_t)e->nn + 1) * sizeof *e->clamped);
}

/* ---- scoring the bound employee ---- */

static bool round_one(Eval *e, const Node *at, mpq_srcptr x, Dec *out)
{
    if (!ex_round(x, e->p->round, out))
        return fail(e, at, "a number reached 10^20 in size");
    return true;
}

/* Every node's and the total's reported value, each rounded once from its
 * exact value; items round their 18-place score directly. */
static bool round_all(Eval *e, Dec *reported, mpq_srcptr total_exact, Dec *total)
{
    for (int i = 0; i < e->nn; i++) {
        const ScoreNode *n = e->p->nodes[i];
        if (n->kind == SN_ITEM) {
            if (!dec_check(e, n->decl, dec_round(e->item[i], e->p->round, &reported[i])))
                return false;
        } else if (!round_one(e, n->decl, e->exact[i], &reported[i])) {
            return false;
        }
    }
    return round_one(e, e->p->root, total_exact, total);
}

void eval_use_fast_path(Eval *e, bool on)
{
    e->use_fast = on;
    if (on && e->fast)
        eval_fast_prepare(e);
}

static bool score_bound(Eval *e, Result *res)
{
    const Program *p = e->p;
    size_t nv = (size_t)e->nveto_nodes;
    int fast = e->use_fast && e->fast ? eval_fast_score(e) : -1;
    if (fast == 0)
        return false;
    if (fast == 1) {
        res->score_text = e->score_text; /* the fast path made the numbers' text */
        e->label = "total";
        e->label_name = NULL;
        goto reported;
    }
    e->exact_dirty = true;
    if (e->nr == 0) { /* the view is the shared values (eval_new) */
        if (!score_section(e, p->rubric, e->total_exact))
            return false;
    } else {
        bool *held = e->veto_held;
        for (int i = 0; i < e->nn; i++)
            mpq_set_ui(e->combined[i], 0, 1);
        mpq_set_ui(e->combined_total, 0, 1);
        for (int r = 0; r < e->nr; r++) {
            for (int i = 0; i < e->nf; i++) {
                Value own = e->own[(size_t)r * (size_t)e->nf + (size_t)i];
                e->view[i] = own.kind != VAL_NONE ? own : e->shared[i];
            }
            bool *mine = &e->rater_veto[(size_t)r * nv];
            e->veto_held = mine;
            memset(mine, 0, nv * sizeof *mine);
            bool ok = score_section(e, p->rubric, e->total_exact);
            e->veto_held = held;
            memcpy(&e->rater_fired[(size_t)r * (size_t)e->nn], e->fired,
                   (size_t)e->nn * sizeof *e->fired);
            if (!ok)
                return false;
            /* the shared score is the weighted sum of the raters' exact
               scores, exact; it is rounded once below */
            if (!round_all(e, &e->rater_reported[(size_t)r * (size_t)e->nn], e->total_exact,
                           &e->rater_total[r]))
                return false;
            mpq_ptr w = e->stack[0], c = e->stack[1];
            ex_from_dec(w, p->raters[r]->weight->num); /* check made sure it is a percent */
            for (int i = 0; i < e->nn; i++) {
                mpq_mul(c, w, e->exact[i]);
                mpq_add(e->combined[i], e->combined[i], c);
            }
            mpq_mul(c, w, e->total_exact);
            mpq_add(e->combined_total, e->combined_total, c);
            /* a veto counts when it held for a rater whose weight is above 0% */
            int k = 0;
            for (size_t v = 0; v < nv; v++) {
                if (!mine[v])
                    continue;
                if (mpq_sgn(w) > 0)
                    held[v] = true;
                const Node *vn = e->veto_nodes[v];
                e->rater_veto_text[(size_t)r * nv + (size_t)k++] =
                    vn->str ? vn->str : source_one_line(e->a, p->src, vn->a->start, vn->a->end);
            }
            e->rater_nveto[r] = k;
        }
        for (int i = 0; i < e->nn; i++)
            mpq_swap(e->exact[i], e->combined[i]);
        mpq_swap(e->total_exact, e->combined_total);
        memcpy(e->view, e->shared, (size_t)e->nf * sizeof *e->view);
    }
    e->label = N_("total");
    e->label_name = NULL;
    if (e->nr == 0) {
        if (!round_all(e, e->reported, e->total_exact, &e->total))
            return false;
    } else {
        /* items too are weighted sums now: round them from the exact sum */
        for (int i = 0; i < e->nn; i++)
            if (!round_one(e, p->nodes[i]->decl, e->exact[i], &e->reported[i]))
                return false;
        if (!round_one(e, p->root, e->total_exact, &e->total))
            return false;
    }
reported:
    e->reported_mode = true;
    if (p->has_grade && fast == 1 && e->code && e->code->grade) {
        /* a table of total thresholds; no match is worded below */
        int i = e->fast_grade; /* vm_grade(e->code, e->total), kept with the total */
        if (i >= 0) {
            e->grade = e->fast_grade_text; /* that rule's text */
            e->grade_fired = i;
        }
    }
    if (p->has_grade && !e->grade) {
        e->label = N_("grade");
        e->label_name = NULL;
        int i;
        Value v;
        if (!first_rule(e, p->grade, p->ngrade, &i))
            return false;
        if (i < 0)
            return fail(e, p->grade[0], "no rule matched (total = %s)",
                        value_dec_text(e->a, e->total));
        if (!ev(e, p->grade[i]->b, &v))
            return false;
        e->grade = arena_strndup(e->a, v.s, v.len);
        e->grade_fired = i;
    }
    for (int k = 0; k < e->no; k++) {
        const OutputInfo *o = &p->outputs[k];
        e->label = N_("output");
        e->label_name = o->name;
        Value v;
        if (o->score) {
            if (!ev(e, o->score, &v))
                return false;
        } else {
            int i;
            if (!first_rule(e, o->rules, o->nrules, &i))
                return false;
            if (i < 0)
                return fail(e, o->decl, "no rule matched");
            if (!ev(e, o->rules[i]->b, &v))
                return false;
        }
        if (o->ty == TY_PERCENT || o->ty == TY_NUMBER)
            v.kind = kind_of(o->ty);
        e->outputs[k] = v;
    }
    res->total = e->total;
    res->grade = e->grade;
    res->scores = e->reported;
    res->outputs = e->outputs;
    res->nvetoes = 0;
    /* without vetoes (every rubric on the fast path) the list is always
       empty: no allocation per employee */
    res->vetoes = e->nveto_nodes
                      ? arena_alloc(e->a, ((size_t)e->nveto_nodes + 1) * sizeof *res->vetoes)
                      : e->no_vetoes;
    for (int k = 0; k < e->nveto_nodes; k++) {
        if (!e->veto_held[k])
            continue;
        const Node *v = e->veto_nodes[k];
        res->vetoes[res->nvetoes++] =
            v->str ? v->str : source_one_line(e->a, p->src, v->a->start, v->a->end);
    }
    res->rater_totals = e->rater_total;
    res->rater_scores = e->rater_reported;
    if (e->nr) {
        res->rater_vetoes = e->rater_veto_text;
        res->rater_nvetoes = e->rater_nveto;
        res->rater_veto_stride = e->nveto_nodes;
    }
    return true;
}

static bool finish(Eval *e, Result *res, bool ok)
{
    res->exact = (const mpq_t *)e->exact;
    res->total_exact = e->total_exact;
    res->contrib = (const mpq_t *)e->contrib;
    res->clamped = e->nr ? NULL : e->clamped;
    res->fired = e->fired;
    res->rater_fired = e->nr ? e->rater_fired : NULL;
    res->grade_fired = e->grade_fired;
    res->facts = e->view;
    res->rater_facts = e->nr ? e->own : NULL;
    res->error_node = e->err_at;
    if (!ok) {
        res->error = e->err ? e->err : _("cannot be scored");
        res->error_where = e->err_at ? arena_printf(e->a, "%s:%d", e->p->src->path,
                                                    source_line(e->p->src, e->err_at->start))
                                     : NULL;
    }
    return ok;
}

/* The shown facts' shared values, defaults filled in when `defaults`; VAL_NONE where one was
 * not read (the employee may have failed before it) or was bad (given, but
 * not a value of its type or range: null, not the default). */
static const Value *shown_of(Eval *e, bool defaults)
{
    const Program *p = e->p;
    Value *v = arena_alloc(e->a, ((size_t)p->nshow + 1) * sizeof *v);
    for (int i = 0; i < p->nshow; i++) {
        const FactInfo *f = &p->facts[p->show[i]];
        v[i] = e->shared[p->show[i]];
        if (defaults && v[i].kind == VAL_NONE && f->has_default && !e->bad[p->show[i]])
            v[i] = f->dflt;
    }
    return v;
}

static const char *id_of(Eval *e, const FactRecord *rec)
{
    int slot = e->p->id_fact;
    /* an empty value is a missing fact: then the default id, as when the
       id fact is absent (the file's base name, the row's first cell) */
    if (slot >= 0 && e->raw[slot] && e->raw_len[slot] > 0) {
        /* a plain CSV row's first cell is ended in place (FactRecord.row): used as it
           is, it lives as long as the shown facts' text, until the next record */
        if (rec && rec->row && e->raw[slot] == rec->default_id && e->raw_len[slot] == rec->id_len)
            return rec->default_id;
        return arena_strndup(e->a, e->raw[slot], e->raw_len[slot]);
    }
    if (slot >= 0 && e->shared[slot].kind == VAL_TEXT)
        return arena_strndup(e->a, e->shared[slot].s, e->shared[slot].len);
    if (slot >= 0 && e->shared[slot].kind != VAL_NONE)
        return value_text(e->a, &e->shared[slot]);
    return rec ? rec->default_id : "";
}

bool eval_record(Eval *e, const FactRecord *rec, Arena *a, Result *res)
{
    memset(res, 0, sizeof *res);
    begin_employee(e, a, rec);
    bool ok = eval_bind_record(e, rec);
    res->id = id_of(e, rec);
    /* a record none of whose cells could be read (a row with the wrong number of
       cells, an unreadable file) shows nothing, not defaults in place of what
       it holds */
    res->shown = shown_of(e, !(rec->error && !rec->ncells));
    ok = ok && eval_finish_facts(e);
    ok = ok && score_bound(e, res);
    return finish(e, res, ok);
}

bool eval_test(Eval *e, const Node *test, Arena *a, Result *res)
{
    memset(res, 0, sizeof *res);
    begin_employee(e, a, NULL);
    bool ok = true;
    for (uint32_t i = 0; ok && i < test->nkids; i++) {
        const Node *s = test->kids[i];
        if (s->kind != AST_ASSIGN)
            continue;
        int slot = check_find_fact(e->p, s->name, strlen(s->name));
        int rater = -1;
        if (s->rater)
            for (int r = 0; r < e->nr; r++)
                if (strcmp(e->p->raters[r]->name, s->rater->name) == 0)
                    rater = r;
        if (slot < 0)
            continue;
        Value *dst =
            rater >= 0 ? &e->own[(size_t)rater * (size_t)e->nf + (size_t)slot] : &e->shared[slot];
        const char *why = check_literal_value(a, e->p->src, &e->p->facts[slot].spec, s->a, dst);
        if (why)
            ok = fail(e, s, "%s: %s", s->name, why);
        else if (rater < 0) {
            e->raw[slot] = dst->kind == VAL_TEXT ? dst->s : e->p->src->text + s->a->start;
            e->raw_len[slot] = dst->kind == VAL_TEXT ? dst->len : s->a->end - s->a->start;
        }
    }
    res->id = test->name;
    res->shown = shown_of(e, true);
    ok = ok && eval_finish_facts(e);
    ok = ok && score_bound(e, res);
    return finish(e, res, ok);
}

int eval_expect(Eval *e, const Node *expr, Arena *a, const char **why)
{
    e->a = a;
    e->err = NULL;
    e->label = NULL;
    e->label_name = NULL;
    e->reported_mode = true;
    Value v;
    if (!ev(e, expr, &v)) {
        *why = e->err;
        return -1;
    }
    return v.b ? 1 : 0;
}

const char *eval_test_side(Eval *e, const Node *x, Arena *a)
{
    e->a = a;
    e->err = NULL;
    e->label = NULL;
    e->label_name = NULL;
    e->reported_mode = true;
    Value v;
    if (!ev(e, x, &v))
        return e->err;
    return value_text(a, &v);
}
