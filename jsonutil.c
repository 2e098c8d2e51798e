#include "jsonutil.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

long json_find_nul(const char *text, size_t len)
{
	bool in_string = false;

	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\0')
			return (long)i;
		if (text[i] == '"') {
			in_string = !in_string;
		} else if (in_string && text[i] == '\\' && i + 1 < len) {
			if (text[i + 1] == 'u' && i + 5 < len && strncmp(text + i + 2, "0000", 4) == 0)
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
			return rterr_set(e, 0, "line %d column %d: trailing data after the JSON document",
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
	snprintf(buf, n, "%s%s%s", parent, *parent ? "." : "", key);
	return buf;
}

const char *json_index_path(char *buf, size_t n, const char *parent, size_t i)
{
	snprintf(buf, n, "%s[%zu]", parent, i);
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

int json_keys(const cJSON *obj, const char *path, const char *const *allowed, struct rterr *e)
{
	char sub[512];

	for (const cJSON *it = obj->child; it; it = it->next) {
		json_key_path(sub, sizeof(sub), path, it->string);
		if (allowed && !allowed_key(it->string, allowed))
			return rterr_set(e, 0, "%s: unknown key", sub);
		for (const cJSON *other = obj->child; other != it; other = other->next)
			if (strcmp(other->string, it->string) == 0)
				return rterr_set(e, 0, "%s: key given twice", sub);
	}
	return 0;
}

/* The exact value of an integer written as plain digits; -1 for other forms, -2 on overflow. */
static int raw_integer(const cJSON *it, bool *negative, unsigned long long *v)
{
	const char *p = it->valuestring;
	char *end;

	if (p == NULL || strpbrk(p, ".eE"))
		return -1;
	*negative = *p == '-';
	errno = 0;
	*v = strtoull(p + *negative, &end, 10);
	if (errno == ERANGE)
		return -2;
	return *end == '\0' ? 0 : -1;
}

static int out_of_range(const cJSON *it, const char *path, double min, double max, struct rterr *e)
{
	const char *shown = it->valuestring;
	char buf[40];

	if (shown == NULL) {
		snprintf(buf, sizeof(buf), "%.17g", it->valuedouble);
		shown = buf;
	}
	return rterr_set(e, 0, "%s: %s is out of range (%.17g..%.17g)", path, shown, min, max);
}

int json_int(const cJSON *it, const char *path, double min, double max, long long *out,
	     struct rterr *e)
{
	unsigned long long u;
	bool neg;
	double v;
	int r;

	if (!cJSON_IsNumber(it))
		return rterr_set(e, 0, "%s: expected an integer", path);
	r = raw_integer(it, &neg, &u);
	if (r == -2 || (r == 0 && u > (unsigned long long)JSON_MAX_EXACT))
		return out_of_range(it, path, min, max, e);
	v = r == 0 ? (neg ? -(double)u : (double)u) : it->valuedouble;
	if (!isfinite(v) || floor(v) != v)
		return rterr_set(e, 0, "%s: expected an integer", path);
	if (v < min || v > max)
		return out_of_range(it, path, min, max, e);
	*out = (long long)v;
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

int json_u64(const cJSON *it, const char *path, unsigned long long *out, struct rterr *e)
{
	unsigned long long u;
	bool neg;
	int r;

	if (!cJSON_IsNumber(it))
		return rterr_set(e, 0, "%s: expected an integer", path);
	r = raw_integer(it, &neg, &u);
	if (r == 0 && !neg && (u == ~0ULL || (unsigned long long)(double)u == u)) {
		*out = u;
		return 0;
	}
	if (r == 0 && !neg)
		return rterr_set(e, 0, "%s: %s is not exactly representable (JSON numbers are doubles)",
				 path, it->valuestring);
	return json_uint(it, path, JSON_MAX_EXACT, out, e);
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
