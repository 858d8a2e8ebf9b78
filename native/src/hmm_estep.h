// The categorical-HMM E-step (scaled forward-backward + expected counts) over many sequences,
// split across threads. Pure C++: no Node-API here, so it can be tested and reasoned about alone.
// It mirrors core/models/hmm/forward-backward.ts operation for operation, so the two agree to
// rounding (the only difference is the order in which per-thread sums are added).
#pragma once

#include <cstdint>
#include <cstddef>

namespace studio {

struct CategoricalModelView {
  int n = 0;                        // states
  int m = 0;                        // symbols
  const double* initial = nullptr;  // n
  const double* transition = nullptr;  // n×n row-major
  const double* emission = nullptr;    // n×m row-major
};

struct SequencesView {
  const int32_t* symbols = nullptr;
  const int32_t* offsets = nullptr;  // sequences + 1
  int sequences = 0;
};

struct CountsOut {
  double* initial = nullptr;     // n
  double* transition = nullptr;  // n×n
  double* emission = nullptr;    // n×m
};

// Which compiled variant of the kernel runs: kAuto picks AVX2+FMA when the CPU has it (x86-64,
// GCC/Clang builds), else the baseline; kBaseline forces the baseline (tests compare both).
enum class KernelVariant { kAuto, kBaseline };

// "avx2-fma" or "baseline": what `variant` resolves to on this machine.
const char* KernelVariantName(KernelVariant variant);

// Overwrites `out`; returns the total log-likelihood (-infinity if some sequence is impossible,
// whose counts are then left out). `threads` <= 0 means std::thread::hardware_concurrency().
// Inputs must already be validated (sizes, symbol range): this function does not check.
double CategoricalEStep(const CategoricalModelView& model, const SequencesView& data, CountsOut out, int threads,
                        KernelVariant variant = KernelVariant::kAuto);

}  // namespace studio
