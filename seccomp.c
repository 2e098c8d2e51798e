#include "seccomp.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/time.h>
#include <time.h>
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
#include "syscalls.h"

#ifndef PTRACE_SECCOMP_GET_FILTER
#define PTRACE_SECCOMP_GET_FILTER 0x420c
#define PTRACE_SECCOMP_GET_METADATA 0x420d
#endif
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif
#define SECCOMP_DATA_SIZE 64 /* sizeof(struct seccomp_data) */
#define STOP_STEP_MS 100     /* how often a target slow to stop is checked on */
#define STOP_WAIT_MS 1000    /* how long it may take */
#define STOP_FAILED                                                                         \
	"seccomp: copy the target's filters: target %d does not stop for ptrace (it waits " \
	"uninterruptibly: a vfork, a file system?); give \"seccomp\": \"none\" or a filter file"

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

/* One filter of the stopped tracee. Index 0 is the OLDEST (the kernel's get_nth_filter counts
 * from the first installed), which is the order to install them in. 1: there is no filter
 * idx (the end of the list). */
static int get_filter(pid_t tid, unsigned long idx, struct seccomp_plan *p, struct rterr *e)
{
	struct metadata md = { idx, 0 };
	long n = ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)idx, NULL);
	struct sock_filter *insns;

	if (n < 0 && errno == ENOENT)
		return 1;
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

/* The seized thread, interrupted, until it is in a ptrace-stop; *st: its wait status. A
 * thread in a wait that no signal breaks (a vfork parent whose child does not exec, a file
 * system's request, a v1 freezer) stops only when that wait ends: rtexec waits for the stop's
 * SIGCHLD (blocked meanwhile) in steps of STOP_STEP_MS, asking c->check after each whether
 * the container was paused, and gives up after STOP_WAIT_MS. 0: stopped; 1: it exited. */
