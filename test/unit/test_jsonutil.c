/* The pure helpers: JSON access (jsonutil.h), /proc/PID/stat and pid files (target.h), and
 * /etc/passwd and environment lookups (passwd.h). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonutil.h"
#include "passwd.h"
#include "target.h"
#include "tap.h"

/* ---- json_find_nul ------------------------------------------------------------------- */

static long find(const char *s)
{
	return json_find_nul(s, strlen(s));
}

static void test_find_nul(void)
{
	static const char raw[] = "{\"a\":\"x\0y\"}";
	static const char raw_out[] = "{}\0";
	static const char raw_beyond[] = "{}\0";

	ok(json_find_nul("", 0) == -1, "empty text: none");
	ok(find("{\"a\":\"b\"}") == -1, "plain document: none");
	ok(json_find_nul(raw, sizeof(raw) - 1) == 7, "raw NUL inside a string: its offset");
	ok(json_find_nul(raw_out, sizeof(raw_out) - 1) == 2, "raw NUL outside a string");
	ok(json_find_nul(raw_beyond, 2) == -1, "a NUL past len is not looked at");
	ok(json_find_nul("\0", 1) == 0, "raw NUL first");
	ok(find("\"a\\u0000\"") == 2, "\\u0000 in a string: the offset of the backslash");
	ok(find("{\"k\\u0000\":1}") == 3, "\\u0000 in a key");
	ok(find("\"\\\\u0000\"") == -1, "\\\\u0000 (escaped backslash, then u0000) is no NUL");
	ok(find("\"\\\\\\u0000\"") == 3, "\\\\\\u0000: an escaped backslash, then a NUL");
	ok(find("\"\\\\\\\\u0000\"") == -1, "\\\\\\\\u0000: two escaped backslashes, no NUL");
	ok(find("\"\\\"\\u0000\"") == 3, "after an escaped quote the string goes on");
	ok(find("\"\\\"\" \\u0000") == -1, "\\u0000 outside any string is not looked at");
	ok(find("\"a\" \"\\u0000\"") == 5, "in a second string");
	ok(find("[\"\\u0001\",\"\\u0100\",\"\\u000a\"]") == -1, "other \\u escapes are no NUL");
	ok(find("\"\\U0000\"") == -1, "\\U0000 is no escape of a NUL");
	ok(find("\"\\u00000\"") == 1, "\\u0000 followed by a digit");
	ok(json_find_nul("\"\\u000", 6) == -1, "a truncated \\u000 at the end");
	ok(json_find_nul("\"\\u0000", 7) == 1, "\\u0000 at the very end of the text");
	ok(json_find_nul("\"\\u0000", 6) == -1, "\\u000 cut by len");
	ok(json_find_nul("\"a\\", 3) == -1, "a backslash last");
}

/* ---- json_parse ---------------------------------------------------------------------- */

static void parse_err(const char *text, size_t len, const char *want, const char *name)
{
	cJSON *out = NULL;
	struct rterr e = { { 0 } };
	int r = json_parse(text, len, &out, &e);

	ok(r < 0 && out == NULL, "refused: %s", name);
	is_str(e.msg, want, "message: %s", name);
	cJSON_Delete(out);
}

static void parse_good(const char *text, size_t len, const char *name)
{
	cJSON *out = NULL;
	struct rterr e = { { 0 } };
	int r = json_parse(text, len, &out, &e);

	ok(r == 0 && out != NULL, "accepted: %s", name);
	if (r < 0)
		printf("#   error: %s\n", e.msg);
	cJSON_Delete(out);
}

