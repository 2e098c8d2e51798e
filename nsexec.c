#include "nsexec.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fmt.h"
#include "fsutil.h"
#include "syscalls.h"

#define FOR_CHILDREN ((1 << NS_PID) | (1 << NS_TIME))
#define BEFORE_FORK ((1 << NS_MNT) | (1 << NS_NET) | (1 << NS_IPC) | (1 << NS_UTS))

/* clang-format off */
const struct ns_kind ns_kinds[NS_COUNT] = {
	[NS_USER] = { "user", "user", "", CLONE_NEWUSER },
	[NS_MNT] = { "mnt", "mount", "mnt", CLONE_NEWNS },
	[NS_PID] = { "pid", "pid", "", CLONE_NEWPID },
	[NS_NET] = { "net", "network", "net", CLONE_NEWNET },
	[NS_IPC] = { "ipc", "ipc", "", CLONE_NEWIPC },
	[NS_UTS] = { "uts", "uts", "", CLONE_NEWUTS },
	[NS_CGROUP] = { "cgroup", "cgroup", "", CLONE_NEWCGROUP },
	[NS_TIME] = { "time", "time", "", CLONE_NEWTIME },
};
/* clang-format on */

int ns_type_from_name(const char *name)
{
	for (int i = 0; i < NS_COUNT; i++) {
		const struct ns_kind *k = &ns_kinds[i];
		if (strcmp(name, k->oci) == 0 || (k->alias[0] && strcmp(name, k->alias) == 0))
			return i;
	}
	return -1;
}

/* A namespace's inode number from its /proc link ("mnt:[4026531841]"): readlink formats the
 * number the kernel holds, where a stat would first build the nsfs inode (a third of the
 * cost here). The nsfs inode of an open namespace file has the same number. 0: unreadable. */
static unsigned long ns_link_ino(int dirfd, const char *name)
{
	char link[64];
	const char *end;
	const char *p;
	ssize_t n = readlinkat(dirfd, name, link, sizeof(link) - 1);
	unsigned long long ino;

	if (n <= 0)
		return 0;
	link[n] = '\0';
	if ((p = str_find(link, ":[")) && str_u64(p + 2, 10, &ino, &end) == 0 && ino != 0 &&
	    *end == ']' && end[1] == '\0')
		return (unsigned long)ino;
	errno = EINVAL;
	return 0;
}

/* Whether the namespace whose inode number is ino is rtexec's own (nothing to join); selfdir:
 * /proc/self/ns, opened once (a new process's /proc entries are built on first lookup). */
static bool same_ns(int selfdir, unsigned long ino, enum ns_type type)
{
	return ino != 0 && ns_link_ino(selfdir, ns_kinds[type].proc) == ino;
}

static bool kernel_has(int selfdir, enum ns_type type)
{
	return sys_faccessat(selfdir, ns_kinds[type].proc, F_OK) == 0;
}

#define NSFS_MAGIC 0x6e736673 /* linux/magic.h */

/* A caller-given namespace path: opened O_PATH first, so that a FIFO or a device planted
 * there is neither waited on nor opened for reading (a device's open can have effects);
 * checked to be a namespace file; then reopened through /proc/self/fd for setns. -errno,
 * -EMEDIUMTYPE when it is no namespace file. */
static int open_ns_path(const char *path)
{
	struct statfs sf;
	char again[32];
	int pfd = sys_open(path, O_PATH | O_CLOEXEC, 0), fd = -1, err = 0;

	if (pfd < 0)
		return -errno;
	if (fstatfs(pfd, &sf) < 0)
		err = -errno;
	else if (sf.f_type != NSFS_MAGIC)
		err = -EMEDIUMTYPE;
	fmt_snprintf(again, sizeof(again), "/proc/self/fd/%d", pfd);
	if (err == 0 && (fd = sys_open(again, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0)) < 0)
		err = -errno;
	close(pfd);
	return err ? err : fd;
}

