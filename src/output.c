/* output.c - scored employees as JSON Lines, CSV or TSV rows; the interface.
 *
 * CSV, TSV and JSON are streamed: each row is formatted by hand (dec_format
 * for numbers, text escaped byte by byte) straight into one 64 KiB buffer that
 * goes to fwrite only when full and at out_finish, so a million employees cost
 * no printf and no allocation per row. A memory Out (out_open_mem: a -j
 * worker's) has no file: its buffer is the caller's, grown instead of
 * flushed, so a job's rows are written once, where the writer takes them.
 * What is the same on every row - the JSON keys, already escaped and quoted,
 * and each literal grade's cell - is prepared once by out_open; a row's numbers (their text mostly
 * made ahead by the evaluator) and its end go into one reservation of the buffer, and only text
 * from the input (ids, shown facts, messages) is scanned for escaping.
 *
 * Text always comes out as valid UTF-8: an invalid byte becomes U+FFFD, so a
 * stray GB18030 byte in an id cannot break a JSON or CSV reader. A CSV/TSV text
 * cell starting with = + - or @ gets a leading ' so a spreadsheet does not run
 * it as a formula; numbers never do (-5 stays a number).
 *
 * A table must see every row before it knows its column widths, so out_row
 * copies the row's cells, formatted and cleaned of control characters, into an
 * arena, and out_finish prints them aligned by display width (CJK characters
 * are two columns). An error row prints its id and then "error: MESSAGE" in
 * place of the scores, so a long message does not widen any column.
 *
 * This file holds the interface and the CSV, TSV and JSON row writers (the
 * CSV fast path with its inline helpers, so that it compiles to one loop);
 * output_text.c the buffer, number and escaping primitives; output_table.c
 * the table; output_impl.h what they share. */
#include <stdlib.h>

#include "output_impl.h"

/* Whether s[0..n) is plain (as plain), through the texts seen plain before
 * (Seen); false, for the caller's general path, when it is empty or longer
 * than SEEN_MAX. */
static bool plain_seen(Out *o, const char *s, size_t n, unsigned mode)
{
    if (!n || n > SEEN_MAX)
        return false;
    Seen *c = &o->seen[((uintptr_t)s >> 3) % SEEN_SLOTS];
    if (c->n == n && c->mode == mode && memcmp(c->copy, s, n) == 0)
        return true;
    if (!out_plain(s, n, mode))
        return false;
    *c = (Seen){.s = s, .n = n, .mode = mode};
    memcpy(c->copy, s, n);
    return true;
}

/* Copy s[0..n) to d (room for n bytes) when it is certainly a plain CSV
 * and TSV cell: every byte ASCII from '-' (0x2D) up, which no format escapes
 * and none quotes (, " CR LF tab are all below 0x2D), and the first not - = or
 * @ (+ is below 0x2D). False (d's bytes then mean nothing) may still be plain:
 * the caller takes out_cell_textn. Eight bytes at a time: a byte below 0x2D
 * borrows in w - 0x2D.. and sets its top bit, where no byte at or above it
 * (and below 0x80) can; a byte of 0x80 or more has its top bit set in w. */
static inline bool csv_plain_copy(char *d, const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80, low = ones * 0x2D;
    uint64_t bad = 0;
    if (n >= 8) {
        uint64_t w;
        size_t i = 0;
        for (; i + 8 < n; i += 8) {
            memcpy(&w, s + i, 8);
            bad |= w | (w - low);
            memcpy(d + i, &w, 8);
        }
        memcpy(&w, s + n - 8, 8); /* the last eight, overlapping the word before */
        bad |= w | (w - low);
        memcpy(d + n - 8, &w, 8);
    } else if (n >= 4) {
        uint32_t a, b; /* the first four and the last four */
        memcpy(&a, s, 4), memcpy(&b, s + n - 4, 4);
        uint64_t w = a | (uint64_t)b << 32;
        bad = w | (w - low);
        memcpy(d, &a, 4), memcpy(d + n - 4, &b, 4);
    } else if (n) {
        unsigned char a = (unsigned char)s[0], b = (unsigned char)s[n / 2],
                      c = (unsigned char)s[n - 1];
        uint64_t w = a | (uint64_t)b << 8 | (uint64_t)c << 16 | (ones * 'a' << 24);
        bad = w | (w - low);
        d[0] = (char)a, d[n / 2] = (char)b, d[n - 1] = (char)c;
    }
    return !(bad & high) && !(n && (s[0] == '-' || s[0] == '=' || s[0] == '@'));
}

