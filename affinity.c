#include "affinity.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "fsutil.h"
#include "syscalls.h"

#define NCPUS_FALLBACK 8192 /* x86-64's largest NR_CPUS, where kernel_max cannot be read */

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
			return *value ? 0 : -ENOMEM;
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
	return min_c;			/* every CPU of the cpuset is isolated */
}

void placement_decide(enum transition tr, bool has_eligible, bool needs_pin, bool has_initial,
		      bool has_final, enum initial_kind *initial, enum final_kind *final)
{
	bool annotated = tr != TRANSITION_NONE;

	if (has_initial)
		*initial = INITIAL_LIST;
	else if (has_eligible && (annotated || needs_pin))
		*initial = INITIAL_ELIGIBLE;
	else
		*initial = INITIAL_NONE;
	if (has_final)
		*final = FINAL_LIST;
	else if (tr == TRANSITION_DEFINITIVE && has_eligible)
		*final = FINAL_ELIGIBLE;
	else if (annotated || !has_initial)
		*final = FINAL_RESET;
	else
		*final =
			FINAL_UNCHANGED; /* initial without final, no annotation: the kernel decides */
}

/* ---- the host's CPUs: reading /proc and /sys, applying affinity ---- */

size_t kernel_ncpus(void)
{
	static size_t n; /* read once: it never changes */
	char buf[32];
	unsigned long long v;

	if (n)
		return n;
	if (read_file(AT_FDCWD, "/sys/devices/system/cpu/kernel_max", buf, sizeof(buf)) < 0)
		return n = NCPUS_FALLBACK;
	return n = str_u64(buf, 10, &v, NULL) == 0 && v > 0 && v < (1ULL << 20) ? (size_t)v + 1
										: NCPUS_FALLBACK;
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
	char *buf;
	int r = read_file_alloc(AT_FDCWD, path, 1 << 20, &buf);

	if (r < 0)
		return r == -ENOENT ? 0 : rterr_set(e, -r, "isolated CPUs: read %s", path);
	if (strncmp(buf, "(null)", 6) != 0)
		r = add_list(m, buf, path, e);
	free(buf);
	return r;
}

static int add_nohz_full(struct cpumask *m, struct rterr *e)
{
	char *cmdline = NULL, *value = NULL;
	int r = read_file_alloc(AT_FDCWD, "/proc/cmdline", 1 << 20, &cmdline);

	if (r == 0)
		r = cmdline_nohz_full(cmdline, strlen(cmdline), &value);
	free(cmdline);
	if (r == -ENOMEM)
		return rterr_set(e, ENOMEM, "isolated CPUs: /proc/cmdline");
	if (value == NULL)
		return add_file(m, "/sys/devices/system/cpu/nohz_full", e);
	r = add_list(m, value, "/proc/cmdline nohz_full=", e);
	free(value);
	return r;
}

/* A mask of ncpus bits holding the CPUs of src (sized by the config's parse). */
static int copy_mask(const struct cpumask *src, size_t ncpus, struct cpumask *dst, struct rterr *e)
{
	if (cpumask_init(dst, ncpus) < 0)
		return rterr_set(e, ENOMEM, "CPU placement");
	for (size_t i = 0; src && i < src->nbits && i < ncpus; i++)
		if (cpumask_test(src, i))
			cpumask_set(dst, i);
	return 0;
}

static int detect_isolated(const struct cpu_request *r, const char *v2_root, struct cpumask *m,
			   size_t ncpus, struct rterr *e)
{
	char path[PATH_MAX];

	if (copy_mask(r->has_isolated ? &r->isolated : NULL, ncpus, m, e) < 0)
		return -1;
	if (r->has_isolated)
		return 0;
	if (add_nohz_full(m, e) < 0 || add_file(m, "/sys/devices/system/cpu/isolated", e) < 0)
		return -1;
	if (v2_root == NULL)
		return 0;
	fmt_snprintf(path, sizeof(path), "%s/cpuset.cpus.isolated", v2_root);
	return add_file(m, path, e);
}

