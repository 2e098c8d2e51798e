/* Test helper: a target stuck in its own execve, holding its exec lock (cred_guard_mutex) for
 * as long as it likes, as a hostile container's init can.
 *     execlock
 * Puts itself under an allow-all seccomp filter (so that rtexec copies filters from it),
 * starts a thread, forks a tracer that PTRACE_SEIZEs that thread and then only sleeps, and
 * execs /bin/true: the exec waits for the traced thread to be reaped, which its tracer never
 * does. Prints "ready PID" before the exec. Kill the tracer (its pid is PID's child) to let
 * the exec end. A test helper (gcc, glibc, -pthread): not part of rtexec. */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile pid_t thread_tid;

static void *idle_thread(void *arg)
{
	thread_tid = (pid_t)syscall(SYS_gettid);
	for (;;)
		pause();
	return arg;
}

int main(void)
{
	struct sock_filter allow[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW) };
	struct sock_fprog prog = { 1, allow };
	int ready[2];
	pthread_t t;
	pid_t tracer;
	char c;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0 || pipe(ready) < 0 ||
	    pthread_create(&t, NULL, idle_thread, NULL) != 0) {
		perror("execlock");
		return 1;
	}
	while (thread_tid == 0)
		usleep(1000);
	tracer = fork();
	if (tracer == 0) {
		if (ptrace(PTRACE_SEIZE, thread_tid, 0, 0) < 0) {
			perror("execlock: seize");
			_exit(1);
		}
		(void)!write(ready[1], "x", 1);
		for (;;)
			pause();
	}
	if (tracer < 0 || read(ready[0], &c, 1) != 1)
		return 1;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	execl("/bin/true", "true", (char *)NULL);
	perror("execlock: exec");
	return 1;
}
