#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpulist.h"
#include "fmt.h"
#include "fsutil.h"
#include "syscalls.h"

#define FALLBACK_TRIES 5 /* the init may move again while we follow it */

int cg_parse_line(char *line, struct cg_line *out)
{
	char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	const char *end;
	unsigned long long id;

	if (c2 == NULL || str_u64(line, 10, &id, &end) < 0 || id > UINT_MAX || end != c1 ||
	    c2[1] != '/')
		return -1;
	out->id = (unsigned)id;
	*c2 = '\0';
	c2[1 + strcspn(c2 + 1, "\n")] = '\0';
	out->controllers = c1 + 1;
	out->path = c2 + 1;
	return 0;
}

/* Cuts one blank-separated mountinfo field out of *p, undoing the kernel's \ooo octal
 * escapes in place; NULL at the end of the line. */
static const char *mi_field(char **p)
{
	char *s = *p, *start, *w, *next;

	while (*s == ' ')
		s++;
	if (*s == '\0' || *s == '\n')
		return NULL;
	start = w = s;
	while (*s && *s != ' ' && *s != '\n') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 4;
		} else {
			*w++ = *s++;
		}
	}
	next = *s ? s + 1 : s;
	*w = '\0';
	*p = next;
	return start;
}

int mountinfo_parse_line(char *line, struct mount_line *out)
{
	const char *f = "";
	char *p = line;

	/* id parent major:minor root mountpoint options [optional...] - fstype source super */
	for (int i = 0; i < 3 && f; i++)
		if ((f = mi_field(&p)) && i == 0 && str_u64(f, 10, &out->id, &f) < 0)
			return -1;
	if (f && (out->root = mi_field(&p)) && (out->point = mi_field(&p))) {
		while ((f = mi_field(&p)) && strcmp(f, "-") != 0)
			;
		if (f && (out->fstype = mi_field(&p)) && mi_field(&p) &&
		    (out->options = mi_field(&p)))
			return 0;
	}
	return -1;
}

static bool has_token(const char *list, const char *tok, size_t len)
{
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ",");
		if (n == len && strncmp(p, tok, len) == 0)
			return true;
		p += n + (p[n] == ',');
	}
	return false;
}

bool cg_options_match(const char *options, const char *controllers)
{
	if (*controllers == '\0')
		return false;
	for (const char *p = controllers; *p;) {
		size_t n = strcspn(p, ",");
		if (!has_token(options, p, n))
			return false;
		p += n + (p[n] == ',');
	}
	return true;
}

#define CG_MAX 1024    /* hierarchies joined; a host has about 15 */
#define MOUNTS_MAX 256 /* cgroup mounts kept; a mount namespace rarely holds 20 */
#define MOUNTINFO_PART 4096
#define MOUNTINFO_LINE_MAX (1 << 20)

/* What the kernel says: the target's cgroup lines and the cgroup mounts in our mount
 * namespace, those up to where read_mounts stopped. Sized to what is there. */
struct cg_sources {
	char *cgroup_text; /* what lines point into */
	struct cg_line *lines;
	size_t *line_mount; /* 1 + the index of lines[i]'s mount (the first that matches), 0: none */
	bool *hidden;	    /* lines[i] matched a mount found unusable */
	const struct cg_plan *plan; /* its unusable mounts are passed over */
	size_t nlines, unmounted;   /* unmounted: lines with no mount yet */
	struct kept_mount {
		struct mount_line m;
		char *text; /* the copy of its mountinfo line that m points into */
	} * mounts;
	size_t nmounts;
};

static void sources_free(struct cg_sources *s)
{
	for (size_t i = 0; i < s->nmounts; i++)
		free(s->mounts[i].text);
	free(s->line_mount);
	free(s->hidden);
	free(s->lines);
	free(s->mounts);
	free(s->cgroup_text);
	memset(s, 0, sizeof(*s));
}

/* arr, grown if needed to hold element n (elements 0..n-1 are in use); NULL when out of
 * memory (arr is left as it was). Capacities 4, 8, 16, ...: amortised. */
static void *room_for(void *arr, size_t n, size_t size)
{
	if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
		return arr;
	return realloc(arr, (n == 0 ? 4 : 2 * n) * size);
}

/* The unified hierarchy's line, "0::PATH". */
static bool v2_line(const struct cg_line *l)
{
	return l->id == 0 && l->controllers[0] == '\0';
}

/* Whether mount m serves cgroup line l: cgroup2 for the v2 line, else a v1 mount whose super
 * options name exactly the line's controllers. */
static bool mount_matches(const struct mount_line *m, const struct cg_line *l)
{
	bool v2 = strcmp(m->fstype, "cgroup2") == 0;

	return v2_line(l) ? v2 : !v2 && cg_options_match(m->options, l->controllers);
}

static bool is_unusable(const struct cg_plan *p, unsigned long long id)
{
	for (size_t i = 0; p && i < p->nunusable; i++)
		if (p->unusable[i] == id)
			return true;
	return false;
}

/* A mountinfo line (NUL-terminated, without its newline): kept, as a copy, when it is a
 * cgroup mount, and made the mount of each line it is the first match of, unless the plan
 * found it unusable (then the line is marked hidden). */
