// native/src/addon.cc — the only file including <napi.h>: unpacks arguments and calls kernels.
// TypeScript has validated shapes and dtypes; this layer only reads typed arrays in place
// (no copies) and a Float64Array descriptor of dims, strides and offsets.
#include <napi.h>

#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#if defined(__GLIBC__)
#include <malloc.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif
#endif

#include "gemm/gemm.h"
#include "kernels/activation.h"
#include "kernels/attention.h"
#include "kernels/conv2d.h"
#include "kernels/elementwise.h"
#include "kernels/fused.h"
#include "kernels/norm.h"
#include "kernels/pool2d.h"
#include "kernels/random.h"
#include "kernels/rnn.h"
#include "kernels/scan.h"
#include "kernels/softmax.h"
#include "kernels/strided.h"
#include "runtime/cpu_features.h"
#include "runtime/thread_pool.h"

namespace kindling {
namespace {

// The data pointer of a Float32Array or Float64Array argument (T says which), or null.
template <typename T>
T* data_of(const Napi::Value& v) {
  if (!v.IsTypedArray()) return nullptr;
  auto arr = v.As<Napi::TypedArray>();
  const napi_typedarray_type want = sizeof(T) == 4 ? napi_float32_array : napi_float64_array;
  if (arr.TypedArrayType() != want) return nullptr;
  return reinterpret_cast<T*>(static_cast<uint8_t*>(arr.ArrayBuffer().Data()) + arr.ByteOffset());
}

// The data pointer of a Uint8Array argument (bool tensors), or null.
uint8_t* bytes_of(const Napi::Value& v) {
  if (!v.IsTypedArray()) return nullptr;
  auto arr = v.As<Napi::TypedArray>();
  if (arr.TypedArrayType() != napi_uint8_array) return nullptr;
  return static_cast<uint8_t*>(arr.ArrayBuffer().Data()) + arr.ByteOffset();
}

bool is_f32(const Napi::Value& v) {
  return v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array;
}

// Reads the descriptor's doubles as int64 in order.
struct Desc {
  const double* p;
  explicit Desc(const Napi::Value& v) : p(data_of<double>(v)) {}
  int64_t next() { return static_cast<int64_t>(*p++); }
  void read(int64_t* out, int n) {
    for (int i = 0; i < n; i++) out[i] = next();
  }
};

// Several views of one shape, as the descriptor [ndim, offset of each view..., shape..., strides of
// view 0..., strides of view 1..., …] that src/backends/native/index.ts writes.
template <int kViews>
struct Views {
  int ndim;
  int64_t offset[kViews];
  int64_t shape[kMaxDims];
  int64_t strides[kViews][kMaxDims];
  explicit Views(const Napi::Value& v) {
    Desc d(v);
    ndim = static_cast<int>(d.next());
    for (int i = 0; i < kViews; i++) offset[i] = d.next();
    d.read(shape, ndim);
    for (int i = 0; i < kViews; i++) d.read(strides[i], ndim);
  }
};

// Runs fn(T{}) with T = float or double, the element type of the typed array `v`.
template <typename F>
Napi::Value by_dtype(const Napi::CallbackInfo& info, const Napi::Value& v, F fn) {
  if (is_f32(v)) fn(float{});
  else fn(double{});
  return info.Env().Undefined();
}

int32_t int_arg(const Napi::CallbackInfo& info, int i) { return info[i].As<Napi::Number>().Int32Value(); }
int64_t long_arg(const Napi::CallbackInfo& info, int i) { return info[i].As<Napi::Number>().Int64Value(); }

// unary(op, x, out, views of [x])
Napi::Value Unary(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    const Views<1> v(info[3]);
    unary<T>(static_cast<UnaryOp>(int_arg(info, 0)), data_of<T>(info[1]), v.shape, v.strides[0], v.ndim, v.offset[0],
             data_of<T>(info[2]));
  });
}

// binary(op, a, b, out, views of [a, b])
Napi::Value Binary(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    const Views<2> v(info[4]);
    binary<T>(static_cast<BinaryOp>(int_arg(info, 0)), data_of<T>(info[1]), v.strides[0], v.offset[0],
              data_of<T>(info[2]), v.strides[1], v.offset[1], v.shape, v.ndim, data_of<T>(info[3]));
  });
}

// compare(op, a, b, out: Uint8Array, views of [a, b]): a 0/1 byte per element.
Napi::Value Compare(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    const Views<2> v(info[4]);
    compare<T>(static_cast<CompareOp>(int_arg(info, 0)), data_of<T>(info[1]), v.strides[0], v.offset[0],
               data_of<T>(info[2]), v.strides[1], v.offset[1], v.shape, v.ndim, bytes_of(info[3]));
  });
}

