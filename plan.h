/* --dry-run: the plan as JSON, built from the same resolved state the real run uses. */
#ifndef RTEXEC_PLAN_H
#define RTEXEC_PLAN_H
#include "affinity.h"
#include "attrs.h"
#include "cgroup.h"
#include "nsexec.h"
#include "process.h"
#include "scheduler.h"
#include "seccomp.h"
#include "target.h"

/* What the plan shows: the resolved state, read only. */
struct plan_input {
	const struct target *target;
	const struct ns_plan *ns;
	const struct cg_plan *cg;
	const struct placement *placement;
	const struct process_request *proc;
	const struct attrs *attrs; /* resolved against the target */
	const struct sched_config *sched;
	const struct seccomp_plan *seccomp;
};

/* The plan as JSON text, malloc'd; NULL only when out of memory (cJSON's own contract). */
char *plan_text(const struct plan_input *in);
/* Prints the plan on stdout. 0, or -errno. */
int plan_print(const struct plan_input *in);

#endif