static int add_mount(struct cg_sources *s, const char *line)
{
	struct mount_line m;
	bool unusable;
	char *copy;
	void *v;

	/* Only lines that can be cgroup mounts are parsed whole: the kernel escapes a space in
	 * any field, so "- cgroup" appears in a cgroup mount's line (after the " - " before its
	 * type) and in few others, which the full parse below then turns away. */
	if (str_find(line, "- cgroup") == NULL)
		return 0;
	if ((copy = strdup(line)) == NULL)
		return -ENOMEM;
	if (mountinfo_parse_line(copy, &m) < 0 ||
	    (strcmp(m.fstype, "cgroup") != 0 && strcmp(m.fstype, "cgroup2") != 0)) {
		free(copy);
		return 0;
	}
	if (s->nmounts >= MOUNTS_MAX) {
		warn("more than %d cgroup mounts: ignoring %s", MOUNTS_MAX, m.point);
		free(copy);
		return 0;
	}
	if ((v = room_for(s->mounts, s->nmounts, sizeof(*s->mounts))) == NULL) {
		free(copy);
		return -ENOMEM;
	}
	s->mounts = v;
	s->mounts[s->nmounts].m = m;
	s->mounts[s->nmounts++].text = copy;
	unusable = is_unusable(s->plan, m.id);
	for (size_t i = 0; i < s->nlines && s->unmounted; i++)
		if (s->line_mount[i] == 0 && mount_matches(&m, &s->lines[i])) {
			if (unusable) {
				s->hidden[i] = true;
				continue;
			}
			s->line_mount[i] = s->nmounts;
			s->unmounted--;
		}
	return 0;
}

static int add_line(struct cg_sources *s, char *text)
{
	struct cg_line l;
	void *v;

	/* Every line counts: one left out is a hierarchy the command would stay outside of. */
	if (s->nlines >= CG_MAX)
		return -E2BIG;
	if (cg_parse_line(text, &l) < 0)
		return -EBADMSG;
	if ((v = room_for(s->lines, s->nlines, sizeof(l))) == NULL)
		return -ENOMEM;
	s->lines = v;
	s->lines[s->nlines++] = l;
	return 0;
}

/* The mount of line i: the first in mountinfo's order that matches it, or NULL. */
static const struct mount_line *find_mount(const struct cg_sources *s, size_t i)
{
	return s->line_mount[i] ? &s->mounts[s->line_mount[i] - 1].m : NULL;
}

/* The cgroup mounts of our mount namespace, in their order, read part by part until each of
 * the target's lines has its mount (add_mount matches each new one), else to the end: the
 * kernel formats the table as it is read, and on a host with thousands of mounts (a
 * Kubernetes node, whose cgroup mounts come from boot, before the containers' own) the rest
 * is never formatted (a join with 1,000 mounts after them: 2.90 -> 1.18 ms here). Mounts are
 * only ever appended, and every one before the stop is seen, so the first match for each
 * line is the one a whole read finds. A line may arrive in any number of parts; the buffer
 * grows to hold one up to MOUNTINFO_LINE_MAX bytes. A longer line cannot be a usable cgroup
 * mount (its mount point is a path, under PATH_MAX): it is skipped to its newline. */
static int read_mounts(struct cg_sources *s)
{
	size_t size = MOUNTINFO_PART + 1, have = 0;
	char *buf = malloc(size), *line, *nl;
	int fd = sys_open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC, 0), r = 0;
	bool skipping = false; /* inside an overlong line, dropped up to its newline */
	ssize_t n;

	if (buf == NULL || fd < 0) {
		r = buf == NULL ? -ENOMEM : -errno;
		goto out;
	}
	for (;;) {
		if (have + 1 == size && size - 1 >= MOUNTINFO_LINE_MAX) {
			debug("a mountinfo line of over %d bytes: skipped", MOUNTINFO_LINE_MAX);
			skipping = true;
			have = 0;
		} else if (have + 1 == size) { /* one line fills the buffer: room for the rest */
			char *more = realloc(buf, 2 * size - 1);
			if (more == NULL) {
				r = -ENOMEM;
				break;
			}
			buf = more;
			size = 2 * size - 1;
		}
		n = read(fd, buf + have, size - 1 - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		have += (size_t)n;
		buf[have] = '\0';
		line = buf;
		if (skipping && (nl = memchr(line, '\n', have)) != NULL) {
			skipping = false;
			line = nl + 1;
		} else if (skipping) {
			line = buf + have;
		}
		for (; r == 0 && (nl = memchr(line, '\n', have - (size_t)(line - buf)));
		     line = nl + 1) {
			*nl = '\0';
			r = add_mount(s, line);
		}
		if (r == 0 && n == 0 && *line)
			r = add_mount(s, line); /* the last line, without its newline */
		if (r < 0 || n == 0 || s->unmounted == 0)
			break;
		have -= (size_t)(line - buf);
		memmove(buf, line, have);
	}
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return r;
}

/* The target's cgroups (/proc/PID/cgroup, through its pinned directory) and the cgroup
 * mounts in our mount namespace that they need (read_mounts), but those plan found unusable. */
static int read_sources(const struct target *t, const struct cg_plan *plan, struct cg_sources *s,
			struct rterr *e)
{
	char *save;
	int r;

