/* The strict typed JSON access of jsonutil.c. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "fsutil.h"
#include "jsonutil.h"
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
	struct rterr e = { 0, { 0 } };
	int r = json_parse(text, len, &out, &e);

	ok(r < 0 && out == NULL, "refused: %s", name);
	is_str(e.msg, want, "message: %s", name);
	cJSON_Delete(out);
}

static void parse_good(const char *text, size_t len, const char *name)
{
	cJSON *out = NULL;
	struct rterr e = { 0, { 0 } };
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
	parse_err("1 2", 3, "line 1 column 3: trailing data after the JSON document", "two values");
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

/* clang-format off */
static const struct num nums[] = {
	{ "0", 0, 10, true, 0, NULL },
	{ "-0", 0, 10, true, 0, NULL },
	{ "-0.0", 0, 10, false, 0, "x: expected an integer" },
	{ "10", 0, 10, true, 10, NULL },
	{ "1e1", 0, 10, false, 0, "x: expected an integer" },
	{ "2.0", 0, 10, false, 0, "x: expected an integer" },
	{ "1E0", 0, 10, false, 0, "x: expected an integer" },
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
	{ "1e300", -5, 5, false, 0, "x: expected an integer" },
	{ "18446744073709551616", -5, 5, false, 0, "x: 18446744073709551616 is out of range (-5..5)" },
	{ "-9007199254740991", -JSON_MAX_EXACT, JSON_MAX_EXACT, true, -9007199254740991LL, NULL },
	{ "9007199254740991", -JSON_MAX_EXACT, JSON_MAX_EXACT, true, 9007199254740991LL, NULL },
	{ "4294967294", 0, 4294967294.0, true, 4294967294LL, NULL },
	{ "4294967295", 0, 4294967294.0, false, 0,
	  "x: 4294967295 is out of range (0..4294967294)" },
};
/* clang-format on */

/* As rtexec reads it: with each number's source text (json_parse). */
static cJSON *number(const char *json)
{
	struct rterr e;
	cJSON *it = NULL;

	if (json_parse(json, strlen(json), &it, &e) < 0)
		printf("#   %s: %s\n", json, e.msg);
	return it;
}

static void test_int(void)
{
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		const struct num *n = &nums[i];
		cJSON *it = number(n->json);
		struct rterr e = { 0, { 0 } };
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
	struct rterr e = { 0, { 0 } };
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
	ok(json_uint(it, "u", 1e30, &v, &e) == 0 && v == 9007199254740991ULL, "json_uint 2^53-1 "
									      "exact, with a "
									      "larger max");
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
	ok(json_uint(it, "u", 1e30, &v, &e) < 0, "json_uint 9007199254740993 (2^53+1) refused, not "
						 "rounded to 2^53");
	if (v)
		printf("#   accepted as %llu\n", v);
	cJSON_Delete(it);
}

/* ---- the other accessors ---------------------------------------------------------- */

