/* gen.c - random rubrics for tests/random/run.sh, with a model of each.
 *
 *   gen SEED [N]        print the model of a random rubric (N scales its size,
 *                       default 3, 8 for one seed in eight): JSON, see tests/random/oracle.py, whose
 *                       "text" is the rubric as written
 *   gen SEED facts N    print a CSV of N employees for that rubric
 *   gen SEED [M] facts N  the same for a rubric made with size M
 *
 * Deduction sheets (Edition 2) come too: sections with `base`, `floor`,
 * `cap`, deductions over counts, bonuses over unbounded counts that a cap
 * absorbs, and the same statements on the rubric body; `show FACT, …`. Now
 * and then such a rubric is one `check` must reject ([max], [clamp]): the
 * oracle predicts that. Every other rubric is meant to pass `rubric check`
 * without errors: weights add up
 * to exactly 100%, every score expression is bounded by the declared fact
 * ranges (or the item declares a max), no division by anything that can be
 * zero, percents meet only percents or plain literals. Warnings may come: a
 * rule list without else ([gap]) or a max below what the rules give
 * ([over-max]) make some employees errors, as do a few missing or
 * out-of-range CSV cells. The model says what the text means (the text
 * parenthesises what precedence would read otherwise); the text's test
 * blocks hold ⟦N⟧ where expectation N goes, and oracle.py writes there what
 * its own scores say (`expect total == 92.5`). The surface varies as much as
 * the language allows: English and Chinese keywords mixed, full-width
 * operators and digits, Chinese quotes, comments, blank lines, `;`, line
 * breaks after operators and inside parentheses.
 *
 * The rubric is decided and printed in one pass from one random stream; the
 * facts mode generates (and throws away) the same rubric first, so the
 * employees match its facts. */
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- randomness ---- */

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return n ? (unsigned)((rng_state >> 33) % n) : 0;
}

static bool chance(unsigned percent)
{
    return rnd(100) < percent;
}

static const char *pick(const char *const *xs, unsigned n)
{
    return xs[rnd(n)];
}
#define PICK(...)                                                                                  \
    pick((const char *const[]){__VA_ARGS__},                                                       \
         sizeof((const char *const[]){__VA_ARGS__}) / sizeof(char *))

/* ---- growable strings ---- */

typedef struct {
    char *s;
    size_t n, cap;
} Buf;

static void bputs(Buf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l + 1 > b->cap) {
        b->cap = (b->n + l + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s) {
            perror("gen");
            exit(2);
        }
    }
    memcpy(b->s + b->n, s, l + 1);
    b->n += l;
}

__attribute__((format(printf, 2, 3))) static void bprintf(Buf *b, const char *fmt, ...)
{
    char tmp[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    bputs(b, tmp);
}

static char *bdone(Buf *b)
{
    if (!b->s)
        bputs(b, "");
    return b->s;
}

/* ---- the model: JSON written beside the text ---- */

/* s as a JSON string. */
static void jq(Buf *b, const char *s)
{
    bputs(b, "\"");
    for (const char *p = s; *p; p++) {
        char c[8] = {*p, 0};
        if (*p == '"' || *p == '\\')
            c[0] = '\\', c[1] = *p;
        else if ((unsigned char)*p < 0x20)
            snprintf(c, sizeof c, "\\u%04x", (unsigned)*p);
        bputs(b, c);
    }
    bputs(b, "\"");
}

/* A freshly allocated concatenation of n strings (no length limit). */
static char *jcat(int n, ...)
{
    Buf b = {0};
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++)
        bputs(&b, va_arg(ap, const char *));
    va_end(ap);
    return bdone(&b);
}

/* ["TAG","s"] */
static char *jleaf(const char *tag, const char *s)
{
    Buf b = {0};
    bputs(&b, "[");
    jq(&b, tag);
    if (s) {
        bputs(&b, ",");
        jq(&b, s);
    }
    bputs(&b, "]");
    return bdone(&b);
}

/* ---- surface: keywords, operators, numbers, strings ---- */

static const char *const keywords[][2] = {
    {"rubric", "评分表"}, {"section", "维度"},   {"group", "类别"},   {"item", "指标"},
    {"fact", "数据"},     {"weight", "权重"},    {"max", "满分"},     {"score", "得分"},
    {"else", "否则"},     {"and", "且"},         {"or", "或"},        {"not", "非"},
    {"grade", "评级"},    {"test", "测试"},      {"expect", "期望"},  {"round", "保留"},
    {"id", "标识"},       {"total", "总分"},     {"true", "是"},      {"false", "否"},
    {"number", "数值"},   {"percent", "百分比"}, {"integer", "整数"}, {"bool", "布尔"},
    {"text", "文本"},     {"output", "输出"},    {"veto", "否决"},    {"rater", "评价人"},
    {"quota", "配额"},    {"base", "基础分"},    {"floor", "保底"},   {"cap", "封顶"},
    {"show", "显示"},
};

static int zh_bias; /* percent of keywords written in Chinese in this rubric */
static int fw_bias; /* percent of operators written full-width */

static const char *kw(const char *en)
{
    static char ring[8][64]; /* full-width spellings handed out, reused in turn */
    static int next;
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        if (strcmp(keywords[i][0], en) == 0) {
            if (chance((unsigned)zh_bias))
                return keywords[i][1];
            if (!chance((unsigned)fw_bias / 4))
                return keywords[i][0];
            /* typed in an input method's full-width mode: ｓｃｏｒｅ is score */
            char *o = ring[next++ % 8], *w = o;
            for (const char *p = en; *p; p++) {
                unsigned u = 0xFF00u + (unsigned)(*p - 0x20);
                *w++ = (char)(0xE0 | (u >> 12)), *w++ = (char)(0x80 | ((u >> 6) & 0x3F));
                *w++ = (char)(0x80 | (u & 0x3F));
            }
            *w = 0;
            return o;
        }
    fprintf(stderr, "gen: no keyword %s\n", en);
    exit(2);
}

static const char *op(const char *o)
{
    if (!chance((unsigned)fw_bias))
        return o;
    if (!strcmp(o, ">="))
        return PICK("≥", "＞＝", ">＝");
    if (!strcmp(o, "<="))
        return PICK("≤", "＜＝");
    if (!strcmp(o, "!="))
        return PICK("≠", "！＝");
    if (!strcmp(o, "=="))
        return "＝＝";
    if (!strcmp(o, "->"))
        return PICK("→", "－＞");
    if (!strcmp(o, ">"))
        return "＞";
    if (!strcmp(o, "<"))
        return "＜";
    if (!strcmp(o, "+"))
        return "＋";
    if (!strcmp(o, "-"))
        return "－";
    if (!strcmp(o, "*"))
        return PICK("×", "＊");
    if (!strcmp(o, "/"))
        return PICK("÷", "／");
    if (!strcmp(o, "("))
        return "（";
    if (!strcmp(o, ")"))
        return "）";
    if (!strcmp(o, ","))
        return "，";
    if (!strcmp(o, ":"))
        return "：";
    if (!strcmp(o, ";"))
        return "；";
    if (!strcmp(o, "%"))
        return "％";
    if (!strcmp(o, ".."))
        return "．．";
    if (!strcmp(o, "="))
        return "＝";
    return o;
}

/* Values are kept in hundredths (percents in hundredths of a percent). */
typedef long long Hund;

/* v as a decimal, sometimes with full-width digits. */
static char *num(char *buf, Hund v, bool may_fw)
{
    char t[64];
    Hund a = v < 0 ? -v : v;
    if (a % 100)
        snprintf(t, sizeof t, "%lld.%02lld", a / 100, a % 100);
    else
        snprintf(t, sizeof t, "%lld", a / 100);
    size_t l = strlen(t);
    if (l && strchr(t, '.') && t[l - 1] == '0')
        t[l - 1] = 0;
    char *o = buf;
    if (v < 0)
        *o++ = '-';
    bool fw = may_fw && chance((unsigned)fw_bias / 3);
    for (const char *p = t; *p; p++) {
        if (fw && *p >= '0' && *p <= '9') {
            o += sprintf(o, "\xef\xbc%c", (char)(0x90 + (*p - '0'))); /* U+FF10.. */
        } else if (fw && *p == '.') {
            o += sprintf(o, "．");
        } else {
            *o++ = *p;
        }
    }
    *o = 0;
    return buf;
}

/* A numeric literal for v; a negative one is written as minus applied to it. */
static void put_num(Buf *b, Hund v)
{
    char t[96];
    if (v < 0) {
        bputs(b, op("-"));
        v = -v;
    }
    bputs(b, num(t, v, true));
}

static void put_pct(Buf *b, Hund v)
{
    put_num(b, v);
    bputs(b, op("%"));
}

static void put_str(Buf *b, const char *s)
{
    switch (rnd(4)) {
    case 0:
        bprintf(b, "“%s”", s);
        break;
    case 1:
        bprintf(b, "「%s」", s);
        break;
    default:
        bprintf(b, "\"%s\"", s);
        break;
    }
}

/* A line break inside an expression (after an operator or in parentheses). */
static int brk_bias;
/* Paper-form numbers in this rubric: weighted items out of a multiple of 3
   and `round 0` or 1, so exact totals often land on a half (2775/30 = 92.5)
   where rounding each contribution early shows (issue 10). */
static bool form_numbers;
static void maybe_break(Buf *b)
{
    if (chance((unsigned)brk_bias))
        bprintf(b, "\n%*s", 8 + (int)rnd(8), "");
}

/* ---- the rubric model ---- */

enum { T_NUM, T_INT, T_PCT, T_BOOL, T_TEXT };

typedef struct {
    char name[96]; /* as in fact files and CSV headers */
    bool quoted;   /* must be written in backquotes */
    int type;
    bool has_lo, has_hi;
    Hund lo, hi; /* range (percent facts: in hundredths of a percent) */
    bool has_def;
    char words[4][32]; /* text facts: values to use */
    bool per_rater;    /* CSV gives a column per rater */
    bool show_only;    /* shown and read by nothing: may be missing */
    bool big;          /* 大额: up to 2×10^10, read only by the 大额积 output (10^20 limit) */
} Fact;

#define MAXF 24
#define MAXNAMES 256

typedef struct {
    Fact f[MAXF];
    int nf;
    char used[MAXNAMES][96];
    int nused;
    int id_fact; /* the text fact named by id, or -1 */
    char raters[2][32];
    int nraters;
    bool has_grade;
    char grades[4][32];
    int ngrades;
    char outputs[4][96];
    int noutputs;
    char nodes[64][96]; /* every item, group and section, for expect */
    int nnodes;
} Model;

static Model M;

static void add_node(const char *n)
{
    if (M.nnodes < 64)
        snprintf(M.nodes[M.nnodes++], 96, "%.95s", n);
}

static bool name_used(const char *n)
{
    for (int i = 0; i < M.nused; i++)
        if (!strcmp(M.used[i], n))
            return true;
    return false;
}

/* A fresh name from a pool; suffixes keep them apart. */
static void fresh_name(char *out, const char *const *pool, unsigned npool)
{
    for (int tries = 0;; tries++) {
        const char *base = pool[rnd(npool)];
        if (tries < 4)
            snprintf(out, 96, "%s", base);
        else
            snprintf(out, 96, "%s%d", base, tries);
        if (!name_used(out))
            break;
    }
    if (M.nused < MAXNAMES)
        snprintf(M.used[M.nused++], 96, "%s", out);
}

/* How a name is written: folded digits may be typed full-width inside it. */
/* A reserved word (either spelling) is a name only in backquotes; the
   contextual ones of Edition 2 (base floor cap show) are names anywhere but
   where they are options or open a rubric-body statement. */
static bool reserved(const char *name)
{
    for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
        for (int z = 0; z < 2; z++)
            if (!strcmp(keywords[i][z], name))
                return strcmp(keywords[i][0], "base") && strcmp(keywords[i][0], "floor") &&
                       strcmp(keywords[i][0], "cap") && strcmp(keywords[i][0], "show");
    return false;
}

static void put_name(Buf *b, const char *name, bool quoted)
{
    if (quoted || reserved(name)) {
        bprintf(b, "`%s`", name);
        return;
    }
    /* full-width digits (not first), letters and `_` fold to ASCII */
    bool fw = chance((unsigned)fw_bias / 2), fwl = fw && chance(30);
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (fw && p != name && c >= '0' && c <= '9')
            bprintf(b, "\xef\xbc%c", (char)(0x90 + (c - '0')));
        else if (fwl && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')) {
            unsigned u = 0xFF00u + (unsigned)(c - 0x20);
            bprintf(b, "%c%c%c", (char)(0xE0 | (u >> 12)), (char)(0x80 | ((u >> 6) & 0x3F)),
                    (char)(0x80 | (u & 0x3F)));
        } else
            bprintf(b, "%c", c);
    }
}

static void put_fact(Buf *b, const Fact *f)
{
    put_name(b, f->name, f->quoted);
}

/* ---- expressions ---- */

enum { E_NUM, E_PCT, E_BOOL, E_TEXT };

typedef struct {
    char *text;
    int ty;
    double lo, hi; /* bounds (percents in percent units) */
    bool lit;      /* a plain number literal (coerces next to a percent) */
    char *js;      /* the expression in the model (see oracle.py) */
    bool bare_or;  /* an `or` without parentheses around it */
} Expr;

/* What an expression may read. */
typedef struct {
    bool facts;
    const char *const *kids; /* names of nodes it may read (sections' score, veto, grade) */
    const double *kid_hi;    /* their full scores, roughly */
    int nkids;
    bool total, grade;
    int noutputs; /* earlier outputs it may read (number outputs only) */
    double total_hi;
} Scope;

static Expr mk(Buf *b, int ty, double lo, double hi, bool lit, char *js)
{
    if (isnan(lo)) /* inf - inf in a rough bound: unknown */
        lo = -INFINITY;
    if (isnan(hi))
        hi = INFINITY;
    return (Expr){bdone(b), ty, lo, hi, lit, js, false};
}

/* a * b over rough bounds, 0 × ±∞ = 0 */
static double bmul(double a, double b)
{
    return a == 0 || b == 0 ? 0 : a * b;
}

static void efree(Expr x)
{
    free(x.text);
    free(x.js);
}

/* The model of a literal v (a percent literal when pct); a negative one is
   unary minus applied to it, as put_num writes it. */
static char *jnum(Hund v, bool pct)
{
    char t[96];
    char *l = jleaf(pct ? "pct" : "num", num(t, v < 0 ? -v : v, false));
    if (v >= 0)
        return l;
    char *r = jcat(3, "[\"neg\",", l, "]");
    free(l);
    return r;
}

