// native/src/kernels/mt19937.h — mt19937's twist and tempering as plain loops, compiled into random.cc
// for the baseline target and into random_avx2.cc for AVX2, where the compiler vectorizes them 8 wide.
#pragma once

#include <cstdint>

namespace kindling {
// Internal linkage: each including file keeps its own copy, built with its own instruction set.
namespace {

constexpr int kMtWords = 624, kMtShift = 397;
constexpr uint32_t kMatrixA = 0x9908b0dfu, kUpper = 0x80000000u, kLower = 0x7fffffffu;

// mt19937's next_state: the next 624 words in place.
inline void mt_twist(uint32_t* mt) {
  int k = 0;
  for (; k < kMtWords - kMtShift; k++) {
    const uint32_t y = (mt[k] & kUpper) | (mt[k + 1] & kLower);
    mt[k] = mt[k + kMtShift] ^ (y >> 1) ^ ((0u - (y & 1u)) & kMatrixA);
  }
  for (; k < kMtWords - 1; k++) {
    const uint32_t y = (mt[k] & kUpper) | (mt[k + 1] & kLower);
    mt[k] = mt[k + kMtShift - kMtWords] ^ (y >> 1) ^ ((0u - (y & 1u)) & kMatrixA);
  }
  const uint32_t y = (mt[kMtWords - 1] & kUpper) | (mt[0] & kLower);
  mt[kMtWords - 1] = mt[kMtShift - 1] ^ (y >> 1) ^ ((0u - (y & 1u)) & kMatrixA);
}

// out[i] = mt19937's tempering of mt[i], for i < n.
inline void mt_temper(const uint32_t* mt, uint32_t* out, int64_t n) {
  for (int64_t i = 0; i < n; i++) {
    uint32_t y = mt[i];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    out[i] = y ^ (y >> 18);
  }
}

}  // namespace
}  // namespace kindling