static void test_parse(void)
{
	static const char nul2[] = "{\n\t\"a\": \"b\0\"\n}";
	char *exact;

	parse_good("{\"a\": [1, \"x\"]}", 15, "an object");
	parse_good("[1,2]", 5, "any JSON value (the object check is the caller's)");
	parse_good("{} \t\r\n\n", 7, "trailing whitespace");
	parse_good(" \r\n{}", 5, "leading whitespace");
	parse_good("{} x", 2, "only len bytes are read");
	/* Exactly len bytes, no terminator: ASan sees any read past them. */
	exact = malloc(7);
	if (exact) {
		memcpy(exact, "{\"a\":1}", 7);
		parse_good(exact, 7, "no NUL terminator after the document");
		memcpy(exact, "1234567", 7);
		parse_good(exact, 7, "a number up to the last byte, unterminated");
		memcpy(exact, "{\"a\":1 ", 7);
		parse_err(exact, 7, "line 1 column 7: invalid JSON",
			  "unterminated object, unterminated");
		memcpy(exact, "\"abc\\\"x", 7);
		/* cJSON names the first character inside the string that never ends. */
		parse_err(exact, 7, "line 1 column 2: invalid JSON",
			  "unterminated string, unterminated");
		free(exact);
	}

	parse_err("", 0, "empty document: expected a JSON object", "empty");
	parse_err(" \t\r\n", 4, "empty document: expected a JSON object", "whitespace only");
	parse_err("{\n\"a\":\n}", 8, "line 3 column 1: invalid JSON", "line 3 column 1");
	parse_err("{\"a\":\r\n  x}", 11, "line 2 column 3: invalid JSON", "CRLF: a new line");
	parse_err("{\"a\":\r x}", 9, "line 1 column 8: invalid JSON", "a lone \\r is one column");
	parse_err("[\n\t\tx]", 6, "line 2 column 3: invalid JSON", "a tab is one column");
	parse_err("\n\n\n   [1,,2]", 12, "line 4 column 7: invalid JSON", "line 4");
	parse_err("{\n  \"a\": \"\\u0000\"\n}", 18, "line 2 column 9: NUL bytes are not allowed",
		  "\\u0000 on line 2");
	parse_err(nul2, sizeof(nul2) - 1, "line 2 column 9: NUL bytes are not allowed",
		  "raw NUL on line 2");
	parse_err("{}\n  x", 6, "line 2 column 3: trailing data after the JSON document",
		  "trailing data on line 2");
	parse_err("{}\f", 3, "line 1 column 3: trailing data after the JSON document",
		  "a form feed after the document is not whitespace");
	parse_err("1 2", 3, "line 1 column 3: trailing data after the JSON document",
		  "two values");
	parse_err("{\"a\":1}\0", 8, "line 1 column 8: NUL bytes are not allowed",
		  "a raw NUL after the document");
}

/* ---- json_uint / json_int ------------------------------------------------------------- */

struct num {
	const char *json;
	double min, max;
	bool ok;
	long long value;
	const char *msg;
};

static const struct num nums[] = {
	{ "0", 0, 10, true, 0, NULL },
	{ "-0", 0, 10, true, 0, NULL },
	{ "-0.0", 0, 10, true, 0, NULL },
	{ "10", 0, 10, true, 10, NULL },
	{ "1e1", 0, 10, true, 10, NULL },
	{ "2.0", 0, 10, true, 2, NULL },
	{ "11", 0, 10, false, 0, "x: 11 is out of range (0..10)" },
	{ "-1", 0, 10, false, 0, "x: -1 is out of range (0..10)" },
	{ "1.5", 0, 10, false, 0, "x: expected an integer" },
	{ "-0.5", 0, 10, false, 0, "x: expected an integer" },
	{ "1e-300", 0, 10, false, 0, "x: expected an integer" },
	{ "1e400", 0, 10, false, 0, "x: expected an integer" },
	{ "-1e400", 0, 10, false, 0, "x: expected an integer" },
	{ "\"1\"", 0, 10, false, 0, "x: expected an integer" },
	{ "true", 0, 10, false, 0, "x: expected an integer" },
	{ "null", 0, 10, false, 0, "x: expected an integer" },
	{ "[1]", 0, 10, false, 0, "x: expected an integer" },
	{ "{}", 0, 10, false, 0, "x: expected an integer" },
	{ "-5", -5, 5, true, -5, NULL },
	{ "-6", -5, 5, false, 0, "x: -6 is out of range (-5..5)" },
	{ "6", -5, 5, false, 0, "x: 6 is out of range (-5..5)" },
	{ "1e300", -5, 5, false, 0, "x: 1.0000000000000001e+300 is out of range (-5..5)" },
	{ "-9007199254740991", -JSON_MAX_EXACT, JSON_MAX_EXACT, true, -9007199254740991LL, NULL },
	{ "9007199254740991", -JSON_MAX_EXACT, JSON_MAX_EXACT, true, 9007199254740991LL, NULL },
	{ "4294967294", 0, 4294967294.0, true, 4294967294LL, NULL },
	{ "4294967295", 0, 4294967294.0, false, 0,
	  "x: 4294967295 is out of range (0..4294967294)" },
};