static void add_join(struct ns_plan *p, enum ns_type type, int fd, const char *path,
		     bool from_target)
{
	struct ns_join *j = &p->j[p->n++];

	j->type = type;
	j->fd = fd;
	j->from_target = from_target;
	if (from_target)
		fmt_snprintf(j->proc, sizeof(j->proc), "%s", path);
	else
		j->given = path;
}

/* A namespace file of the config (fd, or the failure to open it, -errno): checked to be of
 * its type, left out when it is ours already. */
static int add_path(struct ns_plan *p, int selfdir, enum ns_type type, int fd, const char *path,
		    struct rterr *e)
{
	const char *oci = ns_kinds[type].oci;
	struct stat st;
	int kind;

	if (fd == -EMEDIUMTYPE)
		return rterr_set(e, 0, "open %s namespace %s: not a namespace file", oci, path);
	if (fd < 0)
		return rterr_set(e, -fd, "open %s namespace %s", oci, path);
	kind = ioctl(fd, NS_GET_NSTYPE);
	if (kind >= 0 && kind != ns_kinds[type].flag) {
		close(fd);
		return rterr_set(e, 0, "open %s namespace %s: not a %s namespace", oci, path, oci);
	}
	if (fstat(fd, &st) == 0 && same_ns(selfdir, (unsigned long)st.st_ino, type)) {
		debug("namespace %s: %s is rtexec's own, not joining", ns_kinds[type].proc, path);
		close(fd);
		return 0;
	}
	add_join(p, type, fd, path, false);
	return 0;
}

/* One of the target's namespaces: compared through its pinned /proc/PID directory (one
 * readlink; the file is opened only where setns cannot take the pidfd). One the kernel lacks
 * (no such file here either) is skipped by default, an error when asked for. */
static int add_entry(struct ns_plan *p, int selfdir, const struct ns_entry *r,
		     const struct target *t, bool asked, struct rterr *e)
{
	char path[40], name[16];
	unsigned long ino;

	if (r->path)
		return add_path(p, selfdir, r->type, open_ns_path(r->path), r->path, e);
	fmt_snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)t->pid, ns_kinds[r->type].proc);
	fmt_snprintf(name, sizeof(name), "ns/%s", ns_kinds[r->type].proc);
	if ((ino = ns_link_ino(t->procfd, name)) == 0) {
		if (errno == ENOENT && !kernel_has(selfdir, r->type))
			return asked ? rterr_set(e, 0,
						 "namespaces: this kernel has no %s namespace",
						 ns_kinds[r->type].oci)
				     : 0;
		return rterr_set(e, errno, "open %s namespace %s", ns_kinds[r->type].oci, path);
	}
	if (same_ns(selfdir, ino, r->type)) {
		debug("namespace %s: %s is rtexec's own, not joining", ns_kinds[r->type].proc,
		      path);
		return 0;
	}
	add_join(p, r->type, -1, path, true);
	return 0;
}

int ns_plan_open(const struct ns_request *req, const struct target *t, struct ns_plan *p,
		 struct rterr *e)
{
	int selfdir = sys_open("/proc/self/ns", O_PATH | O_DIRECTORY | O_CLOEXEC, 0), err = 0;
	bool target_mnt = false; /* the target's mount namespace is asked for (or defaulted) */

