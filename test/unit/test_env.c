/* The pure helpers of env.c: /etc/passwd and environment lookups. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "tap.h"

/* ---- passwd_home / env_get ------------------------------------------------------------ */

static void test_passwd(void)
{
	static const char pw[] = "#root:x:0:0:root:/commented:/bin/sh\n"
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
	ok(passwd_home("r:x:0:0::/root", 0, small, sizeof(small)) == 0, "home /root fits in 6 "
									"bytes");
	is_str(small, "/root", "exact fit: home");
	ok(passwd_home("r:x:0:0::/a\nr2:x:0:0::/b\n", 0, small, sizeof(small)) == 0, "two entries "
										     "for one uid");
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
		ok(passwd_home(long_pw, 77, home, sizeof(home)) < 0, "a home longer than the "
								     "buffer is not truncated");
		ok(passwd_home(long_pw, 77, long_home, gecos + 16) == 0 &&
			   strlen(long_home) == gecos + 1,
		   "a 5001-byte home in a big enough buffer");
	}
	free(long_pw);
	free(long_home);
}

static void test_env(void)
{
	static char e1[] = "PATH=/bin", e2[] = "HOME=/root", e3[] = "PATHX=1",
		    e4[] = "EMPTY=", e5[] = "NOEQ", e6[] = "PATH=/second", e7[] = "=anon";
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
	test_passwd();
	test_env();
	return tap_done();
}
