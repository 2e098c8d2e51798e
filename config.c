#include "config.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "fmt.h"
#include "fsutil.h"
#include "jsonutil.h"

#define PID_MAX_LIMIT 4194304.0 /* the kernel's ceiling for /proc/sys/kernel/pid_max */
#define ID_MAX 4294967294.0	/* (uid_t)-1 means "no change" to the kernel */
#define GROUPS_MAX 65536	/* NGROUPS_MAX */

/* The OCI rule for an engine's process file: unknown properties are ignored (newer engines
 * add fields), noted at debug level. rtexec's own config stays strict. */
static bool oci_lenient;

static int check_keys(const cJSON *obj, const char *path, const char *const *allowed,
		      struct rterr *e)
{
	if (!oci_lenient || allowed == NULL)
		return json_keys(obj, path, allowed, e);
	for (const cJSON *it = obj->child; it; it = it->next) {
		bool known = false;

		for (const char *const *k = allowed; *k && !known; k++)
			known = strcmp(it->string, *k) == 0;
		if (!known)
			debug("%s%s%s: unknown, ignored (OCI)", path, *path ? "." : "", it->string);
	}
	return json_keys(obj, path, NULL, e);
}

static const cJSON *member(const cJSON *obj, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

static int parse_target(const cJSON *t, const char *path, struct target_request *c, struct rterr *e)
{
	static const char *const keys[] = { "pid", "pidFile", "startTime", NULL };
	const cJSON *pid = member(t, "pid"), *file = member(t, "pidFile"),
		    *st = member(t, "startTime");
	unsigned long long v;
	char *name = NULL;

	if (json_object(t, path, e) < 0 || check_keys(t, path, keys, e) < 0)
		return -1;
	if (!pid == !file)
		return rterr_set(e, 0, "%s: exactly one of \"pid\" and \"pidFile\" is required",
				 path);
	if (pid) {
		if (json_uint(pid, "target.pid", PID_MAX_LIMIT, &v, e) < 0)
			return -1;
		if (v == 0)
			return rterr_set(e, 0, "target.pid: must be a positive pid");
		c->pid = (pid_t)v;
	}
	if (file && json_string(file, "target.pidFile", true, &name, e) < 0)
		return -1;
	c->pid_file = name;
	if (st) {
		if (json_uint(st, "target.startTime", JSON_MAX_EXACT, &c->start_time, e) < 0)
			return -1;
		c->has_start_time = true;
	}
	return 0;
}

static int parse_ns_entry(const cJSON *it, const char *path, struct ns_entry *r, struct rterr *e)
{
	static const char *const keys[] = { "type", "path", NULL };
	char sub[512];
	char *name = NULL;
	const cJSON *type = it, *p = NULL;
	char *nspath;
	int t;

	r->path = NULL;
	if (cJSON_IsObject(it)) {
		if (check_keys(it, path, keys, e) < 0)
			return -1;
		type = member(it, "type");
		p = member(it, "path");
		if (!type)
			return rterr_set(e, 0, "%s: is required",
					 json_key_path(sub, sizeof(sub), path, "type"));
		json_key_path(sub, sizeof(sub), path, "type");
	} else {
		fmt_snprintf(sub, sizeof(sub), "%s", path);
	}
	if (json_string(type, sub, true, &name, e) < 0)
		return -1;
	t = ns_type_from_name(name);
	if (t < 0)
		return rterr_set(e, 0, "%s: unknown namespace type \"%s\"", sub, name);
	r->type = (enum ns_type)t;
	if (p) {
		json_key_path(sub, sizeof(sub), path, "path");
		if (json_string(p, sub, true, &nspath, e) < 0)
			return -1;
		if (nspath[0] != '/')
			return rterr_set(e, 0, "%s: must be an absolute path", sub);
		r->path = nspath;
	}
	return 0;
}

static int parse_namespaces(const cJSON *arr, const char *path, struct ns_request *r,
			    struct rterr *e)
{
	char sub[512];
	size_t i = 0;

	if (!cJSON_IsArray(arr))
		return rterr_set(e, 0, "%s: expected an array", path);
	r->given = true;
	for (const cJSON *it = arr->child; it; it = it->next, i++) {
		json_index_path(sub, sizeof(sub), path, i);
		if (i >= NS_COUNT)
			return rterr_set(e, 0, "%s: more entries than namespace types", sub);
		if (parse_ns_entry(it, sub, &r->entries[i], e) < 0)
			return -1;
		for (size_t j = 0; j < i; j++)
			if (r->entries[j].type == r->entries[i].type)
				return rterr_set(e, 0, "%s: namespace type \"%s\" given twice", sub,
						 ns_kinds[r->entries[i].type].oci);
	}
	r->n = i;
	return 0;
}

/* A cgroup path of the config: no "." or ".." components (the cgroup must be the one
 * named, and "sub" must stay below the container's), relative where asked. */
static int cgroup_path_check(const char *value, bool relative, const char *path, struct rterr *e)
{
	if (relative && value[0] == '/')
		return rterr_set(e, 0, "%s: must be a relative path", path);
	for (const char *p = value; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && strncmp(p, "..", 2) == 0)
			return rterr_set(e, 0, "%s: must not contain \"..\"", path);
		if (n == 1 && *p == '.')
			return rterr_set(e, 0, "%s: must not contain \".\"", path);
		p += n;
		while (*p == '/')
			p++;
	}
	return 0;
}

