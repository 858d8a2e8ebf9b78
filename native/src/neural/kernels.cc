// Compiles kernels.inc once per instruction-set variant and picks one at run time.
//   x86-64 (GCC/Clang): baseline (the build's target, x86-64-v2: SSE4.2, 4-float vectors, 4×8 tiles),
//                       avx2-fma (8-float vectors, 6×16 tiles), avx512 (16-float vectors, 8×32 tiles).
//   arm64:              neon (the baseline build: NEON is part of ARMv8-A; 4-float vectors, 8×8 tiles).
//   other compilers:    baseline as plain scalar code.
// The variants compute the same thing; they differ only in rounding (FMA contraction, summation
// order inside a k-block), which the tests bound.
#include "kernels.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

#if defined(__GNUC__) || defined(__clang__)
#define STUDIO_NEURAL_INLINE static inline __attribute__((always_inline))
#define STUDIO_NEURAL_VECTORS 1
#else
#define STUDIO_NEURAL_INLINE static inline
#endif

namespace studio {
namespace neural {

// ---- baseline / NEON ---------------------------------------------------------------------------
namespace baseline {
#if defined(__aarch64__) && defined(STUDIO_NEURAL_VECTORS)
#define STUDIO_NEURAL_NAME "neon"
#define STUDIO_VLEN 4
#define STUDIO_MR 8
#define STUDIO_NRV 2
#elif defined(STUDIO_NEURAL_VECTORS)
#define STUDIO_NEURAL_NAME "baseline"
#define STUDIO_VLEN 4
#define STUDIO_MR 4
#define STUDIO_NRV 2
#else
#define STUDIO_NEURAL_NAME "baseline"
#define STUDIO_VLEN 1
#define STUDIO_MR 4
#define STUDIO_NRV 4
#endif
#include "kernels.inc"
#undef STUDIO_NEURAL_NAME
#undef STUDIO_VLEN
#undef STUDIO_MR
#undef STUDIO_NRV
}  // namespace baseline

// ---- x86-64 AVX2+FMA and AVX-512 -----------------------------------------------------------------
#if defined(__x86_64__) && defined(STUDIO_NEURAL_VECTORS)
#define STUDIO_NEURAL_X86_VARIANTS 1

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx2,fma")
#endif
namespace avx2 {
#define STUDIO_NEURAL_NAME "avx2-fma"
#define STUDIO_VLEN 8
#define STUDIO_MR 6
#define STUDIO_NRV 2
#include "kernels.inc"
#undef STUDIO_NEURAL_NAME
#undef STUDIO_VLEN
#undef STUDIO_MR
#undef STUDIO_NRV
}  // namespace avx2
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif

#if defined(__clang__)
#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma"))), apply_to = function)
#else
#pragma GCC push_options
#pragma GCC target("avx512f,avx512vl,avx512dq,avx512bw,avx2,fma")
#endif
namespace avx512 {
#define STUDIO_NEURAL_NAME "avx512"
#define STUDIO_VLEN 16
#define STUDIO_MR 8
#define STUDIO_NRV 2
#include "kernels.inc"
#undef STUDIO_NEURAL_NAME
#undef STUDIO_VLEN
#undef STUDIO_MR
#undef STUDIO_NRV
}  // namespace avx512
#if defined(__clang__)
#pragma clang attribute pop
#else
#pragma GCC pop_options
#endif
#endif

namespace {

bool CpuHasAvx2() {
#ifdef STUDIO_NEURAL_X86_VARIANTS
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

bool CpuHasAvx512() {
#ifdef STUDIO_NEURAL_X86_VARIANTS
  return CpuHasAvx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
         __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
#else
  return false;
#endif
}

}  // namespace

int AvailableKernels(const KernelTable** out, int capacity) {
  int count = 0;
  auto add = [&](const KernelTable* table) {
    if (count < capacity) out[count] = table;
    count++;
  };
#ifdef STUDIO_NEURAL_X86_VARIANTS
  if (CpuHasAvx512()) add(&avx512::kTable);
  if (CpuHasAvx2()) add(&avx2::kTable);
#endif
  add(&baseline::kTable);
  return count;
}

const KernelTable* FindKernels(const char* name) {
  const KernelTable* tables[4];
  const int count = AvailableKernels(tables, 4);
  if (std::strcmp(name, "auto") == 0) return tables[0];
  for (int t = 0; t < count; t++) {
    if (std::strcmp(name, tables[t]->name) == 0) return tables[t];
  }
  return nullptr;
}

void ParallelGemm(const KernelTable& kernels, const GemmArgs& args, int threads) {
  const double flops = 2.0 * args.m * args.n * args.k;
  // Below ~16 MFLOP (≈ 0.2 ms on one core) starting threads costs more than it saves.
  const int useful = static_cast<int>(std::min<double>(threads, flops / 16e6));
  const int count = std::max(1, std::min(useful, args.n / 64));
  if (count <= 1) return kernels.gemm(args);
  // Split the columns into `count` ranges (multiples of 64, so every tile width divides them).
  const int per = (args.n / count + 63) / 64 * 64;
  std::vector<std::thread> workers;
  for (int t = 1; t < count; t++) {
    const int from = t * per;
    if (from >= args.n) break;
    GemmArgs part = args;
    part.n = std::min(per, args.n - from);
    part.b = args.trans_b ? args.b + static_cast<size_t>(from) * args.ldb : args.b + from;
    part.c = args.c + from;
    workers.emplace_back([&kernels, part] { kernels.gemm(part); });
  }
  GemmArgs first = args;
  first.n = std::min(per, args.n);
  kernels.gemm(first);
  for (auto& worker : workers) worker.join();
}

}  // namespace neural
}  // namespace studio
