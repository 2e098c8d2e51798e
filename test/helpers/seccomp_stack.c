/* Test helper: adds a seccomp filter to the calling process, then executes a command: the
 * init of a test container that runs under one more filter than its runtime gave it.
 *   seccomp_stack chmod -- CMD...   fchmodat/fchmod/chmod answer EPERM
 *   seccomp_stack notify -- CMD...  getpid is handed to a user-notification listener
 *                                   (closed at once: such a filter cannot be copied)
 *   seccomp_stack mkdir -- CMD...   mkdir/mkdirat answer EACCES (over a runtime's EPERM: the
 *                                   newest filter's errno is what a process sees)
 *   seccomp_stack fakecreds -- CMD... setresuid, setresgid, setgroups and capset answer
 *                                   success without doing anything (SECCOMP_RET_ERRNO|0),
 *                                   and so do getresuid, getresgid and getgroups (read back),
 *                                   installed without no_new_privs (needs CAP_SYS_ADMIN), as a
 *                                   hostile container's init would
 *   seccomp_stack fakelimit -- CMD... prlimit64, setrlimit and getrlimit answer success
 *                                   without doing anything, without no_new_privs too
 *   seccomp_stack dump FILE         writes the chmod filter as raw BPF (a sock_filter array)
 * Targets that are hard to stop or easy to disturb, each under the chmod filter:
 *   seccomp_stack hold vfork SECS   vfork()s a child that sleeps SECS without exec'ing (the
 *                                   parent waits where no signal or ptrace interrupt reaches)
 *   seccomp_stack hold storm SECS   the same vfork wait, in a process with a second thread,
 *                                   whose vfork child stops and continues it (SIGSTOP,
 *                                   SIGCONT) for SECS: the second thread takes part, and each
 *                                   round tells the tracer of the first one (SIGCHLD), which
 *                                   never stops
 *   seccomp_stack hold epoll FILE   waits in epoll_wait for ever; appends "EINTR" to FILE
 *                                   each time it returns so
 *   seccomp_stack hold usr1 FILE    pauses for ever; appends "usr1" to FILE at each SIGUSR1
 * no_new_privs is set first, so that no capability is needed; but for two that set it late,
 * whose first filter is installed without it (CAP_SYS_ADMIN):
 *   seccomp_stack hold late FILE    at SIGUSR1 sets no_new_privs and adds the mkdir filter;
 *                                   appends "late" to FILE
 *   seccomp_stack hold tsync FILE   the same from a second thread, to both threads at once
 *                                   (SECCOMP_FILTER_FLAG_TSYNC), the first one left where it
 *                                   is (in pause, or stopped by a tracer)
 * Static (the container has no libc). */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <pthread.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr))
#define DENY(nr)                                         \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

static struct sock_filter chmod_filter[] = {
	LOAD_NR,
	DENY(SYS_fchmodat),
	DENY(SYS_fchmod),
	DENY(SYS_chmod),
	DENY(452), /* fchmodat2 */
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static struct sock_filter mkdir_filter[] = {
	LOAD_NR,
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdir, 1, 0),
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mkdirat, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EACCES),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

#define FAKE(nr)                                         \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | 0)

