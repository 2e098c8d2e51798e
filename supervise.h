/* The parent's half: its side of the conversation with the child (sync.h), then the
 * command's supervision (signal forwarding, exit status). */
#ifndef RTEXEC_SUPERVISE_H
#define RTEXEC_SUPERVISE_H
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/types.h>

#include "cgroup.h"
#include "log.h"
#include "scheduler.h"
#include "tty.h"

/* Signals that arrived before the exec: forwarded once the command runs. */
struct pending_signals {
	struct signalfd_siginfo si[64];
	size_t n;
};

/* The parent's handle on its child. */
struct child {
	pid_t pid;
	int sync_fd; /* the parent's end of the channel */
	int sigfd;   /* the forwarded signals, blocked since before the fork */
	int console; /* the engine's console socket, or -1: the pty master goes there */
	int pty;     /* the pty master to relay (no console socket), or -1 */
	struct stdio_pipes stdio; /* without a pty: the caller's terminal replaced */
	int pidfd_socket; /* runc's --pidfd-socket, or -1: a pidfd of the command goes there */
	/* The signals the caller ignores (bit N-1: signal N): never forwarded (nohup rtexec
	 * ...); the command starts with them at their default all the same. */
	uint64_t ignored;
	unsigned relayed; /* log lines relayed from the child (SYNC_LOG) */
	struct pending_signals pending;
};

/* The signals rtexec forwards; blocked from before the fork, read through a signalfd. */
void forwarded_signals(sigset_t *set);

/* Tells the child that its cgroups are joined (GO). A child that failed meanwhile has
 * reported why: child_wait_exec reads it. */
void child_release(struct child *c);
/* From fork to exec, the child must be done within this (a join takes milliseconds; a
 * child stalled in the container, e.g. on a hung FUSE file, is killed). */
#define EXEC_DEADLINE_MS 10000

/* Waits until the child has exec'd (0) or reported a failure (its status, message in e). At
 * READY, applies sched to the child with the host's privileges and tells it to go on. A
 * terminating signal before the exec, a cgroup of cg frozen meanwhile (a paused container:
 * checked every 100 ms) or the deadline kills the child: EXIT_RTEXEC with a message. */
int child_wait_exec(struct child *c, const struct sched_config *sched, const struct cg_plan *cg,
		    struct rterr *e);
/* Forwards the pending signals, then every signal until the child exits (relaying its
 * terminal, if any, to rtexec's own stdio); its status as rtexec's exit status. */
int supervise(struct child *c);
/* Before the child goes on to the command: a pidfd of it over c->pidfd_socket (where there is
 * one), with the 5 bytes "setns" that runc's exec sends beside it; the socket is closed
 * after. 0, or -1 with e set. */
int child_send_pidfd(struct child *c, struct rterr *e);
/* SIGKILLs the child and reaps it, waiting at most 1 s: a task in a frozen v1 cgroup does not
 * die until thawed (then it does, of the pending SIGKILL), and rtexec must not hang on it.
 * Returns EXIT_RTEXEC. */
int kill_child(pid_t child);

#endif
