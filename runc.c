#include "runc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cJSON.h"
#include "fmt.h"
#include "fsutil.h"
#include "jsonutil.h"
#include "syscalls.h"

#define STATE_MAX (64 << 20)

bool runc_invoked(const char *argv0)
{
	const char *base = strrchr(argv0, '/');

	return strcmp(base ? base + 1 : argv0, RUNC_NAME) == 0;
}

/* ---- the command line ---- */

enum kind { FLAG, VALUE, LIST };

struct flag { /* no pointers (a PIE relocates each at start), small fields */
	char name[sizeof("additional-gids")], alias[2];
	unsigned char kind; /* enum kind */
	unsigned short off; /* of its field in struct runc_cli; NONE: one runc itself reads */
};

#define F(name, alias, kind, field)                                 \
	{                                                           \
		name, alias, kind, offsetof(struct runc_cli, field) \
	}
#define NONE 0xffffu
_Static_assert(sizeof(struct runc_cli) < NONE, "struct runc_cli fits flag.off");

/* clang-format off */
static const struct flag globals[] = {
	F("root", "", VALUE, root), F("log", "", VALUE, log),
	{ "log-format", "", VALUE, NONE }, F("debug", "", FLAG, debug),
	{ "systemd-cgroup", "", FLAG, NONE }, { "rootless", "", VALUE, NONE },
	{ "criu", "", VALUE, NONE },
	{ "", "", FLAG, 0 } };
static const struct flag exec_flags[] = {
	F("process", "p", VALUE, process), F("pid-file", "", VALUE, pid_file),
	F("console-socket", "", VALUE, console_socket), F("pidfd-socket", "", VALUE, pidfd_socket),
	F("cwd", "", VALUE, cwd),
	F("user", "u", VALUE, user), F("apparmor", "", VALUE, apparmor),
	F("process-label", "", VALUE, label), F("cgroup", "", VALUE, cgroup),
	F("detach", "d", FLAG, detach), F("tty", "t", FLAG, tty),
	F("no-new-privs", "", FLAG, no_new_privs), F("ignore-paused", "", FLAG, ignore_paused),
	{ "preserve-fds", "", VALUE, NONE },
	F("env", "e", LIST, env), F("additional-gids", "g", LIST, gids), F("cap", "c", LIST, caps),
	{ "", "", FLAG, 0 } };
/* Asking runc itself: handed over. */
static const struct flag help_flags[] = {
	{ "help", "h", FLAG, NONE }, { "version", "v", FLAG, NONE }, { "", "", FLAG, 0 } };
/* clang-format on */

/* The flag arg names ("-x", "--x", "-x=v", "--x=v"), or NULL; *value: what follows "=". */
static const struct flag *find(const struct flag *t, char *arg, char **value)
{
	char *name = arg + 1 + (arg[1] == '-');
	size_t n = strcspn(name, "=");

	*value = name[n] == '=' ? name + n + 1 : NULL;
	for (; t->name[0]; t++)
		if ((strlen(t->name) == n && strncmp(name, t->name, n) == 0) ||
		    (t->alias[0] && strlen(t->alias) == n && strncmp(name, t->alias, n) == 0))
			return t;
	return NULL;
}

static int set_list(struct runc_cli *rc, const struct flag *f, char *v, struct rterr *e)
{
	char **list = (char **)(void *)((char *)rc + f->off);
	int *n = f->off == offsetof(struct runc_cli, env)    ? &rc->nenv
		 : f->off == offsetof(struct runc_cli, gids) ? &rc->ngids
							     : &rc->ncaps;

	if (*n == RUNC_LIST_MAX)
		return rterr_set(e, 0, "--%s: more than %d of them", f->name, RUNC_LIST_MAX);
	list[(*n)++] = v;
	return 0;
}

/* Go's strconv.ParseBool, which runc's flags use: 1 t T TRUE true True, 0 f F FALSE false
 * False; -1 for anything else. */
static int go_bool(const char *v)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True" }, *const no[] = {
		"0", "f", "F", "FALSE", "false", "False"
	};

	for (size_t i = 0; i < ARRAY_LEN(yes); i++) {
		if (strcmp(v, yes[i]) == 0)
			return 1;
		if (strcmp(v, no[i]) == 0)
			return 0;
	}
	return -1;
}

