/* The parent half: waits for the exec, forwards signals, reports the command's status. */
#ifndef RTEXEC_SUPERVISE_H
#define RTEXEC_SUPERVISE_H
#include <signal.h>
#include <sys/types.h>

#include "log.h"

/* The signals rtexec forwards; blocked from before the fork, read through a signalfd. */
void forwarded_signals(sigset_t *set);

/* Waits until the child has exec'd (0) or reported a failure (its status, message in e).
 * When the child says it is ready, on_ready does the last steps on it and it is told to go.
 * A terminating signal before the exec kills the child: EXIT_RTEXEC with a message. */
typedef int (*ready_fn)(pid_t child, void *ctx, struct rterr *e);
int wait_exec(pid_t child, int sync_fd, int sigfd, ready_fn on_ready, void *ctx,
	      struct rterr *e);
/* Forwards signals until the child exits; its status as rtexec's exit status. */
int supervise(pid_t child, int sigfd);
/* Reaps the child, turning its wait status into an exit status. */
int reap(pid_t child);
/* SIGKILLs the child and reaps it, waiting a bounded time: a task in a frozen v1 cgroup
 * does not die until thawed, and rtexec must not hang on it. Returns EXIT_RTEXEC. */
int kill_child(pid_t child);

#endif
