// The Node-API face of the NADE kernel (registered into studio_native by addon.cc). Same rules as
// the other exports: every array is owned by JavaScript, read or written in place during a
// synchronous call, nothing allocates an ArrayBuffer; every argument is checked and a bad one
// throws TypeError/RangeError naming it.
//   nadeLoss({rows, pitches, hidden, outputs, w, v, targets, rowWeights, dOutputs?, dW?, dV?,
//             threads?, variant?}) → Σ rowWeights[n]·(−log p(targets_n))
//   nadeKernels() → the variants this CPU runs, fastest first
#include "polyphonic_addon.h"

#include <cmath>
#include <string>

#include "nade.h"

namespace studio {
namespace polyphonic {
namespace {

// Bumped whenever these exports change; electron/workers/polyphonic/native-nade.ts checks it.
constexpr int kPolyphonicInterfaceVersion = 1;

[[noreturn]] void Fail(Napi::Env env, const std::string& message, bool range) {
  if (range) throw Napi::RangeError::New(env, "nadeLoss: " + message);
  throw Napi::TypeError::New(env, "nadeLoss: " + message);
}

int Int(Napi::Env env, const Napi::Object& options, const char* key, int min, int max) {
  const Napi::Value value = options.Get(key);
  if (!value.IsNumber()) Fail(env, std::string(key) + " must be a number.", false);
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= min && number <= max) || std::floor(number) != number) {
    Fail(env, std::string(key) + " must be a whole number in " + std::to_string(min) + ".." + std::to_string(max) + ".", true);
  }
  return static_cast<int>(number);
}

template <typename Array, typename Element>
Element* TypedArray(Napi::Env env, const Napi::Object& options, const char* key, napi_typedarray_type type, const char* type_name,
                    double expected, bool optional) {
  const Napi::Value value = options.Get(key);
  if (optional && (value.IsUndefined() || value.IsNull())) return nullptr;
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != type) {
    Fail(env, std::string(key) + " must be " + type_name + ".", false);
  }
  Array array = value.As<Array>();
  if (static_cast<double>(array.ElementLength()) != expected) {
    Fail(env, std::string(key) + " has " + std::to_string(array.ElementLength()) + " elements, expected " +
                  std::to_string(static_cast<size_t>(expected)) + ".",
         true);
  }
  return array.Data();
}

Napi::Value NadeLossCall(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) Fail(env, "expected one options object.", false);
  const Napi::Object options = info[0].As<Napi::Object>();
  NadeArgs args;
  args.rows = Int(env, options, "rows", 0, 1 << 28);
  args.pitches = Int(env, options, "pitches", 1, 128);
  args.hidden = Int(env, options, "hidden", 1, 1 << 16);
  const double rows = args.rows;
  const double width = args.pitches + args.hidden;
  const double weights = static_cast<double>(args.pitches) * args.hidden;
  if (rows * width > 2147483647.0) Fail(env, "rows × (pitches + hidden) is too large.", true);
  const auto f32 = [&](const char* key, double expected, bool optional) {
    return TypedArray<Napi::Float32Array, float>(env, options, key, napi_float32_array, "a Float32Array", expected, optional);
  };
  args.outputs = f32("outputs", rows * width, false);
  args.w = f32("w", weights, false);
  args.v = f32("v", weights, false);
  args.targets = TypedArray<Napi::Uint8Array, uint8_t>(env, options, "targets", napi_uint8_array, "a Uint8Array", rows * args.pitches, false);
  args.row_weights = f32("rowWeights", rows, false);
  args.d_outputs = f32("dOutputs", rows * width, true);
  args.d_w = f32("dW", weights, args.d_outputs == nullptr);
  args.d_v = f32("dV", weights, args.d_outputs == nullptr);
  if (!args.d_outputs && (args.d_w || args.d_v)) Fail(env, "dW and dV need dOutputs.", false);
  const int threads = options.Get("threads").IsUndefined() ? 1 : Int(env, options, "threads", 1, 256);
  std::string variant = "auto";
  const Napi::Value name = options.Get("variant");
  if (!name.IsUndefined()) {
    if (!name.IsString()) Fail(env, "variant must be a string.", false);
    variant = name.As<Napi::String>().Utf8Value();
  }
  const NadeKernel* kernel = FindNadeKernel(variant.c_str());
  if (!kernel) Fail(env, "variant \"" + variant + "\" is not available here.", true);
  if (args.d_outputs) {
    for (double k = 0; k < rows * width; k++) args.d_outputs[static_cast<size_t>(k)] = 0;
  }
  return Napi::Number::New(env, NadeLoss(*kernel, args, threads));
}

Napi::Value NadeKernels(const Napi::CallbackInfo& info) {
  const NadeKernel* kernels[4];
  const int count = AvailableNadeKernels(kernels, 4);
  Napi::Array names = Napi::Array::New(info.Env(), count);
  for (int k = 0; k < count && k < 4; k++) names.Set(static_cast<uint32_t>(k), Napi::String::New(info.Env(), kernels[k]->name));
  return names;
}

}  // namespace

void RegisterPolyphonic(Napi::Env env, Napi::Object exports) {
  exports.Set("polyphonicInterfaceVersion", Napi::Number::New(env, kPolyphonicInterfaceVersion));
  exports.Set("nadeKernels", Napi::Function::New(env, NadeKernels, "nadeKernels"));
  exports.Set("nadeLoss", Napi::Function::New(env, NadeLossCall, "nadeLoss"));
}

}  // namespace polyphonic
}  // namespace studio
