#include "affinity.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fsutil.h"
#include "syscalls.h"

#define LONG_BITS (sizeof(unsigned long) * CHAR_BIT)
#define NCPUS_FALLBACK 8192 /* x86-64's largest NR_CPUS, where kernel_max cannot be read */

int cpumask_init(struct cpumask *m, size_t nbits)
{
	m->nbits = nbits;
	m->bits = calloc((nbits + LONG_BITS - 1) / LONG_BITS + 1, sizeof(unsigned long));
	return m->bits ? 0 : -ENOMEM;
}

void cpumask_free(struct cpumask *m)
{
	free(m->bits);
	m->bits = NULL;
	m->nbits = 0;
}

void cpumask_set(struct cpumask *m, size_t cpu)
{
	if (cpu < m->nbits)
		m->bits[cpu / LONG_BITS] |= 1UL << (cpu % LONG_BITS);
}

bool cpumask_test(const struct cpumask *m, size_t cpu)
{
	return m->bits && cpu < m->nbits && (m->bits[cpu / LONG_BITS] >> (cpu % LONG_BITS)) & 1;
}

long cpumask_first(const struct cpumask *m)
{
	for (size_t i = 0; i < m->nbits; i++)
		if (cpumask_test(m, i))
			return (long)i;
	return -1;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return p;
}

/* One decimal CPU number; no sign, below ncpus. */
static int parse_cpu(const char **p, size_t ncpus, size_t *cpu, const char *text, struct rterr *e)
{
	unsigned long long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return rterr_set(e, 0, "\"%s\": expected a CPU number at \"%s\"", text, s);
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned)(*s - '0');
		if (v >= ncpus)
			return rterr_set(e, 0, "\"%s\": CPU %.*s is beyond the kernel's limit of %zu CPUs",
					 text, (int)strspn(*p, "0123456789"), *p, ncpus);
	}
	*cpu = (size_t)v;
	*p = s;
	return 0;
}

static int parse_element(const char **p, size_t ncpus, struct cpumask *out, const char *text,
			 struct rterr *e)
{
	size_t a, b;

	if (parse_cpu(p, ncpus, &a, text, e) < 0)
		return -1;
	b = a;
	if (**p == '-') {
		(*p)++;
		if (parse_cpu(p, ncpus, &b, text, e) < 0)
			return -1;
		if (b < a)
			return rterr_set(e, 0, "\"%s\": range %zu-%zu is reversed", text, a, b);
	}
	for (size_t c = a; c <= b; c++)
		cpumask_set(out, c);
	return 0;
}

int cpulist_parse(const char *text, size_t ncpus, struct cpumask *out, struct rterr *e)
{
	const char *p = text;

	if (cpumask_init(out, ncpus) < 0)
		return rterr_set(e, ENOMEM, "CPU list");
	for (;;) {
		p = skip_blanks(p);
		if (*p == '\0')
			return 0;
		if (*p != ',' && parse_element(&p, ncpus, out, text, e) < 0)
			break;
		p = skip_blanks(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\0')
			return 0;
		rterr_set(e, 0, "\"%s\": unexpected \"%c\"", text, *p);
		break;
	}
	cpumask_free(out);
	return -1;
}

char *cpulist_format(const struct cpumask *m)
{
	size_t cap = 64, len = 0;
	char *s = malloc(cap);

	if (s == NULL)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < m->nbits; i++) {
		size_t j = i;
		char item[48];
		int n;

		if (!cpumask_test(m, i))
			continue;
		while (j + 1 < m->nbits && cpumask_test(m, j + 1))
			j++;
		n = j == i ? snprintf(item, sizeof(item), "%s%zu", len ? "," : "", i)
			   : snprintf(item, sizeof(item), "%s%zu-%zu", len ? "," : "", i, j);
		if (len + (size_t)n + 1 > cap) {
			char *ns = realloc(s, cap = 2 * (len + (size_t)n + 1));
			if (ns == NULL) {
				free(s);
				return NULL;
			}
			s = ns;
		}
		memcpy(s + len, item, (size_t)n + 1);
		len += (size_t)n;
		i = j;
	}
	return s;
}

