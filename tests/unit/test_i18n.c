/* test_i18n.c - choosing the message language, finding the catalog, and
 * keywords in hints spelled the way the rubric spells them. */
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#include "fixture.h"
#include "i18n.h"

static void test_parse(void **state)
{
    (void)state;
    static const char *const zh[] = {"zh", "zh_CN", "zh_CN.UTF-8", "zh-TW", "zh.GBK"};
    static const char *const en[] = {"en", "en_US.UTF-8", "C", "POSIX"};
    static const char *const bad[] = {"", "fr", "zhx", "chinese", "c", "EN"};
    I18nLang l;
    for (size_t i = 0; i < sizeof zh / sizeof *zh; i++)
        l = I18N_ENGLISH, assert_true(i18n_parse(zh[i], &l)), assert_int_equal(l, I18N_CHINESE);
    for (size_t i = 0; i < sizeof en / sizeof *en; i++)
        l = I18N_CHINESE, assert_true(i18n_parse(en[i], &l)), assert_int_equal(l, I18N_ENGLISH);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_false(i18n_parse(bad[i], &l));
}

/* Set the three variables (NULL: unset) and return what the environment asks for. */
static I18nLang env_lang(const char *all, const char *messages, const char *lang)
{
    const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"}, *values[] = {all, messages, lang};
    for (int i = 0; i < 3; i++)
        if (values[i])
            setenv(names[i], values[i], 1);
        else
            unsetenv(names[i]);
    return i18n_from_env();
}

static void test_from_env(void **state)
{
    (void)state;
    assert_int_equal(env_lang(NULL, NULL, NULL), I18N_ENGLISH);
    assert_int_equal(env_lang(NULL, NULL, "zh_CN.UTF-8"), I18N_CHINESE);
    assert_int_equal(env_lang(NULL, NULL, "C"), I18N_ENGLISH);
    /* the first that is set and not empty decides, in the order LC_ALL, LC_MESSAGES, LANG */
    assert_int_equal(env_lang("C", "zh_CN.UTF-8", "zh_CN.UTF-8"), I18N_ENGLISH);
    assert_int_equal(env_lang("zh_CN", NULL, "C"), I18N_CHINESE);
    assert_int_equal(env_lang("", "zh_TW.UTF-8", "C"), I18N_CHINESE);
    assert_int_equal(env_lang("", "", "zh"), I18N_CHINESE);
    assert_int_equal(env_lang(NULL, "en_US.UTF-8", "zh_CN.UTF-8"), I18N_ENGLISH);
    env_lang(NULL, NULL, NULL);
}

static void test_take_option(void **state)
{
    (void)state;
    char a0[] = "rubric", a1[] = "--lang", a2[] = "zh", a3[] = "check", a4[] = "t.rubric",
         a5[] = "--lang=en";
    char *v1[] = {a0, a1, a2, a3, a4, NULL};
    int n = 5;
    I18nLang l = I18N_ENGLISH;
    const char *bad = NULL;
    assert_true(i18n_take_option(&n, v1, &l, &bad));
    assert_int_equal(n, 3);
    assert_string_equal(v1[1], "check");
    assert_string_equal(v1[2], "t.rubric");
    assert_null(v1[3]);
    assert_int_equal(l, I18N_CHINESE);

    /* anywhere on the line, and the last one wins */
    char *v2[] = {a0, a3, a1, a2, a4, a5, NULL};
    n = 6;
    assert_true(i18n_take_option(&n, v2, &l, &bad));
    assert_int_equal(n, 3);
    assert_string_equal(v2[1], "check");
    assert_string_equal(v2[2], "t.rubric");
    assert_int_equal(l, I18N_ENGLISH);

    /* a missing value, a bad value */
    char *v3[] = {a0, a3, a1, NULL};
    n = 3;
    assert_false(i18n_take_option(&n, v3, &l, &bad));
    assert_string_equal(bad, "--lang");
    char b1[] = "--lang", b2[] = "fr";
    char *v4[] = {a0, b1, b2, a3, NULL};
    n = 4;
    assert_false(i18n_take_option(&n, v4, &l, &bad));
    assert_string_equal(bad, "fr");
}

/* The catalog beside the test binary (build/san/../locale) is found and used;
 * English again restores every message. make test builds the catalog first. */
static void test_catalog(void **state)
{
    (void)state;
    assert_true(i18n_use(I18N_CHINESE));
    assert_string_equal(_("no rule matched"), "未匹配任何规则");
    assert_string_equal(diag_level_name(DIAG_ERROR), "错误");
    assert_string_equal(ngettext("%d error", "%d errors", 2), "%d 个错误");
    assert_true(i18n_translated("%d passed, %d failed\n"));
    assert_false(i18n_translated("a message that is not in the catalog"));
    assert_true(i18n_use(I18N_ENGLISH));
    assert_string_equal(_("no rule matched"), "no rule matched");
    assert_string_equal(diag_level_name(DIAG_ERROR), "error");
    assert_string_equal(ngettext("%d error", "%d errors", 2), "%d errors");
    assert_false(i18n_translated("%d passed, %d failed\n"));
}

static const char *fake_keyword(const char *en)
{
    return strcmp(en, "else") == 0 ? "否则" : strcmp(en, "max") == 0 ? "满分" : NULL;
}

/* {kw} in a format is the keyword as the rubric spells it; other braces stay. */
static void test_keyword_markers(void **state)
{
    Fx *x = *state;
    x->src = source_from_text(&x->a, "t.rubric", "x\n", 2);
    diag_at(&x->d, x->src, DIAG_ERROR, 0, 1, "code", "a rule after {else}");
    diag_hint(&x->d, "Write {max} %d { … } or {else} -> %s; {}, {Max} and {x1} stay.", 20,
              "{else}");
    assert_string_equal(diags(x), "t.rubric:1:1: error: a rule after else [code]\n"
                                  "    1 | x\n"
                                  "      | ^\n"
                                  "hint: Write max 20 { … } or else -> {else}; {}, {Max} and {x1} "
                                  "stay.\n");
    reset(x);
    x->d.keyword = fake_keyword;
    diag_at(&x->d, x->src, DIAG_WARNING, 0, 1, NULL, "{else} and {max}, not {score}");
    diag_hint(&x->d, "Write {max} %d { … } or {else} -> %s.", 20, "{else}");
    assert_string_equal(diags(x), "t.rubric:1:1: warning: 否则 and 满分, not score\n"
                                  "    1 | x\n"
                                  "      | ^\n"
                                  "hint: Write 满分 20 { … } or 否则 -> {else}.\n");
}

/* The rubric's own spelling decides: 评分表 gives Chinese keywords in hints. */
static void test_hints_follow_the_rubric(void **state)
{
    Fx *x = *state;
    Node *root = parse(x, "评分表 \"甲\" {\n    指标 业绩 { 得分 出勤天数 }\n}\n");
    check_program(&x->a, x->src, root, &x->d);
    assert_non_null(strstr(diags(x), "hint: Declare it first, e.g. 数据 出勤天数: 数值 0..100.\n"));
    reset(x);
    x->d.keyword = NULL;
    root = parse(x, "rubric \"甲\" {\n    item 业绩 { score 出勤天数 }\n}\n");
    check_program(&x->a, x->src, root, &x->d);
    assert_non_null(
        strstr(diags(x), "hint: Declare it first, e.g. fact 出勤天数: number 0..100.\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_from_env),
        cmocka_unit_test(test_take_option),
        cmocka_unit_test(test_catalog),
        cmocka_unit_test_setup_teardown(test_keyword_markers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hints_follow_the_rubric, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