// where(cond: Uint8Array, a, b, out, views of [cond, a, b])
Napi::Value Where(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    const Views<3> v(info[4]);
    where<T>(bytes_of(info[0]), v.strides[0], v.offset[0], data_of<T>(info[1]), v.strides[1], v.offset[1],
             data_of<T>(info[2]), v.strides[2], v.offset[2], v.shape, v.ndim, data_of<T>(info[3]));
  });
}

// argReduce(isMax, x, values, indices: Float64Array, A, R, B, offset) over a dense x[A, R, B].
Napi::Value ArgReduce(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    arg_reduce<T>(info[0].As<Napi::Boolean>().Value(), data_of<T>(info[1]) + long_arg(info, 7), long_arg(info, 4),
                  long_arg(info, 5), long_arg(info, 6), data_of<T>(info[2]), data_of<double>(info[3]));
  });
}

// Pooling geometry descriptor: [planes, H, W, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw], then offsets.
Pool2dParams pool_params(Desc& d) {
  Pool2dParams p;
  int64_t* fields[] = {&p.planes, &p.in_h, &p.in_w, &p.out_h, &p.out_w, &p.kernel_h, &p.kernel_w,
                       &p.stride_h, &p.stride_w, &p.pad_h, &p.pad_w, &p.dilation_h, &p.dilation_w};
  for (int64_t* f : fields) *f = d.next();
  return p;
}

// maxPool2dIndices(x, indices: Float64Array, values | null, desc = [geometry..., offset of x])
Napi::Value MaxPool2dIndices(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    Desc d(info[3]);
    const Pool2dParams p = pool_params(d);
    const int64_t offset = d.next();
    max_pool2d_indices<T>(p, data_of<T>(info[0]) + offset, data_of<double>(info[1]), data_of<T>(info[2]));
  });
}

// maxPool2dBackward(g, indices: Float64Array, out, desc = [geometry..., offset of g, offset of indices])
Napi::Value MaxPool2dBackward(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    Desc d(info[3]);
    const Pool2dParams p = pool_params(d);
    const int64_t og = d.next(), oi = d.next();
    max_pool2d_backward<T>(p, data_of<T>(info[0]) + og, data_of<double>(info[1]) + oi, data_of<T>(info[2]));
  });
}

// gather(x, index: Float64Array, out, dim, views of [x, index])
Napi::Value Gather(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    const Views<2> v(info[4]);
    gather_dim<T>(data_of<T>(info[0]), v.strides[0], v.offset[0], int_arg(info, 3), data_of<double>(info[1]),
                  v.strides[1], v.offset[1], v.shape, v.ndim, data_of<T>(info[2]));
  });
}

// scatterAdd(dst, index: Float64Array, src, dim, views of [dst, index, src])
Napi::Value ScatterAdd(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    const Views<3> v(info[4]);
    scatter_add_dim<T>(data_of<T>(info[0]), v.strides[0], v.offset[0], int_arg(info, 3), data_of<double>(info[1]),
                       v.strides[1], v.offset[1], data_of<T>(info[2]), v.strides[2], v.offset[2], v.shape, v.ndim);
  });
}

// axpy(alpha, x, xOffset, y, n): y[i] += alpha * x[xOffset + i].
Napi::Value Axpy(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    axpy<T>(long_arg(info, 4), static_cast<T>(info[0].As<Napi::Number>().DoubleValue()),
            data_of<T>(info[1]) + long_arg(info, 2), data_of<T>(info[3]));
  });
}

// clamp(x, out, lo, hi, views of [x])
Napi::Value Clamp(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    const Views<1> v(info[4]);
    clamp<T>(data_of<T>(info[0]), v.shape, v.strides[0], v.ndim, v.offset[0],
             static_cast<T>(info[2].As<Napi::Number>().DoubleValue()), static_cast<T>(info[3].As<Napi::Number>().DoubleValue()),
             data_of<T>(info[1]));
  });
}

// activation(op, param, x, out, views of [x])
Napi::Value Activation(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[2], [&](auto tag) {
    using T = decltype(tag);
    const Views<1> v(info[4]);
    activation<T>(static_cast<ActivationOp>(int_arg(info, 0)), static_cast<T>(info[1].As<Napi::Number>().DoubleValue()),
                  data_of<T>(info[2]), v.shape, v.strides[0], v.ndim, v.offset[0], data_of<T>(info[3]));
  });
}