/* The kernel compares parameter names with '-' and '_' as the same character. */
static bool is_key(const char *tok, size_t n, const char *key, size_t klen)
{
	if (n < klen)
		return false;
	for (size_t i = 0; i < klen; i++) {
		char a = tok[i] == '-' ? '_' : tok[i], b = key[i] == '-' ? '_' : key[i];
		if (a != b)
			return false;
	}
	return true;
}

static bool separator(char c)
{
	return (unsigned char)c < '!' || (unsigned char)c > '~';
}

int cmdline_nohz_full(const char *cmdline, size_t len, char **value)
{
	static const char key[] = "nohz_full=";
	size_t i = 0;

	*value = NULL;
	while (i < len) {
		size_t start, n;

		while (i < len && separator(cmdline[i]))
			i++;
		start = i;
		while (i < len && !separator(cmdline[i]))
			i++;
		n = i - start;
		if (n == 2 && strncmp(cmdline + start, "--", 2) == 0)
			return 0; /* the rest belongs to init */
		if (is_key(cmdline + start, n, key, sizeof(key) - 1)) {
			n -= sizeof(key) - 1;
			if (n == 0)
				return 0; /* an empty value counts as absent */
			*value = strndup(cmdline + start + sizeof(key) - 1, n);
			return *value ? 1 : -ENOMEM;
		}
	}
	return 0;
}

long eligible_cpu(const struct cpumask *c, const struct cpumask *isolated)
{
	long min_c = cpumask_first(c);
	bool any_isolated = false;

	for (size_t i = 0; i < c->nbits && !any_isolated; i++)
		any_isolated = cpumask_test(c, i) && cpumask_test(isolated, i);
	if (!any_isolated)
		return -1; /* no isolated CPU in the cpuset: nothing to protect */
	for (size_t i = 0; i < c->nbits; i++)
		if (cpumask_test(c, i) && !cpumask_test(isolated, i))
			return (long)i; /* the first housekeeping CPU */
	return min_c; /* every CPU of the cpuset is isolated */
}

void placement_decide(enum transition tr, bool has_eligible, bool has_initial, bool has_final,
		      enum initial_kind *initial, enum final_kind *final)
{
	bool annotated = tr != TRANSITION_NONE;

	if (has_initial)
		*initial = INITIAL_LIST;
	else
		*initial = annotated && has_eligible ? INITIAL_ELIGIBLE : INITIAL_NONE;
	if (has_final)
		*final = FINAL_LIST;
	else if (tr == TRANSITION_DEFINITIVE && has_eligible)
		*final = FINAL_ELIGIBLE;
	else if (annotated || !has_initial)
		*final = FINAL_RESET;
	else
		*final = FINAL_UNCHANGED; /* initial without final, no annotation: the kernel decides */
}

/* ---- the host's CPUs: reading /proc and /sys, applying affinity ---- */

static size_t kernel_ncpus(void)
{
	char buf[32];
	long v;

	if (read_file(AT_FDCWD, "/sys/devices/system/cpu/kernel_max", buf, sizeof(buf)) < 0)
		return NCPUS_FALLBACK;
	v = strtol(buf, NULL, 10);
	return v > 0 && v < (1L << 20) ? (size_t)v + 1 : NCPUS_FALLBACK;
}

/* Adds the CPUs of a list to m; what names it goes into the message. */
static int add_list(struct cpumask *m, const char *list, const char *what, struct rterr *e)
{
	struct rterr why;
	struct cpumask f;

	if (cpulist_parse(list, m->nbits, &f, &why) < 0)
		return rterr_set(e, 0, "isolated CPUs: %s: %s", what, why.msg);
	for (size_t i = 0; i < m->nbits; i++)
		if (cpumask_test(&f, i))
			cpumask_set(m, i);
	cpumask_free(&f);
	return 0;
}

