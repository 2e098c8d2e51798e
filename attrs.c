#include "attrs.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fmt.h"
#include "fsutil.h"
#include "inherit.h"
#include "syscalls.h"

/* Names in tables of characters, not of pointers: in a PIE each pointer is a relocation the
 * binary applies at start (32 bytes of file, not 8). */
/* clang-format off */
static const char rlimit_names[RLIMITS_MAX][sizeof("RLIMIT_SIGPENDING")] = {
	[RLIMIT_CPU] = "RLIMIT_CPU",	       [RLIMIT_FSIZE] = "RLIMIT_FSIZE",
	[RLIMIT_DATA] = "RLIMIT_DATA",	       [RLIMIT_STACK] = "RLIMIT_STACK",
	[RLIMIT_CORE] = "RLIMIT_CORE",	       [RLIMIT_RSS] = "RLIMIT_RSS",
	[RLIMIT_NPROC] = "RLIMIT_NPROC",       [RLIMIT_NOFILE] = "RLIMIT_NOFILE",
	[RLIMIT_MEMLOCK] = "RLIMIT_MEMLOCK",   [RLIMIT_AS] = "RLIMIT_AS",
	[RLIMIT_LOCKS] = "RLIMIT_LOCKS",       [RLIMIT_SIGPENDING] = "RLIMIT_SIGPENDING",
	[RLIMIT_MSGQUEUE] = "RLIMIT_MSGQUEUE", [RLIMIT_NICE] = "RLIMIT_NICE",
	[RLIMIT_RTPRIO] = "RLIMIT_RTPRIO",     [RLIMIT_RTTIME] = "RLIMIT_RTTIME",
};
/* clang-format on */

/* capability(7), by number (packed: see name_at). */
/* clang-format off */
static const char cap_names[] =
	"CAP_CHOWN\0" "CAP_DAC_OVERRIDE\0" "CAP_DAC_READ_SEARCH\0" "CAP_FOWNER\0"
	"CAP_FSETID\0" "CAP_KILL\0" "CAP_SETGID\0" "CAP_SETUID\0" "CAP_SETPCAP\0"
	"CAP_LINUX_IMMUTABLE\0" "CAP_NET_BIND_SERVICE\0" "CAP_NET_BROADCAST\0"
	"CAP_NET_ADMIN\0" "CAP_NET_RAW\0" "CAP_IPC_LOCK\0" "CAP_IPC_OWNER\0" "CAP_SYS_MODULE\0"
	"CAP_SYS_RAWIO\0" "CAP_SYS_CHROOT\0" "CAP_SYS_PTRACE\0" "CAP_SYS_PACCT\0"
	"CAP_SYS_ADMIN\0" "CAP_SYS_BOOT\0" "CAP_SYS_NICE\0" "CAP_SYS_RESOURCE\0"
	"CAP_SYS_TIME\0" "CAP_SYS_TTY_CONFIG\0" "CAP_MKNOD\0" "CAP_LEASE\0" "CAP_AUDIT_WRITE\0"
	"CAP_AUDIT_CONTROL\0" "CAP_SETFCAP\0" "CAP_MAC_OVERRIDE\0" "CAP_MAC_ADMIN\0"
	"CAP_SYSLOG\0" "CAP_WAKE_ALARM\0" "CAP_BLOCK_SUSPEND\0" "CAP_AUDIT_READ\0"
	"CAP_PERFMON\0" "CAP_BPF\0" "CAP_CHECKPOINT_RESTORE\0";
/* clang-format on */

/* clang-format off */
static const char *const set_names[CAP_SETS] = { "bounding", "effective", "inheritable",
	"permitted", "ambient" };
/* clang-format on */

int rlimit_from_name(const char *name)
{
	for (int i = 0; i < RLIMITS_MAX; i++)
		if (rlimit_names[i][0] && strcmp(name, rlimit_names[i]) == 0)
			return i;
	return -1;
}

int cap_from_name(const char *name)
{
	return name_index(cap_names, name);
}

const char *cap_name(int cap)
{
	return name_at(cap_names, cap);
}

const char *const *cap_set_names(void)
{
	return set_names;
}

