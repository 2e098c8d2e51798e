/* Unit tests of the pure CPU placement logic: CPU masks, the kernel's list format (parse and
 * canonical format), the nohz_full= tokenizer of /proc/cmdline, the eligible CPU and the
 * placement table of the contract. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "affinity.h"
#include "tap.h"

/* cpulist_format's text, malloc'd; NULL when it fails. */
static char *fmt(const struct cpumask *m)
{
	char *s = NULL;

	return cpulist_format(m, &s) == 0 ? s : NULL;
}

/* ---- helpers ---- */

static size_t count_set(const struct cpumask *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->nbits; i++)
		n += cpumask_test(m, i) ? 1 : 0;
	return n;
}

/* Parses text (expecting success) and compares its canonical form with want. */
static void parse_fmt(const char *text, size_t ncpus, const char *want)
{
	struct cpumask m = { NULL, 0 };
	struct rterr e = { 0, "" };
	int r = cpulist_parse(text, ncpus, &m, &e);

	ok(r == 0, "parse \"%s\" (ncpus %zu)", text, ncpus);
	if (r != 0) {
		printf("#   error: %s\n", e.msg);
		return;
	}
	ok(m.nbits == ncpus, "\"%s\": mask has ncpus (%zu) bits", text, ncpus);
	char *s = fmt(&m);
	is_str(s, want, "\"%s\" formats as \"%s\"", text, want);
	free(s);
	cpumask_free(&m);
}

/* Parses text expecting the error message want. */
static void parse_err(const char *text, size_t ncpus, const char *want)
{
	struct cpumask m = { NULL, 0 };
	struct rterr e = { 0, "" };
	int r = cpulist_parse(text, ncpus, &m, &e);

	ok(r < 0, "\"%s\" refused (ncpus %zu)", text, ncpus);
	is_str(e.msg, want, "\"%s\": message", text);
	ok(m.bits == NULL, "\"%s\": nothing left allocated on error", text);
	cpumask_free(&m); /* harmless if already freed */
}

/* Builds a mask of nbits from a list of CPUs ending with -1. */
static void mask_of(struct cpumask *m, size_t nbits, const long *cpus)
{
	if (cpumask_init(m, nbits) < 0) {
		ok(0, "cpumask_init(%zu)", nbits);
		return;
	}
	for (; *cpus >= 0; cpus++)
		cpumask_set(m, (size_t)*cpus);
}

/* ---- cpumask ---- */

static void test_cpumask(void)
{
	struct cpumask m;

	ok(cpumask_init(&m, 8) == 0, "init 8");
	ok(cpumask_first(&m) == -1, "empty mask: first is -1");
	ok(count_set(&m) == 0, "fresh mask is empty");
	cpumask_set(&m, 5);
	ok(cpumask_test(&m, 5) && !cpumask_test(&m, 4) && !cpumask_test(&m, 6), "set 5");
	ok(cpumask_first(&m) == 5, "first is 5");
	cpumask_set(&m, 2);
	ok(cpumask_first(&m) == 2, "first is 2 after setting 2");
	cpumask_set(&m, 8);
	cpumask_set(&m, 100);
	ok(!cpumask_test(&m, 8) && !cpumask_test(&m, 100), "bits beyond nbits are ignored");
	ok(count_set(&m) == 2, "two CPUs set");
	cpumask_free(&m);
	ok(m.bits == NULL && m.nbits == 0, "free clears the mask");
	ok(!cpumask_test(&m, 0) && cpumask_first(&m) == -1, "freed mask tests empty");
	cpumask_free(&m);
	ok(m.bits == NULL && m.nbits == 0, "double free is harmless: the mask stays empty");

	ok(cpumask_init(&m, 0) == 0, "init 0 bits");
	ok(cpumask_first(&m) == -1, "0-bit mask is empty");
	cpumask_set(&m, 0);
	ok(!cpumask_test(&m, 0), "0-bit mask ignores set");
	cpumask_free(&m);

	/* Word boundaries and large masks. */
	ok(cpumask_init(&m, 8192) == 0, "init 8192");
	{
		static const size_t cpus[] = { 0, 63, 64, 65, 127, 128, 1023, 1024, 4095, 8191 };
		for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++)
			cpumask_set(&m, cpus[i]);
		bool all = true;
		for (size_t i = 0; i < sizeof(cpus) / sizeof(cpus[0]); i++)
			all = all && cpumask_test(&m, cpus[i]);
		ok(all, "bits at word boundaries set");
		ok(count_set(&m) == sizeof(cpus) / sizeof(cpus[0]), "no other bits set");
		ok(!cpumask_test(&m, 62) && !cpumask_test(&m, 66) && !cpumask_test(&m, 8192), "neig"
											      "hbou"
											      "rs "
											      "clea"
											      "r");
	}
	ok(cpumask_first(&m) == 0, "first 0");
	cpumask_free(&m);
	ok(cpumask_init(&m, 8192) == 0, "init 8192 again");
	cpumask_set(&m, 8191);
	ok(cpumask_first(&m) == 8191, "first is the last CPU 8191");
	cpumask_free(&m);
	ok(cpumask_init(&m, 65536) == 0, "init 65536");
	cpumask_set(&m, 65535);
	ok(cpumask_test(&m, 65535) && cpumask_first(&m) == 65535, "CPU 65535");
	cpumask_free(&m);
}

