#include "pidfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pidfile_prepare(struct pidfile *pf, const char *path, struct rterr *e)
{
	const char *slash;
	struct stat st;
	int dirlen;

	pf->path = path;
	pf->fd = -1;
	if (path == NULL)
		return 0;
	slash = strrchr(path, '/');
	dirlen = slash ? (int)(slash - path) + 1 : 0;
	if ((size_t)snprintf(pf->tmp, sizeof(pf->tmp), "%.*s.%s.rtexec-%d", dirlen, path,
			     path + dirlen, (int)getpid()) >= sizeof(pf->tmp))
		return rterr_set(e, ENAMETOOLONG, "pid file %s", path);
	/* rename() would only fail after the command ran: refuse what it cannot replace now. */
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return rterr_set(e, EISDIR, "pid file %s", path);
	pf->fd = open(pf->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (pf->fd < 0)
		return rterr_set(e, errno, "pid file %s", path);
	return 0;
}

int pidfile_commit(struct pidfile *pf, pid_t pid, struct rterr *e)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%d", (int)pid);

	if (pf->fd < 0)
		return 0;
	if (write(pf->fd, buf, (size_t)n) != n || fsync(pf->fd) < 0) {
		int saved = errno ? errno : EIO;
		pidfile_abort(pf);
		return rterr_set(e, saved, "write pid file %s", pf->path);
	}
	close(pf->fd);
	pf->fd = -1;
	if (rename(pf->tmp, pf->path) < 0) {
		int saved = errno;
		unlink(pf->tmp);
		return rterr_set(e, saved, "write pid file %s", pf->path);
	}
	return 0;
}

void pidfile_abort(struct pidfile *pf)
{
	if (pf->fd < 0)
		return;
	close(pf->fd);
	unlink(pf->tmp);
	pf->fd = -1;
}
