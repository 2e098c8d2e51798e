/* rtexec's allocator: one arena in .bss, filled from the bottom, freed from the top.
 *
 * Why: musl's malloc gives each size class its own mapped group and unmaps what empties,
 * so a short run like rtexec's touches some twenty fresh pages and unmaps several: each a
 * page fault or a TLB flush, the dearest things a process does on a virtual machine
 * (measured here: 13 us a fault, 1 us a syscall). rtexec allocates little, and mostly in
 * last-in first-out order (a file read, parsed, freed): a bump pointer that steps back on
 * free keeps it all in a few consecutive pages.
 *
 * Every block has a 16-byte header: its size and the size of the block below it, so that
 * freeing the top block also takes back the freed blocks under it. A block that does not
 * fit (a huge mountinfo) is mapped on its own and unmapped when freed. Nothing is ever
 * returned to the system from the arena: rtexec is short-lived, or idles in poll.
 *
 * The functions are arena_*; the static musl binary is built with RTEXEC_OWN_MALLOC and
 * gets malloc, free, calloc and realloc from them. The test and sanitizer builds keep
 * their libc's (test/unit/test_arena.c tests these). */
#include "arena.h"

#include <errno.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define ARENA_SIZE (512u << 10)
#define HDR 16u
#define MAPPED ((size_t)1) /* in below: the block is a mapping of its own */
#define FREED ((size_t)2)  /* in below: free, waiting for the blocks above it to go */

struct hdr {
	size_t size;  /* payload bytes, a multiple of 16 */
	size_t below; /* payload size of the block below | FREED | MAPPED; 0 for the first */
};

static alignas(16) unsigned char arena[ARENA_SIZE];
static size_t top;	/* bytes of the arena in use */
static size_t top_size; /* payload size of the top block, 0 when empty */

static struct hdr *hdr_of(void *p)
{
	return (struct hdr *)((unsigned char *)p - HDR);
}

static bool in_arena(const void *p)
{
	return (const unsigned char *)p >= arena && (const unsigned char *)p < arena + ARENA_SIZE;
}

static void *map_block(size_t size)
{
	void *m =
		mmap(NULL, size + HDR, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct hdr *h = m;

	if (m == MAP_FAILED) {
		errno = ENOMEM;
		return NULL;
	}
	h->size = size;
	h->below = MAPPED;
	return (unsigned char *)m + HDR;
}

void *arena_alloc(size_t n)
{
	size_t size = (n + 15) & ~(size_t)15;
	struct hdr *h;

	if (size < n || size > SIZE_MAX - 2 * HDR) {
		errno = ENOMEM;
		return NULL;
	}
	if (size == 0)
		size = 16;
	if (size + HDR > ARENA_SIZE - top)
		return map_block(size);
	h = (struct hdr *)(arena + top);
	h->size = size;
	h->below = top_size;
	top += HDR + size;
	top_size = size;
	return (unsigned char *)h + HDR;
}

/* Whether p is the block at the top of the arena. */
static bool is_top(void *p)
{
	return top_size != 0 && (unsigned char *)p == arena + top - top_size;
}

void arena_free(void *p)
{
	struct hdr *h;

	if (p == NULL)
		return;
	h = hdr_of(p);
	if (!in_arena(p)) {
		munmap(h, h->size + HDR);
		return;
	}
	if (!is_top(p)) {
		h->below |= FREED;
		return;
	}
	/* Pop the top, then every freed block now on top. */
	for (;;) {
		size_t below = h->below & ~FREED;

		top -= HDR + h->size;
		top_size = below;
		if (top == 0)
			break;
		h = (struct hdr *)(arena + top - below - HDR);
		if (!(h->below & FREED))
			break;
	}
}

void *arena_calloc(size_t n, size_t each)
{
	void *p;

	if (each != 0 && n > SIZE_MAX / each) {
		errno = ENOMEM;
		return NULL;
	}
	if ((p = arena_alloc(n * each)) != NULL)
		memset(p, 0, n * each);
	return p;
}

void *arena_realloc(void *p, size_t n)
{
	size_t size = (n + 15) & ~(size_t)15, old;
	struct hdr *h;
	void *q;

	if (p == NULL)
		return arena_alloc(n);
	if (size < n) {
		errno = ENOMEM;
		return NULL;
	}
	h = hdr_of(p);
	old = h->size;
	if (size == 0)
		size = 16;
	if (in_arena(p) && is_top(p) && (size <= old || size - old <= ARENA_SIZE - top)) {
		top = top - old + size; /* the top block grows or shrinks in place */
		top_size = h->size = size;
		return p;
	}
	if (size <= old)
		return p;
	if ((q = arena_alloc(n)) == NULL)
		return NULL;
	memcpy(q, p, old);
	arena_free(p);
	return q;
}

size_t arena_used(void)
{
	return top;
}

#ifdef RTEXEC_OWN_MALLOC
void *malloc(size_t n)
{
	return arena_alloc(n);
}

void free(void *p)
{
	arena_free(p);
}

void *calloc(size_t n, size_t each)
{
	return arena_calloc(n, each);
}

void *realloc(void *p, size_t n)
{
	return arena_realloc(p, n);
}
#endif
