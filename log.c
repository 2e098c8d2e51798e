#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum log_level log_level = LOG_WARN;

const char *rt_strerror(int errnum)
{
	static const struct {
		int err;
		const char *text;
	} glibc[] = {
		{ EBUSY, "Device or resource busy" },
		{ ENOMEM, "Cannot allocate memory" },
		{ ENOTTY, "Inappropriate ioctl for device" },
		{ ELOOP, "Too many levels of symbolic links" },
		{ ENAMETOOLONG, "File name too long" },
		{ ECHILD, "No child processes" },
		{ EMFILE, "Too many open files" },
		{ ENFILE, "Too many open files in system" },
		{ EOVERFLOW, "Value too large for defined data type" },
		{ EUSERS, "Too many users" },
		{ ESTALE, "Stale file handle" },
		{ EPROTO, "Protocol error" },
	};

	for (size_t i = 0; i < sizeof(glibc) / sizeof(glibc[0]); i++)
		if (glibc[i].err == errnum)
			return glibc[i].text;
	return strerror(errnum);
}

int rterr_set(struct rterr *e, int errnum, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (errnum && n >= 0 && (size_t)n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - (size_t)n, ": %s", rt_strerror(errnum));
	return errnum ? -errnum : -1;
}

int log_level_parse(const char *name, enum log_level *out)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* One write() per line, so lines from parent and child never interleave. */
static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char buf[1200];
	int n = snprintf(buf, sizeof(buf), "rtexec: %s", prefix);

	if (n < 0)
		return;
	vsnprintf(buf + n, sizeof(buf) - (size_t)n - 1, fmt, ap);
	n = (int)strlen(buf);
	buf[n++] = '\n';
	while (write(STDERR_FILENO, buf, (size_t)n) < 0 && errno == EINTR)
		;
}

void logmsg(enum log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = { "", "warning: ", "", "debug: " };
	int saved = errno;
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	vlog(prefix[level], fmt, ap);
	va_end(ap);
	errno = saved;
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
	exit(EXIT_RTEXEC);
}

void die_status(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
	exit(status);
}