/* The prepared tail (Tail) of row r's grade when it is known ahead: no
 * grade, or the text of the grade rule that fired when that rule's is a
 * literal - the fast evaluator reports the literal's own string (a pointer
 * into the program, never rewritten: equal pointers, equal bytes), the
 * general one a copy, compared by its bytes. NULL: write the grade as text. */
static inline const Tail *grade_tail(const Out *o, const OutRow *r)
{
    if (!r->grade)
        return &o->tail_none;
    size_t i = (size_t)r->grade_rule; /* -1: not known */
    if (i >= o->lay->ngrades || !o->tails[i].len)
        return NULL;
    const char *g = o->lay->grade_texts[i];
    return g == r->grade || strcmp(g, r->grade) == 0 ? &o->tails[i] : NULL;
}

/* A number whose text was made ahead (t), else d formatted: one 16-byte copy. */
static inline void put_num(Out *o, Dec d, const DecText *t)
{
    if (!t) {
        out_put_dec(o, d);
        return;
    }
    char *p = reserve(o, sizeof *t);
    memcpy(p, t, sizeof *t);
    o->len += t->len;
}

/* ---- JSON Lines ---- */

/* "name": escaped once, for a key written on every row. */
static Str json_key(Out *o, const char *name)
{
    size_t n = strlen(name);
    char *p = arena_alloc(&o->arena, ESC_GROW * n + 3);
    size_t len = 0;
    p[len++] = '"';
    len += out_escape(p + len, name, n, ESC_JSON);
    p[len++] = '"';
    p[len++] = ':';
    return (Str){p, len};
}

static Str *json_keys(Out *o, const char *const *names, size_t n)
{
    Str *k = arena_alloc(&o->arena, (n ? n : 1) * sizeof *k);
    for (size_t i = 0; i < n; i++)
        k[i] = json_key(o, names[i]);
    return k;
}

/* ,"vetoes":["reason",…] */
static void json_vetoes(Out *o, const char *const *v, size_t n)
{
    PUT_LIT(o, ",\"vetoes\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            put_char(o, ',');
        json_str(o, v[i]);
    }
    put_char(o, ']');
}

/* The scores, with their texts when made ahead (texts: NULL, or one a score).
 * In one reservation (scores_room) when it is not too large: each key with
 * its { or , copied from its padded block (32 bytes, then 16 at a time), each number as
 * its text made ahead (one 16-byte copy) or formatted. */
static void json_scores(Out *o, const Dec *scores, const DecText *const *texts)
{
    size_t ns = o->lay->nscores;
    if (o->scores_room) {
        char *p = reserve(o, o->scores_room), *q = p;
        for (size_t i = 0; i < ns; i++) {
            const Str *k = &o->score_pre[i];
            memcpy(q, k->s, 32); /* most keys: a CJK name of up to 9 characters */
            for (size_t c = 32; c < k->n; c += 16)
                memcpy(q + c, k->s + c, 16);
            q += k->n;
            const DecText *t = texts ? texts[i] : NULL;
            if (t) {
                memcpy(q, t, sizeof *t); /* 16 bytes, of which t->len count */
                q += t->len;
            } else {
                q += out_fmt_num(o, scores[i], q);
            }
        }
        *q++ = '}';
        o->len += (size_t)(q - p);
        return;
    }
    put_char(o, '{');
    for (size_t i = 0; i < ns; i++) {
        if (i)
            put_char(o, ',');
        out_put(o, o->score_keys[i].s, o->score_keys[i].n);
        put_num(o, scores[i], texts ? texts[i] : NULL);
    }
    put_char(o, '}');
}

