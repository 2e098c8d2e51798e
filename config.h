/* The validated config: what the JSON document asks rtexec to do, as one request struct per
 * module. Only the request: what is resolved from the target lives in rtexec.c's struct run
 * and the modules' plans. */
#ifndef RTEXEC_CONFIG_H
#define RTEXEC_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

#include "affinity.h"
#include "attrs.h"
#include "cgroup.h"
#include "log.h"
#include "nsexec.h"
#include "process.h"
#include "scheduler.h"
#include "seccomp.h"
#include "target.h"

struct cJSON;

struct config {
	struct target_request target;
	struct ns_request ns;
	struct cg_request cgroup;
	struct cpu_request cpus; /* the annotation, isolatedCpus, process.execCPUAffinity */
	struct process_request process;
	struct attrs attrs;	   /* as asked; rtexec.c resolves a copy against the target */
	struct sched_config sched; /* process.scheduler */
	struct seccomp_request seccomp;
	bool detach;
	const char *pid_file;
	unsigned preserve_fds;
	struct cJSON *root; /* owns every string above */
};

/* Validates a whole document. args_given: the command line supplies process.args; ncpus:
 * the kernel's limit that CPU lists are checked against (kernel_ncpus()). Messages name the
 * JSON path; the caller adds "config: ". */
int config_parse(const char *text, size_t len, bool args_given, size_t ncpus, struct config *c,
		 struct rterr *e);
void config_free(struct config *c);
/* An OCI process object alone (key NULL: the document is one; else the document's member
 * key, as "process" of a bundle's config.json), read by the OCI rule: unknown properties are
 * ignored. Fills c->process, attrs, sched and cpus; the rest of c stays empty. */
int config_parse_process(const char *text, size_t len, const char *key, size_t ncpus,
			 struct config *c, struct rterr *e);

/* The shell shorthand (-p PID [-u UID[:GID]] [-w DIR] [-e NAME=VALUE]...) as the config it
 * stands for, so that it is validated and run exactly as that config would be. A malloc'd
 * JSON document in *out, or -1 with e (a PID or UID[:GID] that is no number). */
struct shorthand {
	const char *pid, *user, *cwd;
	const char *const *env;
	int nenv;
};
int config_shorthand(const struct shorthand *s, char **out, struct rterr *e);

#endif
