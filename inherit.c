#include "inherit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fmt.h"
#include "fsutil.h"
#include "scheduler.h"

/* /proc/PID/status, and where its capability lines start: the keys read here follow
 * "CapInh:" in every kernel, so each is looked for from there first (60 lines less to step
 * over for each of the 8, about 40,000 instructions a join), then in the whole text. */
struct status_text {
	const char *all, *from;
};

/* The value after "\nKEY:" and blanks, or NULL. */
static const char *status_value(const struct status_text *t, const char *key)
{
	char pat[32];
	const char *p;

	fmt_snprintf(pat, sizeof(pat), "\n%s:", key);
	if ((p = str_find(t->from, pat)) == NULL &&
	    (t->from == t->all || (p = str_find(t->all, pat)) == NULL))
		return NULL;
	p += strlen(pat);
	return p + strspn(p, " \t");
}

static int status_number(const struct status_text *text, const char *key, int base, bool optional,
			 unsigned long long *v)
{
	const char *p = status_value(text, key);
	const char *end;

	if (p == NULL)
		return optional ? 0 : -EINVAL;
	/* digits right after the key's blanks: an empty value never reads the next line's */
	if (str_u64(p, base, v, &end) < 0)
		return -EINVAL;
	return *end != '\n' && *end != '\0' ? -EINVAL : 0;
}

/* NoNewPrivs, Seccomp and Seccomp_filters (0 where not printed). */
static int status_seccomp(const struct status_text *text, struct target_confinement *out)
{
	unsigned long long nnp = 0, mode = 0, filters = 0;

	if (status_number(text, "NoNewPrivs", 10, true, &nnp) < 0 ||
	    status_number(text, "Seccomp", 10, true, &mode) < 0 ||
	    status_number(text, "Seccomp_filters", 10, true, &filters) < 0 || nnp > 1 || mode > 2 ||
	    filters > 1000000)
		return -EINVAL;
	out->no_new_privs = nnp == 1;
	out->seccomp_mode = (int)mode;
	out->seccomp_filters = (unsigned)filters;
	return 0;
}

int status_parse(const char *all, struct target_confinement *out)
{
	const char *cap = str_find(all, "\nCapInh:");
	const struct status_text t = { all, cap ? cap : all }, *text = &t;
	static const char *const caps[CAP_SETS] = { "CapBnd", "CapEff", "CapInh", "CapPrm",
						    "CapAmb" };
	unsigned long long thp = ~0ULL;
	const char *mems = status_value(text, "Mems_allowed_list");

	for (int i = 0; i < CAP_SETS; i++) {
		unsigned long long v;
		if (status_number(text, caps[i], 16, false, &v) < 0)
			return -EINVAL;
		out->caps[i] = v;
	}
	if (status_seccomp(text, out) < 0)
		return -EINVAL;
	/* Printed since Linux 5.0: 0 where THP is off for it completely (PR_SET_THP_DISABLE
	 * without PR_THP_DISABLE_EXCEPT_ADVISED, which shows 1) or not built in; a value it
	 * does not know of: unknown. */
	if (status_number(text, "THP_enabled", 10, true, &thp) == 0 && thp <= 1) {
		out->has_thp = true;
		out->thp_disabled = thp == 0;
	}
	/* "0", "0-1", "0,2": whether its cpuset lets it use more than one node */
	if (mems) {
		const char *sep = strpbrk(mems, ",-");
		out->numa = sep && sep < mems + strcspn(mems, "\n");
	}
	return 0;
}

int status_seccomp_parse(const char *all, struct target_confinement *out)
{
	const char *cap = str_find(all, "\nCapInh:");
	const struct status_text t = { all, cap ? cap : all };

	return status_seccomp(&t, out);
}