/* score_pre and scores_room (json_scores) from the score keys. */
static void json_scores_prepare(Out *o)
{
    size_t ns = o->lay->nscores, room = 1; /* the closing } */
    if (!ns)
        return; /* {} a character at a time */
    o->score_pre = arena_alloc(&o->arena, ns * sizeof *o->score_pre);
    for (size_t i = 0; i < ns; i++) {
        const Str *k = &o->score_keys[i];
        size_t n = k->n + 1, padded = n <= 32 ? 32 : (n + 15) / 16 * 16;
        char *b = arena_zalloc(&o->arena, padded);
        b[0] = i ? ',' : '{';
        memcpy(b + 1, k->s, k->n);
        o->score_pre[i] = (Str){b, n};
        room += padded + DEC_BUFSZ;
        if (room > OUT_BUFSZ / 4) /* keys too long or too many: a key at a time */
            return;
    }
    o->scores_room = room;
}

static void json_value(Out *o, const Value *v)
{
    switch (v->kind) {
    case VAL_NUMBER:
        out_put_dec(o, v->d);
        break;
    case VAL_PERCENT:
        out_put_percent(o, v->d, false);
        break;
    case VAL_BOOL:
        if (v->b)
            PUT_LIT(o, "true");
        else
            PUT_LIT(o, "false");
        break;
    case VAL_TEXT:
        out_json_strn(o, v->s, v->len);
        break;
    case VAL_NONE:
        PUT_LIT(o, "null");
        break;
    }
}

NOINLINE static void json_row(Out *o, const OutRow *r)
{
    const OutLayout *lay = o->lay;
    PUT_LIT(o, "{\"id\":");
    /* an id of known length that is plain (so it holds no NUL: id_len is
       strlen's too) needs no strlen */
    if (r->id_len && r->id_len < OUT_BUFSZ / 2 && out_plain(r->id, r->id_len, SP_JSON))
        out_json_strn(o, r->id, r->id_len);
    else
        json_str(o, r->id);
    PUT_LIT(o, ",\"source\":");
    json_str(o, r->source);
    if (lay->nshow) {
        PUT_LIT(o, ",\"show\":{");
        for (size_t i = 0; i < lay->nshow; i++) {
            if (i)
                put_char(o, ',');
            out_put(o, o->show_keys[i].s, o->show_keys[i].n);
            json_value(o, &r->shown[i]);
        }
        put_char(o, '}');
    }
    if (r->error) {
        PUT_LIT(o, ",\"error\":");
        json_str(o, r->error);
        PUT_LIT(o, "}\n");
        return;
    }
    PUT_LIT(o, ",\"total\":");
    put_num(o, r->total, r->score_text ? r->score_text[lay->nscores] : NULL);
    const Tail *gt = lay->has_grade && r->grade ? grade_tail(o, r) : NULL;
    if (gt) {
        memcpy(reserve(o, TAIL_MAX), gt->text, TAIL_MAX);
        o->len += gt->len;
    } else if (lay->has_grade) {
        PUT_LIT(o, ",\"grade\":");
        size_t gn = r->grade ? strlen(r->grade) : 0;
        if (r->grade && plain_seen(o, r->grade, gn, SP_JSON)) {
            char *d = reserve(o, gn + 2);
            d[0] = '"';
            memcpy(d + 1, r->grade, gn);
            d[gn + 1] = '"';
            o->len += gn + 2;
        } else if (r->grade)
            json_str(o, r->grade);
        else
            PUT_LIT(o, "null");
    }
    PUT_LIT(o, ",\"scores\":");
    json_scores(o, r->scores, r->score_text);
    if (lay->noutputs) {
        PUT_LIT(o, ",\"outputs\":{");
        for (size_t i = 0; i < lay->noutputs; i++) {
            if (i)
                put_char(o, ',');
            out_put(o, o->output_keys[i].s, o->output_keys[i].n);
            json_value(o, &r->outputs[i]);
        }
        put_char(o, '}');
    }
    if (lay->has_vetoes && r->nvetoes) /* only when one held */
        json_vetoes(o, r->vetoes, r->nvetoes);
    if (lay->nraters && r->raters) {
        PUT_LIT(o, ",\"raters\":{");
        for (size_t i = 0; i < lay->nraters; i++) {
            if (i)
                put_char(o, ',');
            out_put(o, o->rater_keys[i].s, o->rater_keys[i].n);
            PUT_LIT(o, "{\"total\":");
            out_put_dec(o, r->raters[i].total);
            PUT_LIT(o, ",\"scores\":");
            json_scores(o, r->raters[i].scores, NULL);
            if (r->raters[i].nvetoes)
                json_vetoes(o, r->raters[i].vetoes, r->raters[i].nvetoes);
            put_char(o, '}');
        }
        put_char(o, '}');
    }
    PUT_LIT(o, "}\n");
}