// activationBackward(op, grad, x, out, views of [grad, x])
Napi::Value ActivationBackward(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    const Views<2> v(info[4]);
    activation_backward<T>(static_cast<ActivationOp>(int_arg(info, 0)), data_of<T>(info[1]), v.strides[0], v.offset[0],
                           data_of<T>(info[2]), v.strides[1], v.offset[1], v.shape, v.ndim, data_of<T>(info[3]));
  });
}

// addcmul(divide, value, x, a, b, out, views of [x, a, b])
Napi::Value Addcmul(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[2], [&](auto tag) {
    using T = decltype(tag);
    const Views<3> v(info[6]);
    addcmul<T>(info[0].As<Napi::Boolean>().Value(), static_cast<T>(info[1].As<Napi::Number>().DoubleValue()),
               data_of<T>(info[2]), v.strides[0], v.offset[0], data_of<T>(info[3]), v.strides[1], v.offset[1],
               data_of<T>(info[4]), v.strides[2], v.offset[2], v.shape, v.ndim, data_of<T>(info[5]));
  });
}

// fill(dst, offset, n, value): n contiguous elements from dst[offset].
Napi::Value Fill(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    fill<T>(data_of<T>(info[0]) + long_arg(info, 1), long_arg(info, 2),
            static_cast<T>(info[3].As<Napi::Number>().DoubleValue()));
  });
}

// adamStep(param, grad, expAvg, expAvgSq, maxExpAvgSq | null, constants = [sign, decay, weightDecay, beta1,
// beta2, stepSize, biasCorrection2Sqrt, eps]): arrays of one length, each exactly the elements to update.
Napi::Value AdamStepFn(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    const double* k = data_of<double>(info[5]);
    const AdamStep s{k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]};
    adam_step<T>(s, data_of<T>(info[0]), data_of<T>(info[1]), data_of<T>(info[2]), data_of<T>(info[3]),
                 data_of<T>(info[4]), static_cast<int64_t>(info[0].As<Napi::TypedArray>().ElementLength()));
  });
}

// sgdStep(param, grad, momentumBuffer, constants = [sign, lr, momentum, dampening, weightDecay, nesterov, first]).
Napi::Value SgdStepFn(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    const double* k = data_of<double>(info[3]);
    const SgdStep s{k[0], k[1], k[2], k[3], k[4], k[5] != 0, k[6] != 0};
    sgd_step<T>(s, data_of<T>(info[0]), data_of<T>(info[1]), data_of<T>(info[2]),
                static_cast<int64_t>(info[0].As<Napi::TypedArray>().ElementLength()));
  });
}

// copy(src, dst, views of [src, dst])
Napi::Value Copy(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    const Views<2> v(info[2]);
    copy_strided<T>(data_of<T>(info[0]), v.strides[0], v.offset[0], data_of<T>(info[1]), v.strides[1], v.offset[1],
                    v.shape, v.ndim);
  });
}

// reduce(op, x, out, A, R, B, offset): out[a, b] = fold over r of x[offset + (a*R + r)*B + b].
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    reduce_middle<T>(int_arg(info, 0), data_of<T>(info[1]) + long_arg(info, 6), long_arg(info, 3), long_arg(info, 4),
                     long_arg(info, 5), data_of<T>(info[2]));
  });
}

// cumulative(op, x, out, A, R, B, offset): out[a, r, b] = running sum (op 0) or product (op 1) over r of a dense x[A, R, B].
Napi::Value Cumulative(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    cumulative<T>(int_arg(info, 0), data_of<T>(info[1]) + long_arg(info, 6), long_arg(info, 3), long_arg(info, 4),
                  long_arg(info, 5), data_of<T>(info[2]));
  });
}

// softmax(x, out, A, R, B, log, offset): (log-)softmax over R of a contiguous [A, R, B].
Napi::Value Softmax(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    softmax<T>(data_of<T>(info[0]) + long_arg(info, 6), long_arg(info, 2), long_arg(info, 3), long_arg(info, 4),
               info[5].As<Napi::Boolean>().Value(), data_of<T>(info[1]));
  });
}

// softmaxBackward(g, y, out, A, R, B, log, offsetG, offsetY).
Napi::Value SoftmaxBackward(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    softmax_backward<T>(data_of<T>(info[0]) + long_arg(info, 7), data_of<T>(info[1]) + long_arg(info, 8),
                        long_arg(info, 3), long_arg(info, 4), long_arg(info, 5), info[6].As<Napi::Boolean>().Value(),
                        data_of<T>(info[2]));
  });
}

