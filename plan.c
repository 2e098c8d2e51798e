#include "plan.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "passwd.h"
#include "process.h"

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
		cJSON_AddStringToObject(o, "path", ns->j[i].path);
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
		if (j->v2 && j->can_fallback && j->fallback[0] && strcmp(j->fallback, j->path) != 0)
			cJSON_AddStringToObject(o, "fallback", j->fallback);
		else
			cJSON_AddNullToObject(o, "fallback");
		cJSON_AddItemToArray(a, o);
	}
	return a;
}

/* HOME as the command would see it: looked up in the container's root through
 * /proc/PID/root, resolved inside it (openat2 RESOLVE_IN_ROOT), without joining anything. */
static void plan_home(const struct config *c, const struct target *t, const struct ns_plan *ns,
		      char *var, size_t n)
{
	char root[64], home[PATH_MAX];
	int fd;

	snprintf(root, sizeof(root), "/proc/%d/root", t->pid);
	fd = open(ns_plan_has(ns, NS_MNT) ? root : "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Without openat2 the file cannot be read safely from outside: say so, do not guess. */
	if (home_lookup(fd, false, c->process.uid, home, sizeof(home)) < 0)
		snprintf(home, sizeof(home), "(from the container's /etc/passwd)");
	close(fd);
	snprintf(var, n, "HOME=%s", home);
}

static cJSON *plan_env(const struct config *c, const struct target *t, const struct ns_plan *ns)
{
	static char home[PATH_MAX + 8];
	cJSON *a = cJSON_CreateArray();

	if (!c->process.has_env)
		cJSON_AddItemToArray(a, cJSON_CreateString(DEFAULT_PATH));
	for (size_t i = 0; i < c->process.nenv; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(c->process.env[i]));
	if (env_get(c->process.env, "HOME") == NULL) {
		plan_home(c, t, ns, home, sizeof(home));
		if (home[0])
			cJSON_AddItemToArray(a, cJSON_CreateString(home));
	}
	return a;
}

static cJSON *plan_user(const struct proc_config *p)
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
	snprintf(buf, sizeof(buf), "%llu", v);
	return cJSON_CreateRaw(buf);
}

static cJSON *plan_rlimits(const struct attrs_config *a)
{
	cJSON *arr = cJSON_CreateArray();

	for (unsigned i = 0; i < a->nrlimits; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "type", a->rlimits[i].name);
		cJSON_AddItemToObject(o, "soft", limit_value(a->rlimits[i].soft));
		cJSON_AddItemToObject(o, "hard", limit_value(a->rlimits[i].hard));
		cJSON_AddItemToArray(arr, o);
	}
	return arr;
}

static cJSON *plan_caps(const struct attrs_config *a)
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

static void plan_attrs(cJSON *o, const struct proc_config *p)
{
	static const char *const ioclass[] = { NULL, "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
		"IOPRIO_CLASS_IDLE" };
	const struct attrs_config *a = &p->attrs;

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
	if (p->sched.set) {
		cJSON *s = cJSON_AddObjectToObject(o, "scheduler");
		cJSON_AddStringToObject(s, "policy", p->sched.name);
		cJSON_AddNumberToObject(s, "nice", p->sched.nice);
		cJSON_AddNumberToObject(s, "priority", p->sched.priority);
	}
	if (a->apparmor_profile)
		cJSON_AddStringToObject(o, "apparmorProfile", a->apparmor_profile);
	if (a->selinux_label)
		cJSON_AddStringToObject(o, "selinuxLabel", a->selinux_label);
}

static cJSON *plan_process(const struct config *c, const struct target *t,
			   const struct ns_plan *ns)
{
	cJSON *o = cJSON_CreateObject(), *args = cJSON_CreateArray();

	for (size_t i = 0; i < c->process.nargs; i++)
		cJSON_AddItemToArray(args, cJSON_CreateString(c->process.args[i]));
	cJSON_AddItemToObject(o, "args", args);
	cJSON_AddItemToObject(o, "env", plan_env(c, t, ns));
	cJSON_AddStringToObject(o, "cwd", c->process.cwd ? c->process.cwd : "/");
	cJSON_AddItemToObject(o, "user", plan_user(&c->process));
	plan_attrs(o, &c->process);
	return o;
}

static void add_list(cJSON *o, const char *key, const struct cpumask *m)
{
	char *list = m ? cpulist_format(m) : NULL;

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
	add_list(o, "final", pl->final_kind == FINAL_UNCHANGED ? NULL
			     : pl->final_kind == FINAL_RESET ? &pl->cgroup
							     : &pl->final);
	return o;
}

int plan_print(const struct config *c, const struct target *t, const struct ns_plan *ns,
	       const struct cg_plan *cg, const struct placement *pl)
{
	cJSON *plan = cJSON_CreateObject();
	char *text;
	int r = 0;

	cJSON_AddItemToObject(plan, "target", plan_target(t));
	cJSON_AddItemToObject(plan, "namespaces", plan_namespaces(ns));
	cJSON_AddItemToObject(plan, "cgroups", plan_cgroups(cg));
	cJSON_AddItemToObject(plan, "cpus", plan_cpus(pl));
	cJSON_AddItemToObject(plan, "rlimits", plan_rlimits(&c->process.attrs));
	cJSON_AddItemToObject(plan, "process", plan_process(c, t, ns));
	text = cJSON_Print(plan);
	cJSON_Delete(plan);
	if (text == NULL)
		return -ENOMEM;
	if (printf("%s\n", text) < 0 || fflush(stdout) != 0)
		r = -errno;
	free(text);
	return r;
}
