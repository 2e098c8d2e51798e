/* The pid file: checked writable before anything runs, written atomically after exec, and
 * never a temporary left behind, even by a SIGKILLed rtexec. */
#ifndef RTEXEC_PIDFILE_H
#define RTEXEC_PIDFILE_H
#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "log.h"

struct pidfile {
	const char *path;	/* as given, for messages */
	const char *base;	/* its last component: the name in dirfd */
	int dirfd;		/* O_PATH of its directory, opened once; -1 without a pid file */
	int fd;			/* the file being written; -1 when there is no pid file */
	bool named;		/* tmp exists (no O_TMPFILE here): remove it on abort */
	char tmp[NAME_MAX + 1]; /* ".NAME.rtexec-PID" in dirfd; last: untouched without a pid file */
};

int pidfile_prepare(struct pidfile *pf, const char *path, struct rterr *e);
/* Writes pid (decimal, no newline) and puts the file in place. */
int pidfile_commit(struct pidfile *pf, pid_t pid, struct rterr *e);
void pidfile_abort(struct pidfile *pf);

#endif