// lstmCell(gates, c, out, acts, views of [gates, c] over [N, H]): see kernels/rnn.h; gate k of a row
// is H columns further along gates' columns than gate k - 1.
Napi::Value LstmCell(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    const Views<2> v(info[4]);
    const auto rows = [&](int k, const Napi::Value& x) { return Rows<T>{data_of<T>(x), v.offset[k], v.strides[k][0], v.strides[k][1]}; };
    lstm_cell<T>(v.shape[0], v.shape[1], rows(0, info[0]), rows(1, info[1]), data_of<T>(info[2]), data_of<T>(info[3]));
  });
}

// lstmCellBackward(gradH, gradC, c, acts, dGates, dcPrev, actsOffset, views of [gradH, gradC, c] over [N, H]).
Napi::Value LstmCellBackward(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    const Views<3> v(info[7]);
    const auto rows = [&](int k, const Napi::Value& x) { return Rows<T>{data_of<T>(x), v.offset[k], v.strides[k][0], v.strides[k][1]}; };
    lstm_cell_backward<T>(v.shape[0], v.shape[1], rows(0, info[0]), rows(1, info[1]), rows(2, info[2]),
                          data_of<T>(info[3]) + long_arg(info, 6), data_of<T>(info[4]), data_of<T>(info[5]));
  });
}

// lstmLayer(xp, w, h0, c0, gates, y, cs, steps, n, h, reverse, offsets [xp, w, h0, c0]): dense operands, see kernels/rnn.h.
Napi::Value LstmLayer(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    Desc d(info[11]);
    const T* in[4];
    for (int k = 0; k < 4; ++k) in[k] = data_of<T>(info[k]) + d.next();
    lstm_layer<T>(long_arg(info, 7), long_arg(info, 8), long_arg(info, 9), info[10].As<Napi::Boolean>().Value(), in[0], in[1],
                  in[2], in[3], data_of<T>(info[4]), data_of<T>(info[5]), data_of<T>(info[6]));
  });
}

// lstmLayerBackward(gates, w, c0, cs, gradY | null, gradH | null, gradC | null, dGates, dh0, dc0, steps, n, h, reverse,
// offsets [gates, w, c0, cs, gradY, gradH, gradC]): dense operands, see kernels/rnn.h.
Napi::Value LstmLayerBackward(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    Desc d(info[14]);
    const T* in[7];
    for (int k = 0; k < 7; ++k) {
      const T* p = data_of<T>(info[k]);
      const int64_t off = d.next();
      in[k] = p == nullptr ? nullptr : p + off;
    }
    lstm_layer_backward<T>(long_arg(info, 10), long_arg(info, 11), long_arg(info, 12), info[13].As<Napi::Boolean>().Value(),
                           in[0], in[1], in[2], in[3], in[4], in[5], in[6], data_of<T>(info[7]), data_of<T>(info[8]),
                           data_of<T>(info[9]));
  });
}

// The attention descriptor that src/backends/native/nn.ts writes: b1, b2, l, s, d, dv, scale, causal, then per
// operand its offset and strides (s0, s1, row; a mask also its column stride).
struct AttentionDesc {
  Desc d;
  AttentionShape sh;
  explicit AttentionDesc(const Napi::Value& v) : d(v) {
    sh.b1 = d.next();
    sh.b2 = d.next();
    sh.l = d.next();
    sh.s = d.next();
    sh.d = d.next();
    sh.dv = d.next();
    sh.scale = *d.p++;
    sh.causal = d.next() != 0;
  }
  template <typename T, typename P>
  Heads<P> heads(const Napi::Value& x) {
    const int64_t off = d.next(), s0 = d.next(), s1 = d.next(), rs = d.next();
    return Heads<P>{data_of<T>(x) + off, s0, s1, rs};
  }
  template <typename T>
  Mask<T> mask(const Napi::Value& x) {
    const int64_t off = d.next(), s0 = d.next(), s1 = d.next(), rs = d.next(), cs = d.next();
    const T* p = data_of<T>(x);
    return Mask<T>{p == nullptr ? nullptr : p + off, s0, s1, rs, cs};
  }
};

// attention(q, k, v, mask | null, out, lse, desc): see kernels/attention.h.
Napi::Value Attention(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    AttentionDesc a(info[6]);
    const auto q = a.heads<T, const T>(info[0]), k = a.heads<T, const T>(info[1]), v = a.heads<T, const T>(info[2]);
    const auto m = a.mask<T>(info[3]);
    const auto out = a.heads<T, T>(info[4]);
    attention_forward<T>(a.sh, q, k, v, m, out, data_of<T>(info[5]));
  });
}