/* ["OP",a,b] */
static char *jbin(const char *o, const char *a, const char *b)
{
    Buf x = {0};
    bputs(&x, "[");
    jq(&x, o);
    bputs(&x, ",");
    bputs(&x, a);
    bputs(&x, ",");
    bputs(&x, b);
    bputs(&x, "]");
    return bdone(&x);
}

static Hund rand_lit(Hund lo, Hund hi)
{
    if (hi <= lo)
        return lo;
    Hund v = lo + (Hund)rnd((unsigned)((hi - lo) / 50 + 1)) * 50; /* steps of 0.5 */
    if (chance(10))
        v += rnd(50); /* two decimals */
    return v > hi ? hi : v;
}

static Expr num_expr(const Scope *sc, int ty, int depth);
static Expr cond_expr(const Scope *sc, int depth);
static char *jcmp(const char *o, const char *a, const char *b);

/* A bounded numeric fact of type ty (T_NUM/T_INT for E_NUM, T_PCT), or -1. */
static int bounded_fact(int ety)
{
    int c[MAXF], n = 0;
    for (int i = 0; i < M.nf; i++) {
        const Fact *f = &M.f[i];
        bool ok = ety == E_PCT ? f->type == T_PCT : (f->type == T_NUM || f->type == T_INT);
        if (ok && f->has_lo && f->has_hi)
            c[n++] = i;
    }
    return n ? c[rnd((unsigned)n)] : -1;
}

static int any_fact(int type)
{
    int c[MAXF], n = 0;
    for (int i = 0; i < M.nf; i++)
        if (M.f[i].type == type)
            c[n++] = i;
    return n ? c[rnd((unsigned)n)] : -1;
}

static bool no_long; /* literal(): no long decimals here */

static Expr literal(int ty)
{
    Buf b = {0};
    if (!no_long && chance(4)) {
        /* digits a value holds (18 places; 16 for a percent, kept as its
           fraction): item bodies round * and / to 18 places, half to even */
        const char *t = ty == E_PCT ? PICK("33.3333333333333333", "12.345", "0.0000000000000001",
                                           "66.6666666666666667")
                                    : PICK("0.333333333333333333", "1.125", "2.718281828459045235",
                                           "0.000000000000000001", "12.3456789", "0.1",
                                           "99.999999999999999999");
        bputs(&b, t);
        if (ty == E_PCT)
            bputs(&b, op("%"));
        double v = strtod(t, NULL);
        char *js = jleaf(ty == E_PCT ? "pct" : "num", t);
        return mk(&b, ty, v, v, ty != E_PCT, js);
    }
    Hund v = rand_lit(0, 10000);
    if (ty == E_PCT) {
        put_pct(&b, v);
        return mk(&b, E_PCT, v / 100.0, v / 100.0, false, jnum(v, true));
    }
    if (chance(10)) {
        bputs(&b, op("("));
        put_num(&b, v);
        bputs(&b, op(")"));
    } else {
        put_num(&b, v);
    }
    return mk(&b, E_NUM, v / 100.0, v / 100.0, true, jnum(v, false));
}

static double dmin(double a, double b)
{
    return a < b ? a : b;
}
static double dmax(double a, double b)
{
    return a > b ? a : b;
}

/* A numeric leaf of type ty: a bounded fact, a node, total, or a literal. */
static Expr leaf(const Scope *sc, int ty)
{
    Buf b = {0};
    if (ty == E_NUM && sc->nkids && chance(50)) {
        int k = (int)rnd((unsigned)sc->nkids);
        put_name(&b, sc->kids[k], false);
        return mk(&b, E_NUM, -1e6, sc->kid_hi[k], false,
                  jleaf("node", sc->kids[k])); /* low end unknown here */
    }
    if (ty == E_NUM && sc->total && chance(40)) {
        bputs(&b, kw("total"));
        return mk(&b, E_NUM, -1e6, sc->total_hi, false, jleaf("total", NULL));
    }
    int f = sc->facts ? bounded_fact(ty) : -1;
    if (f >= 0 && chance(75)) {
        put_fact(&b, &M.f[f]);
        return mk(&b, ty, M.f[f].lo / 100.0, M.f[f].hi / 100.0, false,
                  jleaf("fact", M.f[f].name));
    }
    return literal(ty);
}

static Expr paren(Expr x)
{
    Buf b = {0};
    bprintf(&b, "%s", op("("));
    bputs(&b, x.text);
    bputs(&b, op(")"));
    free(x.text);
    x.text = bdone(&b);
    x.lit = false;
    x.bare_or = false;
    return x;
}

/* An operand of ty, or a plain literal that a percent context reads as a percent. */
static Expr pct_operand(const Scope *sc, int depth)
{
    if (chance(35)) { /* coerced (never a long decimal: as a percent it would need 20 places) */
        no_long = true;
        Expr x = literal(E_NUM);
        no_long = false;
        return x;
    }
    return num_expr(sc, E_PCT, depth);
}

static Expr num_expr(const Scope *sc, int ty, int depth)
{
    if (depth > 2 || chance(35))
        return leaf(sc, ty);
    Buf b = {0};
    switch (rnd(14)) {
    case 11: { /* a product of two facts: 销售额 * 回款率 (a percent as its fraction) */
        if (ty != E_NUM || !sc->facts)
            return leaf(sc, ty);
        int f1 = bounded_fact(chance(30) ? E_PCT : E_NUM), f2 = bounded_fact(chance(40) ? E_PCT : E_NUM);
        if (f1 < 0 || f2 < 0)
            return leaf(sc, ty);
        const Fact *a = &M.f[f1], *c = &M.f[f2];
        double s1 = a->type == T_PCT ? 1e4 : 1e2, s2 = c->type == T_PCT ? 1e4 : 1e2;
        double al = a->lo / s1, ah = a->hi / s1, cl = c->lo / s2, ch = c->hi / s2;
        double ps[4] = {bmul(al, cl), bmul(al, ch), bmul(ah, cl), bmul(ah, ch)};
        put_fact(&b, a);
        bprintf(&b, " %s ", op("*"));
        put_fact(&b, c);
        char *aj = jleaf("fact", a->name), *cj = jleaf("fact", c->name), *js = jbin("*", aj, cj);
        free(aj);
        free(cj);
        return mk(&b, E_NUM, dmin(dmin(ps[0], ps[1]), dmin(ps[2], ps[3])),
                  dmax(dmax(ps[0], ps[1]), dmax(ps[2], ps[3])), false, js);
    }
    case 12: { /* a ratio: 实际 / 目标, the denominator kept above 0 (or not) */
        if (ty != E_NUM || !sc->facts)
            return leaf(sc, ty);
        int fd = bounded_fact(E_NUM);
        if (fd < 0)
            return leaf(sc, ty);
        const Fact *d = &M.f[fd];
        Expr x = paren(num_expr(sc, chance(30) ? E_PCT : E_NUM, depth + 1));
        if (x.ty == E_PCT)
            x.lo /= 100, x.hi /= 100;
        Hund k = 100 * (Hund)(1 + rnd(5));
        char kt[96];
        num(kt, k, false);
        char *dj = jleaf("fact", d->name), *den;
        double dl = d->lo / 100.0, dh = d->hi / 100.0;
        bputs(&b, x.text);
        bprintf(&b, " %s ", op("/"));
        unsigned how = d->lo > 0 ? 0 : chance(12) ? 0 : chance(25) ? 3 : d->lo == 0 ? 1 : 2;
        if (how == 3) {
            /* guarded: if(目标 > 0, 实际 / 目标, 0) — lazy, so 目标 = 0 is no
               error; its bound is still (-inf, +inf): conditions do not narrow */
            Buf g = {0};
            bprintf(&g, "if%s", op("("));
            put_fact(&g, d);
            bprintf(&g, " %s 0%s ", op(">"), op(","));
            bputs(&g, x.text);
            bprintf(&g, " %s ", op("/"));
            put_fact(&g, d);
            bprintf(&g, "%s 0%s", op(","), op(")"));
            char *q = jbin("/", x.js, dj), *c = jcmp(">", dj, "[\"num\",\"0\"]");
            char *js = jcat(5, "[\"call\",\"if\",", c, ",", q, ",[\"num\",\"0\"]]");
            free(q);
            free(c);
            free(dj);
            free(b.s);
            efree(x);
            return mk(&g, E_NUM, -INFINITY, INFINITY, false, js);
        }
        if (how == 0) { /* plain: a division by zero for some employees */
            put_fact(&b, d);
            den = dj;
        } else if (how == 1) {
            bputs(&b, op("("));
            put_fact(&b, d);
            bprintf(&b, " %s %s%s", op("+"), kt, op(")"));
            char *kj = jnum(k, false);
            den = jbin("+", dj, kj);
            free(kj);
            free(dj);
            dl += k / 100.0, dh += k / 100.0;
        } else {
            bprintf(&b, "max%s", op("("));
            put_fact(&b, d);
            bprintf(&b, "%s %s%s", op(","), kt, op(")"));
            char *kj = jnum(k, false);
            den = jcat(5, "[\"call\",\"max\",", dj, ",", kj, "]");
            free(kj);
            free(dj);
            dl = dmax(dl, k / 100.0), dh = dmax(dh, k / 100.0);
        }
        double lo = -INFINITY, hi = INFINITY;
        if (dl > 0) {
            double ps[4] = {x.lo / dl, x.lo / dh, x.hi / dl, x.hi / dh};
            lo = dmin(dmin(ps[0], ps[1]), dmin(ps[2], ps[3]));
            hi = dmax(dmax(ps[0], ps[1]), dmax(ps[2], ps[3]));
        }
        char *js = jbin("/", x.js, den);
        free(den);
        efree(x);
        return mk(&b, E_NUM, lo, hi, false, js);
    }
    case 13: { /* minus applied to a compound expression: -(a + b) */
        Expr x = num_expr(sc, ty, depth + 1);
        if (x.lit)
            return x;
        x = paren(x);
        bputs(&b, op("-"));
        bputs(&b, x.text);
        char *js = jcat(3, "[\"neg\",", x.js, "]");
        double lo = -x.hi, hi = -x.lo;
        efree(x);
        return mk(&b, ty, lo, hi, false, js);
    }
    case 0:   /* + */
    case 1: { /* - */
        bool plus = rnd(2);
        Expr x = num_expr(sc, ty, depth + 1);
        Expr y = ty == E_PCT ? pct_operand(sc, depth + 1) : num_expr(sc, ty, depth + 1);
        if (y.text[0] == '-' || !strncmp(y.text, "－", 3) ||
            !y.lit) /* keep the meaning when written */
            y = paren(y);
        bputs(&b, x.text);
        bprintf(&b, " %s", op(plus ? "+" : "-"));
        maybe_break(&b);
        bputs(&b, " ");
        bputs(&b, y.text);
        double lo = plus ? x.lo + y.lo : x.lo - y.hi, hi = plus ? x.hi + y.hi : x.hi - y.lo;
        char *js = jbin(plus ? "+" : "-", x.js, y.js);
        efree(x);
        efree(y);
        return mk(&b, ty, lo, hi, false, js);
    }
    case 2: { /* * a non-negative literal (numbers only); a percent times a literal is a number */
        if (ty != E_NUM)
            return leaf(sc, ty);
        Expr x = num_expr(sc, chance(30) ? E_PCT : E_NUM, depth + 1);
        Hund k = rand_lit(0, 300);
        if (!x.lit)
            x = paren(x);
        double s = x.ty == E_PCT ? k / 100.0 / 100.0 : k / 100.0;
        Buf l = {0};
        put_num(&l, k);
        char *kt = bdone(&l), *kj = jnum(k, false), *js;
        if (rnd(2)) {
            bprintf(&b, "%s %s ", x.text, op("*"));
            bputs(&b, kt);
            js = jbin("*", x.js, kj);
        } else {
            bprintf(&b, "%s %s ", kt, op("*"));
            bputs(&b, x.text);
            js = jbin("*", kj, x.js);
        }
        free(kt);
        free(kj);
        double lo = x.lo * s, hi = x.hi * s;
        efree(x);
        return mk(&b, E_NUM, dmin(lo, hi), dmax(lo, hi), false, js);
    }
    case 3: { /* / a positive literal (numbers only) */
        if (ty != E_NUM)
            return leaf(sc, ty);
        Expr x = paren(num_expr(sc, E_NUM, depth + 1));
        Hund k = 100 + rand_lit(0, 900);
        char kt[96];
        bputs(&b, x.text);
        bprintf(&b, " %s %s", op("/"), num(kt, k, true));
        double lo = x.lo / (k / 100.0), hi = x.hi / (k / 100.0);
        char *kj = jnum(k, false), *js = jbin("/", x.js, kj);
        free(kj);
        efree(x);
        return mk(&b, E_NUM, lo, hi, false, js);
    }
    case 4:
    case 5: { /* min, max, sum, avg */
        const char *fn = PICK("min", "max", "sum", "avg");
        int n = 1 + (int)rnd(3);
        Expr xs[3];
        double lo = 0, hi = 0;
        Buf j = {0};
        bputs(&j, "[\"call\",");
        jq(&j, fn);
        bprintf(&b, "%s%s", fn, op("("));
        for (int i = 0; i < n; i++) {
            xs[i] = i && ty == E_PCT ? pct_operand(sc, depth + 1) : num_expr(sc, ty, depth + 1);
            if (i) {
                bputs(&b, op(","));
                maybe_break(&b);
                bputs(&b, " ");
            }
            bputs(&b, xs[i].text);
            bputs(&j, ",");
            bputs(&j, xs[i].js);
            if (!strcmp(fn, "min"))
                lo = i ? dmin(lo, xs[i].lo) : xs[i].lo, hi = i ? dmin(hi, xs[i].hi) : xs[i].hi;
            else if (!strcmp(fn, "max"))
                lo = i ? dmax(lo, xs[i].lo) : xs[i].lo, hi = i ? dmax(hi, xs[i].hi) : xs[i].hi;
            else
                lo += xs[i].lo, hi += xs[i].hi;
            efree(xs[i]);
        }
        if (!strcmp(fn, "avg"))
            lo /= n, hi /= n;
        bputs(&b, op(")"));
        bputs(&j, "]");
        return mk(&b, ty, lo, hi, false, bdone(&j));
    }
    case 6: { /* clamp with literal bounds */
        Expr x = num_expr(sc, ty, depth + 1);
        Hund l = rand_lit(0, 5000), h = l + rand_lit(0, 5000);
        int fb = sc->facts && chance(12) ? bounded_fact(ty) : -1;
        if (fb >= 0) { /* clamp(x, 0, 上限): lo > hi is an error for that employee */
            const Fact *f = &M.f[fb];
            bprintf(&b, "clamp%s", op("("));
            bputs(&b, x.text);
            bprintf(&b, "%s ", op(","));
            bool lp = ty == E_PCT && rnd(2);
            if (lp)
                put_pct(&b, l);
            else
                put_num(&b, l);
            bprintf(&b, "%s ", op(","));
            put_fact(&b, f);
            bputs(&b, op(")"));
            double s = ty == E_PCT ? 100.0 : 100.0;
            char *lj = jnum(l, lp), *hj = jleaf("fact", f->name);
            char *js = jcat(7, "[\"call\",\"clamp\",", x.js, ",", lj, ",", hj, "]");
            free(lj);
            free(hj);
            double lo = dmin(x.lo, l / 100.0), hi = dmax(l / 100.0, dmin(x.hi, f->hi / s));
            efree(x);
            return mk(&b, ty, lo, hi, false, js);
        }
        bprintf(&b, "clamp%s", op("("));
        bputs(&b, x.text);
        bprintf(&b, "%s ", op(","));
        bool lp = ty == E_PCT && rnd(2);
        if (lp)
            put_pct(&b, l);
        else
            put_num(&b, l);
        bprintf(&b, "%s ", op(","));
        maybe_break(&b);
        bool hp = ty == E_PCT && rnd(2);
        if (hp)
            put_pct(&b, h);
        else
            put_num(&b, h);
        bputs(&b, op(")"));
        double lo = dmin(dmax(x.lo, l / 100.0), h / 100.0),
               hi = dmin(dmax(x.hi, l / 100.0), h / 100.0);
        char *lj = jnum(l, lp), *hj = jnum(h, hp);
        char *js = jcat(7, "[\"call\",\"clamp\",", x.js, ",", lj, ",", hj, "]");
        free(lj);
        free(hj);
        efree(x);
        return mk(&b, ty, lo, hi, false, js);
    }
    case 7: { /* abs */
        Expr x = num_expr(sc, ty, depth + 1);
        bprintf(&b, "abs%s", op("("));
        bputs(&b, x.text);
        bputs(&b, op(")"));
        double hi = dmax(fabs(x.lo), fabs(x.hi)), lo = x.lo > 0 ? x.lo : x.hi < 0 ? -x.hi : 0;
        char *js = jcat(3, "[\"call\",\"abs\",", x.js, "]");
        efree(x);
        return mk(&b, ty, lo, hi, false, js);
    }
    case 8: { /* round */
        Expr x = num_expr(sc, ty, depth + 1);
        unsigned places = rnd(3);
        bprintf(&b, "round%s", op("("));
        bputs(&b, x.text);
        bprintf(&b, "%s %u%s", op(","), places, op(")"));
        double lo = x.lo - 1, hi = x.hi + 1;
        char *pj = jnum((Hund)places * 100, false);
        char *js = jcat(5, "[\"call\",\"round\",", x.js, ",", pj, "]");
        free(pj);
        efree(x);
        return mk(&b, ty, lo, hi, false, js);
    }
    case 9: { /* count (a number) */
        if (ty != E_NUM)
            return leaf(sc, ty);
        int n = 1 + (int)rnd(3);
        Buf j = {0};
        bputs(&j, "[\"call\",\"count\"");
        bprintf(&b, "count%s", op("("));
        for (int i = 0; i < n; i++) {
            Expr c = cond_expr(sc, 2);
            if (i) {
                bputs(&b, op(","));
                maybe_break(&b);
                bputs(&b, " ");
            }
            bputs(&b, c.text);
            bputs(&j, ",");
            bputs(&j, c.js);
            efree(c);
        }
        bputs(&b, op(")"));
        bputs(&j, "]");
        return mk(&b, E_NUM, 0, n, false, bdone(&j));
    }
    default: { /* if */
        Expr c = cond_expr(sc, 2);
        Expr x = num_expr(sc, ty, depth + 1);
        Expr y = ty == E_PCT ? pct_operand(sc, depth + 1) : num_expr(sc, ty, depth + 1);
        bprintf(&b, "if%s", op("("));
        bputs(&b, c.text);
        bprintf(&b, "%s ", op(","));
        maybe_break(&b);
        bputs(&b, x.text);
        bprintf(&b, "%s ", op(","));
        bputs(&b, y.text);
        bputs(&b, op(")"));
        double lo = dmin(x.lo, y.lo), hi = dmax(x.hi, y.hi);
        char *js = jcat(7, "[\"call\",\"if\",", c.js, ",", x.js, ",", y.js, "]");
        efree(c);
        efree(x);
        efree(y);
        return mk(&b, ty, lo, hi, false, js);
    }
    }
}