static int parse_cgroup_key(const cJSON *cg, const char *key, bool relative, const char **out,
			    struct rterr *e)
{
	const cJSON *it = member(cg, key);
	char path[64], *value;

	if (it == NULL)
		return 0;
	fmt_snprintf(path, sizeof(path), "cgroup.%s", key);
	if (json_string(it, path, true, &value, e) < 0 ||
	    cgroup_path_check(value, relative, path, e) < 0)
		return -1;
	*out = value;
	return 0;
}

static int parse_cgroup(const cJSON *cg, const char *path, struct cg_request *r, struct rterr *e)
{
	static const char *const keys[] = { "path", "sub", NULL };

	if (json_object(cg, path, e) < 0 || check_keys(cg, path, keys, e) < 0)
		return -1;
	if (parse_cgroup_key(cg, "path", false, &r->path, e) < 0)
		return -1;
	return parse_cgroup_key(cg, "sub", true, &r->sub, e);
}

/* A CPU list, checked once and for all against the kernel's limit (cpus->ncpus). */
static int parse_cpulist(const cJSON *it, const char *path, bool nonempty,
			 const struct cpu_request *cpus, struct cpumask *m, bool *has,
			 struct rterr *e)
{
	struct rterr why;
	char *text;

	if (json_string(it, path, false, &text, e) < 0)
		return -1;
	if (cpulist_parse(text, cpus->ncpus, m, &why) < 0)
		return rterr_set(e, 0, "%s: %s", path, why.msg);
	*has = true; /* config_free frees it */
	if (nonempty && cpumask_first(m) < 0)
		return rterr_set(e, 0, "%s: the CPU list is empty", path);
	return 0;
}

static int parse_annotations(const cJSON *a, const char *path, struct cpu_request *c,
			     struct rterr *e)
{
	char sub[512];
	char *v;

	if (json_object(a, path, e) < 0 || check_keys(a, path, NULL, e) < 0)
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
			return rterr_set(e, 0,
					 "%s: unknown value \"%s\" (expected \"temporary\" or "
					 "\"definitive\")",
					 sub, v);
	}
	return 0;
}

static int parse_exec_cpu(const cJSON *o, const char *path, struct cpu_request *c, struct rterr *e)
{
	static const char *const keys[] = { "initial", "final", NULL };
	const cJSON *it;

	if (json_object(o, path, e) < 0 || check_keys(o, path, keys, e) < 0)
		return -1;
	if ((it = member(o, "initial")) &&
	    parse_cpulist(it, "process.execCPUAffinity.initial", true, c, &c->initial,
			  &c->has_initial, e) < 0)
		return -1;
	if ((it = member(o, "final")) && parse_cpulist(it, "process.execCPUAffinity.final", true, c,
						       &c->final, &c->has_final, e) < 0)
		return -1;
	return 0;
}

