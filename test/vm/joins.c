/* The guest's per-join timer: joins -n N -t MS -c CPUS [-h HOG_PID]... -- COMMAND [ARG]...
 * Runs COMMAND (rtexec, or the control) N times, one after the other, each started on CPUS
 * (the caller's CPUs: "N" or "N-M") in a process group of its own, and prints one line of
 * figures:
 *     n=N completed=K hangs=H slow=S failed=F median_ms=M max_ms=X cpus=... allowed=...
 *     policy=... cgroup=...
 * where the last four are tallies ("VALUE*COUNT;...") of the `where` line each completed
 * join printed, and the times those of the completed joins. A join that has not ended after
 * MS ms is killed with its process group; what is left of it is printed ("# stuck: ...",
 * with the kernel stack). SIGKILL does nothing to a task starved on a monopolised CPU until
 * it runs: a join whose tasks are still there STARVED_MS later is a hang, and the hogs (-h)
 * are demoted to SCHED_OTHER until none of them is left, then given their policy back; one
 * that died of the SIGKILL alone was only slow. Exit status 0, or 3 when a hang could not
 * be recovered (the guest is then unusable and the caller should stop). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_JOINS 1000
#define MAX_HOGS 8
#define MAX_KEYS 16
#define RECOVER_MS 30000
#define STARVED_MS 1000

struct tally {
	char value[MAX_KEYS][128];
	int count[MAX_KEYS];
	int n;
};

struct hog {
	pid_t pid;
	int policy;
	struct sched_param param;
};

static struct hog hogs[MAX_HOGS];
static int nhogs;
static struct tally cpus, allowed, policy, cgroup;

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void tally_add(struct tally *t, const char *value)
{
	int i;

	for (i = 0; i < t->n && strcmp(t->value[i], value) != 0; i++)
		;
	if (i == t->n) {
		if (t->n == MAX_KEYS)
			return;
		snprintf(t->value[t->n++], sizeof(t->value[0]), "%.127s", value);
	}
	t->count[i]++;
}

static void tally_print(const char *name, const struct tally *t)
{
	printf(" %s=", name);
	for (int i = 0; i < t->n; i++)
		printf("%s%s*%d", i ? ";" : "", t->value[i], t->count[i]);
	if (t->n == 0)
		printf("-");
}

/* The value of "key=" in a `where` line, up to the next blank. */
static int where_field(const char *line, const char *key, char *out, size_t n)
{
	const char *p = strstr(line, key);

	if (p == NULL)
		return -1;
	p += strlen(key);
	snprintf(out, n, "%.*s", (int)strcspn(p, " \n"), p);
	return 0;
}

static int record_where(const char *out)
{
	static const char *const keys[] = { "cpu=", "allowed=", "policy=", "cgroup=" };
	struct tally *const tallies[] = { &cpus, &allowed, &policy, &cgroup };
	char v[4][128];

	for (int i = 0; i < 4; i++)
		if (where_field(out, keys[i], v[i], sizeof(v[i])) < 0)
			return -1;
	for (int i = 0; i < 4; i++)
		tally_add(tallies[i], v[i]);
	return 0;
}

static int first_cpu, last_cpu; /* the caller's CPUs */

/* The child: the caller, on its CPUs, in a process group of its own, output to fd. */
static void start_caller(int fd, char **cmd)
{
	cpu_set_t set;
	int nul = open("/dev/null", O_RDONLY);

	CPU_ZERO(&set);
	for (int cpu = first_cpu; cpu <= last_cpu; cpu++)
		CPU_SET(cpu, &set);
	setpgid(0, 0);
	if (sched_setaffinity(0, sizeof(set), &set) < 0 || dup2(fd, 1) < 0 || dup2(nul, 0) < 0)
		_exit(124);
	execv(cmd[0], cmd);
	fprintf(stderr, "joins: exec %s: %s\n", cmd[0], strerror(errno));
	_exit(127);
}

