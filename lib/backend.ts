/**
 * The compute backend (plumbing; the tutorial's steps only need `tf` and `initBackend`): the one
 * TensorFlow.js instance, the choice between native TensorFlow, multi-threaded WebAssembly and cpu, and
 * the training kernels that make WebAssembly usable. lib/backend/README.md says why each kernel exists.
 */
export { cpuCores, initBackend, initWasmBackend, tf } from "./backend/tf";
export type { BackendInfo } from "./backend/tf";
export { runEagerly } from "./backend/graph-mode";
