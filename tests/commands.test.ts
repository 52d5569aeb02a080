// Slow tier: runs the commands as processes.
/**
 * The terminal commands, given a reader's mistake: each prints one clear message — no stack trace, no
 * error fields — and exits with status 1, before doing anything else.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import { FileProblemError } from "../lib/errors";
import { SettingError } from "../lib/settings";
import { temporaryDirs } from "./helpers/temp-dirs";

const ROOT = path.resolve(__dirname, "..");
const tempDir = temporaryDirs("fmnist-commands-");

/** Run `scripts/<script>.ts args` as npm would; its status and what it printed on stderr. */
function command(script: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", `scripts/${script}.ts`, ...args],
    {
      cwd: ROOT,
      // A runs folder of its own: a command that got past its checks must not touch the reader's runs.
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, FMNIST_RUNS_DIR: tempDir(), ...env },
      encoding: "utf8",
      timeout: 120_000,
    },
  );
  // TensorFlow's start-up notes are held back (lib/backend/start-up-log.ts): any line here is the command's.
  const lines = result.stderr.split("\n").filter((line) => line.trim() !== "");
  return { status: result.status, lines, stdout: result.stdout };
}

/** The command failed with exactly this one line on stderr, and printed nothing else. */
function failsWithOneLine(result: ReturnType<typeof command>, expected: RegExp): void {
  assert.equal(result.status, 1, result.lines.join("\n"));
  assert.equal(result.lines.length, 1, `one line, no stack:\n${result.lines.join("\n")}`);
  assert.match(result.lines[0], expected);
  assert.equal(result.stdout, "", "nothing started");
}

describe("a reader's mistake in a command: one line, exit status 1", () => {
  it("TFJS_BACKEND=bogus npm run train", () =>
    failsWithOneLine(
      command("train", [], { TFJS_BACKEND: "bogus" }),
      /^TFJS_BACKEND=bogus is not one of tensorflow, wasm, cpu$/,
    ));

  it("RUNS=0 npm run bench:load", () =>
    failsWithOneLine(
      command("bench-load", [], { RUNS: "0" }),
      /^RUNS=0 is not a positive integer up to 1000 \(default 7\)$/,
    ));

  it("npm run train -- --varient improved (a mistyped flag trains nothing)", () =>
    failsWithOneLine(
      command("train", ["--varient", "improved"]),
      /^npm run train: Unknown option '--varient'; it takes only --variant NAME \(NAME: article, improved\) and --validation$/,
    ));

  it("npm run train -- --variant (no name) and -- --variant bogus", () => {
    failsWithOneLine(
      command("train", ["--variant"]),
      /^npm run train: Option '--variant <value>' argument missing; it takes only --variant NAME/,
    );
    failsWithOneLine(
      command("train", ["--variant", "bogus"]),
      /^--variant bogus: choose one of article, improved$/,
    );
  });

  it("npm run train --variant improved (without --, npm keeps the flag): says to add --", () =>
    failsWithOneLine(
      command("train", ["improved"], { npm_config_variant: "true" }),
      /^npm run train: npm kept --variant for itself; put -- before the script's flags: npm run train -- --variant improved$/,
    ));

  it("npm run train -- --help prints the usage and trains nothing", () => {
    const result = command("train", ["--help"]);
    assert.equal(result.status, 0, result.lines.join("\n"));
    assert.match(result.stdout, /^Usage: npm run train \[-- --variant NAME\]/);
    assert.match(result.stdout, /--variant NAME +what to train \(default: article\)/);
    assert.deepEqual(result.lines, []);
  });

  it("npm run train -- improved (a stray argument)", () =>
    failsWithOneLine(
      command("train", ["improved"]),
      /^npm run train: Unexpected argument 'improved'; it takes only --variant NAME/,
    ));

  it("npm run web with no finished run says which notebook to run first, and serves nothing", () => {
    // It says which profile it looked for (stdout) first: the message is about that profile.
    const result = command("web", [], { FMNIST_PROFILE: "smoke" });
    assert.equal(result.status, 1, result.lines.join("\n"));
    assert.equal(result.lines.length, 1, result.lines.join("\n"));
    assert.match(
      result.lines[0],
      /^\/\S+\/smoke\/history\.json: not found: the smoke run of MiniVGGNet \(article\) has not finished yet — run notebooks\/03-training\.ipynb first, with the same profile \(FMNIST_PROFILE=smoke\)$/,
    );
    assert.match(result.stdout, /^Profile {2}smoke:/);
    assert.doesNotMatch(result.stdout, /Serving/);
  });

  it("npm run web -- --variant bogus, and -- --port 99999", () => {
    failsWithOneLine(
      command("web", ["--variant", "bogus"]),
      /^npm run web: --variant bogus: choose article or improved$/,
    );
    failsWithOneLine(
      command("web", ["--port", "99999"]),
      /^npm run web: --port 99999: give a port number from 0 to 65535$/,
    );
  });
});

describe("commands that work", () => {
  it("npm run train -- --validation trains on the training images less the validation split, in a folder of its own", () => {
    const runs = tempDir();
    const result = command("train", ["--validation"], {
      FMNIST_PROFILE: "smoke",
      FMNIST_RUNS_DIR: runs,
    });
    assert.equal(result.status, 0, result.lines.join("\n"));
    assert.match(
      result.stdout,
      new RegExp(`Checkpoints after every epoch: ${runs}/smoke-validation/checkpoint`),
    );
    // 2,000 smoke images less 167 held out: 58 batches of 32.
    assert.match(result.stdout, /Training 2 epochs? ?\(?s?\)? of 58 batches of 32/);
    assert.ok(fs.existsSync(path.join(runs, "smoke-validation", "history.json")));
    assert.ok(!fs.existsSync(path.join(runs, "smoke")), "the test-set run is not touched");
  });
});

describe("in a notebook cell (tslab prints errors with util.inspect)", () => {
  it("a reader's error shows its message alone, without a stack or its fields", () => {
    for (const error of [
      new SettingError("TFJS_BACKEND", "bogus", "one of tensorflow, wasm, cpu"),
      new FileProblemError("data/runs/full/history.json", "is empty", "delete it"),
    ]) {
      const shown = inspect(error);
      assert.ok(!/\n\s+at /.test(shown), shown);
      assert.ok(!/variable|advice:|problem:/.test(shown), shown);
      assert.ok(shown.includes(error.message), shown);
    }
    const setting = new SettingError("TFJS_BACKEND", "bogus", "one of tensorflow, wasm, cpu");
    assert.equal(setting.variable, "TFJS_BACKEND", "the fields are still there for code to read");
  });
});