/* ---- CSV and TSV ---- */

static void csv_header(Out *o)
{
    const OutLayout *lay = o->lay;
    char sep = o->fmt == OUT_TSV ? '\t' : ',';
    PUT_LIT(o, "id");
    for (size_t i = 0; i < lay->nshow; i++)
        put_char(o, sep), cell_text(o, lay->show_names[i]);
    for (size_t i = 0; i < lay->nscores; i++)
        put_char(o, sep), cell_text(o, lay->score_names[i]);
    /* the grade column is always there, empty without a grade block, so a
       spreadsheet's columns do not move when a grade block is added */
    put_char(o, sep), PUT_LIT(o, "total");
    put_char(o, sep), PUT_LIT(o, "grade");
    for (size_t i = 0; i < lay->noutputs; i++)
        put_char(o, sep), cell_text(o, lay->output_names[i]);
    put_char(o, sep), PUT_LIT(o, "error");
    put_char(o, '\n');
}

static void csv_value(Out *o, const Value *v)
{
    switch (v->kind) {
    case VAL_NUMBER:
        out_put_dec(o, v->d);
        break;
    case VAL_PERCENT:
        out_put_percent(o, v->d, true);
        break;
    case VAL_BOOL:
        if (v->b)
            PUT_LIT(o, "true");
        else
            PUT_LIT(o, "false");
        break;
    case VAL_TEXT:
        out_cell_textn(o, v->s, v->len);
        break;
    case VAL_NONE:
        break;
    }
}

/* A CSV or TSV row after its id and shown facts, a cell at a time: the
 * general path (too many numbers for one reservation). */
static void csv_rest(Out *o, const OutRow *r)
{
    const OutLayout *lay = o->lay;
    char sep = o->sep;
    const DecText *const *tx = r->score_text;
    for (size_t i = 0; i < lay->nscores; i++)
        put_char(o, sep), put_num(o, r->scores[i], tx ? tx[i] : NULL);
    put_char(o, sep), put_num(o, r->total, tx ? tx[lay->nscores] : NULL);
    put_char(o, sep);
    if (r->grade)
        cell_text(o, r->grade);
    for (size_t k = 0; k < lay->noutputs; k++)
        put_char(o, sep), csv_value(o, &r->outputs[k]);
    put_char(o, sep);
    put_char(o, '\n');
}

/* sep and then t's text at q, which has room for 17 bytes; returns the end.
 * All 16 bytes of t are copied (DecText allows it): one 16-byte load and
 * store, then the length read. */
static inline char *put_text(char *q, char sep, const DecText *t)
{
    q[0] = sep;
    memcpy(q + 1, t, sizeof *t);
    return q + 1 + t->len;
}

