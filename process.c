#include "process.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env.h"
#include "fmt.h"
#include "fsutil.h"
#include "sync.h"
#include "syscalls.h"
#include "tty.h"

static void fail(const struct child_args *a, int status, const struct rterr *e) NORETURN;
static void fail(const struct child_args *a, int status, const struct rterr *e)
{
	sync_send_failure(a->sync_fd, status, e);
	_exit(status);
}

/* Armed at birth and again after every credential change (setns into a user namespace,
 * setuid), which resets both the parent-death signal and, where fs.suid_dumpable is not 0,
 * dumpability.
 * Non-dumpable: no process of the container may ptrace us or open /proc/PID/exe, fd/ or
 * mem before exec (CVE-2016-9962, CVE-2019-5736).
 * The parent half lives outside the container's pid namespace, where getppid() says 0: its
 * end of the sync channel hanging up is what tells that it died. */
static void harden(const struct child_args *a)
{
	struct pollfd p = { .fd = a->sync_fd, .events = POLLRDHUP };

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (prctl(PR_SET_DUMPABLE, 0) < 0 || poll(&p, 1, 0) != 0)
		_exit(EXIT_RTEXEC);
}

/* The signals the caller ignores (kept across its exec of rtexec: a script's background job
 * ignores SIGINT and SIGQUIT, python and systemd services SIGPIPE) are its own: the command
 * starts with every signal at its default, as from runc. (The parent does not forward
 * them: nohup rtexec ... still outlives a hangup.) */
static void reset_ignored_signals(uint64_t ignored)
{
	/* SIG_IGN once more first: one that came while ignored is still pending (blocked), and
	 * would kill the command at its exec; setting SIG_IGN discards it. */
	for (int sig = 1; sig <= 64; sig++)
		if (ignored & 1ULL << (sig - 1) && sig != SIGKILL && sig != SIGSTOP) {
			sys_signal_ignore(sig);
			sys_signal_default(sig);
		}
}

/* Where close_range is missing: one past the highest fd open at birth, taken before the
 * config's RLIMIT_NOFILE may lower the soft limit below fds that are open (which a loop up to
 * that limit would then miss), through the host's /proc. */
static unsigned fd_bound;

