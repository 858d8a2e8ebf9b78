// The Node-API face of the neural kernels (registered into studio_native by addon.cc). Same rules
// as the E-step: every array is a Float32Array owned by JavaScript, read or written in place during
// a synchronous call; the addon never creates an ArrayBuffer. Every argument is checked and a bad
// one throws TypeError/RangeError naming it, so a wrong call cannot read or write out of bounds.
#include "neural_addon.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "kernels.h"
#include "lstm.h"

namespace studio {
namespace neural {
namespace {

// Bumped whenever these exports change; electron/workers/neural/native-addon.ts checks it.
constexpr int kNeuralInterfaceVersion = 1;
// Products above this many elements are refused (indices are int inside the kernels).
constexpr double kMaxElements = 2147483647.0;

class Call {
 public:
  Call(const Napi::CallbackInfo& info, const char* name) : env_(info.Env()), name_(name) {
    if (info.Length() < 1 || !info[0].IsObject()) Fail<Napi::TypeError>("expected one options object.");
    options_ = info[0].As<Napi::Object>();
  }

  Napi::Env env() const { return env_; }

  template <typename Error>
  [[noreturn]] void Fail(const std::string& message) const {
    throw Error::New(env_, std::string(name_) + ": " + message);
  }

  // A whole number in [min, max].
  int Int(const char* key, int min, int max) const {
    const Napi::Value value = options_.Get(key);
    if (!value.IsNumber()) Fail<Napi::TypeError>(std::string(key) + " must be a number.");
    const double number = value.As<Napi::Number>().DoubleValue();
    if (!(number >= min && number <= max) || std::floor(number) != number) {
      Fail<Napi::RangeError>(std::string(key) + " must be a whole number in " + std::to_string(min) + ".." + std::to_string(max) + ", got " +
                             std::to_string(number) + ".");
    }
    return static_cast<int>(number);
  }

  int OptionalInt(const char* key, int fallback, int min, int max) const {
    return options_.Get(key).IsUndefined() ? fallback : Int(key, min, max);
  }

  float Float(const char* key) const {
    const Napi::Value value = options_.Get(key);
    if (!value.IsNumber()) Fail<Napi::TypeError>(std::string(key) + " must be a number.");
    const double number = value.As<Napi::Number>().DoubleValue();
    if (!std::isfinite(number)) Fail<Napi::RangeError>(std::string(key) + " must be finite.");
    return static_cast<float>(number);
  }

  bool Bool(const char* key) const {
    const Napi::Value value = options_.Get(key);
    if (value.IsUndefined()) return false;
    if (!value.IsBoolean()) Fail<Napi::TypeError>(std::string(key) + " must be a boolean.");
    return value.As<Napi::Boolean>().Value();
  }

  // A Float32Array of exactly `expected` elements; null when optional and absent/null.
  float* Array(const char* key, double expected, bool optional = false) const {
    const Napi::Value value = options_.Get(key);
    if (optional && (value.IsUndefined() || value.IsNull())) return nullptr;
    if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
      Fail<Napi::TypeError>(std::string(key) + " must be a Float32Array.");
    }
    Napi::Float32Array array = value.As<Napi::Float32Array>();
    if (static_cast<double>(array.ElementLength()) != expected) {
      Fail<Napi::RangeError>(std::string(key) + " has " + std::to_string(array.ElementLength()) + " elements, expected " +
                             std::to_string(static_cast<size_t>(expected)) + ".");
    }
    return array.Data();
  }

  const KernelTable& Kernels() const {
    const Napi::Value value = options_.Get("variant");
    std::string name = "auto";
    if (!value.IsUndefined()) {
      if (!value.IsString()) Fail<Napi::TypeError>("variant must be a string.");
      name = value.As<Napi::String>().Utf8Value();
    }
    const KernelTable* table = FindKernels(name.c_str());
    if (!table) Fail<Napi::RangeError>("variant \"" + name + "\" is not available on this CPU (see neuralKernels()).");
    return *table;
  }

