/* One error style for all of rtexec: "rtexec: <what>: <object>: <reason>", one line. */
#ifndef RTEXEC_LOG_H
#define RTEXEC_LOG_H
#include <stddef.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PRINTF(a, b) __attribute__((format(printf, a, b)))
#define NORETURN __attribute__((noreturn))

/* Exit statuses of the contract. */
enum { EXIT_RTEXEC = 125, EXIT_CANNOT_EXEC = 126, EXIT_NOT_FOUND = 127 };

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
extern enum log_level log_level;

/* Library-like code reports failures in one of these instead of printing or exiting. */
struct rterr {
	char msg[1024];
};

/* Formats fmt into e; if errnum != 0 appends ": strerror(errnum)". Returns -errnum, or -1
 * when errnum is 0, so a caller can `return rterr_set(...)`. */
int rterr_set(struct rterr *e, int errnum, const char *fmt, ...) PRINTF(3, 4);

/* strerror, with the kernel's and glibc's wording where musl's differs ("Device or resource
 * busy", not "Resource busy"): users compare these lines with what other tools print. */
const char *rt_strerror(int errnum);

int log_level_parse(const char *name, enum log_level *out);
void logmsg(enum log_level level, const char *fmt, ...) PRINTF(2, 3);
void die(const char *fmt, ...) PRINTF(1, 2) NORETURN;
void die_status(int status, const char *fmt, ...) PRINTF(2, 3) NORETURN;
#define debug(...) logmsg(LOG_DEBUG, __VA_ARGS__)
#define info(...) logmsg(LOG_INFO, __VA_ARGS__)
#define warn(...) logmsg(LOG_WARN, __VA_ARGS__)

#endif
