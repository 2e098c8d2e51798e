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

int json_int(const cJSON *it, const char *path, double min, double max, long long *out,
	     struct rterr *e)
{
	double v;

	if (!cJSON_IsNumber(it))
		return rterr_set(e, 0, "%s: expected an integer", path);
	v = it->valuedouble;
	if (!isfinite(v) || floor(v) != v)
		return rterr_set(e, 0, "%s: expected an integer", path);
	if (v < min || v > max)
		return rterr_set(e, 0, "%s: %.17g is out of range (%.17g..%.17g)", path, v, min, max);
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
