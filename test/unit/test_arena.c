/* Unit tests of arena.c, the static binary's allocator (these builds keep their libc's
 * malloc; the arena_* functions are called directly). */
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "tap.h"

static void test_lifo(void)
{
	size_t base = arena_used();
	char *a = arena_alloc(100), *b = arena_alloc(5000), *c;

	ok(a && b && ((uintptr_t)a & 15) == 0 && ((uintptr_t)b & 15) == 0, "16-byte aligned");
	ok(b >= a + 100, "blocks do not overlap");
	memset(a, 'a', 100);
	memset(b, 'b', 5000);
	arena_free(b);
	ok(arena_used() < base + 200, "freeing the top block takes it back");
	c = arena_alloc(4000);
	ok(c == b, "the next block reuses its place");
	ok(a[99] == 'a', "the block below untouched");
	arena_free(c);
	arena_free(a);
	ok(arena_used() == base, "all back");
}

static void test_freed_below(void)
{
	size_t base = arena_used();
	char *a = arena_alloc(64), *b = arena_alloc(64), *c = arena_alloc(64);

	arena_free(a); /* not the top: marked */
	arena_free(b);
	ok(arena_used() > base, "freed blocks under a live one stay");
	arena_free(c);
	ok(arena_used() == base, "freeing the top takes back the freed blocks under it");
}

static void test_realloc(void)
{
	size_t base = arena_used();
	char *a = arena_alloc(32), *b, *c;

	strcpy(a, "keep me");
	b = arena_realloc(a, 100000);
	ok(b == a && strcmp(b, "keep me") == 0, "the top block grows in place");
	c = arena_alloc(16);
	b = arena_realloc(b, 200000);
	ok(b != a && b && strcmp(b, "keep me") == 0, "a block under another moves, contents kept");
	ok(arena_realloc(c, 8) == c, "shrinking keeps the block");
	arena_free(b);
	arena_free(c);
	ok(arena_used() == base, "all back after realloc");
}

static void test_big_and_bad(void)
{
	size_t base = arena_used();
	char *big = arena_alloc(4u << 20), *small;

	ok(big != NULL && arena_used() == base, "a block larger than the arena is mapped apart");
	memset(big, 1, 4u << 20);
	small = arena_realloc(big, 16);
	ok(small == big, "shrinking a mapped block keeps it");
	arena_free(small);
	ok(arena_alloc(SIZE_MAX - 4) == NULL, "an impossible size fails");
	ok(arena_calloc(SIZE_MAX / 2, 4) == NULL, "calloc overflow fails");
	char *z = arena_calloc(10, 10);
	int zero = 1;
	for (int i = 0; i < 100; i++)
		zero = zero && z[i] == 0;
	ok(z && zero, "calloc zeroes (even reused memory)");
	arena_free(z);
	ok(arena_used() == base, "all back");
}

/* A config of thousands of variables: its text freed under the tree built on top of it,
 * and more small blocks than the arena holds. They must keep coming from a chunk (one
 * after the other), not each from a mapping of its own (a page and an mmap each). */
static void test_full(void)
{
	size_t base = arena_used();
	enum { N = 40000 };
	static char *blocks[N];
	char *text = arena_alloc(4096), *grown;
	int fine = 1, near = 0;
	unsigned before = arena_chunks();

	for (size_t n = 8192; n < 200000; n *= 2) {
		grown = arena_realloc(text, n);
		fine = fine && grown != NULL;
		text = grown;
	}
	ok(fine, "a text grows to 128 KiB");
	for (int i = 0; i < N; i++) {
		blocks[i] = arena_alloc(24);
		fine = fine && blocks[i] != NULL;
		if (i == N / 2)
			arena_free(text); /* under live blocks: a hole, taken back later */
	}
	ok(fine, "40,000 small blocks past the end of the arena");
	ok(arena_chunks() > before && arena_chunks() <= before + 2, "a full arena is followed by a "
								    "chunk, not a mapping per "
								    "block");
	for (int i = 1; i < N; i++)
		near += blocks[i] - blocks[i - 1] == 48; /* 16 bytes of header, 32 of payload */
	ok(near > N - 10, "blocks follow one another, in the chunks too (bump allocation)");
	for (int i = N; i-- > 0;)
		arena_free(blocks[i]);
	ok(arena_used() == base, "all back, the hole and the chunk's blocks included");
	char *again = arena_alloc(24);
	ok(again != NULL, "and allocating goes on");
	arena_free(again);
	ok(arena_used() == base, "all back again");
}

/* A block that grows past 256 KiB moves to a mapping of its own (freed: unmapped, not a
 * hole in the arena). */
static void test_grow_big(void)
{
	size_t base = arena_used();
	char *a = arena_alloc(64), *b;

	strcpy(a, "big");
	b = arena_realloc(a, 300000);
	ok(b && b != a && strcmp(b, "big") == 0 && arena_used() == base, "grown past 256 KiB: "
									 "mapped apart, contents "
									 "kept");
	b = arena_realloc(b, 600000);
	ok(b && strcmp(b, "big") == 0, "a mapped block grows");
	arena_free(b);
	ok(arena_used() == base, "all back");
}

int main(void)
{
	test_lifo();
	test_freed_below();
	test_realloc();
	test_big_and_bad();
	test_full();
	test_grow_big();
	return tap_done();
}