  int Threads() const { return OptionalInt("threads", 1, 1, 256); }

  void RequireSize(double elements, const char* what) const {
    if (elements > kMaxElements) Fail<Napi::RangeError>(std::string(what) + " would hold more than 2^31 elements.");
  }

 private:
  Napi::Env env_;
  const char* name_;
  Napi::Object options_;
};

constexpr int kMaxDim = 1 << 24;

// gemm({transA, transB, m, n, k, a, b, c, beta?, threads?, variant?}): c = beta·c + op(a)·op(b).
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Call call(info, "gemm");
  GemmArgs g;
  g.trans_a = call.Bool("transA");
  g.trans_b = call.Bool("transB");
  g.m = call.Int("m", 1, kMaxDim);
  g.n = call.Int("n", 1, kMaxDim);
  g.k = call.Int("k", 1, kMaxDim);
  const double m = g.m, n = g.n, kk = g.k;
  call.RequireSize(m * kk, "a");
  call.RequireSize(kk * n, "b");
  call.RequireSize(m * n, "c");
  g.a = call.Array("a", m * kk);
  g.b = call.Array("b", kk * n);
  g.c = call.Array("c", m * n);
  g.lda = g.trans_a ? g.m : g.k;
  g.ldb = g.trans_b ? g.k : g.n;
  g.ldc = g.n;
  const Napi::Value beta = info[0].As<Napi::Object>().Get("beta");
  g.beta = 0.0f;
  if (!beta.IsUndefined()) {
    const float value = call.Float("beta");
    if (value != 0.0f && value != 1.0f) call.Fail<Napi::RangeError>("beta must be 0 or 1.");
    g.beta = value;
  }
  ParallelGemm(call.Kernels(), g, call.Threads());
  return call.env().Undefined();
}

// dense({m, n, k, x, w, bias?, y, threads?, variant?}): y (m×n) = x (m×k) · w (k×n) + bias (n).
Napi::Value Dense(const Napi::CallbackInfo& info) {
  Call call(info, "dense");
  const int m = call.Int("m", 1, kMaxDim), n = call.Int("n", 1, kMaxDim), k = call.Int("k", 1, kMaxDim);
  call.RequireSize(static_cast<double>(m) * k, "x");
  call.RequireSize(static_cast<double>(k) * n, "w");
  call.RequireSize(static_cast<double>(m) * n, "y");
  const float* x = call.Array("x", static_cast<double>(m) * k);
  const float* w = call.Array("w", static_cast<double>(k) * n);
  const float* bias = call.Array("bias", n, true);
  float* y = call.Array("y", static_cast<double>(m) * n);
  const KernelTable& kernels = call.Kernels();
  GemmArgs g;
  g.m = m, g.n = n, g.k = k;
  g.a = x, g.lda = k;
  g.b = w, g.ldb = n;
  g.c = y, g.ldc = n;
  g.beta = 0.0f;
  if (bias) {
    for (int i = 0; i < m; i++) std::copy(bias, bias + n, y + static_cast<size_t>(i) * n);
    g.beta = 1.0f;
  }
  ParallelGemm(kernels, g, call.Threads());
  return call.env().Undefined();
}

// denseBackward({m, n, k, x, w, dy, dx?, dw?, dbias?, threads?, variant?}):
// dx = dy·wᵀ, dw = xᵀ·dy, dbias = column sums of dy (each only when its array is given).
Napi::Value DenseBackward(const Napi::CallbackInfo& info) {
  Call call(info, "denseBackward");
  const int m = call.Int("m", 1, kMaxDim), n = call.Int("n", 1, kMaxDim), k = call.Int("k", 1, kMaxDim);
  call.RequireSize(static_cast<double>(m) * k, "x");
  call.RequireSize(static_cast<double>(k) * n, "w");
  call.RequireSize(static_cast<double>(m) * n, "dy");
  const float* x = call.Array("x", static_cast<double>(m) * k);
  const float* w = call.Array("w", static_cast<double>(k) * n);
  const float* dy = call.Array("dy", static_cast<double>(m) * n);
  float* dx = call.Array("dx", static_cast<double>(m) * k, true);
  float* dw = call.Array("dw", static_cast<double>(k) * n, true);
  float* dbias = call.Array("dbias", n, true);
  const KernelTable& kernels = call.Kernels();
  const int threads = call.Threads();
  if (dx) {
    GemmArgs g;
    g.trans_b = true;
    g.m = m, g.n = k, g.k = n;
    g.a = dy, g.lda = n;
    g.b = w, g.ldb = n;
    g.c = dx, g.ldc = k;
    ParallelGemm(kernels, g, threads);
  }
  if (dw) {
    GemmArgs g;
    g.trans_a = true;
    g.m = k, g.n = n, g.k = m;
    g.a = x, g.lda = k;
    g.b = dy, g.ldb = n;
    g.c = dw, g.ldc = n;
    ParallelGemm(kernels, g, threads);
  }
  if (dbias) kernels.column_sums(m, n, dy, n, dbias, false);
  return call.env().Undefined();
}

struct LstmDims {
  LstmShape shape;
  double tbi, tbh, tbg, bh, ig, hg, g;
};

LstmDims ReadLstmDims(const Call& call) {
  LstmDims d;
  d.shape.steps = call.Int("steps", 1, kMaxDim);
  d.shape.batch = call.Int("batch", 1, kMaxDim);
  d.shape.input = call.Int("input", 1, kMaxDim);
  d.shape.hidden = call.Int("hidden", 1, kMaxDim / 4);
  const double T = d.shape.steps, B = d.shape.batch, I = d.shape.input, H = d.shape.hidden;
  d.tbi = T * B * I, d.tbh = T * B * H, d.tbg = T * B * 4 * H, d.bh = B * H, d.ig = I * 4 * H, d.hg = H * 4 * H, d.g = 4 * H;
  call.RequireSize(d.tbi, "x");
  call.RequireSize(d.tbg, "gates");
  call.RequireSize(d.ig, "w");
  call.RequireSize(d.hg, "u");
  return d;
}

// lstmForward({steps, batch, input, hidden, x, h0, c0, w, u, bias, h, c, tanhC, gates, threads?, variant?})
// Writes h, c, tanhC (T×B×H) and gates (T×B×4H); see lstm.h.
Napi::Value LstmForwardCall(const Napi::CallbackInfo& info) {
  Call call(info, "lstmForward");
  const LstmDims d = ReadLstmDims(call);
  LstmForwardIO io;
  io.x = call.Array("x", d.tbi);
  io.h0 = call.Array("h0", d.bh);
  io.c0 = call.Array("c0", d.bh);
  io.w = call.Array("w", d.ig);
  io.u = call.Array("u", d.hg);
  io.bias = call.Array("bias", d.g);
  io.h = call.Array("h", d.tbh);
  io.c = call.Array("c", d.tbh);
  io.tanh_c = call.Array("tanhC", d.tbh);
  io.gates = call.Array("gates", d.tbg);
  LstmForward(call.Kernels(), d.shape, io, call.Threads());
  return call.env().Undefined();
}

// lstmBackward({steps, batch, input, hidden, x, h0, c0, w, u, h, c, tanhC, gates, dh?, dhLast?,
//               dcLast?, dx?, dh0, dc0, dw, du, dbias, threads?, variant?})
// `gates` is consumed (overwritten). Gradients are written, not accumulated.
Napi::Value LstmBackwardCall(const Napi::CallbackInfo& info) {
  Call call(info, "lstmBackward");
  const LstmDims d = ReadLstmDims(call);
  LstmBackwardIO io;
  io.x = call.Array("x", d.tbi);
  io.h0 = call.Array("h0", d.bh);
  io.c0 = call.Array("c0", d.bh);
  io.w = call.Array("w", d.ig);
  io.u = call.Array("u", d.hg);
  io.h = call.Array("h", d.tbh);
  io.c = call.Array("c", d.tbh);
  io.tanh_c = call.Array("tanhC", d.tbh);
  io.gates = call.Array("gates", d.tbg);
  io.dh = call.Array("dh", d.tbh, true);
  io.dh_last = call.Array("dhLast", d.bh, true);
  io.dc_last = call.Array("dcLast", d.bh, true);
  io.dx = call.Array("dx", d.tbi, true);
  io.dh0 = call.Array("dh0", d.bh);
  io.dc0 = call.Array("dc0", d.bh);
  io.dw = call.Array("dw", d.ig);
  io.du = call.Array("du", d.hg);
  io.dbias = call.Array("dbias", d.g);
  LstmBackward(call.Kernels(), d.shape, io, call.Threads());
  return call.env().Undefined();
}

// adam({param, grad, m, v, out, lr, beta1, beta2, epsilon, biasCorrection1, biasCorrection2,
//       variant?}): one Adam step (tf.train.adam's formula; see kernels.h), with the bias
// corrections 1−β1ᵗ, 1−β2ᵗ given by the caller (tfjs keeps β^t as state). m and v are updated in
// place; out may be param.
Napi::Value AdamCall(const Napi::CallbackInfo& info) {
  Call call(info, "adam");
  const Napi::Value param_value = info[0].As<Napi::Object>().Get("param");
  if (!param_value.IsTypedArray() || param_value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    call.Fail<Napi::TypeError>("param must be a Float32Array.");
  }
  const double size = static_cast<double>(param_value.As<Napi::TypedArray>().ElementLength());
  AdamArgs a;
  a.size = static_cast<size_t>(size);
  a.param = call.Array("param", size);
  a.grad = call.Array("grad", size);
  a.m = call.Array("m", size);
  a.v = call.Array("v", size);
  a.out = call.Array("out", size);
  a.lr = call.Float("lr");
  a.beta1 = call.Float("beta1");
  a.beta2 = call.Float("beta2");
  a.epsilon = call.Float("epsilon");
  a.bias_correction1 = call.Float("biasCorrection1");
  a.bias_correction2 = call.Float("biasCorrection2");
  if (!(a.beta1 >= 0 && a.beta1 < 1 && a.beta2 >= 0 && a.beta2 < 1)) call.Fail<Napi::RangeError>("beta1 and beta2 must be in [0, 1).");
  if (!(a.bias_correction1 > 0 && a.bias_correction2 > 0)) call.Fail<Napi::RangeError>("biasCorrection1 and biasCorrection2 must be > 0.");
  call.Kernels().adam(a);
  return call.env().Undefined();
}

// neuralKernels(): the variants this CPU runs, fastest first ("auto" is the first).
Napi::Value NeuralKernels(const Napi::CallbackInfo& info) {
  const KernelTable* tables[8];
  const int count = AvailableKernels(tables, 8);
  Napi::Array names = Napi::Array::New(info.Env(), count);
  for (int t = 0; t < count; t++) names.Set(static_cast<uint32_t>(t), Napi::String::New(info.Env(), tables[t]->name));
  return names;
}

}  // namespace

void RegisterNeural(Napi::Env env, Napi::Object exports) {
  exports.Set("neuralInterfaceVersion", Napi::Number::New(env, kNeuralInterfaceVersion));
  exports.Set("neuralKernels", Napi::Function::New(env, NeuralKernels, "neuralKernels"));
  exports.Set("gemm", Napi::Function::New(env, Gemm, "gemm"));
  exports.Set("dense", Napi::Function::New(env, Dense, "dense"));
  exports.Set("denseBackward", Napi::Function::New(env, DenseBackward, "denseBackward"));
  exports.Set("lstmForward", Napi::Function::New(env, LstmForwardCall, "lstmForward"));
  exports.Set("lstmBackward", Napi::Function::New(env, LstmBackwardCall, "lstmBackward"));
  exports.Set("adam", Napi::Function::New(env, AdamCall, "adam"));
}

}  // namespace neural
}  // namespace studio
