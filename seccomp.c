#include "seccomp.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fmt.h"
#include "fsutil.h"
#include "inherit.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#define PTRACE_SECCOMP_GET_METADATA 0x420d
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#define SECCOMP_DATA_SIZE 64 /* sizeof(struct seccomp_data) */

struct metadata { /* struct seccomp_metadata */
	unsigned long long filter_off, flags;
};

static bool seccomp_opcode(unsigned short code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM:
	case BPF_LDX | BPF_IMM:
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
	case BPF_MISC | BPF_TAX:
	case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K:
	case BPF_RET | BPF_A:
	case BPF_ALU | BPF_NEG:
	case BPF_JMP | BPF_JA: return true;
	}
	switch (code & ~BPF_X) {
	case BPF_ALU | BPF_ADD:
	case BPF_ALU | BPF_SUB:
	case BPF_ALU | BPF_MUL:
	case BPF_ALU | BPF_DIV:
	case BPF_ALU | BPF_AND:
	case BPF_ALU | BPF_OR:
	case BPF_ALU | BPF_XOR:
	case BPF_ALU | BPF_LSH:
	case BPF_ALU | BPF_RSH:
	case BPF_JMP | BPF_JEQ:
	case BPF_JMP | BPF_JGE:
	case BPF_JMP | BPF_JGT:
	case BPF_JMP | BPF_JSET: return true;
	}
	return false;
}

/* The kernel's own rules for one instruction at pc of a program of n (bpf_check_classic,
 * seccomp_check_filter); NULL if it passes, else why not. */
static const char *check_insn(const struct sock_filter *f, size_t pc, size_t n)
{
	unsigned short code = f[pc].code;
	unsigned k = f[pc].k;

	if (!seccomp_opcode(code))
		return "an instruction seccomp does not accept";
	if (code == (BPF_LD | BPF_W | BPF_ABS) && (k >= SECCOMP_DATA_SIZE || k % 4))
		return "a load outside struct seccomp_data";
	if ((code == (BPF_LD | BPF_MEM) || code == (BPF_LDX | BPF_MEM) || code == BPF_ST ||
	     code == BPF_STX) &&
	    k >= BPF_MEMWORDS)
		return "a scratch memory index out of range";
	if ((code == (BPF_ALU | BPF_DIV | BPF_K)) && k == 0)
		return "a division by zero";
	if ((code == (BPF_ALU | BPF_LSH | BPF_K) || code == (BPF_ALU | BPF_RSH | BPF_K)) && k >= 32)
		return "a shift by 32 or more";
	if (code == (BPF_JMP | BPF_JA) && (unsigned long long)pc + 1 + k >= n)
		return "a jump out of the program";
	if (BPF_CLASS(code) == BPF_JMP && code != (BPF_JMP | BPF_JA) &&
	    (pc + 1 + f[pc].jt >= n || pc + 1 + f[pc].jf >= n))
		return "a jump out of the program";
	if (code == (BPF_RET | BPF_K) && (k & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF)
		return "a user-notification return (its listener cannot exist for a copy)";
	if (code == (BPF_RET | BPF_A))
		return "a return of a computed action (whether it notifies cannot be told)";
	return NULL;
}

int seccomp_check(const struct sock_filter *f, size_t n, const char *what, struct rterr *e)
{
	const char *why;

	if (n == 0 || n > BPF_MAXINSNS)
		return rterr_set(e, 0, "seccomp: %s: %zu instructions (1 to %d)", what, n,
				 BPF_MAXINSNS);
	for (size_t pc = 0; pc < n; pc++)
		if ((why = check_insn(f, pc, n)) != NULL)
			return rterr_set(e, 0, "seccomp: %s: instruction %zu: %s", what, pc, why);
	if (BPF_CLASS(f[n - 1].code) != BPF_RET)
		return rterr_set(e, 0, "seccomp: %s: does not end with a return", what);
	return 0;
}

static int add_filter(struct seccomp_plan *p, struct sock_filter *insns, size_t len,
		      unsigned long flags)
{
	struct seccomp_filter *nf = realloc(p->f, (p->n + 1) * sizeof(*nf));

	if (nf == NULL)
		return -ENOMEM;
	p->f = nf;
	p->f[p->n++] = (struct seccomp_filter){ insns, (unsigned short)len, flags };
	return 0;
}

static int read_file_filter(struct seccomp_plan *p, const char *path, struct rterr *e)
{
	struct stat st;
	struct sock_filter *insns;
	int fd = open_regular(path, false);
	ssize_t got;

	if (fd == -EMEDIUMTYPE)
		return rterr_set(e, 0, "seccomp: %s: not a regular file", path);
	if (fd < 0)
		return rterr_set(e, -fd, "seccomp: %s", path);
	if (fstat(fd, &st) < 0 || st.st_size % (off_t)sizeof(*insns) != 0 ||
	    st.st_size > BPF_MAXINSNS * (off_t)sizeof(*insns) || st.st_size == 0) {
		close(fd);
		return rterr_set(e, 0,
				 "seccomp: %s: %lld bytes: not 1 to %d BPF instructions of %zu",
				 path, (long long)st.st_size, BPF_MAXINSNS, sizeof(*insns));
	}
	if ((insns = malloc((size_t)st.st_size)) == NULL) {
		close(fd);
		return rterr_set(e, ENOMEM, "seccomp: %s", path);
	}
	got = read(fd, insns, (size_t)st.st_size);
	close(fd);
	if (got != st.st_size || seccomp_check(insns, (size_t)got / sizeof(*insns), path, e) < 0 ||
	    add_filter(p, insns, (size_t)got / sizeof(*insns), 0) < 0) {
		if (got != st.st_size)
			rterr_set(e, got < 0 ? errno : EIO, "seccomp: read %s", path);
		free(insns);
		return -1;
	}
	return 0;
}

/* One filter of the stopped tracee: index 0 is the newest. */
static int get_filter(pid_t tid, unsigned long idx, struct seccomp_plan *p, struct rterr *e)
{
	struct metadata md = { idx, 0 };
	long n = ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)idx, NULL);
	struct sock_filter *insns;

	if (n <= 0)
		return rterr_set(e, n < 0 ? errno : EINVAL,
				 "seccomp: copy the target's filter %lu: ptrace", idx);
	if ((insns = calloc((size_t)n, sizeof(*insns))) == NULL)
		return rterr_set(e, ENOMEM, "seccomp: copy the target's filters");
	if (ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)idx, insns) != n ||
	    ptrace(PTRACE_SECCOMP_GET_METADATA, tid, (void *)sizeof(md), &md) < 0) {
		free(insns);
		return rterr_set(e, errno, "seccomp: copy the target's filter %lu: ptrace", idx);
	}
	if (add_filter(p, insns, (size_t)n, (unsigned long)md.flags & SECCOMP_FILTER_FLAG_LOG) <
	    0) {
		free(insns);
		return rterr_set(e, ENOMEM, "seccomp: copy the target's filters");
	}
	return 0;
}

