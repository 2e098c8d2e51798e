#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int read_file(int dirfd, const char *path, char *buf, size_t n)
{
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	size_t len = 0;
	ssize_t r = 0;
	int saved = 0;

	if (fd < 0)
		return -errno;
	while (len + 1 < n && (r = read(fd, buf + len, n - 1 - len)) != 0) {
		if (r < 0 && errno != EINTR) {
			saved = errno;
			break;
		}
		len += r > 0 ? (size_t)r : 0;
	}
	if (!saved && len + 1 >= n) {
		char more;
		if (read(fd, &more, 1) > 0)
			saved = EFBIG;
	}
	close(fd);
	if (saved)
		return -saved;
	buf[len] = '\0';
	return 0;
}

int read_file_alloc(int dirfd, const char *path, size_t max, char **out)
{
	size_t n = 4096;
	char *buf = NULL;
	int r;

	for (;;) {
		char *nb = realloc(buf, n);
		if (nb == NULL) {
			r = -ENOMEM;
			break;
		}
		buf = nb;
		r = read_file(dirfd, path, buf, n);
		if (r == 0) {
			*out = buf;
			return 0;
		}
		if (r != -EFBIG || n >= max)
			break;
		n *= 4;
	}
	free(buf);
	return r;
}
