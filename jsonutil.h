/* Strict typed access to a cJSON tree; every error names the JSON path it is about. */
#ifndef RTEXEC_JSONUTIL_H
#define RTEXEC_JSONUTIL_H
#include <stdbool.h>
#include <stddef.h>

#include "cJSON.h"
#include "log.h"

/* cJSON keeps every number as a double: above 2^53 - 1 two integers share one double, so a
 * larger value could be silently rounded. */
#define JSON_MAX_EXACT 9007199254740991.0

/* Parses a whole document: refuses NUL bytes (raw or \u0000, which cJSON would silently
 * truncate at), trailing garbage and invalid JSON, naming line and column. */
int json_parse(const char *text, size_t len, cJSON **out, struct rterr *e);
/* Byte offset of the first NUL in text, raw or as a \u0000 escape inside a string; -1 if none. */
long json_find_nul(const char *text, size_t len);

/* Child paths: "parent.key" / "parent[i]"; parent "" means the document root. */
const char *json_key_path(char *buf, size_t n, const char *parent, const char *key);
const char *json_index_path(char *buf, size_t n, const char *parent, size_t i);

int json_object(const cJSON *it, const char *path, struct rterr *e);
/* Refuses a key not in allowed (NULL-terminated; NULL: any key) and a key given twice. */
int json_keys(const cJSON *obj, const char *path, const char *const *allowed, struct rterr *e);
int json_uint(const cJSON *it, const char *path, double max, unsigned long long *out,
	      struct rterr *e);
int json_int(const cJSON *it, const char *path, double min, double max, long long *out,
	     struct rterr *e);
/* Any unsigned 64-bit integer a JSON double holds exactly, read from the source text, and
 * 18446744073709551615 (the OCI spelling of "unlimited"). */
int json_u64(const cJSON *it, const char *path, unsigned long long *out, struct rterr *e);
int json_bool(const cJSON *it, const char *path, bool *out, struct rterr *e);
int json_string(const cJSON *it, const char *path, bool nonempty, char **out, struct rterr *e);
/* A NULL-terminated, malloc'd vector of the array's strings (pointing into the tree). */
int json_strings(const cJSON *arr, const char *path, char ***out, size_t *n, struct rterr *e);

#endif
