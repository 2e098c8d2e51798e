/* The pure parsers of inherit.c: /proc/PID/status, /proc/PID/limits, LSM labels. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "inherit.h"
#include "scheduler.h"
#include "tap.h"

static const char status[] = "Name:\tsleep\nUmask:\t0022\nCapInh:\t0000000000000000\n"
			     "CapPrm:\t0000000020000420\nCapEff:\t00000000a80425fb\n"
			     "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000400\n"
			     "NoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t3\n"
			     "Speculation_Store_Bypass:\tthread force mitigated\n";

/* The kernel's /proc/PID/limits of a runc container (RLIMIT_NOFILE 1000/2000). */
static const char limits[] =
	"Limit                     Soft Limit           Hard Limit           Units     \n"
	"Max cpu time              unlimited            unlimited            seconds   \n"
	"Max file size             unlimited            unlimited            bytes     \n"
	"Max data size             unlimited            unlimited            bytes     \n"
	"Max stack size            8388608              unlimited            bytes     \n"
	"Max core file size        0                    unlimited            bytes     \n"
	"Max resident set          unlimited            unlimited            bytes     \n"
	"Max processes             500                  600                  processes \n"
	"Max open files            1000                 2000                 files     \n"
	"Max locked memory         8388608              8388608              bytes     \n"
	"Max address space         unlimited            unlimited            bytes     \n"
	"Max file locks            unlimited            unlimited            locks     \n"
	"Max pending signals       95425                95425                signals   \n"
	"Max msgqueue size         819200               819200               bytes     \n"
	"Max nice priority         0                    0                    \n"
	"Max realtime priority     0                    0                    \n"
	"Max realtime timeout      unlimited            unlimited            us        \n";

static void numa_line(const char *line, bool numa, const char *name)
{
	char text[256];
	struct target_confinement c;

	memset(&c, 0, sizeof(c));
	snprintf(text, sizeof(text),
		 "\nCapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n%s", line);
	ok(status_parse(text, &c) == 0 && c.numa == numa, "status Mems_allowed_list: %s", name);
}

static void test_status(void)
{
	struct target_confinement c;

	memset(&c, 0, sizeof(c));
	ok(status_parse(status, &c) == 0, "status: parsed");
	ok(c.caps[CAPS_BOUNDING] == 0x1ffffffffffULL, "status: CapBnd");
	ok(c.caps[CAPS_EFFECTIVE] == 0xa80425fbULL, "status: CapEff");
	ok(c.caps[CAPS_PERMITTED] == 0x20000420ULL, "status: CapPrm");
	ok(c.caps[CAPS_INHERITABLE] == 0, "status: CapInh");
	ok(c.caps[CAPS_AMBIENT] == 0x400, "status: CapAmb");
	ok(c.no_new_privs, "status: NoNewPrivs 1");
	ok(c.seccomp_mode == 2 && c.seccomp_filters == 3, "status: Seccomp 2, 3 filters");
	ok(status_parse("Name:\tx\nCapInh:\t0\n", &c) < 0, "status: missing sets refused");
	ok(status_parse("Name:\tx\nCapInh:\t\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n",
			&c) < 0,
	   "status: an empty value refused (not the next line's)");
	ok(status_parse("\nCapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n", &c) ==
			   0 &&
		   !c.no_new_privs && c.seccomp_mode == 0 && c.seccomp_filters == 0,
	   "status: an old kernel without NoNewPrivs or Seccomp lines: none");
	ok(status_parse("\nCapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n"
			"NoNewPrivs:\t2\n",
			&c) < 0,
	   "status: NoNewPrivs 2 refused");
	ok(status_parse("\nCapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n"
			"Seccomp:\t3\n",
			&c) < 0,
	   "status: Seccomp 3 refused");
	/* Keys are looked for after "CapInh:" first, then anywhere. */
	ok(status_parse("Name:\tx\nSeccomp:\t2\nCapBnd:\t1f\nNoNewPrivs:\t1\nCapInh:\t0\n"
			"CapPrm:\t0\nCapEff:\t0\nCapAmb:\t0\nSeccomp_filters:\t4\n",
			&c) == 0 &&
		   c.caps[CAPS_BOUNDING] == 0x1f && c.no_new_privs && c.seccomp_mode == 2 &&
		   c.seccomp_filters == 4,
	   "status: keys before CapInh found as well");
	ok(status_parse("Name:\tx\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n", &c) < 0,
	   "status: without CapInh: refused, the whole text searched");
	memset(&c, 0, sizeof(c));
	ok(status_parse("\nCapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\nCapAmb:\t0\n", &c) ==
			   0 &&
		   !c.has_thp && !c.numa,
	   "status: no THP_enabled, no Mems_allowed_list line: neither known");
	ok(status_parse("Name:\tx\nTHP_enabled:\t0\nCapInh:\t0\nCapPrm:\t0\nCapEff:\t0\n"
			"CapBnd:\t0\nCapAmb:\t0\n",
			&c) == 0 &&
		   c.has_thp && c.thp_disabled,
	   "status: THP_enabled 0 (before CapInh): THP off");
	ok(status_parse("\nTHP_enabled:\t1\nCapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\n"
			"CapAmb:\t0\n",
			&c) == 0 &&
		   c.has_thp && !c.thp_disabled,
	   "status: THP_enabled 1: on");
	memset(&c, 0, sizeof(c));
	ok(status_parse("\nTHP_enabled:\t2\nCapInh:\t0\nCapPrm:\t0\nCapEff:\t0\nCapBnd:\t0\n"
			"CapAmb:\t0\n",
			&c) == 0 &&
		   !c.has_thp,
	   "status: THP_enabled 2 (a mode this build does not know): not known, not refused");
	numa_line("Mems_allowed:\t00000001\nMems_allowed_list:\t0\n", false, "one node");
	numa_line("Mems_allowed_list:\t0-1\n", true, "0-1: two nodes");
	numa_line("Mems_allowed_list:\t0,2\n", true, "0,2: two nodes");
	numa_line("Mems_allowed_list:\t3\nvoluntary_ctxt_switches:\t1-2\n", false,
		  "3, a range on the next line not read as its own");
}

