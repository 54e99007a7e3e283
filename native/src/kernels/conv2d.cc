// Float32 conv2d forward/backward. Stride-1 ungrouped convolutions run the direct kernels of
// conv2d_direct.h on a padded copy of each image; the rest use im2col (or the input itself for 1x1
// convolutions) into a reused per-thread buffer, then one sgemm per (image, group), and col2im.
#include "conv2d.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../gemm/gemm.h"
#include "../runtime/cpu_features.h"
#include "../runtime/thread_pool.h"
#include "conv2d_direct.h"

namespace kindling {
namespace {

// Grow-only, 64-byte aligned column buffer reused across calls (no allocation in steady state).
class ColBuffer {
 public:
  ~ColBuffer() { std::free(ptr_); }
  float* get(size_t floats) {
    const size_t bytes = floats * sizeof(float);
    if (bytes > size_) {
      void* p = nullptr;
      const size_t want = (bytes + 4095) & ~size_t(4095);
      if (posix_memalign(&p, 64, want) != 0) return nullptr;
      std::free(ptr_);
      ptr_ = p;
      size_ = want;
    }
    return static_cast<float*>(ptr_);
  }

 private:
  void* ptr_ = nullptr;
  size_t size_ = 0;
};

thread_local ColBuffer t_col;  // im2col columns, or the padded input of the direct kernels
thread_local ColBuffer t_aux;  // the direct kernels' wide output / gradient rows

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
  float* col = t_col.get(size_t(g.kdim * g.ohw));
  if (col == nullptr) ok = false;
  return col;
}

// ---- Direct stride-1 path -------------------------------------------------------------------------

const DirectConvKernels* direct_kernels() {
  switch (active_isa()) {
    case Isa::kAvx512:
      return &kDirectConvAvx512;
    case Isa::kAvx2:
      return &kDirectConvAvx2;
    case Isa::kScalar:
      break;
  }
  return nullptr;
}

int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

// The padded input plane and the tap offsets into it (see conv2d_direct.h).
struct Direct {
  const DirectConvKernels* k;
  int64_t hp, wp, plane;  // padded input rows, columns and plane size
  int64_t taps;
  std::vector<int64_t> off;
  int64_t off_max;
  int64_t jn;  // wide output positions: oh * wp
};

Direct direct_geometry(const Conv2dParams& p, const Geometry& g, const DirectConvKernels* k) {
  Direct d;
  d.k = k;
  d.hp = p.in_h + 2 * p.pad_h;
  d.wp = p.in_w + 2 * p.pad_w;
  d.plane = d.hp * d.wp;
  d.taps = p.kernel_h * p.kernel_w;
  for (int64_t ki = 0; ki < p.kernel_h; ++ki)
    for (int64_t kj = 0; kj < p.kernel_w; ++kj) d.off.push_back(ki * p.dilation_h * d.wp + kj * p.dilation_w);
  d.off_max = d.off.back();
  d.jn = g.oh * d.wp;
  return d;
}

// Floats of a padded image whose kernels read `jpad` positions past each tap offset.
int64_t padded_size(const Conv2dParams& p, const Direct& d, int64_t jpad) {
  return std::max(p.in_channels * d.plane, (p.in_channels - 1) * d.plane + d.off_max + jpad);
}

// Rows here are a few dozen floats: plain loops, which GCC must not turn into memset/memcpy calls
// (a call per row cost more than the copy).
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void zero_run(float* d, int64_t n) {
  for (int64_t i = 0; i < n; ++i) d[i] = 0.0f;
}
__attribute__((optimize("no-tree-loop-distribute-patterns"))) void copy_run(float* d, const float* s, int64_t n) {
  for (int64_t i = 0; i < n; ++i) d[i] = s[i];
}

// Lays `planes` x `rows` rows of `width` floats from src (strides src_plane, src_row) out in dst at
// first + k * dst_plane + r * dst_row, and zeros the rest of dst[0, size): each float written once.
void place_rows(float* dst, int64_t size, int64_t first, int64_t dst_plane, int64_t dst_row, const float* src,
                int64_t planes, int64_t rows, int64_t width, int64_t src_plane, int64_t src_row) {
  int64_t at = 0;
  for (int64_t k = 0; k < planes; ++k)
    for (int64_t r = 0; r < rows; ++r) {
      const int64_t pos = first + k * dst_plane + r * dst_row;
      zero_run(dst + at, pos - at);
      copy_run(dst + pos, src + k * src_plane + r * src_row, width);
      at = pos + width;
    }
  zero_run(dst + at, size - at);
}

// dst (dense planes x rows x width) = the rows at first + k * src_plane + r * src_row of src.
void take_rows(float* dst, const float* src, int64_t planes, int64_t rows, int64_t width, int64_t first,
               int64_t src_plane, int64_t src_row) {
  for (int64_t k = 0; k < planes; ++k)
    for (int64_t r = 0; r < rows; ++r) copy_run(dst + (k * rows + r) * width, src + first + k * src_plane + r * src_row, width);
}

// xp = image x with its zero border (and zeros after it, up to `size` floats).
void pad_image(const Conv2dParams& p, const Direct& d, const float* x, float* xp, int64_t size) {
  place_rows(xp, size, p.pad_h * d.wp + p.pad_w, d.plane, d.wp, x, p.in_channels, p.in_h, p.in_w, p.in_h * p.in_w,
             p.in_w);
}

// rows[o * stride + front + oy * wp + ox] = dy[o][oy][ox] for the valid columns, zero elsewhere
// (`size` floats).
void widen(const Conv2dParams& p, const Geometry& g, const Direct& d, const float* dy, float* rows, int64_t stride,
           int64_t front, int64_t size) {
  place_rows(rows, size, front, stride, d.wp, dy, p.out_channels, g.oh, g.ow, g.ohw, g.ow);
}

bool direct_forward(const Conv2dParams& p, const Geometry& g, const Direct& d, const float* input,
                    const float* weight, const float* bias, float* output) {
  const int64_t C = p.in_channels, O = p.out_channels, T = d.taps;
  const DirectBlock b = d.k->choose(O);
  const int64_t opad = round_up(O, b.ob), jpad = round_up(d.jn, d.k->lanes);
  // Weights as [channel][tap][output channel], zero for the padding channels.
  std::vector<float> w(size_t(C * T * opad), 0.0f), bp(size_t(opad), 0.0f);
  for (int64_t o = 0; o < O; ++o)
    for (int64_t ct = 0; ct < C * T; ++ct) w[size_t(ct * opad + o)] = weight[o * C * T + ct];
  if (bias != nullptr) std::copy(bias, bias + O, bp.begin());
  const int64_t xsize = padded_size(p, d, jpad);
  std::atomic<bool> ok{true};
  parallel_for(p.batch, [&](int64_t n) {
    float* xp = t_col.get(size_t(xsize));
    float* yw = t_aux.get(size_t(opad * jpad));
    if (xp == nullptr || yw == nullptr) {
      ok = false;
      return;
    }
    pad_image(p, d, input + n * C * p.in_h * p.in_w, xp, xsize);
    d.k->corr(b, xp, C, d.plane, d.off.data(), T, w.data(), opad, bias != nullptr ? bp.data() : nullptr, yw, jpad,
              jpad);
    take_rows(output + n * O * g.ohw, yw, O, g.oh, g.ow, 0, jpad, d.wp);
  });
  return ok;
}

// The input gradient is the same correlation over the zero-extended output gradient with the
// weights transposed and flipped: dxp[c][q] = sum_o sum_t w[o][c][T-1-t] * ext[o][q + off[t]], where
// ext holds dy's wide rows after off_max zeros.
bool direct_backward_input(const Conv2dParams& p, const Geometry& g, const Direct& d, const float* grad_output,
                           const float* weight, float* grad_input) {
  const int64_t C = p.in_channels, O = p.out_channels, T = d.taps;
  const DirectBlock b = d.k->choose(C);
  const int64_t cpad = round_up(C, b.ob), jpad = round_up(d.plane, d.k->lanes);
  const int64_t eplane = d.off_max + jpad;
  std::vector<float> w(size_t(O * T * cpad), 0.0f);
  for (int64_t o = 0; o < O; ++o)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t t = 0; t < T; ++t) w[size_t((o * T + t) * cpad + c)] = weight[(o * C + c) * T + (T - 1 - t)];
  std::atomic<bool> ok{true};
  parallel_for(p.batch, [&](int64_t n) {
    float* ext = t_col.get(size_t(O * eplane));
    float* dxp = t_aux.get(size_t(cpad * jpad));
    if (ext == nullptr || dxp == nullptr) {
      ok = false;
      return;
    }
    widen(p, g, d, grad_output + n * O * g.ohw, ext, eplane, d.off_max, O * eplane);
    d.k->corr(b, ext, O, eplane, d.off.data(), T, w.data(), cpad, nullptr, dxp, jpad, jpad);
    take_rows(grad_input + n * C * p.in_h * p.in_w, dxp, C, p.in_h, p.in_w, p.pad_h * d.wp + p.pad_w, jpad, d.wp);
  });
  return ok;
}

