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

/* ---- the relay ---- */

static struct termios saved;
static bool raw;

static void restore(void)
{
	if (raw)
		tcsetattr(STDIN_FILENO, TCSADRAIN, &saved);
	raw = false;
}

void tty_relay_start(struct tty_relay *t, int master)
{
	struct termios tio;

	memset(t, 0, sizeof(*t));
	t->master = master;
	t->in_open = t->master_open = t->out_open = true;
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
	tty_relay_resize(t);
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

void tty_relay_resize(const struct tty_relay *t)
{
	struct winsize ws;

	if (caller_size(&ws))
		ioctl(t->master, TIOCSWINSZ, &ws);
}

/* A side whose buffer is full is not polled at all: the kernel reports a hang-up whatever
 * is asked, and one read into no room (0 bytes) looked like its end (what the command wrote
 * last, or the rest of a piped stdin, was dropped). */
void tty_relay_poll(const struct tty_relay *t, struct pollfd p[3])
{
	short master = (short)((t->nout < sizeof(t->out) ? POLLIN : 0) | (t->nin ? POLLOUT : 0));

	p[0].fd = t->in_open && t->nin + 1 < sizeof(t->in) ? STDIN_FILENO : -1;
	p[0].events = POLLIN;
	p[1].fd = t->master_open && master ? t->master : -1;
	p[1].events = master;
	p[2].fd = t->out_open ? STDOUT_FILENO : -1;
	p[2].events = t->nout ? POLLOUT : 0;
}

/* Writes what it can of buf[0..*n) to fd, keeping the rest. false: fd is broken (the
 * reader went away), what was kept is dropped. */
static bool flush(int fd, char *buf, size_t *n)
{
	ssize_t w = write(fd, buf, *n);

	if (w > 0) {
		memmove(buf, buf + w, *n - (size_t)w);
		*n -= (size_t)w;
	} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
		*n = 0;
		return false;
	}
	return true;
}

/* stdin at its end: the pty's end-of-file character, so that the command sees it too. */
static void stdin_closed(struct tty_relay *t)
{
	struct termios tio;

	t->in_open = false;
	if (!raw && tcgetattr(t->master, &tio) == 0 && t->nin < sizeof(t->in))
		t->in[t->nin++] = (char)tio.c_cc[VEOF];
}

void tty_relay_pump(struct tty_relay *t, short in_ev, short master_ev, short out_ev)
{
	ssize_t r;

	/* One byte kept for the end-of-file character (stdin_closed). */
	if ((in_ev & (POLLIN | POLLHUP)) && t->nin + 1 < sizeof(t->in)) {
		r = read(STDIN_FILENO, t->in + t->nin, sizeof(t->in) - 1 - t->nin);
		if (r > 0)
			t->nin += (size_t)r;
		else if (r == 0 || (errno != EINTR && errno != EAGAIN))
			stdin_closed(t);
	}
	if ((master_ev & POLLOUT) && t->nin)
		flush(t->master, t->in, &t->nin);
	if ((master_ev & (POLLIN | POLLHUP | POLLERR)) && t->nout < sizeof(t->out)) {
		r = read(t->master, t->out + t->nout, sizeof(t->out) - t->nout);
		/* stdout gone (its reader went away): read on all the same, and drop it, or the
		 * command would block writing to its full terminal, and rtexec wait for it. */
		if (r > 0 && t->out_open)
			t->nout += (size_t)r;
		else if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
			t->master_open = false; /* EIO: the command closed its terminal */
	}
	if ((out_ev & (POLLOUT | POLLERR | POLLHUP)) && t->nout &&
	    !flush(STDOUT_FILENO, t->out, &t->nout))
		t->out_open = false;
	else if ((out_ev & (POLLERR | POLLHUP)) && !t->nout)
		t->out_open = false;
}

/* What the pty may hold when the command exits, and more: a process it left behind that
 * keeps writing (faster than rtexec's reader takes it) does not hold rtexec for ever. */
#define DRAIN_MAX (1 << 20)
#define DRAIN_MS 2000

void tty_relay_end(struct tty_relay *t)
{
	long long end = sys_now_ms() + DRAIN_MS;
	size_t drained = 0;
	ssize_t r;

	/* The command is gone; what it wrote last is still in the pty (EIO once no one holds
	 * the slave, EAGAIN while a process it left behind does). */
	do {
		/* stdout's reader may be slow or stopped: waited for until the deadline, not
		 * spun on (a non-blocking stdout) or blocked on for ever */
		while (t->nout && t->out_open) {
			struct pollfd o = { STDOUT_FILENO, POLLOUT, 0 };
			long long left = end - sys_now_ms();

			if (left <= 0 || poll(&o, 1, (int)left) != 1) {
				t->nout = 0;
				break;
			}
			if (!flush(STDOUT_FILENO, t->out, &t->nout))
				t->out_open = false;
		}
		if (!t->out_open || !t->master_open || drained >= DRAIN_MAX)
			break;
		if (sys_now_ms() >= end)
			break;
		r = read(t->master, t->out, sizeof(t->out));
		t->nout = r > 0 ? (size_t)r : 0;
		drained += t->nout;
	} while (r > 0);
	restore();
}
