/* Test helper, run inside a container: pushes TEXT into the input queue of the terminal on
 * FD (TIOCSTI), as a hostile process would to make the terminal's owner run it. Prints
 * "pushed N" or "refused ERRNO". Static. Usage: tiocsti FD TEXT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

int main(int argc, char **argv)
{
	int fd, n = 0;

	if (argc != 3)
		return 2;
	fd = atoi(argv[1]);
	for (const char *p = argv[2]; *p; p++, n++) {
		if (ioctl(fd, TIOCSTI, p) < 0) {
			printf("refused %s\n", strerror(errno));
			return 1;
		}
	}
	printf("pushed %d\n", n);
	return 0;
}
