#include "tty.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fmt.h"
#include "syscalls.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41) /* Linux 4.13 */
#endif

#define DEVPTS_MAGIC 0x1cd1 /* linux/magic.h DEVPTS_SUPER_MAGIC */

/* The container's devpts: dev/pts resolved inside its root, which must prove to be one. Its
 * dev/ptmx is not used: the container makes it what it likes (a link to any device its
 * cgroup allows, which the child, still the host's uid 0, may open where the container's own
 * root may not: a watchdog armed, a tape rewound), while a devpts holds nothing but ptys. */
static int open_devpts(int root, struct rterr *e)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	struct statfs sf;
	int pts = sys_openat2(root, "dev/pts", &how);

	if (pts < 0 && errno == ENOSYS) /* our root is the container's: plain open stays in it */
		pts = sys_openat(root, "dev/pts", (int)how.flags, 0);
	if (pts < 0)
		return rterr_set(e, errno, "terminal: open the container's /dev/pts");
	if (fstatfs(pts, &sf) < 0 || (unsigned long)sf.f_type != DEVPTS_MAGIC) {
		close(pts);
		return rterr_set(e, 0, "terminal: the container's /dev/pts is no devpts");
	}
	return pts;
}

/* A name in the devpts, neither a link nor a mount over it (what is opened is one of its
 * ptys). Before Linux 5.6 (no openat2) only links are refused. */
static int open_in_devpts(int pts, const char *name)
{
	struct open_how how = { .flags = O_RDWR | O_NOCTTY | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
					   RESOLVE_NO_XDEV };
	int fd = sys_openat2(pts, name, &how);

	if (fd < 0 && errno == ENOSYS)
		fd = sys_openat(pts, name, (int)how.flags | O_NOFOLLOW, 0);
	return fd;
}

/* Its ptmx, checked to be a pty master. */
static int open_master(int pts, unsigned *n, struct rterr *e)
{
	int m = open_in_devpts(pts, "ptmx"), zero = 0;

	if (m < 0)
		return rterr_set(e, errno, "terminal: open the container's /dev/pts/ptmx");
	if (ioctl(m, TIOCGPTN, n) < 0 || ioctl(m, TIOCSPTLCK, &zero) < 0) {
		close(m);
		return rterr_set(e, 0, "terminal: the container's /dev/pts/ptmx is no pty master");
	}
	return m;
}

/* Its slave, by the master itself where the kernel can (no path the container controls). */
static int open_slave(int pts, int master, unsigned n, struct rterr *e)
{
	char name[16];
	int s = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (s >= 0 || (errno != EINVAL && errno != ENOTTY))
		return s >= 0 ? s : rterr_set(e, errno, "terminal: open the pty's slave");
	fmt_snprintf(name, sizeof(name), "%u", n);
	if ((s = open_in_devpts(pts, name)) < 0)
		return rterr_set(e, errno, "terminal: open /dev/pts/%s", name);
	if (!isatty(s)) {
		close(s);
		return rterr_set(e, 0, "terminal: /dev/pts/%s is no terminal", name);
	}
	return s;
}

/* The slave becomes the controlling terminal of the child's session, and its stdio. */
static int make_stdio(int slave, uid_t uid, unsigned short rows, unsigned short cols,
		      struct rterr *e)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };

	/* The command may be another user: its terminal must be its own to write to. */
	if (fchown(slave, uid, (gid_t)-1) < 0)
		return rterr_set(e, errno, "terminal: chown the pty to uid %u", (unsigned)uid);
	if ((rows || cols) && ioctl(slave, TIOCSWINSZ, &ws) < 0)
		return rterr_set(e, errno, "terminal: set the size %ux%u", rows, cols);
	if (ioctl(slave, TIOCSCTTY, 0) < 0) /* the child's own session (process.c) */
		return rterr_set(e, errno, "terminal: make the pty the controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return rterr_set(e, errno, "terminal: make the pty stdio");
	return 0;
}