/* ---- cpulist_parse ---- */

static void test_parse_valid(void)
{
	parse_fmt("0", 8, "0");
	parse_fmt("7", 8, "7");
	parse_fmt("0-3,8", 16, "0-3,8");
	parse_fmt(" 0-3 , 8 ", 16, "0-3,8");
	parse_fmt("\t0-3\n", 8, "0-3");
	parse_fmt("0-3\n", 8, "0-3");
	parse_fmt(",,1,,", 8, "1");
	parse_fmt(", ,1 , ,", 8, "1");
	parse_fmt("", 8, "");
	parse_fmt(" ", 8, "");
	parse_fmt(",", 8, "");
	parse_fmt("2-2", 8, "2");
	parse_fmt("007", 8, "7");
	parse_fmt("5,1,3", 8, "1,3,5");
	parse_fmt("0,1", 8, "0-1");
	parse_fmt("0-7", 8, "0-7");

	/* The exact bits. */
	struct cpumask m;
	struct rterr e = { 0, "" };

	ok(cpulist_parse("0-3,8", 16, &m, &e) == 0, "parse 0-3,8");
	{
		bool good = true;
		for (size_t i = 0; i < 16; i++)
			good = good && cpumask_test(&m, i) == (i <= 3 || i == 8);
		ok(good, "0-3,8: exactly CPUs 0,1,2,3,8");
		ok(count_set(&m) == 5, "0-3,8: five CPUs");
	}
	cpumask_free(&m);
}

static void test_parse_invalid(void)
{
	parse_err("-", 8, "\"-\": expected a CPU number at \"-\"");
	parse_err("1-", 8, "\"1-\": expected a CPU number at \"\"");
	parse_err("-3", 8, "\"-3\": expected a CPU number at \"-3\"");
	parse_err("3-1", 8, "\"3-1\": range 3-1 is reversed");
	parse_err("1 - 2", 8, "\"1 - 2\": unexpected \"-\"");
	parse_err("1 -2", 8, "\"1 -2\": unexpected \"-\"");
	parse_err("1- 2", 8, "\"1- 2\": expected a CPU number at \" 2\"");
	parse_err("+1", 8, "\"+1\": expected a CPU number at \"+1\"");
	parse_err("1-2-3", 8, "\"1-2-3\": unexpected \"-\"");
	parse_err("a", 8, "\"a\": expected a CPU number at \"a\"");
	parse_err("1,a", 8, "\"1,a\": expected a CPU number at \"a\"");
	parse_err("0x1", 8, "\"0x1\": unexpected \"x\"");
	parse_err("1 2", 8, "\"1 2\": unexpected \"2\"");
	parse_err("1,-", 8, "\"1,-\": expected a CPU number at \"-\"");
	parse_err("8", 8, "\"8\": CPU 8 is beyond the kernel's limit of 8 CPUs");
	parse_err("0-8", 8, "\"0-8\": CPU 8 is beyond the kernel's limit of 8 CPUs");
	parse_err("1,9,2", 8, "\"1,9,2\": CPU 9 is beyond the kernel's limit of 8 CPUs");
	parse_err("99999999999999999999999999", 8,
		  "\"99999999999999999999999999\": CPU 99999999999999999999999999 is beyond the "
		  "kernel's limit of 8 CPUs");
	parse_err("18446744073709551617", 8192,
		  "\"18446744073709551617\": CPU 18446744073709551617 is beyond the kernel's "
		  "limit of 8192 CPUs");
	parse_err("0-18446744073709551616", 8192,
		  "\"0-18446744073709551616\": CPU 18446744073709551616 is beyond the kernel's "
		  "limit of 8192 CPUs");
	parse_err("0", 0, "\"0\": CPU 0 is beyond the kernel's limit of 0 CPUs");
}

