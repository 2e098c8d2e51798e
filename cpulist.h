/* CPU masks of any size (no 64- or 1024-CPU limit) and the kernel's CPU list format
 * ("0-3,8"). Pure: the config validates lists with it, affinity.c computes with it. */
#ifndef RTEXEC_CPULIST_H
#define RTEXEC_CPULIST_H
#include <stdbool.h>
#include <stddef.h>

#include "log.h"

#define LONG_BITS (sizeof(unsigned long) * 8)

struct cpumask {
	unsigned long *bits;
	size_t nbits;
};

/* 0, or -ENOMEM. */
int cpumask_init(struct cpumask *m, size_t nbits);
void cpumask_free(struct cpumask *m);
void cpumask_set(struct cpumask *m, size_t cpu);
bool cpumask_test(const struct cpumask *m, size_t cpu);
/* The lowest (highest) CPU of m, or -1 if m is empty. */
long cpumask_first(const struct cpumask *m);
long cpumask_last(const struct cpumask *m);

/* The kernel's list format: blanks around elements, empty elements skipped; "a-b" needs
 * a <= b; no signs; CPUs must be below ncpus. Allocates out (ncpus bits). */
int cpulist_parse(const char *text, size_t ncpus, struct cpumask *out, struct rterr *e);
/* Canonical form of m into a malloc'd *out ("" for an empty mask). 0, or -ENOMEM. */
int cpulist_format(const struct cpumask *m, char **out);

#endif
