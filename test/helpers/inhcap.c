/* Test helper: a process whose inheritable set holds a capability that its bounding set does
 * not (legal: raised first, then dropped from the bounding set; capset refuses the other
 * order), which then executes a command: a container init whose sets rtexec must copy.
 *   inhcap CAP -- CMD...   CAP: the capability's number */
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int cap;

	if (argc < 4 || strcmp(argv[2], "--") != 0)
		return 2;
	cap = atoi(argv[1]);
	if (syscall(SYS_capget, &h, d) < 0) {
		perror("inhcap: capget");
		return 1;
	}
	d[cap / 32].inheritable |= 1u << (cap % 32);
	if (syscall(SYS_capset, &h, d) < 0 || prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
		perror("inhcap");
		return 1;
	}
	execvp(argv[3], argv + 3);
	perror("inhcap: exec");
	return 127;
}
