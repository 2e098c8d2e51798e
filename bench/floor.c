/* The floor rtexec is measured against: only the work no joining tool can avoid, written
 * as tightly as it goes. Everything a tool could look up is given on the command line
 * (the cgroup files, the command's path), nothing is checked, nothing is reported:
 *   floor [-U] PID [V1TASKS]... [v2:DIR] -- PATH [ARG]...
 * pins the target (pidfd_open), opens each v1 "tasks" file and the v2 directory, joins the
 * pid and time namespaces for its child, clones it into the v2 cgroup (CLONE_INTO_CGROUP),
 * and the child writes "0" to each tasks file, joins every other namespace with one
 * setns(pidfd) and executes PATH; the parent waits and exits with its status. -U: the
 * container has a user namespace of its own (joined with the others).
 * Static, musl, raw syscalls. Not a tool: no error handling beyond the exit status. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#define CLONE_INTO_CGROUP 0x200000000ULL

struct clone_args3 {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
		set_tid_size, cgroup;
};

extern char **environ;

/* musl's open() follows O_CLOEXEC with an fcntl for kernels that ignored it: not here. */
static int ropen(const char *path, int flags)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags);
}

int main(int argc, char **argv)
{
	int user = argc > 1 && strcmp(argv[1], "-U") == 0, tasks[32], nt = 0, v2 = -1;
	int pidfd = (int)syscall(SYS_pidfd_open, atoi(argv[1 + user]), 0);
	struct clone_args3 ca = { .exit_signal = SIGCHLD };
	int i = 2 + user, st;
	pid_t child;

	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strncmp(argv[i], "v2:", 3) == 0)
			v2 = ropen(argv[i] + 3, O_PATH | O_DIRECTORY | O_CLOEXEC);
		else if (nt < 32)
			tasks[nt++] = ropen(argv[i], O_WRONLY | O_CLOEXEC);
	}
	if (pidfd < 0 || i + 1 >= argc || setns(pidfd, CLONE_NEWPID | CLONE_NEWTIME) < 0)
		return 125;
	if (v2 >= 0) {
		ca.flags = CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)v2;
	}
	child = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (child == 0) {
		for (int k = 0; k < nt; k++)
			if (write(tasks[k], "0", 1) != 1)
				_exit(125);
		if (setns(pidfd, (user ? CLONE_NEWUSER : 0) | CLONE_NEWNS | CLONE_NEWNET |
					 CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP) < 0)
			_exit(125);
		execve(argv[i + 1], argv + i + 1, environ);
		_exit(127);
	}
	if (child < 0 || waitpid(child, &st, 0) < 0)
		return 125;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
