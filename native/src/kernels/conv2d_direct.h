// Direct stride-1 convolution kernels on "wide" rows, for the per-ISA files and the conv2d driver.
//
// With stride 1, output (oy, ox) of a padded input plane of width Wp reads input (oy + ki*dh, ox + kj*dw),
// i.e. flat index j + off[t] with j = oy * Wp + ox and off[t] = ki*dh*Wp + kj*dw. Computing every j in
// [0, oh * Wp) — the ow valid columns of each row plus Wp - ow throw-away ones — turns the convolution
// into shifted contiguous loads with no im2col and no packing: vectors run along j, registers are
// blocked over output channels. The same correlation serves the input gradient (with flipped weights
// on the zero-extended output gradient), and its "dot" form gives the weight gradient.
#pragma once

#include <cstdint>

#include "conv2d.h"

namespace kindling {

// A register block: `ob` output channels x `jv` vectors of positions.
struct DirectBlock {
  int ob;
  int jv;
};

struct DirectConvKernels {
  int lanes;  // floats per vector
  // Block for `channels` outputs of a correlation (the caller pads the channel count to a multiple of ob).
  DirectBlock (*choose)(int64_t channels);
  // out[o * out_stride + j] = bias[o] + sum_c sum_t w[(c * taps + t) * opad + o] * in[c * plane + off[t] + j]
  // for o < opad (a multiple of b.ob) and j < jn (a multiple of lanes). bias may be null.
  void (*corr)(DirectBlock b, const float* in, int64_t channels, int64_t plane, const int64_t* off, int64_t taps,
               const float* w, int64_t opad, const float* bias, float* out, int64_t out_stride, int64_t jn);
  // part[((o * channels + c) * tpad + t) * lanes + l] += sum over images i < n and j = l (mod lanes) of
  //   dy[i * dy_image + o * dy_stride + j] * in[i * in_image + c * plane + off[t] + j]
  // for o < opad (a multiple of b.ob), t < tpad (a multiple of b.jv, which counts taps here), j < jn
  // (a multiple of lanes).
  void (*corr_grad)(DirectBlock b, const float* dy, int64_t dy_image, int64_t dy_stride, int64_t opad,
                    const float* in, int64_t in_image, int64_t channels, int64_t plane, const int64_t* off,
                    int64_t tpad, float* part, int64_t jn, int64_t n);
};

extern const DirectConvKernels kDirectConvAvx512;
extern const DirectConvKernels kDirectConvAvx2;

// Whether the direct path takes this convolution: stride 1, one group, and an AVX2 or AVX-512 CPU.
bool conv2d_direct_applies(const Conv2dParams& p);
// The conv2d.h entry points for such convolutions (parameters already validated).
bool conv2d_direct_forward(const Conv2dParams& p, const float* input, const float* weight, const float* bias,
                           float* output);
bool conv2d_direct_backward_input(const Conv2dParams& p, const float* grad_output, const float* weight,
                                  float* grad_input);
bool conv2d_direct_backward_weight(const Conv2dParams& p, const float* input, const float* grad_output,
                                   float* grad_weight);

}  // namespace kindling
