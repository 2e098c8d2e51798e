/* Moves a program to another CPU between two of its syscalls, for the guest:
 *     migrate FROM TO NR -- CMD [ARG]...
 * Runs CMD pinned to CPU FROM, traced (ptrace) until the first return of syscall number NR,
 * then pins it to CPU TO and lets go of it (it runs on untraced). At the call's entry it
 * empties FROM's per-CPU LRU batch first (from FROM: MADV_COLD drains the batch of the CPU it
 * runs on), so that after the call that batch holds the last pages the call added, whatever
 * ran on FROM before (a full batch is moved on: the pages of a sendfile into a memfd, 15
 * at a time, leave their remainder there). Once CMD has ended, prints
 * "moved" on stderr (not before: a write to a file could make pages of the moment's CPU)
 * and exits with CMD's status (128 + signal if a signal ended it).
 * The guest's test of the sealed copy (test/vm/init): rtexec copies itself into a memfd
 * with sendfile (NR 40) on one CPU and seals it on another, as a migration at that moment
 * would have it.
 * A test helper (static musl): not part of rtexec. */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

static int pin(pid_t pid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(pid, sizeof(set), &set);
}

#ifndef MADV_COLD
#define MADV_COLD 20
#endif

/* FROM's LRU batch emptied: from FROM, then back where this ran. */
static int drain(int cpu)
{
	cpu_set_t was;
	void *map = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r;

	if (map == MAP_FAILED || sched_getaffinity(0, sizeof(was), &was) < 0 || pin(0, cpu) < 0)
		return -1;
	r = madvise(map, 4096, MADV_COLD);
	return sched_setaffinity(0, sizeof(was), &was) < 0 ? -1 : r;
}

static int status_of(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

int main(int argc, char **argv)
{
	struct __ptrace_syscall_info info;
	int from, to, st;
	long nr;
	pid_t pid;

	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fprintf(stderr, "usage: migrate FROM TO NR -- CMD [ARG]...\n");
		return 2;
	}
	from = atoi(argv[1]), to = atoi(argv[2]), nr = atol(argv[3]);
	if ((pid = fork()) < 0)
		return 1;
	if (pid == 0) {
		if (pin(0, from) < 0 || ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0)
			_exit(126);
		execv(argv[5], argv + 5);
		_exit(127);
	}
	/* The stop at the exec, then from one syscall stop to the next. */
	if (waitpid(pid, &st, 0) < 0 || !WIFSTOPPED(st))
		return WIFEXITED(st) || WIFSIGNALED(st) ? status_of(st) : 1;
	ptrace(PTRACE_SETOPTIONS, pid, NULL,
	       (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL));
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) < 0 || waitpid(pid, &st, 0) < 0) {
			fprintf(stderr, "migrate: %s\n", strerror(errno));
			return 1;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			fprintf(stderr, "migrate: the program ended before syscall %ld returned\n",
				nr);
			return status_of(st);
		}
		if (WSTOPSIG(st) != (SIGTRAP | 0x80))
			continue; /* another stop: the signal is not passed on (none is expected) */
		if (ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof(info), &info) < 0) {
			fprintf(stderr, "migrate: PTRACE_GET_SYSCALL_INFO: %s\n", strerror(errno));
			return 1;
		}
		/* The exit stop carries no number: the entry before it said which syscall. */
		if (info.op == PTRACE_SYSCALL_INFO_ENTRY && (long)info.entry.nr == nr) {
			if (drain(from) < 0) {
				fprintf(stderr, "migrate: drain CPU %d: %s\n", from,
					strerror(errno));
				return 1;
			}
			if (ptrace(PTRACE_SYSCALL, pid, NULL, NULL) < 0 ||
			    waitpid(pid, &st, 0) < 0 || !WIFSTOPPED(st))
				return 1;
			break;
		}
	}
	if (pin(pid, to) < 0 || ptrace(PTRACE_DETACH, pid, NULL, NULL) < 0) {
		fprintf(stderr, "migrate: move to CPU %d: %s\n", to, strerror(errno));
		return 1;
	}
	if (waitpid(pid, &st, 0) < 0)
		return 1;
	fprintf(stderr, "moved\n");
	return status_of(st);
}
