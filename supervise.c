#include "supervise.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fmt.h"
#include "sync.h"
#include "syscalls.h"
#include "tty.h"

#define WATCH_MS 100	  /* how often a silent child is checked on */
#define KILL_WAIT_MS 1000 /* how long a killed child may take to die */

void forwarded_signals(sigset_t *set)
{
	/* Not the synchronous faults (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP: rtexec's own;
	 * SIGABRT and SIGSYS are forwarded when sent, a fault of rtexec's own still kills it:
	 * the kernel unblocks a forced signal), not SIGKILL/SIGSTOP (cannot be caught), and
	 * not SIGTSTP/SIGTTIN/SIGTTOU: rtexec stops with its job, as the kernel
	 * decides (not in an orphaned process group; a background relay's tcsetattr and read
	 * stop it until fg). The command, in a session of its own, goes on, as from runc. */
	/* clang-format off */
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
		SIGTERM, SIGCHLD, SIGCONT, SIGURG, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH,
		SIGIO, SIGPWR, SIGABRT, SIGSYS };
	/* clang-format on */

	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
		sigaddset(set, sigs[i]);
	for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
		sigaddset(set, s);
}

static int read_signal(int sigfd, struct signalfd_siginfo *si)
{
	ssize_t r;

	do
		r = read(sigfd, si, sizeof(*si));
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)sizeof(*si) ? 0 : -1;
}

/* A signal the caller ignores (nohup): not forwarded. SIGCONT always is (its continuing is
 * no disposition: a caller that ignores it is continued all the same). */
static bool ignored(const struct child *c, unsigned sig)
{
	return sig >= 1 && sig <= 64 && sig != SIGCONT && (c->ignored & 1ULL << (sig - 1));
}

/* The command has a session of its own: a signal the terminal sends to rtexec's foreground
 * group reaches it only this way. */
static void forward(const struct child *c, const struct signalfd_siginfo *si)
{
	/* A SIGPIPE of rtexec's own write (a relay or log write to a reader gone: the kernel
	 * sends it as from rtexec itself) is not the command's: replayed after the exec, it
	 * killed the command. */
	if (si->ssi_signo == SIGPIPE && si->ssi_pid == (uint32_t)getpid())
		return;
	if (!ignored(c, si->ssi_signo))
		kill(c->pid, (int)si->ssi_signo);
}

static const char *sigabbrev(int sig)
{
	switch (sig) {
	case SIGINT: return "INT";
	case SIGTERM: return "TERM";
	case SIGHUP: return "HUP";
	default: return "QUIT";
	}
}

static bool terminating(unsigned sig)
{
	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT;
}

/* The child reaped within KILL_WAIT_MS: its pid; 0 if not (frozen with its cgroup, or traced
 * by a process that does not wait for it); -1 on an error of waitpid. */
static pid_t wait_bounded(pid_t child, int *st)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	pid_t r = 0;

	for (int i = 0; i < KILL_WAIT_MS / 10 && r == 0; i++)
		if ((r = waitpid(child, st, WNOHANG)) == 0 || (r < 0 && errno == EINTR)) {
			r = 0;
			nanosleep(&tick, NULL);
		}
	return r;
}

int kill_child(pid_t child)
{
	kill(child, SIGKILL);
	/* Frozen with its cgroup: it dies of the pending SIGKILL once thawed. */
	if (wait_bounded(child, NULL) == 0)
		debug("child %d does not exit after SIGKILL (a frozen cgroup?)", (int)child);
	return EXIT_RTEXEC;
}

void child_release(struct child *c)
{
	int r = sync_send(c->sync_fd, SYNC_GO);

	if (r < 0)
		debug("write to child: %s", rt_strerror(-r));
}

#define KEEP_WAITING (-1)

/* Between the child's messages: a container paused meanwhile freezes the child with it (v1
 * and v2 alike), and nothing else may stall it past the deadline (a hung FUSE file in the
 * container). Either kills it: rtexec never waits for a paused container. */
static int watch(struct child *c, const struct cg_plan *cg, long long now, long long deadline,
		 struct rterr *e)
{
	struct rterr why;

	if (cg && cg_check_frozen(cg, &why) < 0) {
		rterr_set(e, 0, "%s during the join", why.msg);
		return kill_child(c->pid);
	}
	if (now >= deadline) {
		rterr_set(e, 0,
			  "child %d: not executing the command after %d s (stuck in the "
			  "container?)",
			  (int)c->pid, EXEC_DEADLINE_MS / 1000);
		return kill_child(c->pid);
	}
	return KEEP_WAITING;
}

/* The channel closed without a word about the exec: the child was killed before it. Waited
 * for a bounded time: a child that a process of the container traces (CAP_SYS_PTRACE) is
 * only reported once its tracer waits for it or lets it go, which that one may never do. */
