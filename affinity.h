/* CPU placement for real-time hosts: CPU lists, isolated CPUs, the eligible CPU, the
 * placement table of the contract, and applying it around the cgroup transition. */
#ifndef RTEXEC_AFFINITY_H
#define RTEXEC_AFFINITY_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "log.h"

/* A CPU mask of any size: no 64- or 1024-CPU limit. */
struct cpumask {
	unsigned long *bits;
	size_t nbits;
};

int cpumask_init(struct cpumask *m, size_t nbits);
void cpumask_free(struct cpumask *m);
void cpumask_set(struct cpumask *m, size_t cpu);
bool cpumask_test(const struct cpumask *m, size_t cpu);
/* The lowest CPU of m, or -1 if m is empty. */
long cpumask_first(const struct cpumask *m);

/* Pure. The kernel's list format ("0-3,8"): blanks around elements, empty elements skipped;
 * "a-b" needs a <= b; no signs; CPUs must be below ncpus. Allocates out (ncpus bits). */
int cpulist_parse(const char *text, size_t ncpus, struct cpumask *out, struct rterr *e);
/* Pure. Canonical form of m, malloc'd ("" for an empty mask); NULL when out of memory. */
char *cpulist_format(const struct cpumask *m);

/* Pure. The value of the first nohz_full= parameter of a kernel command line, as the kernel
 * tokenizes it (any byte outside '!'..'~' separates, no quoting, parameters end at "--").
 * Returns 1 with a malloc'd *value, 0 when absent or empty. */
int cmdline_nohz_full(const char *cmdline, size_t len, char **value);

/* Pure. The eligible CPU: -1 if the cpuset c has no isolated CPU, min(c) if all of it is
 * isolated, else the first housekeeping CPU of c. */
long eligible_cpu(const struct cpumask *c, const struct cpumask *isolated);

enum transition { TRANSITION_NONE, TRANSITION_TEMPORARY, TRANSITION_DEFINITIVE };
enum initial_kind { INITIAL_NONE, INITIAL_ELIGIBLE, INITIAL_LIST };
enum final_kind { FINAL_UNCHANGED, FINAL_RESET, FINAL_ELIGIBLE, FINAL_LIST };

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

struct placement_request {
	enum transition transition;
	const char *isolated_cpus; /* config override, NULL: detect */
	const char *initial, *final; /* process.execCPUAffinity, NULL if absent */
	const char *cgroup_cpus;   /* effective CPUs of the cgroup joined, "" if none applies */
	const char *v2_root;	   /* cgroup v2 mount point, NULL if none */
};

int placement_resolve(const struct placement_request *r, struct placement *p, struct rterr *e);
/* Parent, before forking the child that joins the cgroup (the child inherits it). */
int placement_pin_initial(const struct placement *p, struct rterr *e);
/* Last before exec, on pid (0: the caller). */
int placement_apply_final(const struct placement *p, pid_t pid, struct rterr *e);
/* process.scheduler, after the final affinity: SCHED_DEADLINE needs the full mask. */
struct sched_config;
int sched_apply(const struct sched_config *s, pid_t pid, struct rterr *e);
void placement_free(struct placement *p);
/* Logs the calling thread's affinity at debug level ("CPU affinity WHEN: LIST"). */
void affinity_log(const char *when);

#endif