static void test_parse_large(void)
{
	struct cpumask m;
	struct rterr e = { 0, "" };

	ok(cpulist_parse("8191", 8192, &m, &e) == 0, "8191 with ncpus 8192");
	ok(cpumask_test(&m, 8191) && count_set(&m) == 1 && cpumask_first(&m) == 8191, "only CPU "
										      "8191");
	cpumask_free(&m);

	ok(cpulist_parse("0-8191", 8192, &m, &e) == 0, "0-8191 with ncpus 8192");
	ok(count_set(&m) == 8192, "0-8191: all 8192 CPUs set");
	cpumask_free(&m);

	parse_err("8192", 8192, "\"8192\": CPU 8192 is beyond the kernel's limit of 8192 CPUs");
	parse_err("0-8192", 8192, "\"0-8192\": CPU 8192 is beyond the kernel's limit of 8192 CPUs");

	ok(cpulist_parse("65535", 65536, &m, &e) == 0, "65535 with ncpus 65536");
	ok(cpumask_test(&m, 65535) && count_set(&m) == 1, "only CPU 65535");
	cpumask_free(&m);
	parse_err("65536", 65536,
		  "\"65536\": CPU 65536 is beyond the kernel's limit of 65536 CPUs");

	ok(cpulist_parse("63,64,65", 8192, &m, &e) == 0, "63,64,65");
	ok(cpumask_test(&m, 63) && cpumask_test(&m, 64) && cpumask_test(&m, 65) &&
		   !cpumask_test(&m, 62) && !cpumask_test(&m, 66) && count_set(&m) == 3,
	   "63,64,65: exactly those");
	cpumask_free(&m);

	ok(cpulist_parse("1023,1024,1025", 8192, &m, &e) == 0, "1023,1024,1025");
	ok(cpumask_test(&m, 1023) && cpumask_test(&m, 1024) && cpumask_test(&m, 1025) &&
		   !cpumask_test(&m, 1022) && !cpumask_test(&m, 1026) && count_set(&m) == 3,
	   "1023,1024,1025: exactly those");
	cpumask_free(&m);

	ok(cpulist_parse("4095-4100", 8192, &m, &e) == 0, "4095-4100");
	{
		bool good = true;
		for (size_t i = 4090; i < 4110; i++)
			good = good && cpumask_test(&m, i) == (i >= 4095 && i <= 4100);
		ok(good && count_set(&m) == 6, "4095-4100: exactly six CPUs");
	}
	cpumask_free(&m);

	parse_fmt("63,64,65", 8192, "63-65");
	parse_fmt("1023,1024,1025", 8192, "1023-1025");
	parse_fmt("4095-4100", 8192, "4095-4100");
	parse_fmt("65535", 65536, "65535");
	parse_fmt("0-65535", 65536, "0-65535");
}

/* ---- cpulist_format ---- */

