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

/* Pure. Whether a join without annotation can start the process on an isolated CPU unless
 * it is pinned to the eligible CPU e first (the contract's row "nothing, C and I intersect,
 * E exists"; e < 0: no isolated CPU in the cpuset, nothing to protect). Only a process born in its cpuset (cgroup v2, clone3 CLONE_INTO_CGROUP) next
 * to a caller on housekeeping CPUs, in a cpuset with a housekeeping CPU, starts on one:
 *  - moved: the process enters its cpuset by being moved there (cg_cpuset_moved()). The
 *    kernel moves a task whose CPU is outside the cpuset to any CPU of it, isolated or not,
 *    and on one a SCHED_FIFO thread monopolises it never runs again, inside the cgroup
 *    write, holding the cgroup locks (seen: 25 of 30 joins from CPU 0, PREEMPT_RT guest);
 *  - e is isolated: so is every CPU of the cpuset, wherever the kernel puts the process;
 *  - caller: the CPUs the caller may run on; a new child starts next to its parent, within
 *    the parent's scheduling domain, which an isolated CPU would not give. */
bool transition_needs_pin(bool moved, long e, const struct cpumask *isolated,
			  const struct cpumask *caller);

/* Pure. The placement table of the contract; needs_pin: transition_needs_pin(), for the row
 * without annotation. */
void placement_decide(enum transition tr, bool has_eligible, bool needs_pin, bool has_initial,
		      bool has_final, enum initial_kind *initial, enum final_kind *final);

/* Resolved placement: what the parent pins before the join, what the child sets after. */
struct placement {
	size_t ncpus; /* the kernel's limit: kernel_max + 1 */
	struct cpumask cgroup, isolated;
	struct cpumask caller; /* the CPUs the caller may run on */
	bool moved;	       /* the child enters its cpuset by being moved (cg_cpuset_moved) */
	long eligible;
	enum transition transition;
	enum initial_kind initial_kind;
	enum final_kind final_kind;
	/* Unpinned only because the child will be born in its cpuset: pin to E if it is not. */
	bool pin_if_moved;
	struct cpumask initial, final; /* INITIAL_NONE: empty, or E if pin_if_moved */
};

/* Pure. The rest of the placement from p's ncpus, cgroup, isolated and caller masks and
 * moved (set by the caller) and the request: the eligible CPU, the table, the masks to apply. */
int placement_compute(const struct cpu_request *r, struct placement *p, struct rterr *e);
/* Reads the host (cgroup CPUs, isolated CPUs, the caller's affinity) and computes the
 * placement. cgroup_cpus: the effective CPUs of the cgroup joined, "" where no cpuset
 * applies; moved: cg_cpuset_moved(); v2_root: the cgroup v2 mount point, NULL if none (for
 * cpuset.cpus.isolated). */
int placement_resolve(const struct cpu_request *r, const char *cgroup_cpus, bool moved,
		      const char *v2_root, struct placement *p, struct rterr *e);
/* Parent, before forking the child that joins the cgroup (the child inherits it). */
int placement_pin_initial(const struct placement *p, struct rterr *e);
/* Parent, when the child cannot be born in its cgroup after all (clone3 failed). */
int placement_pin_moved(const struct placement *p, struct rterr *e);
/* Child, last before exec. */
int placement_apply_final(const struct placement *p, struct rterr *e);
void placement_free(struct placement *p);
/* Logs the calling thread's affinity at debug level ("CPU affinity WHEN: LIST"). */
void affinity_log(const char *when);

#endif