static int died_before_exec(pid_t child, struct rterr *e)
{
	int st = 0;
	pid_t r = wait_bounded(child, &st);

	if (r != child) {
		kill(child, SIGKILL);
		if (r < 0)
			rterr_set(e, errno, "child %d: gone before the command started",
				  (int)child);
		else
			rterr_set(e, 0,
				  "child %d: gone before the command started, not reaped (traced?)",
				  (int)child);
		return EXIT_RTEXEC;
	}
	st = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
	if (st > 128)
		rterr_set(e, 0, "child %d: killed by signal %d before the command started",
			  (int)child, st - 128);
	else
		rterr_set(e, 0, "child %d: exited with status %d before the command started",
			  (int)child, st);
	return EXIT_RTEXEC;
}

/* The child is ready for what only the parent can do: its scheduler, with the host's
 * privileges (an RT policy needs them, and a joined user namespace took them away). */
static int on_ready(struct child *c, const struct sched_config *sched, struct rterr *e)
{
	int r;

	/* The target's scheduling, where rtexec may not give it (a caller at nice 5 without
	 * CAP_SYS_NICE cannot lower the child's): the command keeps the lesser one. */
	if (sched_apply(sched, c->pid, e) < 0) {
		if (!(sched->from_target && e->err == EPERM))
			return kill_child(c->pid);
		logmsg(LOG_WARN, "%s: the command keeps rtexec's scheduling", e->msg);
	}
	if ((r = sync_send(c->sync_fd, SYNC_GO)) < 0) {
		rterr_set(e, -r, "write to child");
		return kill_child(c->pid);
	}
	return KEEP_WAITING;
}

/* One message from the child: 0 once it exec'd (EOF on the close-on-exec channel after its
 * "exec" word), KEEP_WAITING after a ready/go exchange or that word, else the exit status of
 * its failure. */
/* The child's pty master: to the engine's console socket, or kept for the relay. */
static int on_pty(struct child *c, int master, struct rterr *e)
{
	int r = 0;

	if (master < 0 || c->pty >= 0) { /* none, or a second one */
		if (master >= 0)
			close(master);
		rterr_set(e, EPROTO, "read from child: no pty master");
		return kill_child(c->pid);
	}
	if (c->console < 0) {
		c->pty = master;
		return KEEP_WAITING;
	}
	r = engine_socket_send(c->console, "console socket", "/dev/ptmx", master, e);
	close(master);
	close(c->console);
	c->console = -1;
	return r < 0 ? kill_child(c->pid) : KEEP_WAITING;
}

#define RELAYED_MAX 64

static int on_message(struct child *c, const struct sched_config *sched, bool *execing,
		      struct rterr *e)
{
	struct sync_msg m;
	int fd, r = sync_recv(c->sync_fd, &m, &fd);

	if (r < 0) {
		rterr_set(e, -r, "read from child");
		return kill_child(c->pid);
	}
	/* Only the pty's message carries an fd; one sent with any other (a container that took
	 * the channel) is closed, not kept. */
	if (fd >= 0 && m.type != SYNC_PTY) {
		close(fd);
		fd = -1;
	}
	switch (m.type) {
	case SYNC_EOF: return *execing ? 0 : died_before_exec(c->pid, e);
	case SYNC_EXEC: *execing = true; return KEEP_WAITING;
	case SYNC_READY: return on_ready(c, sched, e);
	case SYNC_PTY: return on_pty(c, fd, e);
	case SYNC_LOG:
		/* The child says a few lines at most; more is not the child's. */
		if (c->relayed++ < RELAYED_MAX)
			log_relayed(m.status, m.text);
		return KEEP_WAITING;
	case SYNC_FAILED:
		/* It exits now; should someone stop it first (container root may), a plain wait
		 * would wait for ever. */
		kill_child(c->pid);
		fmt_snprintf(e->msg, sizeof(e->msg), "%s", m.text);
		e->err = m.err;
		return m.status;
	default: rterr_set(e, EPROTO, "read from child"); return kill_child(c->pid);
	}
}

static void keep_pending(struct pending_signals *p, const struct signalfd_siginfo *si)
{
	if (p->n < ARRAY_LEN(p->si))
		p->si[p->n++] = *si;
}

int child_wait_exec(struct child *c, const struct sched_config *sched, const struct cg_plan *cg,
		    struct rterr *e)
{
	struct pollfd p[2] = { { .fd = c->sync_fd, .events = POLLIN },
			       { .fd = c->sigfd, .events = POLLIN } };
	struct signalfd_siginfo si;
	long long now = sys_now_ms(), deadline = now + EXEC_DEADLINE_MS,
		  next_watch = now + WATCH_MS;
	bool execing = false;
	int r;

