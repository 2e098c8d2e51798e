/* Unit tests of the pure tables of attrs.c (the status parser is inherit.c's). */
#include <sys/resource.h>

#include <string.h>

#include "attrs.h"
#include "inherit.h"
#include "tap.h"

static const struct rlimit_config *find(const struct attrs *a, int res)
{
	for (unsigned i = 0; i < a->nrlimits; i++)
		if (a->rlimits[i].resource == res)
			return &a->rlimits[i];
	return NULL;
}

/* attrs_resolve: silent rlimits come from the target; what rtexec has already is marked
 * unchanged (the child makes no syscall for it), whatever its source. */
static void test_resolve_rlimits(void)
{
	struct target_confinement tc, self;
	struct attrs a;
	struct rterr e = { 0 };

	memset(&tc, 0, sizeof(tc));
	memset(&a, 0, sizeof(a));
	for (int i = 0; i < RLIMITS_MAX; i++)
		tc.rlim_soft[i] = tc.rlim_hard[i] = 100 + (unsigned)i;
	tc.rlim_soft[RLIMIT_NOFILE] = 1048576;
	tc.rlim_hard[RLIMIT_NOFILE] = 1048576;
	self = tc;
	self.rlim_soft[RLIMIT_NOFILE] = 1024;
	self.rlim_soft[RLIMIT_CORE] = 7; /* the config names CORE as rtexec has it */
	self.rlim_hard[RLIMIT_CORE] = 8;
	a.rlimits[0] = (struct rlimit_config){ RLIMIT_CORE, "RLIMIT_CORE", 7, 8, false, false };
	a.nrlimits = 1;
	a.caps_set = true; /* keep the test to the limits */

	ok(attrs_resolve(&a, &tc, &self, 0, &e) == 0, "resolve");
	ok(a.nrlimits == RLIMITS_MAX, "every rlimit type present after resolve");
	const struct rlimit_config *nofile = find(&a, RLIMIT_NOFILE), *core = find(&a, RLIMIT_CORE),
				   *stack = find(&a, RLIMIT_STACK);
	ok(nofile && nofile->from_target && nofile->soft == 1048576 && !nofile->unchanged,
	   "NOFILE: the target's, different from rtexec's: set by the child");
	ok(core && !core->from_target && core->soft == 7 && core->unchanged, "CORE: the config's, "
									     "equal to rtexec's: "
									     "left alone");
	ok(stack && stack->from_target && stack->soft == 100 + RLIMIT_STACK && stack->unchanged,
	   "STACK: the target's, equal to rtexec's: left alone");
	self.rlim_hard[RLIMIT_STACK] = 1;
	memset(&a, 0, sizeof(a));
	a.caps_set = true;
	ok(attrs_resolve(&a, &tc, &self, 0, &e) == 0 && !find(&a, RLIMIT_STACK)->unchanged,
	   "a hard limit that differs alone is set");
}

int main(void)
{
	ok(rlimit_from_name("RLIMIT_NOFILE") == RLIMIT_NOFILE, "RLIMIT_NOFILE");
	ok(rlimit_from_name("RLIMIT_RTTIME") == RLIMIT_RTTIME, "RLIMIT_RTTIME");
	ok(rlimit_from_name("RLIMIT_nofile") == -1, "names are case-sensitive");
	ok(rlimit_from_name("NOFILE") == -1, "the prefix is part of the name");
	ok(cap_from_name("CAP_CHOWN") == 0, "CAP_CHOWN is 0");
	ok(cap_from_name("CAP_CHECKPOINT_RESTORE") == 40, "CAP_CHECKPOINT_RESTORE is 40");
	ok(cap_from_name("CAP_FOO") == -1, "unknown capability");
	is_str(cap_name(21), "CAP_SYS_ADMIN", "capability 21");
	ok(cap_name(41) == NULL && cap_name(-1) == NULL, "no name out of the table");
	ok(ioprio_class_from_name("IOPRIO_CLASS_RT") == 1, "RT class is 1");
	ok(ioprio_class_from_name("IOPRIO_CLASS_IDLE") == 3, "IDLE class is 3");
	ok(ioprio_class_from_name("IOPRIO_CLASS_NONE") == -1, "NONE is not settable");

	test_resolve_rlimits();
	return tap_done();
}
