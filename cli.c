#include "cli.h"

#include <string.h>

const char cli_usage[] =
	"usage: rtexec [-f FILE] [--dry-run] [-d] [--pid-file FILE] [--log-level LEVEL]\n"
	"              [-t] [--console-socket PATH] [-- COMMAND [ARG]...]\n"
	"       rtexec -p PID [-t] [-u UID[:GID]] [-w DIR] [-e NAME=VALUE]... [OPTION]...\n"
	"              -- COMMAND [ARG]...\n"
	"       rtexec --help | --version\n"
	"\n"
	"Joins a running container and executes a command in it, as described by one JSON\n"
	"document on standard input (or FILE), or by -p and the options after it.\n"
	"\n"
	"  -f, --config FILE    read the config from FILE ('-' = stdin)\n"
	"      --dry-run        print the plan as JSON and change nothing\n"
	"  -d, --detach         exit 0 once the command has been executed\n"
	"      --pid-file FILE  write the command's pid to FILE\n"
	"      --log-level L    error, warn (default), info or debug\n"
	"  -t, --tty            give the command a new terminal of the container\n"
	"      --console-socket PATH  send its master over this unix socket (no relay)\n"
	"  -p, --pid PID        the container's process to join, without a JSON config\n"
	"  -u, --user UID[:GID] with -p: the command's user (default 0:0)\n"
	"  -w, --cwd DIR        with -p: its working directory (default /)\n"
	"  -e, --env NAME=VALUE with -p: an environment variable (repeatable)\n"
	"  -h, --help           show this help\n"
	"  -V, --version        show the version\n"
	"\n"
	"Exit status: the command's own; 128+N if it was killed by signal N; 125 if rtexec\n"
	"failed; 126 if the command could not be executed; 127 if it was not found.\n";

/* Options that take a value, in both spellings. */
static const char *option_value(const char *arg, const char *name, int *consumed, char **next)
{
	size_t n = strlen(name);

	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '=' && name[1] == '-') {
		*consumed = 1;
		return arg + n + 1;
	}
	if (arg[n] != '\0')
		return NULL;
	*consumed = 2;
	return *next ? *next : "";
}

static int set_value(const char *arg, const char *value, int consumed, char **next,
		     const char **dst, struct rterr *e)
{
	if (consumed == 2 && *next == NULL)
		return rterr_set(e, 0, "option %s: requires an argument", arg);
	if (*value == '\0')
		return rterr_set(e, 0, "option %s: must not be empty", arg);
	*dst = value;
	return 0;
}

static int parse_valued(char **argv, int i, struct cli *out, int *consumed, struct rterr *e)
{
	const char *v, *level = NULL;
	char **next = &argv[i + 1];

	if ((v = option_value(argv[i], "-f", consumed, next)) ||
	    (v = option_value(argv[i], "--config", consumed, next)))
		return set_value(argv[i], v, *consumed, next, &out->config_file, e);
	if ((v = option_value(argv[i], "--pid-file", consumed, next)))
		return set_value(argv[i], v, *consumed, next, &out->pid_file, e);
	if ((v = option_value(argv[i], "--console-socket", consumed, next)))
		return set_value(argv[i], v, *consumed, next, &out->console_socket, e);
	if ((v = option_value(argv[i], "-p", consumed, next)) ||
	    (v = option_value(argv[i], "--pid", consumed, next)))
		return set_value(argv[i], v, *consumed, next, &out->pid, e);
	if ((v = option_value(argv[i], "-u", consumed, next)) ||
	    (v = option_value(argv[i], "--user", consumed, next)))
		return set_value(argv[i], v, *consumed, next, &out->user, e);
	if ((v = option_value(argv[i], "-w", consumed, next)) ||
	    (v = option_value(argv[i], "--cwd", consumed, next)))
		return set_value(argv[i], v, *consumed, next, &out->cwd, e);
	if ((v = option_value(argv[i], "-e", consumed, next)) ||
	    (v = option_value(argv[i], "--env", consumed, next))) {
		if (out->nenv == CLI_ENV_MAX)
			return rterr_set(e, 0, "option %s: more than %d of them", argv[i],
					 CLI_ENV_MAX);
		return set_value(argv[i], v, *consumed, next, &out->env[out->nenv++], e);
	}
	if ((v = option_value(argv[i], "--log-level", consumed, next))) {
		if (set_value(argv[i], v, *consumed, next, &level, e) < 0)
			return -1;
		if (log_level_parse(level, &out->level) < 0)
			return rterr_set(e, 0, "option --log-level: unknown level \"%s\"", level);
		return 0;
	}
	return rterr_set(e, 0, "unknown option \"%s\" (see --help)", argv[i]);
}

static int parse_flag(const char *arg, struct cli *out)
{
	if (strcmp(arg, "--dry-run") == 0)
		out->dry_run = true;
	else if (strcmp(arg, "-d") == 0 || strcmp(arg, "--detach") == 0)
		out->detach = true;
	else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0)
		out->help = true;
	else if (strcmp(arg, "-V") == 0 || strcmp(arg, "--version") == 0)
		out->version = true;
	else if (strcmp(arg, "-t") == 0 || strcmp(arg, "--tty") == 0)
		out->tty = true;
	else
		return -1;
	return 0;
}

/* -u, -w and -e belong to -p (a JSON config says the same in process); -p takes no config. */
static int check_shorthand(const struct cli *c, struct rterr *e)
{
	const char *opt = c->user ? "-u" : c->cwd ? "-w" : c->nenv ? "-e" : NULL;

	if (c->pid == NULL && opt)
		return rterr_set(e, 0,
				 "option %s: only with -p (a config has process.user, "
				 "process.cwd and process.env)",
				 opt);
	if (c->pid && c->config_file)
		return rterr_set(e, 0, "options -p and -f: one or the other");
	if (c->pid && c->cmd == NULL && !c->help && !c->version)
		return rterr_set(e, 0, "option -p: put the command after \"--\"");
	return 0;
}

int cli_parse(int argc, char **argv, struct cli *out, struct rterr *e)
{
	int i = 1, consumed;
	bool dashdash = false;

	memset(out, 0, sizeof(*out));
	out->level = LOG_WARN;
	while (i < argc) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			dashdash = true;
			break;
		}
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			return rterr_set(e, 0,
					 "unexpected argument \"%s\": put the command after \"--\"",
					 argv[i]);
		if (parse_flag(argv[i], out) == 0) {
			i++;
			continue;
		}
		if (parse_valued(argv, i, out, &consumed, e) < 0)
			return -1;
		i += consumed;
	}
	if (i < argc) {
		out->cmd = &argv[i];
		out->ncmd = argc - i;
		if (argv[i][0] == '\0')
			return rterr_set(e, 0, "the command after \"--\" must not be empty");
	} else if (dashdash) {
		return rterr_set(e, 0, "\"--\" must be followed by a command");
	}
	return check_shorthand(out, e);
}
