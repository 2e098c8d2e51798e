/* The container's process that rtexec joins, pinned against pid reuse: every read of it goes
 * through one /proc/PID directory fd that was checked against its pidfd. */
#ifndef RTEXEC_TARGET_H
#define RTEXEC_TARGET_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

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
	int procfd; /* /proc/PID (O_PATH): reads through it fail once the target is gone, they
		     * never reach a process that reused its pid */
};

/* Pure: the fields of a /proc/PID/stat line rtexec needs; comm may hold spaces and ")". */
struct proc_stat {
	char state;		       /* field 3 */
	unsigned long flags;	       /* field 9: PF_* */
	unsigned long long start_time; /* field 22 */
};
int proc_stat_parse(const char *text, struct proc_stat *out);
/* Pure: parses a pid file's content ("1234\n"). */
int pid_text_parse(const char *text, pid_t *pid);

int target_open(const struct target_request *r, struct target *t, struct rterr *e);
/* Fails unless the target is still the live process target_open found. */
int target_check(const struct target *t, struct rterr *e);
/* The target's file NAME (below /proc/PID) read whole into a malloc'd *out. 0, or -errno
 * (-ESRCH once the target is gone). */
int target_read(const struct target *t, const char *name, char **out);
void target_close(struct target *t);

#endif
