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

void sync_report(int fd, int status, const char *text)
{
	struct sync_msg m;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_FAILED;
	m.status = status;
	strncpy(m.text, text, sizeof(m.text) - 1);
	while (send(fd, &m, sizeof(m), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

int sync_read(int fd, struct sync_msg *m)
{
	ssize_t r;

	do
		r = recv(fd, m, sizeof(*m), 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	if (r == 0)
		return 0;
	if ((size_t)r != sizeof(*m))
		return -EPROTO;
	m->text[sizeof(m->text) - 1] = '\0';
	return 1;
}

#define GO 'G'

int sync_send_go(int fd)
{
	char go = GO;

	if (send(fd, &go, 1, MSG_NOSIGNAL) != 1)
		return -errno;
	return 0;
}

int sync_wait_go(int fd)
{
	char buf[8];
	ssize_t r;

	do
		r = recv(fd, buf, sizeof(buf), 0);
	while (r < 0 && errno == EINTR);
	return r == 1 && buf[0] == GO ? 0 : -1;
}

void sync_exec(int fd)
{
	struct sync_msg m;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_EXEC;
	while (send(fd, &m, sizeof(m), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

int sync_ready(int fd)
{
	struct sync_msg m;

	memset(&m, 0, sizeof(m));
	m.type = SYNC_READY;
	if (send(fd, &m, sizeof(m), MSG_NOSIGNAL) != (ssize_t)sizeof(m))
		return -1;
	return sync_wait_go(fd);
}
