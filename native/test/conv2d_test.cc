// conv2d forward / backward-input / backward-weight tests against a naive direct convolution.
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "../src/gemm/gemm.h"
#include "../src/kernels/conv2d.h"

using namespace kindling;

namespace {

int g_failures = 0;
std::mt19937 g_rng(7);

std::vector<float> random_vec(size_t n) {
  std::uniform_real_distribution<float> d(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (auto& x : v) x = d(g_rng);
  return v;
}

// Calls f(n, o, oy, ox, c, ki, kj, input_index, weight_index) for every in-bounds term of the convolution.
template <typename F>
void for_each_term(const Conv2dParams& p, F f) {
  const int64_t oh = conv2d_out_h(p), ow = conv2d_out_w(p);
  const int64_t cg = p.in_channels / p.groups, og = p.out_channels / p.groups;
  for (int64_t n = 0; n < p.batch; ++n)
    for (int64_t o = 0; o < p.out_channels; ++o) {
      const int64_t gr = o / og;
      for (int64_t oy = 0; oy < oh; ++oy)
        for (int64_t ox = 0; ox < ow; ++ox)
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t ki = 0; ki < p.kernel_h; ++ki)
              for (int64_t kj = 0; kj < p.kernel_w; ++kj) {
                const int64_t iy = oy * p.stride_h - p.pad_h + ki * p.dilation_h;
                const int64_t ix = ox * p.stride_w - p.pad_w + kj * p.dilation_w;
                if (iy < 0 || iy >= p.in_h || ix < 0 || ix >= p.in_w) continue;
                const int64_t in_idx = ((n * p.in_channels + gr * cg + c) * p.in_h + iy) * p.in_w + ix;
                const int64_t w_idx = ((o * cg + c) * p.kernel_h + ki) * p.kernel_w + kj;
                const int64_t out_idx = ((n * p.out_channels + o) * oh + oy) * ow + ox;
                f(out_idx, in_idx, w_idx);
              }
    }
}

bool close(const char* what, const std::vector<float>& got, const std::vector<double>& want) {
  for (size_t i = 0; i < want.size(); ++i) {
    if (!(std::fabs(double(got[i]) - want[i]) <= 1e-4 * (1.0 + std::fabs(want[i])))) {
      std::printf("FAIL %s at %zu: got %.7g want %.7g\n", what, i, double(got[i]), want[i]);
      ++g_failures;
      return false;
    }
  }
  return true;
}

void test_case(const Conv2dParams& p) {
  const int64_t oh = conv2d_out_h(p), ow = conv2d_out_w(p);
  const size_t in_size = size_t(p.batch * p.in_channels * p.in_h * p.in_w);
  const size_t w_size = size_t(p.out_channels * (p.in_channels / p.groups) * p.kernel_h * p.kernel_w);
  const size_t out_size = size_t(p.batch * p.out_channels * oh * ow);
  auto x = random_vec(in_size), w = random_vec(w_size), b = random_vec(size_t(p.out_channels));
  auto dy = random_vec(out_size);

  std::vector<double> y_ref(out_size), dx_ref(in_size, 0.0), dw_ref(w_size, 0.0), db_ref(size_t(p.out_channels), 0.0);
  for_each_term(p, [&](int64_t oi, int64_t ii, int64_t wi) {
    y_ref[size_t(oi)] += double(x[size_t(ii)]) * w[size_t(wi)];
    dx_ref[size_t(ii)] += double(dy[size_t(oi)]) * w[size_t(wi)];
    dw_ref[size_t(wi)] += double(dy[size_t(oi)]) * x[size_t(ii)];
  });
  for (int64_t n = 0; n < p.batch; ++n)
    for (int64_t o = 0; o < p.out_channels; ++o)
      for (int64_t s = 0; s < oh * ow; ++s) {
        y_ref[size_t((n * p.out_channels + o) * oh * ow + s)] += b[size_t(o)];
        db_ref[size_t(o)] += dy[size_t((n * p.out_channels + o) * oh * ow + s)];
      }

  std::vector<float> y(out_size, NAN), dx(in_size, NAN), dw(w_size, NAN), db(size_t(p.out_channels), NAN);
  char what[160];
  std::snprintf(what, sizeof what, "N%lld C%lld %lldx%lld O%lld k%lldx%lld s%lld,%lld p%lld,%lld d%lld,%lld g%lld",
                (long long)p.batch, (long long)p.in_channels, (long long)p.in_h, (long long)p.in_w,
                (long long)p.out_channels, (long long)p.kernel_h, (long long)p.kernel_w, (long long)p.stride_h,
                (long long)p.stride_w, (long long)p.pad_h, (long long)p.pad_w, (long long)p.dilation_h,
                (long long)p.dilation_w, (long long)p.groups);
  if (!conv2d_forward(p, x.data(), w.data(), b.data(), y.data()) ||
      !conv2d_backward_input(p, dy.data(), w.data(), dx.data()) ||
      !conv2d_backward_weight(p, x.data(), dy.data(), dw.data(), db.data())) {
    std::printf("FAIL %s: rejected valid params\n", what);
    ++g_failures;
    return;
  }
  const int before = g_failures;
  close("forward", y, y_ref) && close("backward_input", dx, dx_ref) && close("backward_weight", dw, dw_ref) &&
      close("backward_bias", db, db_ref);
  if (g_failures != before) std::printf("  in case %s\n", what);
}

Conv2dParams make(int64_t n, int64_t c, int64_t h, int64_t w, int64_t o, int64_t kh, int64_t kw, int64_t s,
                  int64_t pad, int64_t d, int64_t g) {
  Conv2dParams p;
  p.batch = n;
  p.in_channels = c;
  p.in_h = h;
  p.in_w = w;
  p.out_channels = o;
  p.kernel_h = kh;
  p.kernel_w = kw;
  p.stride_h = p.stride_w = s;
  p.pad_h = p.pad_w = pad;
  p.dilation_h = p.dilation_w = d;
  p.groups = g;
  return p;
}

}  // namespace

