// native/src/kernels/norm.h — layer normalisation over the last C elements of R dense rows, and its
// gradient (PyTorch's native_layer_norm and native_layer_norm_backward on the CPU).
#pragma once
#include <cstdint>

namespace kindling {

// y = (x − mean)·rstd, then ·weight and +bias where given (each a dense [C] or null); mean and rstd
// [R] are kept for the backward. Statistics in double; rstd = 1 / sqrt(biased variance + eps).
template <typename T>
void layer_norm(const T* x, const T* weight, const T* bias, int64_t rows, int64_t cols, double eps, T* y, T* mean, T* rstd);

// dx = rstd·(g·w − mean(g·w) − x̂·mean(g·w·x̂)) per row, with x̂ = (x − mean)·rstd; dweight = Σ_rows g·x̂
// and dbias = Σ_rows g, each only where non-null.
template <typename T>
void layer_norm_backward(const T* g, const T* x, const T* mean, const T* rstd, const T* weight, int64_t rows, int64_t cols,
                         T* dx, T* dweight, T* dbias);

}  // namespace kindling
