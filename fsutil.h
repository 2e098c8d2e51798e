/* Small file helpers shared by the files that read /proc and /sys. */
#ifndef RTEXEC_FSUTIL_H
#define RTEXEC_FSUTIL_H
#include <stddef.h>

/* Reads up to n-1 bytes of dirfd/path (AT_FDCWD for plain paths) and NUL-terminates them.
 * Non-blocking, so a FIFO planted in a container cannot stall rtexec. 0 or -errno. */
int read_file(int dirfd, const char *path, char *buf, size_t n);

#endif
