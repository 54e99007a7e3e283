// native/src/kernels/random.h — torch.Generator's mt19937 and PyTorch 1.13's CPU sampling kernels,
// drawing exactly the values and advancing the state exactly as src/core/random.ts does.
#pragma once

#include <cstdint>

namespace kindling {

constexpr int kMtN = 624;

// A generator's whole state, laid out as src/core/generator.ts lays out its state buffer (Note [Generator
// state] there): the kernels advance it in place.
struct GeneratorState {
  uint32_t mt[kMtN];
  uint32_t left;  // PyTorch's left_: draws before the next twist, plus one
  uint32_t next;  // PyTorch's next_: index of the next word in mt
  uint32_t pad[2];
  double has_double_normal;  // 1 when double_normal holds normal_distribution<double>'s second value
  double double_normal;
  double has_float_normal;
  double float_normal;
};
static_assert(sizeof(GeneratorState) == 2544, "the layout src/core/generator.ts shares");

// Tensor.uniform_(from, to) of a contiguous tensor.
void random_uniform(GeneratorState& g, float* out, int64_t n, double from, double to);
void random_uniform(GeneratorState& g, double* out, int64_t n, double from, double to);

// Tensor.normal_(mean, std): the 16-wide path of a contiguous tensor of 16 or more elements, else (or with
// `elementwise`, as PyTorch fills a non-contiguous tensor) one normal_distribution<double> draw each.
void random_normal(GeneratorState& g, float* out, int64_t n, double mean, double std, bool elementwise);
void random_normal(GeneratorState& g, double* out, int64_t n, double mean, double std, bool elementwise);

// Tensor.random_(low, high): integers in [low, high), stored as a JavaScript typed array stores a number
// (int64 tensors are float64 arrays; int32 and uint8 wrap around).
template <typename T>
void random_int(GeneratorState& g, T* out, int64_t n, double low, double high);

// Tensor.bernoulli_(p) with a scalar p: 1 where a 53-bit uniform is below p, else 0.
template <typename T>
void random_bernoulli(GeneratorState& g, T* out, int64_t n, double p);

// Tensor.exponential_(lambd): -1/lambd * log(1 - u) for 53-bit uniforms u, in double.
template <typename T>
void random_exponential(GeneratorState& g, T* out, int64_t n, double lambd);

}  // namespace kindling
