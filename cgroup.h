/* Joining the container's cgroups: every mounted v1 hierarchy and the v2 (unified) one, with
 * the v2 EBUSY fallback to the target's current cgroup. All fds are opened on the host,
 * before any namespace is entered. */
#ifndef RTEXEC_CGROUP_H
#define RTEXEC_CGROUP_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "log.h"
#include "target.h"

/* What the caller asks for: "cgroup" of the config (already checked: relative, no ".."). */
struct cg_request {
	const char *path; /* v2, relative to the v2 root; NULL: the target's */
	const char *sub;  /* below it; NULL: none (the EBUSY fallback applies) */
};

struct cg_join {
	bool v2;
	char *hierarchy;   /* "cpuset", "cpu,cpuacct", "name=systemd", "unified" */
	char *path;	   /* the cgroup's directory on the host */
	int dirfd;	   /* O_PATH directory; -1 if it could not be opened (v2 fallback) */
	int tasks;	   /* v1: its "tasks" file, open for writing; -1 for v2 */
	int open_err;	   /* errno of opening it, for the fallback's message */
	bool can_fallback; /* v2 without an explicit sub */
	char *fallback;	   /* v2: the target's current cgroup at planning time, or NULL */
};

#define CG_MAX_NODES 1024 /* memory nodes: the kernel's MAX_NUMNODES at most */

struct cg_plan {
	struct cg_join *j;
	size_t n;
	/* cg_check_drains ran (CPUs are isolated): the v2 cgroup a child is written into (it
	 * could not be born there) is checked too. numa: the kernel has NUMA (no migration
	 * without); nodes: rtexec's memory nodes, where nodes_known. */
	bool guard_written, numa, nodes_known;
	bool v2_at_root; /* the v2 mount shows the hierarchy from its root */
	uint64_t nodes[CG_MAX_NODES / 64];
	int v2;	       /* index of the v2 entry, -1 if none */
	char *joined;  /* v2: the cgroup actually joined, NULL before the join */
	char *v2_root; /* the cgroup v2 mount point, NULL if none */
	/* Ids of cgroup mounts found unusable: covered by a later mount (their paths lead
	 * elsewhere), or not showing the target's v1 cgroup (not below their root). Passed
	 * over, here and when the v2 fallback reads the mounts again. */
	unsigned long long unusable[8];
	size_t nunusable;
};

/* Pure parsers, unit-tested. They cut the line in place (the fields point into it): nothing
 * is copied, nothing sized in advance. */
struct cg_line {
	unsigned id;
	const char *controllers; /* "" for v2 */
	const char *path;
};
int cg_parse_line(char *line, struct cg_line *out);
struct mount_line {
	unsigned long long id; /* the mount's id (first field), as statx's stx_mnt_id */
	const char *root, *point, *fstype;
	const char *options; /* super options */
};
int mountinfo_parse_line(char *line, struct mount_line *out);
/* Whether a v1 mount's super options name exactly the hierarchy's controllers. */
bool cg_options_match(const char *options, const char *controllers);

int cg_plan_open(const struct cg_request *r, const struct target *target, struct cg_plan *p,
		 struct rterr *e);
/* The v2 directory to be born into with clone3(CLONE_INTO_CGROUP), or -1. */
int cg_clone_fd(const struct cg_plan *p);
/* Parent: moves pid into the v2 cgroup unless it was born there. */
int cg_join_v2(struct cg_plan *p, const struct target *target, pid_t pid, bool born_there,
	       struct rterr *e);
/* Child: moves itself into every v1 cgroup, then closes every fd of the plan. "0" into "tasks" moves the calling thread without
 * the global threadgroup lock that a pid written to cgroup.procs takes, whose RCU grace
 * period costs milliseconds (measured: median 11 ms against 25 us). */
int cg_join_v1_self(const struct cg_plan *p, struct rterr *e);
/* Fails if a cgroup of the plan, or the v2 one joined, is frozen (a paused container). */
int cg_check_frozen(const struct cg_plan *p, struct rterr *e);
/* The same for the v2 cgroup the EBUSY fallback joined instead of the plan's (none: 0), which
 * the plan's check before the fork never saw. */
int cg_check_fallback_frozen(const struct cg_plan *p, struct rterr *e);
/* The same for the plan's v1 freezer cgroups alone: a child that writes itself into a frozen
 * one freezes at once and cannot die of a SIGKILL until the container is resumed (a child
 * frozen with a v2 cgroup can). */
int cg_check_v1_frozen(const struct cg_plan *p, struct rterr *e);
/* The effective CPUs of the cgroup planned (or joined) into a malloc'd *out; "" where no
 * cpuset applies. 0, or -ENOMEM. */
int cg_effective_cpus(const struct cg_plan *p, char **out);
/* For a host with isolated CPUs: refuses a join whose kernel path drains every CPU's LRU
 * batch (lru_add_drain_all) and waits for a worker of each CPU holding pages there, for ever
 * for one that a real-time task monopolises, holding the cgroup mutex meanwhile: a v1 memory
 * cgroup that moves charges with the task (memory.move_charge_at_immigrate, Linux before
 * 6.13), a cpuset that migrates the joiner's pages to other memory nodes (v1 with
 * cpuset.memory_migrate; v2 always, but only for a child written in, not born there, which
 * cg_join_v2 checks then). Reads only the files of these cases. */
int cg_check_drains(struct cg_plan *p, struct rterr *e);
/* Whether a v1 cpuset hierarchy is joined: the child then moves itself into a cpuset. */
bool cg_v1_cpuset(const struct cg_plan *p);
void cg_plan_close(struct cg_plan *p);

#endif
