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
	/* clang-format off */
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
	/* clang-format on */

	for (size_t i = 0; i < ARRAY_LEN(glibc); i++)
		if (glibc[i].err == errnum)
			return glibc[i].text;
	return strerror(errnum);
}

static size_t escape_controls(const char *in, char *out, size_t n);

int rterr_set(struct rterr *e, int errnum, const char *fmt, ...)
{
	char raw[sizeof(e->msg)];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (errnum && n >= 0 && (size_t)n < sizeof(raw))
		snprintf(raw + n, sizeof(raw) - (size_t)n, ": %s", rt_strerror(errnum));
	escape_controls(raw, e->msg, sizeof(e->msg));
	e->err = errnum;
	return -1;
}

int log_level_parse(const char *name, enum log_level *out)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };

	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

/* Text from a config or a container (a key, a path) must not break the one-line promise
 * nor send terminal escapes: control bytes are shown as \n, \xNN. */
static size_t escape_controls(const char *in, char *out, size_t n)
{
	size_t len = 0;

	for (; *in && len + 5 < n; in++) {
		unsigned char ch = (unsigned char)*in;
		if (ch == '\n')
			len += (size_t)snprintf(out + len, n - len, "\\n");
		else if (ch < 0x20 || ch == 0x7f)
			len += (size_t)snprintf(out + len, n - len, "\\x%02x", ch);
		else
			out[len++] = (char)ch;
	}
	out[len] = '\0';
	return len;
}

/* One write() per line, so lines from parent and child never interleave. */
static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	char raw[1200], buf[1400];
	size_t n;

	vsnprintf(raw, sizeof(raw), fmt, ap);
	n = (size_t)snprintf(buf, sizeof(buf), "rtexec: %s", prefix);
	n += escape_controls(raw, buf + n, sizeof(buf) - n - 1);
	buf[n++] = '\n';
	while (write(STDERR_FILENO, buf, n) < 0 && errno == EINTR)
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

void die_errno(int err, const char *fmt, ...)
{
	char raw[1100];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	die("%s: %s", raw, rt_strerror(err));
}

void die_status(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
	exit(status);
}