static int set_flag(struct runc_cli *rc, const struct flag *f, char *v, struct rterr *e)
{
	const char *end;
	int b;

	if (f->off == NONE) {
		if (strcmp(f->name, "log-format") == 0) {
			if (v[0] && strcmp(v, "json") != 0 && strcmp(v, "text") != 0)
				return rterr_set(e, 0, "--log-format: \"%s\": text or json", v);
			rc->log_json = strcmp(v, "json") == 0;
		} else if (strcmp(f->name, "preserve-fds") == 0) {
			unsigned long long n;
			if (str_u64(v, 10, &n, &end) < 0 || *end || n > 1 << 20)
				return rterr_set(e, 0, "--preserve-fds: \"%s\": not a count", v);
			rc->preserve_fds = (unsigned)n;
		}
		return 0;
	}
	if (f->kind == LIST)
		return set_list(rc, f, v, e);
	if (f->kind == FLAG) {
		if ((b = go_bool(v)) < 0)
			return rterr_set(e, 0, "invalid boolean value \"%s\" for -%s", v, f->name);
		*(bool *)(void *)((char *)rc + f->off) = b;
		if (f->off == offsetof(struct runc_cli, no_new_privs))
			rc->no_new_privs_set = true;
	} else if (v[0] || f->off != offsetof(struct runc_cli, root)) {
		/* an empty value is no value, as runc reads it ("" is unset); --root keeps its
		 * default */
		*(const char **)(void *)((char *)rc + f->off) = v[0] ? v : NULL;
	}
	return 0;
}

/* Flags of table t from argv[*i] on; stops at the first word that is none. */
static int parse_flags(const struct flag *t, int argc, char **argv, int *i, struct runc_cli *rc,
		       struct rterr *e)
{
	static char yes[] = "true";

	for (; *i < argc && argv[*i][0] == '-' && argv[*i][1]; (*i)++) {
		char *v;
		const struct flag *f;

		if (strcmp(argv[*i], "--") == 0) {
			(*i)++;
			break;
		}
		if ((f = find(t, argv[*i], &v)) == NULL) {
			if (find(help_flags, argv[*i], &v)) {
				rc->handoff = true;
				return 0;
			}
			return rterr_set(e, 0, "flag provided but not defined: %s", argv[*i]);
		}
		if (v == NULL && f->kind == FLAG)
			v = yes;
		else if (v == NULL && ++*i >= argc)
			return rterr_set(e, 0, "flag needs an argument: %s", argv[*i - 1]);
		else if (v == NULL)
			v = argv[*i];
		if (set_flag(rc, f, v, e) < 0)
			return -1;
	}
	return 0;
}

/* Inside a user namespace: /proc/self/uid_map is not the initial one (one line, all ids as
 * they are), as runc's userns.RunningInUserNS() reads it; false where it cannot be read. A
 * map of many lines is read only as far as its first read goes: a second line is enough. */
static bool in_user_ns(void)
{
	char map[256];
	const char *p = map, *end;
	unsigned long long v[3];

	if (read_file_head(AT_FDCWD, "/proc/self/uid_map", map, sizeof(map)) < 0)
		return false;
	for (int k = 0; k < 3; k++) {
		while (*p == ' ')
			p++;
		if (str_u64(p, 10, &v[k], &end) < 0)
			return true;
		p = end;
	}
	while (*p == ' ' || *p == '\n')
		p++;
	return !(v[0] == 0 && v[1] == 0 && v[2] == 4294967295ULL && *p == '\0');
}

/* runc's default --root: $XDG_RUNTIME_DIR/runc for a caller that is not the host's root
 * (another euid, or uid 0 of a user namespace whose USER is not "root": rootless podman,
 * which passes no --root), else /run/runc. */
static const char *default_root(void)
{
	static char root[4200];
	const char *xdg = getenv("XDG_RUNTIME_DIR"), *user = getenv("USER");

	if (xdg == NULL || xdg[0] == '\0')
		return "/run/runc";
	if (geteuid() == 0 && (!in_user_ns() || (user && strcmp(user, "root") == 0)))
		return "/run/runc";
	if ((size_t)fmt_snprintf(root, sizeof(root), "%s/runc", xdg) >= sizeof(root))
		return "/run/runc";
	return root;
}

