#include "jsonutil.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "fsutil.h"

long json_find_nul(const char *text, size_t len)
{
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\0')
			return (long)i;
		if (text[i] == '"') {
			in_string = !in_string;
		} else if (in_string && text[i] == '\\' && i + 1 < len) {
			if (text[i + 1] == 'u' && i + 5 < len &&
			    strncmp(text + i + 2, "0000", 4) == 0)
				return (long)i;
			i++; /* skip the escaped character, an escaped quote included */
		}
	}
	return -1;
}

/* Length of the JSON number (RFC 8259 grammar) at p, 0 if p holds none. cJSON itself is
 * lenient (it takes "01" or "1."), so rtexec checks the grammar. */
static size_t number_len(const char *p, const char *end)
{
	const char *q = p;

	if (q < end && *q == '-')
		q++;
	if (q < end && *q == '0')
		q++;
	else if (q < end && *q >= '1' && *q <= '9')
		while (q < end && *q >= '0' && *q <= '9')
			q++;
	else
		return 0;
	if (q < end && *q == '.') {
		if (++q >= end || *q < '0' || *q > '9')
			return 0;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < end && (*q == 'e' || *q == 'E')) {
		if (++q < end && (*q == '+' || *q == '-'))
			q++;
		if (q >= end || *q < '0' || *q > '9')
			return 0;
		while (q < end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < end && strchr("0123456789.eE+-", *q))
		return 0; /* "01", "1.2.3": more number characters than the grammar allows */
	return (size_t)(q - p);
}

/* The next number token outside strings, from *pos on; NULL when none is left. */
static const char *next_number(const char *text, size_t len, size_t *pos, size_t *n)
{
	bool in_string = false;

	for (; *pos < len; (*pos)++) {
		char ch = text[*pos];
		if (in_string) {
			if (ch == '\\')
				(*pos)++;
			else if (ch == '"')
				in_string = false;
		} else if (ch == '"') {
			in_string = true;
		} else if (ch == '-' || (ch >= '0' && ch <= '9')) {
			const char *at = text + *pos;
			*n = number_len(at, text + len);
			*pos += *n ? *n : 1;
			return at;
		}
	}
	return NULL;
}

/* cJSON keeps numbers as doubles only. Every number item gets its source text in valuestring
 * (cJSON_Delete frees it), matched in document order, so integers are read exactly. */
static int attach_number_text(cJSON *it, const char *text, size_t len, size_t *pos,
			      const char **bad)
{
	for (; it; it = it->next) {
		if (cJSON_IsNumber(it)) {
			size_t n = 0;
			const char *at = next_number(text, len, pos, &n);
			if (at == NULL || n == 0) {
				*bad = at ? at : text + len;
				return -1;
			}
			it->valuestring = strndup(at, n);
			if (it->valuestring == NULL)
				return -1;
		}
		if (it->child && attach_number_text(it->child, text, len, pos, bad) < 0)
			return -1;
	}
	return 0;
}

static void position(const char *text, const char *at, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (const char *p = text; p < at; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

int json_parse(const char *text, size_t len, cJSON **out, struct rterr *e)
{
	const char *end = NULL;
	size_t blank = 0;
	int line, col;
	long nul = json_find_nul(text, len);

	if (nul >= 0) {
		position(text, text + nul, &line, &col);
		return rterr_set(e, 0, "line %d column %d: NUL bytes are not allowed", line, col);
	}
	while (blank < len && strchr(" \t\r\n", text[blank]))
		blank++;
	if (blank == len)
		return rterr_set(e, 0, "empty document: expected a JSON object");
	*out = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (*out == NULL) {
		if (end == NULL || end < text || end > text + len)
			end = text;
		position(text, end, &line, &col);
		return rterr_set(e, 0, "line %d column %d: invalid JSON", line, col);
	}
	for (; end < text + len; end++) {
		if (!strchr(" \t\r\n", *end)) {
			position(text, end, &line, &col);
			cJSON_Delete(*out);
			*out = NULL;
			return rterr_set(e, 0,
					 "line %d column %d: trailing data after the JSON document",
					 line, col);
		}
	}
	blank = 0;
	if (attach_number_text(*out, text, len, &blank, &end) < 0) {
		position(text, end, &line, &col);
		cJSON_Delete(*out);
		*out = NULL;
		return rterr_set(e, 0, "line %d column %d: invalid number", line, col);
	}
	return 0;
}

const char *json_key_path(char *buf, size_t n, const char *parent, const char *key)
{
	fmt_snprintf(buf, n, "%s%s%s", parent, *parent ? "." : "", key);
	return buf;
}

const char *json_index_path(char *buf, size_t n, const char *parent, size_t i)
{
	fmt_snprintf(buf, n, "%s[%zu]", parent, i);
	return buf;
}

int json_object(const cJSON *it, const char *path, struct rterr *e)
{
	if (!cJSON_IsObject(it))
		return rterr_set(e, 0, "%s: expected an object", *path ? path : "document");
	return 0;
}

static bool allowed_key(const char *key, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(key, *allowed) == 0)
			return true;
	return false;
}

/* Heapsort by strcmp: O(n log n) on a hostile config, without musl's qsort (2 KiB). */
static void sift_down(const char **v, size_t top, size_t n)
{
	for (size_t child; (child = 2 * top + 1) < n; top = child) {
		if (child + 1 < n && strcmp(v[child], v[child + 1]) < 0)
			child++;
		if (strcmp(v[top], v[child]) >= 0)
			return;
		const char *t = v[top];
		v[top] = v[child];
		v[child] = t;
	}
}

static void sort_names(const char **v, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (size_t end = n; end-- > 1;) {
		const char *t = v[0];
		v[0] = v[end];
		v[end] = t;
		sift_down(v, 0, end);
	}
}

/* A key given twice, found by sorting: objects may hold a million annotations. */
static const char *duplicate_key(const cJSON *obj, size_t n)
{
	const char **names = malloc(n * sizeof(*names));
	const char *dup = NULL;
	size_t i = 0;

	if (names == NULL)
		return NULL;
	for (const cJSON *it = obj->child; it; it = it->next)
		names[i++] = it->string;
	sort_names(names, n);
	for (i = 1; i < n && dup == NULL; i++)
		if (strcmp(names[i - 1], names[i]) == 0)
			dup = names[i];
	free(names);
	return dup;
}

int json_keys(const cJSON *obj, const char *path, const char *const *allowed, struct rterr *e)
{
	char sub[512];
	const char *dup;
	size_t n = 0;

	for (const cJSON *it = obj->child; it; it = it->next, n++) {
		json_key_path(sub, sizeof(sub), path, it->string);
		if (allowed && !allowed_key(it->string, allowed))
			return rterr_set(e, 0, "%s: unknown key", sub);
	}
	if (n > 1 && (dup = duplicate_key(obj, n)) != NULL)
		return rterr_set(e, 0, "%s: key given twice",
				 json_key_path(sub, sizeof(sub), path, dup));
	return 0;
}

/* An item built without source text (not by json_parse): its double is all there is. */
static int double_integer(double d, bool *negative, unsigned long long *v)
{
	if (!isfinite(d) || floor(d) != d)
		return -EDOM;
	*negative = d < 0;
	d = fabs(d);
	if (d >= 18446744073709551616.0)
		return -ERANGE;
	*v = (unsigned long long)d;
	return 0;
}

/* The exact value of a JSON number's source text, which must be written as an integer:
 * "1.0" and "1e0" are refused where an integer is required, as runc (Go's encoding/json)
 * refuses them. 0 if it fits in 64 bits, -EDOM if it is no integer, -ERANGE if it does not
 * fit. Decimal arithmetic on the text: a double would round. */
static int raw_integer(const cJSON *it, bool *negative, unsigned long long *v)
{
	const char *p = it->valuestring;
	const char *end;

	if (p == NULL)
		return double_integer(it->valuedouble, negative, v);
	*negative = *p == '-';
	p += *negative;
	if (*p < '0' || *p > '9' || strpbrk(p, ".eE"))
		return -EDOM;
	if (str_u64(p, 10, v, &end) == -ERANGE)
		return -ERANGE;
	return *end == '\0' ? 0 : -EDOM;
}

/* The value of a number item for a message: its source text, or, for an item built without
 * one (whose double_integer() said it is an integer), the integer. rtexec formats no
 * floating point (fmt.h). */
static const char *shown_number(const cJSON *it, char *buf, size_t n)
{
	double d = it->valuedouble;

	if (it->valuestring)
		return it->valuestring;
	if (fabs(d) < 18446744073709551616.0)
		fmt_snprintf(buf, n, "%s%llu", d < 0 ? "-" : "", (unsigned long long)fabs(d));
	else
		fmt_snprintf(buf, n, "%s", d < 0 ? "below -2^64" : "2^64 or more");
	return buf;
}

/* min and max are integers within +-2^53 (JSON_MAX_EXACT), where doubles are exact. */
static int out_of_range(const cJSON *it, const char *path, double min, double max, struct rterr *e)
{
	char buf[32];

	return rterr_set(e, 0, "%s: %s is out of range (%lld..%lld)", path,
			 shown_number(it, buf, sizeof(buf)), (long long)min, (long long)max);
}

/* raw_integer() of a number item: 0 or -ERANGE (too large, no message yet), or -1 with
 * "expected an integer". */
static int integer_item(const cJSON *it, const char *path, bool *neg, unsigned long long *u,
			struct rterr *e)
{
	int r = cJSON_IsNumber(it) ? raw_integer(it, neg, u) : -EDOM;

	if (r == -EDOM)
		return rterr_set(e, 0, "%s: expected an integer", path);
	return r;
}

int json_int(const cJSON *it, const char *path, double min, double max, long long *out,
	     struct rterr *e)
{
	unsigned long long u;
	bool neg;
	int r = integer_item(it, path, &neg, &u, e);

	if (r == -1)
		return -1;
	/* min and max are integers within +-2^53, where doubles are exact. */
	if (r == -ERANGE || u > (unsigned long long)JSON_MAX_EXACT ||
	    (neg ? -(double)u < min : (double)u > max))
		return out_of_range(it, path, min, max, e);
	*out = neg ? -(long long)u : (long long)u;
	return 0;
}

int json_uint(const cJSON *it, const char *path, double max, unsigned long long *out,
	      struct rterr *e)
{
	long long v;
	int r = json_int(it, path, 0, max > JSON_MAX_EXACT ? JSON_MAX_EXACT : max, &v, e);

	if (r == 0)
		*out = (unsigned long long)v;
	return r;
}

/* Whether a double holds u exactly: at most 53 significant bits. (Converting u to double and
 * back is no test: 2^64-2 rounds to 2^64, which no unsigned long long holds: UB, found by
 * the fuzzer.) */
static bool double_exact(unsigned long long u)
{
	int bits = 64 - __builtin_clzll(u | 1);

	return bits <= 53 || (u & ((1ULL << (bits - 53)) - 1)) == 0;
}

static int out_of_range_u64(const cJSON *it, const char *path, struct rterr *e)
{
	char buf[32];

	return rterr_set(e, 0, "%s: %s is out of range (0..18446744073709551615)", path,
			 shown_number(it, buf, sizeof(buf)));
}

int json_u64(const cJSON *it, const char *path, unsigned long long *out, struct rterr *e)
{
	unsigned long long u;
	bool neg;
	int r = integer_item(it, path, &neg, &u, e);

	if (r == -1)
		return -1;
	if (r == -ERANGE || (neg && u != 0))
		return out_of_range_u64(it, path, e);
	if (u != ~0ULL && !double_exact(u))
		return rterr_set(e, 0,
				 "%s: %llu is not exactly representable (JSON numbers are doubles)",
				 path, u);
	*out = u;
	return 0;
}

int json_bool(const cJSON *it, const char *path, bool *out, struct rterr *e)
{
	if (!cJSON_IsBool(it))
		return rterr_set(e, 0, "%s: expected true or false", path);
	*out = cJSON_IsTrue(it);
	return 0;
}

int json_string(const cJSON *it, const char *path, bool nonempty, char **out, struct rterr *e)
{
	if (!cJSON_IsString(it) || it->valuestring == NULL)
		return rterr_set(e, 0, "%s: expected a string", path);
	if (nonempty && it->valuestring[0] == '\0')
		return rterr_set(e, 0, "%s: must not be empty", path);
	*out = it->valuestring;
	return 0;
}

int json_strings(const cJSON *arr, const char *path, char ***out, size_t *n, struct rterr *e)
{
	char sub[512];
	size_t count = 0;
	char **v;

	if (!cJSON_IsArray(arr))
		return rterr_set(e, 0, "%s: expected an array of strings", path);
	for (const cJSON *it = arr->child; it; it = it->next)
		count++;
	v = calloc(count + 1, sizeof(*v));
	if (v == NULL)
		return rterr_set(e, ENOMEM, "%s", path);
	count = 0;
	for (const cJSON *it = arr->child; it; it = it->next, count++) {
		json_index_path(sub, sizeof(sub), path, count);
		if (json_string(it, sub, false, &v[count], e) < 0) {
			free(v);
			return -1;
		}
	}
	*out = v;
	*n = count;
	return 0;
}