static int cgroup_cpus(const char *list, struct cpumask *m, size_t ncpus, struct rterr *e)
{
	char all[32], *online = NULL;
	struct rterr why;
	int rc;

	if (list == NULL || list[0] == '\0') {
		/* No cpuset applies: every online CPU. */
		fmt_snprintf(all, sizeof(all), "0-%zu", ncpus - 1);
		list = read_file_alloc(AT_FDCWD, "/sys/devices/system/cpu/online", 1 << 20,
				       &online) == 0
			       ? online
			       : all;
	}
	rc = cpulist_parse(list, ncpus, m, &why);
	free(online);
	if (rc < 0)
		return rterr_set(e, 0, "cgroup CPUs: %s", why.msg);
	return 0;
}

static void fill_masks(struct placement *p)
{
	if (p->initial_kind == INITIAL_ELIGIBLE)
		cpumask_set(&p->initial, (size_t)p->eligible);
	for (size_t i = 0; i < p->ncpus && p->initial_kind != INITIAL_NONE; i++)
		if (cpumask_test(&p->initial, i) && cpumask_test(&p->isolated, i))
			p->pin_child = true;
	if (p->final_kind == FINAL_ELIGIBLE)
		cpumask_set(&p->final, (size_t)p->eligible);
	if (p->final_kind == FINAL_RESET) /* the kernel clips it to the cpuset */
		for (size_t i = 0; i < p->ncpus; i++)
			cpumask_set(&p->final, i);
}

int placement_compute(const struct cpu_request *r, struct placement *p, struct rterr *e)
{
	p->transition = r->transition;
	if (copy_mask(r->has_initial ? &r->initial : NULL, p->ncpus, &p->initial, e) < 0 ||
	    copy_mask(r->has_final ? &r->final : NULL, p->ncpus, &p->final, e) < 0)
		return -1;
	p->eligible = eligible_cpu(&p->cgroup, &p->isolated);
	/* Without annotation, pinned wherever E exists (placement_decide). */
	placement_decide(p->transition, p->eligible >= 0, p->eligible >= 0, r->has_initial,
			 r->has_final, &p->initial_kind, &p->final_kind);
	fill_masks(p);
	return 0;
}

int placement_resolve(const struct cpu_request *r, const char *cgroup_list, const char *v2_root,
		      struct placement *p, struct rterr *e)
{
	memset(p, 0, sizeof(*p));
	p->ncpus = kernel_ncpus();
	if (cgroup_cpus(cgroup_list, &p->cgroup, p->ncpus, e) < 0 ||
	    detect_isolated(r, v2_root, &p->isolated, p->ncpus, e) < 0 ||
	    placement_compute(r, p, e) < 0) {
		placement_free(p);
		return -1;
	}
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
	char *list = NULL;

	if (r == 0)
		return 0;
	cpulist_format(m, &list);
	rterr_set(e, -r, "set %s CPU affinity %s", what, list ? list : "?");
	free(list);
	return -1;
}

int placement_pin_initial(const struct placement *p, struct rterr *e)
{
	return p->initial_kind == INITIAL_NONE || p->pin_child
		       ? 0
		       : apply(0, &p->initial, "initial", e);
}

int placement_pin_child(const struct placement *p, pid_t pid, struct rterr *e)
{
	return p->pin_child ? apply(pid, &p->initial, "initial", e) : 0;
}

int placement_apply_final(const struct placement *p, struct rterr *e)
{
	return p->final_kind == FINAL_UNCHANGED ? 0 : apply(0, &p->final, "final", e);
}

void placement_free(struct placement *p)
{
	cpumask_free(&p->cgroup);
	cpumask_free(&p->isolated);
	cpumask_free(&p->initial);
	cpumask_free(&p->final);
}

/* The calling thread's affinity as a malloc'd list. 0, or -errno. */
static int affinity_current(char **out)
{
	struct cpumask m;
	size_t n = kernel_ncpus();
	int r;

	if (cpumask_init(&m, n) < 0)
		return -ENOMEM;
	r = sched_getaffinity(0, (n + LONG_BITS - 1) / LONG_BITS * sizeof(unsigned long),
			      (cpu_set_t *)(void *)m.bits) < 0
		    ? -errno
		    : cpulist_format(&m, out);
	cpumask_free(&m);
	return r;
}

void affinity_log(const char *when)
{
	char *list = NULL;

	if (log_level < LOG_DEBUG)
		return;
	affinity_current(&list);
	debug("CPU affinity %s: %s", when, list ? list : "?");
	free(list);
}
