/* rtexec: join a running container and execute one command in it. main() is the list of
 * steps; every step that can fail dies with one line and exit status 125 before the fork,
 * and the child reports its failures through the sync channel after it. */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "affinity.h"
#include "cgroup.h"
#include "cli.h"
#include "config.h"
#include "fmt.h"
#include "fsutil.h"
#include "log.h"
#include "nsexec.h"
#include "pidfile.h"
#include "plan.h"
#include "process.h"
#include "runc.h"
#include "inherit.h"
#include "selfexe.h"
#include "supervise.h"
#include "sync.h"
#include "syscalls.h"
#include "target.h"
#include "tty.h"

#ifndef RTEXEC_VERSION
#define RTEXEC_VERSION "0.1.0"
#endif
#define CONFIG_MAX (16 << 20)

/* If the caller closed 0, 1 or 2, the first fd rtexec opens would take its place and
 * reach the command as its stdin or stdout. */
static void sanitize_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && sys_open("/dev/null", O_RDWR, 0) != fd)
			die_errno(errno, "open /dev/null");
}

/* Unused numbers among the preserved fds get a close-on-exec placeholder, so that no fd
 * rtexec opens lands there and passes into the container. */
static void reserve_preserved_fds(unsigned n)
{
	for (unsigned fd = 3; fd < 3 + n; fd++) {
		if (fcntl((int)fd, F_GETFD) >= 0)
			continue;
		int nul = sys_open("/dev/null", O_RDONLY | O_CLOEXEC, 0);
		if (nul < 0 || (nul != (int)fd && dup3(nul, (int)fd, O_CLOEXEC) < 0))
			die_errno(errno, "reserve preserved fd %u", fd);
		if (nul != (int)fd)
			close(nul);
	}
}

/* The whole of fd into a malloc'd, NUL-terminated *out. 0, or -errno. */
static int read_all(int fd, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap), *nb;
	ssize_t r;

	for (;;) {
		if (buf == NULL)
			return -ENOMEM;
		if (n + 1 >= cap) {
			nb = cap >= CONFIG_MAX ? NULL : realloc(buf, cap *= 2);
			if (nb == NULL) {
				free(buf);
				return n + 1 >= CONFIG_MAX ? -EFBIG : -ENOMEM;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r == 0)
			break;
		if (r < 0 && errno != EINTR) {
			free(buf);
			return -errno;
		}
		n += r > 0 ? (size_t)r : 0;
	}
	buf[n] = '\0';
	*len = n;
	*out = buf;
	return 0;
}

