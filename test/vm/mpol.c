/* The guest's NUMA memory policies (it boots with two nodes: CPUs 0-1 on node 0, 2-3 on 1).
 *     mpol MODE NODEMASK FLAGS -- CMD...   set_mempolicy(MODE | FLAGS, NODEMASK), then exec CMD
 *     mpol show                            prints "mode=M nodes=N": get_mempolicy's mode (with
 *                                          its flags) and node mask, in decimal
 * Numbers as the kernel takes them (MPOL_BIND 2, MPOL_INTERLEAVE 3, MPOL_F_STATIC_NODES
 * 32768, ...): the test says what it means by each. Static, like the guest's other helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long nodes[16] = { 0 };
	int mode = 0;

	if (argc == 2 && strcmp(argv[1], "show") == 0) {
		if (syscall(SYS_get_mempolicy, &mode, nodes, 8 * sizeof(nodes), NULL, 0UL) < 0) {
			perror("get_mempolicy");
			return 1;
		}
		printf("mode=%d nodes=%lu\n", mode, nodes[0]);
		return 0;
	}
	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fprintf(stderr, "usage: mpol MODE NODEMASK FLAGS -- CMD... | mpol show\n");
		return 2;
	}
	nodes[0] = strtoul(argv[2], NULL, 0);
	mode = atoi(argv[1]) | atoi(argv[3]);
	if (syscall(SYS_set_mempolicy, mode, nodes[0] ? nodes : NULL,
		    nodes[0] ? 8 * sizeof(nodes) : 0UL) < 0) {
		perror("set_mempolicy");
		return 1;
	}
	execv(argv[5], argv + 5);
	perror(argv[5]);
	return 127;
}
