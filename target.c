#include "target.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fmt.h"
#include "fsutil.h"
#include "syscalls.h"

#define PF_KTHREAD 0x00200000 /* include/linux/sched.h */

int proc_stat_parse(const char *text, struct proc_stat *out)
{
	const char *p = strrchr(text, ')');
	unsigned long long v[23];
	const char *end;
	int field = 4;

	if (p == NULL || p[1] != ' ' || p[2] == '\0' || p[3] != ' ')
		return -EINVAL;
	out->state = p[2];
	/* Fields 4 to 22, each a decimal number, some of them signed (tpgid, priority, nice). */
	for (p += 4; field <= 22; field++) {
		const char *q = *p == '-' && field != 22 ? p + 1 : p;

		if (str_u64(q, 10, &v[field], &end) < 0 ||
		    (*end != ' ' && *end != '\n' && *end != '\0'))
			return -EINVAL;
		if (field < 22 && *end != ' ')
			return -EINVAL;
		p = end + (field < 22);
	}
	out->flags = (unsigned long)v[9];
	out->start_time = v[22];
	return 0;
}

int pid_text_parse(const char *text, pid_t *pid)
{
	const char *end;
	unsigned long long v;

	while (*text == ' ' || *text == '\t')
		text++;
	if (str_u64(text, 10, &v, &end) < 0)
		return -1;
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (*end != '\0' || v == 0 || v > 4194304)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

static int read_stat(const struct target *t, struct proc_stat *st, struct rterr *e)
{
	char buf[1024];
	int r = read_file(t->procfd, "stat", buf, sizeof(buf));

	if (r == -ENOENT || r == -ESRCH)
		return rterr_set(e, ESRCH, "target %d", (int)t->pid);
	if (r < 0)
		return rterr_set(e, -r, "target %d: read /proc/%d/stat", (int)t->pid, (int)t->pid);
	if (proc_stat_parse(buf, st) < 0)
		return rterr_set(e, 0, "target %d: cannot parse /proc/%d/stat", (int)t->pid,
				 (int)t->pid);
	return 0;
}

static int check_alive(const struct target *t, const struct proc_stat *st, struct rterr *e)
{
	if (st->state == 'Z' || st->state == 'X' || st->state == 'x')
		return rterr_set(e, 0, "target %d: is a zombie (the process has exited)",
				 (int)t->pid);
	/* A kernel thread has no namespaces of a container: joining "it" is joining the host. */
	if (st->flags & PF_KTHREAD)
		return rterr_set(e, 0, "target %d: is a kernel thread, not a container's process",
				 (int)t->pid);
	return 0;
}

static int resolve_pid(const struct target_request *r, pid_t *pid, struct rterr *e)
{
	char buf[64];
	int err, fd;

	if (r->pid_file == NULL) {
		*pid = r->pid;
		return 0;
	}
	if ((fd = open_regular(r->pid_file, false)) == -EMEDIUMTYPE)
		return rterr_set(e, 0, "target: pid file %s: not a regular file", r->pid_file);
	if (fd < 0)
		return rterr_set(e, -fd, "target: read pid file %s", r->pid_file);
	err = read_fd(fd, buf, sizeof(buf));
	close(fd);
	if (err < 0)
		return rterr_set(e, -err, "target: read pid file %s", r->pid_file);
	if (pid_text_parse(buf, pid) < 0)
		return rterr_set(e, 0, "target: pid file %s: does not hold a pid", r->pid_file);
	return 0;
}

/* The pidfd is taken first and the /proc/PID directory second: if the pidfd's process is
 * still alive after that, its pid cannot have been reused in between, so the directory is
 * that same process's. Without pidfds, the start time read through the directory is all
 * there is (and what "startTime" checks). */
static int pin(struct target *t, struct rterr *e)
{
	char path[32];

	t->pidfd = sys_pidfd_open(t->pid, 0);
	if (t->pidfd < 0 && errno == EINVAL)
		return rterr_set(e, 0, "target %d: not a process (a thread's id?)", (int)t->pid);
	if (t->pidfd < 0 && errno != ENOSYS)
		return rterr_set(e, errno, "target %d", (int)t->pid);
	fmt_snprintf(path, sizeof(path), "/proc/%d", (int)t->pid);
	t->procfd = sys_open(path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	if (t->procfd < 0)
		return rterr_set(e, errno == ENOENT ? ESRCH : errno, "target %d", (int)t->pid);
	return 0;
}

static int same_process(const struct target *t, struct rterr *e)
{
	if (t->pidfd >= 0 && sys_pidfd_send_signal(t->pidfd, 0, NULL, 0) < 0)
		return rterr_set(e, 0, "target %d: exited and the pid was reused", (int)t->pid);
	return 0;
}

int target_open(const struct target_request *r, struct target *t, struct rterr *e)
{
	struct proc_stat st;

	t->pidfd = t->procfd = -1;
	if (resolve_pid(r, &t->pid, e) < 0 || pin(t, e) < 0 || read_stat(t, &st, e) < 0 ||
	    check_alive(t, &st, e) < 0 || same_process(t, e) < 0)
		goto fail;
	t->start_time = st.start_time;
	if (r->has_start_time && r->start_time != t->start_time) {
		rterr_set(e, 0, "target %d: start time is %llu, not %llu (the pid was reused)",
			  (int)t->pid, t->start_time, r->start_time);
		goto fail;
	}
	return 0;
fail:
	target_close(t);
	return -1;
}

int target_check(const struct target *t, struct rterr *e)
{
	struct proc_stat st;

	if (read_stat(t, &st, e) < 0 || check_alive(t, &st, e) < 0)
		return -1;
	return same_process(t, e);
}

int target_read(const struct target *t, const char *name, char **out)
{
	int r = read_file_alloc(t->procfd, name, 1 << 20, out);

	return r == -ENOENT ? -ESRCH : r;
}

void target_close(struct target *t)
{
	if (t->pidfd >= 0)
		close(t->pidfd);
	if (t->procfd >= 0)
		close(t->procfd);
	t->pidfd = t->procfd = -1;
}
