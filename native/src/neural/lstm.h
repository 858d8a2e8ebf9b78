// Fused, sequence-level LSTM kernels: one call runs a whole layer over T steps × B sequences
// forward (saving what the backward pass needs) or backward (all gradients at once). Gate order
// i, f, g, o (Keras, PyTorch); weights W (I×4H), U (H×4H), bias (4H):
//   a_t = x_t·W + h_{t−1}·U + b,  i, f, o = σ(a), g = tanh(a),  c_t = f⊙c_{t−1} + i⊙g,  h_t = o⊙tanh(c_t).
// Every array is time-major and row-major: x T×B×I, h/c T×B×H, gates T×B×4H. Pure C++.
#pragma once

#include "kernels.h"

namespace studio {
namespace neural {

struct LstmShape {
  int steps = 0, batch = 0, input = 0, hidden = 0;
};

struct LstmForwardIO {
  const float* x = nullptr;       // T×B×I
  const float* h0 = nullptr;      // B×H
  const float* c0 = nullptr;      // B×H
  const float* w = nullptr;       // I×4H
  const float* u = nullptr;       // H×4H
  const float* bias = nullptr;    // 4H
  float* h = nullptr;             // T×B×H out: every step's output (h_T is the last row block)
  float* c = nullptr;             // T×B×H out: every step's cell state (c_T is the last)
  float* tanh_c = nullptr;        // T×B×H out: tanh(c_t), kept for the backward pass
  float* gates = nullptr;         // T×B×4H out: gate activations, kept for the backward pass
};

struct LstmBackwardIO {
  // The forward pass's inputs and saved state (the same arrays it was given).
  const float* x = nullptr;
  const float* h0 = nullptr;
  const float* c0 = nullptr;
  const float* w = nullptr;
  const float* u = nullptr;
  const float* h = nullptr;
  const float* c = nullptr;
  const float* tanh_c = nullptr;
  float* gates = nullptr;         // consumed: overwritten with the gates' pre-activation gradients
  // Incoming gradients (null = zero).
  const float* dh = nullptr;      // T×B×H: w.r.t. every step's output
  const float* dh_last = nullptr; // B×H: w.r.t. h_T (adds to dh's last step)
  const float* dc_last = nullptr; // B×H: w.r.t. c_T
  // Outgoing gradients (dx may be null when x needs none).
  float* dx = nullptr;            // T×B×I
  float* dh0 = nullptr;           // B×H
  float* dc0 = nullptr;           // B×H
  float* dw = nullptr;            // I×4H
  float* du = nullptr;            // H×4H
  float* dbias = nullptr;         // 4H
};

// `threads` (≥ 1) splits the large sequence-wide products (input projection, weight gradients);
// the per-step recurrent products stay on the calling thread.
void LstmForward(const KernelTable& kernels, const LstmShape& shape, const LstmForwardIO& io, int threads);
void LstmBackward(const KernelTable& kernels, const LstmShape& shape, const LstmBackwardIO& io, int threads);

}  // namespace neural
}  // namespace studio
