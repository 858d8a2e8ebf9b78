// The NADE over one frame's pitches, as RNN-NADE uses it (see core/models/polyphonic/nade.ts, the
// TypeScript twin this mirrors loop for loop): rows of biases in, Σ weight·(−log p(frame)) out, and
// with gradient arrays, its gradient w.r.t. the biases (overwritten) and W, V (accumulated).
// Pure C++: no Node-API here.
#pragma once

#include <cstdint>

namespace studio {
namespace polyphonic {

struct NadeArgs {
  int rows = 0, pitches = 0, hidden = 0;
  const float* outputs = nullptr;      // rows × (D + H): bv then bh per row
  const float* w = nullptr;            // D × H
  const float* v = nullptr;            // D × H
  const uint8_t* targets = nullptr;    // rows × D, 0/1
  const float* row_weights = nullptr;  // rows (0: padding, skipped)
  float* d_outputs = nullptr;          // rows × (D + H) or null (no gradients)
  float* d_w = nullptr;                // D × H, accumulated
  float* d_v = nullptr;                // D × H, accumulated
};

struct NadeKernel {
  const char* name;  // "avx512", "avx2-fma" or "baseline"
  // Rows [begin, end); gradients (when args.d_outputs) go to args.d_outputs and to d_w/d_v given here
  // (a thread's own accumulators).
  double (*loss)(const NadeArgs& args, int begin, int end, float* d_w, float* d_v);
};

// "auto" (the fastest this CPU runs) or a name above; null when unknown or unsupported here.
const NadeKernel* FindNadeKernel(const char* name);
int AvailableNadeKernels(const NadeKernel** out, int capacity);

// The loss over all rows on `threads` threads (rows split evenly; each thread accumulates its own
// d_w/d_v, summed at the end in thread order, so a given thread count always gives the same sums).
double NadeLoss(const NadeKernel& kernel, const NadeArgs& args, int threads);

}  // namespace polyphonic
}  // namespace studio