int ioprio_class_from_name(const char *name)
{
	/* clang-format off */
	static const char *const classes[] = { "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
		"IOPRIO_CLASS_IDLE" };
	/* clang-format on */

	for (size_t i = 0; i < ARRAY_LEN(classes); i++)
		if (strcmp(name, classes[i]) == 0)
			return (int)i + 1;
	return -1;
}

static bool apparmor_enabled(void)
{
	char buf[8];

	return read_file(AT_FDCWD, "/sys/module/apparmor/parameters/enabled", buf, sizeof(buf)) ==
		       0 &&
	       buf[0] == 'Y';
}

static bool selinux_enabled(void)
{
	return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

bool lsm_enabled(const char *lsm)
{
	return strcmp(lsm, "apparmor") == 0 ? apparmor_enabled() : selinux_enabled();
}

/* Capabilities this kernel does not know: the OCI spec asks for a warning, not a failure.
 * The kernel's capabilities are 0..cap_last_cap: one probe of the highest one wanted
 * answers for all below it. */
static void drop_unknown_caps(struct attrs *a)
{
	uint64_t wanted = 0;
	int last = -1;

	for (int s = 0; s < CAP_SETS; s++)
		wanted |= a->caps[s];
	for (int cap = 63; cap >= 0 && last < 0; cap--)
		if (wanted >> cap & 1)
			last = cap;
	while (last >= 0 && prctl(PR_CAPBSET_READ, last, 0, 0, 0) < 0) {
		uint64_t bit = 1ULL << last;

		if (wanted & bit)
			warn("process.capabilities: %s is not known to this kernel, ignored",
			     cap_name(last) ? cap_name(last) : "a capability");
		for (int s = 0; s < CAP_SETS; s++)
			a->caps[s] &= ~bit;
		last--;
	}
}

static int check_host(struct attrs *a, struct rterr *e)
{
	if (a->caps_set)
		drop_unknown_caps(a);
	if (a->apparmor_profile && !apparmor_enabled())
		return rterr_set(e, 0,
				 "process.apparmorProfile: AppArmor is not enabled on this host");
	if (a->selinux_label && !selinux_enabled())
		return rterr_set(e, 0, "process.selinuxLabel: SELinux is not enabled on this host");
	return 0;
}

/* A file of the child's own in the host's /proc (procfs: its dirfd, opened before the child
 * was born in the container's mount namespace, whose /proc the container controls), opened
 * for writing. */
static int open_proc(int procfs, const char *name, int *fd, struct rterr *e)
{
	if ((*fd = sys_openat(procfs, name, O_WRONLY | O_CLOEXEC, 0)) < 0)
		return rterr_set(e, errno, "open /proc/%s", name);
	return 0;
}

int attrs_open_proc(const struct attrs *a, int procfs, struct attrs_proc *f, struct rterr *e)
{
	f->oom = f->lsm = -1;
	f->lsm_name = a->apparmor_profile &&
				      sys_faccessat(procfs, "self/attr/apparmor/exec", F_OK) == 0
			      ? "self/attr/apparmor/exec"
			      : "self/attr/exec";
	if (a->has_oom_score_adj && open_proc(procfs, "self/oom_score_adj", &f->oom, e) < 0)
		return -1;
	if ((a->apparmor_profile || a->selinux_label) &&
	    open_proc(procfs, f->lsm_name, &f->lsm, e) < 0)
		return -1;
	return 0;
}

/* Writes text to the file opened by attrs_open_proc, and closes it. */
static int write_proc(int *fd, const char *name, const char *text, struct rterr *e,
		      const char *what)
{
	ssize_t n = (ssize_t)strlen(text);
	int r = write(*fd, text, (size_t)n) == n
			? 0
			: rterr_set(e, errno, "%s: write /proc/%s", what, name);

	close(*fd);
	*fd = -1;
	return r;
}

static struct rlimit rlimit_of(const struct rlimit_config *r)
{
	return (struct rlimit){ r->soft == ~0ULL ? RLIM_INFINITY : r->soft,
				r->hard == ~0ULL ? RLIM_INFINITY : r->hard };
}

static int set_rlimit(const struct rlimit_config *r, struct rterr *e)
{
	struct rlimit rl = rlimit_of(r);
	char soft[24] = "unlimited", hard[24] = "unlimited";

	if (sys_setrlimit(r->resource, &rl) == 0)
		return 0;
	if (r->soft != ~0ULL)
		fmt_snprintf(soft, sizeof(soft), "%llu", r->soft);
	if (r->hard != ~0ULL)
		fmt_snprintf(hard, sizeof(hard), "%llu", r->hard);
	return rterr_set(e, errno, "set %s soft %s hard %s", r->name, soft, hard);
}

/* RLIMIT_NOFILE waits for attrs_apply_last(): the child still opens files (HOME from
 * /etc/passwd) and polls (poll() refuses more fds than the soft limit), so a limit of 0 or
 * 3 must not apply before its exec. Only a hard limit above ours is raised now, while the
 * host's CAP_SYS_RESOURCE is still ours (a joined user namespace takes it away). */
static int apply_rlimits(const struct attrs *a, struct rterr *e)
{
	struct rlimit cur;

	for (unsigned i = 0; i < a->nrlimits; i++) {
		const struct rlimit_config *r = &a->rlimits[i];

		if (r->unchanged)
			continue;
		if (r->resource != RLIMIT_NOFILE) {
			if (set_rlimit(r, e) < 0)
				return -1;
			continue;
		}
		if (getrlimit(RLIMIT_NOFILE, &cur) < 0)
			return rterr_set(e, errno, "get RLIMIT_NOFILE");
		if (r->hard != ~0ULL && cur.rlim_max != RLIM_INFINITY && r->hard <= cur.rlim_max)
			continue;
		cur.rlim_max = r->hard == ~0ULL ? RLIM_INFINITY : r->hard;
		if (sys_setrlimit(RLIMIT_NOFILE, &cur) < 0)
			return set_rlimit(r, e); /* the same error, with the config's values */
	}
	return 0;
}

static int apply_lsm(const struct attrs *a, struct attrs_proc *f, struct rterr *e)
{
	char buf[4200];

	if (a->apparmor_profile) {
		if (strlen(a->apparmor_profile) + 6 >= sizeof(buf))
			return rterr_set(e, ENAMETOOLONG, "AppArmor profile");
		fmt_snprintf(buf, sizeof(buf), "exec %s", a->apparmor_profile);
		if (write_proc(&f->lsm, f->lsm_name, buf, e, "AppArmor profile") < 0)
			return -1;
	}
	if (a->selinux_label &&
	    write_proc(&f->lsm, f->lsm_name, a->selinux_label, e, "SELinux label") < 0)
		return -1;
	return 0;
}

int attrs_apply_privileged(const struct attrs *a, struct attrs_proc *f, struct rterr *e)
{
	char buf[16];

	if (apply_rlimits(a, e) < 0)
		return -1;
	if (a->has_oom_score_adj) {
		fmt_snprintf(buf, sizeof(buf), "%d", a->oom_score_adj);
		if (write_proc(&f->oom, "self/oom_score_adj", buf, e, "oom_score_adj") < 0)
			return -1;
	}
	if (a->has_ioprio && sys_ioprio_set_process(0, a->ioprio_class, a->ioprio_level) < 0 &&
	    !(a->ioprio_from_target && errno == EPERM)) /* then the caller's lesser one stays */
		return rterr_set(e, errno, "set I/O priority class %d level %d", a->ioprio_class,
				 a->ioprio_level);
	/* Before any seccomp filter of the container's (Docker's allows few personalities). */
	if (a->has_personality && personality(a->personality) < 0)
		return rterr_set(e, errno, "set personality %#lx", a->personality);
	if (a->has_thp && prctl(PR_SET_THP_DISABLE, a->thp_disabled, 0, 0, 0) < 0)
		return rterr_set(e, errno, "set the THP switch");
	if (a->has_timerslack && prctl(PR_SET_TIMERSLACK, a->timerslack, 0, 0, 0) < 0)
		return rterr_set(e, errno, "set timer slack %lu ns", a->timerslack);
	/* Nodes the container's cpuset does not allow (EINVAL): the default, never the
	 * caller's. */
	if (a->has_mempolicy &&
	    syscall(SYS_set_mempolicy, a->mempolicy.mode, a->mempolicy.nodes, MEMPOLICY_NODES + 1) <
		    0 &&
	    syscall(SYS_set_mempolicy, RT_MPOL_DEFAULT, NULL, 0) < 0)
		return rterr_set(e, errno, "set the NUMA memory policy");
	return apply_lsm(a, f, e);
}

/* Without "capabilities": the target's sets, all five for uid 0, the bounding set alone
 * for another uid. */
static void default_caps(struct attrs *a, const struct target_confinement *tc, uid_t uid)
{
	if (a->caps_set)
		return;
	memcpy(a->caps, tc->caps, sizeof(a->caps));
	a->caps_set = a->caps_from_target = true;
	a->bounding_only = uid != 0;
	if (a->bounding_only)
		for (int i = 0; i < CAP_SETS; i++)
			if (i != CAPS_BOUNDING)
				a->caps[i] = 0;
}

void attrs_slack_around_fork(const struct attrs *a, const struct target_confinement *self,
			     bool before)
{
	unsigned long own = self->has_timerslack ? self->timerslack : 0;

	if (a->has_timerslack)
		prctl(PR_SET_TIMERSLACK, before ? a->timerslack : own, 0, 0, 0);
}

/* The target's memory policy, or the default where it is not known: where rtexec's own
 * differs or is not known. Not where no policy matters (one node for both, rtexec's own
 * the default) or the kernel has no NUMA. */
static void default_mempolicy(struct attrs *a, const struct target_confinement *tc,
			      const struct target_confinement *self)
{
	static const struct rt_mempolicy none;
	const struct rt_mempolicy *m = tc->has_mempolicy ? &tc->mempolicy : &none;

	if (!self->numa && !tc->numa)
		return;
	if (self->has_mempolicy && memcmp(m, &self->mempolicy, sizeof(*m)) == 0)
		return;
	a->has_mempolicy = true;
	a->mempolicy = *m;
}

/* Without "ioPriority": the target's (the kernel's encoding: class << 13 | level), where
 * rtexec's own (the caller's) differs; where the target's cannot be read, the kernel's
 * default (class none). The personality likewise (the caller's ADDR_NO_RANDOMIZE turned
 * the command's ASLR off), and the THP switch, timer slack and memory policy, none of them
 * in OCI (a caller's would tune the container's command). */
static void default_task_attrs(struct attrs *a, const struct target_confinement *tc,
			       const struct target_confinement *self)
{
	int io = tc->has_ioprio ? tc->ioprio : 0;
	unsigned long pers = tc->has_personality ? tc->personality : 0;
	unsigned long slack = tc->has_timerslack ? tc->timerslack : TIMERSLACK_DEFAULT;
	bool thp_off = tc->has_thp && tc->thp_disabled;

	if (!a->has_ioprio && !(self->has_ioprio && self->ioprio == io)) {
		a->has_ioprio = a->ioprio_from_target = true;
		a->ioprio_class = io >> 13 & 7;
		a->ioprio_level = io & 0x1fff;
	}
	if (!(self->has_personality && self->personality == pers)) {
		a->has_personality = true;
		a->personality = pers;
	}
	if (!(self->has_thp && self->thp_disabled == thp_off)) {
		a->has_thp = true;
		a->thp_disabled = thp_off;
	}
	if (!(self->has_timerslack && self->timerslack == slack)) {
		a->has_timerslack = true;
		a->timerslack = slack;
	}
	default_mempolicy(a, tc, self);
}

/* Every rlimit type the config does not name: the target's. */
static void default_rlimits(struct attrs *a, const struct target_confinement *tc)
{
	for (int res = 0; res < RLIMITS_MAX; res++) {
		bool named = false;

		for (unsigned i = 0; i < a->nrlimits; i++)
			named = named || a->rlimits[i].resource == res;
		if (named || a->nrlimits == RLIMITS_MAX)
			continue;
		a->rlimits[a->nrlimits++] = (struct rlimit_config){
			res, rlimit_names[res], tc->rlim_soft[res], tc->rlim_hard[res], true, false
		};
	}
}

/* Without a label of the config: the target's, for each LSM active here (NULL otherwise). */
static void default_lsm(struct attrs *a, const struct target_confinement *tc)
{
	if (a->apparmor_profile || a->selinux_label || (!tc->apparmor && !tc->selinux))
		return;
	a->apparmor_profile = tc->apparmor;
	a->selinux_label = tc->selinux;
	a->lsm_from_target = true;
}

/* A limit rtexec runs with already (inherited by the child through fork) costs no syscall. */
static void mark_unchanged(struct attrs *a, const struct target_confinement *self)
{
	for (unsigned i = 0; i < a->nrlimits; i++) {
		struct rlimit_config *r = &a->rlimits[i];

		r->unchanged = r->soft == self->rlim_soft[r->resource] &&
			       r->hard == self->rlim_hard[r->resource];
	}
}

int attrs_resolve(struct attrs *a, const struct target_confinement *tc,
		  const struct target_confinement *self, uid_t uid, struct rterr *e)
{
	default_caps(a, tc, uid);
	if (!a->has_no_new_privs) {
		a->no_new_privs = tc->no_new_privs;
		a->nnp_from_target = true;
	}
	if (!a->has_oom_score_adj) {
		a->oom_score_adj = tc->oom_score_adj;
		a->has_oom_score_adj = a->oom_from_target = true;
	}
	default_rlimits(a, tc);
	mark_unchanged(a, self);
	default_lsm(a, tc);
	default_task_attrs(a, tc, self);
	return check_host(a, e);
}

/* Before the uid switch: the bounding set needs CAP_SETPCAP, and keep-caps lets the
 * permitted set survive a switch away from uid 0. */
/* The inheritable set before the bounding set is cut: capset refuses to add a capability the
 * bounding set no longer has, and a target may hold such one (raised, then dropped from its
 * bounding set): copied, its sets are the target's all the same. The other sets stay as they
 * are until attrs_caps_after_uid. A config asking for it fails, as in runc (which cuts the
 * bounding set first). */
static int inheritable_first(const struct attrs *a, struct rterr *e)
{
	struct rt_cap_header h = { RT_CAP_VERSION_3, 0 };
	struct rt_cap_data d[2];

	if (sys_capget(&h, d) < 0)
		return rterr_set(e, errno, "capget");
	for (int i = 0; i < 2; i++)
		d[i].inheritable = (uint32_t)(a->caps[CAPS_INHERITABLE] >> (32 * i));
	if (sys_capset(&h, d) < 0)
		return rterr_set(e, errno, "capset (the inheritable set)");
	return 0;
}

/* A caller's SECBIT_KEEP_CAPS_LOCKED refuses the call: fine where the bit is as wanted. */
static int set_keepcaps(int on, struct rterr *e)
{
	int err;

	if (prctl(PR_SET_KEEPCAPS, on, 0, 0, 0) == 0)
		return 0;
	err = errno;
	return prctl(PR_GET_KEEPCAPS, 0, 0, 0, 0) == on
		       ? 0
		       : rterr_set(e, err, "prctl PR_SET_KEEPCAPS");
}

int attrs_caps_before_uid(const struct attrs *a, struct rterr *e)
{
	int bits;

	if (!a->caps_set)
		return 0;
	/* The caller's securebits never reach the command: SECBIT_NO_SETUID_FIXUP would keep
	 * its ambient set, and the permitted one, across the switch to a uid other than 0. Those
	 * it locked (each lock the bit above its value) cannot be cleared, and stay: the three
	 * capability sets and the ambient one are set explicitly after the switch anyway. */
	if ((bits = prctl(PR_GET_SECUREBITS, 0, 0, 0, 0)) > 0) {
		int locks = bits & 0x2aaaaaaa, keep = bits & (locks | locks >> 1);
		if (keep != bits && prctl(PR_SET_SECUREBITS, keep, 0, 0, 0) < 0)
			return rterr_set(e, errno, "reset the caller's securebits 0x%x", bits);
	}
	if (a->caps_from_target && !a->bounding_only &&
	    (a->caps[CAPS_INHERITABLE] & ~a->caps[CAPS_BOUNDING]) && inheritable_first(a, e) < 0)
		return -1;
	for (int cap = 0; cap < 64; cap++) {
		if (a->caps[CAPS_BOUNDING] >> cap & 1)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break; /* past the kernel's last capability */
			return rterr_set(e, errno, "drop %s from the bounding set",
					 cap_name(cap) ? cap_name(cap) : "capability");
		}
	}
	if (!a->bounding_only && set_keepcaps(1, e) < 0)
		return -1;
	return 0;
}

