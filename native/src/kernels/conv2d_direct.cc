// native/src/kernels/conv2d_direct.cc — the direct stride-1 convolution driver (see conv2d_direct.h):
// lays each image and gradient out on padded "wide" rows in per-thread buffers and runs the ISA's
// kernels over them.
#include "conv2d_direct.h"

#include <algorithm>
#include <atomic>
#include <vector>

#include "../runtime/cpu_features.h"
#include "../runtime/thread_pool.h"
#include "../runtime/work_buffer.h"

namespace kindling {
namespace {

thread_local WorkBuffer t_pad;   // padded input images, or the zero-extended output gradient
thread_local WorkBuffer t_rows;  // wide output / gradient rows

const DirectConvKernels* direct_kernels() {
#if KINDLING_X86_KERNELS
  switch (active_isa()) {
    case Isa::kAvx512:
      return &kDirectConvAvx512;
    case Isa::kAvx2:
      return &kDirectConvAvx2;
    case Isa::kScalar:
      break;
  }
#endif
  return nullptr;
}

int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

// The padded input plane and the tap offsets into it (see conv2d_direct.h).
struct Direct {
  const DirectConvKernels* k;
  int64_t oh, ow, ohw;    // output rows, columns and plane size
  int64_t hp, wp, plane;  // padded input rows, columns and plane size
  int64_t taps;
  std::vector<int64_t> off;
  int64_t off_max;
  int64_t jn;  // wide output positions: oh * wp
};

Direct direct_geometry(const Conv2dParams& p) {
  Direct d;
  d.k = direct_kernels();
  d.oh = conv2d_out_h(p);
  d.ow = conv2d_out_w(p);
  d.ohw = d.oh * d.ow;
  d.hp = p.in_h + 2 * p.pad_h;
  d.wp = p.in_w + 2 * p.pad_w;
  d.plane = d.hp * d.wp;
  d.taps = p.kernel_h * p.kernel_w;
  for (int64_t ki = 0; ki < p.kernel_h; ++ki)
    for (int64_t kj = 0; kj < p.kernel_w; ++kj) d.off.push_back(ki * p.dilation_h * d.wp + kj * p.dilation_w);
  d.off_max = d.off.back();
  d.jn = d.oh * d.wp;
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
void widen(const Conv2dParams& p, const Direct& d, const float* dy, float* rows, int64_t stride, int64_t front,
           int64_t size) {
  place_rows(rows, size, front, stride, d.wp, dy, p.out_channels, d.oh, d.ow, d.ohw, d.ow);
}

bool direct_forward(const Conv2dParams& p, const Direct& d, const float* input, const float* weight, const float* bias,
                    float* output) {
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
    float* xp = t_pad.floats(size_t(xsize));
    float* yw = t_rows.floats(size_t(opad * jpad));
    if (xp == nullptr || yw == nullptr) {
      ok = false;
      return;
    }
    pad_image(p, d, input + n * C * p.in_h * p.in_w, xp, xsize);
    d.k->corr(b, xp, C, d.plane, d.off.data(), T, w.data(), opad, bias != nullptr ? bp.data() : nullptr, yw, jpad,
              jpad);
    take_rows(output + n * O * d.ohw, yw, O, d.oh, d.ow, 0, jpad, d.wp);
  });
  return ok;
}

// The input gradient is the same correlation over the zero-extended output gradient with the
// weights transposed and flipped: dxp[c][q] = sum_o sum_t w[o][c][T-1-t] * ext[o][q + off[t]], where
// ext holds dy's wide rows after off_max zeros.
bool direct_backward_input(const Conv2dParams& p, const Direct& d, const float* grad_output, const float* weight,
                           float* grad_input) {
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
    float* ext = t_pad.floats(size_t(O * eplane));
    float* dxp = t_rows.floats(size_t(cpad * jpad));
    if (ext == nullptr || dxp == nullptr) {
      ok = false;
      return;
    }
    widen(p, d, grad_output + n * O * d.ohw, ext, eplane, d.off_max, O * eplane);
    d.k->corr(b, ext, O, eplane, d.off.data(), T, w.data(), cpad, nullptr, dxp, jpad, jpad);
    take_rows(grad_input + n * C * p.in_h * p.in_w, dxp, C, p.in_h, p.in_w, p.pad_h * d.wp + p.pad_w, jpad, d.wp);
  });
  return ok;
}

// Each chunk of images accumulates lane-wise partial sums; they are folded into grad_weight at the end.
// A chunk prepares a group of images at a time, as many as keep the group's padded inputs and
// gradient rows within L2, so the kernel's sums stay in registers across the group.
bool direct_backward_weight(const Conv2dParams& p, const Direct& d, const float* input, const float* grad_output,
                            float* grad_weight) {
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
    float* xp = t_pad.floats(size_t(room * xsize));
    float* dyw = t_rows.floats(size_t(room * dsize));
    if (xp == nullptr || dyw == nullptr) {
      ok = false;
      return;
    }
    for (int64_t n0 = first; n0 < last; n0 += room) {
      const int64_t n = std::min(room, last - n0);
      for (int64_t i = 0; i < n; ++i) {
        pad_image(p, d, input + (n0 + i) * C * p.in_h * p.in_w, xp + i * xsize, xsize);
        widen(p, d, grad_output + (n0 + i) * O * d.ohw, dyw + i * dsize, jpad, 0, dsize);
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

}  // namespace

bool conv2d_direct_applies(const Conv2dParams& p) {
  return p.stride_h == 1 && p.stride_w == 1 && p.groups == 1 && direct_kernels() != nullptr;
}

bool conv2d_direct_forward(const Conv2dParams& p, const float* input, const float* weight, const float* bias,
                           float* output) {
  return direct_forward(p, direct_geometry(p), input, weight, bias, output);
}

bool conv2d_direct_backward_input(const Conv2dParams& p, const float* grad_output, const float* weight,
                                  float* grad_input) {
  return direct_backward_input(p, direct_geometry(p), grad_output, weight, grad_input);
}

bool conv2d_direct_backward_weight(const Conv2dParams& p, const float* input, const float* grad_output,
                                   float* grad_weight) {
  return direct_backward_weight(p, direct_geometry(p), input, grad_output, grad_weight);
}

}  // namespace kindling
