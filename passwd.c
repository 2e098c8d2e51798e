#include "passwd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Field i (0-based) of a passwd line [line, end) as [*start, *stop). */
static int field(const char *line, const char *end, int i, const char **start, const char **stop)
{
	const char *p = line;

	for (; i > 0; i--) {
		p = memchr(p, ':', (size_t)(end - p));
		if (p == NULL)
			return -1;
		p++;
	}
	*start = p;
	*stop = memchr(p, ':', (size_t)(end - p));
	if (*stop == NULL)
		*stop = end;
	return 0;
}

static int line_uid(const char *line, const char *end, unsigned long *uid)
{
	const char *s, *t;
	char num[16];
	char *stop;

	if (field(line, end, 2, &s, &t) < 0 || t == s || (size_t)(t - s) >= sizeof(num))
		return -1;
	memcpy(num, s, (size_t)(t - s));
	num[t - s] = '\0';
	if (num[0] < '0' || num[0] > '9')
		return -1;
	*uid = strtoul(num, &stop, 10);
	return *stop == '\0' ? 0 : -1;
}

int passwd_home(const char *text, uid_t uid, char *home, size_t n)
{
	for (const char *line = text; *line;) {
		const char *end = strchr(line, '\n'), *s, *t;
		unsigned long u;

		if (end == NULL)
			end = line + strlen(line);
		if (line[0] != '#' && line_uid(line, end, &u) == 0 && u == uid &&
		    field(line, end, 5, &s, &t) == 0 && t > s && (size_t)(t - s) < n) {
			memcpy(home, s, (size_t)(t - s));
			home[t - s] = '\0';
			return 0;
		}
		line = *end ? end + 1 : end;
	}
	return -1;
}

const char *env_get(char *const *env, const char *name)
{
	size_t n = strlen(name);

	for (; env && *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}
