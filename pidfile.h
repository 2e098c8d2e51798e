/* The pid file: checked writable before anything runs, written atomically after exec. */
#ifndef RTEXEC_PIDFILE_H
#define RTEXEC_PIDFILE_H
#include <limits.h>
#include <sys/types.h>

#include "log.h"

struct pidfile {
	const char *path;
	char tmp[PATH_MAX];
	int fd; /* the temporary file beside path; -1 when there is no pid file */
};

int pidfile_prepare(struct pidfile *pf, const char *path, struct rterr *e);
int pidfile_commit(struct pidfile *pf, pid_t pid, struct rterr *e);
void pidfile_abort(struct pidfile *pf);

#endif
