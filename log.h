/* One error style for all of rtexec: "rtexec: <what>: <object>: <reason>", one line.
 *
 * The error contract: a function that can fail returns 0 (or a count) on success and, on
 * failure, either -errno (small helpers without a message) or -1 with the failure described
 * in a struct rterr (everything that has something to say). Never 1/0/-1 triples, never NULL
 * for "out of memory". Only rtexec.c decides to exit; the child reports over sync.c. */
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

/* A failure: its errno, kept apart from the text so that callers can branch on it. */
struct rterr {
	int err;	/* errno of the failure; 0 when there is none (a bad value, ...) */
	char msg[1024]; /* "what: object" followed by ": strerror(err)" when err != 0 */
};

/* Fills e and returns -1, so that a caller can `return rterr_set(...)`. */
int rterr_set(struct rterr *e, int errnum, const char *fmt, ...) PRINTF(3, 4);

/* strerror, with the kernel's and glibc's wording where musl's differs ("Device or resource
 * busy", not "Resource busy"): users compare these lines with what other tools print. */
const char *rt_strerror(int errnum);

int log_level_parse(const char *name, enum log_level *out);
/* "rtexec: warning: TEXT": at most 10 distinct lines; the rest are counted and said in one
 * line "N more warnings not shown" by log_flush_warnings() (die() calls it first, so that a
 * failure still ends with exactly one error line). */
void logmsg(enum log_level level, const char *fmt, ...) PRINTF(2, 3);
void log_flush_warnings(void);

/* A front end that reports the way its engine reads errors (runc.c): every line goes to
 * write (already escaped, one line, without "rtexec: ") instead of stderr, and a failure
 * exits with failure_status. */
struct log_sink {
	void (*write)(enum log_level level, const char *text);
	int failure_status;
	void (*keep)(void); /* log_keep_files */
	void (*drop)(void); /* log_drop_files */
	/* Where set: the line that ends the run (die), once more after write. */
	void (*final)(enum log_level level, const char *text);
};
void log_set_sink(const struct log_sink *sink);
/* Parent, once the preserved fds are reserved (a file opened now cannot take one of their
 * numbers) and before any namespace is joined: a sink's file (runc's --log) is opened once
 * and kept, never again by its path, which inside the container's mount namespace would be
 * the container's to choose. */
void log_keep_files(void);
/* Child, first of all: a sink's file is closed (a container process allowed to ptrace the
 * child could take it with pidfd_getfd and write into the caller's log); the sink's lines
 * go to the parent over the sync channel relay_fd (SYNC_LOG) from then on. */
void log_drop_files(int relay_fd);
/* Parent: a line the child relayed (already escaped), written by the sink. */
void log_relayed(int level, const char *text);
void die(const char *fmt, ...) PRINTF(1, 2) NORETURN;
/* die() with ": strerror(err)" appended. */
void die_errno(int err, const char *fmt, ...) PRINTF(2, 3) NORETURN;
void die_status(int status, const char *fmt, ...) PRINTF(2, 3) NORETURN;
/* What every exit of the parent must do (remove the temporary pid file, give the caller's
 * terminal back): run by die*() and log_exit(), the last registered first. Not atexit(3):
 * musl's brings a second allocator and its locks (2 KiB) for up to LOG_AT_EXIT_MAX calls.
 * -1 when full (a bug: rtexec registers 2). */
#define LOG_AT_EXIT_MAX 4
int log_at_exit(void (*fn)(void));
void log_exit(int status) NORETURN;
#define debug(...) logmsg(LOG_DEBUG, __VA_ARGS__)
#define info(...) logmsg(LOG_INFO, __VA_ARGS__)
#define warn(...) logmsg(LOG_WARN, __VA_ARGS__)

#endif