/* Mostly the ordering comparisons of paper forms; == and != now and then. */
static const char *cmp_op(void)
{
    return PICK(">=", ">=", ">=", "<", "<", ">", "<=", "==", "!=");
}

/* ["cmp","OP",a,b] */
static char *jcmp(const char *o, const char *a, const char *b)
{
    char *t = jbin(o, a, b), *r = jcat(2, "[\"cmp\",", t + 1);
    free(t);
    return r;
}

/* One comparison or bool/text test. */
static Expr atom(const Scope *sc)
{
    Buf b = {0};
    if (chance(2)) { /* a bool literal as a whole condition: true -> 5 */
        bool v = rnd(2);
        bputs(&b, kw(v ? "true" : "false"));
        return mk(&b, E_BOOL, 0, 0, false, jcat(1, v ? "[\"bool\",true]" : "[\"bool\",false]"));
    }
    unsigned r = rnd(10);
    int bf = any_fact(T_BOOL), tf = any_fact(T_TEXT);
    if (sc->facts && r == 0 && bf >= 0) {
        char *fj = jleaf("fact", M.f[bf].name), *js;
        if (rnd(2)) {
            put_fact(&b, &M.f[bf]);
            js = fj;
        } else {
            put_fact(&b, &M.f[bf]);
            const char *o = rnd(2) ? "==" : "!=";
            bool v = rnd(2);
            bprintf(&b, " %s %s", op(o), kw(v ? "true" : "false"));
            js = jcmp(o, fj, v ? "[\"bool\",true]" : "[\"bool\",false]");
            free(fj);
        }
        return mk(&b, E_BOOL, 0, 0, false, js);
    }
    if (sc->facts && r == 1 && tf >= 0 && tf != M.id_fact) {
        put_fact(&b, &M.f[tf]);
        const char *o = rnd(2) ? "==" : "!=";
        bprintf(&b, " %s ", op(o));
        const char *w = M.f[tf].words[rnd(4)];
        put_str(&b, w);
        char *fj = jleaf("fact", M.f[tf].name), *wj = jleaf("str", w);
        char *js = jcmp(o, fj, wj);
        free(fj);
        free(wj);
        return mk(&b, E_BOOL, 0, 0, false, js);
    }
    if (sc->grade && r == 2 && M.ngrades) {
        const char *o = rnd(2) ? "==" : "!=";
        bprintf(&b, "%s %s ", kw("grade"), op(o));
        const char *g = M.grades[rnd((unsigned)M.ngrades)];
        put_str(&b, g);
        char *gj = jleaf("str", g), *js = jcmp(o, "[\"grade\"]", gj);
        free(gj);
        return mk(&b, E_BOOL, 0, 0, false, js);
    }
    if (sc->facts && r == 4) { /* any numeric fact, one-sided ranges too, against a literal */
        int c[MAXF], n = 0;
        for (int i = 0; i < M.nf; i++)
            if (M.f[i].type == T_NUM || M.f[i].type == T_INT || M.f[i].type == T_PCT)
                c[n++] = i;
        if (n) {
            const Fact *f = &M.f[c[rnd((unsigned)n)]];
            put_fact(&b, f);
            const char *o = cmp_op();
            bprintf(&b, " %s ", op(o));
            Hund v = rand_lit(f->has_lo ? f->lo - 200 : -1000, f->has_hi ? f->hi + 200 : 10000);
            bool p = f->type == T_PCT && rnd(2);
            if (p)
                put_pct(&b, v);
            else
                put_num(&b, v);
            char *fj = jleaf("fact", f->name), *vj = jnum(v, p), *js = jcmp(o, fj, vj);
            free(fj);
            free(vj);
            return mk(&b, E_BOOL, 0, 0, false, js);
        }
    }
    if (r == 3) { /* a chain: lo <= x < hi */
        int ty = chance(30) ? E_PCT : E_NUM;
        Expr x = leaf(sc, ty);
        double l = dmax(x.lo, 0), h = dmin(x.hi, 200);
        Hund a = rand_lit((Hund)(l * 100), (Hund)(h * 100)), c = rand_lit(a, (Hund)(h * 100) + 100);
        const char *o1, *o2;
        Hund v1, v2;
        if (rnd(2)) {
            o1 = PICK("<", "<=");
            o2 = PICK("<", "<=");
            v1 = a, v2 = c;
        } else {
            o1 = PICK(">", ">=");
            o2 = PICK(">", ">=");
            v1 = c, v2 = a;
        }
        put_num(&b, v1);
        bprintf(&b, " %s ", op(o1));
        bputs(&b, x.text);
        bprintf(&b, " %s ", op(o2));
        /* now and then three comparisons: 0 <= 完成率 <= 回款率 < 150 */
        bool three = chance(20);
        Expr y = three ? leaf(sc, ty) : (Expr){0};
        const char *o3 = o2[0] == '<' ? PICK("<", "<=") : PICK(">", ">=");
        if (three) {
            bputs(&b, y.text);
            bprintf(&b, " %s ", op(o3));
        }
        put_num(&b, v2);
        char *j1 = jnum(v1, false), *j2 = jnum(v2, false);
        Buf j = {0};
        bputs(&j, "[\"chain\",");
        bputs(&j, j1);
        bputs(&j, ",");
        jq(&j, o1);
        bputs(&j, ",");
        bputs(&j, x.js);
        bputs(&j, ",");
        jq(&j, o2);
        bputs(&j, ",");
        if (three) {
            bputs(&j, y.js);
            bputs(&j, ",");
            jq(&j, o3);
            bputs(&j, ",");
            efree(y);
        }
        bputs(&j, j2);
        bputs(&j, "]");
        free(j1);
        free(j2);
        efree(x);
        return mk(&b, E_BOOL, 0, 0, false, bdone(&j));
    }
    int ty = chance(30) ? E_PCT : E_NUM;
    Expr x = r < 8 ? leaf(sc, ty) : num_expr(sc, ty, 2);
    Expr y;
    if (chance(70) || x.lit) {
        double l = dmax(x.lo, -10), h = dmin(x.hi, 200);
        Buf lb = {0};
        Hund v = rand_lit((Hund)(l * 100), (Hund)(h * 100));
        bool p = x.ty == E_PCT && rnd(2);
        if (p)
            put_pct(&lb, v);
        else
            put_num(&lb, v);
        y = mk(&lb, x.ty, 0, 0, true, jnum(v, p));
    } else {
        y = leaf(sc, ty);
    }
    if (x.lit && y.lit) { /* two literals: compare a fact or a literal with itself instead */
        efree(y);
        y = leaf(sc, ty);
    }
    const char *o = cmp_op();
    char *js;
    if (rnd(4) == 0) {
        bprintf(&b, "%s %s", y.text, op(o));
        maybe_break(&b);
        bputs(&b, " ");
        bputs(&b, x.text);
        js = jcmp(o, y.js, x.js);
    } else {
        bprintf(&b, "%s %s ", x.text, op(o));
        bputs(&b, y.text);
        js = jcmp(o, x.js, y.js);
    }
    efree(x);
    efree(y);
    return mk(&b, E_BOOL, 0, 0, false, js);
}

static Expr cond_expr(const Scope *sc, int depth)
{
    if (depth > 2 || chance(depth ? 60 : 70))
        return atom(sc);
    Buf b = {0};
    unsigned r = rnd(10);
    if (r < 2) {
        Expr x = cond_expr(sc, depth + 1);
        bprintf(&b, "%s", kw("not"));
        maybe_break(&b); /* a line ending in `not` goes on */
        bputs(&b, " ");
        if (chance(60) || strchr(x.text, ' '))
            x = paren(x);
        bputs(&b, x.text);
        char *js = jcat(3, "[\"not\",", x.js, "]");
        efree(x);
        return mk(&b, E_BOOL, 0, 0, false, js);
    }
    bool and = r < 6;
    Expr x = cond_expr(sc, depth + 1), y = cond_expr(sc, depth + 1);
    /* parentheses around everything compound keep the reading unambiguous */
    if (strstr(x.text, " ") && chance(70))
        x = paren(x);
    if (strstr(y.text, " ") && chance(70))
        y = paren(y);
    /* `or` binds looser than `and`: without these the text would not say
       what the model says */
    if (and && x.bare_or)
        x = paren(x);
    if (and && y.bare_or)
        y = paren(y);
    bputs(&b, x.text);
    bprintf(&b, " %s", kw(and? "and" : "or"));
    maybe_break(&b);
    bputs(&b, " ");
    bputs(&b, y.text);
    char *js = jbin(and? "and" : "or", x.js, y.js);
    efree(x);
    efree(y);
    Expr e = mk(&b, E_BOOL, 0, 0, false, js);
    e.bare_or = !and;
    return e;
}

/* ---- printing statements ---- */

static Buf out;
static int indent;

static void nl(void)
{
    if (chance(15))
        bputs(&out, PICK("  # 备注", " # note", "\t＃ 说明：见附件", " # TODO 核对"));
    bputs(&out, "\n");
    if (chance(8))
        bputs(&out, "\n");
    if (chance(5))
        bprintf(&out, "%*s# %s\n", indent * 4, "",
                PICK("注释", "comment", "以下为考核项", "按月考核"));
}

static void ind(void)
{
    int n = indent * 4;
    if (chance(10))
        n += (int)rnd(3) - 1;
    if (n < 0)
        n = 0;
    if (chance(5)) {
        for (int i = 0; i < indent; i++)
            bputs(&out, "\t");
        return;
    }
    bprintf(&out, "%*s", n, "");
}

/* Statements in a block: newline-separated, sometimes `;` on one line. */
static void sep(void)
{
    if (chance(12)) {
        bprintf(&out, "%s ", op(";"));
    } else {
        nl();
        ind();
    }
}

static const char *const fact_pool[] = {
    "完成率",   "满意度",   "出勤天数",     "投诉次数", "销售额", "回款率",  "工作质量得分",
    "响应时长", "培训时数", "work_quality", "sales_a",  "准时率", "客户数",  "差错率",
    "考勤2",    "业绩分",   "态度分",       "协作分",   "创新分", "加班时数"};