	memset(s, 0, sizeof(*s));
	s->plan = plan;
	if ((r = target_read(t, "cgroup", &s->cgroup_text)) < 0)
		return rterr_set(e, -r, "target %d: read /proc/%d/cgroup", (int)t->pid,
				 (int)t->pid);
	for (char *l = strtok_r(s->cgroup_text, "\n", &save); l && r == 0;
	     l = strtok_r(NULL, "\n", &save))
		r = add_line(s, l);
	if (r == 0 && s->nlines &&
	    ((s->line_mount = calloc(s->nlines, sizeof(size_t))) == NULL ||
	     (s->hidden = calloc(s->nlines, sizeof(bool))) == NULL))
		r = -ENOMEM;
	s->unmounted = s->nlines;
	if (r == 0 && (r = read_mounts(s)) < 0) {
		sources_free(s);
		return rterr_set(e, -r, "read /proc/self/mountinfo");
	}
	if (r == 0)
		return 0;
	sources_free(s);
	if (r == -E2BIG || r == -EBADMSG)
		return rterr_set(e, 0, "target %d: /proc/%d/cgroup: %s", (int)t->pid, (int)t->pid,
				 r == -E2BIG ? "over 1024 lines" : "a line not ID:LIST:PATH");
	return rterr_set(e, -r, "cgroups");
}

/* The host path of cgroup `path` of a hierarchy mounted at m (whose root need not be "/"),
 * malloc'd into *out. 0; -ENOENT when path is not below the mount's root (out of sight).
 * Both are relative to rtexec's cgroup namespace: a cgroup outside it is "/../x", and so
 * may be the root of a mount made outside it ("/.."). What is left after the root must not
 * climb: it would lead out of the mount, into a sibling hierarchy's directory. */
static int host_path(const struct mount_line *m, const char *path, char **out)
{
	size_t rl = strcmp(m->root, "/") == 0 ? 0 : strlen(m->root);
	const char *rest = path + rl, *d;

	if (strncmp(path, m->root, rl) != 0 || (*rest != '/' && *rest != '\0'))
		return -ENOENT;
	for (d = str_find(rest, "/.."); d; d = str_find(d + 1, "/.."))
		if (d[3] == '/' || d[3] == '\0')
			return -ENOENT;
	return fmt_asprintf(out, "%s%s", m->point, rest) < 0 ? -ENOMEM : 0;
}

