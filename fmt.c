#include "fmt.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The text goes to buf while it fits; len counts all of it, for the return value. */
struct out {
	char *buf;
	size_t n, len;
};

struct spec {
	bool left, zero, plus, space, alt;
	int width;
	int prec; /* -1: none */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->n)
		o->buf[o->len] = c;
	o->len++;
}

/* k bytes: what fits copied at once, all of them counted. */
static void put_n(struct out *o, const char *s, size_t k)
{
	size_t room = o->len + 1 < o->n ? o->n - 1 - o->len : 0;

	if (room)
		memcpy(o->buf + o->len, s, k < room ? k : room);
	o->len += k;
}

/* k copies of c: what fits is written, the rest only counted (a width of 2^31 - 2 costs no
 * loop of that length). */
static void pad(struct out *o, char c, long k)
{
	for (; k > 0 && o->len + 1 < o->n; k--)
		o->buf[o->len++] = c;
	/* Counted up to INT_MAX + 1 at most (too long: the caller's -1), so that a 32-bit
	 * size_t cannot wrap over two such fields. */
	if (k > 0 && o->len <= INT_MAX)
		o->len += (size_t)k < (size_t)INT_MAX + 1 - o->len ? (size_t)k
								   : (size_t)INT_MAX + 1 - o->len;
}

/* A string field: its width around it, left or right. */
static void put_field(struct out *o, const struct spec *s, const char *text, size_t k)
{
	long fill = s->width > (long)k ? s->width - (long)k : 0;

	if (!s->left)
		pad(o, ' ', fill);
	put_n(o, text, k);
	if (s->left)
		pad(o, ' ', fill);
}

/* An integer: sign or prefix, zeros up to the precision (or, with "0" and no precision, up
 * to the width), its digits, then the width's spaces on the other side. */
static void put_int(struct out *o, const struct spec *s, uintmax_t v, bool negative, bool is_signed,
		    unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[3 * sizeof(v) + 1], prefix[2];
	size_t nd = 0, np = 0;
	long zeros, fill;

	for (uintmax_t x = v; x; x /= base)
		tmp[sizeof(tmp) - ++nd] = digits[x % base];
	if (negative)
		prefix[np++] = '-';
	else if (is_signed && (s->plus || s->space))
		prefix[np++] = s->plus ? '+' : ' ';
	if (s->alt && base == 16 && v) {
		prefix[np++] = '0';
		prefix[np++] = upper ? 'X' : 'x';
	}
	zeros = s->prec >= 0 ? s->prec - (long)nd : (v == 0); /* "%.0d" of 0 prints nothing */
	if (s->alt && base == 8 && zeros <= 0 && (nd == 0 || tmp[sizeof(tmp) - nd] != '0'))
		zeros = 1;
	if (zeros < 0)
		zeros = 0;
	fill = s->width - (long)(np + (size_t)zeros + nd);
	if (s->zero && !s->left && s->prec < 0 && fill > 0) {
		zeros += fill;
		fill = 0;
	}
	if (!s->left)
		pad(o, ' ', fill);
	put_n(o, prefix, np);
	pad(o, '0', zeros);
	put_n(o, tmp + sizeof(tmp) - nd, nd);
	if (s->left)
		pad(o, ' ', fill);
}

/* Another decimal digit of a width or precision; false when it would pass INT_MAX. */
static bool add_digit(int *v, char d)
{
	if (*v > (INT_MAX - (d - '0')) / 10)
		return false;
	*v = *v * 10 + (d - '0');
	return true;
}

/* Flags, width and precision after the '%' (p) into s; returns the first character after,
 * or NULL when the width or precision is more than INT_MAX (as C's printf: EOVERFLOW). */
