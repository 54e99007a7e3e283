# binding.gyp — the native CPU backend (Node-API addon), built by `npm install` through node-gyp.
# Files named *_avx512.cc / *_avx2.cc need their ISA's flags, so each ISA is its own static
# library; the kernels choose among them at load time from the CPU's features.
{
  "target_defaults": {
    # -fno-math-errno, as PyTorch builds: sqrt without an errno check vectorizes (Adam's step, sqrt, rsqrt).
    "cflags_cc": ["-O3", "-std=c++17", "-fPIC", "-fno-math-errno", "-Wno-maybe-uninitialized"],
    "cflags_cc!": ["-fno-exceptions", "-std=gnu++17", "-std=gnu++20"],
    "defines": ["NAPI_DISABLE_CPP_EXCEPTIONS", "NAPI_VERSION=8"],
  },
  "targets": [
    {
      "target_name": "kindling_avx512",
      "type": "static_library",
      "cflags_cc": ["-mavx512f", "-mavx512vl", "-mavx512bw", "-mavx512dq", "-mfma", "-mavx2"],
      "sources": ["<!@(node -e \"console.log(['gemm','kernels'].flatMap(d=>require('fs').readdirSync('native/src/'+d).filter(f=>f.endsWith('_avx512.cc')).map(f=>'native/src/'+d+'/'+f)).join(' '))\")"],
    },
    {
      "target_name": "kindling_avx2",
      "type": "static_library",
      "cflags_cc": ["-mavx2", "-mfma"],
      "sources": ["<!@(node -e \"console.log(['gemm','kernels'].flatMap(d=>require('fs').readdirSync('native/src/'+d).filter(f=>f.endsWith('_avx2.cc')).map(f=>'native/src/'+d+'/'+f)).join(' '))\")"],
    },
    {
      "target_name": "kindling",
      "dependencies": ["kindling_avx512", "kindling_avx2"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "sources": [
        "native/src/addon.cc",
        "<!@(node -e \"const fs=require('fs');const d=['native/src/gemm','native/src/kernels','native/src/runtime'];console.log(d.flatMap(x=>fs.readdirSync(x).filter(f=>f.endsWith('.cc')&&!/_(avx512|avx2)\\.cc$/.test(f)).map(f=>x+'/'+f)).join(' '))\")",
      ],
      "libraries": ["-pthread"],
    },
  ],
  # torch.distributed: a separate addon on Gloo (Debian's libgloo-dev), built only where Gloo is
  # installed, so that without it the main addon builds as before and isAvailable() says false.
  "conditions": [
    ["<!(node scripts/has-gloo.mjs)==1", {
      "targets": [
        {
          "target_name": "kindling_dist",
          "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
          "sources": [
            "native/src/distributed/addon.cc",
            "native/src/distributed/process_group.cc",
            "native/src/distributed/tcp_store.cc",
          ],
          "libraries": ["-lgloo", "-pthread"],
        },
      ],
    }],
  ],
}