static const char *const bool_pool[] = {"重大事故", "达标", "按时提交", "has_cert", "全勤", "违纪"};
static const char *const text_pool[] = {"部门", "岗位", "职级", "city"};
static const char *const item_pool[] = {"工作质量", "工作效率", "工作态度", "团队合作", "创新能力",
                                        "学习能力", "客户管理", "流程建设", "投诉处理", "回访",
                                        "quality",  "speed",    "出勤",     "安全",     "服务规范",
                                        /* keywords as names: backquoted, or contextual */
                                        "得分", "满分", "基础分", "封顶", "保底"};
/* the keyword-like names now and then */
#define ITEM_POOL_N() (chance(8) ? 20u : 15u)
static const char *const sec_pool[] = {"业绩考核", "行为考核", "能力",    "客服管理",
                                       "基础",     "KPI",      "综合素质"};
static const char *const grp_pool[] = {"客户类", "流程类", "日常", "专项", "group_a"};

static void gen_fact(Fact *f, int type)
{
    memset(f, 0, sizeof *f);
    f->type = type;
    if (type == T_BOOL)
        fresh_name(f->name, bool_pool, sizeof bool_pool / sizeof *bool_pool);
    else if (type == T_TEXT)
        fresh_name(f->name, text_pool, sizeof text_pool / sizeof *text_pool);
    else if (chance(5)) {
        snprintf(f->name, sizeof f->name, "%d小时响应率", (int)(2 + rnd(20)));
        if (name_used(f->name))
            fresh_name(f->name, fact_pool, sizeof fact_pool / sizeof *fact_pool);
        else {
            snprintf(M.used[M.nused++], 96, "%s", f->name);
            f->quoted = true;
        }
    } else
        fresh_name(f->name, fact_pool, sizeof fact_pool / sizeof *fact_pool);
    if (type == T_NUM || type == T_INT || type == T_PCT) {
        f->has_lo = f->has_hi = true;
        if (type == T_INT) {
            f->lo = (Hund)rnd(3) * 100;
            f->hi = f->lo + (Hund)(1 + rnd(30)) * 100;
        } else if (type == T_PCT) {
            f->lo = 0;
            f->hi = PICK("100", "120", "150")[1] == '0' ? 10000 : rnd(2) ? 12000 : 15000;
        } else {
            f->lo = chance(20) ? -(Hund)rnd(10) * 100 : 0;
            f->hi = (Hund)(10 + rnd(10) * 10) * 100 + (chance(10) ? 50 : 0);
        }
        if (chance(12)) /* a one-sided fact, used in conditions only */
            (rnd(2) ? (f->has_lo = false) : (f->has_hi = false));
    }
    if (type == T_TEXT)
        for (int i = 0; i < 4; i++)
            snprintf(f->words[i], sizeof f->words[i], "%s",
                     PICK("销售部", "客服部", "技术", "A级", "北京", "shanghai", "一线", "总部"));
}

static void print_fact(const Fact *f)
{
    static const char *const tn[] = {"number", "integer", "percent", "bool", "text"};
    char a[96], c[96];
    bprintf(&out, "%s ", kw("fact"));
    put_fact(&out, f);
    bprintf(&out, "%s %s", op(":"), kw(tn[f->type]));
    bool pct = f->type == T_PCT && chance(30);
    if (f->has_lo && f->has_hi)
        bprintf(&out, " %s%s%s%s%s", num(a, f->lo, true), pct ? op("%") : "", op(".."),
                num(c, f->hi, true), pct ? op("%") : "");
    else if (f->has_lo)
        bprintf(&out, " %s %s", op(">="), num(a, f->lo, true));
    else if (f->has_hi)
        bprintf(&out, " %s %s", op("<="), num(a, f->hi, true));
    if (f->has_def) {
        bprintf(&out, " %s ", op("="));
        switch (f->type) {
        case T_BOOL:
            bputs(&out, kw("false"));
            break;
        case T_TEXT:
            put_str(&out, f->words[0]);
            break;
        default: {
            Hund v = f->has_lo ? f->lo : f->hi;
            if (v < 0) {
                put_num(&out, v);
            } else {
                put_num(&out, v);
                if (f->type == T_PCT && rnd(2))
                    bputs(&out, op("%"));
            }
        }
        }
    }
    if (chance(40)) {
        bputs(&out, " ");
        put_str(&out,
                PICK("工作完成情况和质量", "按月统计", "由上级评定", "单位：次", "data from CRM"));
    }
}

/* A fact value valid for f, as a test line or CSV cell writes it; mv (if
   not NULL) gets it as the model writes it (true/false, the text, the
   number in plain digits, a percent in percent units). */
static void fact_value(Buf *b, const Fact *f, bool csv, char *mv)
{
    char t[96];
    switch (f->type) {
    case T_BOOL: {
        bool v = rnd(2);
        bputs(b,
              csv ? PICK("是", "否", "true", "FALSE", "yes", "no") : kw(v ? "true" : "false"));
        if (mv)
            snprintf(mv, 96, "%s", v ? "true" : "false");
        return;
    }
    case T_TEXT: {
        const char *w = f->words[rnd(4)];
        if (mv)
            snprintf(mv, 96, "%s", w);
        if (csv)
            bputs(b, w);
        else if (rnd(2))
            put_str(b, w);
        else
            bputs(b, w);
        return;
    }
    default: {
        Hund lo = f->has_lo ? f->lo : (f->has_hi ? f->hi - 5000 : 0);
        Hund hi = f->has_hi ? f->hi : lo + 10000;
        Hund v = f->type == T_INT ? lo + (Hund)rnd((unsigned)((hi - lo) / 100 + 1)) * 100
                                  : rand_lit(lo, hi);
        if (f->big) /* anywhere in 0..2×10^10 in steps of 0.5 (rand_lit's span is 32 bits) */
            v = (Hund)rnd(40001) * 50000000 + (Hund)rnd(1000000) * 50, v = v > hi ? hi : v;
        if (chance(15))
            v = rnd(2) ? lo : hi; /* the range's ends */
        bool sign = f->type == T_PCT && (csv ? rnd(2) : rnd(3) == 0);
        if (csv && f->type == T_PCT && rnd(200) == 0) { /* 0.5% or 50%? an error (Edition 2) */
            v = rnd(2) ? 100 : 50;
            sign = false;
        } else if (f->type == T_PCT && !sign && v > 0 && v <= 100) {
            v = 200; /* in a test block the bare value is a check error */
        }
        if (f->type == T_INT && v % 100)
            v -= v % 100;
        if (mv) {
            num(mv, v, false);
            if (sign)
                strcat(mv, "%");
        }
        if (csv) {
            /* spellings an export gives: 3.0, 1.50, 05 */
            num(t, v, false);
            if (chance(4))
                strcat(t, strchr(t, '.') ? "0" : PICK(".0", ".00"));
            if (chance(2) && t[0] >= '1' && t[0] <= '9')
                bputs(b, "0");
            bputs(b, t);
        } else {
            put_num(b, v);
        }
        if (sign)
            bputs(b, csv ? "%" : op("%"));
    }
    }
}

/* ---- items, groups, sections ---- */

typedef struct {
    char name[96];
    double full; /* an upper bound of its full score (0 when unknown) */
    char *js;    /* the node in the model */
} Kid;

/* The results of an item's rules: literals mostly, sometimes expressions. */
static Expr result_expr(const Scope *sc, bool *has_pos)
{
    if (chance(75)) {
        Buf b = {0};
        Hund v = rand_lit(0, 3000);
        bool p = chance(10);
        if (p) {
            put_pct(&b, v); /* a percent result counts its points */
        } else {
            put_num(&b, v);
        }
        if (v > 0)
            *has_pos = true;
        return mk(&b, E_NUM, v / 100.0, v / 100.0, true, jnum(v, p));
    }
    Expr e = num_expr(sc, chance(25) ? E_PCT : E_NUM, 1);
    return e;
}

/* [COND,RESULT] of a rule (COND null for else) onto a model list */
static void jrule(Buf *j, const char *cond, const char *result)
{
    if (j->n && j->s[j->n - 1] != '[')
        bputs(j, ",");
    bputs(j, "[");
    bputs(j, cond ? cond : "null");
    bputs(j, ",");
    bputs(j, result);
    bputs(j, "]");
}

/* An item; weighted: it gets `weight W%` (W in hundredths of a percent). */
static Kid gen_item(Hund weight, bool weighted)
{
    Kid k;
    fresh_name(k.name, item_pool, ITEM_POOL_N());
    add_node(k.name);
    Scope sc = {.facts = true};
    Buf body = {0}, js = {0};
    double hi = -1e18, lo = 1e18;
    bool has_pos = false, one_line = chance(30);
    /* now and then a rule list without else, or a max below what the rules
       can give: `check` warns ([gap], [over-max]) and some employees are
       errors, which the oracle must predict */
    bool no_else = chance(4), low_max = chance(2);
    bputs(&js, "{\"kind\":\"item\",\"name\":");
    jq(&js, k.name);
    if (chance(30)) {
        /* score EXPR */
        Expr e = num_expr(&sc, chance(25) ? E_PCT : E_NUM, 0);
        bprintf(&body, "%s ", kw("score"));
        bputs(&body, e.text);
        hi = e.hi, lo = e.lo;
        bputs(&js, ",\"score\":");
        bputs(&js, e.js);
        efree(e);
    } else if (chance(40) && bounded_fact(E_NUM) >= 0) {
        /* a threshold table, as on the paper forms: x >= c1 -> r1; x >= c2 -> r2 ... */
        int pct = chance(40) && bounded_fact(E_PCT) >= 0;
        const Fact *f = &M.f[bounded_fact(pct ? E_PCT : E_NUM)];
        int n = 1 + (int)rnd(4);
        Hund c = f->hi, r = (Hund)(5 + rnd(30)) * 100;
        bool down = rnd(2); /* >= from the top, or < from the bottom */
        Buf rules = {0};
        bputs(&rules, "[");
        if (!down)
            c = f->lo;
        for (int i = 0; i <= n; i++) {
            if (i == n && no_else)
                break;
            if (i) {
                if (one_line)
                    bprintf(&body, "%s ", op(";"));
                else
                    bprintf(&body, "\n%*s", (indent + 1) * 4, "");
            }
            char *cj = NULL;
            if (i == n) {
                bprintf(&body, "%s %s ", kw("else"), op("->"));
            } else {
                Hund span = f->hi - f->lo;
                c = down ? c - (span / (n + 1) / 50 + 1) * 50 : c + (span / (n + 1) / 50 + 1) * 50;
                put_fact(&body, f);
                const char *o = down ? PICK(">=", ">") : PICK("<", "<=");
                bprintf(&body, " %s ", op(o));
                bool p = pct && rnd(2);
                if (p)
                    put_pct(&body, c);
                else
                    put_num(&body, c);
                bprintf(&body, " %s ", op("->"));
                char *fj = jleaf("fact", f->name), *vj = jnum(c, p);
                cj = jcmp(o, fj, vj);
                free(fj);
                free(vj);
            }
            put_num(&body, r);
            char *rj = jnum(r, false);
            jrule(&rules, cj, rj);
            free(cj);
            free(rj);
            hi = dmax(hi, r / 100.0);
            lo = dmin(lo, r / 100.0);
            if (r > 0)
                has_pos = true;
            r = r > 500 ? r - 500 * (Hund)(1 + rnd(2)) : r;
        }
        bputs(&rules, "]");
        bputs(&js, ",\"rules\":");
        bputs(&js, rules.s);
        free(rules.s);
    } else {
        int n = 1 + (int)rnd(4);
        Buf rules = {0};
        bputs(&rules, "[");
        for (int i = 0; i <= n; i++) {
            if (i == n && no_else)
                break;
            Expr r = result_expr(&sc, &has_pos);
            if (i) {
                if (one_line)
                    bprintf(&body, "%s ", op(";"));
                else
                    bprintf(&body, "\n%*s", (indent + 1) * 4, "");
            }
            char *cj = NULL;
            if (i == n) {
                bprintf(&body, "%s %s", kw("else"), op("->"));
            } else {
                Expr c = cond_expr(&sc, 0);
                bputs(&body, c.text);
                bprintf(&body, " %s", op("->"));
                cj = c.js;
                free(c.text);
            }
            if (chance(5))
                bprintf(&body, "\n%*s", (indent + 2) * 4, "");
            bputs(&body, " ");
            bputs(&body, r.text);
            if (chance(15)) {
                bputs(&body, " ");
                put_str(&body, PICK("达标", "优", "未完成", "扣分", "满分档"));
            }
            jrule(&rules, cj, r.js);
            free(cj);
            hi = dmax(hi, r.hi);
            lo = dmin(lo, r.lo);
            efree(r);
        }
        bputs(&rules, "]");
        bputs(&js, ",\"rules\":");
        bputs(&js, rules.s);
        free(rules.s);
    }
    /* a full score the checker can use: declared when weighted (it must be
       above 0) or when the bound might not be positive */
    bool declare = weighted || !(lo > 0 || has_pos) || chance(30) || !isfinite(hi);
    double full = isfinite(hi) ? floor(hi) + 1 + rnd(5) : 20 + rnd(80);
    if (full < 1)
        full = 1 + rnd(5);
    if (form_numbers && weighted) /* out of 30, 15, 6 …: thirds that add up to halves */
        full = 3 * ceil(full / 3);
    if (low_max && hi >= 2 && isfinite(hi)) {
        declare = true;
        full = floor(hi / 2);
    }
    if (declare && !low_max && chance(10))
        full += 0.5; /* 满分 2.5: a weighted parent divides by it */
    bprintf(&out, "%s ", kw("item"));
    put_name(&out, k.name, false);
    /* now and then a floor or a cap on an ordinary item (Edition 2): the
       cap lowers its full score to min(full, H), a weighted parent scales
       by that; a score above a declared max stays an error after the cap */
    bool ifloor = chance(6), icap = chance(8);
    double top = declare ? full : dmax(hi, 0);
    Hund ifl = (Hund)floor(dmax(lo, 0) / 2) * 100, icp = (Hund)ceil(top * (50 + rnd(70)) / 100) * 100;
    if (icp < 100)
        icp = 100;
    if (ifl > icp)
        ifl = icp;
    if (ifloor) {
        bprintf(&out, " %s ", kw("floor"));
        put_num(&out, ifl);
    }
    char wbuf[96];
    int order = (int)rnd(3);
    for (int o = 0; o < 3; o++) {
        int which = (o + order) % 3;
        if (which == 1 && icap) {
            bprintf(&out, " %s ", kw("cap"));
            put_num(&out, icp);
        }
        if (which == 0 && weighted)
            bprintf(&out, " %s %s%s", kw("weight"), num(wbuf, weight, true), op("%"));
        if (which == 1 && declare)
            bprintf(&out, " %s %s", kw("max"), num(wbuf, (Hund)(full * 100), false));
        if (which == 2 && chance(25)) {
            bputs(&out, " ");
            put_str(&out,
                    PICK("建立CRM信息系统、培养客服管理制度", "按月统计", "上级评定", "见附表"));
        }
    }
    if (weighted)
        bprintf(&js, ",\"weight\":\"%s\"", num(wbuf, weight, false));
    if (declare)
        bprintf(&js, ",\"max\":\"%s\"", num(wbuf, (Hund)(full * 100), false));
    if (ifloor)
        bprintf(&js, ",\"floor\":\"%s\"", num(wbuf, ifl, false));
    if (icap)
        bprintf(&js, ",\"cap\":\"%s\"", num(wbuf, icp, false));
    bputs(&js, "}");
    k.js = bdone(&js);
    k.full = declare ? full : dmax(hi, 0);
    if (icap && icp / 100.0 < k.full)
        k.full = icp / 100.0;
    if (one_line) {
        bprintf(&out, " { ");
        bputs(&out, body.s);
        bputs(&out, " }");
    } else {
        bputs(&out, " {\n");
        indent++;
        ind();
        bputs(&out, body.s);
        indent--;
        nl();
        ind();
        bputs(&out, "}");
    }
    free(body.s);
    return k;
}

