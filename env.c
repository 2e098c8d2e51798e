#include "env.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fmt.h"
#include "fsutil.h"
#include "syscalls.h"

#define PASSWD_MAX (1 << 20)

/* Field i (0-based) of a passwd line [line, end) as [*start, *stop). */
static int field(const char *line, const char *end, int i, const char **start, const char **stop)
{
	const char *p = line;

	for (; i > 0; i--) {
		p = memchr(p, ':', (size_t)(end - p));
		if (p == NULL)
			return -1;
		p++;
	}
	*start = p;
	*stop = memchr(p, ':', (size_t)(end - p));
	if (*stop == NULL)
		*stop = end;
	return 0;
}

static int line_uid(const char *line, const char *end, unsigned long *uid)
{
	const char *s, *t;
	char num[16];
	const char *stop;
	unsigned long long v;

	if (field(line, end, 2, &s, &t) < 0 || t == s || (size_t)(t - s) >= sizeof(num))
		return -1;
	memcpy(num, s, (size_t)(t - s));
	num[t - s] = '\0';
	if (str_u64(num, 10, &v, &stop) < 0 || *stop != '\0' || v > 4294967294ULL)
		return -1;
	*uid = (unsigned long)v;
	return 0;
}

int passwd_home(const char *text, uid_t uid, char *home, size_t n)
{
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n'), *s, *t;
		unsigned long u;

		if (end == NULL)
			end = line + strlen(line);
		if (line[0] != '#' && line_uid(line, end, &u) == 0 && u == uid &&
		    field(line, end, 5, &s, &t) == 0 && t > s && (size_t)(t - s) < n) {
			memcpy(home, s, (size_t)(t - s));
			home[t - s] = '\0';
			return 0;
		}
		line = *end ? end + 1 : end;
	}
	return -ENOENT;
}

