// AVX-512 direct convolution: 24 zmm accumulators per block (8x3, 6x4 or 4x6 channels x vectors).
#include "../gemm/ukernel_avx512_impl.h"
#include "conv2d_direct_impl.h"

namespace kindling {

const DirectConvKernels kDirectConvAvx512 =
    direct::Kernels<avx512::F32, direct::Block<8, 3>, direct::Block<6, 4>, direct::Block<4, 6>>::table();

}  // namespace kindling
