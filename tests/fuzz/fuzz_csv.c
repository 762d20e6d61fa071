/*
 * fuzz_csv.c — libFuzzer target for the CSV export's cells (engine/core/csv.c,
 * what GET /authorities/{id}/users.csv writes of user-typed names).
 *
 * Input: the cells of one row, separated by NUL bytes (a cell is a C string,
 * as the database hands it over).  The output is read back as RFC 4180 and
 * must give exactly the cells, each with a "'" before it when it begins with
 * a formula character; so no cell of the file begins with one, no quote
 * escapes its cell, and the row ends with CRLF.
 */
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "fuzz.h"

static int
formula(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf b;
	char *copy, *cell, *end;
	const char *p, *q;
	size_t ncells, i;

	if ((copy = malloc(size + 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	end = copy + size;
	for (ncells = 1, i = 0; i < size; i++)
		ncells += copy[i] == '\0';

	buf_init(&b);
	for (cell = copy, i = 0; i < ncells; i++, cell += strlen(cell) + 1)
		csv_cell(&b, cell, i == ncells - 1);
	if (!buf_ok(&b))
		goto out;
	CHECK(strlen(b.data) == b.len);
	CHECK(b.len >= 2 && memcmp(b.data + b.len - 2, "\r\n", 2) == 0);

	/* Read it back. */
	p = b.data;
	for (cell = copy, i = 0; i < ncells; i++, cell += strlen(cell) + 1) {
		CHECK(cell <= end);
		CHECK(*p == '"');
		p++;
		/* The cell's text, as a spreadsheet sees it, never starts a formula. */
		CHECK(!formula(*p));
		if (formula(cell[0])) {
			CHECK(*p == '\'');
			p++;
		}
		for (q = cell; *q != '\0'; q++) {
			if (*q == '"') {
				CHECK(p[0] == '"' && p[1] == '"');
				p += 2;
			} else
				CHECK(*p++ == *q);
		}
		CHECK(*p == '"' && p[1] != '"');
		p++;
		if (i < ncells - 1)
			CHECK(*p++ == ',');
		else {
			CHECK(p[0] == '\r' && p[1] == '\n');
			p += 2;
		}
	}
	CHECK(p == b.data + b.len);
out:
	buf_release(&b);
	free(copy);
	return 0;
}
