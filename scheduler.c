#include "scheduler.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "syscalls.h"

/* clang-format off */
static const struct {
	const char *name;
	int value;
} policies[] = { { "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 },
	{ "SCHED_BATCH", 3 }, { "SCHED_IDLE", 5 }, { "SCHED_DEADLINE", 6 } },
  flags[] = { { "SCHED_FLAG_RESET_ON_FORK", 0x01 }, { "SCHED_FLAG_RECLAIM", 0x02 },
	{ "SCHED_FLAG_DL_OVERRUN", 0x04 }, { "SCHED_FLAG_KEEP_POLICY", 0x08 },
	{ "SCHED_FLAG_KEEP_PARAMS", 0x10 }, { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
	{ "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 } };
/* clang-format on */

int sched_policy_parse(const char *name, struct sched_config *s, const char *path, struct rterr *e)
{
	for (size_t i = 0; i < ARRAY_LEN(policies); i++) {
		if (strcmp(name, policies[i].name) == 0) {
			s->policy = policies[i].value;
			s->name = policies[i].name;
			return 0;
		}
	}
	if (strcmp(name, "SCHED_ISO") == 0)
		return rterr_set(e, 0, "%s: SCHED_ISO does not exist in Linux", path);
	return rterr_set(e, 0, "%s: unknown policy \"%s\"", path, name);
}

int sched_flag_parse(const char *name, struct sched_config *s, const char *path, struct rterr *e)
{
	for (size_t i = 0; i < ARRAY_LEN(flags); i++) {
		if (strcmp(name, flags[i].name) == 0) {
			s->flags |= (unsigned long long)flags[i].value;
			return 0;
		}
	}
	return rterr_set(e, 0, "%s: unknown flag \"%s\"", path, name);
}

bool sched_realtime(unsigned policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR || policy == RT_SCHED_DEADLINE;
}

void sched_default(struct sched_config *s, const struct rt_sched_attr *target,
		   const struct rt_sched_attr *self)
{
	struct sched_config want = { .set = true, .from_target = true, .policy = SCHED_OTHER };

	if (s->set)
		return;
	if (target) {
		want.policy = (int)target->sched_policy;
		want.priority = target->sched_priority;
		want.nice = target->sched_nice;
		if (sched_realtime(target->sched_policy)) {
			want.policy = SCHED_OTHER;
			want.priority = 0;
		}
		if ((target->sched_flags & RT_SCHED_FLAG_RESET_ON_FORK) && want.nice < 0)
			want.nice = 0;
	}
	if (self && (int)self->sched_policy == want.policy &&
	    self->sched_priority == want.priority && self->sched_nice == want.nice)
		return;
	want.name = "?";
	for (size_t i = 0; i < ARRAY_LEN(policies); i++)
		if (policies[i].value == want.policy)
			want.name = policies[i].name;
	*s = want;
}

int sched_validate(const struct sched_config *s, const char *path, struct rterr *e)
{
	bool rt = s->policy == SCHED_FIFO || s->policy == SCHED_RR, dl = s->policy == 6;

	if (rt && s->priority < 1)
		return rterr_set(e, 0, "%s.priority: must be 1..99 for SCHED_FIFO and SCHED_RR",
				 path);
	if (!rt && s->priority != 0)
		return rterr_set(e, 0, "%s.priority: must be 0 for this policy", path);
	if (!dl && (s->runtime || s->deadline || s->period))
		return rterr_set(
			e, 0, "%s: runtime, deadline and period are for SCHED_DEADLINE only", path);
	if (dl && s->runtime == 0)
		return rterr_set(e, 0, "%s.runtime: is required for SCHED_DEADLINE", path);
	if (dl && s->deadline && s->runtime > s->deadline)
		return rterr_set(e, 0, "%s: runtime must not exceed deadline", path);
	if (dl && s->period && (s->deadline ? s->deadline : s->runtime) > s->period)
		return rterr_set(e, 0, "%s: deadline must not exceed period", path);
	return 0;
}

int sched_apply(const struct sched_config *s, pid_t pid, struct rterr *e)
{
	struct rt_sched_attr attr = { .size = sizeof(attr),
				      .sched_policy = (uint32_t)s->policy,
				      .sched_flags = s->flags,
				      .sched_nice = s->nice,
				      .sched_priority = s->priority,
				      .sched_runtime = s->runtime,
				      .sched_deadline = s->deadline,
				      .sched_period = s->period };
	size_t n;

	if (!s->set || sys_sched_setattr(pid, &attr, 0) == 0)
		return 0;
	rterr_set(e, errno, "set scheduler %s priority %u", s->name, s->priority);
	/* With RT group scheduling a cgroup without RT runtime refuses every RT task. */
	n = strlen(e->msg);
	if (e->err == EPERM && (s->policy == SCHED_FIFO || s->policy == SCHED_RR))
		fmt_snprintf(e->msg + n, sizeof(e->msg) - n,
			     " (cpu.rt_runtime_us of the cgroup may be 0)");
	return -1;
}
