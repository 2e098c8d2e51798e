/* fmt.c against the C library's snprintf (glibc here): every flag, width, precision, length
 * and integer conversion over edge values, strings and characters, truncation, and the
 * conversions it leaves alone. */
#include "fmt.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat-security"

static int mismatches;

/* One format and its arguments through both; the first few differences are shown. */
#define SAME(fmt, ...)                                                                             \
	do {                                                                                       \
		char want_[256], got_[256];                                                        \
		int wr_ = snprintf(want_, sizeof(want_), fmt, __VA_ARGS__);                        \
		int gr_ = fmt_snprintf(got_, sizeof(got_), fmt, __VA_ARGS__);                      \
		if (wr_ != gr_ || strcmp(want_, got_) != 0) {                                      \
			if (++mismatches <= 10)                                                    \
				printf("# \"%s\": got \"%s\" (%d), want \"%s\" (%d)\n", fmt, got_, \
				       gr_, want_, wr_);                                           \
		}                                                                                  \
	} while (0)

static const long long svals[] = { 0,	 1,	-1,	 7,	  8,	     9,
				   10,	 15,	16,	 127,	  -128,	     255,
				   4096, 12345, INT_MAX, INT_MIN, LLONG_MAX, LLONG_MIN };

/* Every combination of flags, width and precision of one conversion with one length. */
static void matrix(const char *length, char conv)
{
	static const char *const widths[] = { "", "0", "1", "5", "25", "*" };
	static const char *const precs[] = { "", ".", ".0", ".1", ".3", ".21", ".*" };
	static const char flagset[] = "-+ #0";

	for (unsigned f = 0; f < 32; f++) {
		char flags[6] = "";
		size_t nf = 0;

		for (unsigned b = 0; b < 5; b++)
			if (f & (1u << b))
				flags[nf++] = flagset[b];
		for (size_t w = 0; w < ARRAY_LEN(widths); w++) {
			for (size_t p = 0; p < ARRAY_LEN(precs); p++) {
				char fmt[32];

				snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]", flags, widths[w],
					 precs[p], length, conv);
				for (size_t v = 0; v < ARRAY_LEN(svals); v++) {
					long long x = svals[v];
					bool star_w = widths[w][0] == '*',
					     star_p = strchr(precs[p], '*') != NULL;
					int sw = (int)(v % 3) * 4 - 4, sp = (int)(v % 4) * 3 - 2;

#define ARGS(a)                               \
	do {                                  \
		if (star_w && star_p)         \
			SAME(fmt, sw, sp, a); \
		else if (star_w)              \
			SAME(fmt, sw, a);     \
		else if (star_p)              \
			SAME(fmt, sp, a);     \
		else                          \
			SAME(fmt, a);         \
	} while (0)
					bool sgn = conv == 'd' || conv == 'i';
					if (strcmp(length, "hh") == 0)
						ARGS((int)(sgn ? (signed char)x
							       : (unsigned char)x));
					else if (strcmp(length, "h") == 0)
						ARGS((int)(sgn ? (short)x : (unsigned short)x));
					else if (strcmp(length, "l") == 0)
						ARGS((long)x);
					else if (strcmp(length, "ll") == 0)
						ARGS(x);
					else if (strcmp(length, "j") == 0)
						ARGS((intmax_t)x);
					else if (strcmp(length, "z") == 0)
						ARGS((size_t)x);
					else if (strcmp(length, "t") == 0)
						ARGS((ptrdiff_t)x);
					else
						ARGS((int)x);
#undef ARGS
				}
			}
		}
	}
}

static void integers(void)
{
	static const char *const lengths[] = { "hh", "h", "", "l", "ll", "j", "z", "t" };
	static const char convs[] = "diuoxX";

	for (size_t l = 0; l < ARRAY_LEN(lengths); l++) {
		for (size_t c = 0; c < sizeof(convs) - 1; c++) {
			int before = mismatches;
			matrix(lengths[l], convs[c]);
			ok(mismatches == before,
			   "%%%s%c: 32 flag sets x 6 widths x 7 precisions x %zu values",
			   lengths[l], convs[c], ARRAY_LEN(svals));
		}
	}
}