static int wait_stop(pid_t tid, const struct seccomp_copy *c, int *st, struct rterr *e)
{
	long long deadline = sys_now_ms() + STOP_WAIT_MS;
	sigset_t chld, old;
	int r = 2;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, &old);
	if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) < 0)
		r = rterr_set(e, errno, "seccomp: copy the target's filters: ptrace interrupt");
	/* By the clock, not by quiet steps: a container whose init stops and continues over and
	 * over (a SIGCHLD to rtexec, its tracer, each time, with no stop to wait for) must not
	 * hold rtexec past the deadline, nor keep the paused check from running. */
	long long next_check = sys_now_ms() + STOP_STEP_MS;
	while (r == 2) {
		pid_t w = waitpid(tid, st, __WALL | WNOHANG);
		long long now;

		if (w == tid) {
			r = WIFSTOPPED(*st) ? 0 : 1;
			break;
		}
		if (w < 0 && errno != EINTR) {
			r = rterr_set(e, errno, "seccomp: copy the target's filters: wait");
			break;
		}
		if ((now = sys_now_ms()) >= next_check) {
			next_check = now + STOP_STEP_MS;
			if (c->check && c->check(c->ctx, e) < 0) {
				r = -1;
				break;
			}
		}
		if (now >= deadline) {
			r = rterr_set(e, 0, STOP_FAILED, (int)tid);
			break;
		}
		if (w == 0) {
			long long left = deadline - now < STOP_STEP_MS ? deadline - now
								       : STOP_STEP_MS;
			struct timespec step = { 0, left * 1000000L };

			sigtimedwait(&chld, NULL, &step);
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return r;
}

static sigjmp_buf seize_jump;

static void seize_timeout(int sig)
{
	(void)sig;
	siglongjmp(seize_jump, 1);
}

/* PTRACE_SEIZE takes the target's exec lock (cred_guard_mutex), which an init stuck in its
 * execve holds for as long as that lasts: for ever where a thread of it is traced by a
 * process that never reaps it, or where the file is on a FUSE mount that does not answer.
 * The kernel restarts the call after any signal handler (ERESTARTNOINTR), so a 1 s timer
 * jumps out of it. SIGALRM is blocked while the handler is set up, and a pending one (the
 * caller's, through exec) taken first; the caller's timer is put back after. */
static int seize(pid_t tid)
{
	struct sigaction sa = { .sa_handler = seize_timeout }, old_sa;
	struct itimerval it = { .it_value = { 1, 0 } };
	static struct itimerval old_it; /* static: set after sigsetjmp, read after the jump */
	struct timespec now = { 0, 0 };
	sigset_t alrm, old_mask;
	volatile int r = -1, err = ETIMEDOUT, pending;

	sigemptyset(&alrm);
	sigaddset(&alrm, SIGALRM);
	sigemptyset(&sa.sa_mask);
	sigprocmask(SIG_BLOCK, &alrm, &old_mask);
	pending = sigtimedwait(&alrm, NULL, &now) == SIGALRM;
	sigaction(SIGALRM, &sa, &old_sa);
	if (sigsetjmp(seize_jump, 1) == 0) {
		setitimer(ITIMER_REAL, &it, &old_it);
		sigprocmask(SIG_UNBLOCK, &alrm, NULL);
		r = (int)ptrace(PTRACE_SEIZE, tid, NULL, NULL);
		err = errno;
	}
	sigprocmask(SIG_BLOCK, &alrm, NULL);
	setitimer(ITIMER_REAL, &old_it, NULL);
	sigaction(SIGALRM, &old_sa, NULL);
	if (pending)
		raise(SIGALRM); /* the caller's, blocked again: for the signalfd to forward */
	sigprocmask(SIG_SETMASK, &old_mask, NULL);
	errno = err;
	return r;
}

/* The target's main thread, seized and interrupted: PTRACE_SECCOMP_GET_FILTER wants it in
 * a ptrace-stop. It stops for the ptrace calls that read its filters and is let go; should
 * rtexec die or give up meanwhile, the kernel detaches it and it runs on (exit_ptrace, which
 * also drops the interrupt still pending). The filters are counted once it is stopped,
 * reading up to the first index it has not: one added since the status was read is copied
 * too. Its NoNewPrivs is then read again, with the filters' number, into tc: the filters and
 * NoNewPrivs of one moment (read when planned, an init that set NoNewPrivs and added a
 * filter in between gave the command that filter without NoNewPrivs: a setuid program
 * under a filter meant for a process that cannot gain privileges). Stopped, the thread
 * changes neither itself, but another thread's SECCOMP_FILTER_FLAG_TSYNC gives it both, the
 * filter, its count and NoNewPrivs under the thread group's siglock, which each filter read
 * takes too: a filter copied came with a NoNewPrivs the status read after it shows. One
 * that came after the copy shows as a filter at the index that ended it, asked for again
 * after the status read: then the copy is made again (COPY_ROUNDS times at most, then
 * refused). This needs no filter count (before Linux 5.9 the status has none, and 5.9 to
 * 5.13 without the stable fix left it stale after a TSYNC). A signal that came for it
 * meanwhile (a signal-delivery-stop) is handed back at the detach, not lost. */
#define COPY_ROUNDS 3
static int copy_filters(const struct target *t, struct target_confinement *tc,
			const struct seccomp_copy *c, struct seccomp_plan *p, struct rterr *e)
{
	pid_t tid = t->pid;
	int st, r, sig;

	if (seize(tid) < 0) {
		int err = errno;
		return rterr_set(e, err, "seccomp: copy the target's filters: ptrace seize %d%s",
				 (int)tid, err == ETIMEDOUT ? " (stuck in an execve?)" : "");
	}
	/* Seized by its number: still the target (not a process that took its pid since)?
	 * Else let go before the interrupt. */
	if (target_check(t, e) < 0) {
		ptrace(PTRACE_DETACH, tid, NULL, NULL);
		return -1;
	}
	if ((r = wait_stop(tid, c, &st, e)) != 0)
		return r < 0 ? -1
			     : rterr_set(e, 0,
					 "seccomp: copy the target's filters: target %d exited",
					 (int)tid);
	sig = (st >> 16) == 0 ? WSTOPSIG(st) : 0;
	for (int round = 1;; round++) {
		long more;

		r = 0;
		for (unsigned long i = 0; r == 0; i++)
			r = get_filter(tid, i, p, e);
		if (r < 0 || (r = confinement_read_seccomp(t, tc, e)) < 0)
			break;
		/* nothing added since the copy: the NoNewPrivs read is the copied filters' */
		if ((more = ptrace(PTRACE_SECCOMP_GET_FILTER, tid, (void *)p->n, NULL)) < 0 &&
		    errno == ENOENT)
			break;
		if (more < 0) {
			r = rterr_set(e, errno, "seccomp: copy the target's filter %zu: ptrace",
				      p->n);
			break;
		}
		if (round == COPY_ROUNDS) {
			r = rterr_set(e, 0,
				      "seccomp: copy the target's filters: a filter added during "
				      "each of %d copies",
				      round);
			break;
		}
		seccomp_plan_free(p);
	}
	if (ptrace(PTRACE_DETACH, tid, NULL, (void *)(long)sig) < 0 && r == 0)
		r = rterr_set(e, errno, "seccomp: copy the target's filters: ptrace detach");
	return r < 0 ? -1 : 0;
}

static int inherit(const struct target *t, struct target_confinement *tc,
		   const struct seccomp_copy *c, struct seccomp_plan *p, struct rterr *e)
{
	if (tc->seccomp_mode == 1)
		return rterr_set(e, 0,
				 "seccomp: the target runs in strict mode, which cannot be "
				 "copied (give \"seccomp\": \"none\" or a filter file)");
	/* Mode 2 has at least one filter; kernels before 5.9 do not print their number. */
	if (tc->seccomp_mode != 2)
		return 0;
	if (c->dry_run) {
		p->unread = true;
		p->counted = tc->seccomp_filters;
		return 0;
	}
	if (copy_filters(t, tc, c, p, e) < 0)
		return -1;
	if (p->n == 0 || p->n < tc->seccomp_filters)
		return rterr_set(e, 0, "seccomp: copy the target's filters: %u counted, %zu read",
				 tc->seccomp_filters, p->n);
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
		    struct target_confinement *tc, const struct seccomp_copy *c,
		    struct seccomp_plan *p, struct rterr *e)
{
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->mode = r->mode;
	p->path = r->path;
	if (r->mode == SECCOMP_FILE)
		rc = read_file_filter(p, r->path, e);
	else if (r->mode == SECCOMP_INHERIT)
		rc = inherit(t, tc, c, p, e);
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
