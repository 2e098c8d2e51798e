/* rtexec's own printf family: the integer, character and string conversions of C's printf
 * (flags "-+ #0", width and precision, "*", the length modifiers hh h l ll j z t), and
 * nothing else. Its messages never print a floating-point value, and musl's vfprintf is 10 KiB
 * of the static binary, most of it the floating-point formatting. The floating-point
 * conversions (e f g a, with or without "l") and %n are copied out as written, their argument
 * read so that the next ones stay in step; any other conversion or length it does not know
 * (L, q, ', %lc, %ls, ...) ends the formatting: the rest of the format is copied as written and
 * no further argument is read. A width or precision over INT_MAX, or a text longer than
 * INT_MAX, is -1 with errno EOVERFLOW, as C's. test/unit/test_fmt.c compares the rest with
 * the C library's snprintf. */
#ifndef RTEXEC_FMT_H
#define RTEXEC_FMT_H
#include <stdarg.h>
#include <stddef.h>

#include "log.h"

/* As vsnprintf: writes at most n bytes with the NUL, returns the length the whole text has. */
int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap) PRINTF(3, 0);
int fmt_snprintf(char *buf, size_t n, const char *fmt, ...) PRINTF(3, 4);
/* As asprintf: *out is malloc'd; -1 (and *out NULL) when out of memory. */
int fmt_asprintf(char **out, const char *fmt, ...) PRINTF(2, 3);
/* The whole text to fd (standard output for --version, --help and the plan); 0 or -errno. */
int fmt_dprintf(int fd, const char *fmt, ...) PRINTF(2, 3);
/* secs since the epoch as UTC, "2006-01-02T15:04:05Z" (the time of runc's log lines); the
 * length, as fmt_snprintf. Not gmtime_r: it brings musl's time zone code (5 KiB). */
int fmt_utc(char *buf, size_t n, long long secs);

#endif
