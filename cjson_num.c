/* cJSON as rtexec links it: its numbers parsed and printed by jsonnum.c instead of the C
 * library's strtod, sprintf and sscanf (musl's bring its floating-point formatting and scanning
 * into the static binary). The C library's headers come first, so the names below change only
 * cJSON's own calls. Every build links this file: the static binary, the unit tests, the
 * ASan and fuzz builds, so the tests run the cJSON the binary ships. */
#include <ctype.h>
#include <float.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonnum.h"

/* Fortified headers may have made them macros (glibc's sprintf, under clang). */
#undef strtod
#undef sprintf
#undef sscanf
#define strtod jsonnum_strtod
#define sprintf jsonnum_sprintf
#define sscanf jsonnum_sscanf
#include "cJSON.c"
