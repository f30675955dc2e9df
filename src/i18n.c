/* i18n.c - choosing the message language and finding the catalog.
 *
 * glibc's gettext ignores LANGUAGE while LC_MESSAGES is the plain "C" locale,
 * and setlocale(LC_MESSAGES, "") falls back to "C" on a machine where no
 * zh_CN locale is generated. So the language is read from the environment
 * here, as --lang is, and Chinese is switched on with LC_MESSAGES set to the
 * always-present C.UTF-8 locale plus LANGUAGE=zh_CN; the catalog is bound
 * with UTF-8 as its codeset, whatever LC_CTYPE says. Only LC_MESSAGES is ever
 * changed: number formatting and character classes stay those of "C". */
#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RUBRIC_LOCALEDIR
#define RUBRIC_LOCALEDIR "/usr/local/share/locale"
#endif

I18nLang i18n_from_env(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            return strncmp(v, "zh", 2) == 0 ? I18N_CHINESE : I18N_ENGLISH;
    }
    return I18N_ENGLISH;
}

bool i18n_parse(const char *s, I18nLang *lang)
{
    if (strncmp(s, "zh", 2) == 0 && (s[2] == 0 || s[2] == '_' || s[2] == '-' || s[2] == '.'))
        *lang = I18N_CHINESE;
    else if (strncmp(s, "en", 2) == 0 && (s[2] == 0 || s[2] == '_' || s[2] == '-' || s[2] == '.'))
        *lang = I18N_ENGLISH;
    else if (strcmp(s, "C") == 0 || strcmp(s, "POSIX") == 0)
        *lang = I18N_ENGLISH;
    else
        return false;
    return true;
}

bool i18n_take_option(int *argc, char **argv, I18nLang *lang, const char **bad)
{
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        const char *a = argv[i], *v = NULL;
        if (strcmp(a, "--lang") == 0) {
            if (i + 1 >= *argc)
                return *bad = a, false;
            v = argv[++i];
        } else if (strncmp(a, "--lang=", 7) == 0) {
            v = a + 7;
        } else {
            argv[out++] = argv[i];
            continue;
        }
        if (!i18n_parse(v, lang))
            return *bad = v, false;
    }
    argv[out] = NULL;
    *argc = out;
    return true;
}

/* dir if it holds the Chinese catalog: copied into buf, which is returned. */
static const char *catalog_in(char *buf, size_t size, const char *dir, const char *sub)
{
    int n = snprintf(buf, size, "%s%s/zh_CN/LC_MESSAGES/" I18N_DOMAIN ".mo", dir, sub);
    if (n < 0 || (size_t)n >= size || access(buf, R_OK) != 0)
        return NULL;
    snprintf(buf, size, "%s%s", dir, sub);
    return buf;
}

/* Where the catalog is: beside the executable (build tree or a relocated
 * install) first, so a fresh build never picks up an older installed one. */
static const char *find_catalog(char *buf, size_t size)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = 0;
            static const char *const subs[] = {"/locale", "/../locale", "/../share/locale"};
            for (size_t i = 0; i < sizeof subs / sizeof *subs; i++)
                if (catalog_in(buf, size, exe, subs[i]))
                    return buf;
        }
    }
    return catalog_in(buf, size, RUBRIC_LOCALEDIR, "");
}

bool i18n_use(I18nLang lang)
{
    if (lang == I18N_ENGLISH) {
        setlocale(LC_MESSAGES, "C");
        return true;
    }
    char dir[PATH_MAX + 64];
    if (!find_catalog(dir, sizeof dir))
        return false;
    if (!setlocale(LC_MESSAGES, "C.UTF-8") && !setlocale(LC_MESSAGES, "C.utf8") &&
        !setlocale(LC_MESSAGES, "zh_CN.UTF-8"))
        return false;
    /* the catalog is chosen by LANGUAGE, not by the locale's name */
    setenv("LANGUAGE", "zh_CN", 1);
    bindtextdomain(I18N_DOMAIN, dir);
    bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
    /* strerror's text comes from the C library's own catalog, when installed */
    bind_textdomain_codeset("libc", "UTF-8");
    textdomain(I18N_DOMAIN);
    return true;
}

bool i18n_translated(const char *msgid)
{
    return gettext(msgid) != msgid;
}
