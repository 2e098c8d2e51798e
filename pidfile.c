#include "pidfile.h"
#include "syscalls.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "fsutil.h"

/* Temporaries of this pid file whose rtexec is gone (killed in the instant between naming
 * one and renaming it, or an rtexec without O_TMPFILE): removed by the next run. */
static void remove_stale(int dirfd, const char *name)
{
	char prefix[NAME_MAX + 16];
	int fd = sys_openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *ent;
	size_t n = (size_t)fmt_snprintf(prefix, sizeof(prefix), ".%s.rtexec-", name);

	if (d == NULL && fd >= 0)
		close(fd);
	while (d && (ent = readdir(d)) != NULL) {
		const char *end;
		unsigned long long pid;

		if (strncmp(ent->d_name, prefix, n) != 0 ||
		    str_u64(ent->d_name + n, 10, &pid, &end) < 0 || *end != '\0' || pid == 0 ||
		    pid > INT_MAX || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		unlinkat(dirfd, ent->d_name, 0);
	}
	if (d)
		closedir(d);
}

/* The directory is opened once, here: the file is created, named and renamed in that
 * directory, even where its path is a symlink that changes while the command starts.
 * Not inlined: its 4 KiB of buffer would sit in pidfile_prepare's frame, whose bottom a run
 * without a pid file touches all the same (a page of stack, a page fault). */
static __attribute__((noinline)) int prepare_file(struct pidfile *pf, const char *path,
						  struct rterr *e)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char dir[PATH_MAX];
	struct stat st;
	bool exists;

	if (*base == '\0') /* "dir/": "." and ".." are found directories below */
		return rterr_set(e, EISDIR, "pid file %s", path);
	if ((size_t)fmt_snprintf(pf->tmp, sizeof(pf->tmp), ".%s.rtexec-%d", base, (int)getpid()) >=
	    sizeof(pf->tmp))
		return rterr_set(e, ENAMETOOLONG, "pid file %s", path);
	pf->base = base;
	fmt_snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
		     slash ? path : ".");
	pf->dirfd = sys_open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (pf->dirfd < 0)
		return rterr_set(e, errno, "pid file %s", path);
	/* renameat() would only fail after the command ran: refuse what it cannot replace now. */
	exists = fstatat(pf->dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0;
	if (exists && S_ISDIR(st.st_mode))
		return rterr_set(e, EISDIR, "pid file %s", path);
	/* Without a name until it is complete: a SIGKILL leaves nothing behind. */
	pf->fd = sys_openat(pf->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
	if (pf->fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
		/* A temporary of this pid is a dead rtexec's (this pid is alive: it is this one). */
		unlinkat(pf->dirfd, pf->tmp, 0);
		pf->fd = sys_openat(pf->dirfd, pf->tmp,
				    O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
		pf->named = pf->fd >= 0;
	}
	if (pf->fd < 0)
		return rterr_set(e, errno, "pid file %s", path);
	if (exists || pf->named)
		remove_stale(pf->dirfd, base);
	return 0;
}

int pidfile_prepare(struct pidfile *pf, const char *path, struct rterr *e)
{
	pf->path = path;
	pf->fd = -1;
	pf->dirfd = -1;
	pf->named = false;
	return path ? prepare_file(pf, path, e) : 0;
}

/* The unnamed file gets its name: directly where none exists (no window at all), else
 * through the temporary name and a rename over the old file (atomic for readers). */
static int put_in_place(struct pidfile *pf)
{
	char self[32];

	if (!pf->named) {
		fmt_snprintf(self, sizeof(self), "/proc/self/fd/%d", pf->fd);
		if (linkat(AT_FDCWD, self, pf->dirfd, pf->base, AT_SYMLINK_FOLLOW) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
		/* A temporary of this pid is a dead rtexec's (this pid is alive: it is this one). */
		if (linkat(AT_FDCWD, self, pf->dirfd, pf->tmp, AT_SYMLINK_FOLLOW) < 0 &&
		    (errno != EEXIST || unlinkat(pf->dirfd, pf->tmp, 0) < 0 ||
		     linkat(AT_FDCWD, self, pf->dirfd, pf->tmp, AT_SYMLINK_FOLLOW) < 0))
			return -errno;
		pf->named = true;
	}
	if (renameat(pf->dirfd, pf->tmp, pf->dirfd, pf->base) < 0)
		return -errno;
	pf->named = false;
	return 0;
}

int pidfile_commit(struct pidfile *pf, pid_t pid, struct rterr *e)
{
	char buf[32];
	int n = fmt_snprintf(buf, sizeof(buf), "%d", (int)pid), r;

	if (pf->fd < 0)
		return 0;
	/* No newline: containerd's shim refuses one. */
	if (write(pf->fd, buf, (size_t)n) != n) {
		r = errno ? errno : EIO;
		pidfile_abort(pf);
		return rterr_set(e, r, "write pid file %s", pf->path);
	}
	r = put_in_place(pf);
	pidfile_abort(pf);
	return r < 0 ? rterr_set(e, -r, "write pid file %s", pf->path) : 0;
}

void pidfile_abort(struct pidfile *pf)
{
	if (pf->fd >= 0) {
		close(pf->fd);
		if (pf->named)
			unlinkat(pf->dirfd, pf->tmp, 0);
	}
	if (pf->dirfd >= 0)
		close(pf->dirfd);
	pf->fd = pf->dirfd = -1;
	pf->named = false;
}