static void strings(void)
{
	int before = mismatches;

	SAME("%s", "");
	SAME("%s", "hello");
	SAME("%10s|%-10s|", "abc", "def");
	SAME("%.3s|%.10s|%.0s|", "abcdef", "abc", "abc");
	SAME("%.*s|", 2, "abcdef");
	SAME("%.*s|", -1, "abcdef");
	SAME("%*s|%-*s|", 6, "ab", -6, "cd");
	SAME("%*.*s|", 8, 3, "abcdef");
	SAME("%c|%5c|%-5c|", 'x', 'y', 'z');
	SAME("%c", 0xe9);
	SAME("%%|a%%b%s", "c");
	SAME("%s=%d (%s)", "key", -42, "value");
	SAME("%p|%20p|%-20p|", (void *)0x1234, (void *)0xdeadbeef, (void *)1);
	SAME("%p|%10p|", (void *)NULL, (void *)NULL);
	{
		const char *volatile none = NULL; /* past the compiler's own check */
		SAME("%s|%.6s|%.3s|", none, none, none);
	}
	ok(mismatches == before, "strings, characters, %%%%, %%p and NULL as glibc");
}

static void truncation(void)
{
	char buf[8];
	int r;

	memset(buf, 'x', sizeof(buf));
	r = fmt_snprintf(buf, 5, "%s-%d", "abcdef", 12);
	ok(r == 9 && strcmp(buf, "abcd") == 0 && buf[5] == 'x',
	   "cut at n-1 with a NUL, nothing written past n, the whole length returned (%d)", r);
	memset(buf, 'x', sizeof(buf));
	r = fmt_snprintf(buf, 0, "%d", 123456);
	ok(r == 6 && buf[0] == 'x', "n = 0 writes nothing and returns the length (%d)", r);
	r = fmt_snprintf(NULL, 0, "%s%s", "abc", "de");
	ok(r == 5, "NULL with n = 0 only measures (%d)", r);
	r = fmt_snprintf(buf, 1, "abc");
	ok(r == 3 && buf[0] == '\0', "n = 1 holds the NUL only");
}

/* Not supported, and said so: shown as written, the argument after it still in step. */
static void unsupported(void)
{
	char buf[64];
	int r = fmt_snprintf(buf, sizeof(buf), "%d %.17g %d %f %s", 1, 2.5, 3, 4.0, "x");

	is_str(buf, "1 %.17g 3 %f x",
	       "floating-point conversions shown as written, arguments in step");
	ok(r == (int)strlen(buf), "their length counted");
	{
		const char *volatile lone = "ab%";
		r = fmt_snprintf(buf, sizeof(buf), lone);
	}
	is_str(buf, "ab", "a lone %% at the end is dropped, nothing read past the NUL");

	/* A type it cannot know ends the formatting: the rest as written, no argument read
	 * after it (reading an int where a long double was passed would shift every later
	 * argument; "%s" would then dereference a part of the long double). */
	r = fmt_snprintf(buf, sizeof(buf), "%d %Lf %s %d", 1, 2.5L, "x", 3);
	is_str(buf, "1 %Lf %s %d", "%%Lf: the rest of the format as written");
	ok(r == (int)strlen(buf), "its length counted (%d)", r);
	{
		static const char *const fmts[] = { "<%'d|%s>", "<%qd|%s>", "<%C|%s>",
						    "<%S|%s>",	"<%ls|%s>", "<%lc|%s>",
						    "<%hp|%s>", "<%zf|%s>", "<%m|%s>" };
		int bad = 0;
		for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
			const char *volatile f = fmts[i];
			r = fmt_snprintf(buf, sizeof(buf), f, 7, "never read");
			if (strcmp(buf + 1, f + 1) != 0 || buf[0] != '<' || r != (int)strlen(f)) {
				bad++;
				printf("# %s -> %s (%d)\n", f, buf, r);
			}
		}
		ok(bad == 0, "%%'d %%qd %%C %%S %%ls %%lc %%hp %%zf %%m: the rest as written");
	}
	r = fmt_snprintf(buf, sizeof(buf), "%lf|%d", 1.5, 9);
	is_str(buf, "%lf|9", "%%lf is a double: the next argument still in step");
}

/* Widths and precisions near INT_MAX: -1 and EOVERFLOW past it (as C's printf), and a
 * large width that still fits is counted, not written byte by byte past the buffer. */
