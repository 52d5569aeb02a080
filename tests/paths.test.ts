import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { DEFAULT_RUNS_DIR, PROJECT_ROOT, projectRelative, runDirFor, runPaths } from "../lib/paths";
import { ARTICLE_VARIANT, IMPROVED_VARIANT, onValidationSplit } from "../lib/training";

/** Run `check` with FMNIST_RUNS_DIR set to `value` (undefined: unset), restoring it afterwards. */
function withRunsDir(value: string | undefined, check: () => void): void {
  const before = process.env.FMNIST_RUNS_DIR;
  const set = (v: string | undefined) =>
    v === undefined ? delete process.env.FMNIST_RUNS_DIR : (process.env.FMNIST_RUNS_DIR = v);
  set(value);
  try {
    check();
  } finally {
    set(before);
  }
}

describe("run folders", () => {
  it("the article's run is the profile's folder; every other variant gets its own beside it", () =>
    withRunsDir(undefined, () => {
      const dirs = [ARTICLE_VARIANT, IMPROVED_VARIANT, onValidationSplit(IMPROVED_VARIANT)].map(
        (v) => runDirFor("quick", v),
      );
      assert.deepEqual(
        dirs,
        ["quick", "quick-improved", "quick-improved-validation"].map((name) =>
          path.join(DEFAULT_RUNS_DIR, name),
        ),
      );
      assert.equal(runDirFor("quick"), path.join(PROJECT_ROOT, "data", "runs", "quick"));
    }));

  it("FMNIST_RUNS_DIR moves every run folder, the tests' and the reader's alike", () => {
    withRunsDir("/var/tmp/fmnist-runs", () =>
      assert.equal(runDirFor("full", IMPROVED_VARIANT), "/var/tmp/fmnist-runs/full-improved"),
    );
    withRunsDir("out/test-runs", () =>
      assert.equal(runDirFor("smoke"), path.resolve("out/test-runs/smoke")),
    );
  });

  it("every run holds the same files", () =>
    withRunsDir(undefined, () => {
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
    }));

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

  it("a runs folder set outside the project is shown as the reader set it", () =>
    withRunsDir("/srv/runs", () => {
      assert.equal(projectRelative("/srv/runs/full/checkpoint"), "/srv/runs/full/checkpoint");
    }));
});
