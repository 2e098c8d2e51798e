/* Test helper: adds a seccomp filter to the calling process, then executes a command: the
 * init of a test container that runs under one more filter than its runtime gave it.
 *   seccomp_stack chmod -- CMD...   fchmodat/fchmod/chmod answer EPERM
 *   seccomp_stack notify -- CMD...  getpid is handed to a user-notification listener
 *                                   (closed at once: such a filter cannot be copied)
 *   seccomp_stack dump FILE         writes the chmod filter as raw BPF (a sock_filter array)
 * no_new_privs is set first, so that no capability is needed. Static (the container has no
 * libc). */
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
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

static struct sock_filter notify_filter[] = {
	LOAD_NR,
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
	BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
};

int main(int argc, char **argv)
{
	struct sock_fprog prog = { sizeof(chmod_filter) / sizeof(chmod_filter[0]), chmod_filter };
	unsigned long flags = 0;
	long fd;

	if (argc == 3 && strcmp(argv[1], "dump") == 0) {
		int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		return out < 0 || write(out, chmod_filter, sizeof(chmod_filter)) !=
					  (ssize_t)sizeof(chmod_filter);
	}
	if (argc < 4 || strcmp(argv[2], "--") != 0)
		return 2;
	if (strcmp(argv[1], "notify") == 0) {
		prog.len = sizeof(notify_filter) / sizeof(notify_filter[0]);
		prog.filter = notify_filter;
		flags = SECCOMP_FILTER_FLAG_NEW_LISTENER;
	} else if (strcmp(argv[1], "chmod") != 0) {
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
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