/* Up to n weights in hundredths of a percent, each at least 0.5%, that add
 * up to total (a multiple of 0.5%) exactly; returns how many. */
static int split(Hund total, int n, Hund *w)
{
    Hund units = total / 50;
    if (n > units)
        n = (int)units;
    Hund left = units;
    for (int i = 0; i < n; i++) {
        Hund most = left - (n - 1 - i); /* leave a unit for each part to come */
        Hund v = i == n - 1 ? left : 1 + (Hund)rnd((unsigned)most);
        if (i < n - 1 && chance(70)) /* mostly whole percents */
            v = v < 2 ? v : v - v % 2;
        w[i] = v * 50;
        left -= v;
    }
    return n;
}

static Kid gen_section(Hund weight, bool weighted, int depth);
static Kid gen_ded_section(Hund weight, bool weighted);

/* The children of a section or the rubric: kids gets what a score
   expression may name (a group's items in its place), js the model's list
   of the children as written (groups holding their items). */
static int g_size; /* the size asked for (gen SEED N) */
static bool g_big; /* this seed adds the 大额 facts and output (decided by the seed alone) */

static void gen_children(bool weighted, int depth, Kid *kids, int *nkids, Buf *js)
{
    int n = 1 + (int)rnd(depth ? 3 : 4);
    if (depth == 0 && g_size > 3) /* a long form: up to a dozen top-level children */
        n += (int)rnd((unsigned)g_size);
    if (n > 12)
        n = 12;
    if (form_numbers && weighted && n < 3)
        n += 2; /* three terms rounded the same way make a whole unit */
    Hund w[16];
    n = split(10000, n, w);
    *nkids = 0;
    bputs(js, "[");
    for (int i = 0; i < n; i++) {
        if (i) {
            sep();
            bputs(js, ",");
        }
        unsigned r = rnd(10);
        if (depth < 2 && r < 3) {
            Kid s = chance(35) ? gen_ded_section(w[i], weighted)
                               : gen_section(w[i], weighted, depth + 1);
            bputs(js, s.js);
            if (*nkids < 16)
                kids[(*nkids)++] = s;
            else
                free(s.js);
        } else if (r < 5) {
            /* a group: its items are children of this section */
            char gname[96];
            fresh_name(gname, grp_pool, sizeof grp_pool / sizeof *grp_pool);
            add_node(gname);
            int m = 1 + (int)rnd(3);
            Hund gw[4];
            m = split(w[i], m, gw);
            bprintf(&out, "%s ", kw("group"));
            put_name(&out, gname, false);
            bputs(js, "{\"kind\":\"group\",\"name\":");
            jq(js, gname);
            bputs(js, ",\"items\":[");
            if (weighted && chance(70)) {
                char t[96];
                bprintf(&out, " %s %s%s", kw("weight"), num(t, w[i], true), op("%"));
            }
            if (chance(20)) {
                bputs(&out, " ");
                put_str(&out, "客户管理类指标");
            }
            bputs(&out, " {\n");
            indent++;
            ind();
            for (int j = 0; j < m; j++) {
                if (j) {
                    sep();
                    bputs(js, ",");
                }
                Kid it = gen_item(gw[j], weighted);
                bputs(js, it.js);
                if (*nkids < 16)
                    kids[(*nkids)++] = it;
                else
                    free(it.js);
            }
            bputs(js, "]}");
            indent--;
            nl();
            ind();
            bputs(&out, "}");
        } else {
            Kid it = gen_item(w[i], weighted);
            bputs(js, it.js);
            if (*nkids < 16)
                kids[(*nkids)++] = it;
            else
                free(it.js);
        }
    }
    bputs(js, "]");
}

/* A `score` expression over children, or a veto, for a section or the
   rubric; their models go onto js as `,"score":…` and `,"vetoes":[…]`. */
static void gen_overrides(const Kid *kids, int nkids, bool allow_score, Buf *js)
{
    const char *names[16];
    double his[16];
    for (int i = 0; i < nkids; i++)
        names[i] = kids[i].name, his[i] = kids[i].full;
    if (allow_score && nkids >= 1) {
        /* sum, avg, max of the children (above 0 whenever they are); the
           seed's `业绩 * 80% + 行为 * 20%`; a sum divided, or rounded: exact
           above an item (Edition 2) */
        const char *fn = PICK("sum", "avg", "max", "wsum", "div", "round", "bonus");
        int bf = bounded_fact(E_NUM);
        if (!strcmp(fn, "bonus") && bf >= 0) {
            /* a section's score reads facts too: sum(children) + 加分 (or - 扣分) */
            bool plus = chance(70);
            sep();
            bprintf(&out, "%s sum%s", kw("score"), op("("));
            Buf j = {0};
            bputs(&j, "[\"call\",\"sum\"");
            for (int i = 0; i < nkids; i++) {
                if (i)
                    bprintf(&out, "%s ", op(","));
                put_name(&out, names[i], false);
                char *nj = jleaf("node", names[i]);
                bputs(&j, ",");
                bputs(&j, nj);
                free(nj);
            }
            bprintf(&out, "%s %s ", op(")"), op(plus ? "+" : "-"));
            put_fact(&out, &M.f[bf]);
            bputs(&j, "]");
            char *fj = jleaf("fact", M.f[bf].name), *e = jbin(plus ? "+" : "-", j.s, fj);
            bputs(js, ",\"score\":");
            bputs(js, e);
            free(e);
            free(fj);
            free(j.s);
            goto veto;
        }
        if (!strcmp(fn, "bonus"))
            fn = "sum";
        if (!strcmp(fn, "wsum") && nkids <= 8) {
            Hund w[16];
            int n = split(10000, nkids, w);
            sep();
            bprintf(&out, "%s ", kw("score"));
            Buf j = {0};
            for (int i = 0; i < n; i++) {
                char t[96];
                if (i)
                    bprintf(&out, " %s ", op("+"));
                put_name(&out, names[i], false);
                bprintf(&out, " %s %s%s", op("*"), num(t, w[i], true), op("%"));
                char *nj = jleaf("node", names[i]), *pj = jnum(w[i], true);
                char *term = jbin("*", nj, pj);
                free(nj);
                free(pj);
                if (i) {
                    char *both = jbin("+", j.s, term);
                    free(j.s);
                    j = (Buf){0};
                    bputs(&j, both);
                    free(both);
                } else {
                    bputs(&j, term);
                }
                free(term);
            }
            bputs(js, ",\"score\":");
            bputs(js, j.s);
            free(j.s);
            goto veto;
        }
        bool div = !strcmp(fn, "div"), rnd_ = !strcmp(fn, "round");
        if (div || rnd_ || !strcmp(fn, "wsum"))
            fn = div ? "sum" : "avg";
        sep();
        bprintf(&out, "%s ", kw("score"));
        bputs(js, ",\"score\":");
        size_t at = js->n; /* where the expression's model starts */
        if (rnd_) {
            bprintf(&out, "round%s", op("("));
            bputs(js, "[\"call\",\"round\",");
        }
        bprintf(&out, "%s%s", fn, op("("));
        bputs(js, "[\"call\",");
        jq(js, fn);
        for (int i = 0; i < nkids; i++) {
            if (i) {
                bputs(&out, op(","));
                if (chance(20))
                    bprintf(&out, "\n%*s", (indent + 2) * 4, "");
                bputs(&out, " ");
            }
            put_name(&out, names[i], false);
            bputs(js, ",[\"node\",");
            jq(js, names[i]);
            bputs(js, "]");
        }
        bputs(&out, op(")"));
        bputs(js, "]");
        if (div) {
            Hund k = PICK("2", "3", "6", "7")[0] - '0';
            bprintf(&out, " %s %lld", op("/"), k);
            /* ["/",[sum…],["num","k"]]: wrap the model written so far */
            char *sum = jcat(1, js->s + at);
            js->n = at;
            js->s[at] = 0;
            bputs(js, "[\"/\",");
            bputs(js, sum);
            bprintf(js, ",[\"num\",\"%lld\"]]", k);
            free(sum);
        }
        if (rnd_) {
            unsigned places = rnd(3);
            bprintf(&out, "%s %u%s", op(","), places, op(")"));
            bprintf(js, ",[\"num\",\"%u\"]]", places);
        }
    }
veto:
    if (chance(25)) {
        sep();
        Scope sc = {.facts = true, .kids = names, .kid_hi = his, .nkids = nkids};
        int bf = any_fact(T_BOOL);
        bprintf(&out, "%s ", kw("veto"));
        bool bare = bf >= 0 && chance(60);
        char *cj;
        Buf as_written = {0};
        if (bare) {
            put_fact(&as_written, &M.f[bf]); /* full-width letters stay in the reason */
            bputs(&out, bdone(&as_written));
            cj = jleaf("fact", M.f[bf].name);
        } else {
            Expr c = cond_expr(&sc, 1);
            bputs(&out, c.text);
            cj = c.js;
            free(c.text);
        }
        bputs(js, ",\"vetoes\":[{\"cond\":");
        bputs(js, cj);
        free(cj);
        bputs(js, ",\"reason\":");
        /* the reason: without one, the report shows the condition as laid
           out in the file, which fmt may change (see the report) */
        if (chance(60) || !bare) {
            const char *why = PICK("发生重大安全事故", "一票否决", "严重违纪");
            bputs(&out, " ");
            put_str(&out, why);
            jq(js, why);
        } else {
            jq(js, as_written.s); /* the condition as written: a bare name */
        }
        bputs(js, "}]");
        free(as_written.s);
    }
}


/* A deduction sheet (扣分制, Edition 2): a points section with `base B`,
   mostly `floor`, sometimes `cap`, whose items deduct over counts and
   amounts (`score -5 * 次数`, `score -扣分`, `按时 -> 0; else -> -5`) or add
   a bonus over an unbounded count (`score 3 * 挽回数`), absorbed by a cap
   (the section's or the item's own). Its own facts are declared inside.
   Now and then it is one `rubric check` must reject: a bonus nobody caps
   ([max] where a finite full score is needed), a floor above the cap
   ([clamp]); the oracle predicts which. */
static Fact *ded_fact(int type, bool unbounded)
{
    if (M.nf >= MAXF)
        return NULL;
    Fact *f = &M.f[M.nf++];
    gen_fact(f, type);
    if (type == T_INT) {
        f->lo = 0;
        f->has_lo = true;
        f->has_hi = !unbounded;
        f->hi = (Hund)(1 + rnd(10)) * 100;
    } else if (type == T_NUM) {
        f->lo = 0;
        f->has_lo = f->has_hi = true;
        f->hi = (Hund)(3 + rnd(13)) * 100;
    }
    f->per_rater = M.nraters && type != T_TEXT && chance(40);
    print_fact(f);
    sep();
    return f;
}

