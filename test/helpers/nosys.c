/* nosys: run a command on a kernel that seems to lack some syscalls.
 *
 *     nosys SYSCALL[,SYSCALL...] -- COMMAND [ARG]...
 *
 * SYSCALL is a name from the table below or an x86-64 syscall number ("434,436"). A seccomp
 * filter makes each of them fail with ENOSYS, as on a kernel older than the syscall, and is
 * inherited by COMMAND and everything it starts. The word "tmpfile" instead makes openat with
 * O_TMPFILE fail with EOPNOTSUPP, as on a file system without it (NFS, vfat). This is how the
 * tests reach rtexec's ENOSYS fallbacks on a recent kernel. NOSYS_ERRNO=N: the listed
 * syscalls fail with errno N instead (1, EPERM: as Docker's default profile refuses keyctl). A test helper (gcc, glibc): not part of rtexec.
 * Exit status: 125 if nosys itself fails, 126/127 if COMMAND cannot be executed/found. */
#include <errno.h>
#include <stdbool.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#define MAX_CALLS 32
#define X32_SYSCALL_BIT 0x40000000u
#define NR_OPENAT 257
#define TMPFILE_BIT 020000000u /* __O_TMPFILE, without O_DIRECTORY */
#define TMPFILE ((unsigned)-1) /* "tmpfile" in the list */

/* clang-format off */
static const struct {
	const char *name;
	unsigned nr;
} calls[] = {
	{ "setns", 308 },	  { "sched_setattr", 314 }, { "sched_getattr", 315 },
	{ "statx", 332 },	  { "pidfd_send_signal", 424 }, { "pidfd_open", 434 },
	{ "clone3", 435 },	  { "close_range", 436 },	{ "openat2", 437 },
	{ "pidfd_getfd", 438 }, { "faccessat2", 439 },
};
/* clang-format on */

static int lookup(const char *word, unsigned *nr)
{
	char *end;

	if (strcmp(word, "tmpfile") == 0) {
		*nr = TMPFILE;
		return 0;
	}
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		if (strcmp(word, calls[i].name) == 0) {
			*nr = calls[i].nr;
			return 0;
		}
	errno = 0;
	unsigned long v = strtoul(word, &end, 10);
	if (word[0] < '0' || word[0] > '9' || *end || errno || v >= X32_SYSCALL_BIT)
		return -1;
	*nr = (unsigned)v;
	return 0;
}

static int parse_list(char *list, unsigned *nrs)
{
	int n = 0;

	for (char *word = strtok(list, ","); word; word = strtok(NULL, ",")) {
		if (n == MAX_CALLS || lookup(word, &nrs[n]) < 0) {
			fprintf(stderr, "nosys: %s: unknown syscall (or too many)\n", word);
			return -1;
		}
		n++;
	}
	return n;
}

/* x86-64 only (anything else is killed: its numbers mean other syscalls); the x32 bit is
 * masked off so that the x32 entry of a syscall is refused too. */
static int install(const unsigned *nrs, int n)
{
	/* arch check 3, nr 2, "tmpfile" 7, one per number, allow and ENOSYS 2 */
	struct sock_filter f[3 + 2 + 7 + MAX_CALLS + 2];
	int k = 0, m = 0, err = getenv("NOSYS_ERRNO") ? atoi(getenv("NOSYS_ERRNO")) : ENOSYS;
	bool tmpfile = false;

	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, arch));
	f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					      offsetof(struct seccomp_data, nr));
	f[k++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~X32_SYSCALL_BIT);
	for (int i = 0; i < n; i++)
		tmpfile = tmpfile || nrs[i] == TMPFILE;
	if (tmpfile) { /* openat(..., O_TMPFILE): EOPNOTSUPP; any other openat goes on below */
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, NR_OPENAT, 0, 6);
		f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						      offsetof(struct seccomp_data, args[2]));
		f[k++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, TMPFILE_BIT);
		f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, TMPFILE_BIT, 0, 1);
		f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
						      SECCOMP_RET_ERRNO | EOPNOTSUPP);
		f[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
						      offsetof(struct seccomp_data, nr));
		f[k++] = (struct sock_filter)BPF_STMT(BPF_ALU | BPF_AND | BPF_K, ~X32_SYSCALL_BIT);
	}
	for (int i = 0; i < n; i++) /* the syscall numbers, without "tmpfile" */
		if (nrs[i] != TMPFILE)
			m++;
	/* Each listed number jumps to the ENOSYS return at the very end. */
	for (int i = 0, left = m; i < n; i++)
		if (nrs[i] != TMPFILE)
			f[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nrs[i],
							      (unsigned char)left--, 0);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	f[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err);

	struct sock_fprog prog = { .len = (unsigned short)k, .filter = f };

	/* Without no_new_privs only CAP_SYS_ADMIN may install a filter. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		perror("nosys: prctl PR_SET_NO_NEW_PRIVS");
		return -1;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
		perror("nosys: prctl PR_SET_SECCOMP");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned nrs[MAX_CALLS];
	int n;

	if (argc < 4 || strcmp(argv[2], "--") != 0) {
		fprintf(stderr, "usage: nosys SYSCALL[,SYSCALL...] -- COMMAND [ARG]...\n");
		return 125;
	}
	n = parse_list(argv[1], nrs);
	if (n <= 0 || install(nrs, n) < 0)
		return 125;
	execvp(argv[3], argv + 3);
	fprintf(stderr, "nosys: exec %s: %s\n", argv[3], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
