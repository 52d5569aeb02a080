/** The per-epoch lines: while training (with what is left) and for a reused run (as it was trained). */
import assert from "node:assert/strict";
import { test } from "node:test";
import { epochLine, epochLines } from "../../lib/training";
import type { History } from "../../lib/training";

const history: History = {
  loss: [0.7, 0.45, 0.37],
  acc: [0.76, 0.84, 0.87],
  val_loss: [0.4, 0.35, 0.33],
  val_acc: [0.8628, 0.8752, 0.884],
  seconds: [108, 98, 65],
  learningRate: [0.008, 0.006, 0.005],
};

test("while training, the line of the last epoch estimates what is left", () => {
  const twoDone = Object.fromEntries(
    Object.entries(history).map(([key, series]) => [key, series.slice(0, 2)]),
  ) as History;
  assert.equal(
    epochLine(twoDone, 3),
    "Epoch 2/3 · loss 0.4500 · acc 0.8400 · val_loss 0.3500 · val_acc 0.8752 · 1m 38s · ETA 1m 43s",
  );
  assert.doesNotMatch(epochLine(history, 3), /ETA/);
});

test("a reused run prints one line per epoch, as trained, without estimates", () => {
  assert.deepEqual(epochLines(history), [
    "Epoch 1/3 · loss 0.7000 · acc 0.7600 · val_loss 0.4000 · val_acc 0.8628 · 1m 48s",
    "Epoch 2/3 · loss 0.4500 · acc 0.8400 · val_loss 0.3500 · val_acc 0.8752 · 1m 38s",
    "Epoch 3/3 · loss 0.3700 · acc 0.8700 · val_loss 0.3300 · val_acc 0.8840 · 1m 05s",
  ]);
});
