/* libFuzzer target: a config document through parsing, validation, the CPU placement table,
 * the environment and the whole --dry-run plan, with ASan/UBSan. Everything that touches the
 * host is left out (no target is opened: the plan is built from a fake one), so a run is
 * repeatable. `make fuzz FUZZ_SECONDS=N`. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "plan.h"

#define NCPUS 64 /* a small host: CPU lists beyond it are refused, as on a real one */

static void plan(struct config *c, bool args_given)
{
	static char arg0[] = "/bin/true", *cli_args[] = { arg0, NULL };
	struct target t = { .pid = 1, .start_time = 42, .pidfd = -1, .procfd = -1 };
	struct ns_plan ns = { .n = 0, .pidfd = -1 };
	struct cg_plan cg = { .v2 = -1 };
	struct placement pl = { .ncpus = NCPUS };
	struct process_request proc = c->process;
	struct attrs attrs = c->attrs;
	struct seccomp_plan sp = { .mode = c->seccomp.mode, .path = c->seccomp.path };
	struct rterr e;
	char *text;

	if (args_given) {
		proc.args = cli_args;
		proc.nargs = 1;
	}
	/* Cgroup 0-15 with 8-15 isolated: every row of the placement table is reachable. */
	if (cpulist_parse("0-15", NCPUS, &pl.cgroup, &e) < 0 ||
	    cpulist_parse("8-15", NCPUS, &pl.isolated, &e) < 0 ||
	    placement_compute(&c->cpus, &pl, &e) < 0)
		abort(); /* fixed lists and masks checked by config_parse: cannot fail */
	struct plan_input in = { &t, &ns, &cg, &pl, &proc, &attrs, &c->sched, &sp };
	text = plan_text(&in);
	free(text);
	placement_free(&pl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	struct config c;
	struct rterr e;
	bool args_given = size > 0 && data[0] == ' '; /* a leading blank: args from the CLI */

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (config_parse(text, size, args_given, NCPUS, &c, &e) == 0) {
		plan(&c, args_given);
		config_free(&c);
	} else if (strchr(e.msg, '\n') != NULL) {
		abort(); /* one line, always */
	}
	free(text);
	return 0;
}
