/* The child: from fork to exec, inside the container. */
#ifndef RTEXEC_PROCESS_H
#define RTEXEC_PROCESS_H
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "affinity.h"
#include "cgroup.h"
#include "config.h"
#include "log.h"
#include "nsexec.h"

struct child_args {
	const struct config *c;
	struct ns_plan *ns;
	int sync_fd; /* placed above the preserved fds */
	const sigset_t *mask; /* the caller's signal mask, restored for the command */
	const struct placement *placement;
	const struct cg_plan *cg;
	bool assisted; /* the parent applies the final affinity and scheduler */
};

void child_main(const struct child_args *a) NORETURN;

/* HOME for uid from etc/passwd below rootfd, resolved inside that root (never escaping it
 * through symlinks); "/" when the file or the user is missing. in_root: the caller's root
 * already is rootfd, so plain open is safe where openat2 is missing. -1 when the file could
 * not be read safely (no openat2 and not in_root): HOME is unknown. */
int home_lookup(int rootfd, bool in_root, uid_t uid, char *home, size_t n);

#endif