/* The first line of /proc/PID/stack's frames, joined: "fn<-fn<-fn". */
static void stack_of(const char *pid, char *out, size_t n)
{
	char path[300], line[256];
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/stack", pid);
	out[0] = '\0';
	if ((f = fopen(path, "r")) == NULL)
		return;
	for (int i = 0; i < 6 && fgets(line, sizeof(line), f); i++) {
		char *fn = strchr(line, ' ');
		if (fn == NULL)
			break;
		fn[strcspn(fn, "+\n")] = '\0';
		len += (size_t)snprintf(out + len, n - len, "%s%s", i ? "<-" : "", fn + 1);
		if (len >= n)
			break;
	}
	fclose(f);
}

/* Whether a task of process group pgid is alive (zombies do not count: the starved ones
 * are running tasks, and a dead task's parent in the container may never reap it). With
 * describe, prints each such task: where it is stuck is the evidence of the hang. */
static int group_alive(pid_t pgid, int describe)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int alive = 0;

	while (d && (describe || !alive) && (e = readdir(d)) != NULL) {
		char path[300], buf[512], comm[64], state, stack[512];
		int pgrp, cpu;
		FILE *f;

		if (e->d_name[0] < '0' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof(buf), f)) {
			const char *p = strrchr(buf, ')'); /* the name may hold blanks */
			/* fields 3 and 5, and 39: the CPU it last ran on */
			if (p &&
			    sscanf(p + 1,
				   " %c %*d %d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d"
				   " %*d %*d %*d %*d %*u %*u %*d %*u %*u %*u %*u %*u %*u %*u %*u "
				   "%*u"
				   " %*u %*u %*u %*u %*d %d",
				   &state, &pgrp, &cpu) == 3 &&
			    pgrp == pgid && state != 'Z') {
				alive = 1;
				if (describe) {
					sscanf(buf, "%*d (%63[^)]", comm);
					stack_of(e->d_name, stack, sizeof(stack));
					printf("# stuck: %s %s on CPU %d, state %c: %s\n",
					       e->d_name, comm, cpu, state, stack);
				}
			}
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return alive;
}

static void hogs_demote(int demote)
{
	struct sched_param other = { 0 };

	for (int i = 0; i < nhogs; i++) {
		const struct hog *h = &hogs[i];
		/* musl's sched_setscheduler() is a stub answering ENOSYS. */
		if (syscall(SYS_sched_setscheduler, h->pid, demote ? SCHED_OTHER : h->policy,
			    demote ? &other : &h->param) < 0)
			fprintf(stderr, "joins: hog %d: %s\n", (int)h->pid, strerror(errno));
	}
}

/* After the timeout: kill the group, and let its starved tasks run until they are gone.
 * Returns 1 for a hang, 2 for a slow join, -1 if the tasks could not be ended. */
static int recover(pid_t pid, pid_t pgid, int *status, int done)
{
	long start = now_ms();
	int demoted = 0;

	group_alive(pgid, 1);
	kill(-pgid, SIGKILL);
	while (now_ms() - start < RECOVER_MS) {
		if (!done && waitpid(pid, status, WNOHANG) == pid)
			done = 1;
		if (done && !group_alive(pgid, 0))
			break;
		if (!demoted && now_ms() - start > STARVED_MS) {
			hogs_demote(1);
			demoted = 1;
		}
		kill(-pgid, SIGKILL);
		usleep(20000);
	}
	if (demoted)
		hogs_demote(0);
	done = done && !group_alive(pgid, 0);
	printf("# %s: %s after %ld ms%s\n", demoted ? "hang" : "slow",
	       done ? "recovered" : "NOT recovered", now_ms() - start,
	       demoted ? ", with the hogs demoted" : "");
	return !done ? -1 : demoted ? 1 : 2;
}

/* Reads the caller's output until it has exited and closed it, or the deadline passes;
 * returns 1 then, else 0. *reaped tells whether it was waited for. */
