#include "fsutil.h"
#include "syscalls.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"

int read_fd(int fd, char *buf, size_t n)
{
	size_t len = 0;
	ssize_t r = 0;
	char more;

	while (len + 1 < n && (r = read(fd, buf + len, n - 1 - len)) != 0) {
		if (r < 0 && errno != EINTR)
			return -errno;
		len += r > 0 ? (size_t)r : 0;
	}
	if (len + 1 >= n && read(fd, &more, 1) > 0)
		return -EFBIG;
	buf[len] = '\0';
	return 0;
}

int read_file(int dirfd, const char *path, char *buf, size_t n)
{
	int fd = sys_openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0), r;

	if (fd < 0)
		return -errno;
	r = read_fd(fd, buf, n);
	close(fd);
	return r;
}

int read_file_head(int dirfd, const char *path, char *buf, size_t n)
{
	int fd = sys_openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
	ssize_t r;

	if (fd < 0)
		return -1;
	r = read(fd, buf, n - 1);
	close(fd);
	buf[r > 0 ? r : 0] = '\0';
	return r > 0 ? 0 : -1;
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
			/* Shrunk to what was read: the allocator steps back over the rest (a
			 * 4 KiB buffer held for a 200-byte file left the next blocks a page on). */
			nb = realloc(buf, strlen(buf) + 1);
			*out = nb ? nb : buf;
			return 0;
		}
		if (r != -EFBIG || n >= max)
			break;
		n *= 4;
	}
	free(buf);
	return r;
}

int open_regular(const char *path, bool fifo_ok)
{
	char again[32];
	struct stat st;
	int pfd = sys_open(path, O_PATH | O_CLOEXEC, 0), fd, err = 0;

	if (pfd < 0)
		return -errno;
	if (fstat(pfd, &st) < 0)
		err = -errno;
	else if (!S_ISREG(st.st_mode) && !(fifo_ok && S_ISFIFO(st.st_mode)))
		err = -EMEDIUMTYPE;
	fmt_snprintf(again, sizeof(again), "/proc/self/fd/%d", pfd);
	fd = err ? -1 : sys_open(again, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
	if (!err && fd < 0)
		err = -errno;
	close(pfd);
	if (err)
		return err;
	if (S_ISFIFO(st.st_mode))
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int str_u64(const char *s, unsigned base, unsigned long long *v, const char **end)
{
	const char *p = s;
	bool over = false;

	*v = 0;
	for (;; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if (base == 16 && (*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			d = (unsigned)((*p | 0x20) - 'a' + 10);
		else
			break;
		if (*v > (ULLONG_MAX - d) / base)
			over = true;
		else
			*v = *v * base + d;
	}
	if (end)
		*end = p;
	if (p == s)
		return -EINVAL;
	if (over) {
		*v = ULLONG_MAX;
		return -ERANGE;
	}
	return 0;
}

const char *str_find(const char *text, const char *pat)
{
	size_t n = strlen(pat);

	if (n == 0)
		return text;
	/* strchr (word at a time) to each candidate: a /proc/PID/status searched for "\nKey:"
	 * is then a step a line, not a strncmp a byte (100,000 instructions a join). */
	for (; (text = strchr(text, pat[0])) != NULL; text++)
		if (strncmp(text, pat, n) == 0)
			return text;
	return NULL;
}

const char *name_at(const char *names, int i)
{
	if (i < 0)
		return NULL;
	for (; *names; names += strlen(names) + 1)
		if (i-- == 0)
			return names;
	return NULL;
}

int name_index(const char *names, const char *name)
{
	for (int i = 0; *names; names += strlen(names) + 1, i++)
		if (strcmp(names, name) == 0)
			return i;
	return -1;
}