int runc_parse(int argc, char **argv, struct runc_cli *rc, struct rterr *e)
{
	int i = 1;

	memset(rc, 0, sizeof(*rc));
	if (parse_flags(globals, argc, argv, &i, rc, e) < 0)
		return -1;
	if (rc->root == NULL)
		rc->root = default_root();
	if (rc->handoff || i >= argc || strcmp(argv[i], "exec") != 0) {
		rc->handoff = true;
		return 0;
	}
	i++;
	if (parse_flags(exec_flags, argc, argv, &i, rc, e) < 0 || rc->handoff)
		return rc->handoff ? 0 : -1;
	if (i >= argc)
		return rterr_set(e, 0, "exec: the container's id is missing");
	rc->id = argv[i++];
	if (i < argc) {
		rc->args = argv + i;
		rc->nargs = argc - i;
	}
	return 0;
}

/* ---- where errors go ---- */

static const struct runc_cli *reporting;

/* One line as runc writes it: a JSON object, or logrus's text. */
static void format(enum log_level level, const char *text, bool json, char *buf, size_t n)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	char when[64], *line;
	struct timespec now = { 0, 0 };
	cJSON *o;

	sys_clock_gettime(CLOCK_REALTIME, &now);
	fmt_utc(when, sizeof(when), (long long)now.tv_sec);
	if (!json) {
		fmt_snprintf(buf, n, "time=\"%s\" level=%s msg=\"", when, names[level]);
		for (size_t o2 = strlen(buf); *text && o2 + 3 < n; text++) {
			if (*text == '"' || *text == '\\')
				buf[o2++] = '\\';
			buf[o2++] = *text;
			buf[o2] = '\0';
		}
		fmt_snprintf(buf + strlen(buf), n - strlen(buf), "\"\n");
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "level", names[level]);
	cJSON_AddStringToObject(o, "msg", text);
	cJSON_AddStringToObject(o, "time", when);
	line = cJSON_PrintUnformatted(o);
	fmt_snprintf(buf, n, "%s\n", line ? line : "{}");
	free(line);
	cJSON_Delete(o);
}

/* runc's --log: opened by its path for each line until log_keep_files (the parent, in its
 * own mount namespace), then kept open; the child closes it first of all and relays its
 * lines to the parent (log_drop_files). */
static int log_fd = -1;
static bool log_kept, log_dropped;
static bool line_on_stderr; /* the last line went to stderr (no --log, or it failed) */

static int open_log(void)
{
	return sys_open(reporting->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0644);
}

/* A failure reads as runc's own ("exec failed: ..."), naming rtexec where the words are
 * rtexec's (runc_exec_error wrote runc's own for 126 and 127). */
static void runc_words(enum log_level level, const char *text, char *msg, size_t n)
{
	fmt_snprintf(msg, n, "%s%s",
		     level == LOG_ERROR && strncmp(text, "exec failed: ", 13) != 0 ? "exec failed: "
										     "rtexec: "
										   : "",
		     text);
}

static void write_out(enum log_level level, const char *text)
{
	char line[3072], msg[1200];
	int fd = STDERR_FILENO;

	runc_words(level, text, msg, sizeof(msg));
	/* JSON wherever it goes, stderr included, as logrus's formatter */
	format(level, msg, reporting->log_json, line, sizeof(line));
	if (reporting->log && log_dropped)
		return;
	if (reporting->log)
		fd = log_fd >= 0 ? log_fd : log_kept ? -1 : open_log(); /* kept: stderr */
	if (fd < 0)
		fd = STDERR_FILENO;
	line_on_stderr = fd == STDERR_FILENO;
	while (write(fd, line, strlen(line)) < 0 && errno == EINTR)
		;
	if (fd != STDERR_FILENO && fd != log_fd)
		close(fd);
}

/* The error that ends the run: with --log, on stderr too, bare, as runc's fatal() prints
 * it (conmon hands podman its stderr when the log does not parse). */
static void final_out(enum log_level level, const char *text)
{
	char msg[1200];
	size_t n;

	if (!reporting->log || line_on_stderr)
		return;
	runc_words(level, text, msg, sizeof(msg) - 1);
	n = strlen(msg);
	msg[n++] = '\n';
	while (write(STDERR_FILENO, msg, n) < 0 && errno == EINTR)
		;
}

