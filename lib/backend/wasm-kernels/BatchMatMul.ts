/**
 * BatchMatMul for the wasm backend: products with transposed operands, and products with new weights.
 *
 * XNNPACK multiplies row-major operands only; the stock kernel handles `transposeA`/`transposeB` with a
 * slow strided path (a dense layer's weight gradient, x^T·dy, is such a product). Transposing explicitly
 * first and multiplying plainly is much faster. When one operand is large, the identity
 * (A·B)^T = B^T·A^T lets us transpose the small operand and the result instead of the large one.
 *
 * The plain product has a cost of its own: XNNPACK packs B into its blocked layout (from [K,N], a strided
 * transposing copy) and the stock kernel keeps that packed copy for the next call with the same B. A dense
 * layer's forward pass during training meets a new weight tensor every step, so it re-packs all its
 * weights every step, which costs more than the product. When B is new and A has few rows, the same
 * identity lets XNNPACK pack the small A instead. lib/backend/README.md has the measurements.
 */
import { BatchMatMul } from "@tensorflow/tfjs";
import type { TensorInfo } from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { inputsOf, release, runStock } from "./kernel-utils";
import type { WasmKernelArgs, WasmKernelConfig } from "./kernel-utils";

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

/**
 * The cost model's per-element costs in ns: a stock Transpose, and XNNPACK packing a [K,N] operand (measured
 * as described in lib/backend/README.md; only their ratio matters).
 */
const TRANSPOSE_NS = 2.6;
const PACK_NS = 7;

/**
 * B operands (by data) met before. One that comes back (fixed weights during evaluation) goes to the stock
 * kernel, which packs it once and reuses the packed copy from then on.
 */
const seenAsB = new WeakSet<object>();

function isMatrix(x: TensorInfo): boolean {
  return x.shape.length === 2 || (x.shape.length > 2 && x.shape.slice(0, -2).every((d) => d === 1));
}

/** A·B for a B met for the first time: as (Bᵀ·Aᵀ)ᵀ when packing Aᵀ is the cheaper way round. */
function plainProductOfNewOperand(backend: BackendWasm, a: TensorInfo, b: TensorInfo): TensorInfo {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const swappedCost = TRANSPOSE_NS * (k * n + m * k + m * n) + PACK_NS * k * m;
  if (!isMatrix(a) || !isMatrix(b) || swappedCost >= PACK_NS * k * n)
    return plainProduct(backend, a, b);
  const bT = transposeLast2(backend, b);
  const aT = transposeLast2(backend, a);
  const productT = plainProduct(backend, bT, aT);
  const out = transposeLast2(backend, productT);
  release(backend, bT, aT, productT);
  return out;
}

function batchMatMul({ inputs, backend, attrs }: WasmKernelArgs): TensorInfo {
  const { a, b } = inputsOf(BatchMatMul, inputs, "a", "b");
  const transposeA = attrs.transposeA === true;
  const transposeB = attrs.transposeB === true;
  if (a.dtype !== "float32" || b.dtype !== "float32" || a.shape.length < 2 || b.shape.length < 2) {
    return runStock(BatchMatMul, backend, inputs, attrs);
  }
  if (!(transposeA || transposeB)) {
    if (seenAsB.has(b.dataId)) return plainProduct(backend, a, b);
    seenAsB.add(b.dataId);
    return plainProductOfNewOperand(backend, a, b);
  }
  // Transposes done per option: either those of the flagged operands, or (computing B'·A' and transposing
  // the product) those of the unflagged operands plus the product's. Elements moved approximate the cost.
  const outRows = transposeA ? a.shape[a.shape.length - 1] : a.shape[a.shape.length - 2];
  const outCols = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const direct = (transposeA ? matrixSize(a) : 0) + (transposeB ? matrixSize(b) : 0);
  const swapped =
    (transposeA ? 0 : matrixSize(a)) + (transposeB ? 0 : matrixSize(b)) + outRows * outCols;

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
    const product = plainProduct(
      backend,
      transposeB ? b : transposed(b),
      transposeA ? a : transposed(a),
    );
    temps.push(product);
    out = transposeLast2(backend, product);
  }
  release(backend, ...temps);
  return out;
}

export const batchMatMulConfig: WasmKernelConfig = {
  kernelName: BatchMatMul,
  kernelFunc: batchMatMul,
};
