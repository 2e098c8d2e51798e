/* Small file helpers shared by the files that read /proc and /sys. */
#ifndef RTEXEC_FSUTIL_H
#define RTEXEC_FSUTIL_H
#include <stdbool.h>
#include <stddef.h>

/* Reads dirfd/path (AT_FDCWD for plain paths) into buf and NUL-terminates it. Non-blocking,
 * so a FIFO planted in a container cannot stall rtexec. 0, or -errno: -EFBIG when the file
 * does not fit in n-1 bytes (never a silently cut list). */
int read_file(int dirfd, const char *path, char *buf, size_t n);
/* The same from an open fd. */
int read_fd(int fd, char *buf, size_t n);
/* Its first read only, up to n-1 bytes, for files the kernel builds as they are read (a
 * numa_maps of thousands of lines, of which the first is wanted): 0 when it gave any, else -1. */
int read_file_head(int dirfd, const char *path, char *buf, size_t n);
/* The same into a malloc'd buffer (*out) of any size up to max. 0, or -errno. */
int read_file_alloc(int dirfd, const char *path, size_t max, char **out);

/* Opens a caller-given path for reading without side effects and without waiting: O_PATH
 * first, then, if it is a regular file (or, with fifo_ok, a FIFO), reopened O_RDONLY through
 * /proc/self/fd, non-blocking for a FIFO whose writer is not there yet (then set blocking).
 * A device planted there is never opened, a FIFO never waited on. The fd, or -errno:
 * -EMEDIUMTYPE for any other kind of file. */
int open_regular(const char *path, bool fifo_ok);

/* strstr, simply: what rtexec searches is short (a /proc line, a path), and musl's two-way
 * strstr is 1.3 KiB of the binary. */
const char *str_find(const char *text, const char *pat);

/* The unsigned number whose digits start at s, in base 10 or 16 (no other): digits only, no
 * space, sign or "0x" before them (every caller reads a field the kernel or the config wrote,
 * and checks what precedes it). *end is set after the last digit (to s when there is none).
 * 0; -EINVAL when s starts with no digit; -ERANGE past 2^64 - 1 (*v is then ULLONG_MAX). The
 * stand-in for strtoull, whose musl scanner is 2 KiB of the binary. */
int str_u64(const char *s, unsigned base, unsigned long long *v, const char **end);

/* A table of names packed into one string literal, each name ended by its NUL and the table
 * by an empty name, e.g. "CAP_CHOWN\0" "CAP_KILL\0" (the literal's own NUL ends it). No
 * pointers (in a PIE each is a relocation at start) and no fixed width (a name one byte too
 * long for one would lose its NUL unseen). name_at: the i-th name, NULL past the end;
 * name_index: the index of name, -1 when absent. */
const char *name_at(const char *names, int i);
int name_index(const char *names, const char *name);

#endif