// attentionBackward(q, k, v, mask | null, out, dout, lse, dq, dk, dv, desc): descriptor operands in that order.
Napi::Value AttentionBackward(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    AttentionDesc a(info[10]);
    const auto q = a.heads<T, const T>(info[0]), k = a.heads<T, const T>(info[1]), v = a.heads<T, const T>(info[2]);
    const auto m = a.mask<T>(info[3]);
    const auto out = a.heads<T, const T>(info[4]), dout = a.heads<T, const T>(info[5]);
    const T* lse = data_of<T>(info[6]) + a.d.next();
    const auto dq = a.heads<T, T>(info[7]), dk = a.heads<T, T>(info[8]), dv = a.heads<T, T>(info[9]);
    attention_backward<T>(a.sh, q, k, v, m, out, dout, lse, dq, dk, dv);
  });
}

// layerNorm(x, weight | null, bias | null, y, mean, rstd, rows, cols, eps, offsets [x, weight, bias]): see kernels/norm.h.
Napi::Value LayerNorm(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    Desc d(info[9]);
    const int64_t ox = d.next(), ow = d.next(), ob = d.next();
    const auto opt = [&](int i, int64_t off) { return info[i].IsNull() ? nullptr : data_of<T>(info[i]) + off; };
    layer_norm<T>(data_of<T>(info[0]) + ox, opt(1, ow), opt(2, ob), long_arg(info, 6), long_arg(info, 7),
                  info[8].As<Napi::Number>().DoubleValue(), data_of<T>(info[3]), data_of<T>(info[4]), data_of<T>(info[5]));
  });
}

// layerNormBackward(g, x, mean, rstd, weight | null, dx | null, dweight | null, dbias | null, rows, cols,
// offsets [g, x, mean, rstd, weight]).
Napi::Value LayerNormBackward(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    Desc d(info[10]);
    int64_t off[5];
    for (auto& o : off) o = d.next();
    const auto opt = [&](int i) { return info[i].IsNull() ? nullptr : data_of<T>(info[i]); };
    layer_norm_backward<T>(data_of<T>(info[0]) + off[0], data_of<T>(info[1]) + off[1], data_of<T>(info[2]) + off[2],
                           data_of<T>(info[3]) + off[3], info[4].IsNull() ? nullptr : data_of<T>(info[4]) + off[4],
                           long_arg(info, 8), long_arg(info, 9), opt(5), opt(6), opt(7));
  });
}

// sumOuterInner(x, out, A, K, R, offset): out[k] = sum of x[a, k, r] over a and r.
Napi::Value SumOuterInner(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) {
    using T = decltype(tag);
    sum_outer_inner<T>(data_of<T>(info[0]) + long_arg(info, 5), long_arg(info, 2), long_arg(info, 3), long_arg(info, 4),
                       data_of<T>(info[1]));
  });
}

// matmul(a, b, out, desc = [batchDims, m, k, n, offsetA, offsetB, batchShape..., batchStridesA...,
//        batchStridesB..., am, ak, bk, bn]); out is contiguous [..., m, n].
template <typename T>
void matmul_t(const Napi::CallbackInfo& info) {
  Desc d(info[3]);
  const int nb = static_cast<int>(d.next());
  const int64_t m = d.next(), k = d.next(), n = d.next(), oa = d.next(), ob = d.next();
  int64_t shape[kMaxDims], sa[kMaxDims], sb[kMaxDims];
  d.read(shape, nb);
  d.read(sa, nb);
  d.read(sb, nb);
  const int64_t am = d.next(), ak = d.next(), bk = d.next(), bn = d.next();
  const T* a = data_of<T>(info[0]);
  const T* b = data_of<T>(info[1]);
  T* out = data_of<T>(info[2]);
  std::vector<std::pair<int64_t, int64_t>> starts;  // each product's offsets into a and b
  for_each_run(shape, nb, {sa, sb}, {oa, ob}, [&](const int64_t* p, int64_t count, const int64_t* r) {
    for (int64_t i = 0; i < count; i++) starts.emplace_back(p[0] + i * r[0], p[1] + i * r[1]);
  });
  // Many small products (attention's per-head ones) go one per task, whole, instead of each being
  // split across the pool in turn; products inside a task run on its thread alone.
  const bool per_task = starts.size() >= 2 && m * n * k <= (int64_t(1) << 22);
  const int64_t tasks = per_task ? int64_t(starts.size()) : 1;
  parallel_for(tasks, [&](int64_t task) {
    for (int64_t t = per_task ? task : 0; t < (per_task ? task + 1 : int64_t(starts.size())); t++) {
      const T* A = a + starts[size_t(t)].first;
      const T* B = b + starts[size_t(t)].second;
      T* C = out + t * m * n;
      if constexpr (sizeof(T) == 4) {
        // A matrix-vector product is memory-bound: the GEMV kernel streams A once, and large
        // row-major ones are split by rows across the pool so every core streams its share.
        if (n == 1 && ak == 1) {
          const int64_t parts = m * k >= (1 << 18) ? get_pool_threads() : 1;
          parallel_for(parts, [&](int64_t p) {
            const int64_t r0 = m * p / parts, r1 = m * (p + 1) / parts;
            sgemv(false, r1 - r0, k, 1.0f, A + r0 * am, am, B, bk, 0.0f, C + r0, 1);
          });
        } else if (n == 1 && am == 1) {
          sgemv(true, m, k, 1.0f, A, ak, B, bk, 0.0f, C, 1);
        } else {
          sgemm_strided(m, n, k, 1.0f, A, am, ak, B, bk, bn, 0.0f, C, n, 1);
        }
      } else {
        dgemm_strided(m, n, k, 1.0, A, am, ak, B, bk, bn, 0.0, C, n, 1);
      }
    }
  });
}

