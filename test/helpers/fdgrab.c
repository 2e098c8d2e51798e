/* Test helper: the init of a hostile container allowed to ptrace (CAP_SYS_PTRACE in the
 * host's user namespace, no user namespace of its own), grabbing the fds of every new process
 * that appears in its pid namespace, as rtexec's child does before its exec.
 *     fdgrab DELAY_MS OUT REL... -- CMD...
 * Forks: the parent execs CMD (the container's init stays CMD); the child scans /proc for new
 * pids for ever and, DELAY_MS after it first saw one, takes its fds 3..63 with pidfd_getfd
 * and tries to open each REL (a path relative to the host's root, or to its /proc) through
 * every fd it got, and notes each regular file it got open for writing (the delay: what a
 * process holds some time after its birth, not the race for its first instructions). Every
 * success is appended to OUT as "ESCAPE REL" (with the fd's target): a host file reached
 * from inside.
 * A test helper (static musl, the container has no libc): not part of rtexec. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define NR_PIDFD_OPEN 434
#define NR_PIDFD_GETFD 438
#define SEEN_MAX 65536

static long long first_seen[SEEN_MAX]; /* ms; -1: done */

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void report(const char *out, const char *rel, int fd)
{
	char link[64], target[256] = "?", line[512];
	int o = open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	if ((n = readlink(link, target, sizeof(target) - 1)) >= 0)
		target[n] = '\0';
	n = snprintf(line, sizeof(line), "ESCAPE %s through %s\n", rel, target);
	if (o >= 0) {
		(void)!write(o, line, (size_t)n);
		close(o);
	}
}

/* A regular file open for writing: a host file written from inside (the caller's log). */
static int writable_file(int fd)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);

	return fl >= 0 && (fl & O_ACCMODE) != O_RDONLY && fstat(fd, &st) == 0 &&
	       S_ISREG(st.st_mode);
}

static void grab(pid_t pid, char **rels, int nrels, const char *out)
{
	int pidfd = (int)syscall(NR_PIDFD_OPEN, pid, 0);

	if (pidfd < 0)
		return;
	for (int fd = 3; fd < 64; fd++) {
		int got = (int)syscall(NR_PIDFD_GETFD, pidfd, fd, 0);
		if (got < 0)
			continue;
		if (writable_file(got))
			report(out, "(a writable file)", got);
		for (int i = 0; i < nrels; i++) {
			int f = openat(got, rels[i], O_RDONLY | O_CLOEXEC);
			if (f >= 0) {
				report(out, rels[i], got);
				close(f);
			}
		}
		close(got);
	}
	close(pidfd);
}

int main(int argc, char **argv)
{
	int sep = 0;

	for (int i = 1; i < argc && !sep; i++)
		if (strcmp(argv[i], "--") == 0)
			sep = i;
	long long delay;

	if (argc < 5 || sep < 3 || sep + 1 >= argc)
		return 2;
	delay = atoll(argv[1]);
	if (fork() != 0) {
		execvp(argv[sep + 1], argv + sep + 1);
		return 127;
	}
	first_seen[1] = first_seen[getpid()] = -1;
	for (;;) {
		DIR *d = opendir("/proc");
		struct dirent *e;
		long long now = now_ms();

		while (d && (e = readdir(d)) != NULL) {
			long pid = strtol(e->d_name, NULL, 10);
			if (pid <= 0 || pid >= SEEN_MAX || first_seen[pid] < 0)
				continue;
			if (first_seen[pid] == 0)
				first_seen[pid] = now;
			if (now - first_seen[pid] < delay)
				continue;
			grab((pid_t)pid, argv + 3, sep - 3, argv[2]);
			first_seen[pid] = -1;
		}
		if (d)
			closedir(d);
		usleep(1000);
	}
}
