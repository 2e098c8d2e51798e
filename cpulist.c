/* CPU masks of any size and the kernel's CPU list format. Pure: no I/O. */
#include "cpulist.h"
#include "fmt.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cpumask_init(struct cpumask *m, size_t nbits)
{
	m->nbits = nbits;
	m->bits = calloc((nbits + LONG_BITS - 1) / LONG_BITS + 1, sizeof(unsigned long));
	return m->bits ? 0 : -ENOMEM;
}

void cpumask_free(struct cpumask *m)
{
	free(m->bits);
	m->bits = NULL;
	m->nbits = 0;
}

void cpumask_set(struct cpumask *m, size_t cpu)
{
	if (cpu < m->nbits)
		m->bits[cpu / LONG_BITS] |= 1UL << (cpu % LONG_BITS);
}

bool cpumask_test(const struct cpumask *m, size_t cpu)
{
	return m->bits && cpu < m->nbits && (m->bits[cpu / LONG_BITS] >> (cpu % LONG_BITS)) & 1;
}

long cpumask_first(const struct cpumask *m)
{
	for (size_t i = 0; i < m->nbits; i++)
		if (cpumask_test(m, i))
			return (long)i;
	return -1;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	return p;
}

/* One decimal CPU number; no sign, below ncpus. */
static int parse_cpu(const char **p, size_t ncpus, size_t *cpu, const char *text, struct rterr *e)
{
	unsigned long long v = 0;
	const char *s = *p;

	if (*s < '0' || *s > '9')
		return rterr_set(e, 0, "\"%s\": expected a CPU number at \"%s\"", text, s);
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (unsigned)(*s - '0');
		if (v >= ncpus)
			return rterr_set(e, 0,
					 "\"%s\": CPU %.*s is beyond the kernel's limit of %zu "
					 "CPUs",
					 text, (int)strspn(*p, "0123456789"), *p, ncpus);
	}
	*cpu = (size_t)v;
	*p = s;
	return 0;
}

static int parse_element(const char **p, size_t ncpus, struct cpumask *out, const char *text,
			 struct rterr *e)
{
	size_t a, b;

	if (parse_cpu(p, ncpus, &a, text, e) < 0)
		return -1;
	b = a;
	if (**p == '-') {
		(*p)++;
		if (parse_cpu(p, ncpus, &b, text, e) < 0)
			return -1;
		if (b < a)
			return rterr_set(e, 0, "\"%s\": range %zu-%zu is reversed", text, a, b);
	}
	for (size_t c = a; c <= b; c++)
		cpumask_set(out, c);
	return 0;
}

int cpulist_parse(const char *text, size_t ncpus, struct cpumask *out, struct rterr *e)
{
	const char *p = text;

	if (cpumask_init(out, ncpus) < 0)
		return rterr_set(e, ENOMEM, "CPU list");
	for (;;) {
		p = skip_blanks(p);
		if (*p == '\0')
			return 0;
		if (*p != ',' && parse_element(&p, ncpus, out, text, e) < 0)
			break;
		p = skip_blanks(p);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\0')
			return 0;
		rterr_set(e, 0, "\"%s\": unexpected \"%c\"", text, *p);
		break;
	}
	cpumask_free(out);
	return -1;
}

int cpulist_format(const struct cpumask *m, char **out)
{
	size_t cap = 64, len = 0;
	char *s = malloc(cap);

	if (s == NULL)
		return -ENOMEM;
	s[0] = '\0';
	for (size_t i = 0; i < m->nbits; i++) {
		size_t j = i;
		char item[48];
		int n;

		if (!cpumask_test(m, i))
			continue;
		while (j + 1 < m->nbits && cpumask_test(m, j + 1))
			j++;
		n = j == i ? fmt_snprintf(item, sizeof(item), "%s%zu", len ? "," : "", i)
			   : fmt_snprintf(item, sizeof(item), "%s%zu-%zu", len ? "," : "", i, j);
		if (len + (size_t)n + 1 > cap) {
			char *ns = realloc(s, cap = 2 * (len + (size_t)n + 1));
			if (ns == NULL) {
				free(s);
				return -ENOMEM;
			}
			s = ns;
		}
		memcpy(s + len, item, (size_t)n + 1);
		len += (size_t)n;
		i = j;
	}
	*out = s;
	return 0;
}

long cpumask_last(const struct cpumask *m)
{
	for (size_t i = m->nbits; i > 0; i--)
		if (cpumask_test(m, i - 1))
			return (long)i - 1;
	return -1;
}
