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

#include "sync.h"

/* Signals that arrived before the exec: forwarded once the command runs. */
static struct signalfd_siginfo deferred[64];
static size_t ndeferred;

void forwarded_signals(sigset_t *set)
{
	/* Not the synchronous faults (they are rtexec's own), not SIGKILL/SIGSTOP (cannot be
	 * caught), and not SIGTSTP/SIGTTIN/SIGTTOU: rtexec must stop with its job. */
	static const int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGPIPE, SIGALRM,
		SIGTERM, SIGCHLD, SIGCONT, SIGURG, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH,
		SIGIO, SIGPWR };

	sigemptyset(set);
	for (size_t i = 0; i < ARRAY_LEN(sigs); i++)
		sigaddset(set, sigs[i]);
	for (int s = SIGRTMIN; s <= SIGRTMAX; s++)
		sigaddset(set, s);
}

int reap(pid_t child)
{
	int st;

	while (waitpid(child, &st, 0) < 0)
		if (errno != EINTR)
			return EXIT_RTEXEC;
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static int read_signal(int sigfd, struct signalfd_siginfo *si)
{
	ssize_t r;

	do
		r = read(sigfd, si, sizeof(*si));
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)sizeof(*si) ? 0 : -1;
}

/* A signal the terminal sent to the whole foreground process group reached the command
 * already (it shares rtexec's group): forwarding it would deliver it twice. */
static void forward(pid_t child, const struct signalfd_siginfo *si)
{
	if (si->ssi_code == SI_KERNEL && getpgid(child) == getpgrp())
		return;
	kill(child, (int)si->ssi_signo);
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

int kill_child(pid_t child)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };

	kill(child, SIGKILL);
	for (int i = 0; i < 300; i++) {
		pid_t r = waitpid(child, NULL, WNOHANG);
		if (r == child || (r < 0 && errno != EINTR))
			return EXIT_RTEXEC;
		nanosleep(&tick, NULL);
	}
	/* Frozen with its cgroup: it dies of the pending SIGKILL once thawed. */
	debug("child %d does not exit after SIGKILL (a frozen cgroup?)", (int)child);
	return EXIT_RTEXEC;
}

#define KEEP_WAITING (-1)

/* The channel closed without a word about the exec: the child was killed before it. */
static int died_before_exec(pid_t child, struct rterr *e)
{
	int st = reap(child);

	if (st > 128)
		rterr_set(e, 0, "child %d: killed by signal %d before the command started",
			  (int)child, st - 128);
	else
		rterr_set(e, 0, "child %d: exited with status %d before the command started",
			  (int)child, st);
	return EXIT_RTEXEC;
}

/* One message from the child: 0 once it exec'd (EOF on the close-on-exec channel after its
 * "exec" word), KEEP_WAITING after a ready/go exchange or that word, else the exit status of
 * its failure. */
static int on_sync(pid_t child, int sync_fd, ready_fn on_ready, void *ctx, bool *execing,
		   struct rterr *e)
{
	struct sync_msg m;
	int r = sync_read(sync_fd, &m);

	if (r == 0)
		return *execing ? 0 : died_before_exec(child, e);
	if (r < 0) {
		rterr_set(e, -r, "read from child");
		return kill_child(child);
	}
	if (m.type == SYNC_EXEC) {
		*execing = true;
		return KEEP_WAITING;
	}
	if (m.type != SYNC_READY) {
		reap(child);
		snprintf(e->msg, sizeof(e->msg), "%s", m.text);
		return m.status;
	}
	if (on_ready(child, ctx, e) < 0)
		return kill_child(child);
	if ((r = sync_send_go(sync_fd)) < 0) {
		rterr_set(e, -r, "write to child");
		return kill_child(child);
	}
	return KEEP_WAITING;
}

int wait_exec(pid_t child, int sync_fd, int sigfd, ready_fn on_ready, void *ctx,
	      struct rterr *e)
{
	struct pollfd p[2] = { { .fd = sync_fd, .events = POLLIN }, { .fd = sigfd, .events = POLLIN } };
	struct signalfd_siginfo si;
	bool execing = false;
	int r;

	for (;;) {
		if (poll(p, 2, -1) < 0 && errno != EINTR) {
			rterr_set(e, errno, "poll");
			return kill_child(child);
		}
		/* The child's word first: a signal that came while it exec'd is the command's. */
		if (p[0].revents & (POLLIN | POLLHUP)) {
			if ((r = on_sync(child, sync_fd, on_ready, ctx, &execing, e)) != KEEP_WAITING)
				return r;
			continue;
		}
		if (!(p[1].revents & POLLIN) || read_signal(sigfd, &si) < 0)
			continue;
		if (terminating(si.ssi_signo) && !execing) {
			rterr_set(e, 0, "interrupted by SIG%s before the command started",
				  sigabbrev((int)si.ssi_signo));
			return kill_child(child);
		}
		if (ndeferred < ARRAY_LEN(deferred))
			deferred[ndeferred++] = si;
	}
}

int supervise(pid_t child, int sigfd)
{
	struct signalfd_siginfo si;
	int st;

	for (size_t i = 0; i < ndeferred; i++)
		if (deferred[i].ssi_signo != SIGCHLD)
			forward(child, &deferred[i]);
	for (;;) {
		pid_t r = waitpid(child, &st, WNOHANG);

		if (r == child)
			return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
		if (r < 0 && errno != EINTR) {
			logmsg(LOG_ERROR, "wait for the command %d: %s", (int)child, rt_strerror(errno));
			return EXIT_RTEXEC;
		}
		if (read_signal(sigfd, &si) < 0 || si.ssi_signo == SIGCHLD)
			continue;
		forward(child, &si);
	}
}
