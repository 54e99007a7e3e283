// native/src/kernels/clones.h — compiling a loop once per ISA and picking one at load time.
#pragma once

// KINDLING_CLONES: GCC emits an AVX-512, an AVX2 and a baseline copy of the function and an ifunc
// resolver chooses by the CPU, so plain loops vectorize for the machine they run on.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define KINDLING_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
// The same, with FMA in the AVX2 clone too (x86-64-v3: AVX2 + FMA), for loops that call std::fma.
#define KINDLING_CLONES_FMA __attribute__((target_clones("avx512f", "arch=x86-64-v3", "default")))
#else
#define KINDLING_CLONES
#define KINDLING_CLONES_FMA
#endif

// Loop bodies must be inlined into each clone to be compiled for its ISA; GCC will not inline a
// large default-target function into a clone on its own.
#define KINDLING_INLINE __attribute__((always_inline)) inline