static void overflow(void)
{
	char buf[16];
	const char *volatile huge = "%99999999999d", *volatile hugep = "%.2147483648d";
	const char *volatile edge = "%2147483647d", *volatile over = "x%2147483647d";
	const char *volatile star = "%*d";
	int r;

	errno = 0;
	r = fmt_snprintf(buf, sizeof(buf), star, INT_MIN, 1);
	ok(r == -1 && errno == EOVERFLOW, "%%*d with INT_MIN: -1, EOVERFLOW (%d)", r);
	errno = 0;
	r = fmt_snprintf(buf, sizeof(buf), huge, 1);
	ok(r == -1 && errno == EOVERFLOW, "a width of 99999999999: -1, EOVERFLOW (%d)", r);
	errno = 0;
	r = fmt_snprintf(buf, sizeof(buf), hugep, 1);
	ok(r == -1 && errno == EOVERFLOW, "a precision of 2^31: -1, EOVERFLOW (%d)", r);
	r = fmt_snprintf(buf, sizeof(buf), edge, 1);
	ok(r == INT_MAX && strlen(buf) == sizeof(buf) - 1 && buf[0] == ' ',
	   "a width of INT_MAX fits: its length returned, the buffer filled (%d)", r);
	errno = 0;
	r = fmt_snprintf(buf, sizeof(buf), over, 1);
	ok(r == -1 && errno == EOVERFLOW, "a text of INT_MAX + 1: -1, EOVERFLOW (%d)", r);
	r = fmt_snprintf(buf, sizeof(buf), "%*d", -5, 42);
	is_str(buf, "42   ", "a negative * width is a left-aligned field");
}

static void allocating(void)
{
	char *s = NULL, big[600];
	int r = fmt_asprintf(&s, "%s/%s/%05d", "/sys/fs/cgroup", "cpu", 42);
	int p[2];
	ssize_t n;

	is_str(s, "/sys/fs/cgroup/cpu/00042", "fmt_asprintf");
	ok(r == 24, "fmt_asprintf returns the length (%d)", r);
	free(s);

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	if (pipe(p) < 0) {
		ok(0, "pipe: %s", strerror(errno));
		return;
	}
	r = fmt_dprintf(p[1], "%s|%d\n", big, 7);
	close(p[1]);
	{
		char got[1024];
		size_t have = 0;
		while ((n = read(p[0], got + have, sizeof(got) - 1 - have)) > 0)
			have += (size_t)n;
		got[have] = '\0';
		ok(r == 0 && have == sizeof(big) - 1 + 3 &&
			   strcmp(got + sizeof(big) - 1, "|7\n") == 0,
		   "fmt_dprintf writes a text longer than its stack buffer whole (%zu bytes)",
		   have);
	}
	close(p[0]);
	ok(fmt_dprintf(-1, "x") == -EBADF, "fmt_dprintf returns -errno");
}

/* fmt_utc against the C library's gmtime_r: every day of 1600 to 2500 at a time of day that
 * steps through the hours, minutes and seconds, then edges (leap days, centuries, negative
 * times, the 32-bit rollover). */
/* What glibc's gmtime_r says of t, in fmt_utc's format. */
static void gmtime_text(long long t, char *out, size_t n)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void utc(void)
{
	static const long long edges[] = { 0,
					   -1,
					   59,
					   86399,
					   86400,
					   951782399LL,
					   951782400LL,
					   951868800LL,
					   4107542399LL,
					   4107542400LL,
					   2147483647LL,
					   2147483648LL,
					   -2147483648LL,
					   -11644473600LL,
					   -12219292800LL,
					   253402300799LL };
	long long first = -11676096000LL, last = 16725225600LL; /* 1600-01-01, 2500-01-01 */
	unsigned bad = 0, n = 0;
	char want[64], got[64];

	for (long long day = first; day <= last; day += 86400, n++) {
		long long t = day + (n * 3677) % 86400;

		gmtime_text(t, want, sizeof(want));
		if (fmt_utc(got, sizeof(got), t) != 20 || strcmp(got, want) != 0) {
			if (bad++ < 3)
				printf("# fmt_utc(%lld): %s, gmtime_r: %s\n", t, got, want);
		}
	}
	ok(bad == 0 && n > 328000, "fmt_utc agrees with gmtime_r on each of %u days of 1600-2500",
	   n);
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		gmtime_text(edges[i], want, sizeof(want));
		fmt_utc(got, sizeof(got), edges[i]);
		is_str(got, want, "fmt_utc(%lld)", edges[i]);
	}
	fmt_utc(got, 11, 0);
	is_str(got, "1970-01-01", "fmt_utc truncates like snprintf");
}

int main(void)
{
	utc();
	integers();
	strings();
	truncation();
	unsupported();
	overflow();
	allocating();
	return tap_done();
}
