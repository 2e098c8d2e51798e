/* The validated config: what the JSON document on stdin asks rtexec to do. */
#ifndef RTEXEC_CONFIG_H
#define RTEXEC_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "affinity.h"
#include "attrs.h"
#include "cJSON.h"
#include "log.h"

enum ns_type { NS_USER, NS_MNT, NS_PID, NS_NET, NS_IPC, NS_UTS, NS_CGROUP, NS_TIME, NS_COUNT };

struct ns_kind {
	const char *proc; /* name under /proc/PID/ns */
	const char *oci;  /* OCI runtime-spec type name */
	const char *alias;
	int flag; /* CLONE_NEW* */
};
extern const struct ns_kind ns_kinds[NS_COUNT];

struct ns_request {
	enum ns_type type;
	char *path; /* NULL: the target's namespace of this type */
};

struct sched_config {
	bool set;
	const char *name; /* of the policy, for messages */
	int policy;
	int nice;
	unsigned priority;
	unsigned long long flags, runtime, deadline, period;
};

struct proc_config {
	char **args;
	size_t nargs;
	char **env;
	size_t nenv;
	bool has_env;
	char *cwd;
	uid_t uid;
	gid_t gid;
	bool has_umask;
	mode_t umask;
	gid_t *groups;
	size_t ngroups;
	char *cpu_initial, *cpu_final; /* execCPUAffinity; NULL if absent */
	struct sched_config sched;
	struct attrs_config attrs;
};

struct config {
	pid_t target_pid; /* 0 when target_pidfile is used */
	char *target_pidfile;
	bool has_start_time;
	unsigned long long start_time;

	bool ns_given; /* "namespaces" present: join exactly ns[] */
	struct ns_request ns[NS_COUNT];
	size_t n_ns;

	char *cgroup_path; /* v2, relative to the v2 root; NULL: the target's */
	char *cgroup_sub;  /* below it; NULL: none (the EBUSY fallback applies) */

	enum transition transition; /* the isolated-cpu-affinity-transition annotation */
	char *isolated_cpus;	    /* NULL: detect */

	bool detach;
	const char *pid_file;
	unsigned preserve_fds;
	struct proc_config process;

	cJSON *root; /* owns every string above */
};

#define TRANSITION_ANNOTATION "org.opencontainers.runc.exec.isolated-cpu-affinity-transition"
/* CPU lists are checked against the running kernel's limit later; this bounds the syntax
 * check (and its allocation) before that. */
#define CPULIST_SYNTAX_MAX 65536

/* Validates a whole document. args_given: the command line supplies process.args. */
int config_parse(const char *text, size_t len, bool args_given, struct config *c,
		 struct rterr *e);
void config_free(struct config *c);
/* Maps an OCI namespace type name ("network", "mnt", ...) to its type; -1 if unknown. */
int ns_type_from_name(const char *name);

#endif
