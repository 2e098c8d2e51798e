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

/* Parent, foreground without a console socket: rtexec's own terminal (if stdin is one) in
 * raw mode, its size given to the pty; undone by tty_relay_end() and, on every other exit
 * path, at exit. */
struct tty_relay {
	int master;
	bool in_open;	  /* stdin not at EOF yet */
	bool master_open; /* the pty not at its end (EIO: no one holds the slave) */
	bool out_open;	  /* stdout still taking writes */
	char in[4096];	  /* stdin -> master, not written yet */
	size_t nin;
	char out[4096]; /* master -> stdout, not written yet */
	size_t nout;
};
void tty_relay_start(struct tty_relay *t, int master);
/* SIGWINCH: the size of rtexec's terminal to the pty. */
void tty_relay_resize(const struct tty_relay *t);
/* One round of copying after poll(): events of stdin, master, stdout. */
void tty_relay_pump(struct tty_relay *t, short in_ev, short master_ev, short out_ev);
/* The poll() entries of stdin, master and stdout: an fd at its end or broken is left out
 * (poll reports a hang-up or an error whatever is asked, which would spin the relay). */
void tty_relay_poll(const struct tty_relay *t, struct pollfd p[3]);
/* The command exited: what the master still holds to stdout, the terminal restored. */
void tty_relay_end(struct tty_relay *t);

#endif