/* The plan's effective, permitted and inheritable sets as capset takes them. */
static void caps_data(const struct attrs *a, struct rt_cap_data d[2])
{
	for (int i = 0; i < 2; i++) {
		d[i].effective = (uint32_t)(a->caps[CAPS_EFFECTIVE] >> (32 * i));
		d[i].permitted = (uint32_t)(a->caps[CAPS_PERMITTED] >> (32 * i));
		d[i].inheritable = (uint32_t)(a->caps[CAPS_INHERITABLE] >> (32 * i));
	}
}

/* All three sets, even for a uid other than 0 with the bounding set alone: the switch clears
 * the permitted and effective sets, not the inheritable one, and the caller's would reach
 * the command (a file's inheritable capabilities are not bounded by the bounding set). */
int attrs_caps_after_uid(const struct attrs *a, struct rterr *e)
{
	struct rt_cap_header h = { RT_CAP_VERSION_3, 0 };
	struct rt_cap_data d[2];

	if (!a->caps_set)
		return 0;
	caps_data(a, d);
	if (sys_capset(&h, d) < 0)
		return rterr_set(e, errno, "capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return rterr_set(e, errno, "clear the ambient set");
	for (int cap = 0; cap < 64; cap++) {
		if (!(a->caps[CAPS_AMBIENT] >> cap & 1))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0 &&
		    !a->ambient_lenient)
			return rterr_set(e, errno,
					 "raise %s in the ambient set (it must be permitted "
					 "and inheritable)",
					 cap_name(cap) ? cap_name(cap) : "capability");
	}
	if (!a->bounding_only && set_keepcaps(0, e) < 0)
		return -1;
	return 0;
}

