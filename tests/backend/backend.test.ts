/**
 * The wasm training kernels (lib/wasm-*.ts) against the cpu backend's reference kernels, in one process:
 * every case is computed on both backends from the same input values.
 */
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { NamedAttrMap, Tensor, Tensor1D, Tensor4D } from "@tensorflow/tfjs";
import { initWasmBackend, tf } from "../../lib/backend";
import { random } from "../helpers/tensors";

async function on<T>(backend: "cpu" | "wasm", f: () => T): Promise<T> {
  assert.ok(await tf.setBackend(backend));
  return f();
}

/** Run `f` on cpu and on wasm and compare results elementwise: |a−b| ≤ tol·(1 + |a|). */
async function sameOnBoth(f: () => Tensor, tol = 1e-4): Promise<void> {
  const run = async (backend: "cpu" | "wasm") =>
    on(backend, () => {
      const t = tf.tidy(f);
      const result = { shape: t.shape, dtype: t.dtype, data: Array.from(t.dataSync()) };
      t.dispose();
      return result;
    });
  const cpu = await run("cpu");
  const wasm = await run("wasm");
  assert.deepEqual(wasm.shape, cpu.shape);
  assert.equal(wasm.dtype, cpu.dtype);
  cpu.data.forEach((expected, i) => {
    const actual = wasm.data[i];
    assert.ok(
      Math.abs(actual - expected) <= tol * (1 + Math.abs(expected)),
      `element ${i}: wasm ${actual} vs cpu ${expected}`,
    );
  });
}

function runKernel(name: string, inputs: Record<string, Tensor>, attrs: NamedAttrMap): Tensor {
  return tf.engine().runKernel(name, inputs, attrs) as Tensor;
}

before(async () => {
  await initWasmBackend();
});

type Pad =
  | "same"
  | "valid"
  | number
  | [[number, number], [number, number], [number, number], [number, number]];
interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: Pad;
}

const convCases: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: 1, pad: "same" },
  { x: [2, 6, 5, 2], filter: [3, 3, 2, 3], strides: 1, pad: "valid" },
  { x: [1, 8, 8, 2], filter: [5, 5, 2, 2], strides: 1, pad: 1 },
  {
    x: [1, 6, 7, 2],
    filter: [3, 2, 2, 3],
    strides: 1,
    pad: [
      [0, 0],
      [2, 0],
      [0, 1],
      [0, 0],
    ],
  },
  { x: [2, 9, 9, 2], filter: [3, 3, 2, 3], strides: 2, pad: "same" },
  { x: [2, 8, 9, 2], filter: [3, 3, 2, 2], strides: [2, 3], pad: "valid" },
  { x: [1, 10, 10, 1], filter: [2, 2, 1, 2], strides: 2, pad: "valid" },
  { x: [32, 4, 4, 8], filter: [3, 3, 8, 8], strides: 1, pad: "same" },
];

function convOutShape(c: ConvCase): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape;
}

describe("Conv2DBackpropFilter", () => {
  convCases.forEach((c, i) => {
    test(`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${JSON.stringify(c.pad)}`, async () => {
      await sameOnBoth(() =>
        runKernel(
          "Conv2DBackpropFilter",
          { x: random(c.x, i), dy: random(convOutShape(c), 100 + i) },
          {
            strides: c.strides,
            pad: c.pad,
            dataFormat: "NHWC",
            filterShape: c.filter,
          },
        ),
      );
    });
  });

  test("rejects NCHW with an error naming the kernel and attribute", async () => {
    await on("wasm", () => {
      const x = random([1, 4, 4, 2], 1);
      const dy = random([1, 4, 4, 2], 2);
      assert.throws(
        () =>
          runKernel(
            "Conv2DBackpropFilter",
            { x, dy },
            { strides: 1, pad: "same", dataFormat: "NCHW", filterShape: [3, 3, 2, 2] },
          ),
        /Conv2DBackpropFilter.*dataFormat="NCHW"/,
      );
      tf.dispose([x, dy]);
    });
  });
});

