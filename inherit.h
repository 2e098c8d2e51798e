/* What the container's init runs with, read from its /proc/PID (through the target's pinned
 * directory): the values the command inherits where the config is silent ("the container
 * decides"). The parsers are pure. */
#ifndef RTEXEC_INHERIT_H
#define RTEXEC_INHERIT_H
#include <stdbool.h>
#include <stdint.h>

#include "attrs.h"
#include "log.h"
#include "syscalls.h"
#include "target.h"

struct target_confinement {
	uint64_t caps[CAP_SETS];
	bool no_new_privs;
	int seccomp_mode;	  /* 0 none, 1 strict, 2 filters */
	unsigned seccomp_filters; /* how many, with mode 2 */
	int oom_score_adj;
	unsigned long long rlim_soft[RLIMITS_MAX], rlim_hard[RLIMITS_MAX]; /* ~0ULL: unlimited */
	char *apparmor; /* its AppArmor label where AppArmor is active, else NULL */
	char *selinux;	/* its SELinux context where SELinux is active, else NULL */
	/* Its scheduling (sched_getattr), I/O priority (ioprio_get, as the kernel encodes it) and
	 * personality (/proc/PID/personality): has_* false where they cannot be read. */
	bool has_sched, has_ioprio, has_personality;
	struct rt_sched_attr sched;
	int ioprio;
	unsigned long personality;
	/* Its THP switch (status THP_enabled), timer slack (/proc/PID/timerslack_ns) and NUMA
	 * memory policy (numa_maps: the policy of its first mapping, the task's unless that
	 * mapping has one of its own); has_* false where they cannot be read. numa: of the
	 * target, its cpuset lets it use more than one node (status Mems_allowed_list); of
	 * rtexec's own, its policy is not the default or unknown (but for a kernel without
	 * NUMA), or it may use more than one node. Either: the target's policy matters (on one
	 * node every policy places alike). */
	bool has_thp, thp_disabled;
	bool has_timerslack;
	unsigned long timerslack;
	bool has_mempolicy, numa;
	struct rt_mempolicy mempolicy;
};

/* Pure. From /proc/PID/status: the Cap* sets, NoNewPrivs, Seccomp and Seccomp_filters (0
 * where the kernel does not print them), THP_enabled (has_thp where printed as 0 or 1),
 * whether Mems_allowed_list names more than one node (numa). 0, or -EINVAL when a line is
 * missing or bad. */
int status_parse(const char *text, struct target_confinement *out);
/* Pure. Only NoNewPrivs, Seccomp and Seccomp_filters of a /proc/PID/status, as status_parse
 * reads them; nothing else of out is touched. */
int status_seccomp_parse(const char *text, struct target_confinement *out);
/* Pure. The SigIgn mask of a /proc/PID/status (bit N-1: signal N). 0, or -EINVAL. */
int status_sigign(const char *text, uint64_t *out);
/* Pure. From /proc/PID/limits: every limit, in the kernel's order of the types. */
int limits_parse(const char *text, struct target_confinement *out);
/* Pure. An LSM label as attr/current shows it, for attr/exec: AppArmor's " (enforce)"
 * mode and the newline cut off, into a malloc'd *out. 0, -EINVAL for an empty one,
 * -ENOMEM. */
int lsm_label_parse(const char *text, bool apparmor, char **out);
/* Pure. /proc/PID/personality: 8 hex digits and a newline. 0, or -EINVAL. */
int personality_parse(const char *text, struct target_confinement *out);
/* Pure. The policy of the first line of a /proc/PID/numa_maps ("ADDR bind=static:0-1 ...",
 * as the kernel's mpol_to_str writes it) as set_mempolicy takes it; a "relative" policy's
 * nodes are shown resolved, so it is given as their plain (static where asked) mask.
 * 0, or -EINVAL. */
int mempolicy_parse(const char *text, struct rt_mempolicy *out);

/* The target's, after rtexec's own (self: whether its memory policy matters). */
int confinement_read(const struct target *t, const struct target_confinement *self,
		     struct target_confinement *c, struct rterr *e);
/* The target's NoNewPrivs and seccomp lines again, into c (the rest of c kept): read while
 * its filters are copied, so that both come from one moment (seccomp.c). */
int confinement_read_seccomp(const struct target *t, struct target_confinement *c, struct rterr *e);
/* rtexec's own limits, scheduling, I/O priority, personality, THP switch, timer slack and
 * memory policy, to leave alone what the child has already. */
int confinement_self(struct target_confinement *c, struct rterr *e);
void confinement_free(struct target_confinement *c);

#endif
