/* Test helper: seals PATH
 * Prints the mode (octal) and the memfd seals of PATH (a /proc/PID/exe of a process running
 * from a memfd) as "MODE seal shrink grow write future_write exec", those it has, in that
 * order; "none" without seals, or an error.
 * A test helper (static musl): not part of rtexec. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

int main(int argc, char **argv)
{
	static const struct {
		int bit;
		const char *name;
	} seal[] = { { F_SEAL_SEAL, "seal" },
		     { F_SEAL_SHRINK, "shrink" },
		     { F_SEAL_GROW, "grow" },
		     { F_SEAL_WRITE, "write" },
		     { F_SEAL_FUTURE_WRITE, "future_write" },
		     { F_SEAL_EXEC, "exec" } };
	struct stat st;
	int fd, seals;

	if (argc != 2)
		return 2;
	if ((fd = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	printf("%04o", (unsigned)(st.st_mode & 07777));
	if ((seals = fcntl(fd, F_GET_SEALS)) <= 0)
		printf(" none");
	for (unsigned i = 0; seals > 0 && i < sizeof(seal) / sizeof(seal[0]); i++)
		if (seals & seal[i].bit)
			printf(" %s", seal[i].name);
	printf("\n");
	return 0;
}
