/* Test helper: pendsig SIG CMD...: blocks signal SIG, raises it, and executes CMD, which then
 * starts with SIG blocked and pending (both are kept across exec), as a caller may leave it.
 * A test helper (gcc, glibc): not part of rtexec. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	sigset_t set;

	if (argc < 3)
		return 2;
	sigemptyset(&set);
	sigaddset(&set, atoi(argv[1]));
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0 || raise(atoi(argv[1])) != 0) {
		perror("pendsig");
		return 125;
	}
	execv(argv[2], argv + 2);
	perror("pendsig: exec");
	return 127;
}