// Each chunk of images accumulates lane-wise partial sums; they are folded into grad_weight at the end.
// A chunk prepares a group of images at a time, as many as keep the group's padded inputs and
// gradient rows within L2, so the kernel's sums stay in registers across the group.
bool direct_backward_weight(const Conv2dParams& p, const Geometry& g, const Direct& d, const float* input,
                            const float* grad_output, float* grad_weight) {
  const int64_t C = p.in_channels, O = p.out_channels, T = d.taps, L = d.k->lanes;
  const DirectBlock b = d.k->choose(O);
  const int64_t opad = round_up(O, b.ob), tpad = round_up(T, b.jv), jpad = round_up(d.jn, L);
  std::vector<int64_t> off(d.off);
  off.resize(size_t(tpad), 0);  // padding taps read the plane's start; their sums are dropped
  const int64_t xsize = padded_size(p, d, jpad), psize = opad * C * tpad * L;
  const int64_t chunks = std::max<int64_t>(1, std::min<int64_t>(get_pool_threads(), p.batch));
  std::vector<float> part(size_t(chunks * psize), 0.0f);
  std::atomic<bool> ok{true};
  const int64_t dsize = opad * jpad;
  const int64_t group = std::max<int64_t>(1, (int64_t(512) << 10) / int64_t(sizeof(float) * size_t(xsize + dsize)));
  parallel_for(chunks, [&](int64_t ch) {
    const int64_t first = ch * p.batch / chunks, last = (ch + 1) * p.batch / chunks;
    const int64_t room = std::min(group, last - first);
    float* xp = t_col.get(size_t(room * xsize));
    float* dyw = t_aux.get(size_t(room * dsize));
    if (xp == nullptr || dyw == nullptr) {
      ok = false;
      return;
    }
    for (int64_t n0 = first; n0 < last; n0 += room) {
      const int64_t n = std::min(room, last - n0);
      for (int64_t i = 0; i < n; ++i) {
        pad_image(p, d, input + (n0 + i) * C * p.in_h * p.in_w, xp + i * xsize, xsize);
        widen(p, g, d, grad_output + (n0 + i) * O * g.ohw, dyw + i * dsize, jpad, 0, dsize);
      }
      d.k->corr_grad(b, dyw, dsize, jpad, opad, xp, xsize, C, d.plane, off.data(), tpad, part.data() + ch * psize, jpad, n);
    }
  });
  for (int64_t o = 0; o < O; ++o)
    for (int64_t c = 0; c < C; ++c)
      for (int64_t t = 0; t < T; ++t) {
        float s = 0.0f;
        for (int64_t ch = 0; ch < chunks; ++ch) {
          const float* v = part.data() + ch * psize + ((o * C + c) * tpad + t) * L;
          for (int64_t l = 0; l < L; ++l) s += v[l];
        }
        grad_weight[(o * C + c) * T + t] = s;
      }
  return ok;
}

