// The neural kernels' instruction-set variants. kernels.inc holds ONE source for the GEMM driver,
// its micro-kernel and the element-wise LSTM/Adam loops; kernels.cc compiles it once per variant
// (portable baseline, AVX2+FMA, AVX-512 on x86-64; NEON is the baseline on arm64) and picks one
// at run time from the CPU's features. Pure C++: no Node-API here.
#pragma once

#include <cstddef>

namespace studio {
namespace neural {

// C (m×n, leading dimension ldc) = beta·C + op(A)·op(B), op(X) = X or Xᵀ as the flags say.
// A is m×k after op (stored k×m when trans_a), B is k×n after op (stored n×k when trans_b).
// beta is 0 (C is overwritten, its old contents ignored, NaNs included) or 1 (accumulate).
struct GemmArgs {
  bool trans_a = false;
  bool trans_b = false;
  int m = 0, n = 0, k = 0;
  const float* a = nullptr;
  int lda = 0;
  const float* b = nullptr;
  int ldb = 0;
  float beta = 0;
  float* c = nullptr;
  int ldc = 0;
};

// One LSTM time step's element-wise work for `batch` rows of `hidden` units. Gate order i, f, g, o
// (Keras and PyTorch). See lstm.h for the whole-sequence kernels built on it.
struct CellForwardArgs {
  int batch = 0, hidden = 0;
  float* gates = nullptr;         // batch×4H: pre-activations in, activations out
  const float* c_prev = nullptr;  // batch×H
  float* c = nullptr;             // batch×H out
  float* tanh_c = nullptr;        // batch×H out (kept for the backward pass)
  float* h = nullptr;             // batch×H out
};

struct CellBackwardArgs {
  int batch = 0, hidden = 0;
  float* gates = nullptr;         // batch×4H: activations in, pre-activation gradients out (in place)
  const float* c_prev = nullptr;  // batch×H
  const float* tanh_c = nullptr;  // batch×H
  const float* dh_out = nullptr;  // batch×H gradient from the layer's output at this step, or null
  const float* dh_next = nullptr; // batch×H gradient arriving from step t+1 through h_t
  float* dc = nullptr;            // batch×H: dL/dc_t from step t+1 in, dL/dc_{t-1} out
};

// Adam as TensorFlow.js computes it (tf.train.adam): m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g²,
// p ← p − lr·(m/(1−β1ᵗ)) / (√(v/(1−β2ᵗ)) + ε). m and v are updated in place; the new parameters
// go to `out` (which may be `param`).
struct AdamArgs {
  size_t size = 0;
  const float* param = nullptr;
  const float* grad = nullptr;
  float* m = nullptr;
  float* v = nullptr;
  float* out = nullptr;
  float lr = 0, beta1 = 0, beta2 = 0, epsilon = 0;
  float bias_correction1 = 1, bias_correction2 = 1;  // 1−β1ᵗ, 1−β2ᵗ
};

struct KernelTable {
  const char* name;  // "avx512", "avx2-fma", "neon" or "baseline"
  // gemm() skips packing when m ≤ few_rows and B is not transposed (packing B once, as the LSTM does
  // for U, only pays for more rows).
  int few_rows;
  // Packed-B layout, for a B used many times (the recurrent weights): panels of `nr` columns.
  size_t (*packed_b_size)(int k, int n);
  void (*pack_b)(bool trans_b, int k, int n, const float* b, int ldb, float* packed);
  // The GEMM with B already packed by pack_b (same k, n).
  void (*gemm_packed_b)(bool trans_a, int m, int n, int k, const float* a, int lda, const float* packed_b, float beta,
                        float* c, int ldc);
  void (*gemm)(const GemmArgs& args);
  void (*cell_forward)(const CellForwardArgs& args);
  void (*cell_backward)(const CellBackwardArgs& args);
  void (*adam)(const AdamArgs& args);
  // out[j] (+)= Σ_i x[i·ld + j] over `rows` rows of `cols` columns (bias gradients).
  void (*column_sums)(int rows, int cols, const float* x, int ld, float* out, bool accumulate);
};

// "auto" (the fastest this CPU runs), or one of the names above. Unknown or unsupported names
// return null; kernels.cc lists what was compiled.
const KernelTable* FindKernels(const char* name);
// The compiled variants this CPU can run, fastest first (tests compare them with each other).
int AvailableKernels(const KernelTable** out, int capacity);

// The GEMM on `threads` threads (columns split between them) when the product is large enough to
// pay for starting them; otherwise on the calling thread.
void ParallelGemm(const KernelTable& kernels, const GemmArgs& args, int threads);

}  // namespace neural
}  // namespace studio