static cJSON *number(const char *json)
{
	return cJSON_Parse(json);
}

static void test_int(void)
{
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		const struct num *n = &nums[i];
		cJSON *it = number(n->json);
		struct rterr e = { { 0 } };
		long long v = 12345;
		int r = json_int(it, "x", n->min, n->max, &v, &e);

		if (n->ok) {
			ok(r == 0 && v == n->value, "json_int %s in %g..%g: %lld", n->json, n->min,
			   n->max, n->value);
		} else {
			ok(r < 0, "json_int %s in %g..%g: refused", n->json, n->min, n->max);
			is_str(e.msg, n->msg, "json_int %s: message", n->json);
		}
		cJSON_Delete(it);
	}
}

static void test_uint(void)
{
	unsigned long long v = 0;
	struct rterr e = { { 0 } };
	cJSON *it;

	it = number("4294967294");
	ok(json_uint(it, "u", 4294967294.0, &v, &e) == 0 && v == 4294967294ULL, "json_uint max");
	cJSON_Delete(it);
	it = number("-0");
	ok(json_uint(it, "u", 10, &v, &e) == 0 && v == 0, "json_uint -0 is 0");
	cJSON_Delete(it);
	it = number("-1");
	ok(json_uint(it, "u", 10, &v, &e) < 0, "json_uint -1 refused");
	is_str(e.msg, "u: -1 is out of range (0..10)", "json_uint -1: message");
	cJSON_Delete(it);
	it = number("9007199254740991");
	ok(json_uint(it, "u", 1e30, &v, &e) == 0 && v == 9007199254740991ULL,
	   "json_uint 2^53-1 exact, with a larger max");
	cJSON_Delete(it);
	it = number("9007199254740994");
	ok(json_uint(it, "u", 1e30, &v, &e) < 0, "json_uint 2^53+2 refused: max is clamped");
	ok(strncmp(e.msg, "u: 9007199254740994 is out of range (0..900719925474099", 55) == 0,
	   "json_uint 2^53+2: message names the value and the clamped range");
	cJSON_Delete(it);
	it = number("1e20");
	ok(json_uint(it, "u", 1e30, &v, &e) < 0, "json_uint 1e20 refused");
	cJSON_Delete(it);
	it = number("1e400");
	ok(json_uint(it, "u", 1e30, &v, &e) < 0, "json_uint 1e400 (inf) refused");
	is_str(e.msg, "u: expected an integer", "json_uint inf: message");
	cJSON_Delete(it);

	/* 2^53+1 parses as the double 2^53: the text and the value differ, so it must be
	 * refused; that needs the limit to be 2^53-1, the largest n with n and n+1 exact. */
	it = number("9007199254740993");
	v = 0;
	ok(json_uint(it, "u", 1e30, &v, &e) < 0,
	   "json_uint 9007199254740993 (2^53+1) refused, not rounded to 2^53");
	if (v)
		printf("#   accepted as %llu\n", v);
	cJSON_Delete(it);
}

/* ---- the other accessors ---------------------------------------------------------- */