/* The target's main thread, seized and interrupted: PTRACE_SECCOMP_GET_FILTER wants it in
 * a ptrace-stop. It stops for the N ptrace calls that read N filters and is let go; should
 * rtexec die meanwhile, the kernel detaches it and it runs on (exit_ptrace). */
static int copy_filters(const struct target *t, unsigned count, struct seccomp_plan *p,
			struct rterr *e)
{
	pid_t tid = t->pid;
	int st, r = 0;

	if (ptrace(PTRACE_SEIZE, tid, NULL, NULL) < 0)
		return rterr_set(e, errno, "seccomp: copy the target's filters: ptrace seize %d",
				 (int)tid);
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) < 0) {
		r = rterr_set(e, errno, "seccomp: copy the target's filters: ptrace interrupt");
		goto detach;
	}
	while (waitpid(tid, &st, __WALL) < 0)
		if (errno != EINTR) {
			r = rterr_set(e, errno, "seccomp: copy the target's filters: wait");
			goto detach;
		}
	if (!WIFSTOPPED(st)) {
		return rterr_set(e, 0, "seccomp: copy the target's filters: target %d exited",
				 (int)tid);
	}
	/* Oldest first: the newest filter is index 0. */
	for (unsigned i = count; i > 0 && r == 0; i--)
		r = get_filter(tid, i - 1, p, e);
detach:
	if (ptrace(PTRACE_DETACH, tid, NULL, NULL) < 0 && r == 0)
		r = rterr_set(e, errno, "seccomp: copy the target's filters: ptrace detach");
	return r;
}

static int inherit(const struct target *t, const struct target_confinement *tc,
		   struct seccomp_plan *p, struct rterr *e)
{
	if (tc->seccomp_mode == 1)
		return rterr_set(e, 0,
				 "seccomp: the target runs in strict mode, which cannot be "
				 "copied (give \"seccomp\": \"none\" or a filter file)");
	if (tc->seccomp_mode != 2 || tc->seccomp_filters == 0)
		return 0;
	if (copy_filters(t, tc->seccomp_filters, p, e) < 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		char what[48];
		fmt_snprintf(what, sizeof(what), "the target's filter %zu", i);
		if (seccomp_check(p->f[i].insns, p->f[i].len, what, e) < 0)
			return -1;
	}
	/* Still the target: the pid was not reused while it was seized. */
	return target_check(t, e);
}

int seccomp_resolve(const struct seccomp_request *r, const struct target *t,
		    const struct target_confinement *tc, struct seccomp_plan *p, struct rterr *e)
{
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->mode = r->mode;
	p->path = r->path;
	if (r->mode == SECCOMP_FILE)
		rc = read_file_filter(p, r->path, e);
	else if (r->mode == SECCOMP_INHERIT)
		rc = inherit(t, tc, p, e);
	if (rc < 0)
		seccomp_plan_free(p);
	return rc;
}

int seccomp_install(const struct seccomp_plan *p, struct rterr *e)
{
	for (size_t i = 0; i < p->n; i++) {
		struct sock_fprog prog = { p->f[i].len, p->f[i].insns };

		if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->f[i].flags, &prog) == 0)
			continue;
		/* Before Linux 3.17: prctl, without flags. */
		if (errno == ENOSYS && prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) == 0)
			continue;
		return rterr_set(e, errno, "seccomp: install filter %zu of %zu", i + 1, p->n);
	}
	return 0;
}

void seccomp_plan_free(struct seccomp_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->f[i].insns);
	free(p->f);
	p->f = NULL;
	p->n = 0;
}