static void keep_log(void)
{
	if (reporting->log && log_fd < 0)
		log_fd = open_log();
	log_kept = true; /* never by its path again, even where that failed */
}

static void drop_log(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	log_dropped = true;
}

void runc_report(const struct runc_cli *rc)
{
	static const struct log_sink sink = { write_out, 255, keep_log, drop_log, final_out };

	reporting = rc;
	log_level = rc->debug ? LOG_DEBUG : LOG_WARN;
	log_set_sink(&sink);
}

void runc_exec_error(int status, const char *cmd, struct rterr *e)
{
	char why[64];
	const char *s = rt_strerror(e->err);

	if (status == EXIT_NOT_FOUND && !strchr(cmd, '/')) {
		fmt_snprintf(e->msg, sizeof(e->msg),
			     "exec failed: unable to start container process: exec: \"%s\": "
			     "executable "
			     "file not found in $PATH",
			     cmd);
		return;
	}
	/* Go's wording: the C library's, lower case ("permission denied"). */
	fmt_snprintf(why, sizeof(why), "%s", status == EXIT_NOT_FOUND ? rt_strerror(ENOENT) : s);
	why[0] = (char)tolower((unsigned char)why[0]);
	if (status == EXIT_NOT_FOUND)
		fmt_snprintf(e->msg, sizeof(e->msg),
			     "exec failed: unable to start container process: exec: \"%s\": stat "
			     "%s: "
			     "%s",
			     cmd, cmd, why);
	else
		fmt_snprintf(e->msg, sizeof(e->msg),
			     "exec failed: unable to start container process: exec: \"%s\": %s",
			     cmd, why);
}

/* ---- the real runc ---- */

static bool same_file(const char *path, const struct stat *self)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_dev == self->st_dev && st.st_ino == self->st_ino;
}

static const char *find_runc(char *buf, size_t n, const struct stat *self)
{
	const char *path = getenv("PATH");

	for (const char *p = path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin";
	     *p;) {
		size_t len = strcspn(p, ":");

		fmt_snprintf(buf, n, "%.*s/runc", (int)len, p);
		if (len && access(buf, X_OK) == 0 && !same_file(buf, self))
			return buf;
		p += len + (p[len] == ':');
	}
	return NULL;
}

#define HANDOFF_MARK "RTEXEC_RUNC_HANDED_OFF"
#define HANDOFF_MAX 3

void runc_handoff(char **argv)
{
	static char buf[4096];
	char count[16];
	const char *mark;
	int hops;
	struct stat self;
	const char *runc = getenv("RTEXEC_RUNC");

	if (stat("/proc/self/exe", &self) < 0)
		die_errno(errno, "%s: stat /proc/self/exe", RUNC_NAME);
	if (runc && same_file(runc, &self))
		die("%s: RTEXEC_RUNC=%s is this binary: it would execute itself", RUNC_NAME, runc);
	if (runc == NULL && (runc = find_runc(buf, sizeof(buf), &self)) == NULL)
		die("%s: no runc in PATH to hand \"%s\" to (set RTEXEC_RUNC)", RUNC_NAME,
		    argv[1] ? argv[1] : "");
	/* A "runc" that is a wrapper running rtexec-runc again would hand over for ever: the
	 * handovers are counted (a runc that legitimately runs rtexec-runc once more, a hook,
	 * still may). */
	mark = getenv(HANDOFF_MARK);
	hops = mark ? atoi(mark) : 0;
	if (hops >= HANDOFF_MAX)
		die("%s: %s runs %s again (a wrapper?): set RTEXEC_RUNC to the real runc",
		    RUNC_NAME, runc, RUNC_NAME);
	fmt_snprintf(count, sizeof(count), "%d", hops + 1);
	if (setenv(HANDOFF_MARK, count, 1) < 0)
		die_errno(errno, "%s: setenv", RUNC_NAME);
	if (runc != buf)
		fmt_snprintf(buf, sizeof(buf), "%s", runc);
	argv[0] = buf;
	execv(buf, argv);
	die_errno(errno, "%s: execute %s", RUNC_NAME, runc);
}

/* ---- the container: runc's state ---- */

