/* The command's seccomp filters: by default the target's, copied from it in the same order
 * with the same flags; "none"; or a raw classic-BPF program from a file. */
#ifndef RTEXEC_SECCOMP_H
#define RTEXEC_SECCOMP_H
#include <linux/filter.h>
#include <stdbool.h>
#include <stddef.h>

#include "log.h"
#include "target.h"

enum seccomp_mode { SECCOMP_INHERIT, SECCOMP_NONE, SECCOMP_FILE };

/* What the caller asks for: "seccomp" of the config. */
struct seccomp_request {
	enum seccomp_mode mode;
	const char *path; /* SECCOMP_FILE */
};

struct seccomp_filter {
	struct sock_filter *insns;
	unsigned short len;
	unsigned long flags; /* SECCOMP_FILTER_FLAG_LOG where the target's had it */
};

struct seccomp_plan {
	enum seccomp_mode mode;
	const char *path;
	struct seccomp_filter *f; /* in the order to install: the target's oldest first */
	size_t n;
	bool unread;	  /* a dry run: the target's filters are not read, */
	unsigned counted; /* only counted (0: the kernel does not say, before Linux 5.9) */
};

/* How "inherit" may hold the target. */
struct seccomp_copy {
	bool dry_run; /* only count the filters: the target is not touched */
	/* Called every 100 ms while the target is slow to stop: fails for a paused container. */
	int (*check)(const void *ctx, struct rterr *e);
	const void *ctx;
};

struct target_confinement;

/* Pure. Checks a classic BPF program as seccomp would take it: known opcodes only, loads
 * within struct seccomp_data, jumps within the program, a return at its end; and refuses a
 * user-notification return, whose listener cannot exist for a copy. what names it. */
int seccomp_check(const struct sock_filter *f, size_t n, const char *what, struct rterr *e);
/* Parent: the filters of the plan. For "inherit" they are read from the target's main thread,
 * seized with ptrace and interrupted for as long as that takes (see seccomp.c; the interrupt
 * makes a blocking call of the target that the kernel does not restart, e.g. epoll_wait,
 * return EINTR, as a SIGSTOP and SIGCONT would), and tc's NoNewPrivs and filter count are
 * read again meanwhile (the filters and NoNewPrivs of one moment); a dry run only counts
 * them. */
int seccomp_resolve(const struct seccomp_request *r, const struct target *t,
		    struct target_confinement *tc, const struct seccomp_copy *c,
		    struct seccomp_plan *p, struct rterr *e);
/* Child: installs the plan's filters, oldest first. */
int seccomp_install(const struct seccomp_plan *p, struct rterr *e);
void seccomp_plan_free(struct seccomp_plan *p);

#endif
