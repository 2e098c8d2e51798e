/* The pure parsers of target.c: /proc/PID/stat lines and pid files. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "target.h"
#include "tap.h"

/* ---- proc_stat_parse / pid_text_parse --------------------------------------------- */

/* A /proc/PID/stat line with the given comm and state, fields 4.. up to last, field 22 =
 * start (as text), ending in tail. */
static void stat_line(char *buf, size_t n, const char *comm, char state, int last,
		      const char *start, const char *tail)
{
	size_t o = (size_t)snprintf(buf, n, "1234 (%s) %c", comm, state);

	for (int f = 4; f <= last && o < n; f++) {
		if (f == 22)
			o += (size_t)snprintf(buf + o, n - o, " %s", start);
		else
			o += (size_t)snprintf(buf + o, n - o, " %d", f * 11);
	}
	if (o < n)
		snprintf(buf + o, n - o, "%s", tail);
}

static void stat_ok(const char *comm, char state, int last, const char *start, const char *tail,
		    char want_state, unsigned long long want, const char *name)
{
	char line[2048];
	struct proc_stat ps = { '?', 0, 0 };

	stat_line(line, sizeof(line), comm, state, last, start, tail);
	ok(proc_stat_parse(line, &ps) == 0 && ps.state == want_state && ps.start_time == want,
	   "stat: %s", name);
	if (ps.state != want_state || ps.start_time != want)
		printf("#   state %c, start %llu\n", ps.state, ps.start_time);
}

static void stat_bad(const char *comm, int last, const char *start, const char *tail,
		     const char *name)
{
	char line[2048];
	struct proc_stat ps;

	stat_line(line, sizeof(line), comm, 'S', last, start, tail);
	ok(proc_stat_parse(line, &ps) < 0, "stat refused: %s", name);
}

static void test_proc_stat(void)
{
	struct proc_stat st;

	stat_ok("bash", 'S', 52, "987654", "\n", 'S', 987654, "52 fields");
	stat_ok("a) b)", 'R', 52, "42", "\n", 'R', 42, "comm \"a) b)\"");
	stat_ok("my prog", 'S', 52, "7", "\n", 'S', 7, "comm with a space");
	stat_ok(") Z 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19", 'S', 52, "99", "\n", 'S', 99,
		"comm that looks like fields");
	stat_ok("((", 'D', 52, "5", "\n", 'D', 5, "comm \"((\"");
	stat_ok("", 'I', 52, "5", "\n", 'I', 5, "empty comm");
	stat_ok("a\nb", 'S', 52, "5", "\n", 'S', 5, "comm with a newline");
	stat_ok("zombie", 'Z', 52, "3", "\n", 'Z', 3, "state Z");
	stat_ok("x", 'S', 22, "0", "", 'S', 0, "22 fields, no newline, start 0");
	stat_ok("x", 'S', 22, "123", "\n", 'S', 123, "22 fields and a newline");
	stat_ok("x", 'S', 52, "18446744073709551615", "\n", 'S', 18446744073709551615ULL,
		"start 2^64-1");
	stat_bad("x", 21, "1", "", "21 fields");
	stat_bad("x", 21, "1", " ", "21 fields and a space");
	stat_bad("x", 21, "1", "\n", "21 fields and a newline");
	stat_bad("x", 52, "abc", "\n", "start not a number");
	stat_bad("x", 52, "12a", "\n", "start with a letter after it");
	stat_bad("x", 52, "-5", "\n", "a negative start");
	stat_bad("x", 52, "+5", "\n", "start with a plus sign");
	stat_bad("x", 52, "18446744073709551616", "\n", "start 2^64: overflow");
	stat_bad("x", 52, "", "\n", "an empty field 22");
	ok(proc_stat_parse("", &st) < 0, "stat refused: empty");
	ok(proc_stat_parse("1234 (bash", &st) < 0, "stat refused: no )");
	ok(proc_stat_parse("1234 (bash)", &st) < 0, "stat refused: ends at )");
	ok(proc_stat_parse("1234 (bash) ", &st) < 0, "stat refused: no state");
	ok(proc_stat_parse("1234 (bash) S", &st) < 0, "stat refused: state only");
	ok(proc_stat_parse("1234 (bash)S 1 2", &st) < 0, "stat refused: no space after )");
	ok(proc_stat_parse("garbage", &st) < 0, "stat refused: garbage");
	/* Field 9, the PF_* flags: kthreadd has PF_KTHREAD (0x200000), an init has not. */
	ok(proc_stat_parse("2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 15 0\n",
			   &st) == 0 &&
		   st.flags == 2129984 && (st.flags & 0x200000) && st.start_time == 15,
	   "stat: kthreadd's flags (PF_KTHREAD) and start time");
	ok(proc_stat_parse("1 (sh) S 0 1 1 0 -1 4194560 0 0 0 0 0 0 0 0 -2 -20 1 0 99 0\n", &st) ==
			   0 &&
		   st.flags == 4194560 && !(st.flags & 0x200000) && st.start_time == 99,
	   "stat: an init's flags, negative priority and nice");
	ok(proc_stat_parse("1 (sh) S 0 1 1 0 -1 x 0 0 0 0 0 0 0 0 20 0 1 0 99 0\n", &st) < 0,
	   "stat refused: flags not a number");
}

static void test_pid_text(void)
{
	/* clang-format off */
	static const struct {
		const char *text;
		pid_t pid; /* 0: refused */
	} cases[] = {
		{ "1234\n", 1234 },  { "1234", 1234 },	  { "  42 \n", 42 },  { "\t7\r\n", 7 },
		{ "1", 1 },	     { "4194304", 4194304 }, { "4194305", 0 }, { "0", 0 },
		{ "0\n", 0 },	     { "-1", 0 },	  { "+1", 0 },	      { "", 0 },
		{ "\n", 0 },	     { "abc", 0 },	  { "12a", 0 },	      { "12 34", 0 },
		{ "1234\n5678\n", 0 }, { "0x10", 0 },	  { "1.5", 0 },	      { "1e3", 0 },
		{ "99999999999999999999", 0 }, { "2147483648", 0 }, { "\n1234", 0 },
	};
	/* clang-format on */

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char shown[64];
		size_t o = 0;
		pid_t pid = -7;
		int r = pid_text_parse(cases[i].text, &pid);

		for (const char *p = cases[i].text; *p && o + 3 < sizeof(shown); p++) {
			if (*p == '\n' || *p == '\r' || *p == '\t') {
				shown[o++] = '\\';
				shown[o++] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
			} else {
				shown[o++] = *p;
			}
		}
		shown[o] = '\0';
		if (cases[i].pid)
			ok(r == 0 && pid == cases[i].pid, "pid file \"%s\": %d", shown,
			   cases[i].pid);
		else
			ok(r < 0 && pid == -7, "pid file \"%s\": refused, pid untouched", shown);
	}
}

int main(void)
{
	test_proc_stat();
	test_pid_text();
	return tap_done();
}
