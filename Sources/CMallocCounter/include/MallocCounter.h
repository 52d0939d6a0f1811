#ifndef CYGNET_MALLOC_COUNTER_H
#define CYGNET_MALLOC_COUNTER_H

#include <stdint.h>

/// Number of heap allocation calls (malloc, calloc, realloc, posix_memalign,
/// aligned_alloc, memalign, valloc) made in this process since it started.
///
/// Defined only when libCygnetMallocCounter.so is preloaded (`LD_PRELOAD`); `cygnet bench`
/// looks it up with `dlsym` and re-executes itself with the preload when it is missing.
uint64_t cygnet_malloc_counter_count(void);

#endif