static void test_format(void)
{
	struct cpumask m;
	char *s;

	ok(cpumask_init(&m, 16) == 0, "init 16");
	s = fmt(&m);
	is_str(s, "", "empty mask formats as \"\"");
	free(s);
	cpumask_set(&m, 3);
	s = fmt(&m);
	is_str(s, "3", "one CPU");
	free(s);
	cpumask_set(&m, 4);
	s = fmt(&m);
	is_str(s, "3-4", "two adjacent CPUs form a range");
	free(s);
	cpumask_set(&m, 5);
	cpumask_set(&m, 0);
	s = fmt(&m);
	is_str(s, "0,3-5", "single then range");
	free(s);
	cpumask_set(&m, 15);
	s = fmt(&m);
	is_str(s, "0,3-5,15", "last CPU of the mask");
	free(s);
	cpumask_set(&m, 14);
	cpumask_set(&m, 7);
	s = fmt(&m);
	is_str(s, "0,3-5,7,14-15", "range ending at the last CPU");
	free(s);
	cpumask_free(&m);

	ok(cpumask_init(&m, 0) == 0, "init 0 bits");
	s = fmt(&m);
	is_str(s, "", "0-bit mask formats as \"\"");
	free(s);
	cpumask_free(&m);

	/* Bit by bit across word boundaries. */
	{
		static const long cpus[] = { 62, 63, 64, 127, 128, 129, 1024, 8191, -1 };
		mask_of(&m, 8192, cpus);
		s = fmt(&m);
		is_str(s, "62-64,127-129,1024,8191", "word boundaries");
		free(s);
		cpumask_free(&m);
	}

	/* A long string: every even CPU of 8192 (forces the buffer to grow many times). */
	{
		size_t cap = 8192 * 6, len = 0;
		char *want = malloc(cap);

		ok(want != NULL && cpumask_init(&m, 8192) == 0, "long list setup");
		if (want != NULL) {
			want[0] = '\0';
			for (size_t i = 0; i < 8192; i += 2) {
				cpumask_set(&m, i);
				len += (size_t)snprintf(want + len, cap - len, "%s%zu",
							i ? "," : "", i);
			}
			s = fmt(&m);
			ok(s != NULL && strlen(s) == len, "every even CPU: length %zu", len);
			ok(s != NULL && strcmp(s, want) == 0, "every even CPU: text");
			free(s);
			free(want);
		}
		cpumask_free(&m);
	}

	/* Round trips: canonical strings come back unchanged. */
	{
		/* clang-format off */
		static const char *const canon[] = {
			"0-3,8", "1,3,5", "0-8191", "63-64", "1023", "", "0", "8191", "0,8191",
			"0-1", "1-2,4-5,7", "62-65,127-129,1023-1025", "4095-4100", "100-200,300",
		};
		/* clang-format on */
		for (size_t i = 0; i < sizeof(canon) / sizeof(canon[0]); i++)
			parse_fmt(canon[i], 8192, canon[i]);
	}
	/* Non-canonical input formats canonically. */
	parse_fmt("0-3,4-7", 8, "0-7");
	parse_fmt("1,1,1-2", 8, "1-2");
	parse_fmt("3,2,1,0", 8, "0-3");
	parse_fmt("0-5,2-3", 8, "0-5");
	parse_fmt("4-7,0-3", 8, "0-7");
	parse_fmt("63,64", 8192, "63-64");
	parse_fmt("0-4095,4096-8191", 8192, "0-8191");

	/* Round trip of a formatted mask: format -> parse -> same bits. */
	{
		static const long cpus[] = { 1, 2, 3, 10, 64, 65, 66, 70, 1000, -1 };
		struct cpumask back;
		struct rterr e = { 0, "" };

		mask_of(&m, 2048, cpus);
		s = fmt(&m);
		is_str(s, "1-3,10,64-66,70,1000", "built mask");
		ok(s != NULL && cpulist_parse(s, 2048, &back, &e) == 0, "its text parses");
		if (s != NULL && back.bits != NULL) {
			bool same = true;
			for (size_t i = 0; i < 2048; i++)
				same = same && cpumask_test(&m, i) == cpumask_test(&back, i);
			ok(same, "format -> parse gives the same bits");
			cpumask_free(&back);
		}
		free(s);
		cpumask_free(&m);
	}
}

/* ---- cmdline_nohz_full ---- */

/* cmdline of length len: expects r, and value want when r == 1. */
static void nohz_len(const char *what, const char *cmdline, size_t len, int want_r,
		     const char *want)
{
	static char sentinel;
	char *value = &sentinel;
	int r = cmdline_nohz_full(cmdline, len, &value);

	/* 1 found (with a value), 0 absent (NULL), or -errno. */
	if (r == 0)
		r = value != NULL;

	ok(r == want_r, "%s: returns %d (got %d)", what, want_r, r);
	if (want_r == 1)
		is_str(value, want, "%s: value \"%s\"", what, want);
	else
		ok(value == NULL, "%s: no value", what);
	if (r == 1)
		free(value);
}

static void nohz(const char *what, const char *cmdline, int want_r, const char *want)
{
	nohz_len(what, cmdline, strlen(cmdline), want_r, want);
}