static const char *parse_spec(const char *p, struct spec *s, va_list *ap)
{
	for (;; p++) {
		if (*p == '-')
			s->left = true;
		else if (*p == '0')
			s->zero = true;
		else if (*p == '+')
			s->plus = true;
		else if (*p == ' ')
			s->space = true;
		else if (*p == '#')
			s->alt = true;
		else
			break;
	}
	if (*p == '*') {
		int w = va_arg(*ap, int);
		if (w == INT_MIN)
			return NULL;
		s->left |= w < 0;
		s->width = w < 0 ? -w : w;
		p++;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		if (!add_digit(&s->width, *p))
			return NULL;
	s->prec = -1;
	if (*p == '.') {
		s->prec = 0;
		if (*++p == '*') {
			int pr = va_arg(*ap, int);
			s->prec = pr < 0 ? -1 : pr;
			p++;
		}
		for (; *p >= '0' && *p <= '9'; p++)
			if (!add_digit(&s->prec, *p))
				return NULL;
	}
	return p;
}

enum length { LEN_HH, LEN_H, LEN_NONE, LEN_L, LEN_LL, LEN_J, LEN_Z, LEN_T };

static const char *parse_length(const char *p, enum length *len)
{
	*len = LEN_NONE;
	if (p[0] == 'h')
		*len = p[1] == 'h' ? LEN_HH : LEN_H;
	else if (p[0] == 'l')
		*len = p[1] == 'l' ? LEN_LL : LEN_L;
	else if (p[0] == 'j' || p[0] == 'z' || p[0] == 't')
		*len = p[0] == 'j' ? LEN_J : p[0] == 'z' ? LEN_Z : LEN_T;
	else
		return p;
	return p + 1 + (*len == LEN_HH || *len == LEN_LL);
}

static intmax_t signed_arg(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (signed char)va_arg(*ap, int);
	case LEN_H: return (short)va_arg(*ap, int);
	case LEN_L: return va_arg(*ap, long);
	case LEN_LL: return va_arg(*ap, long long);
	case LEN_J: return va_arg(*ap, intmax_t);
	case LEN_Z: return va_arg(*ap, ssize_t);
	case LEN_T: return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static uintmax_t unsigned_arg(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH: return (unsigned char)va_arg(*ap, unsigned);
	case LEN_H: return (unsigned short)va_arg(*ap, unsigned);
	case LEN_L: return va_arg(*ap, unsigned long);
	case LEN_LL: return va_arg(*ap, unsigned long long);
	case LEN_J: return va_arg(*ap, uintmax_t);
	case LEN_Z: return va_arg(*ap, size_t);
	case LEN_T: return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned);
	}
}

/* What a conversion it does not know leaves: the rest of the format as written, and no
 * argument read after it (its type is unknown, so every later one would be out of step).
 * Returns the last character, where the format's loop ends. */
static const char *rest_as_written(struct out *o, const char *start)
{
	size_t k = strlen(start);

	put_n(o, start, k);
	return start + k - 1;
}

/* One conversion, from the '%' at start; returns where the format goes on, or NULL when a
 * width or precision is too large. */
static const char *convert(struct out *o, const char *start, va_list *ap)
{
	struct spec s = { 0 };
	enum length len;
	const char *p = parse_spec(start + 1, &s, ap);

	if (p == NULL)
		return NULL;
	p = parse_length(p, &len);
	switch (*p) {
	case 'd':
	case 'i': {
		intmax_t v = signed_arg(len, ap);
		uintmax_t u = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
		put_int(o, &s, u, v < 0, true, 10, false);
		break;
	}
	case 'u':
	case 'o':
	case 'x':
	case 'X':
		put_int(o, &s, unsigned_arg(len, ap), false, false,
			*p == 'u'   ? 10
			: *p == 'o' ? 8
				    : 16,
			*p == 'X');
		break;
	case 'p': { /* glibc's form, so that the test can compare */
		void *ptr;
		if (len != LEN_NONE)
			return rest_as_written(o, start);
		ptr = va_arg(*ap, void *);
		s.alt = true;
		if (ptr == NULL)
			put_field(o, &s, "(nil)", 5);
		else
			put_int(o, &s, (uintptr_t)ptr, false, false, 16, false);
		break;
	}
	case 'c': {
		char c;
		if (len != LEN_NONE) /* %lc: a wide character */
			return rest_as_written(o, start);
		c = (char)va_arg(*ap, int);
		put_field(o, &s, &c, 1);
		break;
	}
	case 's': {
		const char *str;
		if (len != LEN_NONE) /* %ls: a wide string */
			return rest_as_written(o, start);
		str = va_arg(*ap, const char *);
		if (str == NULL)
			str = s.prec < 0 || s.prec >= 6 ? "(null)" : "";
		put_field(o, &s, str, s.prec < 0 ? strlen(str) : strnlen(str, (size_t)s.prec));
		break;
	}
	case '%': put(o, '%'); break;
	case 'e':
	case 'E':
	case 'f':
	case 'F':
	case 'g':
	case 'G':
	case 'a':
	case 'A':
		/* Not formatted: shown as written. A double ("l" changes nothing) is read so that
		 * the next argument stays in step; any other length ("L" is not one it knows) is
		 * a type it cannot read. */
		if (len != LEN_NONE && len != LEN_L)
			return rest_as_written(o, start);
		(void)va_arg(*ap, double);
		put_n(o, start, (size_t)(p + 1 - start));
		break;
	case 'n': /* writes through a pointer: never; the pointer is read, the text kept */
		(void)va_arg(*ap, void *);
		put_n(o, start, (size_t)(p + 1 - start));
		break;
	case '\0': /* a lone '%' at the end: dropped */ return p - 1;
	default: /* L, q, ', C, S, m, ...: the rest as written */ return rest_as_written(o, start);
	}
	return p;
}