static Kid gen_ded_section(Hund weight, bool weighted)
{
    Kid k;
    Buf js = {0};
    fresh_name(k.name, sec_pool, sizeof sec_pool / sizeof *sec_pool);
    add_node(k.name);
    Hund base = (Hund)(2 + rnd(7)) * 500; /* 10 .. 40 */
    bool bad = chance(4); /* a rubric check rejects (mostly) */
    int how = (int)rnd(3);
    if (bad && how == 2) {
        /* base 0: made only of deductions, full score 0 — fine in points
           mode, a [max] error as a weighted child */
        base = 0;
        bad = false;
    }
    bool has_floor = chance(80), has_cap = chance(45);
    Hund fl = chance(75) ? 0 : -(Hund)(1 + rnd(4)) * 500;
    Hund cap = base + (Hund)rnd(3) * 500 - (chance(20) ? 500 : 0);
    if (bad && how == 0) { /* [clamp]: the floor above the cap */
        has_floor = has_cap = true;
        fl = cap + 500;
    }
    bprintf(&out, "%s ", kw("section"));
    put_name(&out, k.name, false);
    bputs(&js, "{\"kind\":\"section\",\"name\":");
    jq(&js, k.name);
    char t[96];
    int order = (int)rnd(4);
    for (int o = 0; o < 4; o++) {
        int which = (o + order) % 4;
        if (which == 0 && weighted)
            bprintf(&out, " %s %s%s", kw("weight"), num(t, weight, true), op("%"));
        if (which == 1)
            bprintf(&out, " %s %s", kw("base"), num(t, base, true));
        if (which == 2 && has_floor) {
            bprintf(&out, " %s ", kw("floor"));
            put_num(&out, fl);
        }
        if (which == 3 && has_cap) {
            bprintf(&out, " %s ", kw("cap"));
            put_num(&out, cap);
        }
    }
    if (weighted)
        bprintf(&js, ",\"weight\":\"%s\"", num(t, weight, false));
    bprintf(&js, ",\"base\":\"%s\"", num(t, base, false));
    if (has_floor)
        bprintf(&js, ",\"floor\":\"%s\"", num(t, fl, false));
    if (has_cap)
        bprintf(&js, ",\"cap\":\"%s\"", num(t, cap, false));
    if (chance(30)) {
        bputs(&out, " ");
        put_str(&out, PICK("核值30分，扣完为止", "加分不超过核值", "扣分制"));
    }
    bputs(&out, " {\n");
    indent++;
    ind();
    Kid kids[16];
    int nkids = 0;
    int n = 1 + (int)rnd(4);
    bool bonus_done = false;
    bputs(&js, ",\"kids\":[");
    for (int i = 0; i < n && M.nf < MAXF - 2; i++) {
        Kid *it = &kids[nkids++];
        fresh_name(it->name, item_pool, ITEM_POOL_N());
        add_node(it->name);
        Buf body = {0}, ij = {0};
        bputs(&ij, "{\"kind\":\"item\",\"name\":");
        jq(&ij, it->name);
        unsigned r = rnd(7);
        bool ifloor = false, icap = false;
        Hund ifl = -(Hund)(1 + rnd(6)) * 500, icp = (Hund)(1 + rnd(4)) * 500;
        it->full = 0;
        if (r == 5 && bonus_done)
            r = 2;
        if (r == 0) { /* 按时完成 -> 0; else -> -5 */
            Fact *f = ded_fact(T_BOOL, false);
            Hund d = (Hund)(1 + rnd(10)) * 100;
            put_fact(&body, f);
            bprintf(&body, " %s 0%s %s %s ", op("->"), op(";"), kw("else"), op("->"));
            put_num(&body, -d);
            char *fj = jleaf("fact", f->name), *dj = jnum(-d, false);
            bprintf(&ij, ",\"rules\":[[%s,[\"num\",\"0\"]],[null,%s]]", fj, dj);
            free(fj);
            free(dj);
        } else if (r == 1) { /* score -扣分 */
            Fact *f = ded_fact(T_NUM, false);
            bprintf(&body, "%s %s", kw("score"), op("-"));
            put_fact(&body, f);
            char *fj = jleaf("fact", f->name);
            bprintf(&ij, ",\"score\":[\"neg\",%s]", fj);
            free(fj);
        } else if (r == 2 || r == 3) { /* score -5 * 次数, or max(30 - 10 * 次数, 0) */
            Fact *f = ded_fact(T_INT, chance(70));
            Hund d = (Hund)(1 + rnd(10)) * 100;
            char *fj = jleaf("fact", f->name), *dj = jnum(d, false);
            if (r == 2) {
                bprintf(&body, "%s %s", kw("score"), op("-"));
                put_num(&body, d);
                bprintf(&body, " %s ", op("*"));
                put_fact(&body, f);
                bprintf(&ij, ",\"score\":[\"*\",[\"neg\",%s],%s]", dj, fj);
                ifloor = chance(25);
            } else {
                Hund top = (Hund)(1 + rnd(6)) * 500;
                char *tj = jnum(top, false);
                bprintf(&body, "%s max(", kw("score"));
                put_num(&body, top);
                bprintf(&body, " %s ", op("-"));
                put_num(&body, d);
                bprintf(&body, " %s ", op("*"));
                put_fact(&body, f);
                bprintf(&body, "%s 0)", op(","));
                bprintf(&ij, ",\"score\":[\"call\",\"max\",[\"-\",%s,[\"*\",%s,%s]],[\"num\",\"0\"]]",
                        tj, dj, fj);
                free(tj);
                it->full = top / 100.0;
                icap = chance(15);
            }
            free(fj);
            free(dj);
        } else if (r == 4) { /* a rule list giving negative results */
            Fact *f = ded_fact(T_INT, false);
            Hund c = f->hi / 2 - f->hi / 2 % 100;
            bprintf(&body, "%s %s ", kw("score"), op("-"));
            bprintf(&body, "if(");
            put_fact(&body, f);
            bprintf(&body, " %s ", op(">"));
            put_num(&body, c);
            bprintf(&body, "%s 5%s 2)", op(","), op(","));
            char *fj = jleaf("fact", f->name), *cj = jnum(c, false);
            bprintf(&ij, ",\"score\":[\"neg\",[\"call\",\"if\",[\"cmp\",\">\",%s,%s],[\"num\",\"5\"],[\"num\",\"2\"]]]",
                    fj, cj);
            free(fj);
            free(cj);
        } else if (r == 6) {
            /* the extended reals: min(0, -D / 次数) divides by an interval
               holding 0, so (-inf, +inf) before the min (full score 0; 次数 = 0
               is a division by zero for that employee); -D * 次数 + 0 * 挽回
               has 0 * inf = 0 (full score 0) */
            Fact *f = ded_fact(T_INT, chance(50));
            Hund d = (Hund)(1 + rnd(10)) * 100;
            char *fj = jleaf("fact", f->name), *dj = jnum(d, false);
            if (rnd(2)) {
                bprintf(&body, "%s min(0%s %s", kw("score"), op(","), op("-"));
                put_num(&body, d);
                bprintf(&body, " %s ", op("/"));
                put_fact(&body, f);
                bputs(&body, ")");
                bprintf(&ij, ",\"score\":[\"call\",\"min\",[\"num\",\"0\"],[\"/\",[\"neg\",%s],%s]]",
                        dj, fj);
            } else {
                Fact *g = ded_fact(T_INT, true);
                char *gj = jleaf("fact", g->name);
                bprintf(&body, "%s %s", kw("score"), op("-"));
                put_num(&body, d);
                bprintf(&body, " %s ", op("*"));
                put_fact(&body, f);
                bprintf(&body, " %s 0 %s ", op("+"), op("*"));
                put_fact(&body, g);
                bprintf(&ij, ",\"score\":[\"+\",[\"*\",[\"neg\",%s],%s],[\"*\",[\"num\",\"0\"],%s]]",
                        dj, fj, gj);
                free(gj);
            }
            free(fj);
            free(dj);
        } else { /* a bonus over an unbounded count */
            Fact *f = ded_fact(T_INT, true);
            Hund d = (Hund)(1 + rnd(5)) * 100;
            bprintf(&body, "%s ", kw("score"));
            put_num(&body, d);
            bprintf(&body, " %s ", op("*"));
            put_fact(&body, f);
            char *fj = jleaf("fact", f->name), *dj = jnum(d, false);
            bprintf(&ij, ",\"score\":[\"*\",%s,%s]", dj, fj);
            free(fj);
            free(dj);
            icap = !has_cap || chance(30);
            if (bad && !has_cap)
                icap = false; /* [max]: nothing caps it */
            bonus_done = true;
            it->full = icap ? icp / 100.0 : 0;
        }
        if (!bad && ifloor && fl < 0 && chance(50))
            ifloor = false;
        bprintf(&out, "%s ", kw("item"));
        put_name(&out, it->name, false);
        if (ifloor) {
            bprintf(&out, " %s ", kw("floor"));
            put_num(&out, ifl);
            bprintf(&ij, ",\"floor\":\"%s\"", num(t, ifl, false));
        }
        if (icap) {
            bprintf(&out, " %s ", kw("cap"));
            put_num(&out, icp);
            bprintf(&ij, ",\"cap\":\"%s\"", num(t, icp, false));
        }
        if (chance(20)) {
            bputs(&out, " ");
            put_str(&out, PICK("扣5分", "扣1-3分/次（考核人定）", "加3分/个"));
        }
        bprintf(&out, " { %s }", body.s);
        free(body.s);
        bputs(&ij, "}");
        it->js = bdone(&ij);
        if (i)
            bputs(&js, ",");
        bputs(&js, it->js);
        sep();
    }
    bputs(&js, "]");
    gen_overrides(kids, nkids, false, &js);
    bputs(&js, "}");
    indent--;
    nl();
    ind();
    bputs(&out, "}");
    double sum = base / 100.0;
    for (int i = 0; i < nkids; i++) {
        sum += kids[i].full;
        free(kids[i].js);
    }
    k.full = has_cap && cap / 100.0 < sum ? cap / 100.0 : sum;
    k.js = bdone(&js);
    return k;
}

static Kid gen_section(Hund weight, bool weighted, int depth)
{
    Kid k;
    Buf js = {0};
    fresh_name(k.name, sec_pool, sizeof sec_pool / sizeof *sec_pool);
    add_node(k.name);
    /* a section with its own score expression keeps its children in points
       mode; otherwise its children are weighted or not */
    bool own_score = chance(20);
    bool inner_weighted = !own_score && rnd(2);
    bool declare_max = inner_weighted && chance(30);
    int maxv = 10 * (1 + (int)rnd(10));
    bprintf(&out, "%s ", kw("section"));
    put_name(&out, k.name, false);
    bputs(&js, "{\"kind\":\"section\",\"name\":");
    jq(&js, k.name);
    if (weighted) {
        char t[96];
        bprintf(&out, " %s %s%s", kw("weight"), num(t, weight, true), op("%"));
        bprintf(&js, ",\"weight\":\"%s\"", num(t, weight, false));
    }
    if (declare_max) {
        bprintf(&out, " %s %d", kw("max"), maxv);
        bprintf(&js, ",\"max\":\"%d\"", maxv);
    }
    /* a cap or floor on an ordinary section: a weighted one scales its
       children by its max before the cap, its own full score min(F, H) */
    bool scap = chance(10), sfloor = chance(6);
    int F = declare_max ? maxv : 100, scapv = F * (50 + (int)rnd(60)) / 100;
    if (scapv < 1)
        scapv = 1;
    if (scap) {
        bprintf(&out, " %s %d", kw("cap"), scapv);
        bprintf(&js, ",\"cap\":\"%d\"", scapv);
    }
    if (sfloor) {
        int fl = inner_weighted ? (int)rnd(3) * 5 : 0;
        bprintf(&out, " %s %d", kw("floor"), fl);
        bprintf(&js, ",\"floor\":\"%d\"", fl);
    }
    if (chance(20)) {
        bputs(&out, " ");
        put_str(&out, PICK("业绩部分", "行为部分", "能力素质"));
    }
    /* a points section may declare its max, which must equal the sum of its
       children's full scores (after its cap): written here once the children
       are known, so it is now and then wrong and `check` says [max] */
    bool pts_max = !inner_weighted && !own_score && chance(20);
    size_t max_at = out.n;
    bputs(&out, " {\n");
    indent++;
    ind();
    if (chance(15)) { /* a fact declared in a section */
        if (M.nf < MAXF) {
            Fact *f = &M.f[M.nf++];
            gen_fact(f, T_NUM);
            f->has_lo = f->has_hi = true;
            print_fact(f);
            sep();
        }
    }
    Kid kids[16];
    int nkids;
    bputs(&js, ",\"kids\":");
    gen_children(inner_weighted, depth, kids, &nkids, &js);
    /* only direct items and sections may be named by the score expression */
    gen_overrides(kids, nkids, own_score, &js);
    double sum = 0, best = 0;
    for (int i = 0; i < nkids; i++) {
        sum += kids[i].full, best = dmax(best, kids[i].full);
        free(kids[i].js);
    }
    if (pts_max && isfinite(sum)) {
        char t[96], opt[160];
        num(t, (Hund)llround(dmin(sum, scap ? scapv : sum) * 100), false);
        snprintf(opt, sizeof opt, " %s %s", kw("max"), t);
        size_t l = strlen(opt);
        bputs(&out, opt); /* room, then move the text after the header */
        memmove(out.s + max_at + l, out.s + max_at, out.n - l - max_at);
        memcpy(out.s + max_at, opt, l);
        bprintf(&js, ",\"max\":\"%s\"", t);
    }
    bputs(&js, "}");
    indent--;
    nl();
    ind();
    bputs(&out, "}");
    k.full = declare_max ? maxv : inner_weighted ? 100 : sum;
    if (scap && scapv < k.full)
        k.full = scapv;
    k.js = bdone(&js);
    return k;
}

/* ---- the whole rubric ---- */

static Buf model; /* the rubric's model, JSON (gen_rubric) */

/* The facts of the model: [{"name","type","lo","hi","default"}…] */
static void model_facts(Buf *j)
{
    static const char *const tn[] = {"number", "integer", "percent", "bool", "text"};
    char t[96];
    bputs(j, "[");
    for (int i = 0; i < M.nf; i++) {
        const Fact *f = &M.f[i];
        bputs(j, i ? ",{\"name\":" : "{\"name\":");
        jq(j, f->name);
        bprintf(j, ",\"type\":\"%s\"", tn[f->type]);
        if (f->type != T_BOOL && f->type != T_TEXT) {
            if (f->has_lo)
                bprintf(j, ",\"lo\":\"%s\"", num(t, f->lo, false));
            if (f->has_hi)
                bprintf(j, ",\"hi\":\"%s\"", num(t, f->hi, false));
        }
        if (f->has_def) { /* as print_fact writes it */
            bputs(j, ",\"default\":");
            if (f->type == T_BOOL)
                bputs(j, "\"false\"");
            else if (f->type == T_TEXT)
                jq(j, f->words[0]);
            else
                jq(j, num(t, f->has_lo ? f->lo : f->hi, false));
        }
        bputs(j, "}");
    }
    bputs(j, "]");
}

/* The finished text as other editors leave it: now and then a UTF-8 BOM,
   CRLF line breaks, and Unicode spaces (U+3000, U+00A0, U+2002) for some
   ASCII spaces outside strings, backquotes and comments. */
static void surface(Buf *b)
{
    bool bom = chance(5), crlf = chance(10);
    int wide = fw_bias ? (int)rnd(15) : 0;
    Buf o = {0};
    if (bom)
        bputs(&o, "\xef\xbb\xbf");
    const char *close = NULL; /* the closing quote we are inside, or "\n" in a comment */
    for (const char *p = b->s; *p; p++) {
        char one[2] = {*p, 0};
        if (close) {
            if (!strncmp(p, close, strlen(close))) {
                bputs(&o, close[0] == '\n' && crlf ? "\r\n" : close);
                p += strlen(close) - 1;
                close = NULL;
                continue;
            }
            bputs(&o, one);
            continue;
        }
        static const char *const opens[][2] = {{"\"", "\""}, {"“", "”"}, {"「", "」"}, {"`", "`"},
                                               {"#", "\n"},   {"＃", "\n"}};
        bool opened = false;
        for (size_t i = 0; i < sizeof opens / sizeof opens[0]; i++)
            if (!strncmp(p, opens[i][0], strlen(opens[i][0]))) {
                bputs(&o, opens[i][0]);
                p += strlen(opens[i][0]) - 1;
                close = opens[i][1];
                opened = true;
                break;
            }
        if (opened)
            continue;
        if (*p == '\n' && crlf)
            bputs(&o, "\r\n");
        else if (*p == ' ' && chance((unsigned)wide))
            bputs(&o, PICK("\u3000", "\u00a0", "\u2002"));
        else
            bputs(&o, one);
    }
    free(b->s);
    *b = o;
}

