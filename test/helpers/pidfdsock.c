/* Test helper: the engine's side of runc's --pidfd-socket. Listens on PATH, accepts one
 * connection, receives one fd (SCM_RIGHTS) and prints "payload: TEXT" (what came with it),
 * "pid: N" (the process the pidfd refers to, from its fdinfo; -1 once it has exited and been
 * reaped), then, with "kill FILE", SIGKILLs it through the pidfd once FILE exists (the
 * runtime's pid file: the command runs); then waits at most 10 s for
 * the pidfd to say the process exited ("exited") or prints "still running".
 * With "close", closes the connection at once instead, taking nothing. Gives up after 30 s.
 * PATH "@NAME": the abstract socket NAME. Usage: pidfdsock PATH [kill FILE | close] */
#define _GNU_SOURCE
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char payload[64] = "", ctl[CMSG_SPACE(sizeof(int))], path[64], line[256];
	struct iovec iov = { payload, sizeof(payload) - 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)
	};
	int l, c, pidfd = -1;
	ssize_t n;
	FILE *f;

	if (argc < 2 || strlen(argv[1]) >= sizeof(sa.sun_path))
		return 2;
	strcpy(sa.sun_path, argv[1]);
	if (argv[1][0] == '@') /* an abstract name, as Go writes one */
		sa.sun_path[0] = '\0';
	if ((l = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    bind(l, (struct sockaddr *)&sa,
		 (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(argv[1]))) < 0 ||
	    listen(l, 1) < 0)
		return 2;
	alarm(30); /* a test that never connects must not hang */
	printf("listening\n");
	fflush(stdout);
	if ((c = accept(l, NULL, NULL)) < 0)
		return 1;
	if (argc > 2 && strcmp(argv[2], "close") == 0) { /* a listener that takes nothing */
		close(c);
		printf("closed\n");
		return 0;
	}
	if ((n = recvmsg(c, &mh, 0)) < 0)
		return 1;
	payload[n] = '\0';
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&mh); h; h = CMSG_NXTHDR(&mh, h))
		if (h->cmsg_type == SCM_RIGHTS)
			memcpy(&pidfd, CMSG_DATA(h), sizeof(int));
	printf("payload: %s\n", payload);
	if (pidfd < 0)
		return 1;
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", pidfd);
	if ((f = fopen(path, "r")) == NULL)
		return 1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Pid:", 4) == 0)
			printf("pid: %d\n", atoi(line + 4));
	fclose(f);
	if (argc > 3 && strcmp(argv[2], "kill") == 0) {
		struct timespec tick = { 0, 10000000 };
		while (access(argv[3], F_OK) < 0) /* until the runtime says the command runs */
			nanosleep(&tick, NULL);
		if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0) < 0)
			perror("pidfd_send_signal");
	}
	struct pollfd p = { pidfd, POLLIN, 0 };
	printf("%s\n", poll(&p, 1, 10000) == 1 ? "exited" : "still running");
	return 0;
}