int tty_child_open(uid_t uid, unsigned short rows, unsigned short cols, int *master,
		   struct rterr *e)
{
	int root = sys_open("/", O_PATH | O_DIRECTORY | O_CLOEXEC, 0), pts, m = -1, s = -1, r = -1;
	unsigned n;

	if (root < 0)
		return rterr_set(e, errno, "terminal: open /");
	pts = open_devpts(root, e);
	close(root);
	if (pts < 0)
		return -1;
	if ((m = open_master(pts, &n, e)) >= 0 && (s = open_slave(pts, m, n, e)) >= 0)
		r = make_stdio(s, uid, rows, cols, e);
	close(pts);
	if (s > 2)
		close(s);
	if (r < 0) {
		if (m >= 0)
			close(m);
		return -1;
	}
	*master = m;
	return 0;
}

/* ---- the caller's terminal as stdio, without -t ---- */

static void stdio_pipes_close(struct stdio_pipes *sp)
{
	for (int i = 0; i < 3; i++) {
		if (sp->child[i] >= 0)
			close(sp->child[i]);
		if (sp->parent[i] >= 0)
			close(sp->parent[i]);
		sp->child[i] = sp->parent[i] = -1;
	}
}

int stdio_pipes_open(struct stdio_pipes *sp, bool pty, bool detach, struct rterr *e)
{
	static const char *const names[3] = { "stdin", "stdout", "stderr" };
	char which[32] = "";
	int p[2];

	for (int i = 0; i < 3; i++)
		sp->child[i] = sp->parent[i] = -1;
	for (int i = 0; i < 3 && !pty; i++) {
		if (!isatty(i))
			continue;
		if (detach) {
			sp->child[i] = sys_open("/dev/null", O_RDWR | O_CLOEXEC, 0);
			if (sp->child[i] < 0)
				goto fail;
			fmt_snprintf(which + strlen(which), sizeof(which) - strlen(which), "%s%s",
				     which[0] ? ", " : "", names[i]);
			continue;
		}
		if (pipe2(p, O_CLOEXEC) < 0)
			goto fail;
		sp->child[i] = p[i == 0 ? 0 : 1];
		sp->parent[i] = p[i == 0 ? 1 : 0];
		/* The parent's end only: the command's stdio stays blocking. */
		if (fcntl(sp->parent[i], F_SETFL, O_NONBLOCK) < 0)
			goto fail;
	}
	if (which[0])
		logmsg(LOG_WARN,
		       "detached: the caller's terminal does not reach the container: the "
		       "command's %s /dev/null",
		       which);
	return 0;
fail:
	rterr_set(e, errno, "stdio: %s", detach ? "open /dev/null" : "pipe");
	stdio_pipes_close(sp);
	return -1;
}

int stdio_pipes_child(const struct stdio_pipes *sp, struct rterr *e)
{
	struct stdio_pipes own = *sp;

	for (int i = 0; i < 3; i++)
		if (own.child[i] >= 0 && dup2(own.child[i], i) < 0)
			return rterr_set(e, errno, "stdio: the pipe as fd %d", i);
	stdio_pipes_close(&own);
	return 0;
}

void stdio_pipes_parent(struct stdio_pipes *sp)
{
	for (int i = 0; i < 3; i++)
		if (sp->child[i] >= 0) {
			close(sp->child[i]);
			sp->child[i] = -1;
		}
}

bool stdio_pipes_any(const struct stdio_pipes *sp)
{
	return sp->parent[0] >= 0 || sp->parent[1] >= 0 || sp->parent[2] >= 0;
}

/* ---- the relay ---- */

static struct termios saved;
static bool raw;

