// Runtime CPU feature detection and the instruction-set choice for the SIMD kernels.
#pragma once

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
