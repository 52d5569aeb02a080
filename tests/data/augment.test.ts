import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { initBackend, tf } from "../../lib/backend";
import { augmentImages } from "../../lib/data";

/** Each image i is a single bright pixel at (row, col) = spots[i]; the output tells where it moved. */
function spotImages(spots: [number, number][], size = 8) {
  const data = new Float32Array(spots.length * size * size);
  spots.forEach(([r, c], i) => (data[i * size * size + r * size + c] = 1));
  return tf.tensor4d(data, [spots.length, size, size, 1]);
}

function spotsOf(images: import("@tensorflow/tfjs").Tensor4D): [number, number][] {
  const [n, h, w] = images.shape;
  const data = images.dataSync();
  return Array.from({ length: n }, (_, i) => {
    const at = data.subarray(i * h * w, (i + 1) * h * w).findIndex((v) => v > 0.5);
    return [Math.floor(at / w), at % w];
  });
}

describe("augmentImages", () => {
  before(async () => {
    await initBackend();
  });

  it("moves pixels by whole steps of at most maxShift, mirrors some images, keeps values exact", () => {
    const spots: [number, number][] = Array.from({ length: 200 }, () => [3, 2]);
    const input = spotImages(spots);
    const out = augmentImages(input, { seed: 1, maxShift: 2 });
    assert.deepEqual(out.shape, [200, 8, 8, 1]);
    const values = new Set(Array.from(out.dataSync()));
    assert.deepEqual([...values].sort(), [0, 1], "no interpolation: only the original values");
    const moved = spotsOf(out);
    let mirrored = 0;
    for (const [r, c] of moved) {
      assert.ok(Math.abs(r - 3) <= 2, `row ${r}`);
      const plain = Math.abs(c - 2) <= 2;
      const flipped = Math.abs(c - (7 - 2)) <= 2;
      assert.ok(plain || flipped, `col ${c}`);
      if (!plain) mirrored++;
    }
    assert.ok(mirrored > 60 && mirrored < 140, `${mirrored} of 200 mirrored`);
    // Every shift happens, in both directions, for plain and mirrored images alike (a biased or constant
    // shift would teach the network a position the test images never have).
    assert.deepEqual([...new Set(moved.map(([r]) => r))].sort(), [1, 2, 3, 4, 5], "all row shifts");
    assert.deepEqual(
      [...new Set(moved.map(([, c]) => c))].sort((a, b) => a - b),
      [0, 1, 2, 3, 4, 5, 6, 7],
      "all column shifts, plain and mirrored",
    );
    tf.dispose([input, out]);
  });

  it("is repeatable for a seed and different across seeds, without leaking tensors", () => {
    const input = spotImages(
      Array.from({ length: 16 }, (_, i) => [i % 8, (i * 3) % 8] as [number, number]),
    );
    const before = tf.memory().numTensors;
    const a = augmentImages(input, { seed: 5 });
    const b = augmentImages(input, { seed: 5 });
    const c = augmentImages(input, { seed: 6 });
    assert.deepEqual(spotsOf(a), spotsOf(b));
    assert.notDeepEqual(spotsOf(a), spotsOf(c));
    tf.dispose([a, b, c]);
    assert.equal(tf.memory().numTensors, before);
    input.dispose();
  });

  it("with no shift and no flips it is the identity", () => {
    const input = spotImages([
      [1, 1],
      [6, 4],
    ]);
    const out = augmentImages(input, { seed: 1, maxShift: 0, flipProbability: 0 });
    assert.deepEqual(Array.from(out.dataSync()), Array.from(input.dataSync()));
    tf.dispose([input, out]);
  });
});
