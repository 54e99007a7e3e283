// Float32 2-D convolution (NCHW input, OIHW weight) forward and backward via im2col/col2im + sgemm.
#pragma once

#include <cstdint>

namespace kindling {

struct Conv2dParams {
  int64_t batch = 1;
  int64_t in_channels = 1, in_h = 1, in_w = 1;
  int64_t out_channels = 1;
  int64_t kernel_h = 1, kernel_w = 1;
  int64_t stride_h = 1, stride_w = 1;
  int64_t pad_h = 0, pad_w = 0;
  int64_t dilation_h = 1, dilation_w = 1;
  int64_t groups = 1;
};

// Output spatial size (PyTorch formula); <= 0 when the parameters are invalid.
int64_t conv2d_out_h(const Conv2dParams& p);
int64_t conv2d_out_w(const Conv2dParams& p);
// True when channels divide by groups, sizes are positive and the output is non-empty.
bool conv2d_params_valid(const Conv2dParams& p);

// output[N, O, OH, OW] = conv(input[N, C, H, W], weight[O, C / groups, KH, KW]) + bias[O] (bias may be null).
// All functions return false (and write nothing) when the parameters are invalid; they never throw.
bool conv2d_forward(const Conv2dParams& p, const float* input, const float* weight, const float* bias,
                    float* output);

// grad_input[N, C, H, W] = d(loss)/d(input) given grad_output[N, O, OH, OW] (overwritten, not accumulated).
bool conv2d_backward_input(const Conv2dParams& p, const float* grad_output, const float* weight,
                           float* grad_input);

// grad_weight[O, C / groups, KH, KW] and grad_bias[O] (may be null) from input and grad_output
// (overwritten, not accumulated).
bool conv2d_backward_weight(const Conv2dParams& p, const float* input, const float* grad_output,
                            float* grad_weight, float* grad_bias);

// Test and benchmark hook: route every convolution through im2col + GEMM (false restores the choice).
void conv2d_force_im2col(bool force);

}  // namespace kindling