/* The usual CSV or TSV row, all in one reservation, when it can be written
 * so (else false, and nothing was written: o->len has not moved): an id of
 * known length (id_len) that csv_plain_copy takes, every number's text made
 * ahead, no grade or the very string of a literal grade rule (as the fast
 * evaluator reports it) whose tail ends the row (no outputs), no shown facts,
 * no error, room in the buffer. Then its bytes are those of csv_row's paths:
 * the id as it is (plain, so it holds no NUL: id_len is strlen's too), each
 * number as a separator and its text, the tail. It calls nothing (no strlen,
 * strcmp or flush: those rows take csv_row), so that it needs no registers
 * saved and restored a row. */
static inline bool csv_row_fast(Out *o, const OutRow *r)
{
    const DecText *const *tx = r->score_text;
    size_t idn = r->id_len;
    if (!o->fast_room || !tx || !idn || r->error || idn > OUT_BUFSZ / 4)
        return false;
    const Tail *t = &o->tail_none;
    if (r->grade) {
        size_t g = (size_t)r->grade_rule; /* -1: not known */
        if (g >= o->ngrades)
            return false;
        t = &o->tails[g];
        if (!t->len || t->g != r->grade)
            return false;
    }
    if (o->cap - o->len < idn + o->fast_room)
        return false;
    char *p = o->buf + o->len, *q = p + idn;
    if (!csv_plain_copy(p, r->id, idn))
        return false;
    char sep = o->sep;
    /* the scores, then the total: four a round, then one at a time */
    const DecText *const *end4 = tx + o->nnums4, *const *end = tx + o->nnums;
    for (; tx < end4; tx += 4) {
        const DecText *a = tx[0], *b = tx[1], *c = tx[2], *d = tx[3];
        if (!a || !b || !c || !d)
            return false;
        q = put_text(q, sep, a);
        q = put_text(q, sep, b);
        q = put_text(q, sep, c);
        q = put_text(q, sep, d);
    }
    for (; tx < end; tx++) {
        if (!*tx)
            return false;
        q = put_text(q, sep, *tx);
    }
    /* most tails (a separator, a grade of up to ten CJK characters, the row's
       end) fit 32 bytes: one copy of those, a second for the rest */
    memcpy(q, t->text, TAIL_MAX / 2);
    if (t->len > TAIL_MAX / 2)
        memcpy(q + TAIL_MAX / 2, t->text + TAIL_MAX / 2, TAIL_MAX / 2);
    q += t->len;
    o->len += (size_t)(q - p);
    return true;
}

/* A CSV or TSV row. The numbers and what follows them are written into one
 * reservation (row_room: DEC_BUFSZ + 1 bytes a number, TAIL_MAX for the
 * tail), a number as its text made ahead (one 16-byte copy) or formatted;
 * numbers never need quoting or escaping. The grade comes as its prepared
 * tail when it is known ahead; only text from the input (the id, shown
 * facts, messages) is scanned. */
