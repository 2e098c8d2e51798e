/* Entering the container's namespaces. Every fd is opened before the first setns. */
#ifndef RTEXEC_NSEXEC_H
#define RTEXEC_NSEXEC_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "config.h"
#include "log.h"
#include "target.h"

struct ns_join {
	enum ns_type type;
	int fd;		  /* the namespace file, always open */
	bool from_target; /* joinable through the target's pidfd */
	char path[PATH_MAX]; /* what fd was opened from, for messages and the plan */
};

struct ns_plan {
	struct ns_join j[NS_COUNT];
	size_t n;
	int pidfd; /* borrowed from the target; -1 to join per file */
};

/* Decides which namespaces to join and opens them all. */
int ns_plan_open(const struct config *c, const struct target *t, struct ns_plan *p,
		 struct rterr *e);
/* The pid and time namespaces only take effect for children: the parent joins them before
 * forking the child that execs. */
int ns_join_for_children(struct ns_plan *p, struct rterr *e);
/* Everything else, in the child. */
int ns_join_rest(struct ns_plan *p, struct rterr *e);
bool ns_plan_has(const struct ns_plan *p, enum ns_type type);
void ns_plan_close(struct ns_plan *p);

#endif