int fmt_vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct out o = { buf, n, 0 };
	va_list aq;

	va_copy(aq, ap);
	for (const char *p = fmt; *p && o.len <= INT_MAX; p++) {
		if (*p == '%') {
			p = convert(&o, p, &aq);
		} else { /* the text up to the next conversion in one copy */
			const char *q = strchrnul(p, '%');
			put_n(&o, p, (size_t)(q - p));
			p = q - 1;
		}
		if (p == NULL) {
			o.len = (size_t)INT_MAX + 1;
			break;
		}
	}
	va_end(aq);
	if (n)
		buf[o.len < n ? o.len : n - 1] = '\0';
	if (o.len > INT_MAX) {
		errno = EOVERFLOW;
		return -1;
	}
	return (int)o.len;
}

int fmt_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = fmt_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

int fmt_asprintf(char **out, const char *fmt, ...)
{
	va_list ap;
	int r;

	*out = NULL;
	va_start(ap, fmt);
	r = fmt_vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (r < 0 || (*out = malloc((size_t)r + 1)) == NULL)
		return -1;
	va_start(ap, fmt);
	fmt_vsnprintf(*out, (size_t)r + 1, fmt, ap);
	va_end(ap);
	return r;
}

int fmt_dprintf(int fd, const char *fmt, ...)
{
	char small[256], *text = small;
	va_list ap;
	int r;
	size_t done = 0;

	va_start(ap, fmt);
	r = fmt_vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (r < 0)
		return -errno;
	if ((size_t)r >= sizeof(small)) {
		if ((text = malloc((size_t)r + 1)) == NULL)
			return -ENOMEM;
		va_start(ap, fmt);
		fmt_vsnprintf(text, (size_t)r + 1, fmt, ap);
		va_end(ap);
	}
	while (done < (size_t)r) {
		ssize_t w = write(fd, text + done, (size_t)r - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			r = -errno;
			break;
		}
		done += (size_t)w;
	}
	if (text != small)
		free(text);
	return r < 0 ? r : 0;
}

/* Days are counted from 0000-03-01 in the proleptic Gregorian calendar, in eras of 400 years
 * (146,097 days each): a year that starts in March ends with the leap day, so that the
 * months' lengths repeat every five months (153 days) and need no table. */
int fmt_utc(char *buf, size_t n, long long secs)
{
	long long days = secs / 86400, sod = secs % 86400;
	long long z, era, doe, yoe, doy, mp, year, month, day;

	if (sod < 0) {
		sod += 86400;
		days--;
	}
	z = days + 719468; /* 1970-01-01 is day 719,468 after 0000-03-01 */
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;					     /* 0 .. 146,096 */
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* 0 .. 399 */
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);		     /* 0 .. 365 */
	mp = (5 * doy + 2) / 153; /* 0 = March .. 11 = February */
	day = doy - (153 * mp + 2) / 5 + 1;
	month = mp < 10 ? mp + 3 : mp - 9;
	year = yoe + era * 400 + (month <= 2);
	return fmt_snprintf(buf, n, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", year, month, day,
			    sod / 3600, sod / 60 % 60, sod % 60);
}
