/* The container's process that rtexec joins, pinned against pid reuse. */
#ifndef RTEXEC_TARGET_H
#define RTEXEC_TARGET_H
#include <sys/types.h>

#include <stdbool.h>

#include "log.h"

/* What the caller asks for: "target" of the config. */
struct target_request {
	pid_t pid;	      /* 0 when pid_file is used */
	const char *pid_file; /* a file holding the pid, as `runc run --pid-file` writes it */
	bool has_start_time;
	unsigned long long start_time;
};

struct target {
	pid_t pid;
	unsigned long long start_time; /* field 22 of /proc/PID/stat */
	int pidfd;		       /* -1 where pidfd_open is unavailable */
};

/* Pure: parses /proc/PID/stat text; the comm field may hold spaces and parentheses. */
int proc_stat_parse(const char *text, char *state, unsigned long long *start_time);
/* Pure: parses a pid file's content ("1234\n"). */
int pid_text_parse(const char *text, pid_t *pid);

int target_open(const struct target_request *r, struct target *t, struct rterr *e);
/* Fails unless the target is still the process target_open found. */
int target_check(const struct target *t, struct rterr *e);
void target_close(struct target *t);

#endif