int main() {
  int cases = 0;
  for (int run = 0; run < 4; ++run) {
    set_num_threads(run % 2 + 1);
    conv2d_force_im2col(run >= 2);  // stride-1 cases take the direct kernels unless forced
    const Conv2dParams list[] = {
        make(1, 1, 5, 5, 1, 3, 3, 1, 0, 1, 1),     make(2, 3, 8, 7, 4, 3, 3, 1, 1, 1, 1),
        make(2, 4, 9, 9, 6, 3, 3, 2, 1, 1, 2),     make(1, 3, 11, 10, 5, 3, 2, 1, 2, 2, 1),
        make(3, 8, 6, 6, 8, 1, 1, 1, 0, 1, 1),     make(2, 8, 6, 6, 8, 1, 1, 2, 0, 1, 4),
        make(1, 6, 12, 12, 6, 3, 3, 1, 1, 1, 6),   make(2, 16, 20, 20, 32, 5, 5, 1, 2, 1, 1),
        make(1, 3, 32, 32, 16, 7, 7, 2, 3, 1, 1),  make(1, 2, 4, 4, 2, 3, 3, 3, 2, 1, 1),
        make(1, 64, 14, 14, 64, 3, 3, 1, 1, 1, 1),
    };
    for (const auto& p : list) {
      test_case(p);
      ++cases;
    }
    // Asymmetric stride / padding / dilation.
    Conv2dParams q = make(2, 4, 10, 13, 6, 3, 2, 1, 0, 1, 2);
    q.stride_h = 2;
    q.stride_w = 3;
    q.pad_h = 1;
    q.pad_w = 2;
    q.dilation_h = 2;
    q.dilation_w = 1;
    test_case(q);
    ++cases;
  }
  Conv2dParams bad = make(1, 3, 4, 4, 4, 3, 3, 1, 0, 1, 2);  // 3 channels not divisible by 2 groups
  float dummy = 0;
  if (conv2d_forward(bad, &dummy, &dummy, nullptr, &dummy)) {
    std::printf("FAIL invalid params accepted\n");
    ++g_failures;
  }
  std::printf("conv2d: %d cases, %s (%d failures)\n", cases, g_failures == 0 ? "ALL PASSED" : "FAILED", g_failures);
  return g_failures == 0 ? 0 : 1;
}