static void mpol(const char *line, int rc, int mode, uint64_t nodes0, uint64_t nodes1,
		 const char *name)
{
	struct rt_mempolicy m;
	int r = mempolicy_parse(line, &m);

	ok(r == rc && (rc < 0 || (m.mode == mode && m.nodes[0] == nodes0 && m.nodes[1] == nodes1)),
	   "numa_maps: %s", name);
}

/* Read again while the target is stopped: only the three seccomp lines change. */
static void test_status_seccomp(void)
{
	struct target_confinement c;

	memset(&c, 0, sizeof(c));
	c.caps[CAPS_BOUNDING] = 0x3f;
	c.rlim_soft[0] = 7;
	ok(status_seccomp_parse("Name:\tx\nCapInh:\t0\nCapBnd:\t1\nNoNewPrivs:\t1\n"
				"Seccomp:\t2\nSeccomp_filters:\t3\n",
				&c) == 0 &&
		   c.no_new_privs && c.seccomp_mode == 2 && c.seccomp_filters == 3 &&
		   c.caps[CAPS_BOUNDING] == 0x3f && c.rlim_soft[0] == 7,
	   "status seccomp: NoNewPrivs, mode, filters read; the rest of c kept");
	ok(status_seccomp_parse("Name:\tx\nNoNewPrivs:\t0\nSeccomp:\t2\n", &c) == 0 &&
		   !c.no_new_privs && c.seccomp_mode == 2 && c.seccomp_filters == 0,
	   "status seccomp: no CapInh, no Seccomp_filters (before 5.9): 0 filters");
	ok(status_seccomp_parse("\nNoNewPrivs:\t2\n", &c) < 0 &&
		   status_seccomp_parse("\nNoNewPrivs:\t1\nSeccomp_filters:\t\n", &c) < 0,
	   "status seccomp: a bad value refused");
}

