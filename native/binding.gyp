{
  # The studio's native kernels (see README.md). Node-API only (NAPI_VERSION 8), so one build
  # loads in Node and in Electron without rebuilding.
  "targets": [
    {
      "target_name": "studio_native",
      "sources": [
        "src/addon.cc",
        "src/hmm_estep.cc",
        # The neural training kernels: GEMM, fused LSTM, Adam (see README.md).
        "src/neural/kernels.cc",
        "src/neural/lstm.cc",
        "src/neural/neural_addon.cc",
        # The polyphonic models' NADE loss and gradient (see README.md).
        "src/polyphonic/nade.cc",
        "src/polyphonic/polyphonic_addon.cc"
      ],
      "dependencies": ["<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except"],
      "defines": ["NAPI_VERSION=8"],
      # -ffp-contract=fast lets the AVX2 variant use FMA (results then differ from TypeScript by
      # rounding only, ~1e-16 relative); -Wno-psabi silences a note about AVX vector returns.
      "cflags_cc": ["-std=c++17", "-O3", "-pthread", "-ffp-contract=fast", "-Wno-psabi"],
      "ldflags": ["-pthread"],
      "conditions": [
        # The baseline build targets x86-64-v2 (SSE4.2, 2009+ CPUs); hmm_estep.cc adds an AVX2+FMA
        # variant chosen at run time. No -ffast-math: sums keep the TypeScript order.
        # src/neural/kernels.cc likewise compiles AVX2+FMA and AVX-512 variants (target pragmas).
        ["target_arch=='x64' and OS!='win' and OS!='mac'", { "cflags_cc": ["-march=x86-64-v2"] }],
        ["OS=='mac'", {
          "xcode_settings": {
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=fast"],
            "GCC_OPTIMIZATION_LEVEL": "3",
            "MACOSX_DEPLOYMENT_TARGET": "11.0"
          }
        }],
        ["OS=='win'", {
          "msvs_settings": { "VCCLCompilerTool": { "Optimization": 2, "AdditionalOptions": ["/std:c++17"] } }
        }]
      ]
    }
  ]
}