describe("Conv2DBackpropInput", () => {
  convCases.forEach((c, i) => {
    test(`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${JSON.stringify(c.pad)}`, async () => {
      await sameOnBoth(() =>
        runKernel(
          "Conv2DBackpropInput",
          { dy: random(convOutShape(c), 200 + i), filter: random(c.filter, 300 + i) },
          {
            strides: c.strides,
            pad: c.pad,
            dataFormat: "NHWC",
            inputShape: c.x,
          },
        ),
      );
    });
  });

  test("rejects NCHW with an error naming the kernel and attribute", async () => {
    await on("wasm", () => {
      const dy = random([1, 4, 4, 2], 1);
      const filter = random([3, 3, 2, 2], 2);
      assert.throws(
        () =>
          runKernel(
            "Conv2DBackpropInput",
            { dy, filter },
            { strides: 1, pad: "same", dataFormat: "NCHW", inputShape: [1, 4, 4, 2] },
          ),
        /Conv2DBackpropInput.*dataFormat="NCHW"/,
      );
      tf.dispose([dy, filter]);
    });
  });
});

describe("BatchMatMul", () => {
  const cases: Array<[number[], number[], boolean, boolean]> = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[2, 40, 3], [2, 40, 6], true, false],
    [[3, 4, 6], [1, 5, 6], false, true],
    [[6, 300], [2, 300], false, true], // large B: (A·Bᵀ) computed as (B·Aᵀ)ᵀ
    [[300, 4], [300, 3], true, false],
    [[3, 300], [300, 200], false, false], // new large B, few rows: computed as (Bᵀ·Aᵀ)ᵀ
    [[400, 30], [30, 20], false, false], // many rows: the stock product
  ];
  cases.forEach(([a, b, transposeA, transposeB], i) => {
    test(`a ${a} b ${b} transposeA=${transposeA} transposeB=${transposeB}`, async () => {
      await sameOnBoth(() => tf.matMul(random(a, i), random(b, 50 + i), transposeA, transposeB));
    });
  });
});

describe("BatchMatMul with a B it has met before (fixed weights: the stock kernel packs them once)", () => {
  test("the same weights give the same product on the first and later calls", async () => {
    await on("wasm", () => {
      const weights = random([300, 200], 1);
      const rows = random([3, 300], 2);
      const first = tf.matMul(rows, weights).arraySync();
      const second = tf.matMul(rows, weights).arraySync();
      assert.deepEqual(second, first);
      tf.dispose([weights, rows]);
    });
    const weights = random([300, 200], 1);
    await sameOnBoth(() => tf.matMul(random([3, 300], 2), weights));
    await sameOnBoth(() => tf.matMul(random([3, 300], 2), weights));
    weights.dispose();
  });
});

describe("Mean gradient (dy/n broadcast, no array of ones)", () => {
  const cases: Array<[number[], number | number[]]> = [
    [
      [4, 5, 6, 3],
      [0, 1, 2],
    ],
    [[4, 5], 1],
    [
      [3, 4, 5],
      [0, 2],
    ],
    [[6], 0],
  ];
  cases.forEach(([shape, axis], i) => {
    test(`shape ${shape} axis ${JSON.stringify(axis)}`, async () => {
      const x = random(shape, i);
      const weights = random(tf.mean(x, axis).shape, 10 + i);
      // d/dx Σ w·mean(x) = w/n at every position that was averaged into w's entry.
      const axes = tf.util.parseAxisParam(axis, shape);
      const n = axes.reduce((count, a) => count * shape[a], 1);
      const expected = tf
        .broadcastTo(
          tf.reshape(
            weights,
            shape.map((d, a) => (axes.includes(a) ? 1 : d)),
          ),
          shape,
        )
        .arraySync();
      const close = (actual: unknown, wanted: unknown): void => {
        if (Array.isArray(wanted))
          (wanted as unknown[]).forEach((w, k) => close((actual as unknown[])[k], w));
        else
          assert.ok(
            Math.abs((actual as number) - (wanted as number) / n) < 1e-6,
            `${actual} vs ${wanted}/${n}`,
          );
      };
      for (const backend of ["cpu", "wasm"] as const) {
        await on(backend, () =>
          close(
            tf
              .grad((input: Tensor) => tf.mul(tf.mean(input, axis), weights).sum())(x)
              .arraySync(),
            expected,
          ),
        );
      }
      tf.dispose([x, weights]);
    });
  });
});