/* A file the engine names (state.json, --process, the bundle's config.json): opened once,
 * checked to be a regular file (a device or FIFO planted there is never opened), and read
 * from that fd, never by its path again. */
static int read_regular(const char *path, char **text, struct rterr *e)
{
	int fd = open_regular(path, false), r;
	struct stat st = { .st_size = 0 };
	size_t n;

	if (fd == -EMEDIUMTYPE)
		return rterr_set(e, 0, "%s: not a regular file", path);
	if (fd < 0)
		return rterr_set(e, -fd, "%s", path);
	/* Its size a first guess, STATE_MAX the bound: a file system may say 0 for a file
	 * with content (FUSE with direct_io), or the file may grow. */
	if (fstat(fd, &st) == 0 && st.st_size > STATE_MAX) {
		close(fd);
		return rterr_set(e, EFBIG, "%s", path);
	}
	n = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
	for (*text = NULL;; n = n * 4 > STATE_MAX + 1 ? STATE_MAX + 1 : n * 4) {
		char *nb = realloc(*text, n);

		if (nb == NULL) {
			r = -ENOMEM;
			break;
		}
		*text = nb;
		if ((r = read_fd(fd, *text, n)) != -EFBIG || n > STATE_MAX)
			break;
		if (lseek(fd, 0, SEEK_SET) < 0) {
			r = -errno;
			break;
		}
	}
	close(fd);
	if (r < 0) {
		free(*text);
		return rterr_set(e, -r, "%s", path);
	}
	return 0;
}

static int read_json(const char *path, cJSON **out, struct rterr *e)
{
	char *text, why[sizeof(e->msg)];
	int r = 0;

	if (read_regular(path, &text, e) < 0)
		return -1;
	if (json_parse(text, strlen(text), out, e) < 0) {
		fmt_snprintf(why, sizeof(why), "%s", e->msg);
		r = rterr_set(e, 0, "%s: %s", path, why);
	}
	free(text);
	return r;
}

/* The types the container has: config.namespaces (namespace_paths lists all seven, the
 * host's own among them). */
static int state_namespaces(const cJSON *state, struct ns_request *ns, struct rterr *e)
{
	/* clang-format off */
	static const struct { const char *runc; enum ns_type type; } names[] = {
		{ "NEWNS", NS_MNT }, { "NEWPID", NS_PID }, { "NEWNET", NS_NET }, { "NEWIPC", NS_IPC },
		{ "NEWUTS", NS_UTS }, { "NEWUSER", NS_USER }, { "NEWCGROUP", NS_CGROUP },
		{ "NEWTIME", NS_TIME } };
	/* clang-format on */
	const cJSON *list = cJSON_GetObjectItemCaseSensitive(
			    cJSON_GetObjectItemCaseSensitive(state, "config"), "namespaces"),
		    *it;

	/* Without the list the command would join nothing: the host's namespaces, all of them. */
	if (!cJSON_IsArray(list))
		return rterr_set(e, 0, "state.json: config.namespaces: missing or not a list");
	ns->given = true;
	cJSON_ArrayForEach(it, list)
	{
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(it, "type"));
		size_t k = 0;

		while (k < ARRAY_LEN(names) && !(t && strcmp(t, names[k].runc) == 0))
			k++;
		if (k == ARRAY_LEN(names) || ns->n == NS_COUNT)
			return rterr_set(e, 0, "state.json: config.namespaces: unknown type %s",
					 t ? t : "(none)");
		ns->entries[ns->n++] = (struct ns_entry){ names[k].type, NULL };
	}
	return 0;
}

/* config.labels: "KEY=VALUE" strings, the container's annotations and "bundle=DIR". */
static int state_labels(const cJSON *state, struct cpu_request *cpus, char *bundle, size_t n,
			struct rterr *e)
{
	const cJSON *it, *labels = cJSON_GetObjectItemCaseSensitive(
				 cJSON_GetObjectItemCaseSensitive(state, "config"), "labels");
	size_t an = strlen(TRANSITION_ANNOTATION);

