/* Test helper: what a container allowed to ptrace (CAP_SYS_PTRACE in the host's user
 * namespace) can do with the channel of rtexec's child. syncflood RTEXEC_PID SECONDS finds
 * rtexec's child, takes its end of the channel (pidfd_getfd: the first socket among its fds
 * 3..63) and sends log messages (SYNC_LOG, at error level, with a newline and a forged log
 * line in the text) as fast as it can for SECONDS, each with two fds attached (SCM_RIGHTS,
 * its /dev/null twice: a message that carries none must not cost the parent any), then prints how
 * many it sent. A test
 * helper: not part of rtexec (its wire format is sync.h's, written out here on purpose). */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NR_PIDFD_OPEN 434
#define NR_PIDFD_GETFD 438
#define WIRE_LOG 6 /* enum sync_type's SYNC_LOG */

struct wire {
	int32_t type, status, err;
	char text[1016];
};

static int child_of(const char *pid)
{
	char path[128];
	int child = 0;

	snprintf(path, sizeof(path), "/proc/%s/task/%s/children", pid, pid);
	for (int i = 0; i < 5000 && child == 0; i++) {
		FILE *f = fopen(path, "r");

		if (f) {
			if (fscanf(f, "%d", &child) != 1)
				child = 0;
			fclose(f);
		}
		if (child == 0)
			usleep(1000);
	}
	return child;
}

int main(int argc, char **argv)
{
	struct wire m;
	struct iovec iov = { &m, sizeof(m) };
	union {
		char buf[CMSG_SPACE(2 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct cmsghdr *c;
	int child, pidfd, sock = -1, null[2] = { open("/dev/null", O_RDONLY), -1 };
	long sent = 0;
	time_t end;

	if (argc != 3 || (child = child_of(argv[1])) == 0)
		return 2;
	if ((pidfd = (int)syscall(NR_PIDFD_OPEN, child, 0)) < 0)
		return 2;
	for (int fd = 3; fd < 64 && sock < 0; fd++) {
		int got = (int)syscall(NR_PIDFD_GETFD, pidfd, fd, 0);
		struct stat st;

		if (got >= 0 && fstat(got, &st) == 0 && S_ISSOCK(st.st_mode))
			sock = got;
		else if (got >= 0)
			close(got);
	}
	if (sock < 0) {
		fprintf(stderr, "syncflood: no socket in child %d\n", child);
		return 2;
	}
	null[1] = null[0];
	memset(&m, 0, sizeof(m));
	m.type = WIRE_LOG;
	m.status = 0; /* error level */
	snprintf(m.text, sizeof(m.text), "forged\ntime=\"x\" level=error msg=\"FORGED LINE\"");
	end = time(NULL) + atoi(argv[2]);
	for (;;) {
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(2 * sizeof(int));
		memcpy(CMSG_DATA(c), null, 2 * sizeof(int));
		if (time(NULL) >= end || sendmsg(sock, &mh, MSG_NOSIGNAL) != (ssize_t)sizeof(m))
			break;
		sent++;
	}
	printf("sent %ld\n", sent);
	return 0;
}
