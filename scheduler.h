/* process.scheduler: the policy vocabulary, the rules sched_setattr(2) applies, and the
 * syscall itself, in one place. */
#ifndef RTEXEC_SCHEDULER_H
#define RTEXEC_SCHEDULER_H
#include <stdbool.h>
#include <sys/types.h>

#include "log.h"

struct sched_config {
	bool set;
	const char *name; /* of the policy, for messages */
	int policy;
	int nice;
	unsigned priority;
	unsigned long long flags, runtime, deadline, period;
	bool from_target; /* the config was silent: the target's (sched_default) */
};

/* Pure. Sets s->policy and s->name from a policy name; path names the JSON value. */
int sched_policy_parse(const char *name, struct sched_config *s, const char *path, struct rterr *e);
/* Pure. Adds a SCHED_FLAG_* name to s->flags. */
int sched_flag_parse(const char *name, struct sched_config *s, const char *path, struct rterr *e);
/* Pure. The rules sched_setattr(2) would apply, checked up front to name the JSON path
 * (path is the scheduler object's). */
int sched_validate(const struct sched_config *s, const char *path, struct rterr *e);
/* The kernel's numbers, which musl's sched.h lacks. */
#define RT_SCHED_DEADLINE 6
#define RT_SCHED_FLAG_RESET_ON_FORK 0x01ULL
/* Pure. SCHED_FIFO, SCHED_RR or SCHED_DEADLINE. */
bool sched_realtime(unsigned policy);

struct rt_sched_attr;
/* Without "scheduler": the target's policy and nice (SCHED_OTHER, SCHED_BATCH, SCHED_IDLE; a
 * negative nice 0 under SCHED_RESET_ON_FORK, as a fork of it gets it), set where they differ
 * from rtexec's own: the caller's never reach the command. A real-time or deadline policy is
 * not taken (SCHED_OTHER at the target's nice): a command exec'd into a real-time container
 * (a debug shell, a busy loop) must not compete with its real-time work unless the config
 * asks for it. target NULL (not readable): the kernel's default, SCHED_OTHER at nice 0. self
 * NULL: not known, always set. Pure. */
void sched_default(struct sched_config *s, const struct rt_sched_attr *target,
		   const struct rt_sched_attr *self);
/* sched_setattr on pid (0: the caller); nothing when !s->set. */
int sched_apply(const struct sched_config *s, pid_t pid, struct rterr *e);

#endif
