// Compiles nade.inc per instruction-set variant (as src/neural/kernels.cc does) and picks one at run
// time: baseline (the build's target), avx2-fma and avx512 on x86-64 with GCC/Clang.
#include "nade.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <thread>
#include <vector>

namespace studio {
namespace polyphonic {

namespace baseline {
#define STUDIO_NADE_NAME "baseline"
#include "nade.inc"
#undef STUDIO_NADE_NAME
}  // namespace baseline

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define STUDIO_NADE_X86_VARIANTS 1
#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
namespace avx2 {
#define STUDIO_NADE_NAME "avx2-fma"
#include "nade.inc"
#undef STUDIO_NADE_NAME
}  // namespace avx2
#if defined(__clang__)
#pragma clang attribute pop
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))), apply_to = function)
#else
#pragma GCC pop_options
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma")
#endif
namespace avx512 {
#define STUDIO_NADE_NAME "avx512"
#include "nade.inc"
#undef STUDIO_NADE_NAME
}  // namespace avx512
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif

int AvailableNadeKernels(const NadeKernel** out, int capacity) {
  int count = 0;
  auto add = [&](const NadeKernel* kernel) {
    if (count < capacity) out[count] = kernel;
    count++;
  };
#ifdef STUDIO_NADE_X86_VARIANTS
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  const bool avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
                      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
  if (avx512) add(&avx512::kKernel);
  if (avx2) add(&avx2::kKernel);
#endif
  add(&baseline::kKernel);
  return count;
}

const NadeKernel* FindNadeKernel(const char* name) {
  const NadeKernel* kernels[4];
  const int count = std::min(AvailableNadeKernels(kernels, 4), 4);
  if (std::strcmp(name, "auto") == 0) return kernels[0];
  for (int k = 0; k < count; k++) {
    if (std::strcmp(kernels[k]->name, name) == 0) return kernels[k];
  }
  return nullptr;
}

double NadeLoss(const NadeKernel& kernel, const NadeArgs& args, int threads) {
  const size_t weights = static_cast<size_t>(args.pitches) * args.hidden;
  threads = std::max(1, std::min(threads, args.rows / 64));
  if (threads == 1) return kernel.loss(args, 0, args.rows, args.d_w, args.d_v);
  std::vector<double> totals(threads, 0.0);
  std::vector<std::vector<float>> d_w(threads), d_v(threads);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; t++) {
    const int begin = static_cast<int>(static_cast<long long>(args.rows) * t / threads);
    const int end = static_cast<int>(static_cast<long long>(args.rows) * (t + 1) / threads);
    if (args.d_outputs) {
      d_w[t].assign(weights, 0.0f);
      d_v[t].assign(weights, 0.0f);
    }
    pool.emplace_back([&, t, begin, end] { totals[t] = kernel.loss(args, begin, end, d_w[t].data(), d_v[t].data()); });
  }
  for (auto& thread : pool) thread.join();
  double total = 0;
  for (int t = 0; t < threads; t++) {
    total += totals[t];
    if (!args.d_outputs) continue;
    for (size_t j = 0; j < weights; j++) {
      args.d_w[j] += d_w[t][j];
      args.d_v[j] += d_v[t][j];
    }
  }
  return total;
}

}  // namespace polyphonic
}  // namespace studio
