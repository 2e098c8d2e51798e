/* The guest's power-off watchdog: vmpoweroff SECONDS
 * Powers the guest off when /init sends SIGUSR1 (the tests are done) or when SECONDS have
 * passed (they hang). A shell cannot own this: once a task starved on a monopolised CPU holds
 * the cgroup locks, fork and exit can block in the whole guest, so /init's own `poweroff`
 * might never run. This process is started first, runs on CPU 0 (housekeeping, in no test
 * cpuset) at the highest SCHED_FIFO priority and only sleeps until then, so it never needs a
 * lock another task may hold. */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sched_param sp = { .sched_priority = 99 };
	struct timespec limit = { .tv_sec = argc > 1 ? atol(argv[1]) : 600 };
	cpu_set_t cpu0;
	sigset_t set;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	sched_setaffinity(0, sizeof(cpu0), &cpu0);
	syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &sp); /* musl's wrapper is a stub */
	mlockall(MCL_CURRENT | MCL_FUTURE);
	if (sigtimedwait(&set, NULL, &limit) < 0)
		fprintf(stderr, "vmpoweroff: %ld s are up: the tests hang; powering off\n",
			(long)limit.tv_sec);
	sync();
	for (;;) {
		reboot(RB_POWER_OFF);
		sleep(1);
	}
}