static char *read_config(const char *file, size_t *len)
{
	bool is_stdin = file == NULL || strcmp(file, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open_regular(file, true), r;
	char *text = NULL;

	*len = 0;
	if (fd == -EMEDIUMTYPE)
		die("config: open %s: not a regular file or a pipe", file);
	if (fd < 0)
		die_errno(-fd, "config: open %s", file);
	if (is_stdin && isatty(fd))
		die("config: stdin is a terminal: pipe the config in, or use -f FILE");
	if ((r = read_all(fd, &text, len)) < 0)
		die_errno(-r, "config: read %s", is_stdin ? "stdin" : file);
	if (!is_stdin)
		close(fd);
	return text;
}

static void load_config(const struct cli *cli, struct config *c)
{
	struct shorthand sh = { cli->pid, cli->user, cli->cwd, cli->env, cli->nenv };
	struct rterr e;
	size_t len;
	char *text;

	/* -p: the config the options stand for; stdin is left to the command. */
	if (cli->pid && config_shorthand(&sh, &text, &e) < 0)
		die("%s", e.msg);
	if (cli->pid)
		len = strlen(text);
	else
		text = read_config(cli->config_file, &len);
	/* The one place config errors get their prefix. */
	if (config_parse(text, len, cli->cmd != NULL, kernel_ncpus(), c, &e) < 0)
		die("%s: %s", cli->pid ? "option -p" : "config", e.msg);
	free(text);
}

static void parse_cli(int argc, char **argv, struct cli *cli)
{
	struct rterr e;

	if (cli_parse(argc, argv, cli, &e) < 0)
		die("%s", e.msg);
	log_level = cli->level;
	if (cli->help) {
		fmt_dprintf(STDOUT_FILENO, "%s", cli_usage);
		exit(0);
	}
	if (cli->version) {
		fmt_dprintf(STDOUT_FILENO, "rtexec %s\n", RTEXEC_VERSION);
		exit(0);
	}
}

/* The signals the caller has rtexec ignore (SigIgn of its own status; SIGCHLD was set back
 * to its default already). None where the file cannot be read. */
static uint64_t caller_ignored(void)
{
	char *text;
	uint64_t ign = 0;

	if (read_file_alloc(AT_FDCWD, "/proc/self/status", 1 << 20, &text) < 0)
		return 0;
	status_sigign(text, &ign);
	free(text);
	return ign;
}

/* Blocks the forwarded signals (the child restores the caller's mask before exec). */
static int signals_setup(sigset_t *orig)
{
	sigset_t set;
	int fd;

	forwarded_signals(&set);
	if (sigprocmask(SIG_BLOCK, &set, orig) < 0)
		die_errno(errno, "sigprocmask");
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		die_errno(errno, "signalfd");
	return fd;
}

/* On cgroup v2 the child is born in the container's cgroup (clone3 CLONE_INTO_CGROUP);
 * where the kernel cannot, or the cgroup refuses (EBUSY), it is forked and moved. Not
 * inlined: make bench's callgrind splits the parent's count from the child's at its entry
 * (no libc fork to do it since 3076cfa). -1 with *e set on a failure: the caller is in the
 * container's mount namespace, nothing is reported from here. */
static __attribute__((noinline)) pid_t fork_child(int cgroup_fd, bool *born_in_cgroup,
						  struct rterr *e)
{
	struct rt_clone_args args = { .flags = CLONE_INTO_CGROUP,
				      .exit_signal = SIGCHLD,
				      .cgroup = (uint64_t)cgroup_fd };
	pid_t pid;

	*born_in_cgroup = false;
	if (cgroup_fd >= 0) {
		pid = sys_clone3(&args);
		if (pid >= 0) {
			*born_in_cgroup = true;
			return pid;
		}
		debug("clone3 into cgroup: %s; forking and moving instead", rt_strerror(errno));
	}
	if ((pid = sys_fork()) < 0)
		rterr_set(e, errno, "fork");
	return pid;
}

/* The request (c) and everything resolved from it before the fork: shared by the parent and
 * the child it forks. */
struct run {
	struct config c;
	struct process_request proc; /* c.process, with the command line's args */
	bool detach;
	const char *pid_file;
	const char *console_socket;
	const char *pidfd_socket;
	const char *socket_dir; /* of a relative console or pidfd socket path; NULL: the cwd */
	struct target t;
	struct ns_plan ns;
	struct cg_plan cg;
	struct placement pl;
	struct target_confinement tc;	/* what the target runs with */
	struct target_confinement self; /* rtexec's own limits */
	struct attrs attrs;		/* c.attrs resolved against the target */
	struct seccomp_plan seccomp;
	sigset_t orig_mask;
	struct child child;
};

/* What the command line adds to the config: it wins where both say something. */
static void apply_cli(const struct cli *cli, struct run *r)
{
	r->proc = r->c.process;
	if (cli->cmd) {
		r->proc.args = cli->cmd;
		r->proc.nargs = (size_t)cli->ncmd;
	}
	r->proc.terminal = r->proc.terminal || cli->tty;
	r->detach = r->c.detach || cli->detach;
	r->pid_file = cli->pid_file ? cli->pid_file : r->c.pid_file;
	r->console_socket = cli->console_socket;
	r->pidfd_socket = cli->pidfd_socket;
	r->socket_dir = cli->socket_dir;
	/* Nobody would be there to relay the terminal (runc says the same). */
	if (r->proc.terminal && r->detach && !r->console_socket)
		die("a terminal with --detach needs --console-socket");
	if (r->console_socket && !r->proc.terminal)
		die("--console-socket is for a terminal: give -t or process.terminal");
	/* The relayed pty mirrors the caller's terminal (consoleSize only where the caller has
	 * none, as with runc's foreground resize), and is born at its size, set by the child
	 * before the command runs: the relay's own resize comes after the exec, too late for a
	 * command that asks at once ("stty size" saw 0 0). */
	if (r->proc.terminal && !r->console_socket)
		tty_caller_size(&r->proc.rows, &r->proc.cols);
}

/* While the seccomp copy waits for the target to stop: a container paused meanwhile. */
static int check_paused(const void *cg, struct rterr *e)
{
	return cg_check_frozen(cg, e);
}

/* A caller's real-time or deadline policy stays the caller's: the child is born with
 * SCHED_OTHER (a v1 cpu cgroup without RT runtime refuses an RT task, and a deadline task
 * cannot fork at all) and at a nice not below 0, as the kernel's SCHED_RESET_ON_FORK gives
 * it; self then says what the child starts with (the dry run only computes it). */
static void reset_on_fork(struct target_confinement *self, bool dry_run)
{
	struct rt_sched_attr *s = &self->sched;

	if (!self->has_sched || s->sched_flags & RT_SCHED_FLAG_RESET_ON_FORK ||
	    !sched_realtime(s->sched_policy))
		return;
	s->sched_flags |= RT_SCHED_FLAG_RESET_ON_FORK;
	if (!dry_run && sys_sched_setattr(0, s, 0) < 0)
		die_errno(errno, "set SCHED_RESET_ON_FORK on rtexec's own scheduling");
	s->sched_policy = SCHED_OTHER; /* and nice 0, for a real-time or deadline task */
	s->sched_priority = 0;
	s->sched_runtime = s->sched_deadline = s->sched_period = 0;
	s->sched_nice = 0;
}

static void resolve(struct run *r, bool dry_run)
{
	struct seccomp_copy copy = { dry_run, check_paused, &r->cg };
	char *cpus;
	struct rterr e;
	int err;

	if (target_open(&r->c.target, &r->t, &e) < 0 ||
	    cg_plan_open(&r->c.cgroup, &r->t, &r->cg, &e) < 0 ||
	    ns_plan_open(&r->c.ns, &r->t, &r->ns, &e) < 0)
		die("%s", e.msg);
	if ((err = cg_effective_cpus(&r->cg, &cpus)) < 0)
		die_errno(-err, "cgroup CPUs");
	r->attrs = r->c.attrs;
	/* Last: everything read above belonged to the live target (reads went through its
	 * pinned /proc/PID directory, this says it still runs). */
	if (placement_resolve(&r->c.cpus, cpus, r->cg.v2_root, &r->pl, &e) < 0 ||
	    (cpumask_first(&r->pl.isolated) >= 0 && cg_check_drains(&r->cg, &e) < 0) ||
	    confinement_self(&r->self, &e) < 0 ||
	    confinement_read(&r->t, &r->self, &r->tc, &e) < 0 ||
	    attrs_resolve(&r->attrs, &r->tc, &r->self, r->proc.uid, &e) < 0 ||
	    seccomp_resolve(&r->c.seccomp, &r->t, &r->tc, &copy, &r->seccomp, &e) < 0 ||
	    target_check(&r->t, &e) < 0)
		die("%s", e.msg);
	/* The copy read the init's NoNewPrivs again, with its filters (seccomp.c). */
	if (r->attrs.nnp_from_target)
		r->attrs.no_new_privs = r->tc.no_new_privs;
	reset_on_fork(&r->self, dry_run);
	sched_default(&r->c.sched, r->tc.has_sched ? &r->tc.sched : NULL,
		      r->self.has_sched ? &r->self.sched : NULL);
	free(cpus);
	log_flush_warnings();
}

static void join_cgroups(struct run *r, bool born_in_cgroup)
{
	struct rterr e;

	/* The plan's cgroups were found thawed when planned, the v1 freezer again just before
	 * the fork; a container paused since freezes the child with it, and the parent's watch
	 * while it waits for the exec (every 100 ms) finds the cgroup frozen and kills the
	 * child (a v1-frozen child dies once resumed). Checking them all again here, on the
	 * path to the exec (the child mostly starts on this CPU once the parent waits), would
	 * cost 3 file reads to narrow that window by microseconds. A cgroup the EBUSY fallback
	 * joined instead was never checked: it is, at once. */
	/* A child moved into its cgroup (not born there) could not pin itself to an initial
	 * CPU outside the caller's cpuset: pinned here, before it goes on. */
	if (cg_join_v2(&r->cg, &r->t, r->child.pid, born_in_cgroup, &e) < 0 ||
	    cg_check_fallback_frozen(&r->cg, &e) < 0 ||
	    (!born_in_cgroup && placement_pin_child(&r->pl, r->child.pid, &e) < 0)) {
		kill_child(r->child.pid);
		die("%s", e.msg);
	}
	child_release(&r->child);
	debug("joined cgroup %s%s", r->cg.joined ? r->cg.joined : "(no v2)",
	      born_in_cgroup ? " (born there)" : "");
}

/* rtexec's command line, moved out of the area that the kernel shows as /proc/PID/cmdline
 * (every pointer into it is taken after the move, so points into the copy). The child is
 * visible in the container's pid namespace from its birth, and cmdline needs no ptrace
 * access: the parent blanks the area for the fork and puts it back at once, so that the
 * child's shows "rtexec" alone, never rtexec's arguments (host paths, a runtime's ids). */
static struct {
	char *area;
	const char *copy;
	size_t len;
} args;

static char **move_args(int argc, char **argv)
{
	char *end, *copy, **v;

	if (argc < 1)
		return argv;
	end = argv[argc - 1] + strlen(argv[argc - 1]) + 1;
	for (int i = 0; i < argc; i++) /* laid out one after the other, as the kernel does */
		if (argv[i] < argv[0] || argv[i] >= end)
			return argv;
	args.len = (size_t)(end - argv[0]);
	if ((copy = malloc(args.len)) == NULL || (v = malloc((argc + 1) * sizeof(*v))) == NULL)
		die_errno(ENOMEM, "command line");
	memcpy(copy, argv[0], args.len);
	for (int i = 0; i < argc; i++)
		v[i] = copy + (argv[i] - argv[0]);
	v[argc] = NULL;
	args.area = argv[0];
	args.copy = copy;
	return v;
}

static void blank_args(bool blank)
{
	static const char name[] = "rtexec";

	if (args.area == NULL)
		return;
	if (!blank) {
		memcpy(args.area, args.copy, args.len);
		return;
	}
	memset(args.area, 0, args.len);
	memcpy(args.area, name, args.len < sizeof(name) ? args.len - 1 : sizeof(name) - 1);
}

/* Zero-initialised, so that its buffers are .bss, not file: main sets fd and dirfd to -1
 * before cleanup can run. */
static struct pidfile pf;

static void spawn(struct run *r)
{
	int fds[2], child_fd, err, procfs;
	pid_t pid;
	bool born_in_cgroup;
	struct rterr e;

	if ((err = sync_channel(fds)) < 0)
		die_errno(-err, "socketpair");
	/* The child's end sits above the preserved fds, which keep their numbers. */
	child_fd = fcntl(fds[1], F_DUPFD_CLOEXEC, 3 + r->c.preserve_fds);
	if (child_fd < 0)
		die_errno(errno, "fcntl");
	close(fds[1]);
	/* Pinned before the fork, the child starts on the pinned CPU and enters its cpuset from
	 * there: it cannot be moved onto a monopolised isolated CPU on the way. Paused since
	 * the plan (a ptrace of the init, an engine's console socket, ... came between)? A child
	 * that wrote itself into a frozen v1 freezer could not be killed until the container is
	 * resumed: refuse now, no child yet. */
	if (placement_pin_initial(&r->pl, &e) < 0) {
		/* E outside the caller's own cpuset: the child pins itself once in its cgroup
		 * (born there), or the parent pins it after moving it (v2); a child that moves
		 * itself into a v1 cpuset cannot, and says so. */
		if (e.err != EINVAL)
			die("%s", e.msg);
		debug("%s: pinning the child instead", e.msg);
		r->pl.pin_child = true;
	}
	if (cg_check_v1_frozen(&r->cg, &e) < 0)
		die("%s", e.msg);
	/* The host's /proc for the child, which is born in the container's mount namespace. */
	if ((procfs = sys_open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC, 0)) < 0)
		die_errno(errno, "open /proc");
	if (ns_join_before_fork(&r->ns, &e) < 0) {
		struct rterr back;
		if (ns_return_after_fork(&r->ns, &back) < 0)
			debug("%s", back.msg);
		die("%s", e.msg);
	}
	affinity_log("before joining the cgroup");
	/* Born into the cgroup, pinned or not: a child the parent moves before it has ever run
	 * can keep a scheduler position (vruntime) from its old queue and wait seconds behind a
	 * busy task of the container (Linux 6.1, PREEMPT_RT guest of make check-vm: 1 join in
	 * 40); one born there starts next to its parent, on the pinned CPU. */
	/* The pid into r only in the parent: the child writing r's page would copy it. */
	blank_args(true);
	attrs_slack_around_fork(&r->attrs, &r->self, true);
	pid = fork_child(cg_clone_fd(&r->cg), &born_in_cgroup, &e);
	if (pid != 0) {
		struct rterr back;
		attrs_slack_around_fork(&r->attrs, &r->self, false);
		blank_args(false);
		/* Where the child, born in its cgroup, pins itself: also from here, should the
		 * kernel have started it on a monopolised CPU it would never leave by itself (one
		 * forked in the caller's cgroup starts next to its parent: join_cgroups pins it
		 * after its move). */
		if (pid > 0 && born_in_cgroup && placement_pin_child(&r->pl, pid, &back) < 0)
			debug("%s", back.msg);
		if (ns_return_after_fork(&r->ns, &back) < 0) {
			if (pid > 0)
				kill_child(pid);
			die("%s", back.msg);
		}
		if (pid < 0)
			die("%s", e.msg);
		close(procfs);
		stdio_pipes_parent(&r->child.stdio);
	} else {
		struct child_args a = { .proc = &r->proc,
					.attrs = &r->attrs,
					.seccomp = &r->seccomp,
					.preserve_fds = r->c.preserve_fds,
					.ns = &r->ns,
					.cg = &r->cg,
					.placement = &r->pl,
					.sync_fd = child_fd,
					.procfs = procfs,
					.stdio = &r->child.stdio,
					.mask = &r->orig_mask,
					.ignored = r->child.ignored,
					.assisted = r->c.sched.set };
		/* Fds of the parent's that the child has no use for: the pid file's (a host
		 * directory), the signalfd, the engine's console socket (the pty's master goes
		 * to the parent). */
		close(fds[0]);
		close(r->child.sigfd);
		if (r->child.console >= 0)
			close(r->child.console);
		if (r->child.pidfd_socket >= 0)
			close(r->child.pidfd_socket);
		if (pf.fd >= 0)
			close(pf.fd);
		if (pf.dirfd >= 0)
			close(pf.dirfd);
		child_main(&a);
	}
	close(child_fd);
	r->child.pid = pid;
	r->child.sync_fd = fds[0];
	/* As runc's init sends it: before the command starts, so that one the engine could not
	 * be given never runs (the child waits for its GO). */
	if (child_send_pidfd(&r->child, &e) < 0) {
		kill_child(pid);
		die("%s", e.msg);
	}
	join_cgroups(r, born_in_cgroup);
}