	bundle[0] = '\0';
	cJSON_ArrayForEach(it, labels)
	{
		const char *l = cJSON_GetStringValue(it);

		if (l && strncmp(l, "bundle=", 7) == 0)
			fmt_snprintf(bundle, n, "%s", l + 7);
		if (!l || strncmp(l, TRANSITION_ANNOTATION, an) != 0 || l[an] != '=')
			continue;
		if (strcmp(l + an + 1, "temporary") == 0)
			cpus->transition = TRANSITION_TEMPORARY;
		else if (strcmp(l + an + 1, "definitive") == 0)
			cpus->transition = TRANSITION_DEFINITIVE;
		else
			return rterr_set(e, 0, "annotation %s: unknown value \"%s\"",
					 TRANSITION_ANNOTATION, l + an + 1);
	}
	return 0;
}

static int state_target(const cJSON *state, struct target_request *t, struct rterr *e)
{
	const cJSON *pid = cJSON_GetObjectItemCaseSensitive(state, "init_process_pid"),
		    *start = cJSON_GetObjectItemCaseSensitive(state, "init_process_start");
	unsigned long long p, st;

	if (pid == NULL || start == NULL)
		return rterr_set(e, 0, "state.json: no init_process_pid and init_process_start");
	/* Read as integers (a pid of 1e300 or -1 is an error, not a cast), from the text. */
	if (json_uint(pid, "state.json: init_process_pid", 4194304, &p, e) < 0 ||
	    json_u64(start, "state.json: init_process_start", &st, e) < 0)
		return -1;
	if (p == 0)
		return rterr_set(e, 0, "state.json: init_process_pid is 0");
	t->pid = (pid_t)p;
	t->start_time = st;
	t->has_start_time = true; /* a pid reused since: refused */
	return 0;
}

/* The session keyring, as runc's exec: the container's, "_ses.ID", unless it was created
 * with --no-new-keyring (config.no_new_keyring), where the caller's stays. A global, so that
 * the leak checker sees the name held to the end. */
static char *session_keyring;

static int state_keyring(const cJSON *state, const char *id, struct process_request *p,
			 struct rterr *e)
{
	p->keep_keyring = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(state, "config"), "no_new_keyring"));
	if (!p->keep_keyring && fmt_asprintf(&session_keyring, "_ses.%s", id) < 0)
		return rterr_set(e, ENOMEM, "state.json");
	p->keyring = session_keyring;
	return 0;
}

/* The umask, as runc's exec: the container's (config.umask, from its spec's
 * process.user.umask) wherever it is set, even over a --process file's; else the process's,
 * or 0022 (runc's would be its caller's). */
static int state_umask(const cJSON *state, struct process_request *p, struct rterr *e)
{
	const cJSON *u = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(state, "config"), "umask");
	unsigned long long v;

	if (u == NULL || cJSON_IsNull(u))
		return 0;
	if (json_uint(u, "state.json: config.umask", 0777, &v, e) < 0)
		return -1;
	p->umask = (mode_t)v;
	p->has_umask = true;
	return 0;
}

/* ---- the process: --process, or the bundle's with exec's flags ---- */

/* A number and nothing after it, but for ':' where it may end there (--user's uid), as
 * runc's strconv parsing refuses "5:6" as a gid. */
static int id_number(const char *what, const char *s, bool to_colon, unsigned long *v,
		     struct rterr *e)
{
	const char *end;
	unsigned long long n;

	if (str_u64(s, 10, &n, &end) < 0 || n > 4294967294ULL ||
	    (*end && !(to_colon && *end == ':')))
		return rterr_set(e, 0, "%s: \"%s\": not a number", what, s);
	*v = (unsigned long)n;
	return 0;
}

/* --user UID[:GID] and --additional-gids, as runc takes them (numbers). */
static int apply_ids(const struct runc_cli *rc, struct process_request *p, struct rterr *e)
{
	unsigned long v;
	gid_t *groups;

	if (rc->user) {
		if (id_number("--user", rc->user, true, &v, e) < 0)
			return -1;
		p->uid = (uid_t)v; /* the gid stays the process's unless given, as in runc */
		if (strchr(rc->user, ':') &&
		    id_number("--user", strchr(rc->user, ':') + 1, false, &v, e) < 0)
			return -1;
		if (strchr(rc->user, ':'))
			p->gid = (gid_t)v;
	}
	if (rc->ngids == 0)
		return 0;
	/* Appended to the process's, as runc does. */
	if ((groups = realloc(p->groups, (p->ngroups + (size_t)rc->ngids) * sizeof(gid_t))) == NULL)
		return rterr_set(e, ENOMEM, "--additional-gids");
	p->groups = groups;
	for (int i = 0; i < rc->ngids; i++) {
		if (id_number("--additional-gids", rc->gids[i], false, &v, e) < 0)
			return -1;
		p->groups[p->ngroups++] = (gid_t)v;
	}
	return 0;
}