static void test_accessors(void)
{
	static const char *const allowed[] = { "a", "b", NULL };
	char buf[64], *s = NULL, **v = NULL;
	struct rterr e = { 0, { 0 } };
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
	ok(json_strings(it, "l", &v, &n, &e) == 0 && n == 0 && v && v[0] == NULL, "json_strings of "
										  "[] is an empty "
										  "vector");
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
	ok(json_string(it, "s", false, &s, &e) == 0 && s && *s == '\0', "json_string: empty "
									"allowed");
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

/* json_keys finds a key given twice by sorting the names (its own heapsort): one duplicate
 * anywhere among 20,000 keys in scrambled order, and none where there is none. */
static void test_duplicate_keys(void)
{
	enum { N = 20000 };
	struct rterr e;
	int found = 0, clean = 0, rounds = 0;

	for (unsigned dup = 0; dup < N; dup += 1999, rounds++) {
		cJSON *obj = cJSON_CreateObject();
		char key[16];

		for (unsigned i = 0; i < N; i++) {
			fmt_snprintf(key, sizeof(key), "k%u", (i * 7919u) % N);
			cJSON_AddNullToObject(obj, key);
		}
		clean += json_keys(obj, "o", NULL, &e) == 0;
		fmt_snprintf(key, sizeof(key), "k%u", (dup * 7919u) % N);
		cJSON_AddNullToObject(obj, key);
		if (json_keys(obj, "o", NULL, &e) < 0) {
			char want[32];
			fmt_snprintf(want, sizeof(want), "o.%s: key given twice", key);
			found += strcmp(e.msg, want) == 0;
		}
		cJSON_Delete(obj);
	}
	ok(clean == rounds, "20,000 distinct keys: no duplicate (%d of %d)", clean, rounds);
	ok(found == rounds, "one key given twice among them, wherever it is, named (%d of %d)",
	   found, rounds);
}

/* str_find (fsutil.c), strstr's stand-in. */
static void test_str_find(void)
{
	const char *t = "a:[1] frozen 0\nfrozen 1\n";

	ok(str_find(t, ":[") == t + 1, "str_find: near the start");
	ok(str_find(t, "frozen 1") == t + 15, "str_find: after a partial match");
	ok(str_find(t, "frozen 2") == NULL, "str_find: absent");
	ok(str_find("..", "...") == NULL, "str_find: longer than the text");
	ok(str_find("abc", "") != NULL && str_find("", "") != NULL, "str_find: the empty pattern");
	ok(str_find("", "a") == NULL, "str_find: the empty text");
}

/* str_u64 (fsutil.c), strtoull's stand-in: its edges, then the same end and value as the C
 * library's strtoull for random digit strings of up to 25 digits in both bases. */
static void test_str_u64(void)
{
	unsigned long long v;
	const char *end;
	const char *const no_digit[] = { "", "-1", "+1", " 1", "x", "\n5" };
	int bad = 0, rounds = 20000;

	ok(str_u64("0", 10, &v, &end) == 0 && v == 0 && *end == '\0', "str_u64: 0");
	ok(str_u64("18446744073709551615 ", 10, &v, &end) == 0 && v == ULLONG_MAX && *end == ' ',
	   "str_u64: 2^64 - 1, end at the space");
	ok(str_u64("18446744073709551616]", 10, &v, &end) == -ERANGE && v == ULLONG_MAX &&
		   *end == ']',
	   "str_u64: 2^64 is -ERANGE, ULLONG_MAX, end after all its digits");
	ok(str_u64("99999999999999999999999", 10, &v, NULL) == -ERANGE, "str_u64: 23 nines");
	ok(str_u64("000000000000000000000000012", 10, &v, NULL) == 0 && v == 12, "str_u64: leading "
										 "zeros do not "
										 "overflow");
	ok(str_u64("ffFF\n", 16, &v, &end) == 0 && v == 0xffff && *end == '\n', "str_u64: hex");
	ok(str_u64("000001ffffffffff", 16, &v, NULL) == 0 && v == 0x1ffffffffffULL, "str_u64: a "
										    "capability "
										    "mask");
	ok(str_u64("0x10", 16, &v, &end) == 0 && v == 0 && *end == 'x', "str_u64: no 0x prefix");
	ok(str_u64("12ab", 10, &v, &end) == 0 && v == 12 && *end == 'a', "str_u64: hex digits end "
									 "a decimal number");
	for (size_t i = 0; i < sizeof(no_digit) / sizeof(no_digit[0]); i++)
		if (str_u64(no_digit[i], 10, &v, &end) != -EINVAL || end != no_digit[i])
			bad++;
	ok(bad == 0, "str_u64: no digit first (empty, sign, space, letter, newline): -EINVAL");

	srand(7);
	bad = 0;
	for (int i = 0; i < rounds; i++) {
		char s[32];
		int n = 1 + rand() % 25, base = i % 2 ? 16 : 10;
		char *want_end;
		unsigned long long want, got;
		int r;

		for (int k = 0; k < n; k++)
			s[k] = "0123456789abcdefABCDEF "[rand() % (base == 16 ? 23 : 10)];
		s[n] = '\0';
		if (s[0] == ' ')
			s[0] = '1';
		errno = 0;
		want = strtoull(s, &want_end, base);
		r = str_u64(s, (unsigned)base, &got, &end);
		if (got != want || end != want_end || (r == -ERANGE) != (errno == ERANGE) ||
		    (r != 0 && r != -ERANGE)) {
			if (++bad <= 3)
				printf("# \"%s\" base %d: %llu (%d), want %llu\n", s, base, got, r,
				       want);
		}
	}
	ok(bad == 0, "str_u64 = strtoull on %d random strings (%d differ)", rounds, bad);
}

int main(void)
{
	test_find_nul();
	test_duplicate_keys();
	test_str_find();
	test_str_u64();
	test_parse();
	test_int();
	test_uint();
	test_accessors();
	return tap_done();
}
