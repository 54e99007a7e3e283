// AVX2 direct convolution: 12 ymm accumulators per block (6x2 or 4x3 channels x vectors), leaving
// registers for the loaded inputs and the broadcast weight.
#include "../gemm/ukernel_avx2_impl.h"
#include "conv2d_direct_impl.h"

namespace kindling {

const DirectConvKernels kDirectConvAvx2 =
    direct::Kernels<avx2::F32, direct::Block<6, 2>, direct::Block<4, 3>>::table();

}  // namespace kindling