/* Lines as mpol_to_str and show_numa_map write them. */
static void test_mempolicy(void)
{
	mpol("55d5c4a1c000 default file=/usr/bin/sleep mapped=2 N0=2 kernelpagesize_kB=4\n", 0,
	     RT_MPOL_DEFAULT, 0, 0, "default");
	mpol("55d5c4a1c000 prefer:0 file=/usr/bin/sleep\n", 0, RT_MPOL_PREFERRED, 1, 0, "prefer:0");
	mpol("55d5c4a1c000 bind:0-2,5 anon=1\n", 0, RT_MPOL_BIND, 0x27, 0, "bind:0-2,5");
	mpol("55d5c4a1c000 bind=static:1 anon=1\n", 0, RT_MPOL_BIND | RT_MPOL_F_STATIC_NODES, 2, 0,
	     "bind=static:1");
	mpol("55d5c4a1c000 bind=relative:3\n", 0, RT_MPOL_BIND, 8, 0,
	     "bind=relative:3: the resolved nodes, no flag");
	mpol("55d5c4a1c000 bind=static|balancing:0\n", 0,
	     RT_MPOL_BIND | RT_MPOL_F_STATIC_NODES | RT_MPOL_F_NUMA_BALANCING, 1, 0,
	     "bind=static|balancing:0");
	mpol("55d5c4a1c000 bind=balancing:0", 0, RT_MPOL_BIND | RT_MPOL_F_NUMA_BALANCING, 1, 0,
	     "bind=balancing:0, cut after the nodes");
	mpol("55d5c4a1c000 prefer (many):64-65 file=/x\n", 0, RT_MPOL_PREFERRED_MANY, 0, 3,
	     "prefer (many):64-65 (not prefer)");
	mpol("55d5c4a1c000 weighted interleave:0-1 anon=2\n", 0, RT_MPOL_WEIGHTED_INTERLEAVE, 3, 0,
	     "weighted interleave:0-1 (not interleave)");
	mpol("55d5c4a1c000 interleave:1\n", 0, RT_MPOL_INTERLEAVE, 2, 0, "interleave:1");
	mpol("55d5c4a1c000 local stack\n", 0, RT_MPOL_LOCAL, 0, 0, "local");
	mpol("55d5c4a1c000 defaultx file=/x\n", -EINVAL, 0, 0, 0, "an unknown mode refused");
	mpol("55d5c4a1c000 unknown\n", -EINVAL, 0, 0, 0, "\"unknown\" refused");
	mpol("55d5c4a1c000 bind=sticky:0\n", -EINVAL, 0, 0, 0, "an unknown flag refused");
	mpol("55d5c4a1c000 bind:1024\n", -EINVAL, 0, 0, 0, "node 1024 refused");
	mpol("55d5c4a1c000 bind:3-1\n", -EINVAL, 0, 0, 0, "a reversed range refused");
	mpol("55d5c4a1c000 bind:0;1\n", -EINVAL, 0, 0, 0, "a bad separator refused");
	mpol("55d5c4a1c000 bind:\n", -EINVAL, 0, 0, 0, "an empty list refused");
	/* show_numa_map's 64-byte buffer: 63 characters may be a list cut short */
	mpol("7f00 interleave:0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,136 anon=1\n",
	     -EINVAL, 0, 0, 0, "63 characters (maybe cut short by the kernel) refused");
	mpol("7f00 interleave:0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36 anon=1\n", 0,
	     RT_MPOL_INTERLEAVE, 0x1555555555ULL, 0, "62 characters: every node");
	mpol("default\n", -EINVAL, 0, 0, 0, "no address refused");
	mpol("", -EINVAL, 0, 0, 0, "empty refused");
}

static void test_limits(void)
{
	struct target_confinement c;
	char *cut;

	memset(&c, 0, sizeof(c));
	ok(limits_parse(limits, &c) == 0, "limits: parsed");
	ok(c.rlim_soft[RLIMIT_NOFILE] == 1000 && c.rlim_hard[RLIMIT_NOFILE] == 2000, "limits: open "
										     "files "
										     "1000/2000");
	ok(c.rlim_soft[RLIMIT_NPROC] == 500 && c.rlim_hard[RLIMIT_NPROC] == 600, "limits: "
										 "processes "
										 "500/600");
	ok(c.rlim_soft[RLIMIT_CPU] == ~0ULL && c.rlim_hard[RLIMIT_CPU] == ~0ULL, "limits: "
										 "unlimited cpu "
										 "time");
	ok(c.rlim_soft[RLIMIT_STACK] == 8388608 && c.rlim_hard[RLIMIT_STACK] == ~0ULL, "limits: "
										       "stack "
										       "8388608/"
										       "unlimited");
	ok(c.rlim_soft[RLIMIT_CORE] == 0, "limits: core 0");
	ok(c.rlim_soft[RLIMIT_NICE] == 0 && c.rlim_hard[RLIMIT_RTPRIO] == 0, "limits: nice and "
									     "rtprio, without "
									     "units");
	ok(c.rlim_hard[RLIMIT_RTTIME] == ~0ULL, "limits: the last line, realtime timeout");
	cut = strdup(limits);
	cut[strlen(cut) - 80] = '\0';
	ok(limits_parse(cut, &c) < 0, "limits: a file cut short refused");
	free(cut);
	ok(limits_parse("Limit\n", &c) < 0, "limits: only the header refused");
	ok(limits_parse(strstr(limits, "Max cpu"), &c) < 0, "limits: without the header, one line "
							    "short: refused");
}

static void label(const char *text, int apparmor, const char *want, const char *name)
{
	char *out = NULL;
	int r = lsm_label_parse(text, apparmor, &out);

	if (want)
		is_str(r == 0 ? out : NULL, want, "label: %s", name);
	else
		ok(r < 0, "label refused: %s", name);
	free(out);
}

