#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"
#include "syscalls.h"

int proc_stat_parse(const char *text, char *state, unsigned long long *start_time)
{
	const char *p = strrchr(text, ')');
	char *end;
	int field = 3;

	if (p == NULL || p[1] != ' ' || p[2] == '\0')
		return -1;
	*state = p[2];
	for (p += 3; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	if (field != 22 || *p < '0' || *p > '9')
		return -1;
	errno = 0;
	*start_time = strtoull(p, &end, 10);
	if (errno || (*end != ' ' && *end != '\n' && *end != '\0'))
		return -1;
	return 0;
}

int pid_text_parse(const char *text, pid_t *pid)
{
	char *end;
	long v;

	while (*text == ' ' || *text == '\t')
		text++;
	if (*text < '0' || *text > '9')
		return -1;
	errno = 0;
	v = strtol(text, &end, 10);
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (errno || *end != '\0' || v <= 0 || v > 4194304)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

static int read_stat(pid_t pid, char *state, unsigned long long *start, struct rterr *e)
{
	char path[64], buf[1024];
	int r;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	r = read_file(AT_FDCWD, path, buf, sizeof(buf));
	if (r == -ENOENT)
		return rterr_set(e, ESRCH, "target %d", pid);
	if (r < 0)
		return rterr_set(e, -r, "target %d: read %s", pid, path);
	if (proc_stat_parse(buf, state, start) < 0)
		return rterr_set(e, 0, "target %d: cannot parse %s", pid, path);
	return 0;
}

static int check_alive(pid_t pid, char state, struct rterr *e)
{
	if (state == 'Z' || state == 'X' || state == 'x')
		return rterr_set(e, 0, "target %d: is a zombie (the process has exited)", pid);
	return 0;
}

static int resolve_pid(const struct target_request *r, pid_t *pid, struct rterr *e)
{
	char buf[64];
	int err;

	if (r->pid_file == NULL) {
		*pid = r->pid;
		return 0;
	}
	if ((err = read_file(AT_FDCWD, r->pid_file, buf, sizeof(buf))) < 0)
		return rterr_set(e, -err, "target: read pid file %s", r->pid_file);
	if (pid_text_parse(buf, pid) < 0)
		return rterr_set(e, 0, "target: pid file %s: does not hold a pid", r->pid_file);
	return 0;
}

int target_open(const struct target_request *r, struct target *t, struct rterr *e)
{
	char state;

	t->pidfd = -1;
	if (resolve_pid(r, &t->pid, e) < 0)
		return -1;
	if (read_stat(t->pid, &state, &t->start_time, e) < 0 || check_alive(t->pid, state, e) < 0)
		return -1;
	if (r->has_start_time && r->start_time != t->start_time)
		return rterr_set(e, 0,
				 "target %d: start time is %llu, not %llu (the pid was reused)",
				 t->pid, t->start_time, r->start_time);
	t->pidfd = sys_pidfd_open(t->pid, 0);
	if (t->pidfd < 0 && errno != ENOSYS)
		return rterr_set(e, errno, "target %d: pidfd_open", t->pid);
	/* The pidfd pins the process we checked only if the pid was not reused in between. */
	return target_check(t, e);
}

int target_check(const struct target *t, struct rterr *e)
{
	unsigned long long start;
	char state;

	if (read_stat(t->pid, &state, &start, e) < 0 || check_alive(t->pid, state, e) < 0)
		return -1;
	if (start != t->start_time)
		return rterr_set(e, ESRCH, "target %d: exited and the pid was reused", t->pid);
	return 0;
}

void target_close(struct target *t)
{
	if (t->pidfd >= 0)
		close(t->pidfd);
	t->pidfd = -1;
}
