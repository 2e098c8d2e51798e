/* cli_parse(): every option in every spelling, the command after "--", and the exact message
 * of every way a command line can be wrong. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tap.h"

#define MAXARGS 32

/* A mutable, NULL-terminated argv ("rtexec" first) from the strings up to NULL; it stays
 * valid until the next call, since cli_parse() keeps pointers into it. */
static char *argv_buf[MAXARGS + 2];
static int argc_buf;

static void argv_free(void)
{
	for (int i = 0; i < argc_buf; i++)
		free(argv_buf[i]);
	argc_buf = 0;
	argv_buf[0] = NULL;
}

static int run(struct cli *c, struct rterr *e, ...)
{
	va_list ap;
	const char *s;

	argv_free();
	argv_buf[argc_buf++] = strdup("rtexec");
	va_start(ap, e);
	while ((s = va_arg(ap, const char *)) != NULL && argc_buf < MAXARGS)
		argv_buf[argc_buf++] = strdup(s);
	va_end(ap);
	argv_buf[argc_buf] = NULL;
	memset(e, 0, sizeof(*e));
	return cli_parse(argc_buf, argv_buf, c, e);
}

#define PARSE(c, e, ...) run(c, e, __VA_ARGS__, (const char *)NULL)

static void test_defaults(void)
{
	struct cli c;
	struct rterr e;

	ok(run(&c, &e, (const char *)NULL) == 0, "no arguments");
	ok(c.config_file == NULL && c.pid_file == NULL, "no config file, no pid file");
	ok(!c.dry_run && !c.detach && !c.help && !c.version, "no flags");
	ok(c.level == LOG_WARN, "log level warn by default");
	ok(c.cmd == NULL && c.ncmd == 0, "no command");
}

static void test_config_file(void)
{
	struct cli c;
	struct rterr e;

	ok(PARSE(&c, &e, "-f", "/etc/x.json") == 0, "-f FILE");
	is_str(c.config_file, "/etc/x.json", "-f FILE: file");
	ok(PARSE(&c, &e, "--config", "x.json") == 0, "--config FILE");
	is_str(c.config_file, "x.json", "--config FILE: file");
	ok(PARSE(&c, &e, "--config=/a=b") == 0, "--config=FILE");
	is_str(c.config_file, "/a=b", "--config=FILE: everything after the first =");
	ok(PARSE(&c, &e, "-f", "-") == 0, "-f -");
	is_str(c.config_file, "-", "-f -: stdin");
	ok(PARSE(&c, &e, "--config=-") == 0, "--config=-");
	is_str(c.config_file, "-", "--config=-: stdin");
	ok(PARSE(&c, &e, "-f", "a", "--config", "b") == 0, "given twice");
	is_str(c.config_file, "b", "given twice: the last wins");
	ok(PARSE(&c, &e, "-f", "--dry-run") == 0 && !c.dry_run, "-f takes the next word as is");
	is_str(c.config_file, "--dry-run", "-f --dry-run: a file named --dry-run");
}

static void test_pid_file(void)
{
	struct cli c;
	struct rterr e;

	ok(PARSE(&c, &e, "--pid-file", "/run/exec.pid") == 0, "--pid-file FILE");
	is_str(c.pid_file, "/run/exec.pid", "--pid-file FILE: file");
	ok(PARSE(&c, &e, "--pid-file=exec.pid") == 0, "--pid-file=FILE");
	is_str(c.pid_file, "exec.pid", "--pid-file=FILE: file");
	ok(c.config_file == NULL, "--pid-file does not set the config file");
}

static void test_log_level(void)
{
	/* clang-format off */
	static const struct {
		const char *name;
		enum log_level level;
	} levels[] = { { "error", LOG_ERROR }, { "warn", LOG_WARN }, { "info", LOG_INFO },
		       { "debug", LOG_DEBUG } };
	/* clang-format on */
	struct cli c;
	struct rterr e;
	char eq[32];

	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		ok(PARSE(&c, &e, "--log-level", levels[i].name) == 0 && c.level == levels[i].level,
		   "--log-level %s", levels[i].name);
		snprintf(eq, sizeof(eq), "--log-level=%s", levels[i].name);
		ok(PARSE(&c, &e, eq) == 0 && c.level == levels[i].level, "%s", eq);
	}
	ok(PARSE(&c, &e, "--log-level", "debug", "--log-level", "error") == 0 &&
		   c.level == LOG_ERROR,
	   "--log-level twice: the last wins");
}

static void test_flags(void)
{
	struct cli c;
	struct rterr e;

	ok(PARSE(&c, &e, "--dry-run") == 0 && c.dry_run && !c.detach, "--dry-run");
	ok(PARSE(&c, &e, "-d") == 0 && c.detach && !c.dry_run, "-d");
	ok(PARSE(&c, &e, "--detach") == 0 && c.detach, "--detach");
	ok(PARSE(&c, &e, "-h") == 0 && c.help && !c.version, "-h");
	ok(PARSE(&c, &e, "--help") == 0 && c.help, "--help");
	ok(PARSE(&c, &e, "-V") == 0 && c.version && !c.help, "-V");
	ok(PARSE(&c, &e, "--version") == 0 && c.version, "--version");
	ok(PARSE(&c, &e, "-d", "-d") == 0 && c.detach, "a flag twice");
}