static struct sock_filter fakecreds_filter[] = {
	LOAD_NR,
	FAKE(SYS_setresuid),
	FAKE(SYS_setresgid),
	FAKE(SYS_setgroups),
	FAKE(SYS_capset),
	FAKE(SYS_setuid),
	FAKE(SYS_setgid),
	FAKE(SYS_getresuid),
	FAKE(SYS_getresgid),
	FAKE(SYS_getgroups),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static struct sock_filter fakelimit_filter[] = {
	LOAD_NR,
	FAKE(SYS_prlimit64),
	FAKE(SYS_setrlimit),
	FAKE(SYS_getrlimit),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static struct sock_filter notify_filter[] = {
	LOAD_NR,
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

static const char *out_file;

static void note(const char *what)
{
	int fd = open(out_file, O_WRONLY | O_CREAT | O_APPEND, 0644);

	if (fd >= 0) {
		(void)!write(fd, what, strlen(what));
		close(fd);
	}
}

static void on_usr1(int sig)
{
	(void)sig;
	note("usr1\n");
}

/* no_new_privs, then the mkdir filter: what hold late and tsync add at SIGUSR1 */
static void add_late(unsigned long flags)
{
	struct sock_fprog prog = { sizeof(mkdir_filter) / sizeof(mkdir_filter[0]), mkdir_filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog) == 0)
		note("late\n");
	else
		note("failed\n");
}

static void on_usr1_late(int sig)
{
	(void)sig;
	add_late(0);
}

static void *tsync_thread(void *arg)
{
	sigset_t usr1;
	int sig;

	(void)arg;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigwait(&usr1, &sig) == 0)
		add_late(SECCOMP_FILTER_FLAG_TSYNC);
	for (;;)
		pause();
	return NULL;
}

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/* The vfork child of storm: may only call what returns no stack frame it shares. */
static void storm(pid_t parent, int secs)
{
	struct timespec end, now, gap = { 0, 200000 };

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += secs;
	do {
		syscall(SYS_kill, parent, SIGSTOP);
		syscall(SYS_nanosleep, &gap, NULL);
		syscall(SYS_kill, parent, SIGCONT);
		syscall(SYS_nanosleep, &gap, NULL);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (now.tv_sec < end.tv_sec);
	_exit(0);
}

static int hold(const char *mode, const char *arg)
{
	struct sock_fprog prog = { sizeof(chmod_filter) / sizeof(chmod_filter[0]), chmod_filter };

	bool late = strcmp(mode, "late") == 0 || strcmp(mode, "tsync") == 0;

	if ((!late && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("seccomp_stack");
		return 1;
	}
	out_file = arg;
	if (strcmp(mode, "late") == 0) {
		signal(SIGUSR1, on_usr1_late);
		for (;;)
			pause();
	}
	if (strcmp(mode, "tsync") == 0) {
		pthread_t th;
		sigset_t usr1;

		sigemptyset(&usr1);
		sigaddset(&usr1, SIGUSR1);
		sigprocmask(SIG_BLOCK, &usr1, NULL); /* for the second thread's sigwait alone */
		if (pthread_create(&th, NULL, tsync_thread, NULL) != 0)
			return 1;
		for (;;)
			pause();
	}
	if (strcmp(mode, "vfork") == 0) {
		struct timespec ts = { atoi(arg), 0 };
		if (vfork() == 0) {
			syscall(SYS_nanosleep, &ts, NULL);
			_exit(0);
		}
		for (;;)
			pause();
	}
	if (strcmp(mode, "storm") == 0) {
		pthread_t th;
		pid_t self = getpid();
		if (pthread_create(&th, NULL, idle, NULL) != 0)
			return 1;
		if (vfork() == 0)
			storm(self, atoi(arg));
		for (;;)
			pause();
	}
	if (strcmp(mode, "epoll") == 0) {
		struct epoll_event ev;
		int ep = epoll_create1(0);
		/* Waits on after an EINTR: a target that exited then would fail the join that
		 * caused it (the target is checked alive after the copy), by timing alone. */
		for (;;)
			if (epoll_wait(ep, &ev, 1, -1) < 0 && errno == EINTR)
				note("EINTR\n");
	}
	if (strcmp(mode, "usr1") == 0) {
		signal(SIGUSR1, on_usr1);
		for (;;)
			pause();
	}
	return 2;
}

int main(int argc, char **argv)
{
	struct sock_fprog prog = { sizeof(chmod_filter) / sizeof(chmod_filter[0]), chmod_filter };
	unsigned long flags = 0, nnp = 1;
	long fd;

	if (argc == 3 && strcmp(argv[1], "dump") == 0) {
		int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		return out < 0 || write(out, chmod_filter, sizeof(chmod_filter)) !=
					  (ssize_t)sizeof(chmod_filter);
	}
	if (argc == 4 && strcmp(argv[1], "hold") == 0)
		return hold(argv[2], argv[3]);
	if (argc < 4 || strcmp(argv[2], "--") != 0)
		return 2;
	if (strcmp(argv[1], "notify") == 0) {
		prog.len = sizeof(notify_filter) / sizeof(notify_filter[0]);
		prog.filter = notify_filter;
		flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	} else if (strcmp(argv[1], "mkdir") == 0) {
		prog.len = sizeof(mkdir_filter) / sizeof(mkdir_filter[0]);
		prog.filter = mkdir_filter;
	} else if (strcmp(argv[1], "fakecreds") == 0) {
		prog.len = sizeof(fakecreds_filter) / sizeof(fakecreds_filter[0]);
		prog.filter = fakecreds_filter;
		nnp = 0;
	} else if (strcmp(argv[1], "fakelimit") == 0) {
		prog.len = sizeof(fakelimit_filter) / sizeof(fakelimit_filter[0]);
		prog.filter = fakelimit_filter;
		nnp = 0;
	} else if (strcmp(argv[1], "chmod") != 0) {
		return 2;
	}
	if ((nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) ||
	    (fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog)) < 0) {
		perror("seccomp_stack");
		return 1;
	}
	if (flags)
		close((int)fd);
	execvp(argv[3], argv + 3);
	perror("seccomp_stack: exec");
	return 127;
}
