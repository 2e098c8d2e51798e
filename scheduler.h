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
};

/* Pure. Sets s->policy and s->name from a policy name; path names the JSON value. */
int sched_policy_parse(const char *name, struct sched_config *s, const char *path, struct rterr *e);
/* Pure. Adds a SCHED_FLAG_* name to s->flags. */
int sched_flag_parse(const char *name, struct sched_config *s, const char *path, struct rterr *e);
/* Pure. The rules sched_setattr(2) would apply, checked up front to name the JSON path
 * (path is the scheduler object's). */
int sched_validate(const struct sched_config *s, const char *path, struct rterr *e);
/* sched_setattr on pid (0: the caller); nothing when !s->set. */
int sched_apply(const struct sched_config *s, pid_t pid, struct rterr *e);

#endif