/* --env NAME=VALUE into the bundle's environment, as runc does: in place of the variable of
 * that name, else appended. */
static int apply_env(const struct runc_cli *rc, struct process_request *p, struct rterr *e)
{
	char **env;

	if (rc->nenv == 0)
		return 0;
	if ((env = realloc(p->env, (p->nenv + (size_t)rc->nenv + 1) * sizeof(*env))) == NULL)
		return rterr_set(e, ENOMEM, "--env");
	p->env = env;
	for (int i = 0; i < rc->nenv; i++) {
		size_t n = strcspn(rc->env[i], "="), k = 0;

		if (!rc->env[i][n] || n == 0)
			return rterr_set(e, 0, "--env: \"%s\": expected NAME=VALUE", rc->env[i]);
		while (k < p->nenv && !(strncmp(p->env[k], rc->env[i], n + 1) == 0))
			k++;
		p->env[k] = rc->env[i];
		p->nenv += k == p->nenv;
	}
	p->env[p->nenv] = NULL;
	return 0;
}

/* Without --process: exec's flags on the bundle's process (runc's getProcess()). */
static int apply_flags(const struct runc_cli *rc, struct config *c, struct cli *cli,
		       struct rterr *e)
{
	if (rc->args == NULL)
		return rterr_set(e, 0, "exec: a command is required (or --process)");
	cli->cmd = rc->args;
	cli->ncmd = rc->nargs;
	if (rc->cwd && rc->cwd[0] != '/')
		return rterr_set(e, 0, "--cwd: \"%s\": must be an absolute path", rc->cwd);
	if (rc->cwd)
		c->process.cwd = rc->cwd;
	c->process.terminal = rc->tty;
	if (rc->no_new_privs_set) { /* as runc's IsSet: the value given, true or false */
		c->attrs.no_new_privs = rc->no_new_privs;
		c->attrs.has_no_new_privs = true;
	}
	if (rc->apparmor)
		c->attrs.apparmor_profile = rc->apparmor;
	if (rc->label)
		c->attrs.selinux_label = rc->label;
	for (int i = 0; i < rc->ncaps; i++) {
		int cap = cap_from_name(rc->caps[i]);
		if (cap < 0) { /* runc ignores it, with a warning */
			logmsg(LOG_WARN, "--cap: unknown capability \"%s\": ignored", rc->caps[i]);
			continue;
		}
		c->attrs.caps_set = true;
		c->attrs.caps[CAPS_BOUNDING] |= 1ULL << cap;
		c->attrs.caps[CAPS_EFFECTIVE] |= 1ULL << cap;
		c->attrs.caps[CAPS_PERMITTED] |= 1ULL << cap;
		c->attrs.caps[CAPS_AMBIENT] |= 1ULL << cap;
	}
	return apply_ids(rc, &c->process, e) < 0 ? -1 : apply_env(rc, &c->process, e);
}

static int load_process(const struct runc_cli *rc, const char *bundle, size_t ncpus,
			struct config *c, struct cli *cli, struct rterr *e)
{
	char path[4200], *text;
	int r;

	if (rc->process == NULL && bundle[0] == '\0')
		return rterr_set(e, 0, "state.json: no bundle= label (give --process)");
	if (rc->process == NULL &&
	    (size_t)fmt_snprintf(path, sizeof(path), "%s/config.json", bundle) >= sizeof(path))
		return rterr_set(e, ENAMETOOLONG, "bundle %s", bundle);
	if (read_regular(rc->process ? rc->process : path, &text, e) < 0)
		return -1;
	r = config_parse_process(text, strlen(text), rc->process ? NULL : "process", ncpus, c, e);
	free(text);
	if (r < 0) {
		char why[sizeof(e->msg)];
		fmt_snprintf(why, sizeof(why), "%s", e->msg);
		return rterr_set(e, 0, "%s: %s", rc->process ? rc->process : path, why);
	}
	/* With --process, runc takes the file as it is: the flags above it do not apply. */
	return rc->process ? 0 : apply_flags(rc, c, cli, e);
}