int attrs_caps_verify(const struct attrs *a, struct rterr *e)
{
	struct rt_cap_header h = { RT_CAP_VERSION_3, 0 };
	struct rt_cap_data got[2], want[2];

	if (!a->caps_set)
		return 0;
	memset(got, 0xa5, sizeof(got));
	if (sys_capget(&h, got) < 0)
		return rterr_set(e, errno, "capget");
	caps_data(a, want);
	for (int i = 0; i < 2; i++)
		if (got[i].effective != want[i].effective ||
		    got[i].permitted != want[i].permitted ||
		    got[i].inheritable != want[i].inheritable)
			return rterr_set(e, 0,
					 "capabilities: not set (the container's seccomp filter "
					 "answered for capset)");
	return 0;
}

/* Set after the container's filter where that came first (no NoNewPrivs): read back, as the
 * credentials are, since the filter may answer prlimit64 with a success that did nothing
 * (the command would keep the caller's limit, which the container may not raise itself). */
static int set_rlimit_checked(const struct rlimit_config *r, struct rterr *e)
{
	struct rlimit got, want = rlimit_of(r);

	if (set_rlimit(r, e) < 0)
		return -1;
	memset(&got, 0xa5, sizeof(got));
	if (syscall(SYS_prlimit64, 0, r->resource, NULL, &got) < 0 ||
	    got.rlim_cur != want.rlim_cur || got.rlim_max != want.rlim_max)
		return rterr_set(e, 0,
				 "set %s: not set (the container's seccomp filter answered for "
				 "prlimit64)",
				 r->name);
	return 0;
}

int attrs_apply_last(const struct attrs *a, struct rterr *e)
{
	for (unsigned i = 0; i < a->nrlimits; i++)
		if (a->rlimits[i].resource == RLIMIT_NOFILE && !a->rlimits[i].unchanged &&
		    set_rlimit_checked(&a->rlimits[i], e) < 0)
			return -1;
	if (a->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return rterr_set(e, errno, "prctl PR_SET_NO_NEW_PRIVS");
	return 0;
}