/* Adds the CPUs listed in a file; absent files and "(null)" add nothing. */
static int add_file(struct cpumask *m, const char *path, struct rterr *e)
{
	int err, r = 0;
	char *buf = read_file_alloc(AT_FDCWD, path, 1 << 20, &err);

	if (buf == NULL)
		return err == -ENOENT ? 0 : rterr_set(e, -err, "isolated CPUs: read %s", path);
	if (strncmp(buf, "(null)", 6) != 0)
		r = add_list(m, buf, path, e);
	free(buf);
	return r;
}

static int add_nohz_full(struct cpumask *m, struct rterr *e)
{
	static char cmdline[1 << 16];
	char *value;
	int r;

	if (read_file(AT_FDCWD, "/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		cmdline[0] = '\0';
	r = cmdline_nohz_full(cmdline, strlen(cmdline), &value);
	if (r <= 0)
		return add_file(m, "/sys/devices/system/cpu/nohz_full", e);
	r = add_list(m, value, "/proc/cmdline nohz_full=", e);
	free(value);
	return r;
}

static int detect_isolated(const struct placement_request *r, struct cpumask *m, size_t ncpus,
			   struct rterr *e)
{
	char path[PATH_MAX];
	struct rterr why;

	if (r->isolated_cpus) {
		if (cpulist_parse(r->isolated_cpus, ncpus, m, &why) < 0)
			return rterr_set(e, 0, "config: isolatedCpus: %s", why.msg);
		return 0;
	}
	if (cpumask_init(m, ncpus) < 0)
		return rterr_set(e, ENOMEM, "isolated CPUs");
	if (add_nohz_full(m, e) < 0 || add_file(m, "/sys/devices/system/cpu/isolated", e) < 0)
		return -1;
	if (r->v2_root == NULL)
		return 0;
	snprintf(path, sizeof(path), "%s/cpuset.cpus.isolated", r->v2_root);
	return add_file(m, path, e);
}

static int cgroup_cpus(const struct placement_request *r, struct cpumask *m, size_t ncpus,
		       struct rterr *e)
{
	char all[32], *online = NULL;
	struct rterr why;
	const char *list = r->cgroup_cpus;
	int err, rc;

	if (list == NULL || list[0] == '\0') {
		/* No cpuset applies: every online CPU. */
		online = read_file_alloc(AT_FDCWD, "/sys/devices/system/cpu/online", 1 << 20, &err);
		snprintf(all, sizeof(all), "0-%zu", ncpus - 1);
		list = online ? online : all;
	}
	rc = cpulist_parse(list, ncpus, m, &why);
	free(online);
	if (rc < 0)
		return rterr_set(e, 0, "cgroup CPUs: %s", why.msg);
	return 0;
}

static int request_list(const char *text, const char *what, size_t ncpus, struct cpumask *m,
			struct rterr *e)
{
	struct rterr why;

	if (text == NULL)
		return cpumask_init(m, ncpus) < 0 ? rterr_set(e, ENOMEM, "%s", what) : 0;
	if (cpulist_parse(text, ncpus, m, &why) < 0)
		return rterr_set(e, 0, "config: %s: %s", what, why.msg);
	if (cpumask_first(m) < 0)
		return rterr_set(e, 0, "config: %s: the list is empty", what);
	return 0;
}

static void fill_masks(struct placement *p)
{
	if (p->initial_kind == INITIAL_ELIGIBLE)
		cpumask_set(&p->initial, (size_t)p->eligible);
	if (p->final_kind == FINAL_ELIGIBLE)
		cpumask_set(&p->final, (size_t)p->eligible);
	if (p->final_kind == FINAL_RESET) /* the kernel clips it to the cpuset */
		for (size_t i = 0; i < p->ncpus; i++)
			cpumask_set(&p->final, i);
}

int placement_resolve(const struct placement_request *r, struct placement *p, struct rterr *e)
{
	memset(p, 0, sizeof(*p));
	p->ncpus = kernel_ncpus();
	p->transition = r->transition;
	if (cgroup_cpus(r, &p->cgroup, p->ncpus, e) < 0 ||
	    detect_isolated(r, &p->isolated, p->ncpus, e) < 0 ||
	    request_list(r->initial, "process.execCPUAffinity.initial", p->ncpus, &p->initial, e) < 0 ||
	    request_list(r->final, "process.execCPUAffinity.final", p->ncpus, &p->final, e) < 0) {
		placement_free(p);
		return -1;
	}
	p->eligible = eligible_cpu(&p->cgroup, &p->isolated);
	placement_decide(p->transition, p->eligible >= 0, r->initial != NULL, r->final != NULL,
			 &p->initial_kind, &p->final_kind);
	fill_masks(p);
	return 0;
}

static int set_affinity(pid_t pid, const struct cpumask *m)
{
	size_t bytes = (m->nbits + LONG_BITS - 1) / LONG_BITS * sizeof(unsigned long);

	return sched_setaffinity(pid, bytes, (const cpu_set_t *)(const void *)m->bits) < 0 ? -errno
											  : 0;
}

static int apply(pid_t pid, const struct cpumask *m, const char *what, struct rterr *e)
{
	int r = set_affinity(pid, m);
	char *list;

	if (r == 0)
		return 0;
	list = cpulist_format(m);
	rterr_set(e, -r, "set %s CPU affinity %s", what, list ? list : "?");
	free(list);
	return r;
}

int placement_pin_initial(const struct placement *p, struct rterr *e)
{
	return p->initial_kind == INITIAL_NONE ? 0 : apply(0, &p->initial, "initial", e);
}

int placement_apply_final(const struct placement *p, pid_t pid, struct rterr *e)
{
	return p->final_kind == FINAL_UNCHANGED ? 0 : apply(pid, &p->final, "final", e);
}

int sched_apply(const struct sched_config *s, pid_t pid, struct rterr *e)
{
	struct rt_sched_attr attr = { .size = sizeof(attr),
				      .sched_policy = (uint32_t)s->policy,
				      .sched_flags = s->flags,
				      .sched_nice = s->nice,
				      .sched_priority = s->priority,
				      .sched_runtime = s->runtime,
				      .sched_deadline = s->deadline,
				      .sched_period = s->period };

	if (!s->set)
		return 0;
	if (sys_sched_setattr(pid, &attr, 0) < 0) {
		int err = errno;
		rterr_set(e, err, "set scheduler %s priority %u", s->name, s->priority);
		/* With RT group scheduling a cgroup without RT runtime refuses every RT task. */
		if (err == EPERM && (s->policy == SCHED_FIFO || s->policy == SCHED_RR))
			snprintf(e->msg + strlen(e->msg), sizeof(e->msg) - strlen(e->msg),
				 " (cpu.rt_runtime_us of the cgroup may be 0)");
		return -err;
	}
	return 0;
}

void placement_free(struct placement *p)
{
	cpumask_free(&p->cgroup);
	cpumask_free(&p->isolated);
	cpumask_free(&p->initial);
	cpumask_free(&p->final);
}

static char *affinity_current(void)
{
	struct cpumask m;
	size_t n = kernel_ncpus();
	char *s;

	if (cpumask_init(&m, n) < 0)
		return NULL;
	if (sched_getaffinity(0, (n + LONG_BITS - 1) / LONG_BITS * sizeof(unsigned long),
			      (cpu_set_t *)(void *)m.bits) < 0) {
		cpumask_free(&m);
		return NULL;
	}
	s = cpulist_format(&m);
	cpumask_free(&m);
	return s;
}

void affinity_log(const char *when)
{
	char *list;

	if (log_level < LOG_DEBUG)
		return;
	list = affinity_current();
	debug("CPU affinity %s: %s", when, list ? list : "?");
	free(list);
}
