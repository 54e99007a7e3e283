// Runtime CPU feature detection and the instruction-set choice for the SIMD kernels.
#pragma once

// The per-ISA kernel files (*_avx512.cc, *_avx2.cc) are only built for x86-64; other targets run
// the portable kernels.
#if defined(__x86_64__) || defined(_M_X64)
#define KINDLING_X86_KERNELS 1
#else
#define KINDLING_X86_KERNELS 0
#endif

namespace kindling {

enum class Isa { kScalar = 0, kAvx2 = 1, kAvx512 = 2 };

// Best ISA this CPU (and OS) supports: avx512 > avx2 (with FMA) > scalar.
Isa detect_isa();
// ISA the kernels use: detect_isa(), lowered by the env var KINDLING_ISA=avx512|avx2|scalar
// (read once; a request above what the CPU supports is clamped to what it supports).
Isa active_isa();
// Test hook: force the ISA used by later calls. Returns false (and changes nothing) if unsupported.
bool set_active_isa(Isa isa);
const char* isa_name(Isa isa);

}  // namespace kindling
