// src/backends/webgpu/device.ts — finding a WebGPU device: the browser's `navigator.gpu`, or in Node the `webgpu`
// package (Dawn), when it is installed.
/** The device, or why there is none (a sentence for `torch.webgpu.isAvailable()` users and error messages). */
export async function requestDevice(): Promise<GPUDevice | string> {
  const gpu = await findGpu();
  if (typeof gpu === 'string') return gpu;
  const adapter = await quietly(() => gpu.requestAdapter());
  if (adapter === null) {
    if (!isNode()) {
      return 'no WebGPU adapter was found (the browser offers WebGPU but no adapter: turn on hardware acceleration, ' +
        'or enable WebGPU in the browser\'s settings or flags, e.g. chrome://flags/#enable-unsafe-webgpu)';
    }
    return 'no WebGPU adapter was found (on Linux without a GPU, install a Vulkan driver, e.g. Debian\'s chromium package ' +
      'brings SwiftShader: VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json)';
  }
  // The defaults are small (128 MB bindings); tensors may use all the adapter allows.
  const { maxStorageBufferBindingSize, maxBufferSize, maxComputeWorkgroupStorageSize, maxStorageBuffersPerShaderStage } = adapter.limits;
  return adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize, maxBufferSize, maxComputeWorkgroupStorageSize, maxStorageBuffersPerShaderStage } });
}

/** Whether this is Node (a browser bundle's `process` shim, if any, lacks process.versions.node). */
function isNode(): boolean {
  const versions: { node?: string } | undefined = typeof process !== 'undefined' ? process.versions : undefined;
  return versions?.node !== undefined;
}

// Dawn crashes when the object `create()` returned is collected while its devices live, so it is kept here.
let dawn: GPU | null = null;

async function findGpu(): Promise<GPU | string> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu !== undefined) return nav.gpu;
  if (!isNode()) return 'this browser has no WebGPU (navigator.gpu is missing: WebGPU needs a recent browser and a secure context, https or localhost)';
  try {
    const module = 'webgpu';
    const { create } = (await import(module)) as { create: (options: string[]) => GPU };
    dawn ??= create(['backend=vulkan']);
    return dawn;
  } catch {
    return 'the webgpu package is not installed (npm install webgpu): kindling uses it for WebGPU in Node';
  }
}

/**
 * Runs Node's adapter probe with XDG_RUNTIME_DIR set: without it (servers, CI) the Vulkan drivers' Wayland
 * probe prints an error on stderr at every import, which has no bearing on compute.
 */
async function quietly<T>(probe: () => Promise<T>): Promise<T> {
  // Node's types promise process.versions, but a browser bundle's `process` shim may lack it.
  const versions: { node?: string } | undefined = typeof process !== 'undefined' ? process.versions : undefined;
  const env = versions?.node !== undefined ? process.env : null;
  if (env === null || env.XDG_RUNTIME_DIR !== undefined) return probe();
  // Any directory will do: no Wayland compositor is wanted, only a quiet probe.
  env.XDG_RUNTIME_DIR = '/tmp';
  try {
    return await probe();
  } finally {
    delete env.XDG_RUNTIME_DIR;
  }
}
