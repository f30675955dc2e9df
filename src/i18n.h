/* i18n.h - messages in the user's language (English or Chinese) via gettext.
 *
 * Every message string in the sources is English and is looked up in the
 * catalog po/zh_CN.po (built to LOCALE/zh_CN/LC_MESSAGES/rubric.mo) when
 * Chinese is chosen. The choice is made once, at start-up, from `--lang` or
 * the environment, and lives in the C library's LC_MESSAGES locale: while it
 * is "C" (the default, and what `--lang en` sets) gettext returns the English
 * text unchanged, so the unit tests and the fuzzers, which never call
 * i18n_init, see English. */
#ifndef RUBRIC_I18N_H
#define RUBRIC_I18N_H
#include <libintl.h>
#include <stdbool.h>

#define I18N_DOMAIN "rubric"

/* _("…") translates now; N_("…") only marks a string for the catalog
 * (a table entry translated where it is used). N_ adds no parentheses, so it
 * can initialise a char array. */
#define _(s) gettext(s)
#define N_(s) s

typedef enum { I18N_ENGLISH, I18N_CHINESE } I18nLang;

/* The language the environment asks for: the first of LC_ALL, LC_MESSAGES,
 * LANG that is set and non-empty, Chinese when it starts with "zh". */
I18nLang i18n_from_env(void);
/* Parse a --lang value ("zh", "en", or a locale name such as zh_CN.UTF-8);
 * false when it is neither. */
bool i18n_parse(const char *s, I18nLang *lang);
/* Remove every `--lang X` / `--lang=X` from argv (updating *argc) and set
 * *lang from the last one. False, with *bad the offending argument, when a
 * value is missing or not a language. */
bool i18n_take_option(int *argc, char **argv, I18nLang *lang, const char **bad);
/* Make gettext answer in lang. For Chinese: the catalog is looked for beside
 * the executable (build tree: EXE_DIR/locale, EXE_DIR/../locale; relocated
 * install: EXE_DIR/../share/locale), then in RUBRIC_LOCALEDIR (the install's
 * PREFIX/share/locale); this works on a machine with no zh_CN locale
 * generated. Returns false (messages stay English) when no catalog or no
 * usable locale was found. */
bool i18n_use(I18nLang lang);
/* True when msgid has a translation in use, i.e. its text differs from msgid. */
bool i18n_translated(const char *msgid);

#endif