// The weight gradient sums over images: each chunk of images accumulates into its own partial
// gradient (the first chunk into grad_weight itself), and the partials are added at the end.
bool im2col_backward_weight(const Conv2dParams& p, const Geometry& g, const float* input, const float* grad_output,
                            float* grad_weight) {
  const int64_t wsize = p.out_channels * g.kdim;
  std::memset(grad_weight, 0, sizeof(float) * size_t(wsize));
  int64_t chunks = get_pool_threads();
  if (chunks > p.batch) chunks = p.batch;
  if (chunks < 1) chunks = 1;
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

// The direct kernels, or null when this convolution takes the im2col path.
const DirectConvKernels* direct_for(const Conv2dParams& p) {
  if (p.stride_h != 1 || p.stride_w != 1 || p.groups != 1 || g_force_im2col.load(std::memory_order_relaxed)) return nullptr;
  return direct_kernels();
}
}  // namespace

// Images are independent, so each thread of the pool takes whole images: its im2col and its (small)
// GEMMs then run on that thread, with no synchronisation inside an image.
void conv2d_force_im2col(bool force) { g_force_im2col = force; }

bool conv2d_forward(const Conv2dParams& p, const float* input, const float* weight, const float* bias,
                    float* output) {
  if (!conv2d_params_valid(p)) return false;
  const Geometry g = geometry(p);
  if (const DirectConvKernels* k = direct_for(p)) return direct_forward(p, g, direct_geometry(p, g, k), input, weight, bias, output);
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
  const Geometry g = geometry(p);
  if (const DirectConvKernels* k = direct_for(p))
    return direct_backward_input(p, g, direct_geometry(p, g, k), grad_output, weight, grad_input);
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
  const DirectConvKernels* k = direct_for(p);
  const bool ok = k != nullptr ? direct_backward_weight(p, g, direct_geometry(p, g, k), input, grad_output, grad_weight)
                               : im2col_backward_weight(p, g, input, grad_output, grad_weight);
  if (grad_bias != nullptr) {
    for (int64_t o = 0; o < p.out_channels; ++o) {
      double s = 0.0;  // many terms: accumulate in double
      for (int64_t n = 0; n < p.batch; ++n) {
        const float* row = grad_output + (n * p.out_channels + o) * g.ohw;
        for (int64_t i = 0; i < g.ohw; ++i) s += row[i];
      }
      grad_bias[o] = static_cast<float>(s);
    }
  }
  return ok;
}

}  // namespace kindling
