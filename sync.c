#include "sync.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
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

int sync_send(int fd, enum sync_type type)
{
	struct sync_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	return send_msg(fd, &m);
}

void sync_send_failure(int fd, int status, const char *text)
{
	struct sync_msg m;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_FAILED;
	m.status = status;
	strncpy(m.text, text, sizeof(m.text) - 1);
	send_msg(fd, &m);
}

int sync_recv(int fd, struct sync_msg *m)
{
	ssize_t r;
	int resets = 0;

	/* A peer that closed with a message of ours unread (the child failed before reading
	 * GO) makes the first recv answer ECONNRESET, although its own report is queued: the
	 * error is cleared by that answer, the next recv returns the report. */
	do
		r = recv(fd, m, sizeof(*m), 0);
	while (r < 0 && (errno == EINTR || (errno == ECONNRESET && resets++ == 0)));
	if (r < 0)
		return -errno;
	if (r == 0) {
		m->type = SYNC_EOF;
		return 0;
	}
	if ((size_t)r != sizeof(*m) || m->type <= SYNC_EOF || m->type > SYNC_FAILED)
		return -EPROTO;
	m->text[sizeof(m->text) - 1] = '\0';
	return 0;
}

int sync_expect(int fd, enum sync_type type)
{
	struct sync_msg m;

	return sync_recv(fd, &m) == 0 && m.type == (int32_t)type ? 0 : -1;
}