describe("Sum, Mean", () => {
  const cases: Array<[number[], number | number[], boolean]> = [
    [[4, 5, 6, 3], [0, 1, 2], false],
    [[4, 5, 6, 3], [2, 0, 1], true],
    [[4, 5], 0, false],
    [[3, 4, 5], [0, 1, 2], false],
    [[3, 4, 5], [1, 2], false], // not leading axes: delegated to the stock kernel
    [[3, 4, 5], -1, true],
    [[40, 30, 30, 2], [0, 1, 2], false], // a long reduction: 36000 rows
    [[7], 0, false],
  ];
  cases.forEach(([shape, axis, keepDims], i) => {
    test(`shape ${shape} axis ${JSON.stringify(axis)} keepDims=${keepDims}`, async () => {
      await sameOnBoth(() => tf.sum(random(shape, i), axis, keepDims));
      await sameOnBoth(() => tf.mean(random(shape, i), axis, keepDims));
    });
  });
  test("int32 sums (delegated to the stock kernel)", async () => {
    await sameOnBoth(() => tf.sum(tf.tensor([1, 2, 3, 4, 5, 6], [3, 2], "int32"), 0));
  });
});

describe("Tile", () => {
  const cases: Array<[number[], number[]]> = [
    [
      [1, 1, 1, 4],
      [3, 5, 2, 1],
    ],
    [
      [2, 3],
      [2, 2],
    ],
    [[3], [4]],
    [
      [2, 1, 3],
      [1, 4, 1],
    ],
    [[1], [7]],
    [[2], [3]], // repeats x whole
    [
      [1, 3],
      [4, 1],
    ],
    [
      [2, 1],
      [3, 2],
    ], // not a whole repeat: rows are repeated separately
  ];
  cases.forEach(([shape, reps], i) => {
    test(`shape ${shape} reps ${reps}`, async () => {
      await sameOnBoth(() => tf.tile(random(shape, i), reps));
    });
  });
  test("int32 and bool", async () => {
    await sameOnBoth(() =>
      tf.tile(
        tf.tensor(
          [
            [1, 2],
            [3, 4],
          ],
          [2, 2],
          "int32",
        ),
        [2, 3],
      ),
    );
    await sameOnBoth(() => tf.tile(tf.tensor([true, false, true], [3, 1], "bool"), [2, 2]));
  });
});

describe("MaxPoolGrad", () => {
  const cases: Array<[number[], number, number, "same" | "valid"]> = [
    [[2, 8, 8, 3], 2, 2, "valid"],
    [[2, 7, 7, 2], 3, 2, "same"],
    [[1, 6, 5, 2], 3, 1, "valid"],
    [[1, 5, 5, 1], 2, 2, "same"],
    [[2, 7, 9, 3], 2, 2, "valid"], // last row and column in no window
  ];
  cases.forEach(([shape, size, stride, pad], i) => {
    test(`x ${shape} pool ${size} stride ${stride} ${pad}`, async () => {
      await sameOnBoth(() => {
        const x = random(shape, i);
        return tf.grad((input: Tensor) =>
          tf
            .mul(
              tf.maxPool(input as Tensor4D, size, stride, pad),
              random(tf.maxPool(x as Tensor4D, size, stride, pad).shape, 9),
            )
            .sum(),
        )(x);
      });
    });
  });
});

test("MaxPoolGrad: ties (windows of ReLU zeros) send the gradient to the first maximum, as on cpu", async () => {
  await sameOnBoth(() => {
    const x = tf.relu(random([2, 8, 8, 3], 7));
    return tf.grad((input: Tensor) =>
      tf.mul(tf.maxPool(input as Tensor4D, 2, 2, "valid"), random([2, 4, 4, 3], 8)).sum(),
    )(x);
  }, 0);
});