static void note_fd_bound(int procfs)
{
	struct rlimit rl;
	struct dirent *d;
	DIR *dir = NULL;
	int dfd;

	if (sys_close_range(~0U, ~0U, 0) == 0 || errno != ENOSYS)
		return;
	/* The host's /proc: the container's could hide fds from the count. */
	if ((dfd = sys_openat(procfs, "self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0)) >= 0 &&
	    (dir = fdopendir(dfd)) == NULL)
		close(dfd);
	if (dir != NULL) {
		while ((d = readdir(dir)) != NULL) {
			unsigned long long fd;
			if (str_u64(d->d_name, 10, &fd, NULL) == 0 && fd + 1 > fd_bound &&
			    fd < (1UL << 30))
				fd_bound = (unsigned)fd + 1;
		}
		closedir(dir);
		return;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_max > (1 << 20))
		rl.rlim_max = 1 << 20;
	fd_bound = (unsigned)rl.rlim_max;
}

static int close_range_fallback(unsigned first, unsigned last)
{
	for (unsigned long fd = first; fd <= last && fd < fd_bound; fd++)
		close((int)fd);
	return 0;
}

/* No fd of rtexec's or of its caller's but 0-2, the preserved ones and the sync channel
 * (close-on-exec) stays open: a leaked directory fd is a way out (CVE-2024-21626). */
static int close_fds(const struct child_args *a, struct rterr *e)
{
	unsigned keep_end = 3 + a->preserve_fds, s = (unsigned)a->sync_fd;

	if (s > keep_end && sys_close_range(keep_end, s - 1, 0) < 0) {
		if (errno != ENOSYS)
			return rterr_set(e, errno, "close fds");
		close_range_fallback(keep_end, s - 1);
	}
	if (sys_close_range(s + 1, ~0U, 0) < 0) {
		if (errno != ENOSYS)
			return rterr_set(e, errno, "close fds");
		close_range_fallback(s + 1, ~0U);
	}
	return 0;
}

/* The files the child opens in the container (its devpts, its passwd) are opened as the
 * container's root opens them (as runc's init does), not with the caller's ids and groups:
 * in a user namespace those still own every host-root file the container can see (its
 * passwd could point at one of mode 0600), and a pty made by them belongs to a uid the
 * namespace does not map (no chown to the command's). Where the user namespace maps no 0
 * (the calls fail without a word: check them), the command's own ids. True where either
 * took; the switch of user sets all of them again. */
static bool fs_ids_of_container(const struct process_request *p)
{
	sys_setgroups(0, NULL);
	setfsgid(0);
	setfsuid(0);
	if (setfsuid((uid_t)-1) == 0 && setfsgid((gid_t)-1) == 0)
		return true;
	setfsgid(p->gid);
	setfsuid(p->uid);
	return setfsuid((uid_t)-1) == (int)p->uid && setfsgid((gid_t)-1) == (int)p->gid;
}

/* HOME from the root, not the cwd: without the mount namespace joined, the cwd is still the
 * caller's and its etc/passwd is none of the container's business. Not where neither the
 * container's root's nor the command's ids could be taken (as): HOME is "/". */
static int build_env(const struct process_request *p, bool as, char ***env)
{
	struct env_request r = { p->env, p->nenv, p->uid };
	int root, err;

	root = as ? sys_open("/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0) : -1;

	err = env_build(&r, root, true, env);
	if (root >= 0)
		close(root);
	return err;
}

/* The groups and the gid: before any seccomp filter of the container's is installed, so
 * that none can answer for them (the uid comes after it: installing one without no_new_privs
 * needs CAP_SYS_ADMIN, which the switch of uid takes away). */
static int set_groups(const struct process_request *p, struct rterr *e)
{
	/* Without this the host's supplementary groups of root would reach the container. */
	if (sys_setgroups(p->ngroups, p->groups) < 0 &&
	    !(errno == EPERM && p->ngroups == 0 && getgroups(0, NULL) == 0))
		return rterr_set(e, errno, "setgroups");
	if (sys_setresgid(p->gid) < 0)
		return rterr_set(e, errno, "setgid %u", (unsigned)p->gid);
	return 0;
}

/* add_key and request_key refused (ENOSYS, EPERM) for this process and so for the command:
 * the probes' arguments are invalid, so where they are allowed they fail otherwise. */
static bool keys_refused(void)
{
	long a = syscall(SYS_add_key, "", NULL, NULL, 0, 0);
	int ea = errno;
	long r = syscall(SYS_request_key, "", NULL, NULL, 0);
	int er = errno;

	return a < 0 && r < 0 && (ea == ENOSYS || ea == EPERM) && (er == ENOSYS || er == EPERM);
}

/* The caller's session keyring never reaches the command (its keys are the host's): a new
 * one, or the container's by name, as runc does. Inside the container's user namespace (a
 * name is looked up there), before any seccomp filter of its (which may refuse keyctl).
 * ENOSYS: a kernel without keys; EPERM: a seccomp filter around rtexec refuses keyctl
 * (Docker's default, a pod's RuntimeDefault), which the command inherits: where it refuses
 * add_key and request_key too, the command cannot reach the caller's keys either. */
static int join_keyring(const struct process_request *p, struct rterr *e)
{
	int err;

	if (p->keep_keyring || sys_join_session_keyring(p->keyring) >= 0)
		return 0;
	/* Refused (or not there): the caller's keyring stays, harmless only where the command
	 * cannot reach keys at all: add_key and request_key refused too (a probe each). */
	err = errno;
	if ((err == ENOSYS || err == EPERM) && keys_refused())
		return 0;
	errno = err;
	return rterr_set(e, errno, "join a session keyring %s", p->keyring ? p->keyring : "(new)");
}

/* After a seccomp filter of the container was installed before the switch of uid (its init
 * has no no_new_privs): the filter could have answered setresuid with a success that did
 * nothing (SECCOMP_RET_ERRNO|0), leaving the command host root. What the kernel holds is
 * read back into buffers filled with a sentinel, which no filter can write. */
static int verify_uid(const struct process_request *p, struct rterr *e)
{
	uid_t u[3] = { ~p->uid, ~p->uid, ~p->uid }; /* sentinels: never the right value */

	if (getresuid(&u[0], &u[1], &u[2]) < 0)
		return rterr_set(e, errno, "read back the credentials");
	for (int i = 0; i < 3; i++)
		if (u[i] != p->uid)
			return rterr_set(e, 0,
					 "user %u: not set (the container's seccomp filter "
					 "answered for the switch)",
					 (unsigned)p->uid);
	return 0;
}

/* The cwd must be inside the container: a path through a leaked fd or a directory outside
 * the root shows up in getcwd as unreachable (CVE-2024-21626). Not inlined: its PATH_MAX
 * buffer would sit in child_main's frame, under which every other step runs. */
static __attribute__((noinline)) int enter_cwd(const struct process_request *p, struct rterr *e)
{
	const char *cwd = p->cwd ? p->cwd : "/";
	char buf[PATH_MAX];

	if (chdir(cwd) < 0)
		return rterr_set(e, errno, "chdir %s", cwd);
	if (getcwd(buf, sizeof(buf)) == NULL || buf[0] != '/')
		return rterr_set(e, errno ? errno : ENOENT, "chdir %s: outside the container", cwd);
	return 0;
}

/* The command runs from here on: no parent-death signal, the caller's signal mask; the parent
 * is told, so that EOF then means the exec succeeded (preserved fds came from the caller
 * without close-on-exec, rtexec's placeholders on unused numbers close on exec). */
static void prepare_exec(const struct child_args *a)
{
	prctl(PR_SET_PDEATHSIG, 0);
	sigprocmask(SIG_SETMASK, a->mask, NULL);
	sync_send(a->sync_fd, SYNC_EXEC);
}

/* The PATH entry from p to end joined with name into file (PATH_MAX bytes), as execvp joins
 * them (an empty entry: name alone). Its length: PATH_MAX or more where it does not fit. */
static size_t path_join(char *file, const char *p, const char *end, const char *name)
{
	return (size_t)fmt_snprintf(file, PATH_MAX, "%.*s%s%s", (int)(end - p), p,
				    end == p ? "" : "/", name);
}

/* As execvp: ENOENT and ENOTDIR try the next PATH entry, EACCES too but is remembered,
 * anything else stops the search. Returns the errno that decides 126 or 127. */
static __attribute__((noinline)) int search_exec(const char *name, const char *path, char **argv,
						 char **env)
{
	char file[PATH_MAX];
	bool eacces = false;

	for (const char *p = path, *end;; p = end + 1) {
		end = strchrnul(p, ':');
		if (path_join(file, p, end, name) < sizeof(file)) {
			execve(file, argv, env);
			if (errno == EACCES)
				eacces = true;
			else if (errno != ENOENT && errno != ENOTDIR)
				return errno;
		}
		if (*end == '\0')
			return eacces ? EACCES : ENOENT;
	}
}

/* The container's seccomp filters as late as they can go: with no_new_privs, last before
 * execve, so that none of rtexec's own steps meet them; without it, installing one needs
 * CAP_SYS_ADMIN, so before the uid switch and the capabilities drop (as runc does), and the
 * filter must then allow setgroups, setresuid, capset, prctl, chdir, sched_setaffinity and
 * execve, as a container's own does for its runtime. */
static bool install_seccomp(const struct child_args *a, bool late)
{
	struct rterr e;

	if (late != a->attrs->no_new_privs)
		return false;
	if (seccomp_install(a->seccomp, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	return a->seccomp->n > 0;
}

/* A failed exec in the words the parent reports: 127 for a command not found, else 126. */
static void exec_failed(const struct child_args *a, const char *name, const char *path,
			int err) NORETURN;
static void exec_failed(const struct child_args *a, const char *name, const char *path, int err)
{
	struct rterr e;

	if (err == ENOENT && !strchr(name, '/')) {
		rterr_set(&e, 0, "exec %s: command not found in PATH %s", name, path);
		fail(a, EXIT_NOT_FOUND, &e);
	}
	rterr_set(&e, err, "exec %s", name);
	fail(a, err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC, &e);
}

/* What execve would make of file, as far as can be told without it: 0 for a regular file
 * with an execute bit (*may: this process may run it, as execve checks it: its effective
 * ids and capabilities; before Linux 5.8, access(), which may differ where a capability
 * decides), else the errno. */
static int runnable(const char *file, bool *may)
{
	struct stat st;
	int r;

	if (stat(file, &st) < 0)
		return errno;
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		return EACCES;
	if ((r = sys_eaccess(file, X_OK)) < 0 && errno == ENOSYS)
		r = access(file, X_OK);
	*may = r == 0;
	return 0;
}

/* The file execvp's search would run (into file, PATH_MAX bytes): the first it may run, else
 * the first with an execute bit (execve decides). 0, or the errno of the search: EACCES
 * where something was found but nothing runnable, else ENOENT, or an error that stops it. */
static int find_command(const char *name, const char *path, char *file)
{
	char buf[PATH_MAX];
	bool found = false, eacces = false, may = false;
	int err;

	if (strchr(name, '/'))
		return (size_t)fmt_snprintf(file, PATH_MAX, "%s", name) >= PATH_MAX
			       ? ENAMETOOLONG
			       : runnable(name, &may);
	for (const char *p = path, *end;; p = end + 1) {
		end = strchrnul(p, ':');
		size_t n = path_join(buf, p, end, name);
		if (n < sizeof(buf)) {
			err = runnable(buf, &may);
			if (err == 0 && (may || !found)) {
				memcpy(file, buf, n + 1);
				found = true;
				if (may)
					return 0;
			} else if (err == EACCES) {
				eacces = true;
			} else if (err && err != ENOENT && err != ENOTDIR) {
				return found ? 0 : err; /* execvp stops here: its first try first */
			}
		}
		if (*end == '\0')
			return found ? 0 : eacces ? EACCES : ENOENT;
	}
}

/* Under a filter of the container's installed last (no_new_privs), a failure after it may
 * not reach the parent (a filter refusing sendto silences the report, and the run read as an
 * exec): the command is looked up first, as runc does, so that only the execve itself comes
 * after the filter. Costs a stat and a faccessat2 per PATH entry tried. */
static __attribute__((noinline)) void exec_filtered(const struct child_args *a, const char *path,
						    char **env)
{
	char file[PATH_MAX];
	char **argv = a->proc->args;
	int err = find_command(argv[0], path, file);

	if (err)
		exec_failed(a, argv[0], path, err);
	install_seccomp(a, true);
	execve(file, argv, env);
	exec_failed(a, argv[0], path, errno);
}

static void exec_command(const struct child_args *a, char **env) NORETURN;
static void exec_command(const struct child_args *a, char **env)
{
	char **argv = a->proc->args;
	const char *path = env_get(env, "PATH"), *name = argv[0];
	int err;

	if (path == NULL)
		path = DEFAULT_PATH + 5;
	if (a->attrs->no_new_privs && a->seccomp->n > 0)
		exec_filtered(a, path, env);
	if (strchr(name, '/')) {
		execve(name, argv, env);
		err = errno;
	} else {
		err = search_exec(name, path, argv, env);
	}
	exec_failed(a, name, path, err);
}

/* Last: the final affinity, then (SCHED_DEADLINE needs the full mask) the scheduler, which
 * the parent applies when one is set. */
static void final_placement(const struct child_args *a)
{
	struct rterr e;

	if (placement_apply_final(a->placement, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	if (a->assisted &&
	    (sync_send(a->sync_fd, SYNC_READY) < 0 || sync_expect(a->sync_fd, SYNC_GO) < 0))
		_exit(EXIT_RTEXEC);
}

/* A pty of the container's own, now that its mount namespace is ours; the caller's stdio
 * is replaced by its slave, its master goes to the parent. */
static void open_terminal(const struct child_args *a)
{
	struct rterr e;
	int master, r;

	if (tty_child_open(a->proc->uid, a->proc->rows, a->proc->cols, &master, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	r = sync_send_fd(a->sync_fd, SYNC_PTY, master);
	close(master);
	if (r < 0)
		_exit(EXIT_RTEXEC);
}

void child_main(const struct child_args *a)
{
	const struct process_request *p = a->proc;
	struct rterr e;
	char **env;
	bool filtered, as;
	struct attrs_proc proc;

	/* The caller's terminal is dropped first of all (tty.h); the child's log lines go
	 * through the parent from here (the child's stderr is no longer the caller's). */
	log_drop_files(a->sync_fd);
	if (stdio_pipes_child(a->stdio, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	harden(a);
	/* Born in the container's pid namespace, holding fds of the host that a container
	 * process allowed to ptrace it (CAP_SYS_PTRACE) could take (pidfd_getfd): the parent's
	 * way back (its mount namespace, root, cwd), the host's /proc and the target's
	 * directory there (from either, ../PID/root is a host process's root), the caller's
	 * log file. Dropped first; of /proc, only the files the child writes later are kept
	 * open; the log's lines go through the parent. */
	ns_child_drop_own(a->ns);
	/* A session and process group of its own (as runc's init): in the caller's, the
	 * command could signal the caller's group (kill 0: host processes) and set the
	 * session's autogroup nice. The caller's supplementary groups dropped while still
	 * host root: in a user namespace whose setgroups is "deny" that is no longer possible. */
	if (setsid() < 0) {
		rterr_set(&e, errno, "setsid");
		fail(a, EXIT_RTEXEC, &e);
	}
	sys_setgroups(0, NULL);
	note_fd_bound(a->procfs);
	reset_ignored_signals(a->ignored);
	if (attrs_open_proc(a->attrs, a->procfs, &proc, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	close(a->procfs);
	/* Into the container's cgroups first: the v1 ones by ourselves, the v2 one by the parent
	 * (unless we were born there), which then says go. Pinned before, where the parent is
	 * not (an isolated initial CPU): a cgroup write must not move the writer. */
	if (placement_pin_child(a->placement, 0, &e) < 0 &&
	    !(e.err == EINVAL && !cg_v1_cpuset(a->cg))) /* v2, moved: the parent pins it */
		fail(a, EXIT_RTEXEC, &e);
	if (cg_join_v1_self(a->cg, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	if (sync_expect(a->sync_fd, SYNC_GO) < 0)
		_exit(EXIT_RTEXEC);
	affinity_log("after joining the cgroup");
	if (attrs_apply_privileged(a->attrs, &proc, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	harden(a);
	if (ns_join_rest(a->ns, &e) < 0 || ns_enter_root(a->ns, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	harden(a);
	as = fs_ids_of_container(p);
	if (p->terminal)
		open_terminal(a);
	if (close_fds(a, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	if (build_env(p, as, &env) < 0) {
		rterr_set(&e, ENOMEM, "environment");
		fail(a, EXIT_RTEXEC, &e);
	}
	if (join_keyring(p, &e) < 0 || set_groups(p, &e) < 0 ||
	    attrs_caps_before_uid(a->attrs, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	filtered = install_seccomp(a, false);
	if (sys_setresuid(p->uid) < 0) {
		rterr_set(&e, errno, "setuid %u", (unsigned)p->uid);
		fail(a, EXIT_RTEXEC, &e);
	}
	if (attrs_caps_after_uid(a->attrs, &e) < 0 ||
	    (filtered && (verify_uid(p, &e) < 0 || attrs_caps_verify(a->attrs, &e) < 0)))
		fail(a, EXIT_RTEXEC, &e);
	harden(a);
	umask(p->has_umask ? p->umask : 022);
	if (enter_cwd(p, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	/* Until here the child stayed on the CPU pinned before the join: a saturated isolated
	 * core can only catch it after the exec. */
	final_placement(a);
	if (attrs_apply_last(a->attrs, &e) < 0)
		fail(a, EXIT_RTEXEC, &e);
	prepare_exec(a);
	exec_command(a, env);
}
