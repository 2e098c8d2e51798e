/* CPU placement for real-time hosts: isolated CPUs, the eligible CPU, the placement table of
 * the contract, and applying it around the cgroup transition. */
#ifndef RTEXEC_AFFINITY_H
#define RTEXEC_AFFINITY_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cpulist.h"
#include "log.h"

#define TRANSITION_ANNOTATION "org.opencontainers.runc.exec.isolated-cpu-affinity-transition"

enum transition { TRANSITION_NONE, TRANSITION_TEMPORARY, TRANSITION_DEFINITIVE };
enum initial_kind { INITIAL_NONE, INITIAL_ELIGIBLE, INITIAL_LIST };
enum final_kind { FINAL_UNCHANGED, FINAL_RESET, FINAL_ELIGIBLE, FINAL_LIST };

/* What the caller asks for: the annotation, isolatedCpus and process.execCPUAffinity. Masks
 * are valid (allocated) only where has_* is set, already checked against kernel_ncpus(). */
struct cpu_request {
	size_t ncpus; /* the kernel's limit the masks were checked against */
	enum transition transition;
	bool has_isolated, has_initial, has_final;
	struct cpumask isolated, initial, final;
};

/* The kernel's limit on CPU numbers: kernel_max + 1. */
size_t kernel_ncpus(void);

/* Pure. The value of the first nohz_full= parameter of a kernel command line, as the kernel
 * tokenizes it (any byte outside '!'..'~' separates, no quoting, parameters end at "--").
 * *value is malloc'd, or NULL when the parameter is absent or empty. 0, or -ENOMEM. */
int cmdline_nohz_full(const char *cmdline, size_t len, char **value);

/* Pure. The eligible CPU: -1 if the cpuset c has no isolated CPU, min(c) if all of it is
 * isolated, else the first housekeeping CPU of c. */
long eligible_cpu(const struct cpumask *c, const struct cpumask *isolated);

/* Pure. The placement table of the contract; needs_pin: for the row without annotation,
 * whether the join path could start the process on an isolated CPU unpinned. That is
 * wherever E exists: a process moved into its cpuset lands on any CPU of it, isolated or not
 * (and on one a SCHED_FIFO thread monopolises it never runs again, inside the cgroup write,
 * holding the cgroup locks: 25 of 30 joins from CPU 0, PREEMPT_RT guest); one born there
 * (clone3 CLONE_INTO_CGROUP) is placed by fork balancing, which may pick an idle isolated
 * CPU that only nohz_full isolates (it stays in the scheduling domains). */
void placement_decide(enum transition tr, bool has_eligible, bool needs_pin, bool has_initial,
		      bool has_final, enum initial_kind *initial, enum final_kind *final);

/* Resolved placement: what the parent pins before the join, what the child sets after. */
struct placement {
	size_t ncpus; /* the kernel's limit: kernel_max + 1 */
	struct cpumask cgroup, isolated;
	long eligible;
	enum transition transition;
	enum initial_kind initial_kind;
	enum final_kind final_kind;
	/* The initial CPUs hold an isolated one (every CPU of the cpuset is isolated, or the
	 * list says so): the parent never moves there (a SCHED_FIFO thread monopolising it
	 * would stop the parent for good, its deadline with it, and a v2 isolated partition's
	 * CPUs are not even in the caller's cpuset). The parent pins the child right after the
	 * fork, and the child pins itself first of all. */
	bool pin_child;
	struct cpumask initial, final; /* INITIAL_NONE: empty */
};

/* Pure. The rest of the placement from p's ncpus, cgroup and isolated masks (set by the
 * caller) and the request: the eligible CPU, the table, the masks to apply. */
int placement_compute(const struct cpu_request *r, struct placement *p, struct rterr *e);
/* Reads the host (cgroup CPUs, isolated CPUs) and computes the
 * placement. cgroup_cpus: the effective CPUs of the cgroup joined, "" where no cpuset
 * applies; v2_root: the cgroup v2 mount point, NULL if none (for cpuset.cpus.isolated). */
int placement_resolve(const struct cpu_request *r, const char *cgroup_cpus, const char *v2_root,
		      struct placement *p, struct rterr *e);
/* Parent, before forking the child that joins the cgroup (the child inherits it); nothing
 * where pin_child. */
int placement_pin_initial(const struct placement *p, struct rterr *e);
/* Where pin_child: the parent pins the child (pid) right after the fork, wherever the kernel
 * started it; the child (pid 0) pins itself before its first cgroup write. */
int placement_pin_child(const struct placement *p, pid_t pid, struct rterr *e);
/* Child, last before exec. */
int placement_apply_final(const struct placement *p, struct rterr *e);
void placement_free(struct placement *p);
/* Logs the calling thread's affinity at debug level ("CPU affinity WHEN: LIST"). */
void affinity_log(const char *when);

#endif
