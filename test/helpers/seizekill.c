/* Test helper: a tracer that never lets go. seizekill PID SECS: PTRACE_SEIZEs PID, SIGKILLs
 * it, and sleeps SECS without ever waiting for it: the kernel reports PID's death to its real
 * parent only once the tracer has waited for it or detached (here: exited). As a process of a
 * container with CAP_SYS_PTRACE can do to rtexec's child before its exec. A test helper
 * (gcc, glibc): not part of rtexec. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	pid_t pid;

	if (argc != 3)
		return 2;
	pid = (pid_t)atoi(argv[1]);
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0) {
		perror("seizekill: PTRACE_SEIZE");
		return 1;
	}
	kill(pid, SIGKILL);
	sleep((unsigned)atoi(argv[2]));
	return 0;
}