Napi::Value Matmul(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[0], [&](auto tag) { matmul_t<decltype(tag)>(info); });
}

// alignBuffer(buffer: ArrayBuffer, huge: boolean) → the byte offset (0–63) at which the buffer's
// memory starts on a 64-byte boundary, as PyTorch's allocator aligns tensors: malloc only aligns to
// 16 bytes, and a 64-byte vector load that straddles two cache lines costs two (a 20 MB sum ran at
// half speed). With `huge`, also asks Linux to back the buffer's whole 2 MB pages with transparent
// huge pages (the machine's THP mode is "madvise"): untouched pages then fault in 2 MB at a time,
// and streams over them need 512 times fewer TLB entries.
Napi::Value AlignBuffer(const Napi::CallbackInfo& info) {
  auto buffer = info[0].As<Napi::ArrayBuffer>();
  const uintptr_t start = reinterpret_cast<uintptr_t>(buffer.Data());
  const uint32_t offset = static_cast<uint32_t>((64 - start % 64) % 64);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (info[1].As<Napi::Boolean>().Value()) {
    const uintptr_t huge = uintptr_t(2) << 20;
    const uintptr_t lo = (start + huge - 1) & ~(huge - 1), hi = (start + buffer.ByteLength()) & ~(huge - 1);
    if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_HUGEPAGE);
  }
#endif
  return Napi::Number::New(info.Env(), offset);
}