const char *env_get(char *const *env, const char *name)
{
	size_t n = strlen(name);

	for (; env && *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

/* A file of the kernel's own file systems: reading one may consume what others wait for
 * (/proc/kmsg, trace_pipe) or show what the container may not read itself, and rtexec reads
 * with the host's privileges (the child before it drops them, the dry run always). A
 * hostile container may point its /etc/passwd at one. */
static bool kernel_file(int fd)
{
	/* clang-format off */
	static const unsigned long kinds[] = { PROC_SUPER_MAGIC, SYSFS_MAGIC, DEBUGFS_MAGIC,
		TRACEFS_MAGIC, SECURITYFS_MAGIC, CGROUP_SUPER_MAGIC, CGROUP2_SUPER_MAGIC,
		BPF_FS_MAGIC, EFIVARFS_MAGIC, PSTOREFS_MAGIC, SELINUX_MAGIC, SMACK_MAGIC,
		0x62656570 /* configfs */, 0x67596969 /* rpc_pipefs */ };
	/* clang-format on */
	struct statfs sf;

	if (fstatfs(fd, &sf) < 0)
		return true;
	for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
		if ((unsigned long)sf.f_type == kinds[i])
			return true;
	return false;
}

/* Not in_root (the dry run, the container's root seen from the host): opened by host root,
 * outside the container's device cgroup, so O_PATH first (a device or FIFO planted there is
 * never opened), checked, then reopened through the host's /proc/self/fd. In the child
 * (in_root) the container's device rules apply: opened at once, checked after. */
static int open_passwd(int rootfd, bool in_root)
{
	struct open_how how = { .flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	char again[40];
	struct stat st;
	int fd, pfd;

	if (in_root) {
		fd = sys_openat2(rootfd, "etc/passwd", &how);
		if (fd < 0 && errno == ENOSYS)
			fd = sys_openat(rootfd, "etc/passwd", (int)how.flags, 0);
		return fd;
	}
	how.flags = O_PATH | O_CLOEXEC;
	if ((pfd = sys_openat2(rootfd, "etc/passwd", &how)) < 0)
		return -1;
	fd = -1;
	if (fstat(pfd, &st) == 0 && S_ISREG(st.st_mode) && !kernel_file(pfd)) {
		fmt_snprintf(again, sizeof(again), "/proc/self/fd/%d", pfd);
		fd = sys_open(again, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
	} else {
		errno = EMEDIUMTYPE;
	}
	close(pfd);
	return fd;
}

static int lookup(int rootfd, bool in_root, uid_t uid, char *home, size_t n)
{
	int fd = open_passwd(rootfd, in_root);
	struct stat st;
	char *buf;
	ssize_t r = -1;

	fmt_snprintf(home, n, "/");
	if (fd < 0)
		return errno == ENOSYS ? -ENOSYS : 0;
	/* A hostile container may put a FIFO or a device there: read regular files only, and
	 * none of the kernel's. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && !kernel_file(fd) &&
	    (buf = malloc(PASSWD_MAX + 1))) {
		r = read(fd, buf, PASSWD_MAX);
		if (r >= 0) {
			buf[r] = '\0';
			passwd_home(buf, uid, home, n);
		}
		free(buf);
	}
	close(fd);
	return 0;
}

/* The dry run (not in_root) reads the container's passwd itself: a file system the container
 * serves (FUSE) may never answer, and a process waiting for a request its server has taken
 * cannot be interrupted, not even by SIGKILL. So that lookup runs in a process of its own,
 * given LOOKUP_MS: the dry run never hangs (such a process stays until the server answers
 * or goes away; it is not waited for). The child's lookup is bounded by the join's deadline. */
#define LOOKUP_MS 2000

int home_lookup(int rootfd, bool in_root, uid_t uid, char *home, size_t n)
{
	struct {
		int rc;
		char home[PATH_MAX];
	} got;
	int p[2];
	struct pollfd pf;
	pid_t pid;
	ssize_t r;

	if (in_root)
		return lookup(rootfd, in_root, uid, home, n);
	fmt_snprintf(home, n, "/");
	if (pipe2(p, O_CLOEXEC) < 0 || (pid = sys_fork()) < 0)
		return -errno;
	if (pid == 0) {
		/* It may outlive rtexec, stuck: it holds nothing of the caller's (its stdout, a
		 * pipe someone waits on the end of) nor of rtexec's but its root and the pipe. */
		int null = sys_open("/dev/null", O_RDWR | O_CLOEXEC, 0);
		int lo = rootfd < p[1] ? rootfd : p[1], hi = rootfd < p[1] ? p[1] : rootfd;

		for (int fd = 0; fd < 3; fd++)
			if (null < 0 || dup2(null, fd) < 0)
				close(fd);
		if (lo > 3)
			sys_close_range(3, (unsigned)lo - 1, 0);
		if (hi > lo + 1)
			sys_close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
		sys_close_range((unsigned)hi + 1, ~0U, 0);
		got.rc = lookup(rootfd, false, uid, got.home, sizeof(got.home));
		_exit(write(p[1], &got, sizeof(got)) == (ssize_t)sizeof(got) ? 0 : 1);
	}
	close(p[1]);
	pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
	while ((r = poll(&pf, 1, LOOKUP_MS)) < 0 && errno == EINTR)
		;
	r = r > 0 ? read(p[0], &got, sizeof(got)) : -1;
	close(p[0]);
	if (r != (ssize_t)sizeof(got)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, WNOHANG);
		logmsg(LOG_WARN,
		       "the container's /etc/passwd did not answer within %d ms: HOME "
		       "shown as /",
		       LOOKUP_MS);
		return 0;
	}
	waitpid(pid, NULL, 0);
	got.home[sizeof(got.home) - 1] = '\0';
	fmt_snprintf(home, n, "%s", got.home);
	return got.rc;
}

int env_build(const struct env_request *r, int rootfd, bool in_root, char ***out)
{
	/* One allocation: the vector, then room for "HOME=" and a path. */
	size_t nvec = r->nenv + 3, room = PATH_MAX + 8;
	static char default_path[] = DEFAULT_PATH;
	char **env = malloc(nvec * sizeof(*env) + room), *home_var = (char *)(env + nvec);
	char home[PATH_MAX];
	size_t n = 0;

	if (env == NULL)
		return -ENOMEM;
	if (r->env == NULL)
		env[n++] = default_path;
	for (size_t i = 0; i < r->nenv; i++)
		env[n++] = r->env[i];
	env[n] = NULL;
	if (env_get(env, "HOME") == NULL) {
		/* Without openat2 the file cannot be read safely from outside: say so, do not
		 * guess (only the plan, which reads through /proc/PID/root, gets here). */
		if (home_lookup(rootfd, in_root, r->uid, home, sizeof(home)) == -ENOSYS)
			fmt_snprintf(home, sizeof(home), "(from the container's /etc/passwd)");
		fmt_snprintf(home_var, room, "HOME=%s", home);
		env[n++] = home_var;
	}
	env[n] = NULL;
	*out = env;
	return 0;
}