	for (;;) {
		r = poll(p, 2, next_watch > now ? (int)(next_watch - now) : 0);
		if (r < 0 && errno != EINTR) {
			rterr_set(e, errno, "poll");
			return kill_child(c->pid);
		}
		/* The child's word first: a signal that came while it exec'd is the command's.
		 * After "exec", poll again before any watch: the EOF that says the command runs
		 * comes next, and a watch due meanwhile must not pre-empt it (it would kill the
		 * command). After any other word the watch is kept by the clock: messages coming
		 * without end (a container that took the channel, CAP_SYS_PTRACE) must not put
		 * off the deadline. */
		if (r > 0 && (p[0].revents & (POLLIN | POLLHUP))) {
			bool was_execing = execing;

			if ((r = on_message(c, sched, &execing, e)) != KEEP_WAITING)
				return r;
			if (execing && !was_execing)
				continue;
			r = 1;
		}
		if (r > 0 && (p[1].revents & POLLIN) && read_signal(c->sigfd, &si) == 0 &&
		    !ignored(c, si.ssi_signo)) {
			if (terminating(si.ssi_signo) && !execing) {
				rterr_set(e, 0, "interrupted by SIG%s before the command started",
					  sigabbrev((int)si.ssi_signo));
				return kill_child(c->pid);
			}
			keep_pending(&c->pending, &si);
		}
		/* By the clock, not after 100 ms of silence: signals coming faster than that (a
		 * terminal being resized) must not put off the paused-container check and the
		 * deadline for ever. After a silent 100 ms too, should the clock be unreadable. */
		if ((now = sys_now_ms()) >= next_watch || r == 0) {
			if ((r = watch(c, cg, now, deadline, e)) != KEEP_WAITING)
				return r;
			next_watch = now + WATCH_MS;
		}
	}
}

int child_send_pidfd(struct child *c, struct rterr *e)
{
	int pidfd, r;

	if (c->pidfd_socket < 0)
		return 0;
	/* The child is rtexec's and not reaped yet: its pid cannot name another process, even
	 * should it have died already (a zombie's pidfd says so at once). */
	if ((pidfd = sys_pidfd_open(c->pid, 0)) < 0)
		r = errno == ENOSYS
			    ? rterr_set(e, 0, "exec failed: --pidfd-socket requires >= v5.3 kernel")
			    : rterr_set(e, errno, "pidfd socket: pidfd_open %d", (int)c->pid);
	else
		r = engine_socket_send(c->pidfd_socket, "pidfd socket", "setns", pidfd, e);
	if (pidfd >= 0)
		close(pidfd);
	close(c->pidfd_socket);
	c->pidfd_socket = -1;
	return r;
}

/* One signal, read after poll: SIGCHLD means look at the child, SIGWINCH resizes a relayed
 * pty (whose kernel then signals the command), the rest go to the command. */
static void on_signal(struct child *c, const struct relay *relay)
{
	struct signalfd_siginfo si;

	if (read_signal(c->sigfd, &si) < 0 || si.ssi_signo == SIGCHLD)
		return;
	if (!(relay && si.ssi_signo == SIGWINCH && relay_resize(relay)))
		forward(c, &si);
}

int supervise(struct child *c)
{
	/* Not on the stack: 12 KiB of buffers would push every call below onto fresh pages (a
	 * page fault each) on the common path, which relays nothing. */
	static struct relay relay;
	struct relay *t = c->pty >= 0 || stdio_pipes_any(&c->stdio) ? &relay : NULL;
	struct pollfd p[1 + RELAY_POLLS] = { { .fd = c->sigfd, .events = POLLIN } };
	int st, timeout = -1;

	for (size_t i = 0; i < c->pending.n; i++)
		if (c->pending.si[i].ssi_signo != SIGCHLD)
			forward(c, &c->pending.si[i]);
	if (t && c->pty >= 0)
		relay_start_pty(t, c->pty);
	else if (t)
		relay_start_pipes(t, &c->stdio);
	for (;;) {
		pid_t r = waitpid(c->pid, &st, WNOHANG);

		if (r == c->pid) {
			if (t)
				relay_end(t);
			return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
		}
		if (r < 0 && errno != EINTR) {
			logmsg(LOG_ERROR, "wait for the command %d: %s", (int)c->pid,
			       rt_strerror(errno));
			return EXIT_RTEXEC;
		}
		if (t)
			timeout = relay_poll(t, &p[1]);
		if (poll(p, t ? 1 + RELAY_POLLS : 1, timeout) <= 0)
			continue;
		if (p[0].revents & POLLIN)
			on_signal(c, t);
		if (t)
			relay_pump(t, &p[1]);
	}
}
