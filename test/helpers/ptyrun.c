/* Test helper: runs a command on a new pty, as a person at a terminal would, and reports
 * what a terminal user would see.
 *   ptyrun [-s ROWSxCOLS] [-a MARK:ACTION]... [-t SECONDS] -- CMD [ARG]...
 * The pty starts at ROWSxCOLS (default 24x80); CMD is its session leader with it as the
 * controlling terminal. Everything CMD writes to the terminal goes to stdout. Once MARK
 * has appeared in that output ("" = at once), ACTION happens, in order:
 *   resize:ROWS:COLS   the window changes size (the kernel signals SIGWINCH)
 *   type:TEXT          TEXT is typed (\n, \r, \003 and \004 understood)
 * At the end, on stderr: "status N" (CMD's exit status, 128+N if killed), "modes restored"
 * or "modes changed" (the terminal's modes after CMD against before it), and "typed back:
 * TEXT" for any input left in the terminal's queue (what a TIOCSTI would leave there). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

struct action {
	const char *mark;
	const char *what;
};

static char seen[1 << 20];
static size_t nseen;

static void unescape(const char *in, char *out)
{
	for (; *in; in++) {
		if (*in != '\\' || !in[1]) {
			*out++ = *in;
			continue;
		}
		in++;
		if (*in == 'n')
			*out++ = '\n';
		else if (*in == 'r')
			*out++ = '\r';
		else if (*in >= '0' && *in <= '7') {
			*out++ = (char)strtol(in, NULL, 8);
			while (in[1] >= '0' && in[1] <= '7')
				in++;
		} else
			*out++ = *in;
	}
	*out = '\0';
}

static void act(int master, const char *what)
{
	char buf[4096];
	struct winsize ws = { 0 };

	if (sscanf(what, "resize:%hu:%hu", &ws.ws_row, &ws.ws_col) == 2) {
		ioctl(master, TIOCSWINSZ, &ws);
	} else if (strncmp(what, "type:", 5) == 0) {
		unescape(what + 5, buf);
		if (write(master, buf, strlen(buf)) < 0)
			perror("ptyrun: type");
	}
}

int main(int argc, char **argv)
{
	struct winsize ws = { 24, 80, 0, 0 };
	struct action acts[32];
	int nacts = 0, next = 0, opt, master, slave, st;
	double limit = 30;
	struct termios before, after;
	pid_t pid;
	time_t start = time(NULL);

	while ((opt = getopt(argc, argv, "+s:a:t:")) != -1) {
		if (opt == 's' && sscanf(optarg, "%hux%hu", &ws.ws_row, &ws.ws_col) == 2)
			continue;
		if (opt == 'a' && nacts < 32 && strchr(optarg, ':')) {
			char *colon = strchr(optarg, ':');
			*colon = '\0';
			acts[nacts++] = (struct action){ optarg, colon + 1 };
			continue;
		}
		if (opt == 't') {
			limit = atof(optarg);
			continue;
		}
		fprintf(stderr, "usage: ptyrun [-s RxC] [-a MARK:ACTION]... [-t S] -- CMD...\n");
		return 2;
	}
	if (optind >= argc || (master = posix_openpt(O_RDWR | O_NOCTTY)) < 0 ||
	    grantpt(master) < 0 || unlockpt(master) < 0 ||
	    (slave = open(ptsname(master), O_RDWR | O_NOCTTY)) < 0)
		return 2;
	ioctl(slave, TIOCSWINSZ, &ws);
	tcgetattr(slave, &before);
	if ((pid = fork()) == 0) {
		/* A terminal's foreground job starts with default dispositions, whatever ran
		 * the tests (a background job of a script ignores SIGINT and SIGQUIT). */
		for (int sig = 1; sig < NSIG; sig++)
			signal(sig, SIG_DFL);
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	for (;;) {
		struct pollfd p = { master, POLLIN, 0 };
		char buf[4096];
		ssize_t n;

		while (next < nacts &&
		       (acts[next].mark[0] == '\0' ||
			memmem(seen, nseen, acts[next].mark, strlen(acts[next].mark))))
			act(master, acts[next++].what);
		if (poll(&p, 1, 100) > 0 && (n = read(master, buf, sizeof(buf))) > 0) {
			fwrite(buf, 1, (size_t)n, stdout);
			fflush(stdout);
			if (nseen + (size_t)n < sizeof(seen)) {
				memcpy(seen + nseen, buf, (size_t)n);
				nseen += (size_t)n;
			}
			continue;
		}
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		if (difftime(time(NULL), start) > limit) {
			fprintf(stderr, "ptyrun: timed out\n");
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			break;
		}
	}
	tcgetattr(slave, &after);
	fprintf(stderr, "status %d\n", WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st));
	fprintf(stderr, "modes %s\n",
		before.c_lflag == after.c_lflag && before.c_iflag == after.c_iflag &&
				before.c_oflag == after.c_oflag
			? "restored"
			: "changed");
	/* What is left to read on the terminal's input side: typed back into it. */
	{
		int avail = 0;
		char buf[4096];

		fcntl(slave, F_SETFL, O_NONBLOCK);
		tcgetattr(slave, &after);
		cfmakeraw(&after);
		tcsetattr(slave, TCSANOW, &after);
		if (ioctl(slave, FIONREAD, &avail) == 0 && avail > 0) {
			ssize_t n = read(slave, buf, sizeof(buf) - 1);
			buf[n > 0 ? n : 0] = '\0';
			fprintf(stderr, "typed back: %s\n", buf);
		}
	}
	return 0;
}