static void test_labels(void)
{
	label("docker-default (enforce)\n", 1, "docker-default", "AppArmor, mode cut off");
	label("unconfined\n", 1, "unconfined", "AppArmor unconfined");
	label("my (odd) profile (complain)\n", 1, "my (odd) profile", "AppArmor name with parens");
	label("system_u:system_r:container_t:s0:c1,c2", 0, "system_u:system_r:container_t:s0:c1,c2",
	      "SELinux context as it is");
	label("a (b)", 0, "a (b)", "SELinux: nothing cut");
	label("\n", 1, NULL, "empty");
}

static void test_personality(void)
{
	struct target_confinement c = { 0 };

	ok(personality_parse("00000008\n", &c) == 0 && c.has_personality && c.personality == 8,
	   "personality: PER_LINUX32");
	c = (struct target_confinement){ 0 };
	ok(personality_parse("00440000\n", &c) == 0 && c.personality == 0x440000, "personality: "
										  "ADDR_NO_"
										  "RANDOMIZE | "
										  "ADDR_COMPAT_"
										  "LAYOUT");
	c = (struct target_confinement){ 0 };
	ok(personality_parse("zz\n", &c) < 0 && !c.has_personality, "personality: not hex refused");
	ok(personality_parse("100000000\n", &c) < 0, "personality: over 32 bits refused");
	ok(personality_parse("8 x", &c) < 0, "personality: trailing text refused");
}

/* sched_default: the target's as a fork of it gets them, only where they differ from
 * rtexec's own. */
static void sched_case(uint32_t tpol, uint64_t tflags, int tnice, uint32_t tprio, bool known,
		       int want_policy, int want_nice, unsigned want_prio, bool want_set,
		       const char *name)
{
	struct rt_sched_attr t = { .size = sizeof(t),
				   .sched_policy = tpol,
				   .sched_flags = tflags,
				   .sched_nice = tnice,
				   .sched_priority = tprio },
			     self = { .size = sizeof(self) }; /* SCHED_OTHER, nice 0 */
	struct sched_config s = { 0 };

	sched_default(&s, known ? &t : NULL, &self);
	ok(s.set == want_set && (!want_set || (s.policy == want_policy && s.nice == want_nice &&
					       s.priority == want_prio && s.from_target)),
	   "%s", name);
}

static void test_sched_default(void)
{
	struct sched_config given = { .set = true, .policy = 3, .nice = 7 };
	struct rt_sched_attr t = { .size = sizeof(t), .sched_policy = 1, .sched_priority = 50 };

	sched_case(0, 0, 0, 0, true, 0, 0, 0, false, "the same as rtexec's own: nothing set");
	sched_case(3, 0, 5, 0, true, 3, 5, 0, true, "SCHED_BATCH nice 5: taken");
	sched_case(1, 0, 0, 50, true, 0, 0, 0, false,
		   "SCHED_FIFO 50: not taken, SCHED_OTHER (as own)");
	sched_case(2, 0, 4, 50, true, 0, 4, 0, true,
		   "SCHED_RR 50 at nice 4: SCHED_OTHER at nice 4");
	sched_case(1, 1, -5, 50, true, 0, 0, 0, false,
		   "SCHED_FIFO with reset-on-fork, nice -5: SCHED_OTHER, nice 0 (as own)");
	sched_case(2, 1, 3, 50, true, 0, 3, 0, true,
		   "SCHED_RR with reset-on-fork, nice 3: SCHED_OTHER 3");
	sched_case(0, 1, -5, 0, true, 0, 0, 0, false, "reset-on-fork, nice -5: nice 0 (as own)");
	sched_case(0, 1, 5, 0, true, 0, 5, 0, true, "reset-on-fork, nice 5: kept");
	sched_case(6, 0, 0, 0, true, 0, 0, 0, false, "SCHED_DEADLINE: SCHED_OTHER (as own)");
	sched_case(0, 0, 0, 0, false, 0, 0, 0, false, "unknown target, own default: nothing");
	sched_default(&given, &t, NULL);
	ok(given.policy == 3 && given.nice == 7 && !given.from_target, "a config's scheduler wins");
	{
		struct rt_sched_attr rt_self = { .size = sizeof(rt_self),
						 .sched_policy = 2,
						 .sched_priority = 9 };
		struct sched_config s = { 0 };
		sched_default(&s, NULL, &rt_self);
		ok(s.set && s.policy == 0 && s.nice == 0 && s.priority == 0, "unknown target, "
									     "rtexec SCHED_RR: the "
									     "kernel's default");
	}
}

int main(void)
{
	test_status();
	test_status_seccomp();
	test_limits();
	test_labels();
	test_personality();
	test_mempolicy();
	test_sched_default();
	return tap_done();
}
