/* Entering the container's namespaces. Every fd is opened before the first setns. */
#ifndef RTEXEC_NSEXEC_H
#define RTEXEC_NSEXEC_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "log.h"
#include "target.h"

enum ns_type { NS_USER, NS_MNT, NS_PID, NS_NET, NS_IPC, NS_UTS, NS_CGROUP, NS_TIME, NS_COUNT };

/* The namespace vocabulary. The order of the types means nothing to the join: setns(pidfd)
 * orders them itself, and the per-file fallback goes in nsenter's passes (see nsexec.c). Names
 * in arrays, not pointers: a PIE relocates each pointer at start. */
struct ns_kind {
	char proc[8];  /* name under /proc/PID/ns */
	char oci[8];   /* OCI runtime-spec type name */
	char alias[4]; /* "" when none */
	int flag;      /* CLONE_NEW* */
};
extern const struct ns_kind ns_kinds[NS_COUNT];

/* Maps an OCI namespace type name ("network", "mnt", ...) to its type; -1 if unknown. */
int ns_type_from_name(const char *name);

/* What the caller asks for: "namespaces" of the config. */
struct ns_entry {
	enum ns_type type;
	const char *path; /* NULL: the target's namespace of this type */
};
struct ns_request {
	bool given; /* join exactly entries[0..n); else every namespace of the target */
	struct ns_entry entries[NS_COUNT];
	size_t n;
};

struct ns_join {
	enum ns_type type;
	int fd;		   /* the namespace file; -1: the target's, opened when needed */
	bool from_target;  /* joinable through the target's pidfd */
	char proc[40];	   /* the target's /proc/PID/ns/NAME, for messages and the plan */
	const char *given; /* or the config's path (the request's string) */
};

struct ns_plan {
	struct ns_join j[NS_COUNT];
	size_t n;
	int pidfd;	  /* borrowed from the target; -1 to join per file */
	bool pidfd_works; /* setns took it (Linux 5.8+) */
	int procfd;	  /* borrowed from the target: its pinned /proc/PID */
	int rootfd;	  /* the target's root (O_PATH), where its mount namespace is the command's;
		     * else -1 */
	/* rtexec's mount namespace, root and cwd, to go back to after the fork where the parent
	 * joined the target's mount namespace before it; else -1. */
	int own_mnt, own_root, own_cwd;
	unsigned parent_joined; /* the types the parent joined before the fork (1 << type) */
};

/* Decides which namespaces to join and opens them all. */
int ns_plan_open(const struct ns_request *r, const struct target *t, struct ns_plan *p,
		 struct rterr *e);
/* Parent, before forking the child that execs. The pid and time namespaces only take
 * effect for children: joined here. The mount, network, IPC and UTS namespaces are joined
 * here too where rtexec may enter them before the user namespace: the child, visible in the
 * container's pid namespace from its birth, is then born in them, so that the container
 * never sees the host's mounts or network through /proc/CHILD/mountinfo or net/ (which need
 * no ptrace access; runc's double fork does the same). */
int ns_join_before_fork(struct ns_plan *p, struct rterr *e);
/* Parent, after the fork: back in rtexec's own mount namespace, root and cwd (the network,
 * IPC and UTS namespaces joined stay: the parent makes no use of them). */
int ns_return_after_fork(struct ns_plan *p, struct rterr *e);
/* Child: closes its copies of the parent's fds for the way back and of the target's
 * /proc/PID (it joins by the pidfd, or by the files ns_join_before_fork opened). */
void ns_child_drop_own(struct ns_plan *p);
/* Everything else, in the child: the user and cgroup namespaces, and what the parent could
 * not enter before the user namespace (rootless). */
int ns_join_rest(struct ns_plan *p, struct rterr *e);
/* Child, after ns_join_rest: the target's root where it is not its mount namespace's (a
 * chroot inside the container, as `unshare --root` or an appliance's init script makes): the
 * command is confined to the same files (nsenter -r). Nothing where the two are the same. */
int ns_enter_root(const struct ns_plan *p, struct rterr *e);
bool ns_plan_has(const struct ns_plan *p, enum ns_type type);
/* What a join was planned from: the config's path or the target's /proc file. */
static inline const char *ns_join_path(const struct ns_join *j)
{
	return j->given ? j->given : j->proc;
}
void ns_plan_close(struct ns_plan *p);

#endif
