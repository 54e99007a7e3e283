// native/src/kernels/random_simd.h — the vectorised transforms of the sampling kernels (random_avx2.cc),
// called by random.cc only after the run-time CPU check; each equals its scalar version bit for bit.
#pragma once

#include <cstdint>

namespace kindling {

// mt19937.h's twist and tempering, vectorized.
void mt_twist_avx2(uint32_t* mt);
void mt_temper_avx2(const uint32_t* mt, uint32_t* out, int64_t n);

// Box-Muller in place over `blocks` consecutive blocks of 16 float32 uniforms: PyTorch 1.13's AVX2
// normal_fill_16 (its Cephes-style float log and sincos, with its fused multiply-adds).
void normal_fill16_f32_avx2(float* data, int64_t blocks, float mean, float std);

// Box-Muller in place over `blocks` blocks of 16 float64 uniforms with correctly rounded log, sin and cos.
void normal_fill16_f64_avx2(double* data, int64_t blocks, double mean, double std);

// out[i] = scale * log(1 - u[i]) with a correctly rounded log (exponential_'s transform); out may be u.
void scaled_log1m_avx2(const double* u, double* out, int64_t n, double scale);

}  // namespace kindling