/* --cgroup: a sub-cgroup of the container's on cgroup v2 ("PATH" or ":PATH"). */
static int apply_cgroup(const struct runc_cli *rc, struct cg_request *cg, struct rterr *e)
{
	const char *sub = rc->cgroup;

	if (sub == NULL)
		return 0;
	if (strchr(sub, ':') && sub[0] != ':' && strncmp(sub, "unified:", 8) != 0)
		return rterr_set(e, 0, "--cgroup %s: only a sub-cgroup of cgroup v2 is supported",
				 sub);
	sub = strchr(sub, ':') ? strchr(sub, ':') + 1 : sub;
	if (sub[0] == '/' || str_find(sub, ".."))
		return rterr_set(e, 0, "--cgroup %s: a relative sub-cgroup without \"..\"", sub);
	cg->sub = sub;
	return 0;
}

/* What runc's exec refuses before it starts anything, in its words. */
static int runc_rules(const struct runc_cli *rc, bool terminal, struct rterr *e)
{
	if (rc->detach && terminal && !rc->console_socket)
		return rterr_set(e, 0,
				 "exec failed: cannot allocate tty if runc will detach without "
				 "setting console socket");
	if ((!rc->detach || !terminal) && rc->console_socket)
		return rterr_set(e, 0,
				 "exec failed: cannot use console socket if runc will not detach "
				 "or allocate tty");
	/* runc stats each one; rtexec's own command line passes a missing one as closed. */
	for (unsigned i = 0; i < rc->preserve_fds; i++)
		if (fcntl((int)(3 + i), F_GETFD) < 0)
			return rterr_set(e, 0,
					 "exec failed: unable to stat preserved-fd %u (of %u): no "
					 "such file or directory",
					 i, rc->preserve_fds);
	return 0;
}

int runc_load(const struct runc_cli *rc, size_t ncpus, struct config *c, struct cli *cli,
	      struct rterr *e)
{
	static char bundle[4096]; /* where main connects from, later */
	char path[4096];
	struct config state_part = { 0 };
	cJSON *state;
	int r;

	if (rc->ignore_paused)
		return rterr_set(e, 0,
				 "--ignore-paused: rtexec never joins a paused container "
				 "(the command would hang frozen)");
	if (!rc->id[0] || strchr(rc->id, '/') || strcmp(rc->id, ".") == 0 ||
	    strcmp(rc->id, "..") == 0)
		return rterr_set(e, 0, "container id \"%s\": not a container's name", rc->id);
	fmt_snprintf(path, sizeof(path), "%s/%s/state.json", rc->root, rc->id);
	if (read_json(path, &state, e) < 0)
		return -1;
	r = state_target(state, &state_part.target, e) < 0 ||
			    state_namespaces(state, &state_part.ns, e) < 0 ||
			    state_labels(state, &state_part.cpus, bundle, sizeof(bundle), e) < 0 ||
			    state_keyring(state, rc->id, &state_part.process, e) < 0 ||
			    state_umask(state, &state_part.process, e) < 0
		    ? -1
		    : 0;
	cJSON_Delete(state);
	if (r < 0 || load_process(rc, bundle, ncpus, c, cli, e) < 0 ||
	    runc_rules(rc, c->process.terminal, e) < 0)
		return -1;
	c->target = state_part.target;
	c->ns = state_part.ns;
	c->process.keyring = state_part.process.keyring;
	c->process.keep_keyring = state_part.process.keep_keyring;
	if (state_part.process.has_umask) {
		c->process.umask = state_part.process.umask;
		c->process.has_umask = true;
	}
	c->cpus.transition = state_part.cpus.transition;
	c->preserve_fds = rc->preserve_fds;
	c->attrs.ambient_lenient = true;
	cli->detach = rc->detach;
	cli->pid_file = rc->pid_file;
	cli->console_socket = rc->console_socket;
	cli->pidfd_socket = rc->pidfd_socket;
	/* A relative socket path as runc's exec resolves it: from the bundle, the directory it
	 * moved into to read config.json (without --process), else from the caller's. */
	cli->socket_dir = rc->process ? NULL : bundle;
	return apply_cgroup(rc, &c->cgroup, e);
}
