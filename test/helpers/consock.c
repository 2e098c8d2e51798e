/* Test helper: the engine's side of --console-socket. Listens on PATH, accepts one
 * connection, receives the pty master (SCM_RIGHTS) and prints "payload: TEXT" (what came
 * with it), "size: ROWS COLS" (the pty's window size), then everything the command writes to
 * its terminal until it is closed; optionally types TEXT into it first.
 * Gives up after 30 s. Usage: consock PATH [TEXT] */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char payload[64] = "", buf[4096], ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { payload, sizeof(payload) - 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)
	};
	struct winsize ws = { 0 };
	int l, c, master = -1;
	ssize_t n;

	if (argc < 2 || strlen(argv[1]) >= sizeof(sa.sun_path))
		return 2;
	strcpy(sa.sun_path, argv[1]);
	if ((l = socket(AF_UNIX, SOCK_STREAM, 0)) < 0 ||
	    bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 1) < 0)
		return 2;
	alarm(30); /* a test whose runtime never connects must not hang */
	printf("listening\n");
	fflush(stdout);
	if ((c = accept(l, NULL, NULL)) < 0 || (n = recvmsg(c, &mh, 0)) < 0)
		return 1;
	payload[n] = '\0';
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&mh); h; h = CMSG_NXTHDR(&mh, h))
		if (h->cmsg_type == SCM_RIGHTS)
			memcpy(&master, CMSG_DATA(h), sizeof(int));
	printf("payload: %s\n", payload);
	if (master < 0)
		return 1;
	ioctl(master, TIOCGWINSZ, &ws);
	printf("size: %u %u\n", ws.ws_row, ws.ws_col);
	fflush(stdout);
	if (argc > 2 && write(master, argv[2], strlen(argv[2])) < 0)
		return 1;
	/* Until the command and everything it left holding the slave are gone (EIO). */
	while ((n = read(master, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	return 0;
}
