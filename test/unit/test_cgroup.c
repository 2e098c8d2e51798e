/* Unit tests of the pure cgroup parsers: /proc/PID/cgroup lines, mountinfo lines, v1 mount
 * option matching (the cgroup.path/sub checks are config's: test_config.c); the plan's fds
 * closed in runs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgroup.h"
#include "tap.h"

/* The parsers cut their line in place: each gets a writable copy. */
static char buf[4096];
#define B(lit) strcpy(buf, (lit))

static void test_cg_lines(void)
{
	struct cg_line l;

	ok(cg_parse_line(B("0::/t1"), &l) == 0 && l.id == 0 && l.controllers[0] == '\0', "v2 line");
	is_str(l.path, "/t1", "v2 path");
	ok(cg_parse_line(B("4:memory:/a/b:c d\n"), &l) == 0 && l.id == 4, "v1 line, ':' in path");
	is_str(l.controllers, "memory", "v1 controllers");
	is_str(l.path, "/a/b:c d", "path keeps ':' and blanks, drops the newline");
	ok(cg_parse_line(B("9:name=systemd:/"), &l) == 0, "named hierarchy");
	is_str(l.controllers, "name=systemd", "named hierarchy's name");
	ok(cg_parse_line(B("2:cpu,cpuacct:/x"), &l) == 0, "co-mounted controllers");
	is_str(l.controllers, "cpu,cpuacct", "both controllers");
	ok(cg_parse_line(B("x::/"), &l) < 0, "non-numeric id refused");
	ok(cg_parse_line(B("0:/"), &l) < 0, "one colon refused");
	ok(cg_parse_line(B("0::relative"), &l) < 0, "relative path refused");
	ok(cg_parse_line(B(""), &l) < 0, "empty line refused");
}

static void test_mountinfo(void)
{
	struct mount_line m;

	ok(mountinfo_parse_line(B("34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup "
				  "rw,cpuset"),
				&m) == 0,
	   "v1 mount");
	ok(m.id == 34, "mount id, the first field (as statx's stx_mnt_id)");
	is_str(m.root, "/", "root");
	is_str(m.point, "/sys/fs/cgroup/cpuset", "mount point");
	is_str(m.fstype, "cgroup", "fstype");
	is_str(m.options, "rw,cpuset", "super options");
	ok(mountinfo_parse_line(B("41 31 0:38 /sub/dir /mnt/a\\040b rw shared:5 master:1 - cgroup2 "
				  "none rw,nsdelegate"),
				&m) == 0,
	   "optional fields, escaped blank");
	is_str(m.root, "/sub/dir", "mount root need not be /");
	is_str(m.point, "/mnt/a b", "\\040 unescaped");
	is_str(m.fstype, "cgroup2", "fstype after the separator");
	ok(mountinfo_parse_line(B("41 31 0:38 / /m\\011t\\134\\040 rw - cgroup2 a\\040b "
				  "rw,x\n"),
				&m) == 0,
	   "escapes back to back, at the end of a field");
	is_str(m.point, "/m\tt\\ ", "\\011, \\134 and \\040 unescaped in place");
	is_str(m.options, "rw,x", "the fields after it intact, the newline dropped");
	ok(mountinfo_parse_line(B("41 31 0:38 / /x rw"), &m) < 0, "no separator refused");
	ok(mountinfo_parse_line(B("41 31"), &m) < 0, "truncated refused");
	ok(mountinfo_parse_line(B("x41 31 0:38 / /x rw - cgroup2 none rw"), &m) < 0, "a mount id "
										     "that is not "
										     "a number "
										     "refused");
}

static void test_options(void)
{
	ok(cg_options_match("rw,cpuset", "cpuset"), "single controller");
	ok(cg_options_match("rw,cpu,cpuacct", "cpu,cpuacct"), "two controllers");
	ok(!cg_options_match("rw,cpuacct", "cpu"), "prefix is no match");
	ok(!cg_options_match("rw,cpu", "cpu,cpuacct"), "all must be there");
	ok(cg_options_match("rw,xattr,name=systemd", "name=systemd"), "named");
	ok(!cg_options_match("rw,name=systemd2", "name=systemd"), "other name");
	ok(!cg_options_match("rw", ""), "empty controller list never matches");
}

static bool is_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0 || errno != EBADF;
}

/* cg_plan_close closes the joins' fds by runs of numbers (close_range): every fd of the
 * plan, whatever its order, and never one in a gap between two of them. */
static void test_plan_close(void)
{
	/* 100-101: a v1 join's directory and tasks; 102: not the plan's; 103: tasks alone;
	 * 104: the v2 directory; 99: a later join's, below the others; 106 after a gap (105). */
	static const int dirs[4] = { 100, -1, 104, -1 }, tasks[4] = { 101, 103, -1, 99 };
	const int keep[2] = { 102, 105 };
	struct cg_plan p = { .n = 5, .v2 = 2 };
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	bool closed = true;

	p.j = calloc(5, sizeof(*p.j));
	if (null < 0 || p.j == NULL) {
		ok(0, "plan close: setup");
		return;
	}
	for (int i = 0; i < 4; i++) {
		p.j[i].dirfd = dirs[i] >= 0 ? dup2(null, dirs[i]) : -1;
		p.j[i].tasks = tasks[i] >= 0 ? dup2(null, tasks[i]) : -1;
	}
	p.j[2].v2 = true;
	p.j[4].dirfd = -1;
	p.j[4].tasks = dup2(null, 106);
	for (int i = 0; i < 2; i++)
		dup2(null, keep[i]);
	close(null);
	cg_plan_close(&p);
	for (int fd = 99; fd <= 106; fd++)
		if (fd != keep[0] && fd != keep[1] && is_open(fd))
			closed = false;
	ok(closed, "plan close: every fd of the plan closed (runs 99, 100-101, 103-104, 106)");
	ok(is_open(keep[0]) && is_open(keep[1]), "plan close: the fds in the gaps stay open");
	ok(p.n == 0 && p.j == NULL && p.v2 == -1, "plan close: the plan is empty");
	close(keep[0]);
	close(keep[1]);
}

int main(void)
{
	test_plan_close();
	test_cg_lines();
	test_mountinfo();
	test_options();
	return tap_done();
}