// Makes large allocations come from glibc's reusable heap instead of fresh mmap'd pages: a freed
// tensor's memory then serves the next one, where a fresh mapping faults on every page on first
// touch (~3 ms per MB on these machines, more than the kernels themselves). The price is that
// memory freed by big tensors stays with the process (as with PyTorch's caching allocators).
Napi::Value TuneMalloc(const Napi::CallbackInfo& info) {
#if defined(__GLIBC__)
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  return Napi::Boolean::New(info.Env(), true);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

// conv2d geometry descriptor: [N, C, H, W, O, KH, KW, strideH, strideW, padH, padW, dilH, dilW, groups,
// offsetA, offsetB]; float32 and contiguous operands only (TypeScript checks).
Conv2dParams conv_params(Desc& d, int64_t* off_a, int64_t* off_b) {
  Conv2dParams p;
  p.batch = d.next();
  p.in_channels = d.next();
  p.in_h = d.next();
  p.in_w = d.next();
  p.out_channels = d.next();
  p.kernel_h = d.next();
  p.kernel_w = d.next();
  p.stride_h = d.next();
  p.stride_w = d.next();
  p.pad_h = d.next();
  p.pad_w = d.next();
  p.dilation_h = d.next();
  p.dilation_w = d.next();
  p.groups = d.next();
  *off_a = d.next();
  *off_b = d.next();
  return p;
}

// conv2dForward(x, w, bias | null, out, desc) → whether it ran; desc ends with the bias offset.
Napi::Value Conv2dForward(const Napi::CallbackInfo& info) {
  Desc d(info[4]);
  int64_t ox, ow;
  const Conv2dParams p = conv_params(d, &ox, &ow);
  const float* bias = data_of<float>(info[2]);
  const int64_t ob = d.next();
  const bool ok = conv2d_forward(p, data_of<float>(info[0]) + ox, data_of<float>(info[1]) + ow,
                                 bias != nullptr ? bias + ob : nullptr, data_of<float>(info[3]));
  return Napi::Boolean::New(info.Env(), ok);
}

// conv2dInputGrad(g, w, out, desc) → whether it ran.
Napi::Value Conv2dInputGrad(const Napi::CallbackInfo& info) {
  Desc d(info[3]);
  int64_t og, ow;
  const Conv2dParams p = conv_params(d, &og, &ow);
  const bool ok = conv2d_backward_input(p, data_of<float>(info[0]) + og, data_of<float>(info[1]) + ow,
                                        data_of<float>(info[2]));
  return Napi::Boolean::New(info.Env(), ok);
}

// conv2dWeightGrad(x, g, out, desc) → whether it ran.
Napi::Value Conv2dWeightGrad(const Napi::CallbackInfo& info) {
  Desc d(info[3]);
  int64_t ox, og;
  const Conv2dParams p = conv_params(d, &ox, &og);
  const bool ok = conv2d_backward_weight(p, data_of<float>(info[0]) + ox, data_of<float>(info[1]) + og,
                                         data_of<float>(info[2]), nullptr);
  return Napi::Boolean::New(info.Env(), ok);
}

// ---- Random draws: (state, out, ...) with `state` the Uint32Array over a generator's state buffer
// (src/core/generator.ts) and `out` the whole typed array to fill, in order.

GeneratorState& state_of(const Napi::Value& v) {
  auto arr = v.As<Napi::TypedArray>();
  return *reinterpret_cast<GeneratorState*>(static_cast<uint8_t*>(arr.ArrayBuffer().Data()) + arr.ByteOffset());
}

int64_t length_of(const Napi::Value& v) { return static_cast<int64_t>(v.As<Napi::TypedArray>().ElementLength()); }
double number_arg(const Napi::CallbackInfo& info, int i) { return info[i].As<Napi::Number>().DoubleValue(); }

// Runs fn(p) with p the data pointer of `v`, a Float32Array, Float64Array, Int32Array or Uint8Array.
template <typename F>
Napi::Value by_array_type(const Napi::CallbackInfo& info, const Napi::Value& v, F fn) {
  auto arr = v.As<Napi::TypedArray>();
  void* p = static_cast<uint8_t*>(arr.ArrayBuffer().Data()) + arr.ByteOffset();
  switch (arr.TypedArrayType()) {
    case napi_float32_array: fn(static_cast<float*>(p)); break;
    case napi_float64_array: fn(static_cast<double*>(p)); break;
    case napi_int32_array: fn(static_cast<int32_t*>(p)); break;
    case napi_uint8_array: fn(static_cast<uint8_t*>(p)); break;
    default: break;
  }
  return info.Env().Undefined();
}

// randomUniform(state, out: Float32Array | Float64Array, from, to)
Napi::Value RandomUniform(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    random_uniform(state_of(info[0]), data_of<T>(info[1]), length_of(info[1]), number_arg(info, 2), number_arg(info, 3));
  });
}

// randomNormal(state, out: Float32Array | Float64Array, mean, std, elementwise)
Napi::Value RandomNormal(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    random_normal(state_of(info[0]), data_of<T>(info[1]), length_of(info[1]), number_arg(info, 2), number_arg(info, 3),
                  info[4].As<Napi::Boolean>().Value());
  });
}

// randomInt(state, out: Float32Array | Float64Array | Int32Array | Uint8Array, low, high)
Napi::Value RandomInt(const Napi::CallbackInfo& info) {
  return by_array_type(info, info[1], [&](auto* out) {
    random_int(state_of(info[0]), out, length_of(info[1]), number_arg(info, 2), number_arg(info, 3));
  });
}

// randomBernoulli(state, out: Float32Array | Float64Array | Uint8Array, p)
Napi::Value RandomBernoulli(const Napi::CallbackInfo& info) {
  return by_array_type(info, info[1], [&](auto* out) {
    using T = std::remove_pointer_t<decltype(out)>;
    if constexpr (!std::is_same_v<T, int32_t>) random_bernoulli(state_of(info[0]), out, length_of(info[1]), number_arg(info, 2));
  });
}

// randomExponential(state, out: Float32Array | Float64Array, lambd)
Napi::Value RandomExponential(const Napi::CallbackInfo& info) {
  return by_dtype(info, info[1], [&](auto tag) {
    using T = decltype(tag);
    random_exponential(state_of(info[0]), data_of<T>(info[1]), length_of(info[1]), number_arg(info, 2));
  });
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  set_num_threads(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), get_num_threads());
}

Napi::Value IsaName(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), gemm_isa());
}


// The constructor of kindling's RuntimeError, handed over once by the TypeScript loader, so that a
// kernel's failure surfaces as the library's own error class.
Napi::FunctionReference g_runtime_error;

