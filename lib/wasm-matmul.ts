/**
 * BatchMatMul with transposed operands for the wasm backend.
 *
 * XNNPACK multiplies row-major operands only; the stock kernel handles `transposeA`/`transposeB` with a
 * slow strided path (a dense layer's weight gradient, x^T·dy, runs ~15× slower than the plain product).
 * Transposing explicitly first and multiplying plainly is much faster. When one operand is large, the
 * identity (A·B)^T = B^T·A^T lets us transpose the small operand and the result instead of the large one.
 */
import { BatchMatMul } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { inputsOf, registerWasmKernel, release, runStock } from "./wasm-kernel-util";
import type { WasmKernelArgs } from "./wasm-kernel-util";

/** Swap the last two axes (a matrix transpose of every matrix in the batch). */
function transposeLast2(backend: BackendWasm, x: TensorInfo): TensorInfo {
  const perm = x.shape.map((_, i) => i);
  const r = perm.length;
  [perm[r - 2], perm[r - 1]] = [perm[r - 1], perm[r - 2]];
  return runStock("Transpose", backend, { x }, { perm });
}

function matrixSize(x: TensorInfo): number {
  return x.shape[x.shape.length - 1] * x.shape[x.shape.length - 2];
}

function plainProduct(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  return runStock(BatchMatMul, backend, { a, b }, { transposeA: false, transposeB: false });
}

function batchMatMul({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { a, b } = inputsOf(BatchMatMul, inputs, "a", "b");
  const transposeA = attrs.transposeA === true;
  const transposeB = attrs.transposeB === true;
  if (!(transposeA || transposeB) || a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2) {
    return runStock(BatchMatMul, backend, inputs, attrs);
  }
  // Transposes done per option: either those of the flagged operands, or (computing B'·A' and transposing
  // the product) those of the unflagged operands plus the product's. Elements moved approximate the cost.
  const outRows = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
  const outCols = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const direct = (transposeA ? matrixSize(a) : 0) + (transposeB ? matrixSize(b) : 0);
  const swapped = (transposeA ? 0 : matrixSize(a)) + (transposeB ? 0 : matrixSize(b)) + outRows * outCols;

  const temps: TensorInfo[] = [];
  const transposed = (x: TensorInfo) => {
    const t = transposeLast2(backend, x);
    temps.push(t);
    return t;
  };
  let out: TensorInfo;
  if (direct <= swapped) {
    out = plainProduct(backend, transposeA ? transposed(a) : a, transposeB ? transposed(b) : b);
  } else {
    // op(A)·op(B) = (op(B)^T · op(A)^T)^T, and op(X)^T is X itself when X was flagged.
    const product = plainProduct(backend, transposeB ? b : transposed(b), transposeA ? a : transposed(a));
    temps.push(product);
    out = transposeLast2(backend, product);
  }
  release(backend, ...temps);
  return out;
}

export function registerMatMulKernels(): void {
  registerWasmKernel(BatchMatMul, batchMatMul);
}
