import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import { comparisonTable, reportedTable } from "../lib/comparison";
import { emptyHistory } from "../lib/history";
import { build } from "../lib/model";
import { preprocessPhoto } from "../lib/photo";
import { EXAMPLE_PHOTOS } from "../lib/photo-examples";
import { classifyPhotos, photoInputs, topK } from "../lib/photo-predict";
import { PROFILES } from "../lib/profile";
import type { Session } from "../lib/session";
import { ARTICLE_VARIANT, AUGMENTED_ARTICLE_VARIANT, IMPROVED_VARIANT } from "../lib/train";
import { variantRunDir } from "../lib/training-session";
import { initBackend, tf } from "../lib/tf";

describe("classifying your own images", () => {
  before(async () => {
    await initBackend();
  });

  it("topK ranks classes by probability", () => {
    assert.deepEqual(topK([0.1, 0.6, 0.05, 0.25], 3).map((r) => r.classIndex), [1, 3, 0]);
  });

  it("photoInputs: the shipped examples by default, or the reader's files and folders", () => {
    const examples = photoInputs(undefined, EXAMPLE_PHOTOS);
    assert.equal(examples.length, EXAMPLE_PHOTOS.length);
    assert.ok(examples.every((e) => e.label && fs.existsSync(e.path)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "photos-"));
    for (const f of ["b.JPG", "a.png", "notes.txt"]) fs.writeFileSync(path.join(dir, f), "x");
    assert.deepEqual(photoInputs(`${dir}, ${EXAMPLE_PHOTOS[0].path}`, EXAMPLE_PHOTOS).map((i) => i.name), ["a.png", "b.JPG", EXAMPLE_PHOTOS[0].file]);
    assert.throws(() => photoInputs(path.join(dir, "missing.jpg"), EXAMPLE_PHOTOS), /FMNIST_PHOTOS: .*missing\.jpg does not exist/);
    fs.rmSync(path.join(dir, "a.png"));
    fs.rmSync(path.join(dir, "b.JPG"));
    assert.throws(() => photoInputs(dir, EXAMPLE_PHOTOS), /names no PNG or JPEG files/);
  });

  it("classifyPhotos gives k ranked classes per photo and frees its tensors", async () => {
    const model = build({ width: 28, height: 28, depth: 1, classes: 10, seed: 3 });
    const photos = await Promise.all(EXAMPLE_PHOTOS.slice(0, 2).map((e) => preprocessPhoto(e.path)));
    const before = tf.memory().numTensors;
    const ranked = await classifyPhotos(model, photos, 3);
    assert.equal(tf.memory().numTensors, before);
    assert.equal(ranked.length, 2);
    for (const answers of ranked) {
      assert.equal(answers.length, 3);
      assert.ok(answers[0].probability >= answers[1].probability && answers[1].probability >= answers[2].probability);
    }
    model.dispose();
  });
});

describe("the comparison table", () => {
  it("shows measured runs with their profile, and projects the full run", async () => {
    await initBackend();
    const history = { ...emptyHistory(), loss: [1, 0.5], acc: [0.6, 0.8], val_loss: [0.9, 0.6], val_acc: [0.7, 0.8123], seconds: [100, 120], learningRate: [0.01, 0.009] };
    const model = build({ width: 28, height: 28, depth: 1, classes: 10 });
    const html = comparisonTable([{ variant: ARTICLE_VARIANT, model, history, profile: PROFILES.quick, trainExamples: 12_000, testExamples: 2_000 },
      { variant: IMPROVED_VARIANT, model, history, profile: PROFILES.quick, trainExamples: 12_000, testExamples: 2_000 }]);
    assert.match(html, /MiniVGGNet \(article\)<\/td>.*none<\/td>.*1,679,082<\/td>.*quick: 12,000 × 2 epochs<\/td>.*81\.23%<\/td>.*1m 50s<\/td>/);
    assert.match(html, /flip \+ shift/);
    // 110 s per epoch of 12,000 images → 60,000 × 25 epochs is 125 such epochs: 13,750 s.
    assert.match(html, /3h 49m \(projected\)/);
    assert.match(reportedTable(), /not measured here/);
    model.dispose();
  });
});

describe("the variants' run folders", () => {
  it("the article's run is the profile's folder; every other variant gets its own beside it", () => {
    const session = { runDir: path.join("data", "runs", "quick") } as Session;
    const dirs = [ARTICLE_VARIANT, AUGMENTED_ARTICLE_VARIANT, IMPROVED_VARIANT].map((variant) => variantRunDir(session, variant));
    assert.deepEqual(dirs, ["quick", "quick-augmented", "quick-improved"].map((name) => path.join("data", "runs", name)));
    assert.equal(variantRunDir(session), session.runDir);
  });
});
