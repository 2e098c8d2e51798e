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

int main(void)
{
	test_lifo();
	test_freed_below();
	test_realloc();
	test_big_and_bad();
	return tap_done();
}
