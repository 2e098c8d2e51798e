/* The defence against CVE-2019-5736: the process that joins the container must never be
 * running the host's rtexec file, or a container that makes the command resolve to
 * /proc/self/exe (a symlink, a "#!/proc/self/exe" script, a binfmt_misc handler, ...) gets
 * the host file as its executable, opens /proc/PID/exe and overwrites it. */
#ifndef RTEXEC_SELFEXE_H
#define RTEXEC_SELFEXE_H

#include "log.h"

/* Returns 0 when the running binary cannot be written through /proc/PID/exe: a sealed
 * memfd copy, a file on a read-only mount, an immutable file. Otherwise copies it into a
 * sealed memfd and re-executes that with the same argv and environment (no return). -1 with
 * e on failure: rtexec must not go on. */
int selfexe_protect(char **argv, struct rterr *e);

/* The binary's RELRO part (its GOT, its constant tables of pointers, _DYNAMIC) made
 * read-only, as a dynamic loader does for a program it loads. In a static binary nobody does:
 * the kernel maps PT_GNU_RELRO with the writable segment, and musl's start code relocates a
 * static PIE without protecting it, so "-z relro" alone leaves those pages writable. */
void selfexe_seal_relro(void);

#endif
