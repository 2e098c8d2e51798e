/* The command the guest's joins run inside the container: one line telling where it runs,
 *     cpu=N allowed=LIST policy=NAME cgroup=PATH
 * (the CPU it executes on, its Cpus_allowed_list, its scheduling policy and its cgroup: the
 * cpuset hierarchy's on cgroup v1, the unified one's on v2). Static, so that the container
 * needs no shell to run it and a join costs one exec. */
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void allowed_cpus(char *out, size_t n)
{
	static const char key[] = "Cpus_allowed_list:";
	char line[4096];
	FILE *f = fopen("/proc/self/status", "r");

	snprintf(out, n, "?");
	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, key, sizeof(key) - 1) == 0) {
			const char *p = line + sizeof(key) - 1;
			p += strspn(p, " \t");
			snprintf(out, n, "%.*s", (int)strcspn(p, "\n"), p);
		}
	if (f)
		fclose(f);
}

/* /proc/self/cgroup lines are "ID:CONTROLLERS:PATH": the cpuset hierarchy's path (v1), else
 * the unified hierarchy's ("0::PATH"). */
static void cgroup_path(char *out, size_t n)
{
	char line[4096];
	FILE *f = fopen("/proc/self/cgroup", "r");
	int found = 0;

	snprintf(out, n, "?");
	while (f && fgets(line, sizeof(line), f) && found < 2) {
		char *ctl = strchr(line, ':'), *path = ctl ? strchr(ctl + 1, ':') : NULL;
		if (path == NULL)
			continue;
		*ctl = *path++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		if (strstr(ctl + 1, "cpuset"))
			found = 2;
		else if (strcmp(line, "0") == 0 && found == 0)
			found = 1;
		else
			continue;
		snprintf(out, n, "%s", path);
	}
	if (f)
		fclose(f);
}

static const char *policy_name(long policy)
{
	static const char *const names[] = { "SCHED_OTHER",   "SCHED_FIFO", "SCHED_RR",
					     "SCHED_BATCH",   "?",	    "SCHED_IDLE",
					     "SCHED_DEADLINE" };

	policy &= ~0x40000000L; /* SCHED_RESET_ON_FORK */
	return policy >= 0 && policy < 7 ? names[policy] : "?";
}

int main(void)
{
	char allowed[1024], cg[4096];
	/* musl's sched_getscheduler() is a stub answering ENOSYS: ask the kernel directly. */
	long policy = syscall(SYS_sched_getscheduler, 0);

	allowed_cpus(allowed, sizeof(allowed));
	cgroup_path(cg, sizeof(cg));
	printf("cpu=%d allowed=%s policy=%s cgroup=%s\n", sched_getcpu(), allowed,
	       policy_name(policy), cg);
	return fflush(stdout) != 0;
}