static void gen_rubric(int size)
{
    zh_bias = (int)rnd(4) * 30; /* 0, 30, 60 or 90 percent Chinese keywords */
    fw_bias = chance(50) ? 0 : (int)rnd(40);
    brk_bias = chance(50) ? 0 : (int)rnd(25);
    M.id_fact = -1;
    Buf *mj = &model;
    bputs(mj, "{");

    if (chance(30))
        bputs(&out, "# 月度绩效考核评分表 (generated)\n");
    bprintf(&out, "%s ", kw("rubric"));
    if (rnd(2))
        put_str(&out, PICK("月度绩效考核评分表", "客户考核评分表(月度)", "售后服务岗评分标准"));
    else
        bputs(&out, PICK("月度考核", "Rubric", "评分标准2026"));
    bputs(&out, " {\n");
    indent = 1;
    ind();

    /* facts */
    if (chance(85)) {
        Fact *f = &M.f[M.nf++];
        gen_fact(f, T_TEXT);
        const char *idn = PICK("工号", "staff_id", "员工编号");
        snprintf(f->name, sizeof f->name, "%s", idn);
        snprintf(M.used[M.nused++], 96, "%s", idn);
        M.id_fact = 0;
        bprintf(&out, "%s ", kw("id"));
        put_fact(&out, f);
        sep();
        print_fact(f);
        sep();
        bputs(mj, "\"id\":");
        jq(mj, idn);
        bputs(mj, ",");
    }
    form_numbers = chance(35);
    if (form_numbers || chance(50)) {
        /* many places show the last digits, where an early rounding is seen */
        unsigned r = form_numbers ? rnd(2) : chance(25) ? 10 + rnd(9) : rnd(5);
        bprintf(&out, "%s %u", kw("round"), r);
        bprintf(mj, "\"round\":%u,", r);
        sep();
    }
    int nf = 2 + (int)rnd((unsigned)(2 + size));
    for (int i = 0; i < nf && M.nf < MAXF - 4; i++) {
        Fact *f = &M.f[M.nf++];
        unsigned r = rnd(10);
        gen_fact(f, r < 4 ? T_NUM : r < 6 ? T_INT : r < 8 ? T_PCT : r < 9 ? T_BOOL : T_TEXT);
        f->has_def = chance(20);
        print_fact(f);
        sep();
    }
    /* at least one bounded number and one percent, so expressions have leaves */
    Fact *f = &M.f[M.nf++];
    gen_fact(f, T_NUM);
    f->has_lo = f->has_hi = true;
    print_fact(f);
    sep();
    f = &M.f[M.nf++];
    gen_fact(f, T_PCT);
    f->has_lo = f->has_hi = true;
    print_fact(f);
    sep();

    if (chance(20)) {
        M.nraters = 2;
        snprintf(M.raters[0], 32, "%s", "自评");
        snprintf(M.raters[1], 32, "%s", rnd(2) ? "上级" : "manager");
        Hund w = (Hund)(1 + rnd(9)) * 1000;
        if (chance(15)) /* a rater reported but not counted */
            w = rnd(2) ? 0 : 10000;
        char t[96];
        bprintf(&out, "%s %s %s %s%s", kw("rater"), M.raters[0], kw("weight"), num(t, w, true),
                op("%"));
        sep();
        bprintf(&out, "%s %s %s %s%s", kw("rater"), M.raters[1], kw("weight"),
                num(t, 10000 - w, true), op("%"));
        sep();
        for (int i = 0; i < M.nf; i++)
            M.f[i].per_rater = i != M.id_fact && M.f[i].type != T_TEXT && chance(40);
        bprintf(mj, "\"raters\":[[\"%s\",\"%s\"],", M.raters[0], num(t, w, false));
        bprintf(mj, "[\"%s\",\"%s\"]],", M.raters[1], num(t, 10000 - w, false));
    }

    /* the score tree */
    bool weighted = rnd(2);
    bool rubric_max = weighted && chance(20);
    int rubric_max_v = 10 * (1 + (int)rnd(12));
    if (rubric_max) {
        bprintf(&out, "%s %d", kw("max"), rubric_max_v);
        bprintf(mj, "\"max\":\"%d\",", rubric_max_v);
        sep();
    }
    Kid kids[16];
    int nkids;
    bputs(mj, "\"kids\":");
    gen_children(weighted, 0, kids, &nkids, mj);
    double total_hi = 0;
    for (int i = 0; i < nkids; i++)
        total_hi += kids[i].full;
    if (weighted)
        total_hi = rubric_max ? rubric_max_v : 100;
    /* the rubric's own score (points mode only, like sections) */
    bool rubric_score = !weighted && !rubric_max && chance(10);
    double rubric_cap = INFINITY;
    gen_overrides(kids, nkids, rubric_score, mj);
    for (int i = 0; i < nkids; i++)
        free(kids[i].js);
    if (chance(12)) {
        /* a deduction sheet's statements on the rubric body (Edition 2):
           `base` in points mode only, `floor` and `cap` anywhere */
        char t[96];
        if (!weighted && !rubric_score && chance(60)) {
            Hund b = (Hund)rnd(7) * 500;
            sep();
            bprintf(&out, "%s ", kw("base"));
            put_num(&out, b);
            bprintf(mj, ",\"base\":\"%s\"", num(t, b, false));
            total_hi += b / 100.0;
        }
        if (chance(60)) {
            Hund fl = chance(70) ? 0 : -(Hund)(1 + rnd(4)) * 500;
            sep();
            bprintf(&out, "%s ", kw("floor"));
            put_num(&out, fl);
            bprintf(mj, ",\"floor\":\"%s\"", num(t, fl, false));
        }
        if (chance(50)) {
            Hund c = (Hund)(total_hi * (60 + rnd(50))) / 100 * 100;
            rubric_cap = c / 100.0;
            sep();
            bprintf(&out, "%s ", kw("cap"));
            put_num(&out, c);
            bprintf(mj, ",\"cap\":\"%s\"", num(t, c, false));
        }
    }
    if (chance(25)) {
        /* show FACT, …: facts beside the id in every output; now and then
           one that nothing reads (姓名), which may be missing */
        int cand[MAXF], nc = 0;
        for (int i = 0; i < M.nf; i++)
            if (i != M.id_fact) /* a per-rater fact shows its shared value */
                cand[nc++] = i;
        int pick_[3], np = 0;
        if (M.nf < MAXF && chance(60) && !name_used("姓名")) {
            Fact *nf_ = &M.f[M.nf];
            memset(nf_, 0, sizeof *nf_);
            snprintf(nf_->name, sizeof nf_->name, "%s", "姓名");
            snprintf(M.used[M.nused++], 96, "%s", "姓名");
            nf_->type = T_TEXT;
            nf_->show_only = true;
            for (int w = 0; w < 4; w++)
                snprintf(nf_->words[w], sizeof nf_->words[w], "%s",
                         PICK("张三", "李四", "王五", "ZhaoLiu", "赵六"));
            pick_[np++] = M.nf++;
            sep();
            print_fact(nf_);
        }
        for (int i = 0; i < 2 && nc; i++)
            if (chance(60))
                pick_[np++] = cand[rnd((unsigned)nc)];
        if (np == 2 && pick_[0] == pick_[1])
            np = 1;
        if (np == 3 && (pick_[2] == pick_[1] || pick_[2] == pick_[0]))
            np = 2;
        if (np) {
            sep();
            bprintf(&out, "%s ", kw("show"));
            bputs(mj, ",\"show\":[");
            bool split = np > 1 && chance(25); /* several show lines add up */
            for (int i = 0; i < np; i++) {
                if (i && split) {
                    sep();
                    bprintf(&out, "%s ", kw("show"));
                    bputs(mj, ",");
                } else if (i) {
                    bprintf(&out, "%s ", op(","));
                    bputs(mj, ",");
                }
                put_fact(&out, &M.f[pick_[i]]);
                jq(mj, M.f[pick_[i]].name);
            }
            bputs(mj, "]");
        }
    }
    if (!weighted && !rubric_score && isfinite(total_hi) && chance(12)) {
        /* a points rubric's max: the sum of its children's full scores (and
           its base), after its cap; [max] where the estimate is off */
        char t[96];
        num(t, (Hund)llround(dmin(total_hi, rubric_cap) * 100), false);
        sep();
        bprintf(&out, "%s %s", kw("max"), t);
        bprintf(mj, ",\"max\":\"%s\"", t);
    }
    if (total_hi <= 0)
        total_hi = 100;

    /* grade */
    if (chance(75)) {
        M.has_grade = true;
        M.ngrades = 2 + (int)rnd(3);
        static const char *const gnames[] = {"优秀", "良好", "合格", "不合格"};
        for (int i = 0; i < M.ngrades; i++)
            snprintf(M.grades[i], 32, "%s", gnames[i == M.ngrades - 1 ? 3 : i]);
        sep();
        bprintf(&out, "%s {", kw("grade"));
        bputs(mj, ",\"grade\":[");
        indent++;
        Hund v[4];
        for (int i = 0; i < M.ngrades - 1; i++) /* descending thresholds, whole points */
            v[i] = (Hund)(total_hi * (M.ngrades - 1 - i) / M.ngrades) * 100;
        for (int i = 0; i < M.ngrades; i++) {
            bputs(&out, "\n");
            ind();
            char *cj = NULL;
            if (i == M.ngrades - 1) {
                if (chance(30)) { /* the complement of the rule before, not else */
                    bprintf(&out, "%s %s ", kw("total"), op("<"));
                    put_num(&out, v[i - 1]);
                    char *vj = jnum(v[i - 1], false);
                    cj = jcmp("<", "[\"total\"]", vj);
                    free(vj);
                } else {
                    bputs(&out, kw("else"));
                }
            } else {
                bool last = i == M.ngrades - 2;
                const char *o = last ? ">=" : PICK(">=", ">");
                bprintf(&out, "%s %s ", kw("total"), op(o));
                put_num(&out, v[i]);
                char *vj = jnum(v[i], false);
                cj = jcmp(o, "[\"total\"]", vj);
                free(vj);
                if (!last && chance(12)) { /* grade rules read facts too */
                    Scope fs = {.facts = true};
                    Expr c = atom(&fs);
                    bool and = rnd(2);
                    bprintf(&out, " %s ", kw(and ? "and" : "or"));
                    bputs(&out, c.text);
                    char *both = jbin(and ? "and" : "or", cj, c.js);
                    efree(c);
                    free(cj);
                    cj = both;
                } else if (!last && chance(15) && M.nnodes) {
                    bool and = rnd(2);
                    bprintf(&out, " %s ", kw(and ? "and" : "or"));
                    const char *n = M.nodes[rnd((unsigned)M.nnodes)];
                    put_name(&out, n, false);
                    bprintf(&out, " %s 0", op(">="));
                    char *nj = jleaf("node", n), *c2 = jcmp(">=", nj, "[\"num\",\"0\"]");
                    char *both = jbin(and ? "and" : "or", cj, c2);
                    free(nj);
                    free(c2);
                    free(cj);
                    cj = both;
                }
            }
            bprintf(&out, " %s ", op("->"));
            put_str(&out, M.grades[i]);
            char *gj = jleaf("str", M.grades[i]);
            jrule(mj, cj, gj);
            free(gj);
            free(cj);
        }
        bputs(mj, "]");
        indent--;
        bputs(&out, "\n");
        ind();
        bputs(&out, "}");
        /* quotas (forced distribution): checked over the batch, a breach
           is exit status 1 with --strict */
        int nq = chance(30) ? 1 + (int)rnd(2) : 0;
        bputs(mj, ",\"quotas\":[");
        for (int q = 0; q < nq; q++) {
            int g = q == 0 ? 0 : M.ngrades - 1;
            bool le = rnd(2);
            Hund p = (Hund)(5 + rnd(40)) * 100 + (chance(20) ? 50 : 0);
            char t[96];
            sep();
            bprintf(&out, "%s ", kw("quota"));
            put_str(&out, M.grades[g]);
            bprintf(&out, " %s %s%s", op(le ? "<=" : ">="), num(t, p, true), op("%"));
            bprintf(mj, "%s[\"%s\",\"%s\",\"%s\"]", q ? "," : "", M.grades[g], le ? "<=" : ">=",
                    num(t, p, false));
        }
        bputs(mj, "]");
    }

    /* outputs */
    int nout = (int)rnd(3);
    bputs(mj, ",\"outputs\":[");
    for (int o = 0; o < nout; o++) {
        char name[96];
        fresh_name(name, (const char *const[]){"系数", "奖金系数", "coef", "档位", "备注"}, 5);
        sep();
        bprintf(&out, "%s ", kw("output"));
        put_name(&out, name, false);
        bputs(&out, " { ");
        bputs(mj, o ? ",{\"name\":" : "{\"name\":");
        jq(mj, name);
        const char *nn[64];
        double nh[64];
        for (int i = 0; i < M.nnodes; i++)
            nn[i] = M.nodes[i], nh[i] = 100;
        /* an output reads facts, total, grade and every node as reported */
        Scope sc = {.facts = true, .total = true, .total_hi = total_hi, .grade = M.has_grade,
                    .kids = nn, .kid_hi = nh, .nkids = chance(50) ? M.nnodes : 0};
        unsigned kind = rnd(4);
        bool pct = kind != 2 && chance(25); /* a percent output: 92.5 in JSON, 92.5% in CSV */
        if (kind == 0) {
            Expr e = num_expr(&sc, pct ? E_PCT : E_NUM, 1);
            bprintf(&out, "%s ", kw("score"));
            bputs(&out, e.text);
            bputs(mj, ",\"score\":");
            bputs(mj, e.js);
            efree(e);
        } else {
            int n = 1 + (int)rnd(3);
            bputs(mj, ",\"rules\":[");
            for (int i = 0; i <= n; i++) {
                if (i)
                    bprintf(&out, "%s ", op(";"));
                char *cj = NULL, *rj;
                if (i == n) {
                    bprintf(&out, "%s %s ", kw("else"), op("->"));
                } else if (kind == 3 && M.noutputs) {
                    const char *prev = M.outputs[rnd((unsigned)M.noutputs)];
                    bprintf(&out, "%s %s 1 %s ", prev, op(">="), op("->"));
                    char *pj = jleaf("output", prev);
                    cj = jcmp(">=", pj, "[\"num\",\"1\"]");
                    free(pj);
                } else {
                    Expr c = cond_expr(&sc, 1);
                    bputs(&out, c.text);
                    bprintf(&out, " %s ", op("->"));
                    cj = c.js;
                    free(c.text);
                }
                if (kind == 2) {
                    const char *w = PICK("A档", "B档", "C档", "无");
                    put_str(&out, w);
                    rj = jleaf("str", w);
                } else {
                    Hund v = rand_lit(0, pct ? 15000 : 200);
                    if (pct)
                        put_pct(&out, v);
                    else
                        put_num(&out, v);
                    rj = jnum(v, pct);
                }
                jrule(mj, cj, rj);
                free(cj);
                free(rj);
            }
            bputs(mj, "]");
        }
        bputs(mj, "}");
        bputs(&out, " }");
        if (kind != 2 && M.noutputs < 4)
            snprintf(M.outputs[M.noutputs++], 96, "%s", name);
    }
    if (g_big && M.nf + 2 <= MAXF && !name_used("大额甲") && !name_used("大额乙") &&
        !name_used("大额积")) {
        /* 大额积 = 大额甲 × 大额乙 (or plus 大额乙, or over 1000): item-body
           arithmetic, so a product of 10^20 or more is that employee's error */
        for (int i = 0; i < 2; i++) {
            const char *bn = i ? "大额乙" : "大额甲";
            Fact *bf = &M.f[M.nf++];
            memset(bf, 0, sizeof *bf);
            snprintf(bf->name, sizeof bf->name, "%s", bn);
            snprintf(M.used[M.nused++], 96, "%s", bn);
            bf->type = T_NUM;
            bf->has_lo = bf->has_hi = true;
            bf->lo = 0;
            bf->hi = 2000000000000LL; /* 2×10^10 in hundredths */
            bf->big = true;
            sep();
            print_fact(bf);
        }
        snprintf(M.used[M.nused++], 96, "%s", "大额积");
        sep();
        bprintf(&out, "%s 大额积 { %s 大额甲 %s 大额乙", kw("output"), kw("score"), op("*"));
        char *aj = jleaf("fact", "大额甲"), *bj = jleaf("fact", "大额乙"), *pj = jbin("*", aj, bj);
        char *js = pj;
        unsigned how = rnd(3);
        if (how == 1) { /* + 大额乙 */
            bprintf(&out, " %s 大额乙", op("+"));
            js = jbin("+", pj, bj);
        } else if (how == 2) { /* / 1000: the product overflows before the division */
            bprintf(&out, " %s 1000", op("/"));
            js = jbin("/", pj, "[\"num\",\"1000\"]");
        }
        bputs(&out, " }");
        bprintf(mj, "%s{\"name\":\"大额积\",\"score\":%s}", nout ? "," : "", js);
        if (js != pj)
            free(js);
        free(pj);
        free(aj);
        free(bj);
    }
    bputs(mj, "]");

    /* tests: the facts, and expectations the oracle fills in (⟦N⟧ in the
       text is the model's expectation N) */
    int ntests = (int)rnd(3), nexp = 0;
    bputs(mj, ",\"tests\":[");
    for (int t = 0; t < ntests; t++) {
        sep();
        bprintf(&out, "%s ", kw("test"));
        char tn[32];
        snprintf(tn, sizeof tn, "例%d", t + 1);
        put_str(&out, tn);
        bputs(&out, " {");
        bputs(mj, t ? ",{\"name\":" : "{\"name\":");
        jq(mj, tn);
        indent++;
        int given = 0;
        Buf fj = {0}, rj = {0};
        char mv[96];
        for (int i = 0; i < M.nf; i++) {
            const Fact *fi = &M.f[i];
            if (fi->has_def && chance(50))
                continue;
            bputs(&out, given++ && chance(20) ? "; " : "\n");
            if (!(out.n && out.s[out.n - 1] == ' '))
                ind();
            put_fact(&out, fi);
            bprintf(&out, " %s ", op("="));
            fact_value(&out, fi, false, mv);
            bputs(&fj, fj.n ? "," : "");
            jq(&fj, fi->name);
            bputs(&fj, ":");
            jq(&fj, mv);
            if (fi->per_rater && M.nraters && chance(50)) { /* a rater's own value too */
                bputs(&out, "\n");
                ind();
                put_fact(&out, fi);
                const char *rater = M.raters[rnd((unsigned)M.nraters)];
                bprintf(&out, "@%s %s ", rater, op("="));
                fact_value(&out, fi, false, mv);
                char key[160];
                snprintf(key, sizeof key, "%s@%s", fi->name, rater);
                bputs(&rj, rj.n ? "," : "");
                jq(&rj, key);
                bputs(&rj, ":");
                jq(&rj, mv);
            }
        }
        bprintf(mj, ",\"facts\":{%s},\"rater_facts\":{%s},\"expects\":[", fj.s ? fj.s : "",
                rj.s ? rj.s : "");
        free(fj.s);
        free(rj.s);
        int ne = 1 + (int)rnd(3);
        for (int e = 0; e < ne; e++) {
            bputs(&out, "\n");
            ind();
            bprintf(&out, "%s ", kw("expect"));
            bprintf(&out, "⟦%d⟧", nexp++);
            bputs(mj, e ? "," : "");
            unsigned r = rnd(5);
            if (r == 4 && chance(25)) { /* expect reads facts too: expect 完成率 == 55% */
                const Fact *fx = &M.f[rnd((unsigned)M.nf)];
                Buf x = {0};
                put_fact(&x, fx);
                bputs(mj, "{\"kind\":\"fact\",\"name\":");
                jq(mj, fx->name);
                bputs(mj, ",\"write\":[");
                jq(mj, x.s);
                bprintf(mj, ",\"%s\"]}", op("=="));
                free(x.s);
            } else if (r == 0 && M.has_grade) {
                bprintf(mj, "{\"kind\":\"grade\",\"write\":[\"%s\",\"%s\"]}", kw("grade"),
                        op("=="));
            } else if (r == 1 && M.nnodes) {
                const char *n = M.nodes[rnd((unsigned)M.nnodes)];
                Buf x = {0};
                put_name(&x, n, false);
                bputs(mj, "{\"kind\":\"node\",\"name\":");
                jq(mj, n);
                bprintf(mj, ",\"write\":[\"%s\",\"%s\"]}", x.s, op(PICK("==", "<=", ">=")));
                free(x.s);
            } else if (r == 2 && M.noutputs) {
                const char *n = M.outputs[rnd((unsigned)M.noutputs)];
                bputs(mj, "{\"kind\":\"output\",\"name\":");
                jq(mj, n);
                bprintf(mj, ",\"write\":[\"%s\",\"%s\"]}", n, op("=="));
            } else if (r == 3) {
                bprintf(mj, "{\"kind\":\"total\",\"write\":[\"%s (%s\",\"%s\",\")\"]}",
                        kw("not"), kw("total"), op("!="));
            } else {
                bprintf(mj, "{\"kind\":\"total\",\"write\":[\"%s\",\"%s\"]}", kw("total"),
                        op("=="));
            }
        }
        bputs(mj, "]}");
        indent--;
        bputs(&out, "\n");
        ind();
        bputs(&out, "}");
    }
    bputs(mj, "]");
    indent = 0;
    nl();
    bputs(&out, "}\n");
    bputs(mj, ",\"facts\":");
    model_facts(mj);
    surface(&out);
    bputs(mj, ",\"text\":");
    jq(mj, out.s);
    bputs(mj, "}\n");
}

