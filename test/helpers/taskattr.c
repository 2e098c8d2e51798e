/* Test helper: runs a command with task attributes that no OCI field names and that fork and
 * execve pass on: a caller's, or a container init's, that rtexec must not (or must) hand to
 * the command.
 *   taskattr [thp-off | thp-advised] [slack NS] [mpol MODE NODEMASK] -- CMD...
 * thp-off: prctl(PR_SET_THP_DISABLE, 1); thp-advised: the same, but for what madvise asks
 * (PR_THP_DISABLE_EXCEPT_ADVISED, Linux 6.18; exit 3 where the kernel lacks it); slack: prctl(PR_SET_TIMERSLACK, NS); mpol:
 * set_mempolicy(MODE, NODEMASK) (MODE a number, e.g. 2 for MPOL_BIND; NODEMASK a number,
 * e.g. 1 for node 0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i = 1;

	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "thp-off") == 0) {
			if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) < 0) {
				perror("taskattr: PR_SET_THP_DISABLE");
				return 1;
			}
		} else if (strcmp(argv[i], "thp-advised") == 0) {
			if (prctl(PR_SET_THP_DISABLE, 1, 1 << 1, 0, 0) < 0) {
				perror("taskattr: PR_SET_THP_DISABLE, "
				       "PR_THP_DISABLE_EXCEPT_ADVISED");
				return 3;
			}
		} else if (strcmp(argv[i], "slack") == 0 && i + 1 < argc) {
			if (prctl(PR_SET_TIMERSLACK, strtoul(argv[++i], NULL, 0), 0, 0, 0) < 0) {
				perror("taskattr: PR_SET_TIMERSLACK");
				return 1;
			}
		} else if (strcmp(argv[i], "mpol") == 0 && i + 2 < argc) {
			int mode = atoi(argv[++i]);
			unsigned long mask = strtoul(argv[++i], NULL, 0);

			if (syscall(SYS_set_mempolicy, mode, mask ? &mask : NULL,
				    mask ? 8 * sizeof(mask) + 1 : 0) < 0) {
				perror("taskattr: set_mempolicy");
				return 1;
			}
		} else {
			fprintf(stderr, "taskattr: unknown attribute %s\n", argv[i]);
			return 2;
		}
	}
	if (i + 1 >= argc)
		return 2;
	execvp(argv[i + 1], argv + i + 1);
	perror("taskattr: exec");
	return 127;
}