static int open_dir(struct cg_join *j, struct rterr *e)
{
	j->dirfd = sys_open(j->path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	j->open_err = j->dirfd < 0 ? errno : 0;
	if (j->dirfd < 0 && !(j->can_fallback && errno == ENOENT))
		return rterr_set(e, errno, "join cgroup %s", j->path);
	return 0;
}

/* A v1 hierarchy's "tasks" file; the directory too where it is read later (the freezer's
 * state, the cpuset's CPUs), else one open instead of two. */
static int open_v1(struct cg_join *j, struct rterr *e)
{
	char path[PATH_MAX + 8];

	if (!has_token(j->hierarchy, "freezer", 7) && !has_token(j->hierarchy, "cpuset", 6)) {
		fmt_snprintf(path, sizeof(path), "%s/tasks", j->path);
		j->tasks = sys_open(path, O_WRONLY | O_CLOEXEC, 0);
		if (j->tasks < 0)
			return rterr_set(e, errno, "join cgroup %s", j->path);
		return 0;
	}
	if (open_dir(j, e) < 0)
		return -1;
	j->tasks = sys_openat(j->dirfd, "tasks", O_WRONLY | O_CLOEXEC, 0);
	if (j->tasks < 0)
		return rterr_set(e, errno, "join cgroup %s: open tasks", j->path);
	return 0;
}

static int open_sub(struct cg_join *j, const char *base, const char *sub, struct rterr *e)
{
	struct open_how how = { .flags = O_PATH | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS |
					   RESOLVE_NO_XDEV };
	int basefd = sys_open(base, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);

	if (basefd < 0)
		return rterr_set(e, errno, "join cgroup %s", base);
	/* Beneath the container's cgroup: no "..", no absolute path, no symlink out of it. */
	j->dirfd = sys_openat2(basefd, sub, &how);
	if (j->dirfd < 0 && errno == ENOSYS)
		j->dirfd =
			sys_openat(basefd, sub, O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW, 0);
	j->open_err = j->dirfd < 0 ? errno : 0;
	close(basefd);
	if (j->dirfd < 0)
		return rterr_set(e, j->open_err, "join cgroup %s", j->path);
	return 0;
}

/* A new, empty entry at the end of the plan. */
static struct cg_join *new_join(struct cg_plan *p, const char *hierarchy, struct rterr *e)
{
	struct cg_join *j = room_for(p->j, p->n, sizeof(*j));

	if (j == NULL)
		goto nomem;
	p->j = j;
	j = &p->j[p->n];
	memset(j, 0, sizeof(*j));
	j->dirfd = j->tasks = -1;
	if ((j->hierarchy = strdup(hierarchy)) == NULL)
		goto nomem;
	p->n++;
	return j;
nomem:
	rterr_set(e, ENOMEM, "cgroups");
	return NULL;
}

static int add_v1(struct cg_plan *p, const struct mount_line *m, const struct cg_line *l,
		  struct rterr *e)
{
	char *path;
	struct cg_join *j;
	int r = host_path(m, l->path, &path);

	if (r == -ENOENT) { /* another mount of the hierarchy may show it */
		debug("cgroup %s:%s is not below the root of the mount %s", l->controllers, l->path,
		      m->point);
		return -EAGAIN;
	}
	if (r < 0 || (j = new_join(p, l->controllers, e)) == NULL) {
		if (r == 0)
			free(path);
		return r < 0 ? rterr_set(e, -r, "cgroups") : -1;
	}
	j->path = path;
	return open_v1(j, e);
}

static int add_v2(struct cg_plan *p, const struct cg_request *c, const struct mount_line *m,
		  const struct cg_line *l, struct rterr *e)
{
	const char *rel = c->path ? c->path : l->path;
	struct cg_join *j = new_join(p, "unified", e);
	char *abs, *base;
	size_t n;
	int r;

	if (j == NULL)
		return -1;
	j->v2 = true;
	p->v2 = (int)(p->n - 1);
	j->can_fallback = c->sub == NULL;
	p->v2_at_root = strcmp(m->root, "/") == 0;
	if ((p->v2_root = strdup(m->point)) == NULL ||
	    host_path(m, l->path, &j->fallback) == -ENOMEM ||
	    fmt_asprintf(&abs, "%s%s", rel[0] == '/' ? "" : "/", rel) < 0)
		return rterr_set(e, ENOMEM, "cgroups");
	/* The mount's root need not be the hierarchy's (a bind mount of a subtree). */
	r = host_path(m, abs, &base);
	if (r == -ENOENT) { /* out of this mount's sight: as if it did not exist */
		j->path = abs;
		j->open_err = ENOENT;
		if (!j->can_fallback)
			return rterr_set(e, ENOENT, "join cgroup %s: not below the root %s of %s",
					 abs, m->root, m->point);
		return 0;
	}
	free(abs);
	if (r < 0)
		return rterr_set(e, -r, "cgroups");
	n = strlen(base);
	if (n > 1 && base[n - 1] == '/')
		base[n - 1] = '\0';
	if (c->sub == NULL) {
		j->path = base;
		return open_dir(j, e);
	}
	if (fmt_asprintf(&j->path, "%s/%s", base, c->sub) < 0) {
		free(base);
		return rterr_set(e, ENOMEM, "cgroups");
	}
	r = open_sub(j, base, c->sub, e);
	free(base);
	return r;
}
/* A command that joins a frozen cgroup freezes with it: refuse a paused container at once. */
static int check_frozen(const struct cg_join *j, struct rterr *e)
{
	char buf[512];

	if (j->dirfd < 0)
		return 0;
	if (j->v2) {
		if ((read_file(j->dirfd, "cgroup.events", buf, sizeof(buf)) == 0 &&
		     str_find(buf, "frozen 1")) ||
		    (read_file(j->dirfd, "cgroup.freeze", buf, sizeof(buf)) == 0 && buf[0] == '1'))
			return rterr_set(e, 0, "join cgroup %s: the container is paused (frozen)",
					 j->path);
		return 0;
	}
	if (has_token(j->hierarchy, "freezer", 7) &&
	    read_file(j->dirfd, "freezer.state", buf, sizeof(buf)) == 0 &&
	    strncmp(buf, "THAWED", 6) != 0)
		return rterr_set(e, 0, "join cgroup %s: the container is paused (%.*s)", j->path,
				 (int)strcspn(buf, "\n"), buf);
	return 0;
}

/* Whether the join's cgroup was reached through mount m. A later mount on m's mount point
 * (or above it) covers m, and the same path then leads into that one: another hierarchy,
 * another subtree, a tmpfs. Where the kernel cannot tell (before Linux 5.8): yes. */
static bool reached_through(const struct cg_join *j, const struct mount_line *m)
{
	struct statx st;
	int fd = j->dirfd >= 0 ? j->dirfd : j->tasks;
	long r = fd >= 0 ? syscall(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &st)
			 : syscall(SYS_statx, AT_FDCWD, m->point, 0, STATX_MNT_ID, &st);

	if (r < 0) /* no cgroup opened and its mount point gone: covered */
		return fd >= 0 || errno == ENOSYS;
	return !(st.stx_mask & STATX_MNT_ID) || st.stx_mnt_id == m->id;
}

static void close_join(const struct cg_join *j)
{
	if (j->dirfd >= 0)
		close(j->dirfd);
	if (j->tasks >= 0)
		close(j->tasks);
}

/* fds first to last, all of them the plan's: one close_range (one by one where it fails). */
static void close_run(int first, int last)
{
	if (first < 0)
		return;
	if (first == last || sys_close_range((unsigned)first, (unsigned)last, 0) < 0)
		for (int fd = first; fd <= last; fd++)
			close(fd);
}

/* Every fd of the joins. They were opened one after the other, in the joins' order, so
 * they mostly come as runs of numbers: each run in one call (this host's 10 hierarchies,
 * 12 fds: 2 calls instead of 12, on the child's way to the exec). Only fds of the plan are
 * ever in a run: it grows by the next fd of the plan that is one more than its last. The
 * plan is not written (the child's copy would copy its page). */
static void close_joins(const struct cg_plan *p)
{
	int first = -1, last = -1;

	for (size_t i = 0; i < p->n; i++) {
		const int fds[2] = { p->j[i].dirfd, p->j[i].tasks };

		for (int k = 0; k < 2; k++) {
			if (fds[k] < 0)
				continue;
			if (first >= 0 && fds[k] == last + 1) {
				last = fds[k];
				continue;
			}
			close_run(first, last);
			first = last = fds[k];
		}
	}
	close_run(first, last);
}

static void drop_last(struct cg_plan *p)
{
	struct cg_join *j = &p->j[--p->n];

	close_join(j);
	free(j->hierarchy);
	free(j->path);
	free(j->fallback);
	if (j->v2) {
		p->v2 = -1;
		free(p->v2_root);
		p->v2_root = NULL;
	}
}

/* -EAGAIN: a mount was found unusable (added to p->unusable): plan again without it. */
static int plan_lines(struct cg_plan *p, const struct cg_request *c, const struct cg_sources *s,
		      struct rterr *e)
{
	int r;

	for (size_t i = 0; i < s->nlines; i++) {
		const struct cg_line *l = &s->lines[i];
		const struct mount_line *m = find_mount(s, i);
		bool v2 = v2_line(l);
		size_t before = p->n;

		if (m == NULL && s->hidden[i])
			return rterr_set(e, 0,
					 "cgroup %s:%s of the target: no mount here shows it "
					 "(covered by a later mount, or not below the mount's "
					 "root)",
					 v2 ? "unified" : l->controllers, l->path);
		/* Where the container's device rules live (the v1 devices controller, or on v2
		 * the BPF program of its cgroup): left out, the command could open any device
		 * (with CAP_MKNOD, make the host's disk and open it). */
		if (m == NULL && strcmp(l->path, "/") != 0 &&
		    (v2 || has_token(l->controllers, "devices", 7)))
			return rterr_set(e, 0,
					 "cgroup %s:%s of the target is not mounted here: the "
					 "command would escape its device rules",
					 v2 ? "unified" : l->controllers, l->path);
		if (m == NULL) {
			/* A v1-only host still lists "0::/"; a v1 hierarchy left out matters. */
			logmsg(v2 ? LOG_DEBUG : LOG_WARN,
			       "cgroup hierarchy %s of the target is not mounted here: not joining "
			       "it",
			       v2 ? "unified" : l->controllers);
			continue;
		}
		r = v2 ? add_v2(p, c, m, l, e) : add_v1(p, m, l, e);
		if (r == 0 && p->n > before && !reached_through(&p->j[p->n - 1], m)) {
			debug("cgroup mount %s (%llu) is covered by another mount", m->point,
			      m->id);
			drop_last(p);
			r = -EAGAIN;
		}
		if (r == -EAGAIN) {
			if (p->nunusable == sizeof(p->unusable) / sizeof(p->unusable[0]))
				return rterr_set(e, 0, "cgroups: over 8 unusable cgroup mounts");
			p->unusable[p->nunusable++] = m->id;
			return -EAGAIN;
		}
		if (r < 0 || (p->n > before && check_frozen(&p->j[p->n - 1], e) < 0))
			return -1;
	}
	return 0;
}

int cg_plan_open(const struct cg_request *c, const struct target *target, struct cg_plan *p,
		 struct rterr *e)
{
	struct cg_sources s;
	int r;

	memset(p, 0, sizeof(*p));
	p->v2 = -1;
	do {
		while (p->n)
			drop_last(p);
		if (read_sources(target, p, &s, e) < 0)
			return -1;
		r = plan_lines(p, c, &s, e);
		sources_free(&s);
	} while (r == -EAGAIN);
	if (r == 0 && p->v2 < 0 && (c->path || c->sub))
		r = rterr_set(e, 0, "cgroup.%s: this host has no cgroup v2 hierarchy",
			      c->path ? "path" : "sub");
	if (r < 0)
		cg_plan_close(p);
	return r;
}

int cg_clone_fd(const struct cg_plan *p)
{
	return p->v2 >= 0 ? p->j[p->v2].dirfd : -1;
}

static int write_pid(int dirfd, pid_t pid)
{
	char buf[32];
	int n = fmt_snprintf(buf, sizeof(buf), "%d", (int)pid), saved;
	int fd = sys_openat(dirfd, "cgroup.procs", O_WRONLY | O_CLOEXEC, 0);
	ssize_t r;

	if (fd < 0)
		return -errno;
	r = write(fd, buf, (size_t)n);
	saved = errno;
	close(fd);
	return r == n ? 0 : -(r < 0 ? saved : EIO);
}

static bool follow_errno(int err)
{
	/* EBUSY: v2 "no internal processes" (the init moved below and controllers were
	 * enabled); ENOENT/ENODEV: the cgroup was removed after the init left it. */
	return err == EBUSY || err == ENOENT || err == ENODEV;
}

/* The target's current v2 cgroup, read now, into a malloc'd *out. */
static int current_v2(const struct cg_plan *p, const struct target *target, char **out,
		      struct rterr *e)
{
	struct cg_sources s;
	int r = -2;

	if (read_sources(target, p, &s, e) < 0)
		return -1;
	for (size_t i = 0; i < s.nlines && r == -2; i++) {
		const struct mount_line *m = find_mount(&s, i);
		if (m && strcmp(m->fstype, "cgroup2") == 0)
			r = host_path(m, s.lines[i].path, out);
	}
	sources_free(&s);
	if (r == -2)
		return rterr_set(e, 0, "target %d: no cgroup v2 line in /proc/%d/cgroup",
				 (int)target->pid, (int)target->pid);
	if (r == -ENOENT)
		return rterr_set(e, 0, "target %d: cgroup out of sight", (int)target->pid);
	return r < 0 ? rterr_set(e, -r, "cgroups") : 0;
}

static int write_path(const char *path, pid_t pid)
{
	int fd = sys_open(path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0), r;

	if (fd < 0)
		return -errno;
	r = write_pid(fd, pid);
	close(fd);
	return r;
}

/* ---- joins that drain every CPU's LRU batch (cg_check_drains) */

static const char drains[] = "the kernel would drain every CPU's page batches and wait for "
			     "each, for ever for an isolated CPU that a real-time task "
			     "monopolises (refused where CPUs are isolated)";

/* Whether the memory nodes in dirfd/file (a cpuset's effective ones) are not rtexec's: the
 * kernel then migrates the pages of a task moved in. No such file: no. rtexec's own unknown
 * (get_mempolicy refused, a seccomp filter's EPERM): yes. */
static bool migrates(const struct cg_plan *p, int dirfd, const char *file)
{
	char buf[4096];
	struct cpumask m;
	struct rterr e;
	bool differ = false;
	int r = read_file(dirfd, file, buf, sizeof(buf));

	if (r == -ENOENT)
		return false;
	if (r < 0 || !p->nodes_known || cpulist_parse(buf, CG_MAX_NODES, &m, &e) < 0)
		return true;
	for (size_t i = 0; i < CG_MAX_NODES && !differ; i++)
		differ = cpumask_test(&m, i) != ((p->nodes[i / 64] >> (i % 64) & 1) != 0);
	cpumask_free(&m);
	return differ;
}

/* rtexec's own cgroup path in the hierarchy of controller (v1), or the v2 one (controller
 * ""), as /proc/self/cgroup shows it, into out; false where not found. */
static bool own_cgroup(const char *controller, char *out, size_t n)
{
	char buf[4096];
	size_t len = strlen(controller);
	struct stat st;

	/* In a cgroup namespace of its own the paths are relative to its root, which no file
	 * maps to the hierarchy's: unknown (the initial namespace's inode number is fixed,
	 * PROC_CGROUP_INIT_INO). */
	if (stat("/proc/self/ns/cgroup", &st) < 0 || st.st_ino != 0xEFFFFFFBU ||
	    read_file(AT_FDCWD, "/proc/self/cgroup", buf, sizeof(buf)) < 0)
		return false;
	for (char *line = buf, *next; *line; line = next) {
		struct cg_line l;

		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		if (cg_parse_line(line, &l) == 0 &&
		    (len ? has_token(l.controllers, controller, len) : l.controllers[0] == '\0'))
			return (size_t)fmt_snprintf(out, n, "%s", l.path) < n;
	}
	return false;
}

/* The cpuset a task in the v2 cgroup path belongs to, cut in place: the nearest cgroup at
 * or above it whose cpuset is its own (cpuset.mems.effective there), else the root. */
static void nearest_cpuset(const char *root, char *path)
{
	size_t rl = strlen(root);
	char file[PATH_MAX + 32];
	char *slash;

	while (strlen(path) > rl) {
		fmt_snprintf(file, sizeof(file), "%s/cpuset.mems.effective", path);
		if (sys_faccessat(AT_FDCWD, file, F_OK) == 0)
			return;
		if ((slash = strrchr(path, '/')) == NULL || (size_t)(slash - path) < rl)
			break;
		*slash = '\0';
	}
	path[rl] = '\0';
}

int cg_check_drains(struct cg_plan *p, struct rterr *e)
{
	char own[PATH_MAX];
	int mode;
	long r;

	/* rtexec's nodes, which the child has when it joins */
	memset(p->nodes, 0, sizeof(p->nodes));
	r = syscall(SYS_get_mempolicy, &mode, p->nodes, CG_MAX_NODES, NULL,
		    4 /* MPOL_F_MEMS_ALLOWED */);
	p->nodes_known = r == 0;
	p->numa = r == 0 || errno != ENOSYS; /* a kernel without NUMA migrates nothing */
	p->guard_written = true;
	for (size_t i = 0; i < p->n; i++) {
		const struct cg_join *j = &p->j[i];
		char path[PATH_MAX + 40], buf[32];

		if (j->v2)
			continue;
		if (has_token(j->hierarchy, "memory", 6)) {
			fmt_snprintf(path, sizeof(path), "%s/memory.move_charge_at_immigrate",
				     j->path);
			if ((r = read_file(AT_FDCWD, path, buf, sizeof(buf))) < 0 && r != -ENOENT)
				return rterr_set(e, (int)-r, "join cgroup %s: read %s", j->path,
						 path);
			if (r == 0 && buf[0] != '0')
				return rterr_set(e, 0,
						 "join cgroup %s: memory.move_charge_at_immigrate "
						 "is %.*s, so it moves the joiner's charges: %s",
						 j->path, (int)strcspn(buf, "\n"), buf, drains);
		}
		/* The kernel migrates from the nodes it last recorded for rtexec's cpuset, which
		 * no file shows and which a cpuset filled only by forks never had: known only
		 * for the root's (its nodes, rtexec's) */
		if (p->numa && j->dirfd >= 0 && has_token(j->hierarchy, "cpuset", 6) &&
		    read_file(j->dirfd, "cpuset.memory_migrate", buf, sizeof(buf)) == 0 &&
		    buf[0] == '1' &&
		    (!own_cgroup("cpuset", own, sizeof(own)) || strcmp(own, "/") != 0 ||
		     migrates(p, j->dirfd, "cpuset.effective_mems")))
			return rterr_set(e, 0,
					 "join cgroup %s: cpuset.memory_migrate is 1 and its "
					 "memory "
					 "nodes are not rtexec's (or rtexec's own cpuset is not "
					 "the "
					 "root), so it migrates the joiner's pages: %s",
					 j->path, drains);
	}
	return 0;
}

/* Whether the v2 cgroup dir's write would fail with EBUSY, moving nothing: a domain cgroup
 * with a domain controller for its children (one with only threaded ones, or a threaded
 * cgroup, takes processes). */
static bool write_refused(int dirfd)
{
	static const char threaded[] = "cpu cpuset perf_event pids";
	char type[32], ctl[256];

	if (read_file(dirfd, "cgroup.type", type, sizeof(type)) < 0 ||
	    strcmp(type, "domain\n") != 0 ||
	    read_file(dirfd, "cgroup.subtree_control", ctl, sizeof(ctl)) < 0)
		return false;
	for (char *tok = ctl, *end; *(tok += strspn(tok, " \n")); tok = end) {
		end = tok + strcspn(tok, " \n");
		if (!has_token(threaded, tok, (size_t)(end - tok)))
			return true;
	}
	return false;
}

/* Whether the cpuset directory src's effective memory nodes are those in file. */
static bool same_nodes(const char *src, const char *file)
{
	char path[PATH_MAX + 32], a[4096], b[4096];

	return (size_t)fmt_snprintf(path, sizeof(path), "%s/cpuset.mems.effective", src) <
		       sizeof(path) &&
	       read_file(AT_FDCWD, path, a, sizeof(a)) == 0 &&
	       read_file(AT_FDCWD, file, b, sizeof(b)) == 0 && strcmp(a, b) == 0;
}

static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/* A child written into the v2 cgroup dir (its dirfd, or -1) instead of born there: moved
 * into another cpuset, the kernel migrates its pages unless the nodes it recorded for the
 * old cpuset are the new one's (see cg_check_drains). Anything unknown (a path too long,
 * rtexec's own cgroup not seen from the hierarchy's root) counts as a move. */
static int check_written(const struct cg_plan *p, int dirfd, const char *dir, struct rterr *e)
{
	char dst[PATH_MAX], src[PATH_MAX], own[PATH_MAX], file[PATH_MAX];
	bool src_known = false;

	if (!p->guard_written || !p->numa || p->v2_root == NULL)
		return 0;
	if (dirfd >= 0 && write_refused(dirfd))
		return 0; /* the fallback that follows is checked */
	if ((size_t)fmt_snprintf(dst, sizeof(dst), "%s", dir) < sizeof(dst) && p->v2_at_root) {
		nearest_cpuset(p->v2_root, dst);
		if (own_cgroup("", own, sizeof(own)) &&
		    (size_t)fmt_snprintf(src, sizeof(src), "%s%s", p->v2_root,
					 strcmp(own, "/") ? own : "") < sizeof(src)) {
			nearest_cpuset(p->v2_root, src);
			src_known = true;
		}
	}
	if (src_known && (same_dir(src, dst) || same_dir(dst, p->v2_root)))
		return 0;
	/* The nodes the kernel recorded for rtexec's cpuset: the root's are rtexec's; another's
	 * are taken as its effective ones, recorded when a task moved in or its nodes were set
	 * (one filled only by forks whose nodes were never set has none: README). */
	if (src_known &&
	    (size_t)fmt_snprintf(file, sizeof(file), "%s/cpuset.mems.effective", dst) <
		    sizeof(file) &&
	    (same_dir(src, p->v2_root) ? !migrates(p, AT_FDCWD, file) : same_nodes(src, file)))
		return 0;
	return rterr_set(e, 0,
			 "join cgroup %s: the child could not be born there, and moving it into "
			 "cpuset %s from %s migrates its pages: %s",
			 dir, src_known ? dst : "?", src_known ? src : "(unknown)", drains);
}

static int join_fallback(struct cg_plan *p, const struct target *target, pid_t pid, int first,
			 struct rterr *e)
{
	const struct cg_join *j = &p->j[p->v2];
	char *cur = NULL, *prev = NULL;
	struct rterr sub;
	int r = first;

	for (int i = 0; i < FALLBACK_TRIES; i++) {
		/* Read, then checked: what was read is our target's, not a reused pid's. */
		if (current_v2(p, target, &cur, &sub) < 0 || target_check(target, &sub) < 0) {
			free(cur);
			free(prev);
			return rterr_set(e, 0, "join cgroup %s: %s; fallback: %s", j->path,
					 rt_strerror(-first), sub.msg);
		}
		if (prev && strcmp(cur, prev) == 0)
			break;
		if (check_written(p, -1, cur, &sub) < 0) {
			free(cur);
			free(prev);
			return rterr_set(e, 0, "%s (the fallback from %s: %s)", sub.msg, j->path,
					 rt_strerror(-first));
		}
		if ((r = write_path(cur, pid)) == 0) {
			/* EBUSY is the expected v2 case; a cgroup that is gone may be a typo. */
			logmsg(first == -EBUSY ? LOG_INFO : LOG_WARN,
			       "join cgroup %s: %s; joined the target's cgroup %s instead", j->path,
			       rt_strerror(-first), cur);
			free(prev);
			p->joined = cur;
			return 0;
		}
		free(prev);
		prev = cur;
		cur = NULL;
		if (!follow_errno(-r))
			break;
	}
	rterr_set(e, 0, "join cgroup %s: %s; fallback %s: %s", j->path, rt_strerror(-first),
		  cur ? cur : prev, rt_strerror(-r));
	free(cur);
	free(prev);
	return -1;
}

static int join_v2(struct cg_plan *p, const struct target *target, pid_t pid, struct rterr *e)
{
	const struct cg_join *j = &p->j[p->v2];
	int r;

	if (j->dirfd >= 0 && check_written(p, j->dirfd, j->path, e) < 0)
		return -1;
	r = j->dirfd >= 0 ? write_pid(j->dirfd, pid) : -j->open_err;

	if (r == 0)
		return (p->joined = strdup(j->path)) ? 0 : rterr_set(e, ENOMEM, "cgroups");
	if (!j->can_fallback || !follow_errno(-r))
		return rterr_set(e, -r, "join cgroup %s", j->path);
	return join_fallback(p, target, pid, r, e);
}

int cg_join_v1_self(const struct cg_plan *p, struct rterr *e)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct cg_join *j = &p->j[i];

		if (j->tasks >= 0 && write(j->tasks, "0", 1) != 1)
			return rterr_set(e, errno, "join cgroup %s", j->path);
	}
	/* The child needs none of them after this, and a container process allowed to ptrace
	 * it (CAP_SYS_PTRACE) could take them (pidfd_getfd): its cgroups' files, past a
	 * read-only cgroupfs mount. */
	close_joins(p);
	return 0;
}

