#include "jsonnum.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fmt.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* m * 10^e: steps of the powers of ten that doubles hold exactly (up to 1e22), so that each
 * step rounds once; a hundred steps or so before the result is inf or 0 whatever follows. */
static double scale10(double m, long e)
{
	static const double exact[] = { 1e0,  1e1,  1e2,  1e3,	1e4,  1e5,  1e6,  1e7,
					1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
					1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22 };

	for (; e > 0 && m != 0 && !isinf(m); e -= e > 22 ? 22 : e)
		m *= exact[e > 22 ? 22 : e];
	for (; e < 0 && m != 0; e += e < -22 ? 22 : -e)
		m /= exact[e < -22 ? 22 : -e];
	return m;
}

/* The exponent part at p ("e", a sign, digits), added to *exp; where it ends, or p itself when
 * it is not whole (strtod leaves "1e" and "1e+" at "e"). */
static const char *exponent(const char *p, long *exp)
{
	const char *q = p + 1;
	bool neg = false;
	long e = 0;

	if (*p != 'e' && *p != 'E')
		return p;
	if (*q == '+' || *q == '-')
		neg = *q++ == '-';
	if (!is_digit(*q))
		return p;
	for (; is_digit(*q); q++)
		if (e < 100000)
			e = e * 10 + (*q - '0');
	*exp += neg ? -e : e;
	return q;
}

double jsonnum_strtod(const char *s, char **end)
{
	const char *p = s;
	bool neg = false, any = false;
	uint64_t m = 0;
	int kept = 0; /* significant digits in m: at most 19 fit */
	long exp = 0;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	for (; is_digit(*p); p++, any = true) {
		if (kept < 19) {
			m = m * 10 + (uint64_t)(*p - '0');
			kept += m != 0;
		} else {
			exp++;
		}
	}
	if (*p == '.') {
		const char *q = p + 1;
		for (; is_digit(*q); q++, any = true) {
			if (kept < 19) {
				m = m * 10 + (uint64_t)(*q - '0');
				kept += m != 0;
				exp--;
			}
		}
		if (any)
			p = q;
	}
	if (!any) {
		if (end)
			*end = (char *)(uintptr_t)s;
		return 0;
	}
	p = exponent(p, &exp);
	if (end)
		*end = (char *)(uintptr_t)p;
	{
		double d = scale10((double)m, exp);
		return neg ? -d : d;
	}
}

/* An integral double below 2^64 in magnitude, in full ("-0" for minus zero, as printf). */
static int integral(char *buf, double d)
{
	double a = fabs(d);

	if (!(a < 18446744073709551616.0) || floor(a) != a)
		return -1;
	return fmt_snprintf(buf, 26, "%s%llu", signbit(d) ? "-" : "", (unsigned long long)a);
}

int jsonnum_sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	if (strcmp(fmt, "%1.15g") == 0 || strcmp(fmt, "%1.17g") == 0)
		r = integral(buf, va_arg(ap, double));
	else
		r = fmt_vsnprintf(buf, 64, fmt, ap); /* "null", "u%04x" and the version */
	va_end(ap);
	return r;
}

int jsonnum_sscanf(const char *s, const char *fmt, ...)
{
	va_list ap;
	char *end;
	double d = jsonnum_strtod(s, &end);

	if (strcmp(fmt, "%lg") != 0 || end == s)
		return 0;
	va_start(ap, fmt);
	*va_arg(ap, double *) = d;
	va_end(ap);
	return 1;
}
