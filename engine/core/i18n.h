/*
 * i18n.h — message catalogs, xslt/i18n/LANG.xml, loaded once per process and
 * read-only afterwards (safe from every thread).  A missing message falls back
 * to English, then to its key, so a gap shows on the page instead of failing it.
 *
 * Catalog format:  <catalog lang="en"><msg key="login.title">Sign in</msg>…</catalog>
 */
#ifndef IMIFLOW_I18N_H
#define IMIFLOW_I18N_H

int i18n_load(const char *dir);          /* every LANG.xml in dir; en.xml is required */
void i18n_free(void);
const char *i18n_get(const char *lang, const char *key);
int i18n_has_lang(const char *lang);
/* The catalog's language codes, NULL-terminated, for language pickers. */
const char *const *i18n_langs(void);

#endif