describe("FusedBatchNorm gradient (one WasmFusedBatchNormGrad kernel on wasm)", () => {
  test("runs as the single wasm kernel, without the stock gradient's Tile", async () => {
    const calls = new Map<string, number>();
    const spied = ["WasmFusedBatchNormGrad", "Tile"].map((name) => tf.getKernel(name, "wasm"));
    for (const config of spied) {
      tf.unregisterKernel(config.kernelName, "wasm");
      tf.registerKernel({
        ...config,
        kernelFunc: (args) => (
          calls.set(config.kernelName, (calls.get(config.kernelName) ?? 0) + 1),
          config.kernelFunc(args)
        ),
      });
    }
    try {
      await on("wasm", () => {
        const x = random([2, 3, 3, 4], 1);
        const stats = tf.moments(x, [0, 1, 2]);
        tf.grad((xs: Tensor) =>
          tf.sum(
            tf.batchNorm(
              xs,
              stats.mean,
              stats.variance,
              tf.zerosLike(stats.mean),
              tf.onesLike(stats.mean),
            ),
          ),
        )(x).dispose();
        tf.dispose([x, stats.mean, stats.variance]);
      });
    } finally {
      for (const config of spied) {
        tf.unregisterKernel(config.kernelName, "wasm");
        tf.registerKernel(config);
      }
    }
    assert.equal(calls.get("WasmFusedBatchNormGrad"), 1);
    assert.equal(calls.get("Tile"), undefined);
  });

  const cases: number[][] = [
    [2, 5, 4, 3],
    [6, 8],
    [3, 2, 7],
  ];
  cases.forEach((shape, i) => {
    test(`x ${shape}: gradients for x, mean, variance, scale and offset`, async () => {
      const c = shape[shape.length - 1];
      for (let input = 0; input < 5; input++) {
        await sameOnBoth(() => {
          const x = random(shape, i);
          const mean = random([c], 10 + i);
          const variance = tf.add(tf.abs(random([c], 20 + i)), 0.1);
          const scale = random([c], 30 + i);
          const offset = random([c], 40 + i);
          const weights = random(shape, 50 + i);
          const loss = (...args: Tensor[]) => {
            const [xs, m, v, s, o] = args;
            return tf.sum(
              tf.mul(
                tf.batchNorm(xs, m as Tensor1D, v as Tensor1D, o as Tensor1D, s as Tensor1D, 1e-3),
                weights,
              ),
            );
          };
          return tf.grads(loss)([x, mean, variance, scale, offset])[input];
        }, 2e-4);
      }
    });
  });
});

describe("FusedBatchNorm forward", () => {
  const cases: Array<[number[], boolean, boolean]> = [
    [[2, 5, 4, 3], true, true],
    [[6, 8], true, false],
    [[3, 2, 7], false, true],
    [[4, 3], false, false],
  ];
  cases.forEach(([shape, withScale, withOffset], i) => {
    test(`x ${shape} scale=${withScale} offset=${withOffset}`, async () => {
      const c = shape[shape.length - 1];
      await sameOnBoth(() =>
        tf.batchNorm(
          random(shape, i),
          random([c], 10 + i),
          tf.add(tf.abs(random([c], 20 + i)), 0.1),
          withOffset ? random([c], 30 + i) : undefined,
          withScale ? random([c], 40 + i) : undefined,
          1e-3,
        ),
      );
    });
  });
  test("non-per-channel statistics (delegated to the stock kernel)", async () => {
    await sameOnBoth(() =>
      tf.batchNorm(random([2, 3, 4], 1), random([3, 4], 2), tf.add(tf.abs(random([3, 4], 3)), 0.1)),
    );
  });
});

describe("Identity, Cast", () => {
  test("a cast to the same dtype shares data safely; other casts convert", async () => {
    await on("wasm", () => {
      const x = random([3, 4], 1);
      const expected = Array.from(x.dataSync());
      const same = tf.cast(x, "float32");
      x.dispose();
      assert.deepEqual(Array.from(same.dataSync()), expected);
      same.dispose();
      const ints = tf.tensor([1.7, -2.2, 3], [3], "float32").cast("int32");
      assert.equal(ints.dtype, "int32");
      assert.deepEqual(Array.from(ints.dataSync()), [1, -2, 3]);
      ints.dispose();
    });
  });
  test("clones share data safely: disposing one leaves the other intact", async () => {
    await on("wasm", () => {
      const x = random([3, 4], 1);
      const expected = Array.from(x.dataSync());
      const copy = tf.clone(x);
      x.dispose();
      assert.deepEqual(Array.from(copy.dataSync()), expected);
      copy.dispose();
    });
  });
  test("variables assigned from a clone keep their own value", async () => {
    await on("wasm", () => {
      const v = tf.variable(tf.tensor([1, 2, 3]));
      const snapshot = tf.clone(v);
      v.assign(tf.tensor([4, 5, 6]));
      assert.deepEqual(Array.from(snapshot.dataSync()), [1, 2, 3]);
      assert.deepEqual(Array.from(v.dataSync()), [4, 5, 6]);
      tf.dispose([v, snapshot]);
    });
  });
});