static int sched_policy(const cJSON *it, struct sched_config *s, struct rterr *e)
{
	char *name;

	if (it == NULL)
		return rterr_set(e, 0, "process.scheduler.policy: is required");
	if (json_string(it, "process.scheduler.policy", true, &name, e) < 0)
		return -1;
	return sched_policy_parse(name, s, "process.scheduler.policy", e);
}

static int sched_flag_list(const cJSON *arr, struct sched_config *s, struct rterr *e)
{
	char **names, sub[64];
	size_t n, i;
	int r = 0;

	if (json_strings(arr, "process.scheduler.flags", &names, &n, e) < 0)
		return -1;
	for (i = 0; i < n && r == 0; i++)
		r = sched_flag_parse(
			names[i], s,
			json_index_path(sub, sizeof(sub), "process.scheduler.flags", i), e);
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
	if ((it = member(o, "runtime")) &&
	    json_uint(it, "process.scheduler.runtime", JSON_MAX_EXACT, &s->runtime, e) < 0)
		return -1;
	if ((it = member(o, "deadline")) &&
	    json_uint(it, "process.scheduler.deadline", JSON_MAX_EXACT, &s->deadline, e) < 0)
		return -1;
	if ((it = member(o, "period")) &&
	    json_uint(it, "process.scheduler.period", JSON_MAX_EXACT, &s->period, e) < 0)
		return -1;
	return 0;
}

static int parse_scheduler(const cJSON *o, const char *path, struct sched_config *s,
			   struct rterr *e)
{
	/* clang-format off */
	static const char *const keys[] = { "policy", "nice", "priority", "flags", "runtime",
		"deadline", "period", NULL };
	/* clang-format on */
	const cJSON *it;

	if (json_object(o, path, e) < 0 || check_keys(o, path, keys, e) < 0 ||
	    sched_policy(member(o, "policy"), s, e) < 0 || sched_numbers(o, s, e) < 0)
		return -1;
	if ((it = member(o, "flags")) && sched_flag_list(it, s, e) < 0)
		return -1;
	s->set = true;
	return sched_validate(s, "process.scheduler", e);
}

static int parse_env(const cJSON *arr, const char *path, struct process_request *p, struct rterr *e)
{
	if (json_strings(arr, path, &p->env, &p->nenv, e) < 0)
		return -1;
	for (size_t i = 0; i < p->nenv; i++) {
		const char *eq = strchr(p->env[i], '=');
		if (eq == NULL || eq == p->env[i])
			return rterr_set(e, 0, "%s[%zu]: expected \"NAME=value\"", path, i);
	}
	return 0;
}

static int parse_groups(const cJSON *arr, const char *path, struct process_request *p,
			struct rterr *e)
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