static int wait_caller(pid_t pid, int pidfd, int fd, long deadline, char *out, size_t n,
		       int *status, int *reaped)
{
	size_t len = 0;

	while (!*reaped || fd >= 0) {
		struct pollfd p[2] = { { .fd = *reaped ? -1 : pidfd, .events = POLLIN },
				       { .fd = fd, .events = POLLIN } };
		long left = deadline - now_ms();
		if (left <= 0 || poll(p, 2, (int)left) == 0)
			return 0;
		if (p[1].revents) {
			ssize_t r = read(fd, out + len, n - 1 - len);
			if (r <= 0)
				fd = -1; /* EOF: the caller and its command closed it */
			else
				len += (size_t)r;
			out[len] = '\0';
		}
		if ((p[0].revents & POLLIN) && waitpid(pid, status, 0) == pid)
			*reaped = 1;
	}
	return 1;
}

/* One join: -1 failed, 0 completed (ms set), 1 hang, 2 slow, 3 hang not recovered. */
static int one_join(long timeout, char **cmd, long *ms)
{
	char out[4096] = "";
	int p[2], status = 0, pidfd, r, reaped = 0;
	long start = now_ms();
	pid_t pid;

	if (pipe2(p, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		return -1;
	if (pid == 0)
		start_caller(p[1], cmd);
	setpgid(pid, pid);
	close(p[1]);
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return -1;
	r = wait_caller(pid, pidfd, p[0], start + timeout, out, sizeof(out), &status, &reaped);
	close(pidfd);
	close(p[0]);
	if (r == 0)
		return (r = recover(pid, pid, &status, reaped)) < 0 ? 3 : r;
	*ms = now_ms() - start;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || record_where(out) < 0) {
		printf("# join failed: status 0x%x, output: %.*s\n", status,
		       (int)strcspn(out, "\n"), out);
		return -1;
	}
	return 0;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

static int add_hog(const char *arg)
{
	struct hog *h = &hogs[nhogs];

	if (nhogs == MAX_HOGS)
		return -1;
	h->pid = atoi(arg);
	h->policy = (int)syscall(SYS_sched_getscheduler, h->pid);
	if (h->policy < 0 || syscall(SYS_sched_getparam, h->pid, &h->param) < 0)
		return -1;
	nhogs++;
	return 0;
}

int main(int argc, char **argv)
{
	static long ms[MAX_JOINS];
	int opt, n = 30, completed = 0, hangs = 0, slow = 0, failed = 0;
	long timeout = 5000;

	while ((opt = getopt(argc, argv, "+n:t:c:h:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 't')
			timeout = atol(optarg);
		else if (opt == 'c') {
			if (sscanf(optarg, "%d-%d", &first_cpu, &last_cpu) < 2)
				last_cpu = first_cpu;
		} else if (opt != 'h' || add_hog(optarg) < 0)
			return fprintf(stderr, "joins: bad option or hog\n"), 2;
	}
	if (optind >= argc || n < 1 || n > MAX_JOINS)
		return fprintf(stderr, "usage: joins -n N -t MS -c CPU [-h PID]... -- CMD...\n"), 2;
	for (int i = 0; i < n; i++) {
		int r = one_join(timeout, argv + optind, &ms[completed]);
		completed += r == 0;
		failed += r < 0;
		hangs += r == 1 || r == 3;
		slow += r == 2;
		fflush(stdout);
		if (r == 3)
			break;
	}
	qsort(ms, (size_t)completed, sizeof(ms[0]), cmp_long);
	printf("n=%d completed=%d hangs=%d slow=%d failed=%d median_ms=%ld max_ms=%ld", n,
	       completed, hangs, slow, failed, completed ? ms[completed / 2] : 0,
	       completed ? ms[completed - 1] : 0);
	tally_print("cpus", &cpus);
	tally_print("allowed", &allowed);
	tally_print("policy", &policy);
	tally_print("cgroup", &cgroup);
	printf("\n");
	return completed + hangs + slow + failed < n ? 3 : 0;
}
