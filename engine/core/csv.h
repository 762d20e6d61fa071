/*
 * csv.h — cells of a CSV export (RFC 4180) that a spreadsheet opens as text.
 * Every cell is quoted, a '"' in it doubled; a cell that begins with = + - @
 * tab or CR (what spreadsheets take for a formula, OWASP "CSV injection") gets
 * a leading "'", so it shows as typed and never runs.
 */
#ifndef IMIFLOW_CSV_H
#define IMIFLOW_CSV_H
struct buf;
/* Appends the cell s to b, then "," or, when last, "\r\n" (the end of the row). */
void csv_cell(struct buf *b, const char *s, int last);
#endif
