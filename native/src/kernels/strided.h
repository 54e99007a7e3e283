// native/src/kernels/strided.h — a strided view over raw memory, as TypeScript describes it.
#pragma once
#include <cstdint>

namespace kindling {

constexpr int kMaxDims = 16;

// Shape and element strides of a view; dims are already coalesced by the caller where possible.
struct StridedView {
  int ndim = 0;
  int64_t shape[kMaxDims];
  int64_t strides[kMaxDims];
  int64_t offset = 0;
};

// Calls body(offset_a, offset_b, count, stride_a, stride_b) once per run along the last dim,
// for two views of the same shape: kernels then vectorize the inner run.
template <typename Body>
inline void for_each_run2(const int64_t* shape, int ndim, const int64_t* sa, int64_t oa, const int64_t* sb,
                          int64_t ob, Body body) {
  if (ndim == 0) {
    body(oa, ob, 1, 0, 0);
    return;
  }
  for (int d = 0; d < ndim; d++)
    if (shape[d] == 0) return;
  const int last = ndim - 1;
  int64_t counter[kMaxDims] = {0};
  for (;;) {
    body(oa, ob, shape[last], sa[last], sb[last]);
    int d = last - 1;
    for (; d >= 0; d--) {
      oa += sa[d];
      ob += sb[d];
      if (++counter[d] < shape[d]) break;
      oa -= sa[d] * shape[d];
      ob -= sb[d] * shape[d];
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}

// Three-view variant (two inputs and a contiguous output position).
template <typename Body>
inline void for_each_run3(const int64_t* shape, int ndim, const int64_t* sa, int64_t oa, const int64_t* sb,
                          int64_t ob, const int64_t* sc, int64_t oc, Body body) {
  if (ndim == 0) {
    body(oa, ob, oc, 1, 0, 0, 0);
    return;
  }
  for (int d = 0; d < ndim; d++)
    if (shape[d] == 0) return;
  const int last = ndim - 1;
  int64_t counter[kMaxDims] = {0};
  for (;;) {
    body(oa, ob, oc, shape[last], sa[last], sb[last], sc[last]);
    int d = last - 1;
    for (; d >= 0; d--) {
      oa += sa[d];
      ob += sb[d];
      oc += sc[d];
      if (++counter[d] < shape[d]) break;
      oa -= sa[d] * shape[d];
      ob -= sb[d] * shape[d];
      oc -= sc[d] * shape[d];
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}

}  // namespace kindling
