#include "lstm.h"

#include <cstring>
#include <vector>

namespace studio {
namespace neural {
namespace {

size_t Size(int a, int b) { return static_cast<size_t>(a) * static_cast<size_t>(b); }

// Scratch owned by C++ (never seen by JavaScript), kept per thread between calls.
std::vector<float>& PackedWeights() {
  thread_local std::vector<float> buffer;
  return buffer;
}

}  // namespace

void LstmForward(const KernelTable& k, const LstmShape& s, const LstmForwardIO& io, int threads) {
  const int T = s.steps, B = s.batch, I = s.input, H = s.hidden, G = 4 * H;
  const size_t step_gates = Size(B, G), step_state = Size(B, H);
  // Input projection for every step at once: gates = bias + X·W (one T·B×I by I×4H product).
  for (size_t row = 0; row < Size(T, B); row++) std::memcpy(io.gates + row * G, io.bias, sizeof(float) * G);
  GemmArgs input;
  input.m = T * B, input.n = G, input.k = I;
  input.a = io.x, input.lda = I;
  input.b = io.w, input.ldb = G;
  input.beta = 1.0f;
  input.c = io.gates, input.ldc = G;
  ParallelGemm(k, input, threads);
  // U is packed once and reused by every step's h_{t−1}·U (for a few rows, gemm reads U directly).
  const bool pack = B > k.few_rows;
  std::vector<float>& packed = PackedWeights();
  if (pack) {
    packed.resize(k.packed_b_size(H, G));
    k.pack_b(false, H, G, io.u, G, packed.data());
  }
  for (int t = 0; t < T; t++) {
    const float* h_prev = t == 0 ? io.h0 : io.h + (t - 1) * step_state;
    const float* c_prev = t == 0 ? io.c0 : io.c + (t - 1) * step_state;
    float* gates = io.gates + t * step_gates;
    if (pack) {
      k.gemm_packed_b(false, B, G, H, h_prev, H, packed.data(), 1.0f, gates, G);
    } else {
      GemmArgs recurrent;
      recurrent.m = B, recurrent.n = G, recurrent.k = H;
      recurrent.a = h_prev, recurrent.lda = H;
      recurrent.b = io.u, recurrent.ldb = G;
      recurrent.beta = 1.0f;
      recurrent.c = gates, recurrent.ldc = G;
      k.gemm(recurrent);
    }
    CellForwardArgs cell;
    cell.batch = B, cell.hidden = H;
    cell.gates = gates;
    cell.c_prev = c_prev;
    cell.c = io.c + t * step_state;
    cell.tanh_c = io.tanh_c + t * step_state;
    cell.h = io.h + t * step_state;
    k.cell_forward(cell);
  }
}

void LstmBackward(const KernelTable& k, const LstmShape& s, const LstmBackwardIO& io, int threads) {
  const int T = s.steps, B = s.batch, I = s.input, H = s.hidden, G = 4 * H;
  const size_t step_gates = Size(B, G), step_state = Size(B, H);
  // dh0/dc0 double as the running dL/dh_t (through the recurrence) and dL/dc_t.
  float* dh_next = io.dh0;
  float* dc = io.dc0;
  if (io.dh_last) std::memcpy(dh_next, io.dh_last, sizeof(float) * step_state);
  else std::memset(dh_next, 0, sizeof(float) * step_state);
  if (io.dc_last) std::memcpy(dc, io.dc_last, sizeof(float) * step_state);
  else std::memset(dc, 0, sizeof(float) * step_state);
  // Uᵀ packed once: dL/dh_{t−1} = dA_t·Uᵀ at every step.
  std::vector<float>& packed = PackedWeights();
  packed.resize(k.packed_b_size(G, H));
  k.pack_b(true, G, H, io.u, G, packed.data());
  for (int t = T - 1; t >= 0; t--) {
    float* gates = io.gates + t * step_gates;
    CellBackwardArgs cell;
    cell.batch = B, cell.hidden = H;
    cell.gates = gates;
    cell.c_prev = t == 0 ? io.c0 : io.c + (t - 1) * step_state;
    cell.tanh_c = io.tanh_c + t * step_state;
    cell.dh_out = io.dh ? io.dh + t * step_state : nullptr;
    cell.dh_next = dh_next;
    cell.dc = dc;
    k.cell_backward(cell);
    k.gemm_packed_b(false, B, H, G, gates, G, packed.data(), 0.0f, dh_next, H);
  }
  // Weight gradients as three sequence-wide products over the T·B rows of dA.
  GemmArgs du;
  du.trans_a = true;
  du.m = H, du.n = G, du.k = B;
  du.a = io.h0, du.lda = H;
  du.b = io.gates, du.ldb = G;
  du.beta = 0.0f;
  du.c = io.du, du.ldc = G;
  ParallelGemm(k, du, threads);
  if (T > 1) {
    du.k = (T - 1) * B;
    du.a = io.h;
    du.b = io.gates + step_gates;
    du.beta = 1.0f;
    ParallelGemm(k, du, threads);
  }
  GemmArgs dw;
  dw.trans_a = true;
  dw.m = I, dw.n = G, dw.k = T * B;
  dw.a = io.x, dw.lda = I;
  dw.b = io.gates, dw.ldb = G;
  dw.beta = 0.0f;
  dw.c = io.dw, dw.ldc = G;
  ParallelGemm(k, dw, threads);
  k.column_sums(T * B, G, io.gates, G, io.dbias, false);
  if (io.dx) {
    GemmArgs dx;
    dx.trans_b = true;
    dx.m = T * B, dx.n = I, dx.k = G;
    dx.a = io.gates, dx.lda = G;
    dx.b = io.w, dx.ldb = G;
    dx.beta = 0.0f;
    dx.c = io.dx, dx.ldc = I;
    ParallelGemm(k, dx, threads);
  }
}

}  // namespace neural
}  // namespace studio
