/** How notebook 6 reads the recipe's selection and spread: the newest dated file of each, checked. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { FileProblemError } from "../../lib/errors";
import { readRecipeSelection, readRecipeSpread } from "../../lib/evaluation";
import { IMPROVED_VARIANT } from "../../lib/training";

const MEASURED = {
  date: "2026-12-07",
  commit: "2b47061",
  machine: "AMD EPYC 7B13, 2 cores",
  profile: "full",
};

const SELECTION = {
  ...MEASURED,
  command: "npm run select",
  validation: { images: 5000, of: 60000, stratified: "by class", seed: 42 },
  candidates: [
    {
      recipe: "A",
      epochs: 25,
      batchSize: 32,
      validationAccuracy: 0.93,
      mirroredValidationAccuracy: 0.9,
    },
    {
      recipe: "B",
      epochs: 30,
      batchSize: 128,
      validationAccuracy: 0.94,
      mirroredValidationAccuracy: 0.945,
    },
  ],
  chosen: { recipe: "B", views: "as they are and mirrored, averaged", validationAccuracy: 0.945 },
};

const SPREAD = {
  ...MEASURED,
  command: "npm run select",
  recipe: "B",
  views: "as they are",
  testImages: 10000,
  seeds: [
    { seed: 42, testAccuracy: 0.94 },
    { seed: 7, testAccuracy: 0.938 },
  ],
};

function benchmarks(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fmnist-benchmarks-"));
  for (const [name, value] of Object.entries(files))
    fs.writeFileSync(
      path.join(dir, name),
      typeof value === "string" ? value : JSON.stringify(value),
    );
  return dir;
}

describe("the recipe's dated files", () => {
  it("are read from the newest file of their kind, by date and then by number", () => {
    const dir = benchmarks({
      "recipe-selection-2026-12-06.json": { ...SELECTION, date: "2026-12-06" },
      "recipe-selection-2026-12-07.json": SELECTION,
      "recipe-selection-2026-12-07-2.json": {
        ...SELECTION,
        chosen: { ...SELECTION.chosen, recipe: "A", views: "as they are" },
      },
      "recipe-selection-2026-12-07-10.json.tmp": "not a dated file",
      "train-2026-12-09.json": {},
    });
    const selection = readRecipeSelection(dir);
    assert.equal(path.basename(selection.file), "recipe-selection-2026-12-07-2.json");
    assert.deepEqual(selection.chosen, {
      recipe: "A",
      views: "as they are",
      mirrored: false,
      validationAccuracy: 0.945,
    });
    assert.equal(selection.candidates.length, 2);
  });

  it("read the views into whether the test images are also shown mirrored", () => {
    const dir = benchmarks({
      "recipe-selection-2026-12-07.json": SELECTION,
      "recipe-spread-2026-12-08.json": SPREAD,
    });
    assert.equal(readRecipeSelection(dir).chosen.mirrored, true);
    const spread = readRecipeSpread(dir);
    assert.equal(spread.mirrored, false);
    assert.deepEqual(
      spread.seeds.map((s) => s.testAccuracy),
      [0.94, 0.938],
    );
  });

  it("name the file and the command that makes it again when one is missing or damaged", () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{}, /holds no recipe-selection-<date>\.json.*npm run select/],
      [{ "recipe-selection-2026-12-07.json": "{" }, /recipe-selection-2026-12-07\.json/],
      [
        { "recipe-selection-2026-12-07.json": { ...SELECTION, commit: undefined } },
        /has no valid commit/,
      ],
      [
        {
          "recipe-selection-2026-12-07.json": {
            ...SELECTION,
            chosen: { ...SELECTION.chosen, recipe: "C" },
          },
        },
        /has no valid chosen recipe/,
      ],
      [
        {
          "recipe-selection-2026-12-07.json": {
            ...SELECTION,
            chosen: { ...SELECTION.chosen, views: "sideways" },
          },
        },
        /has no valid views/,
      ],
      [
        {
          "recipe-selection-2026-12-07.json": {
            ...SELECTION,
            candidates: [{ ...SELECTION.candidates[0], validationAccuracy: 93.1 }],
          },
        },
        /has no valid candidate/,
      ],
    ];
    for (const [files, message] of cases)
      assert.throws(
        () => readRecipeSelection(benchmarks(files)),
        (error: unknown) => error instanceof FileProblemError && message.test(error.message),
        String(message),
      );
    assert.throws(
      () =>
        readRecipeSpread(
          benchmarks({ "recipe-spread-2026-12-08.json": { ...SPREAD, seeds: [SPREAD.seeds[0]] } }),
        ),
      /has no valid seeds \(two or more\).*npm run select/,
    );
  });

  it("committed: the newest selection chose notebook 6's recipe, and the spread tested that recipe", () => {
    const selection = readRecipeSelection();
    assert.equal(selection.profile, "full");
    assert.equal(selection.chosen.recipe, IMPROVED_VARIANT.name);
    const spread = readRecipeSpread();
    assert.equal(spread.recipe, IMPROVED_VARIANT.name);
    assert.equal(spread.mirrored, selection.chosen.mirrored);
    assert.equal(spread.seeds.length, 3);
  });
});
