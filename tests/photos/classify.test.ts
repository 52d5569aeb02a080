import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { initBackend, tf } from "../../lib/backend";

import {
  classifyPhotos,
  EXAMPLE_PHOTOS,
  photoInputs,
  photoProblemsTable,
  preprocessPhoto,
  preprocessPhotos,
} from "../../lib/photos";
import { topK } from "../../lib/photos/top-k";
import { ARTICLE_VARIANT } from "../../lib/training";
import { temporaryDirs } from "../helpers/temp-dirs";

const tempDir = temporaryDirs("photos-");

describe("classifying your own images", () => {
  before(async () => {
    await initBackend();
  });

  it("one bad photo in a folder is reported beside the others, which are still classified", async () => {
    const dir = tempDir();
    for (const example of EXAMPLE_PHOTOS.slice(0, 2))
      fs.copyFileSync(example.path, path.join(dir, example.file));
    fs.writeFileSync(path.join(dir, "b-notes.jpg"), "not a photo at all");
    const good = fs.readFileSync(EXAMPLE_PHOTOS[1].path);
    fs.writeFileSync(path.join(dir, "c-truncated.png"), good.subarray(0, good.length >> 1));
    const inputs = photoInputs([dir]);
    assert.equal(inputs.length, 4);
    const prepared = await preprocessPhotos(inputs);
    assert.deepEqual(
      prepared.inputs.map((input) => input.name),
      EXAMPLE_PHOTOS.slice(0, 2)
        .map((example) => example.file)
        .sort(),
    );
    assert.equal(prepared.photos.length, 2);
    assert.deepEqual(
      prepared.problems.map((problem) => problem.input.name),
      ["b-notes.jpg", "c-truncated.png"],
    );
    for (const problem of prepared.problems)
      assert.ok(problem.message.startsWith(problem.input.path), problem.message);
    assert.match(photoProblemsTable(prepared.problems), /b-notes\.jpg.*c-truncated\.png/s);
    const model = ARTICLE_VARIANT.build(1);
    assert.equal((await classifyPhotos(model, prepared.photos)).length, 2);
    assert.deepEqual(await classifyPhotos(model, []), []);
    model.dispose();
  });

  it("topK ranks classes by probability", () => {
    assert.deepEqual(
      topK([0.1, 0.6, 0.05, 0.25], 3).map((r) => r.classIndex),
      [1, 3, 0],
    );
  });

  it("a folder of thousands of photos: the first 48 are classified, and the rest are counted", () => {
    const dir = tempDir();
    for (let i = 0; i < 2000; i++)
      fs.linkSync(
        EXAMPLE_PHOTOS[0].path,
        path.join(dir, `photo-${String(i).padStart(4, "0")}.png`),
      );
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    let inputs;
    try {
      inputs = photoInputs([dir]);
    } finally {
      console.log = log;
    }
    assert.equal(inputs.length, 48);
    assert.equal(inputs[47].name, "photo-0047.png");
    assert.deepEqual(lines, [
      "FMNIST_PHOTOS names 2,000 images: the first 48 (folders in name order) are classified here and " +
        "1,952 are left out; name fewer to choose which.",
    ]);
  });

  it("photoInputs: the shipped examples by default, or the reader's files and folders", () => {
    const examples = photoInputs(undefined, EXAMPLE_PHOTOS);
    assert.equal(examples.length, EXAMPLE_PHOTOS.length);
    assert.ok(examples.every((e) => e.label && fs.existsSync(e.path)));
    const dir = tempDir();
    for (const f of ["b.JPG", "a.png", "notes.txt"]) fs.writeFileSync(path.join(dir, f), "x");
    assert.deepEqual(
      photoInputs([dir, EXAMPLE_PHOTOS[0].path], EXAMPLE_PHOTOS).map((i) => i.name),
      ["a.png", "b.JPG", EXAMPLE_PHOTOS[0].file],
    );
    fs.rmSync(path.join(dir, "a.png"));
    fs.rmSync(path.join(dir, "b.JPG"));
    assert.throws(() => photoInputs([dir], EXAMPLE_PHOTOS), /names no PNG or JPEG files/);
  });

  it("classifyPhotos gives k ranked classes per photo and frees its tensors", async () => {
    const model = ARTICLE_VARIANT.build(3);
    const photos = await Promise.all(
      EXAMPLE_PHOTOS.slice(0, 2).map((e) => preprocessPhoto(e.path)),
    );
    const before = tf.memory().numTensors;
    const ranked = await classifyPhotos(model, photos, 3);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(ranked.length, 2);
    for (const answers of ranked) {
      assert.equal(answers.length, 3);
      assert.ok(
        answers[0].probability >= answers[1].probability &&
          answers[1].probability >= answers[2].probability,
      );
    }
    model.dispose();
  });
});