static void restore(void)
{
	if (raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
	raw = false;
}

static void chan_add(struct relay *t, int from, int to, bool input)
{
	struct relay_chan *c = &t->ch[t->nch++];

	c->from = from;
	c->to = to;
	c->from_open = c->to_open = true;
	c->input = input;
	c->job = false;
	c->last = '\n';
	c->n = 0;
}

#ifndef TIOCGDEV
#define TIOCGDEV _IOR('T', 0x32, unsigned int)
#endif

/* The caller's fd (stdin, stdout, stderr), where it is a terminal: a description of its own,
 * non-blocking, for the relay (the caller's fds are blocking and shared with its shell: a
 * read that lost the input to another reader of the terminal, a pager in the same pipeline,
 * waited for the next key, and a write to a terminal whose reader stopped, for ever, the
 * command's exit and signals unseen either way). Not for a pty master (opening it again
 * makes a new pty) nor where the open reaches another terminal than fd's (a /dev/tty of
 * another session): fd itself then. *job: a terminal whose job control applies. */
static int own_tty(int fd, int flags, bool *job)
{
	char path[32];
	unsigned n, d0, d1;
	int own;

	*job = false;
	if (!isatty(fd) || ioctl(fd, TIOCGPTN, &n) == 0)
		return fd;
	*job = true;
	fmt_snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	own = sys_open(path, flags | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
	if (own >= 0 &&
	    (ioctl(fd, TIOCGDEV, &d0) < 0 || ioctl(own, TIOCGDEV, &d1) < 0 || d0 != d1)) {
		close(own);
		own = -1;
		errno = EXDEV;
	}
	if (own < 0)
		debug("terminal on fd %d: no description of rtexec's own (%s): relayed blocking",
		      fd, rt_strerror(errno));
	return own < 0 ? fd : own;
}

static void chan_own_ttys(struct relay_chan *c)
{
	bool job;

	if (c->input)
		c->from = own_tty(c->from, O_RDONLY, &c->job);
	else
		c->to = own_tty(c->to, O_WRONLY, &job);
}

void relay_start_pty(struct relay *t, int master)
{
	struct termios tio;

	t->master = master;
	t->nch = 0;
	chan_add(t, STDIN_FILENO, master, true);
	chan_add(t, master, STDOUT_FILENO, false);
	chan_own_ttys(&t->ch[0]);
	chan_own_ttys(&t->ch[1]);
	fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		tio = saved;
		cfmakeraw(&tio);
		if (tcsetattr(STDIN_FILENO, TCSADRAIN, &tio) == 0) {
			raw = true;
			if (log_at_exit(restore) < 0)
				restore(); /* no way to give it back later: not raw at all */
		}
	}
	relay_resize(t);
}

void relay_start_pipes(struct relay *t, const struct stdio_pipes *sp)
{
	t->master = -1;
	t->nch = 0;
	if (sp->parent[0] >= 0)
		chan_add(t, STDIN_FILENO, sp->parent[0], true);
	for (int i = 1; i < 3; i++)
		if (sp->parent[i] >= 0)
			chan_add(t, sp->parent[i], i, false);
	for (size_t i = 0; i < t->nch; i++)
		chan_own_ttys(&t->ch[i]);
}

static bool caller_size(struct winsize *ws)
{
	return ioctl(STDIN_FILENO, TIOCGWINSZ, ws) == 0 ||
	       ioctl(STDOUT_FILENO, TIOCGWINSZ, ws) == 0;
}

void tty_caller_size(unsigned short *rows, unsigned short *cols)
{
	struct winsize ws;

	if (caller_size(&ws) && ws.ws_row && ws.ws_col) {
		*rows = ws.ws_row;
		*cols = ws.ws_col;
	}
}

/* A caller's terminal without a size (a serial console says 0 x 0) leaves the pty's alone,
 * as tty_caller_size() does: consoleSize stays. */
bool relay_resize(const struct relay *t)
{
	struct winsize ws;

	if (t->master < 0)
		return false;
	if (caller_size(&ws) && ws.ws_row && ws.ws_col)
		ioctl(t->master, TIOCSWINSZ, &ws);
	return true;
}

/* Room kept in an input channel for the pty's end-of-file characters (stdin_closed). */
#define EOF_ROOM 2

/* A side whose buffer is full is not polled at all: the kernel reports a hang-up whatever
 * is asked, and one read into no room (0 bytes) looked like its end (what the command wrote
 * last, or the rest of a piped stdin, was dropped). */
/* A terminal is read only while rtexec's job is its foreground one: from the background a read
 * stops rtexec (SIGTTIN) at the first key typed for the shell, whether the command wants input
 * or not. Nothing tells a running job that fg made it the foreground (a shell continues only
 * a stopped one): the relay looks again every RELAY_BG_MS (relay_poll's answer). */
static bool foreground(const struct relay_chan *c)
{
	pid_t fg;

	return !c->job || (fg = tcgetpgrp(STDIN_FILENO)) < 0 || fg == getpgrp();
}

int relay_poll(const struct relay *t, struct pollfd p[RELAY_POLLS])
{
	int timeout = -1;

	for (size_t i = 0; i < RELAY_POLLS / 2; i++) {
		const struct relay_chan *c = &t->ch[i];
		struct pollfd *from = &p[2 * i], *to = &p[2 * i + 1];
		bool room = c->n + (c->input ? EOF_ROOM : 0) < sizeof(c->buf);

		from->fd = to->fd = -1;
		from->revents = to->revents = 0;
		if (i >= t->nch)
			continue;
		from->fd = -1;
		if (c->from_open && room && !foreground(c))
			timeout = RELAY_BG_MS;
		else if (c->from_open && room)
			from->fd = c->from;
		from->events = POLLIN;
		to->fd = c->to_open ? c->to : -1;
		to->events = c->n ? POLLOUT : 0;
	}
	return timeout;
}

/* Writes what it can of c->buf to c->to, keeping the rest. false: the other side is broken
 * (its reader went away), what was kept is dropped. */
static bool flush(struct relay_chan *c)
{
	ssize_t w = write(c->to, c->buf, c->n);

	if (w > 0) {
		memmove(c->buf, c->buf + w, c->n - (size_t)w);
		c->n -= (size_t)w;
	} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
		c->n = 0;
		return false;
	}
	return true;
}

