/* test_memory.c - lifetimes and idempotence that the sanitizers alone do not
 * show (issue 9): the program of an empty file owns its name table, checking
 * a tree twice gives the same program, and a record kept with facts_keep
 * survives the next read. Each test fails on the code before its fix. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "unit.h"

#include "fixture.h"

#include "arena.h"
#include "check.h"
#include "decimal.h"
#include "eval.h"
#include "facts.h"

/* Make ASan poison a returned frame, so reading a dead stack object is a
 * report, not a silent read of whatever the next call left there. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_stack_use_after_return=1";
}

/* Something that uses the stack where check_program's frame was. */
static int __attribute__((noinline)) scribble(int n)
{
    volatile char pad[4096];
    for (int i = 0; i < (int)sizeof pad; i++)
        pad[i] = (char)(i ^ n);
    return pad[n % (int)sizeof pad] + (n > 0 ? scribble(n - 1) : 0);
}

/* An empty file has no tree; its program's name table must not be the
 * checker's stack copy (it was: check_program returned &c.syms). */
static void test_empty_tree_owns_names(void **state)
{
    Fx *x = *state;
    x->src = source_from_text(&x->a, "t.rubric", "", 0);
    Program *p = check_program(&x->a, x->src, NULL, &x->d);
    assert_non_null(p);
    assert_string_equal(diags(x),
                        "t.rubric: error: no rubric in this file (it starts with rubric NAME { … "
                        "})\n");
    scribble(4);
    assert_int_equal(check_find_fact(p, "完成率", strlen("完成率")), -1);
    assert_null(check_suggest_fact(p, "完成率", strlen("完成率")));
}

static const char twice_src[] = "rubric t {\n"
                                "    fact 完成率: percent 0..100\n"
                                "    item 业绩 {\n"
                                "        完成率 >= 90 -> 10\n"
                                "        else -> 0\n"
                                "    }\n"
                                "    test \"达标\" {\n"
                                "        完成率 = 95%\n"
                                "        expect 业绩 == 10\n"
                                "    }\n"
                                "}\n";

/* The literal 90 next to a percent is read as 90%; checking the same tree a
 * second time must not read it as 0.9% (it did: coerce_percent divided the
 * literal by 100 on every check). Now the tree keeps 90 and each program
 * holds its own reading of it. */
static void test_check_twice_same_program(void **state)
{
    Fx *x = *state;
    x->root = parse(x, twice_src);
    Program *p1 = check_program(&x->a, x->src, x->root, &x->d);
    Program *p2 = check_program(&x->a, x->src, x->root, &x->d);
    if (x->d.errors)
        fail_msg("%s", diags(x));
    char buf[DEC_BUFSZ];
    for (int k = 0; k < 2; k++) {
        const Program *p = k ? p2 : p1;
        const Node *cmp = p->nodes[0]->rules[0]->a;
        assert_int_equal(cmp->kind, AST_CHAIN);
        dec_format(check_num(p, cmp->kids[1]), buf);
        assert_string_equal(buf, "0.9");
        assert_int_equal(check_info(p, cmp->kids[1])->ty, TY_PERCENT);
        dec_format(cmp->kids[1]->num, buf);
        assert_string_equal(buf, "90");
    }
    for (int k = 0; k < 2; k++) {
        Eval *e = eval_new(k ? p2 : p1, &x->d);
        Arena a;
        arena_init(&a);
        Result res;
        assert_true(eval_test(e, (k ? p2 : p1)->tests[0], &a, &res));
        dec_format(res.total, buf);
        assert_string_equal(buf, "10");
        arena_free(&a);
        eval_free(e);
    }
}

/* A record kept with facts_keep holds its text after the next facts_next
 * (a plain row whose offsets count from the reader's buffer included),
 * even when that call moved the reader's buffer (30,000 empty rows after the
 * one employee: the buffer is refilled and its rest moved to the front). */
static void test_kept_record_outlives_next_read(void **state)
{
    (void)state;
    char dir[] = "/tmp/rubric-mem-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("工号,部门\nE1,销售部\nE2 , 市场部 \r\n", f);
    for (int i = 0; i < 30000; i++)
        fputs(",,\n", f);
    assert_int_equal(fclose(f), 0);

    const char *paths[] = {path};
    FactReader *r = facts_open(paths, 1);
    Arena a, b;
    arena_init(&a);
    arena_init(&b);
    FactRecord rec, more;
    assert_true(facts_next(r, &a, &rec));
    /* the second row: its offsets may count from the buffer's start
       (FactRecord.row_at), and its CR LF is not its last cell's */
    assert_true(facts_next(r, &a, &rec));
    facts_keep(&rec, &a);
    assert_int_equal(rec.row_at, 0);
    assert_false(facts_next(r, &b, &more));
    assert_non_null(rec.row); /* read plainly: the row's text itself is kept */
    rec.cells = facts_row_cells(&rec, &a);
    rec.ncells = rec.nheader;
    assert_int_equal(rec.nheader, 2);
    assert_true(rec.cells[1].val_len == strlen("市场部") &&
                memcmp(rec.cells[1].val, "市场部", rec.cells[1].val_len) == 0);
    assert_int_equal(rec.cut[1] - rec.cut[0], strlen(" 市场部 ") + 1); /* no CR in it */
    assert_true(rec.cells[1].key_len == strlen("部门") &&
                memcmp(rec.cells[1].key, "部门", rec.cells[1].key_len) == 0);
    assert_string_equal(rec.default_id, "E2");
    facts_close(r);
    arena_free(&a);
    arena_free(&b);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_empty_tree_owns_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_twice_same_program, setup, teardown),
        cmocka_unit_test(test_kept_record_outlives_next_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
