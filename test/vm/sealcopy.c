/* The control of the guest's "sealed" test: sealcopy FILE write|future
 * Copies FILE into a memfd with sendfile and seals it as rtexec's sealed copy did before
 * (F_SEAL_WRITE: "write") or does now (F_SEAL_FUTURE_WRITE: "future"), with SEAL, SHRINK and
 * GROW; exits 0 once sealed. Run under migrate (moved to another CPU between the two), it
 * shows that the guest's scenario makes F_SEAL_WRITE wait for an isolated CPU's drain.
 * A test helper (static musl): not part of rtexec. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

int main(int argc, char **argv)
{
	struct stat st;
	off_t done = 0;
	int from, to, write_seal;

	if (argc != 3 || (strcmp(argv[2], "write") != 0 && strcmp(argv[2], "future") != 0)) {
		fprintf(stderr, "usage: sealcopy FILE write|future\n");
		return 2;
	}
	write_seal = strcmp(argv[2], "write") == 0 ? F_SEAL_WRITE : F_SEAL_FUTURE_WRITE;
	if ((from = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0 || fstat(from, &st) < 0 ||
	    (to = memfd_create("sealcopy", MFD_CLOEXEC | MFD_ALLOW_SEALING)) < 0) {
		perror("sealcopy");
		return 1;
	}
	while (done < st.st_size)
		if (sendfile(to, from, &done, (size_t)(st.st_size - done)) <= 0) {
			perror("sealcopy: sendfile");
			return 1;
		}
	if (fcntl(to, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | write_seal) < 0) {
		perror("sealcopy: F_ADD_SEALS");
		return 1;
	}
	return 0;
}
