// studio_native: the Node-API face of the native kernels. Every typed array belongs to JavaScript:
// the addon reads the inputs and writes the caller's output arrays in place during a synchronous
// call, and never creates an ArrayBuffer of its own (Electron forbids external buffers).
// Synchronous is deliberate: it is called from a job worker thread, never the main thread.
#include <napi.h>

#include <cstdint>
#include <string>
#include <thread>

#include "hmm_estep.h"
#include "neural/neural_addon.h"
#include "polyphonic/polyphonic_addon.h"

namespace {

constexpr int kInterfaceVersion = 1;

template <typename T>
T TypedArrayArgument(const Napi::CallbackInfo& info, size_t index, napi_typedarray_type type, const char* name) {
  const Napi::Value value = info[index];
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    const char* expected = type == napi_float64_array ? "a Float64Array" : "an Int32Array";
    throw Napi::TypeError::New(info.Env(), std::string("eStep: ") + name + " must be " + expected + ".");
  }
  return value.As<T>();
}

void RequireLength(Napi::Env env, size_t actual, size_t expected, const char* name) {
  if (actual != expected) {
    throw Napi::RangeError::New(env, std::string("eStep: ") + name + " has " + std::to_string(actual) +
                                         " elements, expected " + std::to_string(expected) + ".");
  }
}

// eStep(initial, transition, emission, symbols, offsets, initialCounts, transitionCounts,
//       emissionCounts, threads?, variant?) -> log-likelihood
// threads: 0/undefined = hardware concurrency. variant: "auto" (default; AVX2+FMA when the CPU
// has it) or "baseline" (the portable build; tests compare both against TypeScript).
Napi::Value EStep(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 8) throw Napi::TypeError::New(env, "eStep: expected at least 8 arguments.");
  auto initial = TypedArrayArgument<Napi::Float64Array>(info, 0, napi_float64_array, "initial");
  auto transition = TypedArrayArgument<Napi::Float64Array>(info, 1, napi_float64_array, "transition");
  auto emission = TypedArrayArgument<Napi::Float64Array>(info, 2, napi_float64_array, "emission");
  auto symbols = TypedArrayArgument<Napi::Int32Array>(info, 3, napi_int32_array, "symbols");
  auto offsets = TypedArrayArgument<Napi::Int32Array>(info, 4, napi_int32_array, "offsets");
  auto initial_counts = TypedArrayArgument<Napi::Float64Array>(info, 5, napi_float64_array, "initialCounts");
  auto transition_counts = TypedArrayArgument<Napi::Float64Array>(info, 6, napi_float64_array, "transitionCounts");
  auto emission_counts = TypedArrayArgument<Napi::Float64Array>(info, 7, napi_float64_array, "emissionCounts");
  int threads = 0;
  if (info.Length() > 8 && !info[8].IsUndefined()) {
    if (!info[8].IsNumber()) throw Napi::TypeError::New(env, "eStep: threads must be a number.");
    threads = info[8].As<Napi::Number>().Int32Value();
  }
  studio::KernelVariant variant = studio::KernelVariant::kAuto;
  if (info.Length() > 9 && !info[9].IsUndefined()) {
    const std::string name = info[9].IsString() ? info[9].As<Napi::String>().Utf8Value() : "";
    if (name == "baseline") variant = studio::KernelVariant::kBaseline;
    else if (name != "auto") throw Napi::TypeError::New(env, "eStep: variant must be \"auto\" or \"baseline\".");
  }

  const size_t n = initial.ElementLength();
  if (n == 0 || n > 65536) throw Napi::RangeError::New(env, "eStep: initial must hold 1 to 65536 states.");
  RequireLength(env, transition.ElementLength(), n * n, "transition");
  if (emission.ElementLength() == 0 || emission.ElementLength() % n != 0) {
    throw Napi::RangeError::New(env, "eStep: emission must hold nStates × nSymbols values.");
  }
  const size_t m = emission.ElementLength() / n;
  RequireLength(env, initial_counts.ElementLength(), n, "initialCounts");
  RequireLength(env, transition_counts.ElementLength(), n * n, "transitionCounts");
  RequireLength(env, emission_counts.ElementLength(), n * m, "emissionCounts");

  const size_t sequences_plus_one = offsets.ElementLength();
  if (sequences_plus_one < 1) throw Napi::RangeError::New(env, "eStep: offsets must hold at least one value.");
  const int32_t* offset = offsets.Data();
  const int32_t* symbol = symbols.Data();
  if (offset[0] != 0) throw Napi::RangeError::New(env, "eStep: offsets must start at 0.");
  for (size_t s = 1; s < sequences_plus_one; s++) {
    if (offset[s] < offset[s - 1]) throw Napi::RangeError::New(env, "eStep: offsets must not decrease.");
  }
  if (static_cast<size_t>(offset[sequences_plus_one - 1]) != symbols.ElementLength()) {
    throw Napi::RangeError::New(env, "eStep: the last offset must equal symbols.length.");
  }
  for (size_t t = 0; t < symbols.ElementLength(); t++) {
    if (symbol[t] < 0 || static_cast<size_t>(symbol[t]) >= m) {
      throw Napi::RangeError::New(env, "eStep: symbol " + std::to_string(symbol[t]) + " at position " + std::to_string(t) +
                                           " is outside 0.." + std::to_string(m - 1) + ".");
    }
  }

  studio::CategoricalModelView model;
  model.n = static_cast<int>(n);
  model.m = static_cast<int>(m);
  model.initial = initial.Data();
  model.transition = transition.Data();
  model.emission = emission.Data();
  studio::SequencesView data;
  data.symbols = symbol;
  data.offsets = offset;
  data.sequences = static_cast<int>(sequences_plus_one - 1);
  studio::CountsOut out;
  out.initial = initial_counts.Data();
  out.transition = transition_counts.Data();
  out.emission = emission_counts.Data();
  const double log_likelihood = studio::CategoricalEStep(model, data, out, threads, variant);
  return Napi::Number::New(env, log_likelihood);
}

Napi::Value HardwareConcurrency(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(std::thread::hardware_concurrency()));
}

// The kernel "auto" resolves to on this machine: "avx2-fma" or "baseline".
Napi::Value KernelVariant(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), studio::KernelVariantName(studio::KernelVariant::kAuto));
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("interfaceVersion", Napi::Number::New(env, kInterfaceVersion));
  exports.Set("eStep", Napi::Function::New(env, EStep, "eStep"));
  exports.Set("kernelVariant", Napi::Function::New(env, KernelVariant, "kernelVariant"));
  exports.Set("hardwareConcurrency", Napi::Function::New(env, HardwareConcurrency, "hardwareConcurrency"));
  // The neural training kernels (src/neural/): their own interface version, so the E-step's stays 1.
  studio::neural::RegisterNeural(env, exports);
  // The polyphonic models' NADE kernel (src/polyphonic/): its own interface version too.
  studio::polyphonic::RegisterPolyphonic(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(studio_native, Init)
