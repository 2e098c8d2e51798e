/* Test helper: session keyrings, without keyutils.
 *     keyring plant NAME VALUE CMD...   joins a new session keyring, adds the user key NAME
 *                                       holding VALUE to it, then execs CMD (the caller of
 *                                       rtexec, with a secret of the host's)
 *     keyring find NAME                 prints the payload of the user key NAME found from
 *                                       the session keyring, or "none" (the command)
 *     keyring name                      prints the session keyring's description
 *     keyring id                        prints the session keyring's serial number (which
 *                                       tells two keyrings of the same name apart)
 *     keyring add NAME VALUE            adds the user key NAME holding VALUE to the session
 *                                       keyring
 * Raw syscalls (static musl, the container has no libc). A test helper: not part of rtexec. */
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEY_SPEC_SESSION_KEYRING (-3)
#define KEYCTL_GET_KEYRING_ID 0
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_DESCRIBE 6
#define KEYCTL_SEARCH 10
#define KEYCTL_READ 11

int main(int argc, char **argv)
{
	char buf[512];
	long id, n;

	if (argc >= 5 && strcmp(argv[1], "plant") == 0) {
		if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, "rtexec-test-caller") < 0 ||
		    syscall(SYS_add_key, "user", argv[2], argv[3], strlen(argv[3]),
			    KEY_SPEC_SESSION_KEYRING) < 0) {
			perror("keyring plant");
			return 2;
		}
		execvp(argv[4], argv + 4);
		perror("keyring plant: exec");
		return 127;
	}
	if (argc == 3 && strcmp(argv[1], "find") == 0) {
		id = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_SESSION_KEYRING, "user", argv[2],
			     0);
		if (id < 0 ||
		    (n = syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1)) < 0) {
			puts("none");
			return 0;
		}
		buf[n < (long)sizeof(buf) ? n : (long)sizeof(buf) - 1] = '\0';
		puts(buf);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "name") == 0) {
		n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING, buf,
			    sizeof(buf));
		if (n < 0) {
			perror("keyring name");
			return 2;
		}
		buf[sizeof(buf) - 1] = '\0';
		/* "type;uid;gid;perm;description": the description alone */
		puts(strrchr(buf, ';') ? strrchr(buf, ';') + 1 : buf);
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "id") == 0) {
		id = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
		if (id < 0) {
			perror("keyring id");
			return 2;
		}
		printf("%ld\n", id);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "add") == 0) {
		if (syscall(SYS_add_key, "user", argv[2], argv[3], strlen(argv[3]),
			    KEY_SPEC_SESSION_KEYRING) < 0) {
			perror("keyring add");
			return 2;
		}
		return 0;
	}
	fputs("usage: keyring plant NAME VALUE CMD... | find NAME | name | id | add NAME VALUE\n",
	      stderr);
	return 2;
}
