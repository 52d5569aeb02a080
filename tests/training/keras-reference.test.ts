/**
 * The Keras reference run: only a finished run is shown, a damaged file is named with what to do, and
 * notebook 3's comparison table and paragraph are written from the file's figures.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { PROFILES } from "../../lib/session";
import type { Session } from "../../lib/session";
import { compareWithArticle, kerasReferenceTable, loadKerasReference } from "../../lib/training";
import { emptyHistory } from "../../lib/training/history";
import { kerasSecondsPerEpoch } from "../../lib/training/keras-reference";
import { FileProblemError } from "../../lib/errors";
import { KERAS_REFERENCE_DIR } from "../../lib/paths";
import { temporaryDirs } from "../helpers/temp-dirs";

const tempDir = temporaryDirs("keras-reference-");

const finished = {
  command: ".venv/bin/python scripts/keras_reference.py --epochs 3",
  date: "2026-12-02",
  commit: "abc1234",
  keras: "3.15.1",
  tensorflow: "2.21.0",
  cpu: "Some CPU",
  cores: 2,
  memory_gib: 24,
  train_images: 60000,
  epochs: [
    { epoch: 1, seconds: 200, val_accuracy: 0.88 },
    { epoch: 2, seconds: 190, val_accuracy: 0.9 },
    { epoch: 3, seconds: 400, val_accuracy: 0.9123 },
  ],
  test_accuracy: 0.9123,
};

/** A folder holding the runs given by file name. */
function runs(files: Record<string, unknown>): string {
  const dir = tempDir();
  for (const [name, value] of Object.entries(files))
    fs.writeFileSync(
      path.join(dir, name),
      typeof value === "string" ? value : JSON.stringify(value),
    );
  return dir;
}

function write(value: unknown): string {
  return runs({ "result-2026-12-02.json": value });
}

test("the newest finished Keras run loads; one still going or none at all does not", () => {
  assert.equal(loadKerasReference(write(finished))?.test_accuracy, 0.9123);
  const { test_accuracy: _, ...going } = finished;
  assert.equal(loadKerasReference(write(going)), undefined);
  assert.equal(loadKerasReference(path.join(tempDir(), "absent")), undefined);
  const later = { ...finished, date: "2026-12-09", test_accuracy: 0.93 };
  const dir = runs({
    "result-2026-12-02.json": finished,
    "result-2026-12-09.json": later,
    "result-2026-12-09-2.json": going,
    "result.json.tmp": "{",
  });
  assert.equal(loadKerasReference(dir)?.test_accuracy, 0.93, "the newest finished, not one going");
});

test("a damaged Keras result names the file and how to rewrite it", () => {
  for (const bad of [
    "{ not json",
    { ...finished, epochs: [{ epoch: 1 }] },
    { ...finished, epochs: 3 },
  ]) {
    assert.throws(
      () => loadKerasReference(write(bad)),
      (error: unknown) =>
        error instanceof FileProblemError &&
        error.message.includes("result-2026-12-02.json") &&
        error.message.includes("scripts/keras_reference.py"),
    );
  }
});

test("notebook 3's tables come from the Keras run's figures", () => {
  const reference = loadKerasReference(write(finished))!;
  assert.equal(kerasSecondsPerEpoch(reference), 200);
  const history = {
    ...emptyHistory(),
    loss: [0.4],
    acc: [0.8],
    val_loss: [0.41],
    val_acc: [0.8511],
  };
  const session = { profile: PROFILES.smoke } as Session;
  const table = compareWithArticle(history, session, reference);
  assert.match(table, /Keras reference val_acc \(3 epochs\)/);
  assert.match(table, /0\.8800/);
  assert.match(table, /0\.8511/);
  assert.doesNotMatch(compareWithArticle(history, session, null), /Keras reference/);
  const beside = kerasReferenceTable(reference, { ...history, seconds: [100] }, PROFILES.smoke);
  assert.match(beside, /<td[^>]*>test accuracy<\/td><td[^>]*>91\.23%<\/td><td[^>]*>85\.11%<\/td>/);
  assert.match(beside, /<td[^>]*>3m 20s<\/td><td[^>]*>1m 40s<\/td>/);
  assert.match(beside, /2026-12-02, commit abc1234/);
  assert.match(beside, /<td[^>]*>training images<\/td><td[^>]*>[\d,]+<\/td><td[^>]*>2,000<\/td>/);
  assert.ok(beside.includes(finished.command));
});

test(
  "the committed Keras reference is a finished run of the article's 25 epochs on all 60,000 images",
  { skip: fs.existsSync(KERAS_REFERENCE_DIR) ? false : "no data/keras-reference/" },
  () => {
    const reference = loadKerasReference();
    assert.ok(reference, "the committed run has not finished");
    assert.equal(reference.epochs.length, 25);
    assert.equal(reference.train_images, 60000);
  },
);
