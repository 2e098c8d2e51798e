#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup.h"
#include "jsonutil.h"
#include "syscalls.h"

/* Ordered as a join would go through them: the user namespace first. */
const struct ns_kind ns_kinds[NS_COUNT] = {
	[NS_USER] = { "user", "user", NULL, CLONE_NEWUSER },
	[NS_MNT] = { "mnt", "mount", "mnt", CLONE_NEWNS },
	[NS_PID] = { "pid", "pid", NULL, CLONE_NEWPID },
	[NS_NET] = { "net", "network", "net", CLONE_NEWNET },
	[NS_IPC] = { "ipc", "ipc", NULL, CLONE_NEWIPC },
	[NS_UTS] = { "uts", "uts", NULL, CLONE_NEWUTS },
	[NS_CGROUP] = { "cgroup", "cgroup", NULL, CLONE_NEWCGROUP },
	[NS_TIME] = { "time", "time", NULL, CLONE_NEWTIME },
};

#define PID_MAX_LIMIT 4194304.0 /* the kernel's ceiling for /proc/sys/kernel/pid_max */
#define ID_MAX 4294967294.0	/* (uid_t)-1 means "no change" to the kernel */
#define GROUPS_MAX 65536	/* NGROUPS_MAX */


int ns_type_from_name(const char *name)
{
	for (int i = 0; i < NS_COUNT; i++) {
		const struct ns_kind *k = &ns_kinds[i];
		if (strcmp(name, k->oci) == 0 || (k->alias && strcmp(name, k->alias) == 0))
			return i;
	}
	return -1;
}

