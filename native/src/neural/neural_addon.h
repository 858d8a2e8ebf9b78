// Adds the neural exports (gemm, dense, denseBackward, lstmForward, lstmBackward, adam,
// neuralKernels, neuralInterfaceVersion) to studio_native's exports object.
#pragma once

#include <napi.h>

namespace studio {
namespace neural {

void RegisterNeural(Napi::Env env, Napi::Object exports);

}  // namespace neural
}  // namespace studio