static int parse_user(const cJSON *u, const char *path, struct process_request *p, struct rterr *e)
{
	static const char *const keys[] = { "uid", "gid", "umask", "additionalGids", NULL };
	const cJSON *it;
	unsigned long long v;

	if (json_object(u, path, e) < 0 || check_keys(u, path, keys, e) < 0)
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

static int parse_console_size(const cJSON *cs, const char *path, struct process_request *p,
			      struct rterr *e)
{
	static const char *const keys[] = { "height", "width", NULL };
	unsigned long long v[2];
	char sub[512];

	if (json_object(cs, path, e) < 0 || check_keys(cs, path, keys, e) < 0)
		return -1;
	for (int i = 0; i < 2; i++) {
		const cJSON *it = member(cs, keys[i]);
		json_key_path(sub, sizeof(sub), path, keys[i]);
		if (!it)
			return rterr_set(e, 0, "%s: is required", sub);
		if (json_uint(it, sub, 65535, &v[i], e) < 0)
			return -1;
	}
	p->rows = (unsigned short)v[0];
	p->cols = (unsigned short)v[1];
	return 0;
}

static int parse_rlimit(const cJSON *it, const char *path, struct attrs *a, struct rterr *e)
{
	static const char *const keys[] = { "type", "soft", "hard", NULL };
	struct rlimit_config *r = &a->rlimits[a->nrlimits];
	char sub[512], *name;
	const cJSON *f;

	if (json_object(it, path, e) < 0 || check_keys(it, path, keys, e) < 0)
		return -1;
	for (const char *const *k = keys; *k; k++)
		if (!member(it, *k))
			return rterr_set(e, 0, "%s: is required",
					 json_key_path(sub, sizeof(sub), path, *k));
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

static int parse_rlimits(const cJSON *arr, const char *path, struct attrs *a, struct rterr *e)
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

static int parse_caps(const cJSON *o, const char *path, struct attrs *a, struct rterr *e)
{
	const char *const *names = cap_set_names();
	const char *keys[CAP_SETS + 1] = { NULL };
	char sub[512];
	const cJSON *it;

	for (int i = 0; i < CAP_SETS; i++)
		keys[i] = names[i];
	if (json_object(o, path, e) < 0 || check_keys(o, path, keys, e) < 0)
		return -1;
	for (int i = 0; i < CAP_SETS; i++)
		if ((it = member(o, names[i])) &&
		    parse_cap_set(it, json_key_path(sub, sizeof(sub), path, names[i]), &a->caps[i],
				  e) < 0)
			return -1;
	a->caps_set = true;
	return 0;
}

static int parse_ioprio(const cJSON *o, const char *path, struct attrs *a, struct rterr *e)
{
	static const char *const keys[] = { "class", "priority", NULL };
	const cJSON *cls = member(o, "class"), *prio;
	unsigned long long v = 0;
	char *name;

	if (json_object(o, path, e) < 0 || check_keys(o, path, keys, e) < 0)
		return -1;
	if (cls == NULL)
		return rterr_set(e, 0, "process.ioPriority.class: is required");
	if (json_string(cls, "process.ioPriority.class", true, &name, e) < 0)
		return -1;
	if ((a->ioprio_class = ioprio_class_from_name(name)) < 0)
		return rterr_set(e, 0, "process.ioPriority.class: unknown class \"%s\"", name);
	if ((prio = member(o, "priority")) &&
	    json_uint(prio, "process.ioPriority.priority", 7, &v, e) < 0)
		return -1;
	a->ioprio_level = (int)v;
	a->has_ioprio = true;
	return 0;
}

static int parse_attrs(const cJSON *p, struct attrs *a, struct rterr *e)
{
	char *label;
	const cJSON *it;
	long long v;

	if ((it = member(p, "rlimits")) && parse_rlimits(it, "process.rlimits", a, e) < 0)
		return -1;
	if ((it = member(p, "capabilities")) && parse_caps(it, "process.capabilities", a, e) < 0)
		return -1;
	if ((it = member(p, "noNewPrivileges"))) {
		if (json_bool(it, "process.noNewPrivileges", &a->no_new_privs, e) < 0)
			return -1;
		a->has_no_new_privs = true;
	}
	if ((it = member(p, "oomScoreAdj"))) {
		if (json_int(it, "process.oomScoreAdj", -1000, 1000, &v, e) < 0)
			return -1;
		a->oom_score_adj = (int)v;
		a->has_oom_score_adj = true;
	}
	if ((it = member(p, "ioPriority")) && parse_ioprio(it, "process.ioPriority", a, e) < 0)
		return -1;
	if ((it = member(p, "apparmorProfile"))) {
		if (json_string(it, "process.apparmorProfile", true, &label, e) < 0)
			return -1;
		a->apparmor_profile = label;
	}
	if ((it = member(p, "selinuxLabel"))) {
		if (json_string(it, "process.selinuxLabel", true, &label, e) < 0)
			return -1;
		a->selinux_label = label;
	}
	return 0;
}

static int parse_process_rest(const cJSON *p, struct config *c, struct rterr *e)
{
	const cJSON *it;

	if (parse_attrs(p, &c->attrs, e) < 0)
		return -1;
	if ((it = member(p, "terminal")) &&
	    json_bool(it, "process.terminal", &c->process.terminal, e) < 0)
		return -1;
	if ((it = member(p, "consoleSize")) &&
	    parse_console_size(it, "process.consoleSize", &c->process, e) < 0)
		return -1;
	if ((it = member(p, "user")) && parse_user(it, "process.user", &c->process, e) < 0)
		return -1;
	if ((it = member(p, "env")) && parse_env(it, "process.env", &c->process, e) < 0)
		return -1;
	if ((it = member(p, "execCPUAffinity")) &&
	    parse_exec_cpu(it, "process.execCPUAffinity", &c->cpus, e) < 0)
		return -1;
	if ((it = member(p, "scheduler")) &&
	    parse_scheduler(it, "process.scheduler", &c->sched, e) < 0)
		return -1;
	return 0;
}

static int parse_process(const cJSON *p, const char *path, struct config *c, struct rterr *e)
{
	/* clang-format off */
	static const char *const keys[] = { "args", "env", "cwd", "user", "rlimits", "capabilities",
		"noNewPrivileges", "oomScoreAdj", "scheduler", "ioPriority", "execCPUAffinity",
		"apparmorProfile", "selinuxLabel", "terminal", "consoleSize", NULL };
	/* clang-format on */
	struct process_request *pc = &c->process;
	const cJSON *it;
	char *cwd;

	if (json_object(p, path, e) < 0 || check_keys(p, path, keys, e) < 0)
		return -1;
	if ((it = member(p, "args"))) {
		if (json_strings(it, "process.args", &pc->args, &pc->nargs, e) < 0)
			return -1;
		if (pc->nargs > 0 && pc->args[0][0] == '\0')
			return rterr_set(e, 0, "process.args[0]: must not be empty");
	}
	if ((it = member(p, "cwd"))) {
		if (json_string(it, "process.cwd", true, &cwd, e) < 0)
			return -1;
		if (cwd[0] != '/')
			return rterr_set(e, 0, "process.cwd: must be an absolute path");
		pc->cwd = cwd;
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

/* "inherit" (the default), "none", or a path to a raw classic-BPF program. */
static int parse_seccomp(const cJSON *it, struct seccomp_request *r, struct rterr *e)
{
	char *v;

	if (json_string(it, "seccomp", true, &v, e) < 0)
		return -1;
	if (strcmp(v, "inherit") == 0) {
		r->mode = SECCOMP_INHERIT;
	} else if (strcmp(v, "none") == 0) {
		r->mode = SECCOMP_NONE;
	} else if (strchr(v, '/')) {
		r->mode = SECCOMP_FILE;
		r->path = v;
	} else {
		return rterr_set(e, 0,
				 "seccomp: \"%s\": expected \"inherit\", \"none\" or the "
				 "path of a BPF program",
				 v);
	}
	return 0;
}

static int parse_root(const cJSON *root, bool args_given, struct config *c, struct rterr *e)
{
	/* clang-format off */
	static const char *const keys[] = { "target", "namespaces", "cgroup", "annotations",
		"isolatedCpus", "detach", "pidFile", "preserveFds", "seccomp", "process", NULL };
	/* clang-format on */
	const cJSON *it;

	if (json_object(root, "", e) < 0 || check_keys(root, "", keys, e) < 0)
		return -1;
	if (!(it = member(root, "target")))
		return rterr_set(e, 0, "target: is required");
	if (parse_target(it, "target", &c->target, e) < 0)
		return -1;
	if ((it = member(root, "namespaces")) && parse_namespaces(it, "namespaces", &c->ns, e) < 0)
		return -1;
	if ((it = member(root, "cgroup")) && parse_cgroup(it, "cgroup", &c->cgroup, e) < 0)
		return -1;
	if ((it = member(root, "annotations")) &&
	    parse_annotations(it, "annotations", &c->cpus, e) < 0)
		return -1;
	if ((it = member(root, "isolatedCpus")) &&
	    parse_cpulist(it, "isolatedCpus", false, &c->cpus, &c->cpus.isolated,
			  &c->cpus.has_isolated, e) < 0)
		return -1;
	if (parse_top_scalars(root, c, e) < 0)
		return -1;
	if ((it = member(root, "seccomp")) && parse_seccomp(it, &c->seccomp, e) < 0)
		return -1;
	it = member(root, "process");
	if (it && parse_process(it, "process", c, e) < 0)
		return -1;
	if (!args_given && c->process.nargs == 0)
		return rterr_set(e, 0, "process.args: at least one argument is required");
	return 0;
}

int config_parse(const char *text, size_t len, bool args_given, size_t ncpus, struct config *c,
		 struct rterr *e)
{
	cJSON *root;

	memset(c, 0, sizeof(*c));
	c->cpus.ncpus = ncpus;
	if (json_parse(text, len, &root, e) < 0)
		return -1;
	c->root = root;
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
	if (c->cpus.has_isolated)
		cpumask_free(&c->cpus.isolated);
	if (c->cpus.has_initial)
		cpumask_free(&c->cpus.initial);
	if (c->cpus.has_final)
		cpumask_free(&c->cpus.final);
	cJSON_Delete(c->root);
	memset(c, 0, sizeof(*c));
}

/* A decimal number of the command line, whole: digits only, at most max. */
static int option_number(const char *opt, const char *text, size_t n, double max,
			 unsigned long long *v, struct rterr *e)
{
	const char *end;

	if (n == 0 || text[0] < '0' || text[0] > '9')
		return rterr_set(e, 0, "option %s: \"%.*s\" is not a number", opt, (int)n, text);
	if (str_u64(text, 10, v, &end) < 0 || (size_t)(end - text) != n || (double)*v > max)
		return rterr_set(e, 0, "option %s: \"%.*s\" is out of range (0..%llu)", opt, (int)n,
				 text, (unsigned long long)max);
	return 0;
}

static int shorthand_user(const char *user, cJSON *proc, struct rterr *e)
{
	size_t n = strcspn(user, ":");
	unsigned long long uid, gid = 0;
	cJSON *u;

	if (option_number("-u", user, n, ID_MAX, &uid, e) < 0 ||
	    (user[n] == ':' &&
	     option_number("-u", user + n + 1, strlen(user + n + 1), ID_MAX, &gid, e) < 0))
		return -1;
	u = cJSON_AddObjectToObject(proc, "user");
	cJSON_AddNumberToObject(u, "uid", (double)uid);
	cJSON_AddNumberToObject(u, "gid", (double)gid);
	return 0;
}

int config_shorthand(const struct shorthand *s, char **out, struct rterr *e)
{
	cJSON *doc = cJSON_CreateObject(), *proc, *env;
	unsigned long long pid;
	int r = -1;

	if (option_number("-p", s->pid, strlen(s->pid), PID_MAX_LIMIT, &pid, e) < 0)
		goto done;
	cJSON_AddNumberToObject(cJSON_AddObjectToObject(doc, "target"), "pid", (double)pid);
	proc = cJSON_AddObjectToObject(doc, "process");
	if (s->user && shorthand_user(s->user, proc, e) < 0)
		goto done;
	if (s->cwd)
		cJSON_AddStringToObject(proc, "cwd", s->cwd);
	if (s->nenv) {
		env = cJSON_AddArrayToObject(proc, "env");
		for (int i = 0; i < s->nenv; i++)
			cJSON_AddItemToArray(env, cJSON_CreateString(s->env[i]));
	}
	if ((*out = cJSON_PrintUnformatted(doc)) == NULL)
		rterr_set(e, ENOMEM, "the shorthand's config");
	else
		r = 0;
done:
	cJSON_Delete(doc);
	return r;
}

int config_parse_process(const char *text, size_t len, const char *key, size_t ncpus,
			 struct config *c, struct rterr *e)
{
	const cJSON *p;
	cJSON *root;
	int r;

	memset(c, 0, sizeof(*c));
	c->cpus.ncpus = ncpus;
	if (json_parse(text, len, &root, e) < 0)
		return -1;
	c->root = root;
	p = key ? member(root, key) : root;
	if (p == NULL) {
		config_free(c);
		return rterr_set(e, 0, "%s: is required", key);
	}
	oci_lenient = true;
	r = parse_process(p, "process", c, e);
	oci_lenient = false;
	if (r == 0 && c->process.nargs == 0)
		r = rterr_set(e, 0, "process.args: at least one argument is required");
	if (r < 0)
		config_free(c);
	return r;
}
