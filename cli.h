/* The command line: options and the command that replaces process.args. */
#ifndef RTEXEC_CLI_H
#define RTEXEC_CLI_H
#include <stdbool.h>

#include "log.h"

struct cli {
	const char *config_file; /* NULL or "-": stdin */
	const char *pid_file;	 /* overrides the config's pidFile */
	bool dry_run;
	bool detach;
	bool help;
	bool version;
	enum log_level level;
	char **cmd; /* NULL-terminated; NULL when not given */
	int ncmd;
};

/* Pure: no I/O, no exit. Returns 0, or -1 with a message in e. */
int cli_parse(int argc, char **argv, struct cli *out, struct rterr *e);
extern const char cli_usage[];

#endif
