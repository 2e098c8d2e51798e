/* Unit tests of the pure tables of attrs.c (the status parser is inherit.c's). */
#include <sys/resource.h>

#include <string.h>

#include <errno.h>
#include <linux/capability.h>

#include "attrs.h"
#include "fsutil.h"
#include "log.h"
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

/* The packed tables (name_at): every capability name against the kernel header's number. */
static void test_packed_names(void)
{
#define C(x)          \
	{             \
		x, #x \
	}
	static const struct {
		int cap;
		const char *name;
	} caps[] = { C(CAP_CHOWN),
		     C(CAP_DAC_OVERRIDE),
		     C(CAP_DAC_READ_SEARCH),
		     C(CAP_FOWNER),
		     C(CAP_FSETID),
		     C(CAP_KILL),
		     C(CAP_SETGID),
		     C(CAP_SETUID),
		     C(CAP_SETPCAP),
		     C(CAP_LINUX_IMMUTABLE),
		     C(CAP_NET_BIND_SERVICE),
		     C(CAP_NET_BROADCAST),
		     C(CAP_NET_ADMIN),
		     C(CAP_NET_RAW),
		     C(CAP_IPC_LOCK),
		     C(CAP_IPC_OWNER),
		     C(CAP_SYS_MODULE),
		     C(CAP_SYS_RAWIO),
		     C(CAP_SYS_CHROOT),
		     C(CAP_SYS_PTRACE),
		     C(CAP_SYS_PACCT),
		     C(CAP_SYS_ADMIN),
		     C(CAP_SYS_BOOT),
		     C(CAP_SYS_NICE),
		     C(CAP_SYS_RESOURCE),
		     C(CAP_SYS_TIME),
		     C(CAP_SYS_TTY_CONFIG),
		     C(CAP_MKNOD),
		     C(CAP_LEASE),
		     C(CAP_AUDIT_WRITE),
		     C(CAP_AUDIT_CONTROL),
		     C(CAP_SETFCAP),
		     C(CAP_MAC_OVERRIDE),
		     C(CAP_MAC_ADMIN),
		     C(CAP_SYSLOG),
		     C(CAP_WAKE_ALARM),
		     C(CAP_BLOCK_SUSPEND),
		     C(CAP_AUDIT_READ),
		     C(CAP_PERFMON),
		     C(CAP_BPF),
		     C(CAP_CHECKPOINT_RESTORE) };
#undef C
	int bad = 0;

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		if (cap_name(caps[i].cap) == NULL || strcmp(cap_name(caps[i].cap), caps[i].name) ||
		    cap_from_name(caps[i].name) != caps[i].cap)
			bad++;
	ok(bad == 0, "each of the 41 capabilities by number and by name, as linux/capability.h");
	ok(name_at("a\0bc\0", 1) && strcmp(name_at("a\0bc\0", 1), "bc") == 0, "name_at: the second "
									      "name");
	ok(name_at("a\0bc\0", 2) == NULL && name_at("a\0bc\0", -1) == NULL &&
		   name_at("", 0) == NULL,
	   "name_at: nothing past either end");
	ok(name_index("a\0bc\0", "bc") == 1 && name_index("a\0bc\0", "b") == -1 &&
		   name_index("a\0bc\0", "") == -1,
	   "name_index: whole names only, the empty one never");
	is_str(rt_strerror(EBUSY), "Device or resource busy", "glibc's wording: the first entry");
	is_str(rt_strerror(EPROTO), "Protocol error", "glibc's wording: the last entry");
	is_str(rt_strerror(EOVERFLOW), "Value too large for defined data type",
	       "glibc's wording: the longest");
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

	test_packed_names();
	test_resolve_rlimits();
	return tap_done();
}
