/* process.terminal: a new pty inside the container for the command; its master goes to a
 * console socket (as runc sends it), or rtexec relays it to its own stdio. The caller's
 * terminal never reaches the container. */
#ifndef RTEXEC_TTY_H
#define RTEXEC_TTY_H
#include <poll.h>
#include <stdbool.h>
#include <sys/types.h>
#include <termios.h>

#include "log.h"

/* Child, in the container's mount namespace (its root is the container's): a new pty of the
 * container's devpts (dev/pts resolved inside the root and checked to be a devpts, its ptmx
 * beneath it, never the container's dev/ptmx; checked to be a pty master), its
 * slave owned by uid, sized rows x cols (0 x 0: left as it is), made the controlling terminal
 * and stdin, stdout, stderr of a new session. The master in *master. */
int tty_child_open(uid_t uid, unsigned short rows, unsigned short cols, int *master,
		   struct rterr *e);

/* Parent, before anything runs: the size of the caller's terminal (stdin's, else stdout's)
 * in *rows and *cols; both left alone when neither is a terminal. */
void tty_caller_size(unsigned short *rows, unsigned short *cols);

/* Without a terminal of its own (no -t) the command does not get the caller's terminal
 * either: where rtexec's stdin, stdout or stderr is one, a process the command leaves
 * behind would keep it, and read what is typed there next (a password for sudo included;
 * a terminal that is not its controlling one is no obstacle to reading), push input into
 * it with CAP_SYS_ADMIN, paste on a virtual console, change its modes. In the foreground
 * the command gets a pipe in its place, which rtexec relays (runc's exec copies all three
 * through pipes); detached, /dev/null (nobody relays). Other stdio (pipes, files, sockets:
 * what engines pass) reaches the command as it is. */
struct stdio_pipes {
	int child[3];  /* what the child puts in place of fd i, or -1: fd i as it is */
	int parent[3]; /* the parent's end of that pipe (non-blocking), or -1 */
};
/* Parent, before the fork: which of fds 0-2 are terminals, their pipes (or /dev/null); none
 * where the command gets a pty (it replaces all three). 0, or -1 with e set. */
int stdio_pipes_open(struct stdio_pipes *sp, bool pty, bool detach, struct rterr *e);
/* Child, first of all: the replacements as its stdio, every end of the pipes closed. 0, or
 * -1 with e set. */
int stdio_pipes_child(const struct stdio_pipes *sp, struct rterr *e);
/* Parent, after the fork: the child's ends closed. */
void stdio_pipes_parent(struct stdio_pipes *sp);
/* Any pipe to relay? */
bool stdio_pipes_any(const struct stdio_pipes *sp);

/* The parent's relay in the foreground: the pty's master (no console socket; rtexec's own
 * terminal, if stdin is one, in raw mode, its size given to the pty, undone by relay_end()
 * and on every other exit path at exit) or the stdio pipes above, to rtexec's own stdio.
 * Each channel copies one way: the caller's stdin to the command, the command's output to
 * rtexec's stdout or stderr. */
struct relay_chan {
	int from, to;
	bool from_open; /* not at its end */
	bool to_open;	/* still taking writes */
	bool input;	/* rtexec's stdin to the command */
	bool job;	/* from: a terminal, read while rtexec's job is its foreground */
	char last;	/* the last byte read (where the pty's end-of-file must end a line) */
	size_t n;	/* buf[0..n) read, not written yet */
	size_t drained; /* read after the command's exit */
	char buf[4096];
};
struct relay {
	int master; /* the pty's, or -1: pipes */
	size_t nch;
	struct relay_chan ch[3];
};
#define RELAY_POLLS 6 /* two entries per channel */
void relay_start_pty(struct relay *t, int master);
void relay_start_pipes(struct relay *t, const struct stdio_pipes *sp);
/* SIGWINCH: the size of rtexec's terminal to the pty (false: not a pty relay, the signal
 * is the command's). */
bool relay_resize(const struct relay *t);
/* The poll() entries, RELAY_POLLS of them: a side at its end or broken is left out (poll
 * reports a hang-up or an error whatever is asked, which would spin the relay), and so is a
 * terminal of a job in the background. The timeout for poll: -1, or RELAY_BG_MS where a
 * terminal is left out for that (to look again: nothing says when fg brings the job back). */
#define RELAY_BG_MS 200
int relay_poll(const struct relay *t, struct pollfd p[RELAY_POLLS]);
/* One round of copying after poll(). */
void relay_pump(struct relay *t, const struct pollfd p[RELAY_POLLS]);
/* The command exited: what its pty or pipes still hold to rtexec's stdio (bounded), the
 * command's stdin closed, the terminal restored. */
void relay_end(struct relay *t);

#endif
