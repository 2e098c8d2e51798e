#include "plan.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cJSON.h"
#include "env.h"
#include "fmt.h"
#include "syscalls.h"

static cJSON *plan_target(const struct target *t)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "pid", t->pid);
	cJSON_AddNumberToObject(o, "startTime", (double)t->start_time);
	return o;
}

static cJSON *plan_namespaces(const struct ns_plan *ns)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < ns->n; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", ns_kinds[ns->j[i].type].proc);
		cJSON_AddStringToObject(o, "path", ns_join_path(&ns->j[i]));
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

static cJSON *plan_cgroups(const struct cg_plan *cg)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < cg->n; i++) {
		const struct cg_join *j = &cg->j[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddStringToObject(o, "hierarchy", j->hierarchy);
		cJSON_AddStringToObject(o, "path", j->path);
		if (j->v2 && j->can_fallback && j->fallback && strcmp(j->fallback, j->path) != 0)
			cJSON_AddStringToObject(o, "fallback", j->fallback);
		else
			cJSON_AddNullToObject(o, "fallback");
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* The environment as the command would see it: HOME looked up in the target's root
 * (/proc/PID/root, opened by the namespace plan), resolved inside it (openat2
 * RESOLVE_IN_ROOT), without joining anything. */
static cJSON *plan_env(const struct plan_input *in)
{
	const struct process_request *p = in->proc;
	struct env_request r = { p->env, p->nenv, p->uid };
	cJSON *a = cJSON_CreateArray();
	char **env = NULL;
	/* A mount namespace a path names has no root in sight: the target's is the guess. */
	int fd = in->ns->rootfd >= 0	       ? in->ns->rootfd
		 : ns_plan_has(in->ns, NS_MNT) ? sys_openat(in->target->procfd, "root",
							    O_PATH | O_DIRECTORY | O_CLOEXEC, 0)
					       : sys_open("/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0);

	if (env_build(&r, fd, false, &env) == 0)
		for (char **v = env; *v; v++)
			cJSON_AddItemToArray(a, cJSON_CreateString(*v));
	if (fd >= 0 && fd != in->ns->rootfd)
		close(fd);
	free(env);
	return a;
}

static cJSON *plan_user(const struct process_request *p)
{
	cJSON *o = cJSON_CreateObject(), *groups = cJSON_CreateArray();

	cJSON_AddNumberToObject(o, "uid", p->uid);
	cJSON_AddNumberToObject(o, "gid", p->gid);
	cJSON_AddNumberToObject(o, "umask", p->has_umask ? p->umask : 022);
	for (size_t i = 0; i < p->ngroups; i++)
		cJSON_AddItemToArray(groups, cJSON_CreateNumber(p->groups[i]));
	cJSON_AddItemToObject(o, "additionalGids", groups);
	return o;
}

static cJSON *limit_value(unsigned long long v)
{
	char buf[24];

	/* Exact, beyond what a double holds: 18446744073709551615 is "unlimited". */
	fmt_snprintf(buf, sizeof(buf), "%llu", v);
	return cJSON_CreateRaw(buf);
}

/* Where a value came from: the config, or the target where the config was silent. */
static const char *source(bool from_target)
{
	return from_target ? "target" : "config";
}

static cJSON *plan_rlimits(const struct attrs *a)
{
	cJSON *arr = cJSON_CreateArray();

	for (unsigned i = 0; i < a->nrlimits; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", a->rlimits[i].name);
		cJSON_AddItemToObject(o, "soft", limit_value(a->rlimits[i].soft));
		cJSON_AddItemToObject(o, "hard", limit_value(a->rlimits[i].hard));
		cJSON_AddStringToObject(o, "source", source(a->rlimits[i].from_target));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *plan_caps(const struct attrs *a)
{
	const char *const *sets = cap_set_names();
	cJSON *o = cJSON_CreateObject();

	for (int s = 0; s < CAP_SETS; s++) {
		cJSON *arr = cJSON_CreateArray();
		for (int cap = 0; cap < 64; cap++)
			if (a->caps[s] >> cap & 1)
				cJSON_AddItemToArray(arr, cJSON_CreateString(cap_name(cap)));
		cJSON_AddItemToObject(o, sets[s], arr);
	}
	return o;
}

static void plan_sources(cJSON *o, const struct attrs *a, const struct sched_config *sched)
{
	cJSON *src = cJSON_AddObjectToObject(o, "sources");

	if (a->caps_set)
		cJSON_AddStringToObject(src, "capabilities", source(a->caps_from_target));
	cJSON_AddStringToObject(src, "noNewPrivileges", source(a->nnp_from_target));
	if (a->has_oom_score_adj)
		cJSON_AddStringToObject(src, "oomScoreAdj", source(a->oom_from_target));
	if (a->apparmor_profile)
		cJSON_AddStringToObject(src, "apparmorProfile", source(a->lsm_from_target));
	if (a->selinux_label)
		cJSON_AddStringToObject(src, "selinuxLabel", source(a->lsm_from_target));
	if (a->has_ioprio)
		cJSON_AddStringToObject(src, "ioPriority", source(a->ioprio_from_target));
	if (sched->set)
		cJSON_AddStringToObject(src, "scheduler", source(sched->from_target));
}

static void plan_attrs(cJSON *o, const struct attrs *a, const struct sched_config *sched)
{
	/* clang-format off */
	static const char *const ioclass[] = { "IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT",
		"IOPRIO_CLASS_BE", "IOPRIO_CLASS_IDLE", "?", "?", "?", "?" };
	/* clang-format on */

	if (a->caps_set)
		cJSON_AddItemToObject(o, "capabilities", plan_caps(a));
	cJSON_AddBoolToObject(o, "noNewPrivileges", a->no_new_privs);
	if (a->has_oom_score_adj)
		cJSON_AddNumberToObject(o, "oomScoreAdj", a->oom_score_adj);
	if (a->has_ioprio) {
		cJSON *io = cJSON_AddObjectToObject(o, "ioPriority");
		cJSON_AddStringToObject(io, "class", ioclass[a->ioprio_class]);
		cJSON_AddNumberToObject(io, "priority", a->ioprio_level);
	}
	if (sched->set) {
		cJSON *s = cJSON_AddObjectToObject(o, "scheduler");
		cJSON_AddStringToObject(s, "policy", sched->name);
		cJSON_AddNumberToObject(s, "nice", sched->nice);
		cJSON_AddNumberToObject(s, "priority", sched->priority);
	}
	if (a->apparmor_profile)
		cJSON_AddStringToObject(o, "apparmorProfile", a->apparmor_profile);
	if (a->selinux_label)
		cJSON_AddStringToObject(o, "selinuxLabel", a->selinux_label);
	plan_sources(o, a, sched);
}

static cJSON *plan_process(const struct plan_input *in)
{
	const struct process_request *p = in->proc;
	cJSON *o = cJSON_CreateObject(), *args = cJSON_CreateArray();

	for (size_t i = 0; i < p->nargs; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(p->args[i]));
	cJSON_AddItemToObject(o, "args", args);
	cJSON_AddItemToObject(o, "env", plan_env(in));
	cJSON_AddStringToObject(o, "cwd", p->cwd ? p->cwd : "/");
	cJSON_AddItemToObject(o, "user", plan_user(p));
	plan_attrs(o, in->attrs, in->sched);
	return o;
}

static cJSON *plan_seccomp(const struct seccomp_plan *p)
{
	static const char *const modes[] = { "inherit", "none", "file" };
	cJSON *o = cJSON_CreateObject(), *insns = cJSON_CreateArray();

	cJSON_AddStringToObject(o, "mode", modes[p->mode]);
	cJSON_AddStringToObject(o, "source", source(p->mode == SECCOMP_INHERIT));
	if (p->path)
		cJSON_AddStringToObject(o, "path", p->path);
	if (p->unread) { /* a dry run does not stop the target to read them */
		if (p->counted)
			cJSON_AddNumberToObject(o, "filters", (double)p->counted);
		else
			cJSON_AddNullToObject(o, "filters");
		cJSON_AddNullToObject(o, "instructions");
		cJSON_Delete(insns);
		return o;
	}
	cJSON_AddNumberToObject(o, "filters", (double)p->n);
	for (size_t i = 0; i < p->n; i++)
		cJSON_AddItemToArray(insns, cJSON_CreateNumber(p->f[i].len));
	cJSON_AddItemToObject(o, "instructions", insns);
	return o;
}

static void add_list(cJSON *o, const char *key, const struct cpumask *m)
{
	char *list = NULL;

	if (m && cpulist_format(m, &list) < 0)
		list = NULL;
	if (list)
		cJSON_AddStringToObject(o, key, list);
	else
		cJSON_AddNullToObject(o, key);
	free(list);
}

static cJSON *plan_cpus(const struct placement *pl)
{
	static const char *const transitions[] = { NULL, "temporary", "definitive" };
	cJSON *o = cJSON_CreateObject();

	add_list(o, "cgroup", &pl->cgroup);
	add_list(o, "isolated", &pl->isolated);
	if (transitions[pl->transition])
		cJSON_AddStringToObject(o, "transition", transitions[pl->transition]);
	else
		cJSON_AddNullToObject(o, "transition");
	add_list(o, "initial", pl->initial_kind == INITIAL_NONE ? NULL : &pl->initial);
	/* A reset is shown as what the process ends up with: the cgroup's CPUs. */
	add_list(o, "final",
		 pl->final_kind == FINAL_UNCHANGED ? NULL
		 : pl->final_kind == FINAL_RESET   ? &pl->cgroup
						   : &pl->final);
	return o;
}

char *plan_text(const struct plan_input *in)
{
	cJSON *plan = cJSON_CreateObject();
	char *text;

	cJSON_AddItemToObject(plan, "target", plan_target(in->target));
	cJSON_AddItemToObject(plan, "namespaces", plan_namespaces(in->ns));
	cJSON_AddItemToObject(plan, "cgroups", plan_cgroups(in->cg));
	cJSON_AddItemToObject(plan, "cpus", plan_cpus(in->placement));
	cJSON_AddItemToObject(plan, "rlimits", plan_rlimits(in->attrs));
	cJSON_AddItemToObject(plan, "seccomp", plan_seccomp(in->seccomp));
	cJSON_AddItemToObject(plan, "process", plan_process(in));
	text = cJSON_Print(plan);
	cJSON_Delete(plan);
	return text;
}

int plan_print(const struct plan_input *in)
{
	char *text = plan_text(in);
	int r = 0;

	if (text == NULL)
		return -ENOMEM;
	r = fmt_dprintf(STDOUT_FILENO, "%s\n", text);
	free(text);
	return r;
}