static const cJSON *member(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static int parse_target(const cJSON *t, const char *path, struct config *c, struct rterr *e)
{
	static const char *const keys[] = { "pid", "pidFile", "startTime", NULL };
	const cJSON *pid = member(t, "pid"), *file = member(t, "pidFile"), *st = member(t, "startTime");
	unsigned long long v;

	if (json_object(t, path, e) < 0 || json_keys(t, path, keys, e) < 0)
		return -1;
	if (!pid == !file)
		return rterr_set(e, 0, "%s: exactly one of \"pid\" and \"pidFile\" is required", path);
	if (pid) {
		if (json_uint(pid, "target.pid", PID_MAX_LIMIT, &v, e) < 0)
			return -1;
		if (v == 0)
			return rterr_set(e, 0, "target.pid: must be a positive pid");
		c->target_pid = (pid_t)v;
	}
	if (file && json_string(file, "target.pidFile", true, &c->target_pidfile, e) < 0)
		return -1;
	if (st) {
		if (json_uint(st, "target.startTime", JSON_MAX_EXACT, &c->start_time, e) < 0)
			return -1;
		c->has_start_time = true;
	}
	return 0;
}

static int parse_ns_entry(const cJSON *it, const char *path, struct ns_request *r, struct rterr *e)
{
	static const char *const keys[] = { "type", "path", NULL };
	char sub[512];
	char *name = NULL;
	const cJSON *type = it, *p = NULL;
	int t;

	r->path = NULL;
	if (cJSON_IsObject(it)) {
		if (json_keys(it, path, keys, e) < 0)
			return -1;
		type = member(it, "type");
		p = member(it, "path");
		if (!type)
			return rterr_set(e, 0, "%s: is required",
					 json_key_path(sub, sizeof(sub), path, "type"));
		json_key_path(sub, sizeof(sub), path, "type");
	} else {
		snprintf(sub, sizeof(sub), "%s", path);
	}
	if (json_string(type, sub, true, &name, e) < 0)
		return -1;
	t = ns_type_from_name(name);
	if (t < 0)
		return rterr_set(e, 0, "%s: unknown namespace type \"%s\"", sub, name);
	r->type = (enum ns_type)t;
	if (p) {
		json_key_path(sub, sizeof(sub), path, "path");
		if (json_string(p, sub, true, &r->path, e) < 0)
			return -1;
		if (r->path[0] != '/')
			return rterr_set(e, 0, "%s: must be an absolute path", sub);
	}
	return 0;
}

static int parse_namespaces(const cJSON *arr, const char *path, struct config *c, struct rterr *e)
{
	char sub[512];
	size_t i = 0;

	if (!cJSON_IsArray(arr))
		return rterr_set(e, 0, "%s: expected an array", path);
	c->ns_given = true;
	for (const cJSON *it = arr->child; it; it = it->next, i++) {
		json_index_path(sub, sizeof(sub), path, i);
		if (i >= NS_COUNT)
			return rterr_set(e, 0, "%s: more entries than namespace types", sub);
		if (parse_ns_entry(it, sub, &c->ns[i], e) < 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (c->ns[j].type == c->ns[i].type)
				return rterr_set(e, 0, "%s: namespace type \"%s\" given twice", sub,
						 ns_kinds[c->ns[i].type].oci);
	}
	c->n_ns = i;
	return 0;
}

static int parse_cgroup_key(const cJSON *cg, const char *key, bool relative, char **out,
			    struct rterr *e)
{
	const cJSON *it = member(cg, key);
	char path[64];
	struct rterr why;

	if (it == NULL)
		return 0;
	snprintf(path, sizeof(path), "cgroup.%s", key);
	if (json_string(it, path, true, out, e) < 0)
		return -1;
	if (cg_path_check(*out, relative, &why) < 0)
		return rterr_set(e, 0, "%s: %s", path, why.msg);
	return 0;
}

static int parse_cgroup(const cJSON *cg, const char *path, struct config *c, struct rterr *e)
{
	static const char *const keys[] = { "path", "sub", NULL };

	if (json_object(cg, path, e) < 0 || json_keys(cg, path, keys, e) < 0)
		return -1;
	if (parse_cgroup_key(cg, "path", false, &c->cgroup_path, e) < 0)
		return -1;
	return parse_cgroup_key(cg, "sub", true, &c->cgroup_sub, e);
}

static int parse_cpulist(const cJSON *it, const char *path, bool nonempty, char **out,
			 struct rterr *e)
{
	struct cpumask m;
	struct rterr why;
	bool empty;

	if (json_string(it, path, false, out, e) < 0)
		return -1;
	if (cpulist_parse(*out, CPULIST_SYNTAX_MAX, &m, &why) < 0)
		return rterr_set(e, 0, "%s: %s", path, why.msg);
	empty = cpumask_first(&m) < 0;
	cpumask_free(&m);
	if (nonempty && empty)
		return rterr_set(e, 0, "%s: the CPU list is empty", path);
	return 0;
}

static int parse_annotations(const cJSON *a, const char *path, struct config *c, struct rterr *e)
{
	char sub[512];
	char *v;

	if (json_object(a, path, e) < 0 || json_keys(a, path, NULL, e) < 0)
		return -1;
	for (const cJSON *it = a->child; it; it = it->next) {
		json_key_path(sub, sizeof(sub), path, it->string);
		if (json_string(it, sub, false, &v, e) < 0)
			return -1;
		if (strcmp(it->string, TRANSITION_ANNOTATION) != 0)
			continue;
		if (strcmp(v, "temporary") == 0)
			c->transition = TRANSITION_TEMPORARY;
		else if (strcmp(v, "definitive") == 0)
			c->transition = TRANSITION_DEFINITIVE;
		else
			return rterr_set(e, 0, "%s: unknown value \"%s\" (expected \"temporary\" or "
					 "\"definitive\")", sub, v);
	}
	return 0;
}

static int parse_exec_cpu(const cJSON *o, const char *path, struct proc_config *p,
			  struct rterr *e)
{
	static const char *const keys[] = { "initial", "final", NULL };
	const cJSON *it;

	if (json_object(o, path, e) < 0 || json_keys(o, path, keys, e) < 0)
		return -1;
	if ((it = member(o, "initial")) &&
	    parse_cpulist(it, "process.execCPUAffinity.initial", true, &p->cpu_initial, e) < 0)
		return -1;
	if ((it = member(o, "final")) &&
	    parse_cpulist(it, "process.execCPUAffinity.final", true, &p->cpu_final, e) < 0)
		return -1;
	return 0;
}

static const struct {
	const char *name;
	int value;
} sched_policies[] = { { "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 },
	{ "SCHED_BATCH", 3 }, { "SCHED_IDLE", 5 }, { "SCHED_DEADLINE", 6 } },
  sched_flags[] = { { "SCHED_FLAG_RESET_ON_FORK", 0x01 }, { "SCHED_FLAG_RECLAIM", 0x02 },
	{ "SCHED_FLAG_DL_OVERRUN", 0x04 }, { "SCHED_FLAG_KEEP_POLICY", 0x08 },
	{ "SCHED_FLAG_KEEP_PARAMS", 0x10 }, { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
	{ "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 } };

static int sched_policy(const cJSON *it, struct sched_config *s, struct rterr *e)
{
	char *name;

	if (it == NULL)
		return rterr_set(e, 0, "process.scheduler.policy: is required");
	if (json_string(it, "process.scheduler.policy", true, &name, e) < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(sched_policies); i++) {
		if (strcmp(name, sched_policies[i].name) == 0) {
			s->policy = sched_policies[i].value;
			s->name = sched_policies[i].name;
			return 0;
		}
	}
	if (strcmp(name, "SCHED_ISO") == 0)
		return rterr_set(e, 0, "process.scheduler.policy: SCHED_ISO does not exist in Linux");
	return rterr_set(e, 0, "process.scheduler.policy: unknown policy \"%s\"", name);
}

static int sched_flag_list(const cJSON *arr, struct sched_config *s, struct rterr *e)
{
	char **names;
	size_t n, i, k;
	int r = 0;

	if (json_strings(arr, "process.scheduler.flags", &names, &n, e) < 0)
		return -1;
	for (i = 0; i < n && r == 0; i++) {
		for (k = 0; k < ARRAY_LEN(sched_flags) && strcmp(names[i], sched_flags[k].name); k++)
			;
		if (k == ARRAY_LEN(sched_flags))
			r = rterr_set(e, 0, "process.scheduler.flags[%zu]: unknown flag \"%s\"", i,
				      names[i]);
		else
			s->flags |= (unsigned long long)sched_flags[k].value;
	}
	free(names);
	return r;
}

static int sched_numbers(const cJSON *o, struct sched_config *s, struct rterr *e)
{
	const cJSON *it;
	unsigned long long v;
	long long nice;

	if ((it = member(o, "nice"))) {
		if (json_int(it, "process.scheduler.nice", -20, 19, &nice, e) < 0)
			return -1;
		s->nice = (int)nice;
	}
	if ((it = member(o, "priority"))) {
		if (json_uint(it, "process.scheduler.priority", 99, &v, e) < 0)
			return -1;
		s->priority = (unsigned)v;
	}
	if ((it = member(o, "runtime")) && json_uint(it, "process.scheduler.runtime", JSON_MAX_EXACT, &s->runtime, e) < 0)
		return -1;
	if ((it = member(o, "deadline")) && json_uint(it, "process.scheduler.deadline", JSON_MAX_EXACT, &s->deadline, e) < 0)
		return -1;
	if ((it = member(o, "period")) && json_uint(it, "process.scheduler.period", JSON_MAX_EXACT, &s->period, e) < 0)
		return -1;
	return 0;
}

/* The rules sched_setattr(2) would apply, checked up front to name the JSON path. */
static int sched_check(const struct sched_config *s, struct rterr *e)
{
	bool rt = s->policy == 1 || s->policy == 2, dl = s->policy == 6;

	if (rt && s->priority < 1)
		return rterr_set(e, 0, "process.scheduler.priority: must be 1..99 for SCHED_FIFO and SCHED_RR");
	if (!rt && s->priority != 0)
		return rterr_set(e, 0, "process.scheduler.priority: must be 0 for this policy");
	if (!dl && (s->runtime || s->deadline || s->period))
		return rterr_set(e, 0, "process.scheduler: runtime, deadline and period are for SCHED_DEADLINE only");
	if (dl && s->runtime == 0)
		return rterr_set(e, 0, "process.scheduler.runtime: is required for SCHED_DEADLINE");
	if (dl && s->deadline && s->runtime > s->deadline)
		return rterr_set(e, 0, "process.scheduler: runtime must not exceed deadline");
	if (dl && s->period && (s->deadline ? s->deadline : s->runtime) > s->period)
		return rterr_set(e, 0, "process.scheduler: deadline must not exceed period");
	return 0;
}

static int parse_scheduler(const cJSON *o, const char *path, struct sched_config *s,
			   struct rterr *e)
{
	static const char *const keys[] = { "policy", "nice", "priority", "flags", "runtime",
		"deadline", "period", NULL };
	const cJSON *it;

	if (json_object(o, path, e) < 0 || json_keys(o, path, keys, e) < 0 ||
	    sched_policy(member(o, "policy"), s, e) < 0 || sched_numbers(o, s, e) < 0)
		return -1;
	if ((it = member(o, "flags")) && sched_flag_list(it, s, e) < 0)
		return -1;
	s->set = true;
	return sched_check(s, e);
}

static int parse_env(const cJSON *arr, const char *path, struct proc_config *p, struct rterr *e)
{
	if (json_strings(arr, path, &p->env, &p->nenv, e) < 0)
		return -1;
	for (size_t i = 0; i < p->nenv; i++) {
		const char *eq = strchr(p->env[i], '=');
		if (eq == NULL || eq == p->env[i])
			return rterr_set(e, 0, "%s[%zu]: expected \"NAME=value\"", path, i);
	}
	p->has_env = true;
	return 0;
}

static int parse_groups(const cJSON *arr, const char *path, struct proc_config *p, struct rterr *e)
{
	char sub[512];
	unsigned long long v;
	size_t n = 0;

	if (!cJSON_IsArray(arr))
		return rterr_set(e, 0, "%s: expected an array of gids", path);
	for (const cJSON *it = arr->child; it; it = it->next)
		n++;
	if (n > GROUPS_MAX)
		return rterr_set(e, 0, "%s: more than %d groups", path, GROUPS_MAX);
	p->groups = calloc(n + 1, sizeof(*p->groups));
	if (p->groups == NULL)
		return rterr_set(e, ENOMEM, "%s", path);
	n = 0;
	for (const cJSON *it = arr->child; it; it = it->next, n++) {
		if (json_uint(it, json_index_path(sub, sizeof(sub), path, n), ID_MAX, &v, e) < 0)
			return -1;
		p->groups[n] = (gid_t)v;
	}
	p->ngroups = n;
	return 0;
}

static int parse_user(const cJSON *u, const char *path, struct proc_config *p, struct rterr *e)
{
	static const char *const keys[] = { "uid", "gid", "umask", "additionalGids", NULL };
	const cJSON *it;
	unsigned long long v;

	if (json_object(u, path, e) < 0 || json_keys(u, path, keys, e) < 0)
		return -1;
	if ((it = member(u, "uid"))) {
		if (json_uint(it, "process.user.uid", ID_MAX, &v, e) < 0)
			return -1;
		p->uid = (uid_t)v;
	}
	if ((it = member(u, "gid"))) {
		if (json_uint(it, "process.user.gid", ID_MAX, &v, e) < 0)
			return -1;
		p->gid = (gid_t)v;
	}
	if ((it = member(u, "umask"))) {
		if (json_uint(it, "process.user.umask", 0777, &v, e) < 0)
			return -1;
		p->umask = (mode_t)v;
		p->has_umask = true;
	}
	if ((it = member(u, "additionalGids")))
		return parse_groups(it, "process.user.additionalGids", p, e);
	return 0;
}

static int parse_console_size(const cJSON *cs, const char *path, struct rterr *e)
{
	static const char *const keys[] = { "height", "width", NULL };
	unsigned long long v;
	char sub[512];

	if (json_object(cs, path, e) < 0 || json_keys(cs, path, keys, e) < 0)
		return -1;
	for (const char *const *k = keys; *k; k++) {
		const cJSON *it = member(cs, *k);
		json_key_path(sub, sizeof(sub), path, *k);
		if (!it)
			return rterr_set(e, 0, "%s: is required", sub);
		if (json_uint(it, sub, 65535, &v, e) < 0)
			return -1;
	}
	return 0;
}

static int parse_rlimit(const cJSON *it, const char *path, struct attrs_config *a,
			struct rterr *e)
{
	static const char *const keys[] = { "type", "soft", "hard", NULL };
	struct rlimit_config *r = &a->rlimits[a->nrlimits];
	char sub[512], *name;
	const cJSON *f;

	if (json_object(it, path, e) < 0 || json_keys(it, path, keys, e) < 0)
		return -1;
	for (const char *const *k = keys; *k; k++)
		if (!member(it, *k))
			return rterr_set(e, 0, "%s: is required", json_key_path(sub, sizeof(sub), path, *k));
	if (json_string(member(it, "type"), json_key_path(sub, sizeof(sub), path, "type"), true,
			&name, e) < 0)
		return -1;
	if ((r->resource = rlimit_from_name(name)) < 0)
		return rterr_set(e, 0, "%s: unknown rlimit \"%s\"", sub, name);
	r->name = name;
	for (unsigned i = 0; i < a->nrlimits; i++)
		if (a->rlimits[i].resource == r->resource)
			return rterr_set(e, 0, "%s: %s given twice", sub, name);
	f = member(it, "soft");
	if (json_u64(f, json_key_path(sub, sizeof(sub), path, "soft"), &r->soft, e) < 0)
		return -1;
	f = member(it, "hard");
	if (json_u64(f, json_key_path(sub, sizeof(sub), path, "hard"), &r->hard, e) < 0)
		return -1;
	if (r->soft > r->hard)
		return rterr_set(e, 0, "%s: soft limit %llu exceeds hard limit %llu", path, r->soft,
				 r->hard);
	a->nrlimits++;
	return 0;
}

static int parse_rlimits(const cJSON *arr, const char *path, struct attrs_config *a,
			 struct rterr *e)
{
	char sub[512];
	size_t i = 0;

	if (!cJSON_IsArray(arr))
		return rterr_set(e, 0, "%s: expected an array", path);
	for (const cJSON *it = arr->child; it; it = it->next, i++) {
		json_index_path(sub, sizeof(sub), path, i);
		if (i >= RLIMITS_MAX)
			return rterr_set(e, 0, "%s: more entries than rlimit types", sub);
		if (parse_rlimit(it, sub, a, e) < 0)
			return -1;
	}
	return 0;
}

/* Unknown capability names are warned about and skipped, as the OCI spec asks. */
static int parse_cap_set(const cJSON *arr, const char *path, uint64_t *set, struct rterr *e)
{
	char **names;
	size_t n;

	if (json_strings(arr, path, &names, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int cap = cap_from_name(names[i]);
		if (cap < 0)
			warn("%s[%zu]: unknown capability \"%s\", ignored", path, i, names[i]);
		else
			*set |= 1ULL << cap;
	}
	free(names);
	return 0;
}

static int parse_caps(const cJSON *o, const char *path, struct attrs_config *a, struct rterr *e)
{
	const char *const *names = cap_set_names();
	const char *keys[CAP_SETS + 1] = { NULL };
	char sub[512];
	const cJSON *it;

	for (int i = 0; i < CAP_SETS; i++)
		keys[i] = names[i];
	if (json_object(o, path, e) < 0 || json_keys(o, path, keys, e) < 0)
		return -1;
	for (int i = 0; i < CAP_SETS; i++)
		if ((it = member(o, names[i])) &&
		    parse_cap_set(it, json_key_path(sub, sizeof(sub), path, names[i]), &a->caps[i], e) < 0)
			return -1;
	a->caps_set = true;
	return 0;
}

static int parse_ioprio(const cJSON *o, const char *path, struct attrs_config *a, struct rterr *e)
{
	static const char *const keys[] = { "class", "priority", NULL };
	const cJSON *cls = member(o, "class"), *prio;
	unsigned long long v = 0;
	char *name;

	if (json_object(o, path, e) < 0 || json_keys(o, path, keys, e) < 0)
		return -1;
	if (cls == NULL)
		return rterr_set(e, 0, "process.ioPriority.class: is required");
	if (json_string(cls, "process.ioPriority.class", true, &name, e) < 0)
		return -1;
	if ((a->ioprio_class = ioprio_class_from_name(name)) < 0)
		return rterr_set(e, 0, "process.ioPriority.class: unknown class \"%s\"", name);
	if ((prio = member(o, "priority")) && json_uint(prio, "process.ioPriority.priority", 7, &v, e) < 0)
		return -1;
	a->ioprio_level = (int)v;
	a->has_ioprio = true;
	return 0;
}

static int parse_attrs(const cJSON *p, struct attrs_config *a, struct rterr *e)
{
	const cJSON *it;
	long long v;

	if ((it = member(p, "rlimits")) && parse_rlimits(it, "process.rlimits", a, e) < 0)
		return -1;
	if ((it = member(p, "capabilities")) && parse_caps(it, "process.capabilities", a, e) < 0)
		return -1;
	if ((it = member(p, "noNewPrivileges")) &&
	    json_bool(it, "process.noNewPrivileges", &a->no_new_privs, e) < 0)
		return -1;
	if ((it = member(p, "oomScoreAdj"))) {
		if (json_int(it, "process.oomScoreAdj", -1000, 1000, &v, e) < 0)
			return -1;
		a->oom_score_adj = (int)v;
		a->has_oom_score_adj = true;
	}
	if ((it = member(p, "ioPriority")) && parse_ioprio(it, "process.ioPriority", a, e) < 0)
		return -1;
	if ((it = member(p, "apparmorProfile")) &&
	    json_string(it, "process.apparmorProfile", true, &a->apparmor_profile, e) < 0)
		return -1;
	if ((it = member(p, "selinuxLabel")) &&
	    json_string(it, "process.selinuxLabel", true, &a->selinux_label, e) < 0)
		return -1;
	return 0;
}

static int parse_process_rest(const cJSON *p, struct config *c, struct rterr *e)
{
	const cJSON *it;
	bool terminal = false;

	if (parse_attrs(p, &c->process.attrs, e) < 0)
		return -1;
	if ((it = member(p, "terminal")) && json_bool(it, "process.terminal", &terminal, e) < 0)
		return -1;
	if (terminal)
		return rterr_set(e, 0, "process.terminal: a terminal is not supported yet");
	if ((it = member(p, "consoleSize")) && parse_console_size(it, "process.consoleSize", e) < 0)
		return -1;
	if ((it = member(p, "user")) && parse_user(it, "process.user", &c->process, e) < 0)
		return -1;
	if ((it = member(p, "env")) && parse_env(it, "process.env", &c->process, e) < 0)
		return -1;
	if ((it = member(p, "execCPUAffinity")) &&
	    parse_exec_cpu(it, "process.execCPUAffinity", &c->process, e) < 0)
		return -1;
	if ((it = member(p, "scheduler")) &&
	    parse_scheduler(it, "process.scheduler", &c->process.sched, e) < 0)
		return -1;
	return 0;
}

static int parse_process(const cJSON *p, const char *path, struct config *c, struct rterr *e)
{
	static const char *const keys[] = { "args", "env", "cwd", "user", "rlimits", "capabilities",
		"noNewPrivileges", "oomScoreAdj", "scheduler", "ioPriority", "execCPUAffinity",
		"apparmorProfile", "selinuxLabel", "terminal", "consoleSize", NULL };
	struct proc_config *pc = &c->process;
	const cJSON *it;

	if (json_object(p, path, e) < 0 || json_keys(p, path, keys, e) < 0)
		return -1;
	if ((it = member(p, "args"))) {
		if (json_strings(it, "process.args", &pc->args, &pc->nargs, e) < 0)
			return -1;
		if (pc->nargs > 0 && pc->args[0][0] == '\0')
			return rterr_set(e, 0, "process.args[0]: must not be empty");
	}
	if ((it = member(p, "cwd"))) {
		if (json_string(it, "process.cwd", true, &pc->cwd, e) < 0)
			return -1;
		if (pc->cwd[0] != '/')
			return rterr_set(e, 0, "process.cwd: must be an absolute path");
	}
	return parse_process_rest(p, c, e);
}

static int parse_top_scalars(const cJSON *root, struct config *c, struct rterr *e)
{
	const cJSON *it;
	unsigned long long v;

	if ((it = member(root, "detach")) && json_bool(it, "detach", &c->detach, e) < 0)
		return -1;
	if ((it = member(root, "pidFile"))) {
		char *file;
		if (json_string(it, "pidFile", true, &file, e) < 0)
			return -1;
		c->pid_file = file;
	}
	if ((it = member(root, "preserveFds"))) {
		if (json_uint(it, "preserveFds", 1 << 20, &v, e) < 0)
			return -1;
		c->preserve_fds = (unsigned)v;
	}
	return 0;
}

static int parse_root(const cJSON *root, bool args_given, struct config *c, struct rterr *e)
{
	static const char *const keys[] = { "target", "namespaces", "cgroup", "annotations",
		"isolatedCpus", "detach", "pidFile", "preserveFds", "process", NULL };
	const cJSON *it;

	if (json_object(root, "", e) < 0 || json_keys(root, "", keys, e) < 0)
		return -1;
	if (!(it = member(root, "target")))
		return rterr_set(e, 0, "target: is required");
	if (parse_target(it, "target", c, e) < 0)
		return -1;
	if ((it = member(root, "namespaces")) && parse_namespaces(it, "namespaces", c, e) < 0)
		return -1;
	if ((it = member(root, "cgroup")) && parse_cgroup(it, "cgroup", c, e) < 0)
		return -1;
	if ((it = member(root, "annotations")) && parse_annotations(it, "annotations", c, e) < 0)
		return -1;
	if ((it = member(root, "isolatedCpus")) &&
	    parse_cpulist(it, "isolatedCpus", false, &c->isolated_cpus, e) < 0)
		return -1;
	if (parse_top_scalars(root, c, e) < 0)
		return -1;
	it = member(root, "process");
	if (it && parse_process(it, "process", c, e) < 0)
		return -1;
	if (!args_given && c->process.nargs == 0)
		return rterr_set(e, 0, "process.args: at least one argument is required");
	return 0;
}

int config_parse(const char *text, size_t len, bool args_given, struct config *c,
		 struct rterr *e)
{
	memset(c, 0, sizeof(*c));
	if (json_parse(text, len, &c->root, e) < 0)
		return -1;
	if (parse_root(c->root, args_given, c, e) < 0) {
		config_free(c);
		return -1;
	}
	return 0;
}

void config_free(struct config *c)
{
	free(c->process.args);
	free(c->process.env);
	free(c->process.groups);
	cJSON_Delete(c->root);
	memset(c, 0, sizeof(*c));
}
