/* seccomp_check(): classic BPF programs as seccomp would take them, and what rtexec refuses
 * to copy. */
#include <errno.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>

#include "seccomp.h"
#include "tap.h"

#define LOAD_NR BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 0)
#define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

static void good(const struct sock_filter *f, size_t n, const char *name)
{
	struct rterr e = { 0, "" };

	ok(seccomp_check(f, n, "x", &e) == 0, "accepted: %s", name);
	if (e.msg[0])
		printf("#   %s\n", e.msg);
}

static void bad(const struct sock_filter *f, size_t n, const char *want, const char *name)
{
	struct rterr e = { 0, "" };

	ok(seccomp_check(f, n, "x", &e) < 0, "refused: %s", name);
	is_str(e.msg, want, "message: %s", name);
}

int main(void)
{
	struct sock_filter allow[] = { ALLOW };
	struct sock_filter deny_one[] = { LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 83, 0, 1),
					  BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
					  ALLOW };
	struct sock_filter mem[] = { LOAD_NR,
				     BPF_STMT(BPF_ST, 15),
				     BPF_STMT(BPF_LDX | BPF_MEM, 15),
				     BPF_STMT(BPF_MISC | BPF_TXA, 0),
				     BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 1),
				     ALLOW };
	struct sock_filter args[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 60), ALLOW };
	struct sock_filter ja[] = { BPF_STMT(BPF_JMP | BPF_JA, 0), ALLOW };

	good(allow, 1, "one return");
	good(deny_one, 4, "deny one syscall with EPERM");
	good(mem, 6, "scratch memory 15, TXA, ALU AND");
	good(args, 2, "load of the last word of seccomp_data (args[5] high)");
	good(ja, 2, "an unconditional jump to the next instruction");

	bad(allow, 0, "seccomp: x: 0 instructions (1 to 4096)", "empty");
	bad(allow, 4097, "seccomp: x: 4097 instructions (1 to 4096)", "too long");
	{
		struct sock_filter f[] = { LOAD_NR, LOAD_NR };
		bad(f, 2, "seccomp: x: does not end with a return", "no return at the end");
	}
	{
		struct sock_filter f[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 64), ALLOW };
		bad(f, 2, "seccomp: x: instruction 0: a load outside struct seccomp_data",
		    "load past seccomp_data");
	}
	{
		struct sock_filter f[] = { BPF_STMT(BPF_LD | BPF_W | BPF_ABS, 2), ALLOW };
		bad(f, 2, "seccomp: x: instruction 0: a load outside struct seccomp_data",
		    "unaligned load");
	}
	{
		struct sock_filter f[] = { BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0), ALLOW };
		bad(f, 2, "seccomp: x: instruction 0: an instruction seccomp does not accept",
		    "byte load (not for seccomp)");
	}
	{
		struct sock_filter f[] = { BPF_STMT(BPF_LD | BPF_MEM, 16), ALLOW };
		bad(f, 2, "seccomp: x: instruction 0: a scratch memory index out of range",
		    "scratch memory 16");
	}
	{
		struct sock_filter f[] = { BPF_STMT(BPF_ALU | BPF_DIV | BPF_K, 0), ALLOW };
		bad(f, 2, "seccomp: x: instruction 0: a division by zero", "division by 0");
	}
	{
		struct sock_filter f[] = { BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 32), ALLOW };
		bad(f, 2, "seccomp: x: instruction 0: a shift by 32 or more", "shift by 32");
	}
	{
		struct sock_filter f[] = { BPF_STMT(BPF_JMP | BPF_JA, 1), ALLOW };
		bad(f, 2, "seccomp: x: instruction 0: a jump out of the program",
		    "JA past the end");
	}
	{
		struct sock_filter f[] = { LOAD_NR, BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 1),
					   ALLOW };
		bad(f, 3, "seccomp: x: instruction 1: a jump out of the program",
		    "conditional jump past the end");
	}
	{
		struct sock_filter f[] = { BPF_STMT(BPF_JMP | BPF_JA, 0xffffffffU), ALLOW };
		bad(f, 2, "seccomp: x: instruction 0: a jump out of the program",
		    "JA by 2^32-1 (no wrap-around)");
	}
	{
		struct sock_filter f[] = { BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF) };
		bad(f, 1,
		    "seccomp: x: instruction 0: a user-notification return (its listener cannot "
		    "exist for a copy)",
		    "user notification");
	}
	{
		struct sock_filter f[] = { BPF_STMT(BPF_RET | BPF_A, 0) };
		bad(f, 1,
		    "seccomp: x: instruction 0: a return of a computed action (whether it "
		    "notifies cannot be told)",
		    "return A");
	}
	return tap_done();
}