static void test_cmdline(void)
{
	nohz("plain", "nohz_full=1-3", 1, "1-3");
	nohz("among others", "BOOT_IMAGE=/vmlinuz ro nohz_full=2-7,9 isolcpus=2 quiet", 1, "2-7,9");
	nohz("value up to the next separator", "nohz_full=2-7,9 isolcpus=2", 1, "2-7,9");
	nohz("dash for underscore, as the kernel compares names", "ro nohz-full=5", 1, "5");
	nohz("dash in the value is kept", "nohz_full=1-3", 1, "1-3");
	nohz("at the end", "ro quiet nohz_full=4", 1, "4");
	nohz("at the end with a newline", "ro quiet nohz_full=4\n", 1, "4");
	nohz("first occurrence wins", "nohz_full=1 nohz_full=2", 1, "1");
	nohz("absent", "ro quiet isolcpus=2", 0, NULL);
	nohz("empty cmdline", "", 0, NULL);
	nohz("only blanks", "   \t\n", 0, NULL);
	nohz("prefixed name is another parameter", "xnohz_full=3", 0, NULL);
	nohz("prefixed name then the real one", "xnohz_full=3 nohz_full=5", 1, "5");
	nohz("name inside another value", "rcu_nocbs=nohz_full=1", 0, NULL);
	nohz("no '='", "nohz_full", 0, NULL);
	nohz("no '=' then a value", "nohz_full 1", 0, NULL);
	nohz("longer name", "nohz_fullx=1", 0, NULL);
	nohz("case matters", "NOHZ_FULL=1", 0, NULL);
	nohz("empty value is absent", "nohz_full=", 0, NULL);
	nohz("empty value then a blank", "nohz_full= 3", 0, NULL);
	nohz("empty value among others", "ro nohz_full= quiet", 0, NULL);
	nohz("value keeps '='", "nohz_full=a=b", 1, "a=b");

	/* Separators: any byte outside '!'..'~'. */
	nohz("tab before", "ro\tnohz_full=1\tquiet", 1, "1");
	nohz("newline after", "nohz_full=1\nquiet", 1, "1");
	nohz("DEL separates", "ro\x7fnohz_full=2\x7fquiet", 1, "2");
	nohz("0x80 separates", "ro\x80nohz_full=3\x80quiet", 1, "3");
	nohz("0xff separates",
	     "ro\xffnohz_full=4\xff"
	     "quiet",
	     1, "4");
	nohz("control byte separates",
	     "ro\x01nohz_full=5\x1f"
	     "q",
	     1, "5");
	nohz("'~' and '!' do not separate", "~nohz_full=1 nohz_full=!2~", 1, "!2~");
	{
		static const char s[] = "ro\0nohz_full=6\0quiet";
		nohz_len("NUL inside len separates", s, sizeof(s) - 1, 1, "6");
	}
	{
		static const char s[] = "nohz_full=7\0"
					"8";
		nohz_len("NUL ends the value", s, sizeof(s) - 1, 1, "7");
	}

	/* No quoting. */
	nohz("quoted is not it", "\"nohz_full=1\"", 0, NULL);
	nohz("quoted value keeps its quote", "nohz_full=\"1\"", 1, "\"1\"");
	nohz("quote does not join", "a=\"x nohz_full=3\"", 1, "3\"");

	/* "--" ends the kernel's parameters. */
	nohz("after -- is for init", "ro -- nohz_full=1", 0, NULL);
	nohz("-- at the start", "-- nohz_full=1", 0, NULL);
	nohz("before -- counts", "nohz_full=1 -- nohz_full=2", 1, "1");
	nohz("--foo is not the end", "ro --foo nohz_full=1", 1, "1");
	nohz("--- is not the end", "ro --- nohz_full=1", 1, "1");
	nohz("foo-- is not the end", "ro foo-- nohz_full=1", 1, "1");
	nohz("-- with tabs", "ro\t--\tnohz_full=1", 0, NULL);
	nohz("-- at the end", "nohz_full=3 --", 1, "3");

	/* len cuts the string. */
	nohz_len("len cuts the value", "nohz_full=1-3", 11, 1, "1");
	nohz_len("len cuts inside the range", "nohz_full=1-3", 12, 1, "1-");
	nohz_len("len cuts to an empty value", "nohz_full=1-3", 10, 0, NULL);
	nohz_len("len cuts the name", "nohz_full=1-3", 9, 0, NULL);
	nohz_len("len 0", "nohz_full=1", 0, 0, NULL);
	nohz_len("len before the parameter", "ro nohz_full=1", 3, 0, NULL);
	nohz_len("len cuts the second token", "nohz_full=1 nohz_full=2", 11, 1, "1");
	nohz_len("len cuts '---' to '--'", "ro --- nohz_full=5", 5, 0, NULL);
	nohz_len("len cuts after '-'", "ro -- nohz_full=5", 4, 0, NULL);
	{
		/* Not NUL-terminated at all. */
		char buf[11] = { 'n', 'o', 'h', 'z', '_', 'f', 'u', 'l', 'l', '=', '9' };
		nohz_len("no terminating NUL", buf, sizeof(buf), 1, "9");
	}
}