NOINLINE static void csv_row(Out *o, const OutRow *r)
{
    const OutLayout *lay = o->lay;
    char sep = o->sep;
    const char *id = r->id ? r->id : "";
    size_t idn = strlen(id);
    bool room = false; /* row_room reserved after the id */
    if (o->row_room && idn <= OUT_BUFSZ / 4 && !lay->nshow && !r->error) {
        /* the usual row: one reservation for all of it */
        char *p = reserve(o, idn + o->row_room);
        if ((room = csv_plain_copy(p, id, idn)))
            o->len += idn;
        else
            out_cell_textn(o, id, idn);
    } else {
        out_cell_textn(o, id, idn);
    }
    for (size_t i = 0; i < lay->nshow; i++)
        put_char(o, sep), csv_value(o, &r->shown[i]);
    if (r->error) {
        size_t empty = lay->nscores + 2 + lay->noutputs;
        for (size_t i = 0; i <= empty; i++)
            put_char(o, sep);
        cell_text(o, r->error);
        put_char(o, '\n');
        return;
    }
    if (!o->row_room) {
        csv_rest(o, r);
        return;
    }
    char *p = room ? o->buf + o->len : reserve(o, o->row_room), *q = p;
    const DecText *const *tx = r->score_text;
    size_t ns = lay->nscores;
    if (tx) { /* the texts made ahead, the total's last */
        size_t i = 0;
        for (; i < ns && tx[i] && tx[i + 1]; i += 2) { /* two at a time: less loop per number */
            const DecText *a = tx[i], *b = tx[i + 1];
            *q = sep;
            memcpy(q + 1, a, sizeof *a); /* 16 bytes, of which a->len count */
            q += a->len + 1u;
            *q = sep;
            memcpy(q + 1, b, sizeof *b);
            q += b->len + 1u;
        }
        for (; i <= ns; i++) {
            const DecText *t = tx[i];
            *q++ = sep;
            if (t) {
                memcpy(q, t, sizeof *t); /* 16 bytes, of which t->len count */
                q += t->len;
            } else {
                q += out_fmt_num(o, i < ns ? r->scores[i] : r->total, q);
            }
        }
    } else {
        for (size_t i = 0; i < ns; i++) {
            *q++ = sep;
            q += out_fmt_num(o, r->scores[i], q);
        }
        *q++ = sep;
        q += out_fmt_num(o, r->total, q);
    }
    const Tail *t = grade_tail(o, r);
    if (t) {
        memcpy(q, t->text, TAIL_MAX);
        q += t->len;
        o->len += (size_t)(q - p);
        if (!lay->noutputs) /* the tail ended the row */
            return;
    } else {
        o->len += (size_t)(q - p);
        put_char(o, sep);
        cell_text(o, r->grade);
    }
    for (size_t k = 0; k < lay->noutputs; k++)
        put_char(o, sep), csv_value(o, &r->outputs[k]);
    put_char(o, sep);
    put_char(o, '\n');
}

/* ---- the interface ---- */

/* The tail of grade text g (NULL: no grade) into t (Tail), as csv_row or
 * json_row would write it; t stays unmade when it would not fit. */
static void make_tail(Out *o, Tail *t, const char *g)
{
    size_t gn = g ? strlen(g) : 0, n = 0;
    if (gn > TAIL_MAX || (o->fmt == OUT_JSON && !g))
        return;
    char buf[16 + ESC_GROW * TAIL_MAX];
    if (o->fmt == OUT_JSON) {
        memcpy(buf, ",\"grade\":\"", 10), n = 10;
        n += out_escape(buf + n, g, gn, ESC_JSON);
        buf[n++] = '"';
    } else {
        buf[n++] = o->sep;
        n += out_cell_into(buf + n, g ? g : "", gn, o->fmt);
        if (!o->lay->noutputs) /* the empty error cell ends the row */
            buf[n++] = o->sep, buf[n++] = '\n';
    }
    if (n <= TAIL_MAX) {
        memcpy(t->text, buf, n);
        t->len = n;
    }
}