static void test_command(void)
{
	struct cli c;
	struct rterr e;

	ok(PARSE(&c, &e, "--", "/bin/sh", "-c", "echo hi") == 0, "-- COMMAND ARG...");
	ok(c.ncmd == 3 && c.cmd && c.cmd[3] == NULL, "three words, NULL-terminated");
	if (c.cmd && c.ncmd == 3) {
		is_str(c.cmd[0], "/bin/sh", "cmd[0]");
		is_str(c.cmd[1], "-c", "cmd[1]: an option-like word after --");
		is_str(c.cmd[2], "echo hi", "cmd[2]");
	}
	ok(PARSE(&c, &e, "--", "true") == 0 && c.ncmd == 1, "-- COMMAND alone");
	is_str(c.cmd ? c.cmd[0] : NULL, "true", "-- COMMAND: cmd[0]");
	ok(PARSE(&c, &e, "--", "--", "x") == 0 && c.ncmd == 2, "-- -- x: a command named --");
	is_str(c.cmd ? c.cmd[0] : NULL, "--", "-- -- x: cmd[0]");
	ok(PARSE(&c, &e, "--", "sh", "-f", "x", "--dry-run") == 0 && c.ncmd == 4 &&
		   c.config_file == NULL && !c.dry_run,
	   "options after -- belong to the command");
	ok(PARSE(&c, &e, "--", "sh", "") == 0 && c.ncmd == 2, "an empty argument after the "
							      "command");

	ok(PARSE(&c, &e, "-f", "c.json", "--dry-run", "-d", "--pid-file", "p", "--log-level",
		 "info", "--", "sh", "-c", "x") == 0,
	   "everything together");
	is_str(c.config_file, "c.json", "together: config");
	is_str(c.pid_file, "p", "together: pid file");
	ok(c.dry_run && c.detach && c.level == LOG_INFO, "together: flags and level");
	ok(c.ncmd == 3, "together: the command");
	is_str(c.cmd ? c.cmd[0] : NULL, "sh", "together: cmd[0]");
}

struct bad {
	const char *argv[7];
	const char *msg;
};

/* clang-format off */
static const struct bad bad[] = {
	{ { "--bogus" }, "unknown option \"--bogus\" (see --help)" },
	{ { "-x" }, "unknown option \"-x\" (see --help)" },
	{ { "-dV" }, "unknown option \"-dV\" (see --help)" },
	{ { "-f=x.json" }, "unknown option \"-f=x.json\" (see --help)" },
	{ { "-fx.json" }, "unknown option \"-fx.json\" (see --help)" },
	{ { "--configx" }, "unknown option \"--configx\" (see --help)" },
	{ { "--config-file=x" }, "unknown option \"--config-file=x\" (see --help)" },
	{ { "--dry-run=1" }, "unknown option \"--dry-run=1\" (see --help)" },
	{ { "--detach=true" }, "unknown option \"--detach=true\" (see --help)" },
	{ { "--pid" }, "option --pid: requires an argument" },
	{ { "-p", "1" }, "option -p: put the command after \"--\"" },
	{ { "-p", "1", "-f", "c", "--", "sh" }, "options -p and -f: one or the other" },
	{ { "-u", "1", "--", "sh" }, "option -u: only with -p (a config has process.user, process.cwd and process.env)" },
	{ { "-w", "/", "--", "sh" }, "option -w: only with -p (a config has process.user, process.cwd and process.env)" },
	{ { "-e", "A=1", "--", "sh" }, "option -e: only with -p (a config has process.user, process.cwd and process.env)" },
	{ { "--console-socket" }, "option --console-socket: requires an argument" },
	{ { "-tx" }, "unknown option \"-tx\" (see --help)" },
	{ { "--Help" }, "unknown option \"--Help\" (see --help)" },
	{ { "---" }, "unknown option \"---\" (see --help)" },
	{ { "-d", "--nope", "--", "sh" }, "unknown option \"--nope\" (see --help)" },
	{ { "-f" }, "option -f: requires an argument" },
	{ { "--config" }, "option --config: requires an argument" },
	{ { "--pid-file" }, "option --pid-file: requires an argument" },
	{ { "--log-level" }, "option --log-level: requires an argument" },
	{ { "-d", "-f" }, "option -f: requires an argument" },
	{ { "-f", "" }, "option -f: must not be empty" },
	{ { "--config", "" }, "option --config: must not be empty" },
	{ { "--config=" }, "option --config=: must not be empty" },
	{ { "--pid-file", "" }, "option --pid-file: must not be empty" },
	{ { "--pid-file=" }, "option --pid-file=: must not be empty" },
	{ { "--log-level", "" }, "option --log-level: must not be empty" },
	{ { "--log-level=" }, "option --log-level=: must not be empty" },
	{ { "--log-level", "loud" }, "option --log-level: unknown level \"loud\"" },
	{ { "--log-level", "warning" }, "option --log-level: unknown level \"warning\"" },
	{ { "--log-level=DEBUG" }, "option --log-level: unknown level \"DEBUG\"" },
	{ { "--log-level", "3" }, "option --log-level: unknown level \"3\"" },
	{ { "--" }, "\"--\" must be followed by a command" },
	{ { "-d", "--" }, "\"--\" must be followed by a command" },
	{ { "--", "" }, "the command after \"--\" must not be empty" },
	{ { "--", "", "x" }, "the command after \"--\" must not be empty" },
	{ { "sh" }, "unexpected argument \"sh\": put the command after \"--\"" },
	{ { "-d", "sh", "-c", "x" }, "unexpected argument \"sh\": put the command after \"--\"" },
	{ { "sh", "--", "x" }, "unexpected argument \"sh\": put the command after \"--\"" },
	{ { "-" }, "unexpected argument \"-\": put the command after \"--\"" },
	{ { "" }, "unexpected argument \"\": put the command after \"--\"" },
};
/* clang-format on */

