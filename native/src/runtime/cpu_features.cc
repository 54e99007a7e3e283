// CPU feature detection via __builtin_cpu_supports (which also checks the OS saves the wide registers).
#include "cpu_features.h"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace kindling {
namespace {

// -1 = not decided yet; otherwise an Isa value.
std::atomic<int> g_active_isa{-1};

Isa isa_from_env(Isa supported) {
  const char* env = std::getenv("KINDLING_ISA");
  if (env == nullptr) return supported;
  Isa wanted = supported;
  if (std::strcmp(env, "scalar") == 0) wanted = Isa::kScalar;
  else if (std::strcmp(env, "avx2") == 0) wanted = Isa::kAvx2;
  else if (std::strcmp(env, "avx512") == 0) wanted = Isa::kAvx512;
  return static_cast<int>(wanted) < static_cast<int>(supported) ? wanted : supported;
}

}  // namespace

Isa detect_isa() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  // The AVX-512 kernels only use AVX512F instructions; FMA is required for both SIMD paths.
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma")) return Isa::kAvx512;
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::kAvx2;
#endif
  return Isa::kScalar;
}

Isa active_isa() {
  int v = g_active_isa.load(std::memory_order_relaxed);
  if (v < 0) {
    v = static_cast<int>(isa_from_env(detect_isa()));
    g_active_isa.store(v, std::memory_order_relaxed);
  }
  return static_cast<Isa>(v);
}

bool set_active_isa(Isa isa) {
  if (static_cast<int>(isa) > static_cast<int>(detect_isa())) return false;
  g_active_isa.store(static_cast<int>(isa), std::memory_order_relaxed);
  return true;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kAvx512: return "avx512";
    case Isa::kAvx2: return "avx2";
    default: return "scalar";
  }
}

}  // namespace kindling
