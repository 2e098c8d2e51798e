/* The channel between rtexec and its child: close-on-exec, so the parent reading EOF without
 * a report means the exec succeeded (the trick of musl's posix_spawn). */
#ifndef RTEXEC_SYNC_H
#define RTEXEC_SYNC_H
#include <stdint.h>

#include "log.h"

enum sync_type { SYNC_FAILED = 1, SYNC_READY = 2, SYNC_EXEC = 3 };

struct sync_msg {
	int32_t type;
	int32_t status; /* SYNC_FAILED: the exit status rtexec reports, 125, 126 or 127 */
	char text[1020];
};

int sync_channel(int fds[2]);
/* Parent to child: the parent's part (cgroup join) is done, go on. */
int sync_send_go(int fd);
/* Child side: 0 once told to go on, -1 if the parent went away. */
int sync_wait_go(int fd);
/* Child side: reports one failure. Never fails loudly: the child _exits next anyway. */
void sync_report(int fd, int status, const char *text);
/* Child side: about to call execve. EOF after this (and no failure report) means the exec
 * succeeded; EOF without it means the child died before. */
void sync_exec(int fd);
/* Child side: everything but the last steps is done; the parent applies those (with the
 * host's privileges) and says go. 0, or -1 if the parent went away. */
int sync_ready(int fd);
/* Parent side: 1 with *m filled on a message, 0 on EOF (exec succeeded or child died),
 * -errno on error. */
int sync_read(int fd, struct sync_msg *m);

#endif
