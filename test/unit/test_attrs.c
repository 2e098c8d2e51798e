/* Unit tests of the pure tables of attrs.c (the status parser is inherit.c's). */
#include <sys/resource.h>

#include "attrs.h"
#include "tap.h"

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

	return tap_done();
}
