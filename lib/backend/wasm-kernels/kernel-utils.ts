/**
 * Plumbing shared by our wasm training kernels: calling the stock wasm kernels directly (no engine, no tape),
 * freeing intermediates, reading/writing the wasm heap, and rejecting configurations a kernel does not handle.
 *
 * Our kernels run *inside* a kernel call, so they must not use `tf.*` ops (those would record on the gradient
 * tape and go through the engine's bookkeeping); they compose stock kernel functions instead, as the
 * backends' own kernels do.
 */
import { getKernel, registerKernel, unregisterKernel } from "@tensorflow/tfjs";
import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

export const WASM = "wasm";

export interface WasmKernelArgs {
  inputs: NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: NamedAttrMap;
}

type WasmKernel = (args: WasmKernelArgs) => TensorInfo | TensorInfo[];

/** One of our wasm kernels: it replaces the stock kernel of that name, or adds one where there is none. */
export interface WasmKernelConfig {
  kernelName: string;
  kernelFunc: WasmKernel;
}

/** The named inputs of a kernel call, all required. */
export function inputsOf<K extends string>(
  kernelName: string,
  inputs: NamedTensorInfoMap,
  ...names: K[]
): Record<K, TensorInfo> {
  const found = {} as Record<K, TensorInfo>;
  for (const name of names) {
    const input = inputs[name];
    if (input === undefined)
      throw new Error(`wasm kernel '${kernelName}' called without input '${name}'`);
    found[name] = input;
  }
  return found;
}

/**
 * The stock wasm kernels, captured before anything is overridden so that a replacement can still delegate
 * to the original (e.g. for configurations the replacement does not speed up).
 */
const stockKernels = new Map<string, KernelConfig>();

function captureStock(kernelName: string): KernelConfig | undefined {
  if (!stockKernels.has(kernelName)) {
    const config = getKernel(kernelName, WASM);
    if (config !== undefined) stockKernels.set(kernelName, config);
  }
  return stockKernels.get(kernelName);
}

/** Run a stock wasm kernel on heap tensors. The caller owns (and must release) the result. */
export function runStock(
  kernelName: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = captureStock(kernelName);
  if (config === undefined) throw new Error(`wasm backend has no stock '${kernelName}' kernel`);
  return config.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/**
 * Register `kernel` for the wasm backend, replacing the stock one if there is one. The stock config's
 * setupFunc is kept: delegating to the stock kernel needs the wasm function handles it creates.
 */
export function registerWasmKernel({ kernelName, kernelFunc }: WasmKernelConfig): void {
  const stock = captureStock(kernelName);
  if (stock !== undefined) unregisterKernel(kernelName, WASM);
  registerKernel({
    kernelName,
    backendName: WASM,
    setupFunc: stock?.setupFunc,
    disposeFunc: stock?.disposeFunc,
    kernelFunc: (args) => kernelFunc(args as unknown as WasmKernelArgs),
  });
}

/**
 * The output shares the input's reference-counted data instead of copying it (tensors are immutable), as
 * the wasm Reshape kernel and the cpu backend's Identity and Cast do.
 */
export function sharedData(backend: BackendWasm, x: TensorInfo): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Free intermediates (reshapes share data and are reference-counted, so this is right for those too). */
export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * A view of a tensor's data on the wasm heap. Views are invalidated when the heap grows, so take them only
 * after every allocation (`makeOutput`, stock kernel calls) the code needs.
 */
export function heapView(
  backend: BackendWasm,
  info: TensorInfo,
): Float32Array | Int32Array | Uint8Array {
  return backend.typedArrayFromHeap(info) as Float32Array | Int32Array | Uint8Array;
}

export function heapF32(backend: BackendWasm, info: TensorInfo): Float32Array {
  if (info.dtype !== "float32") throw new Error(`expected a float32 tensor, got ${info.dtype}`);
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** A kernel was asked for something it does not implement; say which kernel, attribute and value. */
export class UnsupportedKernelConfigError extends Error {
  constructor(kernelName: string, attribute: string, value: unknown, supported: string) {
    super(
      `wasm kernel '${kernelName}' does not support ${attribute}=${JSON.stringify(value)} (supported: ${supported})`,
    );
    this.name = "UnsupportedKernelConfigError";
  }
}

/** Our conv kernels only know the channels-last layout (as does the stock wasm Conv2D they are built on). */
export function requireChannelsLast(kernelName: string, dataFormat: unknown): void {
  if (dataFormat !== undefined && dataFormat !== "NHWC" && dataFormat !== "channelsLast") {
    throw new UnsupportedKernelConfigError(kernelName, "dataFormat", dataFormat, "'NHWC'");
  }
}
