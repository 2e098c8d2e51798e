/* Syscalls musl 1.2.3 has no wrapper for, and fork and the clock, whose wrappers rtexec does
 * without. Each returns -1 with errno set, ENOSYS included, and every caller has a fallback
 * for ENOSYS (tested by running under a seccomp filter that answers ENOSYS, see
 * test/helpers/nosys.c); the clock falls back to the vDSO itself. */
#ifndef RTEXEC_SYSCALLS_H
#define RTEXEC_SYSCALLS_H
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <linux/openat2.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE _IO(0xb7, 0x3)
#endif

static inline int sys_pidfd_open(pid_t pid, unsigned flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif
static inline int sys_pidfd_send_signal(int pidfd, int sig, void *info, unsigned flags)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, info, flags);
}

/* linux/sched.h's struct clone_args, declared here: that header clashes with musl's sched.h. */
struct rt_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
		set_tid_size, cgroup;
};

/* Without a stack, clone3 returns twice like fork. */
static inline pid_t sys_clone3(struct rt_clone_args *args)
{
	return (pid_t)syscall(SYS_clone3, args, sizeof(*args));
}

/* fork(2) without musl's wrapper, whose child-side repairs (thread id, locks, atfork) serve
 * threads and stdio that rtexec does not have; the child of sys_clone3 above goes without
 * them too. (musl's fork costs 1.3 KiB of lock code.) SYS_fork where the architecture has
 * it (as musl does); else clone with SIGCHLD first, which is its flags argument on those
 * (aarch64, riscv64: not s390, whose clone takes the stack first, but it has SYS_fork). */
static inline pid_t sys_fork(void)
{
#ifdef SYS_fork
	return (pid_t)syscall(SYS_fork);
#else
	return (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
#endif
}

/* linux/sched/types.h's struct sched_attr (that header clashes with musl's sched_param). */
struct rt_sched_attr {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

static inline int sys_sched_setattr(pid_t pid, struct rt_sched_attr *attr, unsigned flags)
{
	return (int)syscall(SYS_sched_setattr, pid, attr, flags);
}

/* capset(2) with _LINUX_CAPABILITY_VERSION_3: two 32-bit halves of each set. */
struct rt_cap_header {
	uint32_t version;
	int pid;
};
struct rt_cap_data {
	uint32_t effective, permitted, inheritable;
};
#define RT_CAP_VERSION_3 0x20080522

static inline int sys_capget(struct rt_cap_header *h, struct rt_cap_data d[2])
{
	return (int)syscall(SYS_capget, h, d);
}

static inline int sys_capset(struct rt_cap_header *h, struct rt_cap_data d[2])
{
	return (int)syscall(SYS_capset, h, d);
}

/* ioprio_set(IOPRIO_WHO_PROCESS, pid, class << 13 | level) */
static inline int sys_ioprio_set_process(pid_t pid, int cls, int level)
{
	return (int)syscall(SYS_ioprio_set, 1, pid, cls << 13 | level);
}

/* open and openat in one syscall: musl follows each O_CLOEXEC open with an fcntl(F_SETFD)
 * for kernels before 2.6.23, some 20 syscalls of rtexec's path for nothing. */
static inline int sys_open(const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

static inline int sys_openat(int dirfd, const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, dirfd, path, flags, mode);
}

/* The credential calls without musl's all-threads broadcast (six rt_sigprocmask per join):
 * only for the child, which has one thread. */
static inline int sys_setgroups(size_t n, const gid_t *groups)
{
	return (int)syscall(SYS_setgroups, n, groups);
}

static inline int sys_setresgid(gid_t gid)
{
	return (int)syscall(SYS_setresgid, gid, gid, gid);
}

static inline int sys_setresuid(uid_t uid)
{
	return (int)syscall(SYS_setresuid, uid, uid, uid);
}

/* keyctl(KEYCTL_JOIN_SESSION_KEYRING, name): a new session keyring (name NULL), or the one
 * of that name in the caller's user namespace (created if none). Not in musl. */
static inline int sys_join_session_keyring(const char *name)
{
	return (int)syscall(SYS_keyctl, 1, name);
}

/* setrlimit without musl's all-threads broadcast (rtexec never starts a thread), which brings
 * 2 KiB of thread synchronisation into the binary. */
static inline int sys_setrlimit(int resource, const struct rlimit *rl)
{
	return (int)syscall(SYS_prlimit64, 0, resource, rl, NULL);
}

/* faccessat with flags 0, without musl's AT_EACCESS emulation (a forked helper). */
static inline int sys_faccessat(int dirfd, const char *path, int mode)
{
	return (int)syscall(SYS_faccessat, dirfd, path, mode);
}

#ifndef SYS_faccessat2
#define SYS_faccessat2 439
#endif
/* faccessat2 with AT_EACCESS (Linux 5.8): the check execve makes, with the effective ids and
 * capabilities, where access() takes the real ids and replaces the capabilities (none for a
 * uid other than 0, the permitted set for 0). musl's faccessat may emulate the flag. */
static inline int sys_eaccess(const char *path, int mode)
{
	return (int)syscall(SYS_faccessat2, AT_FDCWD, path, mode, AT_EACCESS);
}

/* A signal's default action, without musl's sigaction (1 KiB with its locks): the kernel's
 * struct sigaction differs from libc's and between architectures, but all zeros is the
 * default action, no flags and an empty mask in each of them. */
static inline int sys_signal_default(int sig)
{
	static const unsigned long zeros[16];

	return (int)syscall(SYS_rt_sigaction, sig, zeros, NULL, _NSIG / 8);
}

/* SIG_IGN (1) likewise, the handler being the first word of the kernel's struct sigaction on
 * every architecture rtexec builds for (not MIPS): setting it discards what is pending of
 * that signal. */
static inline int sys_signal_ignore(int sig)
{
	static const unsigned long ign[16] = { 1 };

	return (int)syscall(SYS_rt_sigaction, sig, ign, NULL, _NSIG / 8);
}

static inline int sys_close_range(unsigned first, unsigned last, unsigned flags)
{
	return (int)syscall(SYS_close_range, first, last, flags);
}

static inline int sys_openat2(int dirfd, const char *path, const struct open_how *how)
{
	return (int)syscall(SYS_openat2, dirfd, path, how, sizeof(*how));
}

/* clock_gettime as a plain syscall: musl's goes through the vDSO, whose first use parses the
 * vDSO's ELF tables and faults in two of its pages, on the path between the fork and the
 * child's first step (the child mostly starts on its parent's CPU, when the parent waits).
 * rtexec reads the clock a few times a run (the watch while it waits for the exec). The
 * vDSO's only where a seccomp filter of the caller's refuses the syscall. */
static inline void sys_clock_gettime(clockid_t clock, struct timespec *ts)
{
	if (syscall(SYS_clock_gettime, clock, ts) < 0)
		clock_gettime(clock, ts);
}

/* The monotonic clock in ms: the deadlines of the seccomp copy, the exec watch, the pty drain. */
static inline long long sys_now_ms(void)
{
	struct timespec ts = { 0, 0 };

	sys_clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

#endif