static void test_accessors(void)
{
	static const char *const allowed[] = { "a", "b", NULL };
	char buf[64], *s = NULL, **v = NULL;
	struct rterr e = { { 0 } };
	size_t n = 99;
	bool b = false;
	cJSON *it;

	is_str(json_key_path(buf, sizeof(buf), "", "target"), "target", "key path at the root");
	is_str(json_key_path(buf, sizeof(buf), "process.user", "uid"), "process.user.uid",
	       "nested key path");
	is_str(json_index_path(buf, sizeof(buf), "process.args", 12), "process.args[12]",
	       "index path");
	is_str(json_key_path(buf, 8, "process", "args"), "process",
	       "a key path is truncated safely");

	it = cJSON_Parse("{\"a\":1,\"b\":2}");
	ok(json_object(it, "", &e) == 0 && json_keys(it, "p", allowed, &e) == 0, "allowed keys");
	cJSON_Delete(it);
	it = cJSON_Parse("{\"a\":1,\"c\":2}");
	ok(json_keys(it, "p", allowed, &e) < 0, "an unknown key");
	is_str(e.msg, "p.c: unknown key", "unknown key: message");
	cJSON_Delete(it);
	it = cJSON_Parse("{\"b\":1,\"a\":2,\"b\":3}");
	ok(json_keys(it, "", allowed, &e) < 0, "a key twice");
	is_str(e.msg, "b: key given twice", "key twice: message");
	cJSON_Delete(it);
	it = cJSON_Parse("[]");
	ok(json_object(it, "", &e) < 0, "an array is no object");
	is_str(e.msg, "document: expected an object", "the root is called document");
	ok(json_object(it, "process", &e) < 0, "an array is no object (nested)");
	is_str(e.msg, "process: expected an object", "nested: its path");
	ok(json_strings(it, "l", &v, &n, &e) == 0 && n == 0 && v && v[0] == NULL,
	   "json_strings of [] is an empty vector");
	free(v);
	cJSON_Delete(it);

	it = cJSON_Parse("[\"x\",\"\",\"z\"]");
	ok(json_strings(it, "l", &v, &n, &e) == 0 && n == 3 && v[3] == NULL, "json_strings");
	is_str(v ? v[1] : NULL, "", "json_strings keeps an empty string");
	free(v);
	cJSON_Delete(it);
	it = cJSON_Parse("[\"x\",false]");
	ok(json_strings(it, "l", &v, &n, &e) < 0, "json_strings with a bool");
	is_str(e.msg, "l[1]: expected a string", "json_strings: the index of the bad entry");
	cJSON_Delete(it);
	it = cJSON_Parse("\"x\"");
	ok(json_strings(it, "l", &v, &n, &e) < 0, "json_strings of a string");
	is_str(e.msg, "l: expected an array of strings", "json_strings of a string: message");
	ok(json_string(it, "s", true, &s, &e) == 0, "json_string");
	is_str(s, "x", "json_string: the value");
	cJSON_Delete(it);
	it = cJSON_Parse("\"\"");
	ok(json_string(it, "s", false, &s, &e) == 0 && s && *s == '\0',
	   "json_string: empty allowed");
	ok(json_string(it, "s", true, &s, &e) < 0, "json_string: empty refused");
	is_str(e.msg, "s: must not be empty", "json_string empty: message");
	ok(json_bool(it, "b", &b, &e) < 0, "json_bool of a string");
	is_str(e.msg, "b: expected true or false", "json_bool: message");
	cJSON_Delete(it);
	it = cJSON_Parse("true");
	ok(json_bool(it, "b", &b, &e) == 0 && b, "json_bool true");
	ok(json_string(it, "s", false, &s, &e) < 0, "json_string of a bool");
	is_str(e.msg, "s: expected a string", "json_string of a bool: message");
	cJSON_Delete(it);
	it = cJSON_Parse("false");
	ok(json_bool(it, "b", &b, &e) == 0 && !b, "json_bool false");
	cJSON_Delete(it);
	it = cJSON_Parse("0");
	ok(json_bool(it, "b", &b, &e) < 0, "json_bool of 0");
	cJSON_Delete(it);
}

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

