/* The conversation between rtexec and its child, one typed message at a time, over a
 * close-on-exec SOCK_SEQPACKET pair (so the parent reading EOF after the child's "exec"
 * word means the exec succeeded: the trick of musl's posix_spawn).
 *
 *   parent                                child
 *                                         joins its v1 cgroups
 *   joins it to the v2 cgroup, GO  -->
 *                                         joins the namespaces
 *   (console socket or relay)       <--   PTY + the pty master (SCM_RIGHTS), with a terminal
 *                                         ... everything up to the final affinity
 *                                   <--   READY (only when the parent applies a scheduler)
 *   sched_setattr on the child, GO -->
 *                                   <--   EXEC, then execve: EOF
 *                                   <--   or FAILED {status, text}, then _exit
 *   its log (runc's --log)          <--   LOG {level, text}, at any point: with a log file
 *                                         of the caller's, the child's lines go through
 *                                         the parent, which alone holds that file
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
	SYNC_PTY,     /* child: the master of its new pty comes with this message */
	SYNC_LOG,     /* child: one line for the parent's log file (status: its level); the last
		       * type (sync_recv's bound) */
};

struct sync_msg {
	int32_t type;
	int32_t status; /* SYNC_FAILED: the exit status rtexec reports, 125, 126 or 127;
			 * SYNC_LOG: the line's enum log_level */
	int32_t err;	/* SYNC_FAILED: the errno of the failure, 0 if none */
	char text[1016];
};

/* 0, or -errno. */
int sync_channel(int fds[2]);
/* Sends a message of this type (not SYNC_FAILED). 0, or -errno. */
int sync_send(int fd, enum sync_type type);
/* Child: a message of this type carrying passfd (SCM_RIGHTS). 0, or -errno. */
int sync_send_fd(int fd, enum sync_type type, int passfd);
/* Child: reports one failure. Never fails loudly: the child _exits next anyway. */
void sync_send_failure(int fd, int status, const struct rterr *e);
/* Child: one line of its log for the parent to write. Never fails loudly. */
void sync_send_log(int fd, enum log_level level, const char *text);
/* The next message (type SYNC_EOF when the other end is closed), and in *passfd the fd it
 * carried (close-on-exec), or -1. passfd may be NULL: a carried fd is then closed. 0, or
 * -errno. */
int sync_recv(int fd, struct sync_msg *m, int *passfd);
/* Child: waits for a message of this type. 0, or -1 if anything else came (the parent went
 * away). */
int sync_expect(int fd, enum sync_type type);

/* The engine's sockets (--console-socket, runc's --pidfd-socket): the parent, before anything
 * runs, connects to whoever listens at path (what names it in errors; "@NAME": the abstract
 * socket NAME, as Go dials it; a relative path from the directory dir, or the current one
 * where dir is NULL), non-blocking so that a listener that never accepts cannot hold rtexec
 * up; later it hands one fd over, with the payload bytes runc sends beside it (SCM_RIGHTS),
 * waiting at most 5 s for room. 0, or -1 with e set. */
int engine_socket_connect(const char *what, const char *dir, const char *path, int *sock,
			  struct rterr *e);
int engine_socket_send(int sock, const char *what, const char *payload, int fd, struct rterr *e);

#endif