/* ---- eligible_cpu ---- */

static long eligible(const char *c, const char *iso, size_t ncpus)
{
	struct cpumask cm, im;
	struct rterr e = { 0, "" };
	long r;

	if (cpulist_parse(c, ncpus, &cm, &e) < 0) {
		printf("# bad C %s: %s\n", c, e.msg);
		return -2;
	}
	if (cpulist_parse(iso, ncpus, &im, &e) < 0) {
		printf("# bad I %s: %s\n", iso, e.msg);
		cpumask_free(&cm);
		return -2;
	}
	r = eligible_cpu(&cm, &im);
	cpumask_free(&cm);
	cpumask_free(&im);
	return r;
}

static void eligible_is(const char *c, const char *iso, size_t ncpus, long want)
{
	long got = eligible(c, iso, ncpus);

	ok(got == want, "C=\"%s\" I=\"%s\" (ncpus %zu): E=%ld (got %ld)", c, iso, ncpus, want, got);
}

static void test_eligible(void)
{
	/* Mixed cpusets: the first housekeeping CPU. */
	eligible_is("0-3", "2-3", 8, 0);
	eligible_is("2-5", "2-3", 8, 4);
	eligible_is("0-7", "0,2,4", 8, 1);
	eligible_is("1,3,5", "1", 8, 3);
	eligible_is("2-7", "0-4", 8, 5);
	/* All isolated: min(C). */
	eligible_is("2-3", "0-7", 8, 2);
	eligible_is("2-3", "2-3", 8, 2);
	eligible_is("5", "5", 8, 5);
	/* No isolated CPU in C: none. */
	eligible_is("0-1", "2-3", 8, -1);
	eligible_is("4-7", "0-3", 8, -1);
	eligible_is("", "0-3", 8, -1);
	eligible_is("0-3", "", 8, -1);
	eligible_is("", "", 8, -1);
	/* Beyond 64 and 1024 CPUs. */
	eligible_is("60-70", "60-65", 128, 66);
	eligible_is("60-70", "60-65", 8192, 66);
	eligible_is("1000-1100", "1000-1030", 2048, 1031);
	eligible_is("1000-1100", "1000-1030", 8192, 1031);
	eligible_is("5000-5001", "5000-5001", 8192, 5000);
	eligible_is("5000-5001", "5000", 8192, 5001);
	eligible_is("5000-5001", "0-4999", 8192, -1);
	eligible_is("63-64", "63", 8192, 64);
	eligible_is("0-8191", "0-8190", 8192, 8191);
	eligible_is("8191", "0-8191", 8192, 8191);
	eligible_is("65535", "65535", 65536, 65535);

	/* Masks of different sizes. */
	{
		static const long c[] = { 100, 101, -1 }, iso[] = { 100, -1 };
		struct cpumask cm, im;

		mask_of(&cm, 8192, c);
		mask_of(&im, 128, iso);
		ok(eligible_cpu(&cm, &im) == 101, "C and I of different sizes");
		cpumask_free(&cm);
		cpumask_free(&im);
	}
}

/* ---- placement_decide ---- */

static const char *const tr_name[] = { "no annotation", "temporary", "definitive" };
static const char *const in_name[] = { "INITIAL_NONE", "INITIAL_ELIGIBLE", "INITIAL_LIST" };
/* clang-format off */
static const char *const fi_name[] = { "FINAL_UNCHANGED", "FINAL_RESET", "FINAL_ELIGIBLE",
				       "FINAL_LIST" };
/* clang-format on */

/* The contract's table, read row by row; p: the join path needs a pin (wherever E exists). */
static void oracle(enum transition tr, bool e, bool p, bool has_initial, bool has_final,
		   enum initial_kind *in, enum final_kind *fi)
{
	bool annotated = tr != TRANSITION_NONE;