/* ---- employees ---- */

/* The CSV's surface (Fact files, CSV): a UTF-8 BOM, CRLF, spaces around
   unquoted cells (trimmed), quotes that only protect a cell, full-width
   digits in values and full-width forms in header names (folded). */
static const char *csv_nl = "\n";
static int csv_pad;

static void csv_cell(const char *s)
{
    if (strpbrk(s, ",\"\n") || chance(5)) {
        putchar('"');
        for (const char *p = s; *p; p++) {
            if (*p == '"')
                putchar('"');
            putchar(*p);
        }
        putchar('"');
        return;
    }
    bool pad = chance((unsigned)csv_pad);
    if (pad) /* U+3000 and U+00A0 are white space too (what Excel pastes from the web) */
        fputs(PICK(" ", "  ", "\t", "\u3000", "\u00a0"), stdout);
    fputs(s, stdout);
    if (pad || chance((unsigned)csv_pad))
        fputs(PICK(" ", "  ", "\u3000", "\u00a0"), stdout);
}

/* s with its ASCII letters, digits, `_` and `@` typed full-width now and then. */
static void put_wide(Buf *b, const char *s, bool digits_only)
{
    for (const char *p = s; *p; p++) {
        char c = *p;
        bool ok = (c >= '0' && c <= '9') || c == '%' ||
                  (!digits_only && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                    c == '_' || c == '@'));
        if (ok && chance(70)) {
            unsigned u = 0xFF00u + (unsigned)(c - 0x20);
            bprintf(b, "%c%c%c", (char)(0xE0 | (u >> 12)), (char)(0x80 | ((u >> 6) & 0x3F)),
                    (char)(0x80 | (u & 0x3F)));
        } else {
            bprintf(b, "%c", c);
        }
    }
}

static void gen_facts(int n)
{
    /* header: every fact (the id first, as written), per-rater columns too;
       now and then a column with an empty header (ignored) or a name the
       rubric does not declare (a warning) */
    int cols[MAXF * 3 + 2], rater[MAXF * 3 + 2], nc = 0;
    if (M.id_fact >= 0)
        cols[nc] = M.id_fact, rater[nc++] = -1;
    for (int i = 0; i < M.nf; i++) {
        if (i == M.id_fact)
            continue;
        cols[nc] = i, rater[nc++] = -1;
        if (M.f[i].per_rater)
            for (int r = 0; r < M.nraters; r++)
                cols[nc] = i, rater[nc++] = r;
    }
    if (M.id_fact >= 0 && nc > 2 && chance(20)) { /* the id column need not come first */
        int k = 1 + (int)rnd((unsigned)(nc - 1)), c0 = cols[0], r0 = rater[0];
        cols[0] = cols[k], rater[0] = rater[k], cols[k] = c0, rater[k] = r0;
    }
    for (int x = 0; x < 2; x++)
        if (chance(10) && nc > 1) { /* -2: no header, -3: undeclared */
            int at = 1 + (int)rnd((unsigned)nc);
            memmove(cols + at + 1, cols + at, (size_t)(nc - at) * sizeof *cols);
            memmove(rater + at + 1, rater + at, (size_t)(nc - at) * sizeof *rater);
            cols[at] = -1, rater[at] = x ? -3 : -2, nc++;
        }
    csv_nl = chance(10) ? "\r\n" : "\n";
    csv_pad = chance(20) ? 10 : 0;
    bool wide_head = chance(10), wide_vals = chance(8);
    if (chance(5))
        fputs("\xef\xbb\xbf", stdout);
    for (int c = 0; c < nc; c++) {
        if (c)
            putchar(',');
        Buf h = {0};
        if (rater[c] == -2)
            bputs(&h, "");
        else if (rater[c] == -3)
            bputs(&h, PICK("备注", "note", "考核人"));
        else if (rater[c] >= 0)
            bprintf(&h, "%s@%s", M.f[cols[c]].name, M.raters[rater[c]]);
        else
            bputs(&h, M.f[cols[c]].name);
        if (wide_head && h.n) {
            Buf w = {0};
            put_wide(&w, h.s, false);
            free(h.s);
            h = w;
        }
        csv_cell(bdone(&h));
        free(h.s);
    }
    fputs(csv_nl, stdout);
    for (int e = 0; e < n; e++) {
        if (chance(3)) { /* a row of empty cells, or an empty line: skipped */
            int commas = rnd(2) ? nc - 1 : 0;
            for (int c = 0; c < commas; c++)
                putchar(',');
            fputs(csv_nl, stdout);
        }
        int cells = nc;
        if (chance(1)) /* a row with the wrong number of cells: its error */
            cells = rnd(2) ? nc + 1 : nc - 1;
        for (int c = 0; c < cells; c++) {
            if (c)
                putchar(',');
            if (c >= nc) {
                fputs("x", stdout);
                continue;
            }
            if (rater[c] == -2 || rater[c] == -3) {
                if (chance(60))
                    fputs(PICK("x", "12", "无", "-"), stdout);
                continue;
            }
            const Fact *f = &M.f[cols[c]];
            if (cols[c] == M.id_fact && rater[c] < 0) {
                if (chance(1)) /* no id: an error; a fact file falls back on its name */
                    continue;
                char id[32];
                snprintf(id, sizeof id, "%sE%04d", chance(3) ? PICK("-", "=", "@", "+") : "",
                         1001 + e);
                csv_cell(id);
                continue;
            }
            if (rater[c] >= 0 && chance(40))
                continue; /* this rater uses the shared value */
            if (f->has_def && rater[c] < 0 && chance(30))
                continue; /* the default */
            if (rater[c] < 0 && chance(f->show_only ? 25 : 1))
                continue; /* missing: an error unless it has a default (or is only shown) */
            if ((f->type == T_NUM || f->type == T_INT) && (f->has_lo || f->has_hi) &&
                chance(1)) { /* out of range: an error */
                char t[96];
                fputs(num(t, f->has_hi ? f->hi + 100 : f->lo - 100, false), stdout);
                continue;
            }
            if (f->show_only && chance(10)) { /* a cell that needs quotes, over two lines */
                csv_cell(PICK("张,三", "王\n五", "\"老\"李", "=李四"));
                continue;
            }
            Buf b = {0};
            fact_value(&b, f, true, NULL);
            if (wide_vals && f->type != T_TEXT && f->type != T_BOOL) {
                Buf w = {0};
                put_wide(&w, bdone(&b), true);
                free(b.s);
                b = w;
            }
            csv_cell(bdone(&b));
            free(b.s);
        }
        fputs(csv_nl, stdout);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: gen SEED [N] | gen SEED [N] facts COUNT\n");
        return 2;
    }
    unsigned long long seed = strtoull(argv[1], NULL, 10);
    int size = -1, nfacts = -1;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "facts") && i + 1 < argc)
            nfacts = atoi(argv[++i]);
        else
            size = atoi(argv[i]);
    }
    if (size < 0) /* one seed in eight makes a long form */
        size = strtoull(argv[1], NULL, 10) % 8 == 0 ? 8 : 3;
    if (size < 1)
        size = 1;
    g_size = size;
    /* one seed in six (one in ten where the rubric has room for two more
       facts and unused names): an output over two facts up to 2×10^10 whose product
       passes the 10^20 limit of item arithmetic for some employees (an
       error for them); a hash of the seed, so the others do not change */
    uint64_t h = seed + 0x9E3779B97F4A7C15ULL;
    h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
    h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
    g_big = (h ^ (h >> 31)) % 6 == 0;
    rng_state = seed * 0x9E3779B97F4A7C15ULL + 12345;
    rnd(1);
    gen_rubric(size);
    if (nfacts < 0) {
        fputs(model.s, stdout);
    } else {
        rng_state ^= 0xD1B54A32D192ED03ULL;
        gen_facts(nfacts);
    }
    free(out.s);
    free(model.s);
    return 0;
}
