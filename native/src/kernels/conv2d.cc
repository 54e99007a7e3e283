// Float32 conv2d forward/backward. Stride-1 ungrouped convolutions go to the direct kernels
// (conv2d_direct.cc); the rest use im2col (or the input itself for 1x1 convolutions) into a reused
// per-thread buffer, then one sgemm per (image, group), and col2im.
#include "conv2d.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../gemm/gemm.h"
#include "../runtime/thread_pool.h"
#include "../runtime/work_buffer.h"
#include "conv2d_direct.h"
#include "elementwise.h"

namespace kindling {
namespace {

thread_local WorkBuffer t_col;  // this thread's im2col columns

struct Geometry {
  int64_t oh, ow, ohw;
  int64_t cg, og;  // channels per group (in, out)
  int64_t kdim;    // cg * kh * kw: rows of the column matrix
  bool direct;     // 1x1, stride 1, no padding: the input already is the column matrix
};

Geometry geometry(const Conv2dParams& p) {
  Geometry g;
  g.oh = conv2d_out_h(p);
  g.ow = conv2d_out_w(p);
  g.ohw = g.oh * g.ow;
  g.cg = p.in_channels / p.groups;
  g.og = p.out_channels / p.groups;
  g.kdim = g.cg * p.kernel_h * p.kernel_w;
  g.direct = p.kernel_h == 1 && p.kernel_w == 1 && p.stride_h == 1 && p.stride_w == 1 && p.pad_h == 0 &&
             p.pad_w == 0;
  return g;
}

// Output columns ox in [lo, hi) read an in-bounds input column for kernel column offset `off`
// (ix = ox * stride - pad + off); everything outside is padding.
void valid_range(int64_t off, int64_t pad, int64_t stride, int64_t in_w, int64_t ow, int64_t* lo, int64_t* hi) {
  // ix >= 0  <=>  ox >= ceil((pad - off) / stride)
  const int64_t a = pad - off;
  int64_t l = a <= 0 ? 0 : (a + stride - 1) / stride;
  // ix <= in_w - 1  <=>  ox <= floor((in_w - 1 + pad - off) / stride)
  const int64_t b = in_w - 1 + pad - off;
  int64_t h = b < 0 ? 0 : b / stride + 1;
  if (h > ow) h = ow;
  if (l > h) l = h;
  *lo = l;
  *hi = h;
}

// col[(c * kh + ki) * kw + kj][oy * ow + ox] = x[c][iy][ix] (0 outside the image).
void im2col(const Conv2dParams& p, const Geometry& g, const float* x, float* col) {
  for (int64_t c = 0; c < g.cg; ++c)
    for (int64_t ki = 0; ki < p.kernel_h; ++ki)
      for (int64_t kj = 0; kj < p.kernel_w; ++kj) {
        float* row = col + ((c * p.kernel_h + ki) * p.kernel_w + kj) * g.ohw;
        int64_t lo, hi;
        valid_range(kj * p.dilation_w, p.pad_w, p.stride_w, p.in_w, g.ow, &lo, &hi);
        for (int64_t oy = 0; oy < g.oh; ++oy) {
          float* out = row + oy * g.ow;
          const int64_t iy = oy * p.stride_h - p.pad_h + ki * p.dilation_h;
          if (iy < 0 || iy >= p.in_h) {
            std::memset(out, 0, sizeof(float) * size_t(g.ow));
            continue;
          }
          const float* in = x + (c * p.in_h + iy) * p.in_w;
          for (int64_t ox = 0; ox < lo; ++ox) out[ox] = 0.0f;
          const int64_t ix0 = lo * p.stride_w - p.pad_w + kj * p.dilation_w;
          if (p.stride_w == 1) {
            std::memcpy(out + lo, in + ix0, sizeof(float) * size_t(hi - lo));
          } else {
            for (int64_t ox = lo; ox < hi; ++ox) out[ox] = in[ix0 + (ox - lo) * p.stride_w];
          }
          for (int64_t ox = hi; ox < g.ow; ++ox) out[ox] = 0.0f;
        }
      }
}

// Adjoint of im2col: dx[c][iy][ix] += col[...][oy * ow + ox] (dx must be zeroed by the caller).
void col2im(const Conv2dParams& p, const Geometry& g, const float* col, float* dx) {
  for (int64_t c = 0; c < g.cg; ++c)
    for (int64_t ki = 0; ki < p.kernel_h; ++ki)
      for (int64_t kj = 0; kj < p.kernel_w; ++kj) {
        const float* row = col + ((c * p.kernel_h + ki) * p.kernel_w + kj) * g.ohw;
        int64_t lo, hi;
        valid_range(kj * p.dilation_w, p.pad_w, p.stride_w, p.in_w, g.ow, &lo, &hi);
        for (int64_t oy = 0; oy < g.oh; ++oy) {
          const int64_t iy = oy * p.stride_h - p.pad_h + ki * p.dilation_h;
          if (iy < 0 || iy >= p.in_h) continue;
          const float* src = row + oy * g.ow;
          float* out = dx + (c * p.in_h + iy) * p.in_w;
          const int64_t ix0 = lo * p.stride_w - p.pad_w + kj * p.dilation_w;
          for (int64_t ox = lo; ox < hi; ++ox) out[ix0 + (ox - lo) * p.stride_w] += src[ox];
        }
      }
}

}  // namespace

int64_t conv2d_out_h(const Conv2dParams& p) {
  if (p.stride_h <= 0 || p.dilation_h <= 0) return 0;
  return (p.in_h + 2 * p.pad_h - p.dilation_h * (p.kernel_h - 1) - 1) / p.stride_h + 1;
}

int64_t conv2d_out_w(const Conv2dParams& p) {
  if (p.stride_w <= 0 || p.dilation_w <= 0) return 0;
  return (p.in_w + 2 * p.pad_w - p.dilation_w * (p.kernel_w - 1) - 1) / p.stride_w + 1;
}

bool conv2d_params_valid(const Conv2dParams& p) {
  if (p.batch < 0 || p.in_channels <= 0 || p.out_channels <= 0 || p.groups <= 0) return false;
  if (p.in_h <= 0 || p.in_w <= 0 || p.kernel_h <= 0 || p.kernel_w <= 0) return false;
  if (p.pad_h < 0 || p.pad_w < 0) return false;
  if (p.in_channels % p.groups != 0 || p.out_channels % p.groups != 0) return false;
  // Numerator must be non-negative before the division (C++ truncates toward zero).
  if (p.in_h + 2 * p.pad_h - p.dilation_h * (p.kernel_h - 1) - 1 < 0) return false;
  if (p.in_w + 2 * p.pad_w - p.dilation_w * (p.kernel_w - 1) - 1 < 0) return false;
  return conv2d_out_h(p) > 0 && conv2d_out_w(p) > 0;
}

namespace {

// This thread's im2col buffer for one image, or null for 1x1 convolutions, which need none; clears
// `ok` when the buffer cannot be allocated.
float* thread_columns(const Geometry& g, std::atomic<bool>& ok) {
  if (g.direct) return nullptr;
  float* col = t_col.floats(size_t(g.kdim * g.ohw));
  if (col == nullptr) ok = false;
  return col;
}

// The weight gradient sums over images: each chunk of images accumulates into its own partial
// gradient (the first chunk into grad_weight itself), and the partials are added at the end.
bool im2col_backward_weight(const Conv2dParams& p, const Geometry& g, const float* input, const float* grad_output,
                            float* grad_weight) {
  const int64_t wsize = p.out_channels * g.kdim;
  std::memset(grad_weight, 0, sizeof(float) * size_t(wsize));
  const int64_t chunks = std::max<int64_t>(1, std::min<int64_t>(get_pool_threads(), p.batch));
  std::vector<float> partial(size_t((chunks - 1) * wsize), 0.0f);
  std::atomic<bool> ok{true};
  parallel_for(chunks, [&](int64_t c) {
    float* col = thread_columns(g, ok);
    if (!ok) return;
    float* acc = c == 0 ? grad_weight : partial.data() + (c - 1) * wsize;
    for (int64_t n = c * p.batch / chunks; n < (c + 1) * p.batch / chunks; ++n)
      for (int64_t gr = 0; gr < p.groups; ++gr) {
        const float* x = input + (n * p.in_channels + gr * g.cg) * p.in_h * p.in_w;
        const float* dy = grad_output + (n * p.out_channels + gr * g.og) * g.ohw;
        const float* cols = x;
        if (!g.direct) {
          im2col(p, g, x, col);
          cols = col;
        }
        // dw[og x kdim] += dy[og x ohw] * cols^T[ohw x kdim]
        sgemm(false, true, g.og, g.kdim, g.ohw, 1.0f, dy, g.ohw, cols, g.ohw, 1.0f, acc + gr * g.og * g.kdim, g.kdim);
      }
  });
  for (int64_t c = 1; c < chunks; ++c) {
    const float* src = partial.data() + (c - 1) * wsize;
    for (int64_t i = 0; i < wsize; ++i) grad_weight[i] += src[i];
  }
  return ok;
}

std::atomic<bool> g_force_im2col{false};

bool use_direct(const Conv2dParams& p) { return !g_force_im2col.load(std::memory_order_relaxed) && conv2d_direct_applies(p); }

}  // namespace

void conv2d_force_im2col(bool force) { g_force_im2col = force; }

// Images are independent, so each thread of the pool takes whole images: its im2col and its (small)
// GEMMs then run on that thread, with no synchronisation inside an image.
bool conv2d_forward(const Conv2dParams& p, const float* input, const float* weight, const float* bias,
                    float* output) {
  if (!conv2d_params_valid(p)) return false;
  if (use_direct(p)) return conv2d_direct_forward(p, input, weight, bias, output);
  const Geometry g = geometry(p);
  std::atomic<bool> ok{true};
  parallel_for(p.batch, [&](int64_t n) {
    float* col = thread_columns(g, ok);
    if (!ok) return;
    for (int64_t gr = 0; gr < p.groups; ++gr) {
      const float* x = input + (n * p.in_channels + gr * g.cg) * p.in_h * p.in_w;
      float* y = output + (n * p.out_channels + gr * g.og) * g.ohw;
      const float* w = weight + gr * g.og * g.kdim;
      const float* cols = x;
      if (!g.direct) {
        im2col(p, g, x, col);
        cols = col;
      }
      // y[og x ohw] = w[og x kdim] * cols[kdim x ohw]
      sgemm(false, false, g.og, g.ohw, g.kdim, 1.0f, w, g.kdim, cols, g.ohw, 0.0f, y, g.ohw);
      if (bias != nullptr)
        for (int64_t o = 0; o < g.og; ++o) {
          const float b = bias[gr * g.og + o];
          float* row = y + o * g.ohw;
          for (int64_t s = 0; s < g.ohw; ++s) row[s] += b;
        }
    }
  });
  return ok;
}

bool conv2d_backward_input(const Conv2dParams& p, const float* grad_output, const float* weight,
                           float* grad_input) {
  if (!conv2d_params_valid(p)) return false;
  if (use_direct(p)) return conv2d_direct_backward_input(p, grad_output, weight, grad_input);
  const Geometry g = geometry(p);
  std::atomic<bool> ok{true};
  parallel_for(p.batch, [&](int64_t n) {
    float* col = thread_columns(g, ok);
    if (!ok) return;
    for (int64_t gr = 0; gr < p.groups; ++gr) {
      float* dx = grad_input + (n * p.in_channels + gr * g.cg) * p.in_h * p.in_w;
      const float* dy = grad_output + (n * p.out_channels + gr * g.og) * g.ohw;
      const float* w = weight + gr * g.og * g.kdim;
      // dcols[kdim x ohw] = w^T[kdim x og] * dy[og x ohw]; for 1x1 convolutions dcols is dx itself.
      float* dcols = g.direct ? dx : col;
      sgemm(true, false, g.kdim, g.ohw, g.og, 1.0f, w, g.kdim, dy, g.ohw, 0.0f, dcols, g.ohw);
      if (!g.direct) {
        std::memset(dx, 0, sizeof(float) * size_t(g.cg * p.in_h * p.in_w));
        col2im(p, g, col, dx);
      }
    }
  });
  return ok;
}

bool conv2d_backward_weight(const Conv2dParams& p, const float* input, const float* grad_output,
                            float* grad_weight, float* grad_bias) {
  if (!conv2d_params_valid(p)) return false;
  const Geometry g = geometry(p);
  const bool ok = use_direct(p) ? conv2d_direct_backward_weight(p, input, grad_output, grad_weight)
                                : im2col_backward_weight(p, g, input, grad_output, grad_weight);
  // grad_bias[o] = the sum of grad_output over the batch and the positions.
  if (grad_bias != nullptr) sum_outer_inner<float>(grad_output, p.batch, p.out_channels, g.ohw, grad_bias);
  return ok;
}

}  // namespace kindling
