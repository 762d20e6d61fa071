/* i18n_format.c — see i18n_format.h. */
#include "i18n_format.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "i18n.h"

const char *
i18n_plural_category(const char *lang, long long n)
{
	long long m = n < 0 ? -n : n;

	if (lang != NULL && strcmp(lang, "ro") == 0) {
		/* one: 1; few: 0 and 2–19 after the hundreds (2 zile, 119 zile); other: 20 de zile */
		if (m == 1)
			return "one";
		if (m == 0 || (m % 100 >= 1 && m % 100 <= 19))
			return "few";
		return "other";
	}
	return m == 1 ? "one" : "other";
}

static int
digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* The catalog's message for key with {1}…{3} replaced (the catalog gives the order). */
static void
fill(struct buf *out, const char *msg, const char *const *args, int nargs)
{
	for (const char *p = msg; *p != '\0'; p++) {
		if (p[0] == '{' && p[1] >= '1' && p[1] - '1' < nargs && p[2] == '}') {
			buf_puts(out, args[p[1] - '1']);
			p += 2;
		} else {
			buf_append(out, p, 1);
		}
	}
}

int
i18n_format_date(const char *lang, const char *s, struct buf *out)
{
	int y, mo, d, h = -1, mi = -1;
	char key[24], day[16], year[16], time[16];
	const char *args[3];

	if (s == NULL || strlen(s) < 10 || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	if ((s[10] == ' ' || s[10] == 'T') && strlen(s) >= 16 && s[13] == ':') {
		if (digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || h > 23 || mi > 59)
			return -1;
	} else if (s[10] != '\0') {
		return -1;
	}
	snprintf(key, sizeof(key), "date.month.%d", mo);
	snprintf(day, sizeof(day), "%d", d);
	snprintf(year, sizeof(year), "%d", y);
	args[0] = day;
	args[1] = i18n_get(lang, key);
	args[2] = year;
	if (h < 0) {
		fill(out, i18n_get(lang, "date.format"), args, 3);
		return 0;
	}
	{
		struct buf date;
		const char *dt[2];

		buf_init(&date);
		fill(&date, i18n_get(lang, "date.format"), args, 3);
		snprintf(time, sizeof(time), "%02d:%02d", h, mi);
		dt[0] = buf_ok(&date) && date.data ? date.data : "";
		dt[1] = time;
		fill(out, i18n_get(lang, "date.datetime"), dt, 2);
		buf_release(&date);
	}
	return 0;
}

void
i18n_format_number(const char *lang, double x, int decimals, struct buf *out)
{
	const char *dec = i18n_get(lang, "number.decimal"), *grp = i18n_get(lang, "number.group");
	char raw[64], *dot;
	size_t nint, start;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	if (x != x || x >= 1e15 || x <= -1e15) {     /* NaN, infinities, huge */
		snprintf(raw, sizeof(raw), "%g", x);
		buf_puts(out, raw);
		return;
	}
	snprintf(raw, sizeof(raw), "%.*f", decimals, x);
	start = raw[0] == '-' ? 1 : 0;
	if (start)
		buf_puts(out, "-");
	dot = strchr(raw, '.');
	nint = (dot ? (size_t)(dot - raw) : strlen(raw)) - start;
	for (size_t i = 0; i < nint; i++) {
		/* groups of three from the right, from 10 000 on (1234 stays as written) */
		if (i > 0 && (nint - i) % 3 == 0 && nint > 4)
			buf_puts(out, grp);
		buf_append(out, raw + start + i, 1);
	}
	if (dot != NULL) {
		buf_puts(out, dec);
		buf_puts(out, dot + 1);
	}
}
