/* rtexec-runc: the same binary under runc's command line, so that an engine (containerd's
 * runc shim, podman's conmon) can use it as its runtime. `exec` is done by rtexec, from runc's
 * state of the container; every other command is handed to the real runc, unchanged. This
 * file only translates runc's world into rtexec's request: the join is rtexec's own. */
#ifndef RTEXEC_RUNC_H
#define RTEXEC_RUNC_H
#include <stdbool.h>
#include <stddef.h>

#include "cli.h"
#include "config.h"
#include "log.h"

#define RUNC_NAME "rtexec-runc"
#define RUNC_LIST_MAX 128 /* repeated flags: --env, --additional-gids, --cap */

struct runc_cli {
	/* global flags */
	const char *root; /* default /run/runc */
	const char *log;
	bool log_json;
	bool debug;
	bool handoff; /* not exec (or help/version): the real runc's */
	/* exec flags */
	const char *process, *pid_file, *console_socket, *pidfd_socket, *cwd, *user, *apparmor,
		*label, *cgroup;
	bool detach, tty, no_new_privs, ignore_paused;
	bool no_new_privs_set; /* given at all: --no-new-privs=false clears the bundle's */
	unsigned preserve_fds;
	char *env[RUNC_LIST_MAX], *gids[RUNC_LIST_MAX], *caps[RUNC_LIST_MAX];
	int nenv, ngids, ncaps;
	const char *id;
	char **args; /* the command after ID, NULL-terminated; NULL if none */
	int nargs;
};

/* Whether this binary was started under the front end's name. */
bool runc_invoked(const char *argv0);
/* Pure: runc's global flags, the command, and exec's flags (Go's flag rules: -f and --f
 * alike, -f=v or -f v, flags stop at the first other word or "--"). */
int runc_parse(int argc, char **argv, struct runc_cli *rc, struct rterr *e);
/* From here on failures go where the engine reads them: --log (JSON or text lines) or
 * stderr (runc's text), and exit with runc's status for a failed exec, 255. */
void runc_report(const struct runc_cli *rc);
/* Executes the real runc with the same argv: $RTEXEC_RUNC, else the first "runc" in PATH
 * that is not this binary. */
void runc_handoff(char **argv) NORETURN;
/* The request: the container from ROOT/ID/state.json (checked against the live process), its
 * process from --process (or its bundle's config.json with exec's flags), and what the
 * command line adds in *cli. */
int runc_load(const struct runc_cli *rc, size_t ncpus, struct config *c, struct cli *cli,
	      struct rterr *e);
/* A failed exec (126, 127) in runc's words, which engines map to their own statuses. */
void runc_exec_error(int status, const char *cmd, struct rterr *e);

#endif