	/* The first five rows. */
	if (!annotated) { /* nothing: E only where the join path needs it */
		*in = e && p ? INITIAL_ELIGIBLE : INITIAL_NONE;
		*fi = FINAL_RESET;
	} else if (!e) { /* annotation set, no E */
		*in = INITIAL_NONE;
		*fi = FINAL_RESET;
	} else if (tr == TRANSITION_TEMPORARY) { /* temporary, E exists */
		*in = INITIAL_ELIGIBLE;
		*fi = FINAL_RESET;
	} else { /* definitive, E exists */
		*in = INITIAL_ELIGIBLE;
		*fi = FINAL_ELIGIBLE;
	}
	/* execCPUAffinity.initial: that list, wins over E; final from the rows above. */
	if (has_initial)
		*in = INITIAL_LIST;
	/* execCPUAffinity.initial without final and no annotation: unchanged. */
	if (has_initial && !has_final && !annotated)
		*fi = FINAL_UNCHANGED;
	/* execCPUAffinity.final: that list, wins. */
	if (has_final)
		*fi = FINAL_LIST;
}

static void decide_is(enum transition tr, bool e, bool p, bool has_initial, bool has_final,
		      enum initial_kind want_in, enum final_kind want_fi, const char *row)
{
	enum initial_kind in = (enum initial_kind)99;
	enum final_kind fi = (enum final_kind)99;

	placement_decide(tr, e, p, has_initial, has_final, &in, &fi);
	ok(in == want_in && fi == want_fi, "%s: %s/%s", row, in_name[want_in], fi_name[want_fi]);
	if (in != want_in || fi != want_fi)
		printf("#   got: %d/%d\n", (int)in, (int)fi);
}

static void test_placement(void)
{
	const enum transition NONE = TRANSITION_NONE, TEMP = TRANSITION_TEMPORARY,
			      DEF = TRANSITION_DEFINITIVE;

	/* Row by row (the join path needs no pin, unless said). */
	decide_is(NONE, false, false, false, false, INITIAL_NONE, FINAL_RESET, "nothing");
	decide_is(NONE, false, true, false, false, INITIAL_NONE, FINAL_RESET,
		  "nothing, no E, the path would need a pin");
	decide_is(NONE, true, false, false, false, INITIAL_NONE, FINAL_RESET,
		  "nothing, E exists, born next to a housekeeping caller");
	decide_is(NONE, true, true, false, false, INITIAL_ELIGIBLE, FINAL_RESET,
		  "nothing, E exists, the path needs a pin");
	decide_is(TEMP, true, false, false, false, INITIAL_ELIGIBLE, FINAL_RESET, "temporary + E");
	decide_is(DEF, true, false, false, false, INITIAL_ELIGIBLE, FINAL_ELIGIBLE,
		  "definitive + E");
	decide_is(TEMP, false, false, false, false, INITIAL_NONE, FINAL_RESET, "temporary, no E");
	decide_is(DEF, false, false, false, false, INITIAL_NONE, FINAL_RESET, "definitive, no E");

	decide_is(NONE, false, false, true, false, INITIAL_LIST, FINAL_UNCHANGED,
		  "initial, no annotation, no E");
	decide_is(NONE, true, false, true, false, INITIAL_LIST, FINAL_UNCHANGED,
		  "initial, no annotation, E");
	decide_is(NONE, true, true, true, false, INITIAL_LIST, FINAL_UNCHANGED,
		  "initial wins over the pin the path needs");
	decide_is(TEMP, true, false, true, false, INITIAL_LIST, FINAL_RESET,
		  "initial, temporary + E");
	decide_is(TEMP, false, false, true, false, INITIAL_LIST, FINAL_RESET,
		  "initial, temporary, no E");
	decide_is(DEF, true, false, true, false, INITIAL_LIST, FINAL_ELIGIBLE,
		  "initial, definitive + E");
	decide_is(DEF, false, false, true, false, INITIAL_LIST, FINAL_RESET,
		  "initial, definitive, no E");

	decide_is(NONE, false, false, false, true, INITIAL_NONE, FINAL_LIST, "final only");
	decide_is(NONE, true, false, false, true, INITIAL_NONE, FINAL_LIST, "final only, E");
	decide_is(NONE, true, true, false, true, INITIAL_ELIGIBLE, FINAL_LIST,
		  "final only, E, the path needs a pin");
	decide_is(TEMP, true, false, false, true, INITIAL_ELIGIBLE, FINAL_LIST,
		  "final, temporary + E");
	decide_is(DEF, true, false, false, true, INITIAL_ELIGIBLE, FINAL_LIST,
		  "final, definitive + E");
	decide_is(DEF, false, false, false, true, INITIAL_NONE, FINAL_LIST,
		  "final, definitive, no E");
	decide_is(NONE, false, false, true, true, INITIAL_LIST, FINAL_LIST, "initial + final");
	decide_is(DEF, true, false, true, true, INITIAL_LIST, FINAL_LIST,
		  "initial + final, definitive + E");

	/* All 3x2x2x2x2 combinations against the oracle. */
	int n = 0, good = 0;
	for (int t = 0; t < 3; t++)
		for (int e = 0; e < 2; e++)
			for (int p = 0; p < 2; p++)
				for (int i = 0; i < 2; i++)
					for (int f = 0; f < 2; f++) {
						enum initial_kind win, gin = (enum initial_kind)99;
						enum final_kind wfi, gfi = (enum final_kind)99;
						enum transition tr = (enum transition)t;

						oracle(tr, e, p, i, f, &win, &wfi);
						placement_decide(tr, e, p, i, f, &gin, &gfi);
						n++;
						good += gin == win && gfi == wfi;
						ok(gin == win && gfi == wfi,
						   "%s, E %s, pin %s, initial %s, final %s: %s/%s",
						   tr_name[t], e ? "yes" : "no",
						   p ? "needed" : "not needed",
						   i ? "given" : "absent", f ? "given" : "absent",
						   in_name[win], fi_name[wfi]);
					}
	ok(n == 48 && good == 48, "all %d combinations agree with the table", n);
}