int status_sigign(const char *all, uint64_t *out)
{
	const struct status_text t = { all, all };
	unsigned long long v;

	if (status_number(&t, "SigIgn", 16, false, &v) < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

/* One limit as the kernel prints it: "unlimited" or a decimal number. */
static int limit_value(const char **p, unsigned long long *v)
{
	const char *end;
	int r;

	*p += strspn(*p, " ");
	if (strncmp(*p, "unlimited", 9) == 0) {
		*v = ~0ULL;
		*p += 9;
		return 0;
	}
	r = str_u64(*p, 10, v, &end);
	*p = end;
	return r < 0 ? -EINVAL : 0;
}

int limits_parse(const char *text, struct target_confinement *out)
{
	/* "%-25s %-20s %-20s %-10s\n" per line, a header first, then the types in order
	 * (fs/proc/base.c); the name column is 25 characters plus a blank. */
	const char *line = strchr(text, '\n');

	for (int i = 0; i < RLIMITS_MAX; i++) {
		const char *p;

		if (line == NULL || strlen(line + 1) < 26 || strncmp(line + 1, "Max ", 4) != 0)
			return -EINVAL;
		p = line + 1 + 26;
		if (limit_value(&p, &out->rlim_soft[i]) < 0 ||
		    limit_value(&p, &out->rlim_hard[i]) < 0 || *p != ' ')
			return -EINVAL;
		line = strchr(p, '\n');
	}
	return 0;
}

int lsm_label_parse(const char *text, bool apparmor, char **out)
{
	size_t n = strcspn(text, "\n");

	/* AppArmor shows "profile (enforce)"; "exec profile" takes the name alone. */
	if (apparmor && n > 3 && text[n - 1] == ')') {
		for (size_t i = n - 1; i > 0; i--) {
			if (text[i] == '(' && text[i - 1] == ' ') {
				n = i - 1;
				break;
			}
		}
	}
	if (n == 0)
		return -EINVAL;
	return (*out = strndup(text, n)) ? 0 : -ENOMEM;
}

/* Its label in one LSM; NULL (and 0) where that LSM is not active. */
static int read_label(const struct target *t, const char *lsm, char **out, struct rterr *e)
{
	char file[48], *text;
	bool apparmor = strcmp(lsm, "apparmor") == 0;
	int r;

	*out = NULL;
	if (!lsm_enabled(lsm))
		return 0;
	fmt_snprintf(file, sizeof(file), "attr/%s/current", lsm);
	r = target_read(t, file, &text);
	if (r == -ENOENT || r == -ESRCH) /* before Linux 5.8: one attr/current for all */
		r = target_read(t, "attr/current", &text);
	if (r < 0)
		return rterr_set(e, -r, "target %d: read its %s label", (int)t->pid, lsm);
	r = lsm_label_parse(text, apparmor, out);
	free(text);
	return r < 0 && r != -EINVAL ? rterr_set(e, -r, "target %d: %s label", (int)t->pid, lsm)
				     : 0;
}

static int oom_parse(const char *text, struct target_confinement *out)
{
	const char *end;
	bool negative = *text == '-';
	unsigned long long v;

	if (str_u64(text + negative, 10, &v, &end) < 0 || (*end != '\n' && *end != '\0') ||
	    v > 1000)
		return -EINVAL;
	out->oom_score_adj = negative ? -(int)v : (int)v;
	return 0;
}

int personality_parse(const char *text, struct target_confinement *out)
{
	const char *end;
	unsigned long long v;

	if (str_u64(text, 16, &v, &end) < 0 || (*end != '\n' && *end != '\0') || v > 0xffffffffULL)
		return -EINVAL;
	out->personality = (unsigned long)v;
	out->has_personality = true;
	return 0;
}

#define MPOL_TEXT_MAX 64 /* show_numa_map's buffer */

/* The kernel's names of the modes (policy_modes[] of mm/mempolicy.c), longest first where
 * one starts another. */
static const struct {
	const char *name;
	int mode;
} mpol_modes[] = { { "default", RT_MPOL_DEFAULT },
		   { "prefer (many)", RT_MPOL_PREFERRED_MANY },
		   { "prefer", RT_MPOL_PREFERRED },
		   { "bind", RT_MPOL_BIND },
		   { "weighted interleave", RT_MPOL_WEIGHTED_INTERLEAVE },
		   { "interleave", RT_MPOL_INTERLEAVE },
		   { "local", RT_MPOL_LOCAL } };

static bool mpol_end(char c)
{
	return c == ' ' || c == '\n' || c == '\0';
}

/* "=static", "=relative", "=balancing", "=static|balancing": the flags set_mempolicy keeps
 * (relative: the nodes shown are already resolved). */
static int mpol_flags(const char **p, int *mode)
{
	while (**p == '=' || **p == '|') {
		const char *w = ++*p;
		size_t n = strcspn(w, "|: \n");

		if (n == 6 && strncmp(w, "static", 6) == 0)
			*mode |= RT_MPOL_F_STATIC_NODES;
		else if (n == 9 && strncmp(w, "balancing", 9) == 0)
			*mode |= RT_MPOL_F_NUMA_BALANCING;
		else if (!(n == 8 && strncmp(w, "relative", 8) == 0))
			return -EINVAL;
		*p = w + n;
	}
	return 0;
}

/* ":0-1,3": the node list, as the kernel prints it (%*pbl). */
static int mpol_nodes(const char **p, struct rt_mempolicy *out)
{
	const char *s = *p;

	while (!mpol_end(*s)) {
		const char *end;
		unsigned long long lo, hi;

		if (str_u64(s + 1, 10, &lo, &end) < 0)
			return -EINVAL;
		hi = lo;
		if (*end == '-' && str_u64(end + 1, 10, &hi, &end) < 0)
			return -EINVAL;
		if (hi < lo || hi >= MEMPOLICY_NODES || (*end != ',' && !mpol_end(*end)))
			return -EINVAL;
		for (unsigned long long n = lo; n <= hi; n++)
			out->nodes[n / 64] |= 1ULL << (n % 64);
		s = end;
	}
	*p = s;
	return 0;
}

int mempolicy_parse(const char *text, struct rt_mempolicy *out)
{
	const char *p = strchr(text, ' ');
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	/* show_numa_map formats the policy into 64 bytes: one of 63 may have been cut short */
	if (p == NULL || p == text || strcspn(p + 1, " \n") >= MPOL_TEXT_MAX - 1)
		return -EINVAL;
	p++;
	while (i < ARRAY_LEN(mpol_modes) &&
	       !(strncmp(p, mpol_modes[i].name, strlen(mpol_modes[i].name)) == 0 &&
		 strchr("=: \n", p[strlen(mpol_modes[i].name)])))
		i++;
	if (i == ARRAY_LEN(mpol_modes))
		return -EINVAL;
	out->mode = mpol_modes[i].mode;
	p += strlen(mpol_modes[i].name);
	if (mpol_flags(&p, &out->mode) < 0 || (*p == ':' && mpol_nodes(&p, out) < 0) ||
	    !mpol_end(*p))
		return -EINVAL;
	return 0;
}

/* sched_getattr leaves sched_nice 0 for a real-time or deadline task: its nice all the same
 * (what it keeps for SCHED_OTHER). */
static bool rt_nice(struct rt_sched_attr *s, pid_t pid)
{
	int n;

	if (!sched_realtime(s->sched_policy))
		return true;
	errno = 0;
	n = getpriority(PRIO_PROCESS, (id_t)pid);
	s->sched_nice = n;
	return !(n == -1 && errno);
}

/* The scheduling and I/O priority of pid (0: rtexec itself) into c; -errno of sched_getattr
 * where it failed (c->has_sched false). */
static int sched_of(pid_t pid, struct target_confinement *c)
{
	int r = 0;

	c->sched.size = sizeof(c->sched);
	if (syscall(SYS_sched_getattr, pid, &c->sched, sizeof(c->sched), 0) == 0)
		c->has_sched = rt_nice(&c->sched, pid);
	else
		r = -errno;
	c->ioprio = (int)syscall(SYS_ioprio_get, 1, pid);
	c->has_ioprio = c->ioprio >= 0;
	return r;
}

/* Its scheduling, I/O priority, personality, timer slack and (where it matters) memory
 * policy, by pid (the caller checks the target still runs after everything is read:
 * target_check). ENOSYS or a refusal (personality needs ptrace access, timer slack
 * CAP_SYS_NICE too): not known, the child then resets the caller's to the kernel's
 * default. */
static int read_sched(const struct target *t, bool numa, struct target_confinement *c,
		      struct rterr *e)
{
	char *text, head[160];
	const char *end;
	unsigned long long v;

	if (sched_of(t->pid, c) == -ESRCH)
		return rterr_set(e, ESRCH, "target %d: sched_getattr", (int)t->pid);
	if (target_read(t, "personality", &text) == 0) {
		personality_parse(text, c);
		free(text);
	}
	/* 0 for a real-time task: no slack to give (PR_SET_TIMERSLACK takes 0 as "reset") */
	if (read_file_head(t->procfd, "timerslack_ns", head, sizeof(head)) == 0 &&
	    str_u64(head, 10, &v, &end) == 0 && *end == '\n' && v > 0 && v <= ~0UL) {
		c->timerslack = (unsigned long)v;
		c->has_timerslack = true;
	}
	if ((numa || c->numa) && read_file_head(t->procfd, "numa_maps", head, sizeof(head)) == 0)
		c->has_mempolicy = mempolicy_parse(head, &c->mempolicy) == 0;
	return 0;
}

/* A THP_enabled of 0 is also what a kernel without THP prints for every process: the
 * target's switch is then unknown (and does not matter). */
static void thp_built_in(struct target_confinement *c)
{
	if (c->has_thp && c->thp_disabled && access("/sys/kernel/mm/transparent_hugepage", F_OK))
		c->has_thp = false;
}

/* One file of the target, read whole and parsed into c. */
static int read_parsed(const struct target *t, const char *name,
		       int (*parse)(const char *, struct target_confinement *),
		       struct target_confinement *c, struct rterr *e)
{
	char *text;
	int r = target_read(t, name, &text);

	if (r < 0)
		return rterr_set(e, -r, "target %d: read /proc/%d/%s", (int)t->pid, (int)t->pid,
				 name);
	r = parse(text, c);
	free(text);
	return r < 0 ? rterr_set(e, 0, "target %d: cannot parse /proc/%d/%s", (int)t->pid,
				 (int)t->pid, name)
		     : 0;
}

int confinement_read(const struct target *t, const struct target_confinement *self,
		     struct target_confinement *c, struct rterr *e)
{
	memset(c, 0, sizeof(*c));
	if (read_parsed(t, "status", status_parse, c, e) < 0 ||
	    read_parsed(t, "limits", limits_parse, c, e) < 0 ||
	    read_parsed(t, "oom_score_adj", oom_parse, c, e) < 0 ||
	    read_label(t, "apparmor", &c->apparmor, e) < 0 ||
	    read_label(t, "selinux", &c->selinux, e) < 0 || read_sched(t, self->numa, c, e) < 0) {
		confinement_free(c);
		return -1;
	}
	thp_built_in(c);
	return 0;
}

int confinement_read_seccomp(const struct target *t, struct target_confinement *c, struct rterr *e)
{
	return read_parsed(t, "status", status_seccomp_parse, c, e);
}

/* Our own limits by getrlimit: a syscall each is cheaper than formatting and parsing
 * /proc/self/limits. RLIM_INFINITY is ~0ULL, as limits_parse reads "unlimited". */
int confinement_self(struct target_confinement *c, struct rterr *e)
{
	long v;
	int mode, nodes = 0;

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < RLIMITS_MAX; i++) {
		struct rlimit r;

		if (getrlimit(i, &r) < 0)
			return rterr_set(e, errno, "getrlimit %d", i);
		c->rlim_soft[i] = r.rlim_cur;
		c->rlim_hard[i] = r.rlim_max;
	}
	sched_of(0, c);
	c->personality = (unsigned long)personality(0xffffffff);
	c->has_personality = true;
	/* 1: off completely; 3 (Linux 6.18): off except where madvise asks, which no file of
	 * another process shows apart from "on": unknown, so the target's is set */
	if ((v = syscall(SYS_prctl, PR_GET_THP_DISABLE, 0, 0, 0, 0)) == 0 || v == 1) {
		c->has_thp = true;
		c->thp_disabled = v == 1;
	}
	/* by the raw syscall: prctl() returns an int, and a slack may be above INT_MAX */
	if ((v = syscall(SYS_prctl, PR_GET_TIMERSLACK, 0, 0, 0, 0)) > 0) {
		c->timerslack = (unsigned long)v;
		c->has_timerslack = true;
	}
	/* Which nodes rtexec may use (its cpuset's), then its own policy. Where the kernel has
	 * no NUMA (ENOSYS) there is none to give; where it refuses to tell (a seccomp filter's
	 * EPERM), rtexec's own is unknown and the target's matters. */
	if (syscall(SYS_get_mempolicy, &mode, c->mempolicy.nodes, MEMPOLICY_NODES, NULL,
		    RT_MPOL_F_MEMS_ALLOWED) == 0) {
		for (size_t i = 0; i < ARRAY_LEN(c->mempolicy.nodes); i++)
			nodes += __builtin_popcountll(c->mempolicy.nodes[i]);
		memset(&c->mempolicy, 0, sizeof(c->mempolicy));
		c->has_mempolicy = syscall(SYS_get_mempolicy, &c->mempolicy.mode,
					   c->mempolicy.nodes, MEMPOLICY_NODES, NULL, 0) == 0;
	}
	c->numa = c->has_mempolicy ? nodes > 1 || c->mempolicy.mode != RT_MPOL_DEFAULT
				   : errno != ENOSYS;
	return 0;
}

void confinement_free(struct target_confinement *c)
{
	free(c->apparmor);
	free(c->selinux);
	c->apparmor = c->selinux = NULL;
}