/* An Out on f, or a memory Out (f NULL: no buffer yet, no header). */
static Out *open_out(FILE *f, OutFormat fmt, const OutLayout *layout)
{
    Out *o = xmalloc(sizeof *o);
    *o = (Out){.f = f, .fmt = fmt, .lay = layout};
    if (f) {
        o->buf = xmalloc(OUT_BUFSZ);
        o->cap = OUT_BUFSZ;
    }
    o->nums = xmalloc(NUM_CACHE * sizeof *o->nums);
    memset(o->nums, 0, NUM_CACHE * sizeof *o->nums);
    o->shorts = xmalloc(SHORT_CACHE * sizeof *o->shorts);
    memset(o->shorts, 0, SHORT_CACHE * sizeof *o->shorts);
    arena_init(&o->arena);
    o->tail = &o->rows;
    o->ncols = 1 + layout->nshow + layout->nscores + 1 + layout->has_grade + layout->noutputs;
    o->sep = fmt == OUT_TSV ? '\t' : ',';
    o->nnums = layout->nscores + 1;
    o->nnums4 = o->nnums / 4 * 4;
    o->ngrades = layout->ngrades;
    if (fmt == OUT_CSV || fmt == OUT_TSV) {
        /* the numbers' room, DEC_BUFSZ + 1 each; more than a quarter of the
           buffer, and rows go a cell at a time */
        size_t per = DEC_BUFSZ + 1, max = (OUT_BUFSZ / 4 - TAIL_MAX) / per;
        o->row_room = layout->nscores + 1 <= max ? (layout->nscores + 1) * per + TAIL_MAX : 0;
        /* a separator and a 16-byte text a number */
        if (o->row_room && !layout->nshow && !layout->noutputs)
            o->fast_room = (layout->nscores + 1) * (1 + sizeof(DecText)) + TAIL_MAX;
    }
    o->tails = arena_zalloc(&o->arena, (layout->ngrades + 1) * sizeof *o->tails);
    if (fmt != OUT_TABLE) {
        for (size_t i = 0; i < layout->ngrades; i++) {
            o->tails[i].g = layout->grade_texts[i];
            if (layout->grade_texts[i])
                make_tail(o, &o->tails[i], layout->grade_texts[i]);
        }
        make_tail(o, &o->tail_none, NULL);
    }
    switch (fmt) {
    case OUT_JSON:
        o->show_keys = json_keys(o, layout->show_names, layout->nshow);
        o->score_keys = json_keys(o, layout->score_names, layout->nscores);
        json_scores_prepare(o);
        o->output_keys = json_keys(o, layout->output_names, layout->noutputs);
        o->rater_keys = json_keys(o, layout->rater_names, layout->nraters);
        break;
    case OUT_CSV:
    case OUT_TSV:
        if (f)
            csv_header(o);
        break;
    case OUT_TABLE:
        break;
    }
    return o;
}

Out *out_open(FILE *f, OutFormat fmt, const OutLayout *layout)
{
    return open_out(f, fmt, layout);
}

Out *out_open_mem(OutFormat fmt, const OutLayout *layout)
{
    return open_out(NULL, fmt == OUT_TABLE ? OUT_CSV : fmt, layout);
}

void out_mem_give(Out *o, char *buf, size_t cap)
{
    free(o->buf);
    o->buf = buf;
    o->cap = buf ? cap : 0;
    o->len = 0;
}

size_t out_mem_take(Out *o, char **buf, size_t *cap)
{
    size_t len = o->len;
    *buf = o->buf;
    *cap = o->cap;
    o->buf = NULL;
    o->cap = o->len = 0;
    return len;
}

void out_row(Out *o, const OutRow *row)
{
    switch (o->fmt) {
    case OUT_JSON:
        json_row(o, row);
        break;
    case OUT_CSV:
    case OUT_TSV:
        if (!csv_row_fast(o, row))
            csv_row(o, row);
        break;
    case OUT_TABLE:
        out_table_keep(o, row);
        break;
    }
}

int out_flush(Out *o)
{
    if (!o->f)
        return 0;
    if (o->fmt != OUT_TABLE)
        out_buf_flush(o);
    return o->failed || fflush(o->f) != 0 ? -1 : 0;
}

int out_finish(Out *o)
{
    if (o->fmt == OUT_TABLE)
        out_table_print(o);
    out_buf_flush(o);
    int rc = o->failed ? -1 : 0;
    if (o->f && (fflush(o->f) != 0 || ferror(o->f)))
        rc = -1;
    arena_free(&o->arena);
    free(o->buf);
    free(o->nums);
    free(o->shorts);
    free(o);
    return rc;
}
