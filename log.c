#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "fsutil.h"
#include "sync.h"

enum log_level log_level = LOG_WARN;

const char *rt_strerror(int errnum)
{
	/* Where glibc's wording differs from musl's (runc's and the engines' messages say it so);
	 * the texts in the order of the numbers (packed: see name_at). */
	/* clang-format off */
	static const unsigned short errs[] = { EBUSY, ENOMEM, ENOTTY, ELOOP, ENAMETOOLONG, ECHILD,
		EMFILE, ENFILE, EOVERFLOW, EUSERS, ESTALE, EPROTO };
	static const char texts[] = "Device or resource busy\0" "Cannot allocate memory\0"
		"Inappropriate ioctl for device\0" "Too many levels of symbolic links\0"
		"File name too long\0" "No child processes\0" "Too many open files\0"
		"Too many open files in system\0" "Value too large for defined data type\0"
		"Too many users\0" "Stale file handle\0" "Protocol error\0";
	/* clang-format on */

	for (size_t i = 0; i < ARRAY_LEN(errs); i++)
		if (errs[i] == errnum)
			return name_at(texts, (int)i);
	return strerror(errnum);
}

static size_t escape_controls(const char *in, char *out, size_t n);

int rterr_set(struct rterr *e, int errnum, const char *fmt, ...)
{
	char raw[sizeof(e->msg)];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (errnum && n >= 0 && (size_t)n < sizeof(raw))
		fmt_snprintf(raw + n, sizeof(raw) - (size_t)n, ": %s", rt_strerror(errnum));
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

/* The length (2 to 4) of the well-formed UTF-8 sequence at p, with its code point in *cp;
 * 0 for a byte that starts none (stray continuation, overlong form, surrogate, beyond
 * U+10FFFF, cut short). */
static size_t utf8_seq(const unsigned char *p, unsigned *cp)
{
	static const unsigned min[5] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc0 ? 2 : 0;

	if (n == 0 || *p >= 0xf8)
		return 0;
	*cp = *p & (0x7fu >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0; /* includes the terminating NUL */
		*cp = *cp << 6 | (p[i] & 0x3f);
	}
	if (*cp < min[n] || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* Characters a terminal acts on: C0 and C1 controls (0x9b is a CSI), DEL, and the bidi
 * overrides that make a line read other than it is. */
static bool is_control(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Text from a config or a container (a key, a path) must not break the one-line promise
 * nor send terminal escapes: controls are shown as \n or \xNN per byte, and so is every
 * byte that is not well-formed UTF-8. Idempotent: its output passes through unchanged. */
static size_t escape_controls(const char *in, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t len = 0;

	while (*p && len + 4 * 4 + 1 < n) {
		unsigned cp = *p;
		size_t k = *p < 0x80 ? 1 : utf8_seq(p, &cp);

		if (*p == '\n') {
			len += (size_t)fmt_snprintf(out + len, n - len, "\\n");
		} else if (k == 0 || is_control(cp)) {
			for (size_t i = 0; i < (k ? k : 1); i++)
				len += (size_t)fmt_snprintf(out + len, n - len, "\\x%02x", p[i]);
		} else {
			memcpy(out + len, p, k);
			len += k;
		}
		p += k ? k : 1;
	}
	out[len] = '\0';
	return len;
}

static const struct log_sink *sink;

void log_set_sink(const struct log_sink *s)
{
	sink = s;
}

void log_keep_files(void)
{
	if (sink && sink->keep)
		sink->keep();
}

static int relay_fd = -1;

void log_drop_files(int fd)
{
	if (sink && sink->drop)
		sink->drop();
	relay_fd = fd;
}

static bool final_line; /* die(): the line that ends the run */

/* An escaped line where it goes: the sink, or stderr with rtexec's prefix. One write() per
 * line, so lines from parent and child never interleave. */
static void emit(enum log_level level, const char *text)
{
	static const char *const prefix[] = { "", "warning: ", "", "debug: " };
	char buf[1400];
	size_t n;

	if (sink) {
		sink->write(level, text);
		if (final_line && sink->final)
			sink->final(level, text);
		return;
	}
	n = (size_t)fmt_snprintf(buf, sizeof(buf) - 1, "rtexec: %s%s", prefix[level], text);
	if (n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	while (write(STDERR_FILENO, buf, n) < 0 && errno == EINTR)
		;
}

void log_relayed(int level, const char *text)
{
	char buf[1400];

	/* As the parent's own lines: its level, escaped (the text came over a socket). */
	if (level < LOG_ERROR || level > LOG_DEBUG || level > (int)log_level)
		return;
	escape_controls(text, buf, sizeof(buf));
	emit((enum log_level)level, buf);
}

/* The child's lines go through the parent (log_drop_files): its stderr is no longer the
 * caller's (a pipe, /dev/null, the container's pty) and a sink's file is closed. */
static void write_line(enum log_level level, const char *raw)
{
	char buf[1400];

	escape_controls(raw, buf, sizeof(buf));
	if (relay_fd >= 0)
		sync_send_log(relay_fd, level, buf);
	else
		emit(level, buf);
}

static void vlog(enum log_level level, const char *fmt, va_list ap) PRINTF(2, 0);
static void vlog(enum log_level level, const char *fmt, va_list ap)
{
	char raw[1200];

	fmt_vsnprintf(raw, sizeof(raw), fmt, ap);
	write_line(level, raw);
}

/* Warnings are bounded: WARN_MAX distinct lines, then one line saying how many more. A
 * config with 100,000 unknown capabilities says so in 11 lines, not 100,000. */
#define WARN_MAX 10
static unsigned long warned[WARN_MAX]; /* FNV-1a hashes of the lines printed */
static unsigned nwarned, nsuppressed;

static unsigned long hash(const char *s)
{
	unsigned long h = 2166136261UL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619UL;
	return h;
}

static void warn_once(const char *raw)
{
	unsigned long h = hash(raw);

	for (unsigned i = 0; i < nwarned; i++)
		if (warned[i] == h)
			return; /* said already */
	if (nwarned == WARN_MAX) {
		nsuppressed++;
		return;
	}
	warned[nwarned++] = h;
	write_line(LOG_WARN, raw);
}

void log_flush_warnings(void)
{
	char raw[64];

	if (nsuppressed == 0)
		return;
	fmt_snprintf(raw, sizeof(raw), "%u more warnings not shown", nsuppressed);
	nsuppressed = 0;
	write_line(LOG_WARN, raw);
}

void logmsg(enum log_level level, const char *fmt, ...)
{
	int saved = errno;
	char raw[1200];
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (level == LOG_WARN)
		warn_once(raw);
	else
		write_line(level, raw);
	errno = saved;
}

static void (*at_exit[LOG_AT_EXIT_MAX])(void);
static int n_at_exit;

int log_at_exit(void (*fn)(void))
{
	if (n_at_exit == LOG_AT_EXIT_MAX)
		return -1;
	at_exit[n_at_exit++] = fn;
	return 0;
}

void log_exit(int status)
{
	while (n_at_exit > 0) /* each runs once, even if it exits itself */
		at_exit[--n_at_exit]();
	exit(status);
}

void die(const char *fmt, ...)
{
	va_list ap;

	log_flush_warnings();
	final_line = true;
	va_start(ap, fmt);
	vlog(LOG_ERROR, fmt, ap);
	va_end(ap);
	log_exit(sink ? sink->failure_status : EXIT_RTEXEC);
}

void die_errno(int err, const char *fmt, ...)
{
	char raw[1100];
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	die("%s: %s", raw, rt_strerror(err));
}

void die_status(int status, const char *fmt, ...)
{
	va_list ap;

	log_flush_warnings();
	final_line = true;
	va_start(ap, fmt);
	vlog(LOG_ERROR, fmt, ap);
	va_end(ap);
	log_exit(sink ? sink->failure_status : status);
}
