/* Test helper: a FUSE server that never answers, the file system a hostile container can
 * serve. fusehang DIR [FD] mounts it on DIR (root; FD: an open /dev/fuse, for a root without
 * one, else /dev/fuse is opened), answers the kernel's INIT, then
 * takes every later request and never replies: a process that looks a name up in DIR waits
 * for ever, and once the request is taken not even SIGKILL ends the wait. Prints "ready"
 * when mounted; runs until killed (the kernel then fails the waiting requests). A test
 * helper (static musl, raw /dev/fuse, no libfuse): not part of rtexec. */
#include <fcntl.h>
#include <linux/fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char buf[1 << 20];
	char opts[128];
	int fd;
	ssize_t n;

	fd = argc == 3 ? atoi(argv[2]) : open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (argc < 2 || argc > 3 || fd < 0) {
		perror("fusehang: /dev/fuse");
		return 2;
	}
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0,allow_other", fd);
	if (mount("fusehang", argv[1], "fuse", MS_NOSUID | MS_NODEV, opts) < 0) {
		perror("fusehang: mount");
		return 2;
	}
	puts("ready");
	fflush(stdout);
	for (;;) {
		struct fuse_in_header *in = (struct fuse_in_header *)buf;

		if ((n = read(fd, buf, sizeof(buf))) < (ssize_t)sizeof(*in))
			continue;
		if (in->opcode == FUSE_INIT) {
			struct {
				struct fuse_out_header h;
				struct fuse_init_out o;
			} r;
			memset(&r, 0, sizeof(r));
			r.h.len = sizeof(r);
			r.h.unique = in->unique;
			r.o.major = FUSE_KERNEL_VERSION;
			r.o.minor = FUSE_KERNEL_MINOR_VERSION;
			r.o.max_write = 4096;
			r.o.max_readahead = 4096;
			if (write(fd, &r, sizeof(r)) < 0)
				perror("fusehang: INIT reply");
		}
		/* Anything else: taken, never answered. */
	}
}
