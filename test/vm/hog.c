/* A CPU hog for the guest: hog PRE RUN fifo|fifo+lru|other [CGROUP_FILE]...
 * Pins itself to CPU PRE, moves itself into each cgroup by writing "0" to CGROUP_FILE
 * (cgroup.procs or v1 tasks), pins itself to CPU RUN, takes SCHED_FIFO priority 50 ("fifo")
 * or stays SCHED_OTHER ("other"), and busy-loops forever. "fifo+lru": also faults in 8 new
 * pages of memory on RUN first, as a real-time task does before its loop; the kernel keeps
 * them in that CPU's LRU batch, which nothing drains while the hog spins: a drain of every
 * CPU (lru_add_drain_all) then waits for a worker of RUN that never runs. Prints its pid once it spins and
 * returns, so `pid=$(hog ...)` waits until the CPU is really taken.
 * PRE must be a CPU that is not monopolised: a task that enters a cpuset may be moved to any
 * CPU of it, and on a CPU a SCHED_FIFO hog owns it would never run again. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define HOG_PRIORITY 50

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

#define LRU_PAGES 8 /* fewer than a batch holds (15): the batch filling moves none on */

#ifndef MADV_COLD
#define MADV_COLD 20
#endif

/* This CPU's batch emptied first (MADV_COLD drains it, lru_add_drain), so that it holds
 * exactly these pages: ones an earlier hog left there could make it fill and move them on. */
static void fault_pages(void)
{
	void *map = mmap(NULL, LRU_PAGES * 4096, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile char *mem = map;

	if (map == MAP_FAILED || madvise(map, LRU_PAGES * 4096, MADV_COLD) < 0)
		_exit(1);
	for (int i = 0; i < LRU_PAGES; i++)
		mem[i * 4096] = 1;
}

static int join(const char *file)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC), r;

	if (fd < 0)
		return -1;
	r = write(fd, "0", 1) == 1 ? 0 : -1;
	close(fd);
	return r;
}

/* The child: becomes the hog, tells the parent through fd when it is in place. */
static void become_hog(int fd, int pre, int run, int fifo, int lru, char **files)
{
	struct sched_param sp = { .sched_priority = HOG_PRIORITY };
	char c = 1;

	if (pin(pre) < 0)
		_exit(1);
	for (; *files; files++)
		if (join(*files) < 0) {
			fprintf(stderr, "hog: join %s: %s\n", *files, strerror(errno));
			_exit(1);
		}
	if (pin(run) < 0 || (fifo && syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp) < 0)) {
		fprintf(stderr, "hog: CPU %d %s: %s\n", run, fifo ? "SCHED_FIFO" : "",
			strerror(errno));
		_exit(1);
	}
	if (lru)
		fault_pages();
	if (write(fd, &c, 1) != 1)
		_exit(1);
	close(fd);
	for (;;)
		__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	int p[2];
	pid_t pid;
	char c;

	if (argc < 4 || (strcmp(argv[3], "fifo") != 0 && strcmp(argv[3], "fifo+lru") != 0 &&
			 strcmp(argv[3], "other") != 0)) {
		fprintf(stderr, "usage: hog PRE_CPU RUN_CPU fifo|fifo+lru|other "
				"[CGROUP_FILE]...\n");
		return 2;
	}
	if (pipe(p) < 0 || (pid = fork()) < 0)
		return 1;
	if (pid == 0) {
		close(p[0]);
		/* Nothing of ours may keep `$(hog ...)` waiting. */
		int nul = open("/dev/null", O_RDWR);
		dup2(nul, 1);
		become_hog(p[1], atoi(argv[1]), atoi(argv[2]), argv[3][0] == 'f',
			   strcmp(argv[3], "fifo+lru") == 0, argv + 4);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		return 1; /* the child said why on stderr */
	printf("%d\n", (int)pid);
	return 0;
}