	memset(p, 0, sizeof(*p));
	p->pidfd = t->pidfd;
	p->procfd = t->procfd;
	p->rootfd = p->own_mnt = p->own_root = p->own_cwd = -1;
	if (selfdir < 0)
		return rterr_set(e, errno, "open /proc/self/ns");
	for (int i = 0; i < NS_COUNT && err == 0; i++) {
		struct ns_entry def = { (enum ns_type)i, NULL };
		const struct ns_entry *r = req->given ? &req->entries[i] : &def;

		if (req->given && (size_t)i >= req->n)
			break;
		err = add_entry(p, selfdir, r, t, req->given, e);
		target_mnt = target_mnt || (r->type == NS_MNT && !r->path);
	}
	/* The parent joins it before the fork (ns_join_before_fork) and comes back through this. */
	if (err == 0 && ns_plan_has(p, NS_MNT) &&
	    (p->own_mnt = sys_openat(selfdir, "mnt", O_RDONLY | O_CLOEXEC, 0)) < 0)
		err = rterr_set(e, errno, "open /proc/self/ns/mnt");
	close(selfdir);
	/* The target's mount namespace is the command's (joined, or rtexec's own): so is its
	 * root. Not where a path names the mount namespace, or none is asked for. */
	if (err == 0 && target_mnt &&
	    (p->rootfd = sys_openat(t->procfd, "root", O_PATH | O_DIRECTORY | O_CLOEXEC, 0)) < 0)
		err = rterr_set(e, errno, "open the target's root /proc/%d/root", (int)t->pid);
	if (err < 0)
		ns_plan_close(p);
	return err;
}

bool ns_plan_has(const struct ns_plan *p, enum ns_type type)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->j[i].type == type)
			return true;
	return false;
}

/* The target's namespace file of j, unless open already. */
static int open_ns_file(const struct ns_plan *p, struct ns_join *j, struct rterr *e)
{
	char name[16];

	if (j->fd >= 0)
		return 0;
	fmt_snprintf(name, sizeof(name), "ns/%s", ns_kinds[j->type].proc);
	if ((j->fd = sys_openat(p->procfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY, 0)) < 0)
		return rterr_set(e, errno, "open %s namespace %s", ns_kinds[j->type].oci,
				 ns_join_path(j));
	return 0;
}

static int join_fd(const struct ns_plan *p, struct ns_join *j, struct rterr *e)
{
	if (open_ns_file(p, j, e) < 0)
		return -1;
	if (setns(j->fd, ns_kinds[j->type].flag) < 0)
		return rterr_set(e, errno, "join %s namespace %s", ns_kinds[j->type].oci,
				 ns_join_path(j));
	return 0;
}

/* setns(pidfd, flags) joins several namespaces at once, atomically, in the order the kernel
 * needs (user first). Where the kernel cannot (before Linux 5.8), nothing is marked done and
 * the caller goes per file. */
static int join_pidfd(struct ns_plan *p, unsigned mask, bool *done, struct rterr *e)
{
	int flags = 0;

	for (size_t i = 0; i < p->n; i++)
		if ((mask & (1u << p->j[i].type)) && p->j[i].from_target)
			flags |= ns_kinds[p->j[i].type].flag;
	if (flags == 0 || p->pidfd < 0)
		return 0;
	if (setns(p->pidfd, flags) < 0) {
		if (errno == EINVAL || errno == ENOSYS || errno == EBADF) {
			p->pidfd = -1; /* before Linux 5.8 setns takes no pidfd: per file */
			return 0;
		}
		p->pidfd_works = errno == EPERM; /* understood, refused (rootless): the child's */
		return rterr_set(e, errno, "join namespaces of target through its pidfd");
	}
	p->pidfd_works = true;
	for (size_t i = 0; i < p->n; i++)
		if ((mask & (1u << p->j[i].type)) && p->j[i].from_target)
			done[i] = true;
	return 0;
}

/* Per file, as nsenter does: the others first (host root may enter them), then the user
 * namespace, then what needed the capabilities that the user namespace grants. One of the
 * types in lenient that EPERM refuses is left for later (the child, after the user
 * namespace). */
static int join_files(struct ns_plan *p, unsigned mask, unsigned lenient, bool *done,
		      struct rterr *e)
{
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < p->n; i++) {
			struct ns_join *j = &p->j[i];
			bool user = j->type == NS_USER;

			if (done[i] || !(mask & (1u << j->type)) || (pass == 1) != user)
				continue;
			if (join_fd(p, j, e) == 0)
				done[i] = true;
			else if (!((pass == 0 || (lenient & (1u << j->type))) && e->err == EPERM))
				return -1;
		}
	}
	return 0;
}

