import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { PROJECT_ROOT, projectRelative, runDirFor, runPaths, RUNS_DIR } from "../lib/paths";
import { ARTICLE_VARIANT, AUGMENTED_ARTICLE_VARIANT, IMPROVED_VARIANT } from "../lib/training";

describe("run folders", () => {
  it("the article's run is the profile's folder; every other variant gets its own beside it", () => {
    const dirs = [ARTICLE_VARIANT, AUGMENTED_ARTICLE_VARIANT, IMPROVED_VARIANT].map((v) =>
      runDirFor("quick", v),
    );
    assert.deepEqual(
      dirs,
      ["quick", "quick-augmented", "quick-improved"].map((name) => path.join(RUNS_DIR, name)),
    );
    assert.equal(runDirFor("quick"), path.join(PROJECT_ROOT, "data", "runs", "quick"));
  });

  it("every run holds the same files", () => {
    const paths = runPaths(runDirFor("smoke"));
    assert.deepEqual(
      Object.values(paths).map((p) => projectRelative(p)),
      [
        "data/runs/smoke",
        ...["checkpoint", "model", "history.json", "plot.png", "montage.png"].map(
          (f) => `data/runs/smoke/${f}`,
        ),
      ],
    );
  });

  it("paths are shown relative to the project; paths elsewhere stay absolute", () => {
    assert.equal(
      projectRelative(path.join(PROJECT_ROOT, "data", "x.gz")),
      path.join("data", "x.gz"),
    );
    assert.equal(
      projectRelative("/usr/share/datasets/fashion-mnist/x.gz"),
      "/usr/share/datasets/fashion-mnist/x.gz",
    );
    // A sibling folder whose name starts like the project's is not inside it.
    assert.equal(projectRelative(`${PROJECT_ROOT}-copy/data`), `${PROJECT_ROOT}-copy/data`);
  });
});
