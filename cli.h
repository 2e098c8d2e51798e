/* The command line: options and the command that replaces process.args. */
#ifndef RTEXEC_CLI_H
#define RTEXEC_CLI_H
#include <stdbool.h>

#include "log.h"

#define CLI_ENV_MAX 128 /* -e options */

struct cli {
	const char *config_file; /* NULL or "-": stdin */
	const char *pid_file;	 /* overrides the config's pidFile */
	bool dry_run;
	bool detach;
	bool help;
	bool version;
	bool tty;		    /* -t: process.terminal */
	const char *console_socket; /* the pty master goes there instead of being relayed */
	const char *pidfd_socket;   /* rtexec-runc's --pidfd-socket: a pidfd of the command */
	const char *socket_dir;	    /* rtexec-runc: the sockets' relative paths start there */
	enum log_level level;
	/* The shell shorthand: -p PID instead of a JSON config, with -u, -w, -e. */
	const char *pid;
	const char *user; /* UID[:GID] */
	const char *cwd;
	const char *env[CLI_ENV_MAX]; /* NAME=VALUE, in order */
	int nenv;
	char **cmd; /* NULL-terminated; NULL when not given */
	int ncmd;
};

/* Pure: no I/O, no exit. Returns 0, or -1 with a message in e. */
int cli_parse(int argc, char **argv, struct cli *out, struct rterr *e);
extern const char cli_usage[];

#endif