/* ---- placement_compute: the pin without annotation, and who applies it ---- */

static void compute_is(const char *c, const char *iso, const char *initial,
		       const char *want_initial, bool want_child)
{
	struct cpu_request r = { .ncpus = 8, .transition = TRANSITION_NONE };
	struct placement p = { .ncpus = 8 };
	struct rterr e = { 0, "" };
	char *got = NULL;

	r.has_initial = initial != NULL;
	if (cpulist_parse(c, 8, &p.cgroup, &e) < 0 || cpulist_parse(iso, 8, &p.isolated, &e) < 0 ||
	    (initial && cpulist_parse(initial, 8, &r.initial, &e) < 0) ||
	    placement_compute(&r, &p, &e) < 0 || cpulist_format(&p.initial, &got) < 0) {
		ok(0, "compute %s %s: %s", c, iso, e.msg);
		return;
	}
	ok(strcmp(got, want_initial) == 0 && p.pin_child == want_child,
	   "C=%s I=%s%s%s: initial \"%s\", %s", c, iso, initial ? " initial " : "",
	   initial ? initial : "", want_initial,
	   *want_initial == '\0' ? "no pin"
	   : want_child		 ? "pinned in the child, never the parent"
				 : "the parent pins itself (the child inherits it)");
	if (strcmp(got, want_initial) != 0 || p.pin_child != want_child)
		printf("#   got: \"%s\", pin_child %d\n", got, (int)p.pin_child);
	free(got);
	placement_free(&p);
	if (initial)
		cpumask_free(&r.initial);
}

static void test_compute(void)
{
	/* Pinned to E wherever E exists, born in the cpuset or not: fork balancing may pick an
	 * idle CPU that only nohz_full isolates (it stays in the scheduling domains). */
	compute_is("1-3", "2-3", NULL, "1", false);
	compute_is("0-7", "4-7", NULL, "0", false);
	/* No isolated CPU in the cpuset: nothing to protect. */
	compute_is("0-1", "2-3", NULL, "", false);
	compute_is("0-7", "", NULL, "", false);
	/* Every CPU of the cpuset isolated: E is isolated, and the parent must never go there
	 * (a SCHED_FIFO thread monopolising it would stop the parent for good). */
	compute_is("2-3", "2-3", NULL, "2", true);
	compute_is("2-3", "1-3", NULL, "2", true);
	/* execCPUAffinity.initial: an isolated CPU in it, pinned in the child. */
	compute_is("1-3", "2-3", "1", "1", false);
	compute_is("1-3", "2-3", "1-2", "1-2", true);
	compute_is("0-7", "", "5", "5", false);
}

int main(void)
{
	test_cpumask();
	test_parse_valid();
	test_parse_invalid();
	test_parse_large();
	test_format();
	test_cmdline();
	test_eligible();
	test_placement();
	test_compute();
	return tap_done();
}