Napi::Value SetErrorClass(const Napi::CallbackInfo& info) {
  g_runtime_error = Napi::Persistent(info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

// Every entry point runs through guarded(): TypeScript has checked the arguments, so a C++ exception
// here is a failed allocation of scratch memory (std::bad_alloc) or a bug, and either must become a
// JavaScript error rather than reach std::terminate and end the process.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  std::string message;
  try {
    return F(info);
  } catch (const std::bad_alloc&) {
    message = "DefaultCPUAllocator: not enough memory for a native kernel's scratch space";
  } catch (const std::exception& e) {
    message = std::string("native kernel failed: ") + e.what();
  } catch (...) {
    message = "native kernel failed";
  }
  Napi::Env env = info.Env();
  const Napi::String text = Napi::String::New(env, static_cast<const char*>(info.Data()) + (": " + message));
  const Napi::Value error = g_runtime_error.IsEmpty() ? Napi::Error::New(env, text).Value() : g_runtime_error.New({text});
  Napi::Error(env, error).ThrowAsJavaScriptException();
  return env.Undefined();
}

// Exports F as `name`, guarded; the name rides along as the function's data for error messages.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
void add(Napi::Env env, Napi::Object exports, const char* name) {
  exports.Set(name, Napi::Function::New(env, guarded<F>, name, const_cast<char*>(name)));
}

}  // namespace
}  // namespace kindling

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  using namespace kindling;
  add<Unary>(env, exports, "unary");
  // How many unary codes this build knows: the TS side keeps newer ones on the JS reference for an older build.
  exports.Set("unaryCodes", Napi::Number::New(env, static_cast<int>(UnaryOp::kErf) + 1));
  add<Binary>(env, exports, "binary");
  add<Copy>(env, exports, "copy");
  add<Axpy>(env, exports, "axpy");
  add<Clamp>(env, exports, "clamp");
  add<Activation>(env, exports, "activation");
  add<ActivationBackward>(env, exports, "activationBackward");
  add<LstmCell>(env, exports, "lstmCell");
  add<LayerNorm>(env, exports, "layerNorm");
  add<LayerNormBackward>(env, exports, "layerNormBackward");
  add<LstmCellBackward>(env, exports, "lstmCellBackward");
  add<LstmLayer>(env, exports, "lstmLayer");
  add<Attention>(env, exports, "attention");
  add<AttentionBackward>(env, exports, "attentionBackward");
  add<LstmLayerBackward>(env, exports, "lstmLayerBackward");
  add<Addcmul>(env, exports, "addcmul");
  add<Fill>(env, exports, "fill");
  add<AdamStepFn>(env, exports, "adamStep");
  add<SgdStepFn>(env, exports, "sgdStep");
  add<Compare>(env, exports, "compare");
  add<Where>(env, exports, "where");
  add<ArgReduce>(env, exports, "argReduce");
  add<MaxPool2dIndices>(env, exports, "maxPool2dIndices");
  add<MaxPool2dBackward>(env, exports, "maxPool2dBackward");
  add<SumOuterInner>(env, exports, "sumOuterInner");
  add<Softmax>(env, exports, "softmax");
  add<SoftmaxBackward>(env, exports, "softmaxBackward");
  add<Gather>(env, exports, "gather");
  add<ScatterAdd>(env, exports, "scatterAdd");
  add<Reduce>(env, exports, "reduce");
  add<Cumulative>(env, exports, "cumulative");
  add<Matmul>(env, exports, "matmul");
  add<Conv2dForward>(env, exports, "conv2dForward");
  add<Conv2dInputGrad>(env, exports, "conv2dInputGrad");
  add<Conv2dWeightGrad>(env, exports, "conv2dWeightGrad");
  add<TuneMalloc>(env, exports, "tuneMalloc");
  add<AlignBuffer>(env, exports, "alignBuffer");
  add<SetNumThreads>(env, exports, "setNumThreads");
  add<GetNumThreads>(env, exports, "getNumThreads");
  add<SetErrorClass>(env, exports, "setErrorClass");
  add<IsaName>(env, exports, "isa");
  add<RandomUniform>(env, exports, "randomUniform");
  add<RandomNormal>(env, exports, "randomNormal");
  add<RandomInt>(env, exports, "randomInt");
  add<RandomBernoulli>(env, exports, "randomBernoulli");
  add<RandomExponential>(env, exports, "randomExponential");
  return exports;
}

}  // namespace

// The registration macro names a symbol after its first argument, which must not be `kindling`.
NODE_API_MODULE(kindling_addon, Init)