/* The plan's namespaces of the types in mask that are not joined yet (in one setns of the
 * pidfd where it can); those joined are added to p->parent_joined (the child's copy of it
 * is thrown away). */
static int join_mask(struct ns_plan *p, unsigned mask, unsigned lenient, struct rterr *e)
{
	bool done[NS_COUNT] = { false };
	int r = 0;

	mask &= ~p->parent_joined;
	if (join_pidfd(p, mask, done, e) < 0 && !(lenient && e->err == EPERM))
		r = -1;
	if (r == 0 && join_files(p, mask, lenient, done, e) < 0)
		r = -1;
	/* Also after a failure half-way (per file): the way back must know the mount
	 * namespace was entered. */
	for (size_t i = 0; i < p->n; i++)
		if (done[i])
			p->parent_joined |= 1u << p->j[i].type;
	return r;
}

void ns_child_drop_own(struct ns_plan *p)
{
	const int fds[] = { p->own_mnt, p->own_root, p->own_cwd, p->procfd };

	for (size_t i = 0; i < ARRAY_LEN(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	p->procfd = -1;
}

static void close_own(struct ns_plan *p)
{
	int *fds[] = { &p->own_mnt, &p->own_root, &p->own_cwd };

	for (size_t i = 0; i < ARRAY_LEN(fds); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int ns_join_before_fork(struct ns_plan *p, struct rterr *e)
{
	if (p->own_mnt >= 0 &&
	    ((p->own_root = sys_open("/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0)) < 0 ||
	     (p->own_cwd = sys_open(".", O_PATH | O_DIRECTORY | O_CLOEXEC, 0)) < 0))
		return rterr_set(e, errno, "open rtexec's own root and cwd");
	if (join_mask(p, FOR_CHILDREN | BEFORE_FORK, BEFORE_FORK, e) < 0)
		return -1;
	/* pid and time at once or per file, where setns(pidfd) refused the whole set. */
	if (join_mask(p, FOR_CHILDREN, 0, e) < 0)
		return -1;
	/* The child lets go of the target's /proc/PID at its first step (from it, ../PID/root
	 * is a host process's root): what it will join per file is opened here. */
	for (size_t i = 0; i < p->n && !p->pidfd_works; i++)
		if (!(p->parent_joined & (1u << p->j[i].type)) && open_ns_file(p, &p->j[i], e) < 0)
			return -1;
	return 0;
}

int ns_return_after_fork(struct ns_plan *p, struct rterr *e)
{
	int r = 0;

	if ((p->parent_joined & (1u << NS_MNT)) &&
	    (setns(p->own_mnt, CLONE_NEWNS) < 0 || fchdir(p->own_root) < 0 || chroot(".") < 0 ||
	     fchdir(p->own_cwd) < 0))
		r = rterr_set(e, errno, "back into rtexec's own mount namespace");
	close_own(p);
	return r;
}

int ns_join_rest(struct ns_plan *p, struct rterr *e)
{
	return join_mask(p, ~(unsigned)FOR_CHILDREN, 0, e);
}

int ns_enter_root(const struct ns_plan *p, struct rterr *e)
{
	struct stat want, now;

	if (p->rootfd < 0)
		return 0;
	if (fstat(p->rootfd, &want) < 0 || stat("/", &now) < 0)
		return rterr_set(e, errno, "stat the target's root");
	if (want.st_dev == now.st_dev && want.st_ino == now.st_ino)
		return 0;
	if (fchdir(p->rootfd) < 0 || chroot(".") < 0)
		return rterr_set(e, errno, "enter the target's root (chroot)");
	return 0;
}

void ns_plan_close(struct ns_plan *p)
{
	close_own(p);
	for (size_t i = 0; i < p->n; i++)
		if (p->j[i].fd >= 0)
			close(p->j[i].fd);
	p->n = 0;
	if (p->rootfd >= 0)
		close(p->rootfd);
	p->rootfd = -1;
}
