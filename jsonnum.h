/* The three C library calls cJSON makes for numbers, as every build gives them to it
 * (cjson_num.c compiles cJSON.c with strtod named jsonnum_strtod and the like): without them,
 * musl's floating-point printf and scanf are 20 KiB of the binary, for numbers that rtexec
 * reads from their text (jsonutil.c) and only ever prints as integers.
 *
 * jsonnum_strtod: the prefix C's strtod takes of what cJSON hands it (the characters
 * "0123456789+-.eE"), exactly; its value exact for integers of up to 19 digits, otherwise
 * within a few units in the last place (rtexec never uses such a value: jsonutil.c reads
 * every number it uses from its source text).
 * jsonnum_sprintf: "%1.15g" and "%1.17g" of an integral double below 2^64 in magnitude,
 * written out in full; any other double is refused (-1: cJSON then fails to print), as rtexec
 * never prints one. Every other format goes to fmt.c.
 * jsonnum_sscanf: "%lg" by jsonnum_strtod. */
#ifndef RTEXEC_JSONNUM_H
#define RTEXEC_JSONNUM_H

#include "log.h"

double jsonnum_strtod(const char *s, char **end);
int jsonnum_sprintf(char *buf, const char *fmt, ...) PRINTF(2, 3);
int jsonnum_sscanf(const char *s, const char *fmt, ...) __attribute__((format(scanf, 2, 3)));

#endif
