/* --dry-run: the plan as JSON, built from the same resolved state the real run uses. */
#ifndef RTEXEC_PLAN_H
#define RTEXEC_PLAN_H
#include "affinity.h"
#include "cgroup.h"
#include "config.h"
#include "nsexec.h"
#include "target.h"

/* Prints the plan on stdout. Returns 0 or -errno. */
int plan_print(const struct config *c, const struct target *t, const struct ns_plan *ns,
	       const struct cg_plan *cg, const struct placement *pl);

#endif
