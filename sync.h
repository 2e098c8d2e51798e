/* The conversation between rtexec and its child, one typed message at a time, over a
 * close-on-exec SOCK_SEQPACKET pair (so the parent reading EOF after the child's "exec"
 * word means the exec succeeded: the trick of musl's posix_spawn).
 *
 *   parent                                child
 *                                         joins its v1 cgroups
 *   joins it to the v2 cgroup, GO  -->
 *                                         ... everything up to the final affinity
 *                                   <--   READY (only when the parent applies a scheduler)
 *   sched_setattr on the child, GO -->
 *                                   <--   EXEC, then execve: EOF
 *                                   <--   or FAILED {status, text}, then _exit
 */
#ifndef RTEXEC_SYNC_H
#define RTEXEC_SYNC_H
#include <stdint.h>

#include "log.h"

enum sync_type {
	SYNC_EOF = 0, /* not sent: what the receiver sees when the other end is closed */
	SYNC_GO,      /* parent: your part may go on */
	SYNC_READY,   /* child: everything but what the parent applies is done */
	SYNC_EXEC,    /* child: calling execve now */
	SYNC_FAILED,  /* child: status and text say why */
};

struct sync_msg {
	int32_t type;
	int32_t status; /* SYNC_FAILED: the exit status rtexec reports, 125, 126 or 127 */
	char text[1020];
};

/* 0, or -errno. */
int sync_channel(int fds[2]);
/* Sends a message of this type (not SYNC_FAILED). 0, or -errno. */
int sync_send(int fd, enum sync_type type);
/* Child: reports one failure. Never fails loudly: the child _exits next anyway. */
void sync_send_failure(int fd, int status, const char *text);
/* The next message (type SYNC_EOF when the other end is closed). 0, or -errno. */
int sync_recv(int fd, struct sync_msg *m);
/* Child: waits for a message of this type. 0, or -1 if anything else came (the parent went
 * away). */
int sync_expect(int fd, enum sync_type type);

#endif
