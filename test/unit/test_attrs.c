/* Unit tests of the pure tables and parsers of attrs.c. */
#include <sys/resource.h>

#include "attrs.h"
#include "tap.h"

int main(void)
{
	uint64_t caps[CAP_SETS];
	const char *status = "Name:\tsleep\nUmask:\t0022\nCapInh:\t0000000000000000\n"
			     "CapPrm:\t0000000020000420\nCapEff:\t00000000a80425fb\n"
			     "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000400\nNoNewPrivs:"
			     "\t0\n";

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

	ok(caps_parse_status(status, caps) == 0, "status: parsed");
	ok(caps[CAPS_BOUNDING] == 0x1ffffffffffULL, "status: CapBnd");
	ok(caps[CAPS_EFFECTIVE] == 0xa80425fbULL, "status: CapEff");
	ok(caps[CAPS_PERMITTED] == 0x20000420ULL, "status: CapPrm");
	ok(caps[CAPS_INHERITABLE] == 0, "status: CapInh");
	ok(caps[CAPS_AMBIENT] == 0x400, "status: CapAmb");
	ok(caps_parse_status("Name:\tx\nCapInh:\t0\n", caps) == -1, "status: missing sets refused");
	ok(caps_parse_status("Name:\tx\nCapInh:\t\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:"
			     "\t0\n",
			     caps) == -1,
	   "status: an empty value refused");
	return tap_done();
}