/* die() exits through here: a failure leaves no temporary pid file behind. */
static void cleanup(void)
{
	pidfile_abort(&pf);
}

static void print_plan(const struct run *r)
{
	struct plan_input in = { &r->t,	   &r->ns,    &r->cg,	   &r->pl,
				 &r->proc, &r->attrs, &r->c.sched, &r->seccomp };
	int err = plan_print(&in);

	if (err < 0)
		die_errno(-err, "write plan");
}

/* Under runc's name (rtexec-runc): its command line, errors where the engine reads them,
 * and every command but exec handed to the real runc at once. */
static void parse_runc(int argc, char **argv, struct runc_cli *rc, struct cli *cli)
{
	struct rterr e;
	int r = runc_parse(argc, argv, rc, &e);

	runc_report(rc);
	if (r == 0 && rc->handoff)
		runc_handoff(argv);
	if (r < 0)
		die("%s", e.msg);
	memset(cli, 0, sizeof(*cli));
	cli->level = log_level;
}

int main(int argc, char **argv)
{
	static struct run r;
	static struct runc_cli rc;
	bool runc;
	struct cli cli;
	struct rterr e;
	int status;

	/* From the start: the child is born in the container's pid namespace, and a process
	 * there must not be able to ptrace it or open its /proc/PID/exe or fds before it has
	 * made itself non-dumpable (CVE-2016-9962, CVE-2019-5736); it inherits this. */
	prctl(PR_SET_DUMPABLE, 0);
	argv = move_args(argc, argv);
	runc = runc_invoked(argv[0]);
	/* A caller that ignores SIGCHLD (inherited through exec) would have the kernel reap the
	 * command, its status lost and rtexec waiting, and the seccomp copy would not hear the
	 * target stop; the command gets the default too, as from runc. */
	sys_signal_default(SIGCHLD);
	selfexe_seal_relro();
	sanitize_std_fds();
	if (runc)
		parse_runc(argc, argv, &rc, &cli);
	else
		parse_cli(argc, argv, &cli);
	/* Before anything is read: the copy starts over with the same argv and stdin. A dry run
	 * starts no process in the container. */
	if (!cli.dry_run && selfexe_protect(argv, &e) < 0)
		die("%s", e.msg);
	if (runc && runc_load(&rc, kernel_ncpus(), &r.c, &cli, &e) < 0)
		die("%s", e.msg);
	if (!runc)
		load_config(&cli, &r.c);
	apply_cli(&cli, &r);
	reserve_preserved_fds(r.c.preserve_fds);
	log_keep_files();
	resolve(&r, cli.dry_run);
	if (cli.dry_run) {
		print_plan(&r);
		return 0;
	}
	/* Signals blocked first: a SIGTERM now must not leave the temporary pid file behind. */
	r.child.ignored = caller_ignored();
	r.child.sigfd = signals_setup(&r.orig_mask);
	r.child.console = r.child.pty = r.child.pidfd_socket = -1;
	pf.fd = pf.dirfd = -1;
	log_at_exit(cleanup);
	if (pidfile_prepare(&pf, r.pid_file, &e) < 0 ||
	    (r.console_socket &&
	     engine_socket_connect("console socket", r.socket_dir, r.console_socket,
				   &r.child.console, &e) < 0) ||
	    (r.pidfd_socket && engine_socket_connect("pidfd socket", r.socket_dir, r.pidfd_socket,
						     &r.child.pidfd_socket, &e) < 0) ||
	    stdio_pipes_open(&r.child.stdio, r.proc.terminal, r.detach, &e) < 0)
		die("%s", e.msg);
	spawn(&r);
	ns_plan_close(&r.ns);
	target_close(&r.t);
	status = child_wait_exec(&r.child, &r.c.sched, &r.cg, &e);
	cg_plan_close(&r.cg);
	if (runc && (status == EXIT_CANNOT_EXEC || status == EXIT_NOT_FOUND))
		runc_exec_error(status, r.proc.args[0], &e);
	if (status != 0)
		die_status(status, "%s", e.msg);
	if (pidfile_commit(&pf, r.child.pid, &e) < 0) {
		/* A caller relying on the pid file must not lose the command. */
		kill_child(r.child.pid);
		die("%s", e.msg);
	}
	log_exit(r.detach ? 0 : supervise(&r.child));
}