/* The command's side of an input channel is gone: stdin is not read any more (what is typed
 * next stays the caller's). */
static void input_gone(struct relay_chan *c)
{
	c->to_open = false;
	c->from_open = false;
	c->n = 0;
}

/* stdin at its end. A pty: its end-of-file character, where the command's terminal is in
 * canonical mode (raw, it would be a byte of data), twice after a line not ended (the first
 * only hands the command that line). A pipe: closed once what is kept is written. */
static void stdin_closed(struct relay *t, struct relay_chan *c)
{
	struct termios tio;

	c->from_open = false;
	if (c->to != t->master || raw || tcgetattr(t->master, &tio) < 0 || !(tio.c_lflag & ICANON))
		return;
	if (c->last != '\n' && c->last != (char)tio.c_cc[VEOF])
		c->buf[c->n++] = (char)tio.c_cc[VEOF];
	c->buf[c->n++] = (char)tio.c_cc[VEOF];
}

static void chan_pump(struct relay *t, struct relay_chan *c, short from_ev, short to_ev)
{
	size_t room = sizeof(c->buf) - c->n - (c->input ? EOF_ROOM : 0);
	ssize_t r;

	/* Any event: a broken stdin (POLLERR, POLLNVAL) reads as its end, not polled again. A
	 * terminal is read only in the foreground (the job may have been sent to the background
	 * while poll waited). */
	if (from_ev && c->from_open && room > 0 && foreground(c)) {
		r = read(c->from, c->buf + c->n, room);
		if (r > 0) {
			c->last = c->buf[c->n + (size_t)r - 1];
			/* The caller's side gone (its reader went away): the command's output is
			 * read on all the same, and dropped, or the command would block writing to
			 * its full terminal or pipe, and rtexec wait for it. */
			if (c->to_open)
				c->n += (size_t)r;
		} else if (r == 0 || (errno != EINTR && errno != EAGAIN)) {
			/* EIO from a pty: the command closed its terminal */
			if (c->input)
				stdin_closed(t, c);
			else
				c->from_open = false;
		}
	}
	if (c->to_open && c->n && (to_ev & (POLLOUT | POLLERR | POLLHUP))) {
		if (!flush(c))
			c->to_open = false;
	} else if (c->to_open && (to_ev & (POLLERR | POLLHUP | POLLNVAL))) {
		c->to_open = false;
	}
	if (c->input && !c->to_open)
		input_gone(c);
	/* A pipe to the command's stdin at its end, all written: closed (the command reads
	 * its end-of-file). */
	if (c->input && !c->from_open && !c->n && c->to_open && c->to != t->master) {
		close(c->to);
		c->to = -1;
		c->to_open = false;
	}
}