static void stat_ok(const char *comm, char state, int last, const char *start,
		    const char *tail, char want_state, unsigned long long want, const char *name)
{
	char line[2048], st = '?';
	unsigned long long t = 0;

	stat_line(line, sizeof(line), comm, state, last, start, tail);
	ok(proc_stat_parse(line, &st, &t) == 0 && st == want_state && t == want, "stat: %s", name);
	if (st != want_state || t != want)
		printf("#   state %c, start %llu\n", st, t);
}

static void stat_bad(const char *comm, int last, const char *start, const char *tail,
		     const char *name)
{
	char line[2048], st;
	unsigned long long t;

	stat_line(line, sizeof(line), comm, 'S', last, start, tail);
	ok(proc_stat_parse(line, &st, &t) < 0, "stat refused: %s", name);
}

static void test_proc_stat(void)
{
	char st;
	unsigned long long t;

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
	ok(proc_stat_parse("", &st, &t) < 0, "stat refused: empty");
	ok(proc_stat_parse("1234 (bash", &st, &t) < 0, "stat refused: no )");
	ok(proc_stat_parse("1234 (bash)", &st, &t) < 0, "stat refused: ends at )");
	ok(proc_stat_parse("1234 (bash) ", &st, &t) < 0, "stat refused: no state");
	ok(proc_stat_parse("1234 (bash) S", &st, &t) < 0, "stat refused: state only");
	ok(proc_stat_parse("1234 (bash)S 1 2", &st, &t) < 0, "stat refused: no space after )");
	ok(proc_stat_parse("garbage", &st, &t) < 0, "stat refused: garbage");
}

