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
 * freeing the top block also takes back the freed blocks under it. A large block (256 KiB
 * or more: a huge mountinfo or config) is mapped on its own and unmapped when freed; when
 * the arena is full, further chunks are mapped (1 MiB, then doubling) and filled the same
 * way. Nothing is ever returned to the system from the arena or a chunk: rtexec is
 * short-lived, or idles in poll.
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
#define CHUNK_SIZE (1u << 20) /* the first chunk mapped once the arena is full; then doubling */
#define MAX_CHUNKS 24
#define BIG (256u << 10) /* a block this large or larger is mapped on its own */
#define HDR 16u
#define MAPPED ((size_t)1) /* in below: the block is a mapping of its own */
#define FREED ((size_t)2)  /* in below: free, waiting for the blocks above it to go */

struct hdr {
	size_t size;  /* payload bytes, a multiple of 16 */
	size_t below; /* payload size of the block below | FREED | MAPPED; 0 for the first */
};

/* The arena, then chunks mapped when it is full (a config of thousands of variables, or a
 * freed block held under live ones): blocks come from the last chunk only, and each chunk
 * keeps its own top, so a block is freed in the chunk that holds it. */
struct chunk {
	unsigned char *base;
	size_t size;
	size_t top;	 /* bytes in use */
	size_t top_size; /* payload size of the top block, 0 when empty */
};

static alignas(16) unsigned char arena[ARENA_SIZE];
/* Zero-initialised (in .bss, not 768 bytes of the file): the arena becomes chunk 0 at the
 * first allocation. */
static struct chunk chunks[MAX_CHUNKS];
static unsigned nchunks;

static struct hdr *hdr_of(void *p)
{
	return (struct hdr *)((unsigned char *)p - HDR);
}

static struct chunk *chunk_of(const void *p)
{
	uintptr_t a = (uintptr_t)p;

	for (unsigned i = nchunks; i-- > 0;)
		if (a >= (uintptr_t)chunks[i].base &&
		    a < (uintptr_t)chunks[i].base + chunks[i].size)
			return &chunks[i];
	return NULL;
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

/* The chunk to take size bytes (header included) from: the last, or a new one. */
static struct chunk *chunk_for(size_t need)
{
	struct chunk *c;
	void *m;

	if (nchunks == 0) {
		chunks[0].base = arena;
		chunks[0].size = ARENA_SIZE;
		nchunks = 1;
	}
	c = &chunks[nchunks - 1];
	if (need <= c->size - c->top)
		return c;
	if (nchunks == MAX_CHUNKS)
		return NULL;
	c = &chunks[nchunks];
	c->size = (size_t)CHUNK_SIZE << (nchunks - 1);
	m = mmap(NULL, c->size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	c->base = m;
	c->top = c->top_size = 0;
	nchunks++;
	return c;
}

void *arena_alloc(size_t n)
{
	size_t size = (n + 15) & ~(size_t)15;
	struct chunk *c;
	struct hdr *h;

	if (size < n || size > SIZE_MAX - 2 * HDR) {
		errno = ENOMEM;
		return NULL;
	}
	if (size == 0)
		size = 16;
	if (size >= BIG || (c = chunk_for(size + HDR)) == NULL)
		return map_block(size);
	h = (struct hdr *)(c->base + c->top);
	h->size = size;
	h->below = c->top_size;
	c->top += HDR + size;
	c->top_size = size;
	return (unsigned char *)h + HDR;
}

/* Whether p is the block at the top of its chunk. */
static bool is_top(const struct chunk *c, void *p)
{
	return c->top_size != 0 && (unsigned char *)p == c->base + c->top - c->top_size;
}

void arena_free(void *p)
{
	struct chunk *c;
	struct hdr *h;

	if (p == NULL)
		return;
	h = hdr_of(p);
	if (h->below & MAPPED) {
		munmap(h, h->size + HDR);
		return;
	}
	c = chunk_of(p);
	if (!is_top(c, p)) {
		h->below |= FREED;
		return;
	}
	/* Pop the top, then every freed block now on top. */
	for (;;) {
		size_t below = h->below & ~FREED;

		c->top -= HDR + h->size;
		c->top_size = below;
		if (c->top == 0)
			break;
		h = (struct hdr *)(c->base + c->top - below - HDR);
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
	struct chunk *c;
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
	c = h->below & MAPPED ? NULL : chunk_of(p);
	if (c && is_top(c, p) && size < BIG && (size <= old || size - old <= c->size - c->top)) {
		c->top = c->top - old + size; /* the top block grows or shrinks in place */
		c->top_size = h->size = size;
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
	size_t used = 0;

	for (unsigned i = 0; i < nchunks; i++)
		used += chunks[i].top;
	return used;
}

unsigned arena_chunks(void)
{
	return nchunks;
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
