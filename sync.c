#include "sync.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int sync_channel(int fds[2])
{
	/* SEQPACKET keeps each report one message; CLOEXEC closes it on exec. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return -errno;
	return 0;
}

static int send_msg(int fd, const struct sync_msg *m)
{
	ssize_t r;

	do
		r = send(fd, m, sizeof(*m), MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == (ssize_t)sizeof(*m) ? 0 : -EPROTO;
}

int sync_send_fd(int fd, enum sync_type type, int passfd)
{
	struct sync_msg m;
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	ssize_t r;

	memset(&m, 0, sizeof(m));
	memset(&ctl, 0, sizeof(ctl));
	m.type = type;
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &passfd, sizeof(int));
	do
		r = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	return r == (ssize_t)sizeof(m) ? 0 : -EPROTO;
}

int sync_send(int fd, enum sync_type type)
{
	struct sync_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	return send_msg(fd, &m);
}

void sync_send_failure(int fd, int status, const struct rterr *e)
{
	struct sync_msg m;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_FAILED;
	m.status = status;
	m.err = e->err;
	strncpy(m.text, e->msg, sizeof(m.text) - 1);
	send_msg(fd, &m);
}

void sync_send_log(int fd, enum log_level level, const char *text)
{
	struct sync_msg m;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_LOG;
	m.status = level;
	strncpy(m.text, text, sizeof(m.text) - 1);
	send_msg(fd, &m);
}

/* The fd of a message that carries exactly one (SCM_RIGHTS), or -1. Every fd of one that
 * carries more (the kernel installs as many as the control buffer holds: two), or was cut
 * short (MSG_CTRUNC), is closed: a container that took the child's channel must not make
 * the parent hold fds. */
static int carried_fd(struct msghdr *mh)
{
	bool bad;
	int fd = -1, n = 0, f;

	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
		    c->cmsg_len < CMSG_LEN(0))
			continue;
		for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
			memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (n++ == 0)
				fd = f;
			else
				close(f);
		}
	}
	bad = n > 1 || (mh->msg_flags & MSG_CTRUNC);
	if (bad && fd >= 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

int sync_recv(int fd, struct sync_msg *m, int *passfd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	ssize_t r;
	int resets = 0, got;

	if (passfd)
		*passfd = -1;
	/* A peer that closed with a message of ours unread (the child failed before reading
	 * GO) makes the first recv answer ECONNRESET, although its own report is queued: the
	 * error is cleared by that answer, the next recv returns the report. */
	do {
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		r = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	} while (r < 0 && (errno == EINTR || (errno == ECONNRESET && resets++ == 0)));
	if (r < 0)
		return -errno;
	if ((got = carried_fd(&mh)) >= 0) {
		if (passfd)
			*passfd = got;
		else
			close(got);
	}
	if (r == 0) {
		m->type = SYNC_EOF;
		return 0;
	}
	if ((size_t)r != sizeof(*m) || m->type <= SYNC_EOF || m->type > SYNC_LOG) {
		if (passfd && *passfd >= 0)
			close(*passfd);
		if (passfd)
			*passfd = -1;
		return -EPROTO;
	}
	m->text[sizeof(m->text) - 1] = '\0';
	return 0;
}

int sync_expect(int fd, enum sync_type type)
{
	struct sync_msg m;

	return sync_recv(fd, &m, NULL) == 0 && m.type == (int32_t)type ? 0 : -1;
}

/* connect(), from the directory dir for a relative path: the name stays as given (a bundle's
 * path, 117 bytes under containerd, plus the name would not fit in sun_path), so rtexec moves
 * there for the call and back (it is single-threaded). */
static int connect_from(int sock, const char *dir, const struct sockaddr_un *sa, socklen_t len)
{
	int here, r, err;

	if (dir == NULL || sa->sun_path[0] == '/' || sa->sun_path[0] == '\0')
		return connect(sock, (const struct sockaddr *)sa, len) < 0 ? -errno : 0;
	if ((here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -errno;
	if (chdir(dir) < 0) {
		err = errno;
		close(here);
		return -err;
	}
	r = connect(sock, (const struct sockaddr *)sa, len) < 0 ? -errno : 0;
	err = fchdir(here) < 0 ? errno : 0;
	close(here);
	return err ? -err : r;
}

int engine_socket_connect(const char *what, const char *dir, const char *path, int *sock,
			  struct rterr *e)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	bool abstract = path[0] == '@';
	size_t n = strlen(path);
	int r;

	if (n >= sizeof(sa.sun_path) || n == abstract)
		return rterr_set(e, n ? ENAMETOOLONG : EINVAL, "%s %s", what, path);
	memcpy(sa.sun_path, path, n);
	if (abstract)
		sa.sun_path[0] = '\0';
	*sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (*sock < 0)
		return rterr_set(e, errno, "%s %s", what, path);
	r = connect_from(*sock, dir, &sa,
			 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + !abstract));
	if (r < 0) {
		close(*sock);
		*sock = -1;
		return rterr_set(e, -r, "%s %s: connect", what, path);
	}
	return 0;
}

int engine_socket_send(int sock, const char *what, const char *payload, int fd, struct rterr *e)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl;
	char text[16]; /* the payload, in writable memory for the iovec */
	struct iovec iov = { text, strlen(payload) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	struct pollfd p = { sock, POLLOUT, 0 };
	ssize_t n;
	int r;

	if (iov.iov_len >= sizeof(text))
		return rterr_set(e, EINVAL, "%s: send", what);
	memcpy(text, payload, iov.iov_len);
	memset(&ctl, 0, sizeof(ctl));
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	r = poll(&p, 1, 5000);
	if (r == 0)
		return rterr_set(e, ETIMEDOUT, "%s: send", what);
	if (r < 0 || (n = sendmsg(sock, &mh, MSG_NOSIGNAL)) < 0)
		return rterr_set(e, errno, "%s: send", what);
	if (n != (ssize_t)iov.iov_len)
		return rterr_set(e, EIO, "%s: send", what);
	return 0;
}