static void test_pid_text(void)
{
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

/* ---- passwd_home / env_get ------------------------------------------------------------ */

static void test_passwd(void)
{
	static const char pw[] =
		"#root:x:0:0:root:/commented:/bin/sh\n"
		"big:x:4294967296:0::/big:/bin/sh\n"
		"neg:x:-2:0::/neg:/bin/sh\n"
		"spaced:x: 3:0::/spaced:/bin/sh\n"
		"\n"
		"   \n"
		"root:x:0:0:root:/root:/bin/sh\n"
		"second:x:0:0::/second-root:/bin/sh\n"
		"daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
		"short:x:5\n"
		"fourfields:x:6:6\n"
		"nohome:x:7:7:::/bin/sh\n"
		"noshell:x:8:8::/home/noshell\n"
		"bad:x:9a:9::/home/bad:/bin/sh\n"
		"empty::::::\n"
		"crlf:x:10:10::/home/crlf:/bin/sh\r\n"
		"lead:x:0011:11::/home/lead:/bin/sh\n"
		"last:x:1000:1000::/home/last:/bin/bash";
	char home[64], small[6], *long_pw, *long_home;
	size_t gecos = 5000;

	ok(passwd_home(pw, 0, home, sizeof(home)) == 0, "uid 0 found");
	is_str(home, "/root", "uid 0: the first real entry, not the comment or 2^32");
	ok(passwd_home(pw, 1, home, sizeof(home)) == 0, "uid 1 found");
	is_str(home, "/usr/sbin", "uid 1: home");
	ok(passwd_home(pw, 5, home, sizeof(home)) < 0, "uid 5: a line with three fields");
	ok(passwd_home(pw, 6, home, sizeof(home)) < 0, "uid 6: a line with four fields");
	ok(passwd_home(pw, 7, home, sizeof(home)) < 0, "uid 7: an empty home");
	ok(passwd_home(pw, 8, home, sizeof(home)) == 0, "uid 8: no shell field");
	is_str(home, "/home/noshell", "uid 8: home up to the end of the line");
	ok(passwd_home(pw, 9, home, sizeof(home)) < 0, "uid 9: uid field 9a is not 9");
	ok(passwd_home(pw, 3, home, sizeof(home)) < 0, "uid 3: uid field \" 3\" is not 3");
	ok(passwd_home(pw, (uid_t)-2, home, sizeof(home)) < 0, "uid -2: \"-2\" is no uid");
	ok(passwd_home(pw, 10, home, sizeof(home)) == 0, "uid 10: CRLF line");
	is_str(home, "/home/crlf", "uid 10: home without \\r");
	ok(passwd_home(pw, 11, home, sizeof(home)) == 0, "uid 11: leading zeros");
	is_str(home, "/home/lead", "uid 11: home");
	ok(passwd_home(pw, 1000, home, sizeof(home)) == 0, "uid 1000: last line, no newline");
	is_str(home, "/home/last", "uid 1000: home");
	ok(passwd_home(pw, 4242, home, sizeof(home)) < 0, "an unknown uid");
	ok(passwd_home("", 0, home, sizeof(home)) < 0, "empty text");
	ok(passwd_home("\n\n\n", 0, home, sizeof(home)) < 0, "only newlines");
	ok(passwd_home(pw, 0, small, 5) < 0, "home /root does not fit in 5 bytes (no truncation)");
	ok(passwd_home("r:x:0:0::/root", 0, small, sizeof(small)) == 0,
	   "home /root fits in 6 bytes");
	is_str(small, "/root", "exact fit: home");
	ok(passwd_home("r:x:0:0::/a\nr2:x:0:0::/b\n", 0, small, sizeof(small)) == 0,
	   "two entries for one uid");
	is_str(small, "/a", "two entries: the first wins");

	long_pw = malloc(gecos + 64);
	long_home = malloc(gecos + 16);
	if (long_pw && long_home) {
		int o = snprintf(long_pw, 64, "u:x:77:77:");
		memset(long_pw + o, 'g', gecos);
		snprintf(long_pw + (size_t)o + gecos, 64, ":/home/u:/bin/sh\nv:x:1:1::/v:");
		ok(passwd_home(long_pw, 77, home, sizeof(home)) == 0, "a 5000-byte gecos");
		is_str(home, "/home/u", "long line: home");
		ok(passwd_home(long_pw, 1, home, sizeof(home)) == 0, "the line after a long one");
		is_str(home, "/v", "after a long line: home");

		o = snprintf(long_pw, 64, "u:x:77:77::/");
		memset(long_pw + o, 'h', gecos);
		snprintf(long_pw + (size_t)o + gecos, 64, ":/bin/sh\n");
		ok(passwd_home(long_pw, 77, home, sizeof(home)) < 0,
		   "a home longer than the buffer is not truncated");
		ok(passwd_home(long_pw, 77, long_home, gecos + 16) == 0 &&
			   strlen(long_home) == gecos + 1,
		   "a 5001-byte home in a big enough buffer");
	}
	free(long_pw);
	free(long_home);
}

static void test_env(void)
{
	static char e1[] = "PATH=/bin", e2[] = "HOME=/root", e3[] = "PATHX=1", e4[] = "EMPTY=",
		    e5[] = "NOEQ", e6[] = "PATH=/second", e7[] = "=anon";
	char *const env[] = { e1, e2, e3, e4, e5, e6, e7, NULL };
	char *const none[] = { NULL };

	is_str(env_get(env, "PATH"), "/bin", "PATH: the first of two");
	is_str(env_get(env, "HOME"), "/root", "HOME");
	is_str(env_get(env, "PATHX"), "1", "PATHX is not PATH");
	is_str(env_get(env, "EMPTY"), "", "an empty value");
	ok(env_get(env, "PAT") == NULL, "a prefix of a name is no match");
	ok(env_get(env, "NOEQ") == NULL, "an entry without = has no value");
	ok(env_get(env, "path") == NULL, "names are case-sensitive");
	ok(env_get(env, "MISSING") == NULL, "a missing name");
	ok(env_get(none, "PATH") == NULL, "an empty vector");
	ok(env_get(NULL, "PATH") == NULL, "no vector");
	is_str(DEFAULT_PATH, "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	       "the default PATH of the contract");
}

int main(void)
{
	test_find_nul();
	test_parse();
	test_int();
	test_uint();
	test_accessors();
	test_proc_stat();
	test_pid_text();
	test_passwd();
	test_env();
	return tap_done();
}