static void test_errors(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *const *a = bad[i].argv;
		char name[128] = "";
		struct cli c;
		struct rterr e;
		size_t o = 0;
		int r;

		for (size_t k = 0; k < 7 && a[k] && o < sizeof(name); k++)
			o += (size_t)snprintf(name + o, sizeof(name) - o, "%s\"%s\"", k ? " " : "",
					      a[k]);
		r = run(&c, &e, a[0], a[1], a[2], a[3], a[4], a[5], a[6], (const char *)NULL);
		ok(r < 0, "refused: %s", name);
		is_str(e.msg, bad[i].msg, "message: %s", name);
	}
}

/* Every failure is exactly one line on stderr, whatever the user typed. */
static void test_one_line(void)
{
	struct cli c;
	struct rterr e;
	bool clean = true;

	ok(PARSE(&c, &e, "--log-level", "de\nbug") < 0, "a level with a newline is refused");
	for (const char *p = e.msg; *p; p++)
		if ((unsigned char)*p < 0x20)
			clean = false;
	ok(clean, "the message of an unknown level is one line without control characters");
	if (!clean)
		printf("#   got: \"%s\"\n", e.msg);
}

static void test_usage(void)
{
	ok(strstr(cli_usage, "--config FILE") && strstr(cli_usage, "--pid-file FILE") &&
		   strstr(cli_usage, "--log-level") && strstr(cli_usage, "--dry-run") &&
		   strstr(cli_usage, "--detach") && strstr(cli_usage, "--version") &&
		   strstr(cli_usage, "--tty") && strstr(cli_usage, "--console-socket") &&
		   strstr(cli_usage, "--pid PID") && strstr(cli_usage, "--user") &&
		   strstr(cli_usage, "--cwd") && strstr(cli_usage, "--env"),
	   "the usage names every option");
	ok(cli_usage[strlen(cli_usage) - 1] == '\n', "the usage ends with a newline");
}

static void test_shorthand(void)
{
	struct cli c;
	struct rterr e;

	ok(PARSE(&c, &e, "-p", "42", "-t", "-u", "1000:100", "-w", "/tmp", "-e", "A=1", "--env=B=2",
		 "--", "sh", "-l") == 0,
	   "the shorthand: -p, -t, -u, -w, -e twice");
	is_str(c.pid, "42", "shorthand: pid");
	ok(c.tty, "shorthand: -t");
	is_str(c.user, "1000:100", "shorthand: user");
	is_str(c.cwd, "/tmp", "shorthand: cwd");
	ok(c.nenv == 2, "shorthand: two -e");
	is_str(c.nenv == 2 ? c.env[1] : NULL, "B=2", "shorthand: --env=B=2 in order");
	ok(c.ncmd == 2, "shorthand: the command");
	ok(PARSE(&c, &e, "--pid=7", "--tty", "--console-socket", "/run/s.sock", "--", "true") == 0,
	   "--pid=, --tty, --console-socket");
	is_str(c.console_socket, "/run/s.sock", "console socket");
	ok(c.tty && c.pid && strcmp(c.pid, "7") == 0, "--tty and --pid=7");
	ok(PARSE(&c, &e, "-f", "c.json", "-t", "--", "sh") == 0 && c.tty && !c.pid, "-t with a "
										    "config");
}

int main(void)
{
	test_defaults();
	test_shorthand();
	test_config_file();
	test_pid_file();
	test_log_level();
	test_flags();
	test_command();
	test_errors();
	test_one_line();
	test_usage();
	argv_free();
	return tap_done();
}