void relay_pump(struct relay *t, const struct pollfd p[RELAY_POLLS])
{
	for (size_t i = 0; i < t->nch; i++)
		chan_pump(t, &t->ch[i], p[2 * i].revents, p[2 * i + 1].revents);
}

/* What the pty or pipes may hold when the command exits, and more: a process it left
 * behind that keeps writing (faster than rtexec's reader takes it) does not hold rtexec for
 * ever. */
#define DRAIN_MAX (1 << 20)
#define DRAIN_MS 2000

/* What is kept written within the deadline (the caller's reader may be slow or stopped:
 * waited for, not spun on). false: not all of it (dropped), or the other side is gone. */
static bool drain_flush(struct relay_chan *c, long long end)
{
	while (c->n && c->to_open) {
		struct pollfd o = { c->to, POLLOUT, 0 };
		long long left = end - sys_now_ms();

		if (left <= 0 || poll(&o, 1, (int)left) != 1) {
			c->n = 0;
			return false;
		}
		if (!flush(c))
			c->to_open = false;
	}
	return c->to_open;
}

/* The command is gone; what it wrote last is still in the pty or pipe (the end once no one
 * holds the other side, EAGAIN while a process it left behind does). One step: what is kept,
 * then one read, written at once (a chunk read and kept for a later step was dropped when
 * another channel's slow reader took the deadline meanwhile). true: go on. */
static bool drain_step(struct relay_chan *c, long long end)
{
	ssize_t r;

	if (!drain_flush(c, end) || !c->from_open || c->drained >= DRAIN_MAX || sys_now_ms() >= end)
		return false;
	r = read(c->from, c->buf, sizeof(c->buf));
	c->n = r > 0 ? (size_t)r : 0;
	c->drained += c->n;
	return drain_flush(c, end) && r > 0;
}

/* stdout and stderr in turns, each up to DRAIN_MAX: a process left behind that floods one
 * does not cost the other its last lines (an error message). */
void relay_end(struct relay *t)
{
	long long end = sys_now_ms() + DRAIN_MS;
	bool more;

	for (size_t i = 0; i < t->nch; i++) {
		struct relay_chan *c = &t->ch[i];

		c->drained = 0;
		if (c->input && c->to >= 0 && c->to != t->master) {
			close(c->to); /* a process left behind reads its end, not the caller's */
			c->to = -1;
		}
	}
	do {
		more = false;
		for (size_t i = t->nch; i-- > 0;) /* stderr first: a stopped reader of stdout */
			if (!t->ch[i].input && drain_step(&t->ch[i], end)) /* takes the deadline */
				more = true;
	} while (more);
	for (size_t i = 0; i < t->nch; i++) { /* the terminals' own descriptions */
		struct relay_chan *c = &t->ch[i];

		if (c->input && c->from != STDIN_FILENO)
			close(c->from);
		if (!c->input && c->to != STDOUT_FILENO && c->to != STDERR_FILENO)
			close(c->to);
	}
	restore();
}
