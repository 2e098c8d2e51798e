/* What sealing rtexec's copy costs, with and without a migration between the copy and the
 * seal: bench/seal FILE SEALS MIGRATE [RUNS]
 * Each run: pinned to CPU 0, FILE copied into a new memfd (sendfile, as selfexe.c does);
 * with MIGRATE 1, pinned to CPU 1 (the copy's pages are then in CPU 0's LRU batch); then
 * fcntl(F_ADD_SEALS, SEALS) timed. Prints the median, 90th percentile and maximum in us.
 * SEALS as a number: 0xf F_SEAL_SEAL|SHRINK|GROW|WRITE, 0x2f the same with F_SEAL_EXEC
 * (rtexec until 2026-12-07), 0x17 SEAL|SHRINK|GROW|FUTURE_WRITE (rtexec since).
 * Build: musl-gcc -static -O2 -o build/seal bench/seal.c (needs 2 CPUs). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RUNS_MAX 10000

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int by_value(const void *a, const void *b)
{
	double d = *(const double *)a - *(const double *)b;

	return d < 0 ? -1 : d > 0;
}

int main(int argc, char **argv)
{
	static double t[RUNS_MAX];
	int seals, migrate, runs, failed = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: seal FILE SEALS MIGRATE [RUNS]\n");
		return 2;
	}
	seals = (int)strtol(argv[2], NULL, 0);
	migrate = atoi(argv[3]);
	runs = argc > 4 ? atoi(argv[4]) : 300;
	if (runs < 1 || runs > RUNS_MAX)
		return 2;
	for (int i = 0; i < runs; i++) {
		int from = open(argv[1], O_RDONLY | O_CLOEXEC), to;
		struct stat st;
		off_t done = 0;
		double start;

		if (from < 0 || fstat(from, &st) < 0 || pin(0) < 0) {
			perror("seal");
			return 1;
		}
		usleep(500);
		to = memfd_create("seal", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		while (to >= 0 && done < st.st_size)
			if (sendfile(to, from, &done, (size_t)(st.st_size - done)) <= 0)
				return 1;
		if (to < 0 || (migrate && pin(1) < 0)) {
			perror("seal");
			return 1;
		}
		start = now_us();
		if (fcntl(to, F_ADD_SEALS, seals) < 0)
			failed++;
		t[i] = now_us() - start;
		close(to);
		close(from);
	}
	qsort(t, (size_t)runs, sizeof(t[0]), by_value);
	printf("seals %#x, %s: median %.1f us, p90 %.1f, max %.1f (%d runs, %d failed)\n", seals,
	       migrate ? "moved from CPU 0 to 1 between copy and seal" : "on CPU 0 throughout",
	       t[runs / 2], t[runs * 9 / 10], t[runs - 1], runs, failed);
	return 0;
}
