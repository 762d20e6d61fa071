/*
 * i18n_format.h — numbers, dates and plural forms as a language writes them
 * (issue 16): the rules in code, the words (month names, the order of day,
 * month and year) in the message catalogs, so a new language is a catalogue
 * and, when its plural rule is new, one line here.
 */
#ifndef IMIFLOW_I18N_FORMAT_H
#define IMIFLOW_I18N_FORMAT_H

struct buf;

/* CLDR's category of the integer n in lang: "one", "few" or "other" (ro: three; da, nl, en: two). */
const char *i18n_plural_category(const char *lang, long long n);

/*
 * "YYYY-MM-DD", optionally followed by " HH:MM…" or "THH:MM…" (a timestamp as
 * PostgreSQL prints it): appended to out as the language writes it, e.g. da
 * "7. december 2026", ro "7 decembrie 2026 14:05" (times in 24 hours, no seconds).
 * -1 and nothing appended when s is not such a date.
 */
int i18n_format_date(const char *lang, const char *s, struct buf *out);

/* x with decimals digits after the language's decimal sign, thousands grouped (1.234,5 in da). */
void i18n_format_number(const char *lang, double x, int decimals, struct buf *out);

#endif
