/* jsonnum.c against the C library (glibc here): the prefix strtod takes of every kind of
 * string cJSON can hand it, the values, and the integers cJSON prints; then cJSON itself,
 * linked through cjson_num.c as in the static binary, parsing and printing on them. */
#include "jsonnum.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "cJSON.h"
#include "log.h"
#include "tap.h"

/* Same end as strtod; the value exact where it is an integer of up to 19 digits, else within
 * 1e-14 relatively (both inf or both 0 when out of range). */
static int check_one(const char *s, int *exact_ok)
{
	char *we, *ge;
	double w = strtod(s, &we), g = jsonnum_strtod(s, &ge);
	size_t digits = strspn(s + (*s == '-' || *s == '+'), "0123456789");
	bool plain_int = digits > 0 && digits <= 19 && s[digits + (*s == '-' || *s == '+')] == '\0';

	if (we != ge) {
		printf("# \"%s\": strtod ends at %td, jsonnum_strtod at %td\n", s, we - s, ge - s);
		return 0;
	}
	if (plain_int) {
		*exact_ok &= w == g;
		if (w != g)
			printf("# \"%s\": %.17g, want %.17g exactly\n", s, g, w);
		return w == g;
	}
	if (isinf(w) || w == 0 || fabs(w) < DBL_MIN)
		return (isinf(w) && g == w) || (fabs(w) < DBL_MIN && fabs(g) < DBL_MIN * 1e3) ||
		       (w == 0 && g == 0);
	if (fabs(g - w) > fabs(w) * 1e-14) {
		printf("# \"%s\": %.17g, want %.17g\n", s, g, w);
		return 0;
	}
	return 1;
}

static void strtod_prefixes(void)
{
	static const char *const fixed[] = { "0",
					     "-0",
					     "+0",
					     "1",
					     "-1",
					     "123",
					     "00012",
					     "1.5",
					     "-1.5",
					     ".5",
					     "5.",
					     ".",
					     "-",
					     "+",
					     "-.",
					     "",
					     "e5",
					     "1e5",
					     "1E5",
					     "1e+5",
					     "1e-5",
					     "1e",
					     "1e+",
					     "1e-",
					     "1.e3",
					     ".e3",
					     "1.5e",
					     "1e5e5",
					     "1-2",
					     "1+2",
					     "--1",
					     "+-1",
					     "1..2",
					     "1.2.3",
					     "2e308",
					     "-2e308",
					     "1e-330",
					     "4.9e-324",
					     "1.7976931348623157e308",
					     "9007199254740993",
					     "18446744073709551615",
					     "18446744073709551616",
					     "9999999999999999999",
					     "99999999999999999999",
					     "0.000000000000000000001234",
					     "123456789012345678901234567890",
					     "1e99999999999",
					     "1e-99999999999",
					     "0e99999999" };
	int all = 1, exact = 1;

	for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
		all &= check_one(fixed[i], &exact);
	ok(all, "strtod's end and value on %zu edge cases", ARRAY_LEN(fixed));

	/* Random strings of cJSON's number alphabet. */
	{
		static const char alphabet[] = "0123456789+-.eE00111";
		unsigned seed = 12345;
		int bad = 0;
		for (int n = 0; n < 200000; n++) {
			char s[16];
			size_t len = (seed = seed * 1103515245u + 12345u) >> 16 & 15;
			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				s[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			}
			s[len] = '\0';
			if (!check_one(s, &exact) && ++bad > 5)
				break;
		}
		ok(bad == 0, "strtod's end and value on 200000 random strings of [0-9+-.eE]");
	}
	ok(exact, "integers of up to 19 digits exact");
}

static void printing(void)
{
	static const double ints[] = { 0,
				       1,
				       -1,
				       42,
				       4294967295.0,
				       123456789012345.0,
				       9007199254740991.0,
				       -9007199254740991.0 };
	char want[64], got[64];
	double back = 0;
	int all = 1;

	for (size_t i = 0; i < ARRAY_LEN(ints); i++) {
		snprintf(want, sizeof(want), "%1.17g", ints[i]);
		all &= jsonnum_sprintf(got, "%1.15g", ints[i]) == (int)strlen(want) &&
		       strcmp(got, want) == 0;
		all &= jsonnum_sscanf(got, "%lg", &back) == 1 && back == ints[i];
	}
	ok(all, "integers below 2^53 printed as printf's %%1.17g prints them, read back equal");
	ok(jsonnum_sprintf(got, "%1.15g", -0.0) == 2 && strcmp(got, "-0") == 0, "minus zero");
	ok(jsonnum_sprintf(got, "%1.17g", 18446744073709549568.0) == 20 && strcmp(got, "18446744073"
										       "70954956"
										       "8") == 0,
	   "the largest double below 2^64 in full");
	ok(jsonnum_sprintf(got, "%1.15g", 1.5) == -1, "a fraction refused (rtexec prints none)");
	ok(jsonnum_sprintf(got, "%1.15g", 18446744073709551616.0) == -1, "2^64 refused");
	ok(jsonnum_sprintf(got, "%1.15g", (double)NAN) == -1, "NaN refused (cJSON prints null "
							      "itself)");
	ok(jsonnum_sprintf(got, "null") == 4 && strcmp(got, "null") == 0, "\"null\" passed "
									  "through");
	ok(jsonnum_sprintf(got, "u%04x", 0x1f) == 5 && strcmp(got, "u001f") == 0, "\"u%%04x\" "
										  "through fmt.c");
	ok(jsonnum_sscanf("x", "%lg", &back) == 0, "sscanf of no number: 0 conversions");
}

/* The cJSON every build links (cjson_num.c) calls jsonnum: 1e15 comes back as its 16 digits
 * (the C library's "%1.15g" would give "1e+15"), a fraction cannot be printed (jsonnum
 * refuses it), and the parsed values are jsonnum_strtod's. */
static void through_cjson(void)
{
	cJSON *doc = cJSON_Parse("[1e15, -42, 18446744073709549568, 0.5, 1E+2]");
	char *text = doc ? cJSON_PrintUnformatted(cJSON_GetArrayItem(doc, 0)) : NULL;
	cJSON *half = cJSON_CreateNumber(0.5);
	char *half_text = cJSON_PrintUnformatted(half);

	ok(doc != NULL && cJSON_GetArraySize(doc) == 5, "cJSON parses the numbers");
	is_str(text, "1000000000000000", "cJSON prints 1e15 through jsonnum_sprintf, in full");
	free(text);
	text = doc ? cJSON_PrintUnformatted(doc) : NULL;
	ok(text == NULL, "a document with a fraction in it is not printed");
	free(text);
	cJSON_DeleteItemFromArray(doc, 3);
	text = doc ? cJSON_PrintUnformatted(doc) : NULL;
	is_str(text, "[1000000000000000,-42,18446744073709549568,100]",
	       "the integral ones are, exactly");
	free(text);
	ok(half_text == NULL, "0.5 alone: not printed");
	free(half_text);
	cJSON_Delete(half);
	cJSON_Delete(doc);
}

int main(void)
{
	strtod_prefixes();
	printing();
	through_cjson();
	return tap_done();
}