int cg_join_v2(struct cg_plan *p, const struct target *target, pid_t pid, bool born_there,
	       struct rterr *e)
{
	if (p->v2 < 0)
		return 0;
	if (born_there)
		return (p->joined = strdup(p->j[p->v2].path)) ? 0 : rterr_set(e, ENOMEM, "cgroups");
	return join_v2(p, target, pid, e);
}

int cg_check_fallback_frozen(const struct cg_plan *p, struct rterr *e)
{
	struct cg_join joined = { .v2 = true, .dirfd = -1, .tasks = -1 };
	int r = 0;

	if (p->joined == NULL || (p->v2 >= 0 && strcmp(p->joined, p->j[p->v2].path) == 0))
		return 0;
	/* The EBUSY fallback joined another cgroup than the plan's. */
	joined.path = p->joined;
	joined.dirfd = sys_open(joined.path, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
	r = check_frozen(&joined, e);
	if (joined.dirfd >= 0)
		close(joined.dirfd);
	return r;
}

int cg_check_v1_frozen(const struct cg_plan *p, struct rterr *e)
{
	for (size_t i = 0; i < p->n; i++)
		if (!p->j[i].v2 && check_frozen(&p->j[i], e) < 0)
			return -1;
	return 0;
}

int cg_check_frozen(const struct cg_plan *p, struct rterr *e)
{
	for (size_t i = 0; i < p->n; i++)
		if (check_frozen(&p->j[i], e) < 0)
			return -1;
	return cg_check_fallback_frozen(p, e);
}

/* The v2 cgroup the child will end up in: the one joined, or before the join the plan's,
 * unless that one has controllers enabled for children (v2 "no internal processes": the
 * write will answer EBUSY and the fallback, the target's cgroup, is where it lands). */
static const char *v2_expected(const struct cg_plan *p)
{
	const struct cg_join *j = &p->j[p->v2];
	char ctl[256];

	if (p->joined)
		return p->joined;
	if (j->can_fallback && j->fallback && j->dirfd >= 0 &&
	    read_file(j->dirfd, "cgroup.subtree_control", ctl, sizeof(ctl)) == 0 &&
	    ctl[strspn(ctl, " \n")] != '\0' && strcmp(j->path, p->v2_root) != 0)
		return j->fallback;
	return j->path;
}

int cg_effective_cpus(const struct cg_plan *p, char **out)
{
	char path[PATH_MAX + 32], *list = NULL;
	int r;

	/* A controller is in one hierarchy only: with a v1 cpuset, v2 has no cpuset files
	 * (a hybrid host: no subtree_control read and failed open). */
	if (p->v2 >= 0 && !cg_v1_cpuset(p)) {
		fmt_snprintf(path, sizeof(path), "%s/cpuset.cpus.effective", v2_expected(p));
		if ((r = read_file_alloc(AT_FDCWD, path, 1 << 20, &list)) == -ENOMEM)
			return r;
	}
	for (size_t i = 0; i < p->n && (list == NULL || list[0] == '\0' || list[0] == '\n'); i++) {
		if (p->j[i].v2 || !has_token(p->j[i].hierarchy, "cpuset", 6))
			continue;
		free(list);
		list = NULL;
		if ((r = read_file_alloc(p->j[i].dirfd, "cpuset.effective_cpus", 1 << 20, &list)) ==
		    -ENOMEM)
			return r;
	}
	if (list == NULL && (list = strdup("")) == NULL)
		return -ENOMEM;
	list[strcspn(list, "\n")] = '\0';
	*out = list;
	return 0;
}

bool cg_v1_cpuset(const struct cg_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (!p->j[i].v2 && has_token(p->j[i].hierarchy, "cpuset", 6))
			return true;
	return false;
}

void cg_plan_close(struct cg_plan *p)
{
	close_joins(p);
	for (size_t i = 0; i < p->n; i++)
		p->j[i].dirfd = p->j[i].tasks = -1;
	while (p->n)
		drop_last(p);
	free(p->j);
	free(p->joined);
	free(p->v2_root);
	memset(p, 0, sizeof(*p));
	p->v2 = -1;
}
