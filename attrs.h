/* The OCI process attributes beyond user and cwd: rlimits, capabilities, no_new_privs,
 * oom_score_adj, I/O priority and LSM labels. Tables are pure; apply_* run in the child. */
#ifndef RTEXEC_ATTRS_H
#define RTEXEC_ATTRS_H
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "log.h"

#define RLIMITS_MAX 16 /* RLIM_NLIMITS */
#define CAP_SETS 5
#define MEMPOLICY_NODES 1024	   /* the kernel's MAX_NUMNODES at most (NODES_SHIFT 10) */
#define TIMERSLACK_DEFAULT 50000UL /* ns: init_task's, what a process has unless set */

/* A NUMA memory policy as set_mempolicy takes it: the mode with its flags (MPOL_F_*), the
 * nodes. */
enum {
	RT_MPOL_DEFAULT,
	RT_MPOL_PREFERRED,
	RT_MPOL_BIND,
	RT_MPOL_INTERLEAVE,
	RT_MPOL_LOCAL,
	RT_MPOL_PREFERRED_MANY,
	RT_MPOL_WEIGHTED_INTERLEAVE, /* Linux 6.9 */
};
#define RT_MPOL_F_NUMA_BALANCING (1 << 13)
#define RT_MPOL_F_STATIC_NODES (1 << 15)
#define RT_MPOL_F_MEMS_ALLOWED (1 << 2) /* get_mempolicy: the nodes the cpuset allows */
struct rt_mempolicy {
	int mode;
	uint64_t nodes[MEMPOLICY_NODES / 64];
};

enum cap_set { CAPS_BOUNDING, CAPS_EFFECTIVE, CAPS_INHERITABLE, CAPS_PERMITTED, CAPS_AMBIENT };

struct rlimit_config {
	int resource;
	const char *name;
	unsigned long long soft, hard; /* ~0ULL: unlimited */
	bool from_target;	       /* the config did not name it: the target's */
	bool unchanged;		       /* rtexec's own already: the child sets nothing */
};

/* The process attributes: as the config asks for them (struct config), and, resolved against
 * the target by attrs_resolve() on a copy, as the child applies them (struct run). */
struct attrs {
	struct rlimit_config rlimits[RLIMITS_MAX];
	unsigned nrlimits;
	bool caps_set;
	bool bounding_only; /* from the target, for a non-root command: the bounding set only */
	uint64_t caps[CAP_SETS];
	bool has_no_new_privs;
	bool no_new_privs;
	bool has_oom_score_adj;
	int oom_score_adj;
	bool has_ioprio;
	int ioprio_class; /* IOPRIO_CLASS_NONE 0 (from the target only), RT 1, BE 2, IDLE 3 */
	int ioprio_level;
	/* Not in OCI: the target's, where they differ from rtexec's own (never the caller's):
	 * its personality, THP switch (prctl PR_SET_THP_DISABLE), timer slack and NUMA memory
	 * policy. */
	bool has_personality;
	unsigned long personality;
	bool has_thp, thp_disabled;
	bool has_timerslack;
	unsigned long timerslack; /* ns */
	bool has_mempolicy;
	struct rt_mempolicy mempolicy;
	const char *apparmor_profile;
	const char *selinux_label;
	/* runc's rule for an engine's process file: an ambient capability that cannot be raised
	 * (not permitted and inheritable) is left out, not an error. */
	bool ambient_lenient;
	/* Resolved: what the config was silent on and the target decided. */
	bool caps_from_target, nnp_from_target, oom_from_target, lsm_from_target,
		ioprio_from_target;
};

struct target_confinement;

/* Pure lookups: -1 when unknown. */
int rlimit_from_name(const char *name);
int cap_from_name(const char *name);
const char *cap_name(int cap);
const char *const *cap_set_names(void); /* "bounding", ... indexed by enum cap_set */
int ioprio_class_from_name(const char *name);

/* Whether an LSM ("apparmor", "selinux") is enabled on this host. */
bool lsm_enabled(const char *lsm);
/* Parent, before anything runs, on the resolved copy. Where the config is silent, the target
 * decides: its capability sets (as runc exec gives the container's: all five for uid 0, the
 * bounding set alone for another uid: the kernel clears the rest at the uid switch), its
 * NoNewPrivs, oom_score_adj, every rlimit type the config does not name, its LSM labels,
 * its I/O priority and personality (never the caller's: set where they differ from it).
 * Capabilities the kernel lacks are dropped with a warning; an LSM field of the config
 * needs that LSM enabled on this host. self: rtexec's own limits (what the child has
 * already needs no syscall). */
int attrs_resolve(struct attrs *a, const struct target_confinement *tc,
		  const struct target_confinement *self, uid_t uid, struct rterr *e);
/* The child's own files of the host's /proc that attrs_apply_privileged writes (not the
 * container's /proc), opened at its first step through the host's /proc (procfs), which it
 * then lets go of; -1 where not needed. */
struct attrs_proc {
	int oom, lsm;
	const char *lsm_name; /* the LSM attribute: self/attr/apparmor/exec or self/attr/exec */
};
int attrs_open_proc(const struct attrs *a, int procfs, struct attrs_proc *f, struct rterr *e);
/* Child, with the host's privileges, before entering the user namespace: rlimits (raising a
 * hard limit), oom_score_adj (lowering it), the RT I/O class, the LSM label of the exec. */
int attrs_apply_privileged(const struct attrs *a, struct attrs_proc *f, struct rterr *e);
/* In the parent around the fork (before: true, then false): a child's default timer slack,
 * which PR_SET_TIMERSLACK 0 or a return from a real-time policy brings back, is its parent's
 * slack at the fork. The parent holds the command's across it, then its own (self's; where
 * unknown, its default) again: an init's slack of hours must not stretch the parent's
 * deadline. */
void attrs_slack_around_fork(const struct attrs *a, const struct target_confinement *self,
			     bool before);
/* Child, around the uid switch: bounding set and keep-caps before, the rest after. */
int attrs_caps_before_uid(const struct attrs *a, struct rterr *e);
/* Reads the three sets back into buffers no seccomp filter can write (one installed before
 * the switch could answer capset with a success that did nothing): -1 unless they are the
 * plan's. */
int attrs_caps_verify(const struct attrs *a, struct rterr *e);
int attrs_caps_after_uid(const struct attrs *a, struct rterr *e);
/* Child, last before exec: RLIMIT_NOFILE, no_new_privs. */
int attrs_apply_last(const struct attrs *a, struct rterr *e);

#endif
