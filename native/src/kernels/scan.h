// native/src/kernels/scan.h — running sums and products along one dim (cumsum, cumprod).
#pragma once
#include <cstdint>

namespace kindling {

// out[a, r, b] = the sum (op 0) or product (op 1) of x[a, 0..r, b] for a contiguous x[A, R, B],
// accumulated in double as PyTorch's CPU kernel does (its acc_type for float is double).
template <typename T>
void cumulative(int op, const T* x, int64_t A, int64_t R, int64_t B, T* out);

}  // namespace kindling
