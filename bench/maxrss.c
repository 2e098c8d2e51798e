/* maxrss CMD [ARG]...: runs CMD and prints the peak resident set size (KiB) of CMD and
 * everything it waited for, as wait4 reports it. /usr/bin/time -v cannot go below its own
 * size: the kernel carries the peak of the process image an exec replaces, and time's
 * child is a copy of time (about 440 KiB here) until it executes CMD. This one is static
 * and small, and vfork lends CMD its memory until the exec, so CMD's own peak shows. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid;

	if (argc < 2)
		return 2;
	pid = vfork();
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
		return 2;
	printf("%ld\n", ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 2;
}
