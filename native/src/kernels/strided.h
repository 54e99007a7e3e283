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

// Walks N views of one shape and calls body(pos, count, inner) once per run along the last dim:
// pos[i] is view i's offset at the run's start and inner[i] its stride along the run, so kernels
// see whole runs and can take their contiguous or broadcast (stride 0) loops. The positions live
// on the stack: the walk allocates nothing, and with N fixed the per-view loops unroll.
template <int N, typename Body>
inline void for_each_run(const int64_t* shape, int ndim, const int64_t* const (&strides)[N],
                         const int64_t (&offsets)[N], Body body) {
  int64_t pos[N], inner[N];
  for (int v = 0; v < N; v++) pos[v] = offsets[v];
  if (ndim == 0) {
    for (int v = 0; v < N; v++) inner[v] = 0;
    body(pos, int64_t(1), inner);
    return;
  }
  for (int d = 0; d < ndim; d++)
    if (shape[d] == 0) return;
  const int last = ndim - 1;
  for (int v = 0; v < N; v++) inner[v] = strides[v][last];
  int64_t counter[kMaxDims] = {0};
  for (;;) {
    body(pos, shape[last], inner);
    int d = last - 1;
    for (; d >= 0; d--) {
      for (int v = 0; v < N; v++) pos[v] += strides[v][d];
      if (++counter[d] < shape[d]) break;
      for (int v = 0; v < N; v++) pos[v] -= strides[v][d] * shape[d];
      counter[d] = 0;
    }
    if (d < 0) return;
  }
}

}  // namespace kindling
