/*
 * date.h — calendar dates typed into forms (YYYY-MM-DD), checked before any
 * SQL sees them: PostgreSQL refuses 2027-02-30 with an error, which would be
 * a 500 instead of the form again with the error at the field.
 */
#ifndef IMIFLOW_DATE_H
#define IMIFLOW_DATE_H

/* 1 if s is exactly YYYY-MM-DD, a day that exists, in the years 1900–2999; else 0. */
int date_valid(const char *s);

#endif
