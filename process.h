/* The child: from fork to exec, inside the container. */
#ifndef RTEXEC_PROCESS_H
#define RTEXEC_PROCESS_H
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "affinity.h"
#include "attrs.h"
#include "cgroup.h"
#include "log.h"
#include "nsexec.h"
#include "seccomp.h"

/* What the caller asks the command to be: "process" of the config (args, env, cwd, user),
 * with args replaced by the command line's when it gives one. */
struct process_request {
	char **args; /* NULL-terminated */
	size_t nargs;
	char **env; /* NULL-terminated; NULL when "env" is absent */
	size_t nenv;
	const char *cwd; /* NULL: "/" */
	uid_t uid;
	gid_t gid;
	bool has_umask;
	mode_t umask;
	gid_t *groups;
	size_t ngroups;
	bool terminal; /* a new pty inside the container (tty.h) */
	/* The session keyring: NULL, a new anonymous one; else joined by this name (rtexec-runc:
	 * "_ses.ID", as runc); keep_keyring: the caller's stays (runc's no_new_keyring). */
	const char *keyring;
	bool keep_keyring;
	unsigned short rows, cols; /* the pty's size: 0 x 0 leaves it alone */
};

/* Everything the child needs, resolved by the parent before the fork. */
struct stdio_pipes;

struct child_args {
	const struct process_request *proc;
	const struct attrs *attrs; /* resolved against the target */
	const struct seccomp_plan *seccomp;
	unsigned preserve_fds;
	struct ns_plan *ns;
	const struct cg_plan *cg;
	const struct placement *placement;
	int sync_fd; /* placed above the preserved fds */
	int procfs;  /* the host's /proc: the child is born in the container's mounts */
	const struct stdio_pipes *stdio; /* the caller's terminal replaced (tty.h) */
	const sigset_t *mask;		 /* the caller's signal mask, restored for the command */
	uint64_t ignored; /* the signals the caller ignores: their default for the command */
	bool assisted;	  /* the parent applies a scheduler: say READY and wait for GO */
};

void child_main(const struct child_args *a) NORETURN;

#endif
