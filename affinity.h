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

/* Pure. The placement table of the contract. */
void placement_decide(enum transition tr, bool has_eligible, bool has_initial, bool has_final,
		      enum initial_kind *initial, enum final_kind *final);

/* Resolved placement: what the parent pins before the join, what the child sets after. */
struct placement {
	size_t ncpus; /* the kernel's limit: kernel_max + 1 */
	struct cpumask cgroup, isolated;
	long eligible;
	enum transition transition;
	enum initial_kind initial_kind;
	enum final_kind final_kind;
	struct cpumask initial, final; /* valid for INITIAL_NONE / FINAL_UNCHANGED: empty */
};

/* Pure. The rest of the placement from p's ncpus, cgroup and isolated masks (set by the
 * caller) and the request: the eligible CPU, the table, the masks to apply. */
int placement_compute(const struct cpu_request *r, struct placement *p, struct rterr *e);
/* Reads the host (cgroup CPUs, isolated CPUs) and computes the placement.
 * cgroup_cpus: the effective CPUs of the cgroup joined, "" where no cpuset applies;
 * v2_root: the cgroup v2 mount point, NULL if none (for cpuset.cpus.isolated). */
int placement_resolve(const struct cpu_request *r, const char *cgroup_cpus, const char *v2_root,
		      struct placement *p, struct rterr *e);
/* Parent, before forking the child that joins the cgroup (the child inherits it). */
int placement_pin_initial(const struct placement *p, struct rterr *e);
/* Child, last before exec. */
int placement_apply_final(const struct placement *p, struct rterr *e);
void placement_free(struct placement *p);
/* Logs the calling thread's affinity at debug level ("CPU affinity WHEN: LIST"). */
void affinity_log(const char *when);

#endif
