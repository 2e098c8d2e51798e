/* rtexec's allocator (arena.c): malloc, free, calloc and realloc of the static binary. */
#ifndef RTEXEC_ARENA_H
#define RTEXEC_ARENA_H
#include <stdbool.h>
#include <stddef.h>

void *arena_alloc(size_t n);
void arena_free(void *p);
void *arena_calloc(size_t n, size_t each);
void *arena_realloc(void *p, size_t n);
/* Bytes of the arena in use (headers included): what the tests watch. */
size_t arena_used(void);
/* Chunks in use: the arena, and those mapped once it was full. */
unsigned arena_chunks(void);

#endif
