// Adds the polyphonic exports (nadeLoss, nadeKernels, polyphonicInterfaceVersion) to studio_native.
#pragma once

#include <napi.h>

namespace studio {
namespace polyphonic {

void RegisterPolyphonic(Napi::Env env, Napi::Object exports);

}  // namespace polyphonic
}  // namespace studio
