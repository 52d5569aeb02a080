/**
 * Every environment variable the tutorial reads (lib/settings.ts): the accepted values, and for each a bad
 * value that must be an error naming the variable, the value and what is accepted.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import {
  benchmarkRunsSetting,
  backendSetting,
  checkSettings,
  datasetDirSetting,
  datasetUrlSetting,
  graphSetting,
  offlineSetting,
  photosSetting,
  profileSetting,
  retrainSetting,
  SettingError,
  wasmThreadsSetting,
} from "../lib/settings";
import { temporaryDirs } from "./helpers/temp-dirs";
import { slowTier } from "./helpers/test-tier";

const ROOT = path.resolve(__dirname, "..");
const tempDir = temporaryDirs("settings-");

/** `read` throws a SettingError whose message names the variable, the value and the accepted values. */
/** Run `code` in a fresh Node process (settings are read when lib/ first loads) with `env` on top. */
function nodeProbe(code: string, env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", code], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
}

function rejects(read: () => unknown, variable: string, value: string, accepted: RegExp): void {
  assert.throws(read, (error: unknown) => {
    assert.ok(error instanceof SettingError, `a SettingError, got ${String(error)}`);
    assert.equal(error.variable, variable);
    assert.equal(error.value, value);
    assert.ok(error.message.startsWith(`${variable}=${value} is not `), error.message);
    assert.match(error.message, accepted);
    return true;
  });
}

describe("settings: unset or empty means the default", () => {
  it("for every variable", () => {
    for (const env of [{}, Object.fromEntries(NAMES.map((name) => [name, ""]))]) {
      assert.equal(profileSetting(env), undefined);
      assert.equal(retrainSetting(env), false);
      assert.equal(photosSetting(env), undefined);
      assert.equal(backendSetting(env), undefined);
      assert.equal(graphSetting(env), true);
      assert.equal(wasmThreadsSetting(env), undefined);
      assert.equal(datasetDirSetting(env), undefined);
      assert.equal(offlineSetting(env), false);
      assert.equal(datasetUrlSetting(env), undefined);
    }
  });
});

const NAMES = [
  "FMNIST_PROFILE",
  "FMNIST_RETRAIN",
  "FMNIST_PHOTOS",
  "TFJS_BACKEND",
  "FMNIST_GRAPH",
  "TFJS_WASM_THREADS",
  "FASHION_MNIST_DIR",
  "FASHION_MNIST_OFFLINE",
  "FASHION_MNIST_URL",
];

describe("FMNIST_PROFILE", () => {
  it("accepts full, quick and smoke", () => {
    for (const name of ["full", "quick", "smoke"])
      assert.equal(profileSetting({ FMNIST_PROFILE: name }), name);
  });
  it("rejects anything else", () => {
    for (const bad of ["fast", "Quick", " smoke"]) {
      rejects(
        () => profileSetting({ FMNIST_PROFILE: bad }),
        "FMNIST_PROFILE",
        bad,
        /one of full, quick, smoke$/,
      );
    }
  });
});

describe("FMNIST_GRAPH (on unless 0)", () => {
  it("0 turns graph mode off, 1 and unset leave it on", () => {
    assert.equal(graphSetting({ FMNIST_GRAPH: "0" }), false);
    assert.equal(graphSetting({ FMNIST_GRAPH: "1" }), true);
    assert.equal(graphSetting({}), true);
  });
  it("rejects other values", () => {
    for (const bad of ["off", "false", "2"])
      rejects(() => graphSetting({ FMNIST_GRAPH: bad }), "FMNIST_GRAPH", bad, /one of 0, 1$/);
  });
});

describe("FMNIST_RETRAIN and FASHION_MNIST_OFFLINE (switches)", () => {
  it("1 turns them on, 0 leaves them off", () => {
    assert.equal(retrainSetting({ FMNIST_RETRAIN: "1" }), true);
    assert.equal(retrainSetting({ FMNIST_RETRAIN: "0" }), false);
    assert.equal(offlineSetting({ FASHION_MNIST_OFFLINE: "1" }), true);
    assert.equal(offlineSetting({ FASHION_MNIST_OFFLINE: "0" }), false);
  });
  it("reject other values instead of guessing what they mean", () => {
    for (const bad of ["yes", "true", "2"]) {
      rejects(() => retrainSetting({ FMNIST_RETRAIN: bad }), "FMNIST_RETRAIN", bad, /one of 0, 1$/);
      rejects(
        () => offlineSetting({ FASHION_MNIST_OFFLINE: bad }),
        "FASHION_MNIST_OFFLINE",
        bad,
        /one of 0, 1$/,
      );
    }
  });
});

describe("FMNIST_PHOTOS", () => {
  it("lists existing files and folders, comma-separated", () => {
    const dir = tempDir();
    const file = path.join(dir, "a.png");
    fs.writeFileSync(file, "x");
    assert.deepEqual(photosSetting({ FMNIST_PHOTOS: ` ${dir} ,${file},` }), [dir, file]);
  });
  it("rejects entries that do not exist, naming them, and a list of nothing", () => {
    const missing = path.join(tempDir(), "missing.jpg");
    rejects(
      () => photosSetting({ FMNIST_PHOTOS: missing }),
      "FMNIST_PHOTOS",
      missing,
      /missing\.jpg does not exist/,
    );
    rejects(
      () => photosSetting({ FMNIST_PHOTOS: " , " }),
      "FMNIST_PHOTOS",
      " , ",
      /comma-separated list/,
    );
  });
});

describe("TFJS_BACKEND", () => {
  it("accepts tensorflow, wasm and cpu", () => {
    for (const name of ["tensorflow", "wasm", "cpu"])
      assert.equal(backendSetting({ TFJS_BACKEND: name }), name);
  });
  it("rejects anything else", () => {
    for (const bad of ["gpu", "webgl", "WASM"]) {
      rejects(
        () => backendSetting({ TFJS_BACKEND: bad }),
        "TFJS_BACKEND",
        bad,
        /one of tensorflow, wasm, cpu$/,
      );
    }
  });
});

describe("TFJS_WASM_THREADS", () => {
  it("accepts a positive integer", () => {
    assert.equal(wasmThreadsSetting({ TFJS_WASM_THREADS: "1" }), 1);
    assert.equal(wasmThreadsSetting({ TFJS_WASM_THREADS: "8" }), 8);
  });
  it("rejects anything else", () => {
    for (const bad of ["abc", "0", "-2", "1.5", "2x", "1e3", " "]) {
      rejects(
        () => wasmThreadsSetting({ TFJS_WASM_THREADS: bad }),
        "TFJS_WASM_THREADS",
        bad,
        /a positive integer/,
      );
    }
  });
  it(
    "a bad value stops the backend choice with that error instead of falling back to cpu",
    slowTier("starts a process"),
    () => {
      const result = nodeProbe(
        `require("./lib/backend").initBackend().then(
          (info) => console.log("CHOSE " + info.name),
          (e) => console.log("ERROR " + e.message))`,
        { TFJS_BACKEND: "", TFJS_WASM_THREADS: "abc" },
      );
      assert.match(
        result.stdout,
        /^ERROR TFJS_WASM_THREADS=abc is not a positive integer/m,
        result.stderr,
      );
    },
  );
});

describe("FASHION_MNIST_DIR", () => {
  it("accepts an existing directory", () => {
    const dir = tempDir();
    assert.equal(datasetDirSetting({ FASHION_MNIST_DIR: dir }), dir);
  });
  it("rejects a missing directory and a file", () => {
    const dir = tempDir();
    const file = path.join(dir, "train-images-idx3-ubyte.gz");
    fs.writeFileSync(file, "x");
    for (const bad of [path.join(dir, "nope"), file]) {
      rejects(
        () => datasetDirSetting({ FASHION_MNIST_DIR: bad }),
        "FASHION_MNIST_DIR",
        bad,
        /an existing directory/,
      );
    }
  });
});

describe("FASHION_MNIST_URL", () => {
  it("accepts http and https URLs", () => {
    for (const url of ["https://example.org/fashion/", "http://127.0.0.1:8080/data/"]) {
      assert.equal(datasetUrlSetting({ FASHION_MNIST_URL: url }), url);
    }
  });
  it("takes a URL without the final slash as the folder it names", () => {
    assert.equal(
      datasetUrlSetting({ FASHION_MNIST_URL: "https://example.org/fashion" }),
      "https://example.org/fashion/",
    );
  });
  it("rejects what is not an http(s) URL", () => {
    for (const bad of ["example.org/data", "ftp://example.org/", "file:///tmp/"]) {
      rejects(
        () => datasetUrlSetting({ FASHION_MNIST_URL: bad }),
        "FASHION_MNIST_URL",
        bad,
        /an http:\/\/ or https:\/\/ URL/,
      );
    }
  });
});

describe("only lib/settings.ts reads these variables", () => {
  it("no other file in lib/ or scripts/ and no notebook cell reads FMNIST_*, TFJS_* or FASHION_MNIST_* itself", () => {
    const files = ["lib", "scripts", "notebooks"].flatMap((dir) =>
      fs
        .readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
        .map((f) => path.join(dir, f)),
    );
    const readers = files
      .filter((f) => /\.(ts|ipynb)$/.test(f) && f !== path.join("lib", "settings.ts"))
      .filter((f) =>
        /process\.env(\.|\[["'])(FMNIST_|TFJS_|FASHION_MNIST_)/.test(
          fs.readFileSync(path.join(ROOT, f), "utf8"),
        ),
      );
    assert.deepEqual(readers, []);
  });
});

describe("RUNS (npm run bench:load)", () => {
  it("is 7 by default and a positive integer otherwise", () => {
    assert.equal(benchmarkRunsSetting({}), 7);
    assert.equal(benchmarkRunsSetting({ RUNS: "3" }), 3);
    for (const bad of ["abc", "0", "1.5", "-1"])
      rejects(() => benchmarkRunsSetting({ RUNS: bad }), "RUNS", bad, /a positive integer/);
  });
});

/** Strings a mistyped or mangled variable may hold. */
const ODD_VALUES = [
  " ",
  "  1  ",
  "1.5",
  "-1",
  "0",
  "0x10",
  "1e3",
  "Infinity",
  "NaN",
  "true",
  "null",
  "undefined",
  "__proto__",
  "constructor",
  "x".repeat(100_000),
  "9".repeat(400),
  "ｓｍｏｋｅ",
  "١٢",
  "😀",
  "a\u0000b",
  "\n",
  "http://",
  "https://[::1",
  "/",
  ",",
];

const READERS: [string, (env: NodeJS.ProcessEnv) => unknown][] = [
  ["FMNIST_PROFILE", profileSetting],
  ["FMNIST_RETRAIN", retrainSetting],
  ["FMNIST_PHOTOS", photosSetting],
  ["TFJS_BACKEND", backendSetting],
  ["FMNIST_GRAPH", graphSetting],
  ["TFJS_WASM_THREADS", wasmThreadsSetting],
  ["FASHION_MNIST_DIR", datasetDirSetting],
  ["FASHION_MNIST_OFFLINE", offlineSetting],
  ["FASHION_MNIST_URL", datasetUrlSetting],
  ["RUNS", benchmarkRunsSetting],
];

describe("whatever string a variable holds", () => {
  it("every reader returns a value or throws a SettingError naming the variable and the value", () => {
    assert.deepEqual(
      READERS.map(([name]) => name),
      [...NAMES, "RUNS"],
    );
    for (const [name, readSetting] of READERS) {
      for (const value of ODD_VALUES) {
        try {
          readSetting({ [name]: value });
        } catch (error) {
          assert.ok(
            error instanceof SettingError,
            `${name}=${JSON.stringify(value.slice(0, 40))}: ${String(error)}`,
          );
          assert.equal(error.variable, name);
          assert.equal(error.value, value);
        }
      }
    }
  });
  it("a wasm thread count is never absurd", () => {
    for (const bad of ["9".repeat(400), "100000", "  "]) {
      rejects(
        () => wasmThreadsSetting({ TFJS_WASM_THREADS: bad }),
        "TFJS_WASM_THREADS",
        bad,
        /a positive integer up to 256/,
      );
    }
  });
});

describe("checkSettings (each notebook's first cell)", () => {
  it("passes with no settings", () => {
    assert.doesNotThrow(() => checkSettings({}));
  });
  it("refuses a bad value of every variable lib/settings.ts reads (but the benchmark's RUNS)", () => {
    const source = fs.readFileSync(path.join(__dirname, "..", "lib", "settings.ts"), "utf8");
    const variables = [
      ...new Set([...source.matchAll(/\(env, "([A-Z_]+)"/g)].map((match) => match[1])),
    ].filter((name) => name !== "RUNS");
    const bad: Record<string, string> = {
      FMNIST_RUNS_DIR: path.join(__dirname, "settings.test.ts"),
      FMNIST_PHOTOS: "no/such/photo.jpg",
      FASHION_MNIST_DIR: "no/such/folder",
      FASHION_MNIST_URL: "ftp://example.org/",
    };
    for (const variable of variables) {
      const value = bad[variable] ?? "yes-please";
      assert.throws(
        () => checkSettings({ [variable]: value }),
        (error: unknown) => error instanceof SettingError && error.variable === variable,
        `checkSettings lets ${variable}=${value} through`,
      );
    }
    assert.ok(variables.includes("FMNIST_TERMINAL_PROGRESS"), variables.join(", "));
  });
  it("reports one bad value as its SettingError, and several at once", () => {
    assert.throws(
      () => checkSettings({ FMNIST_RETRAIN: "yes" }),
      (error: unknown) => error instanceof SettingError && error.variable === "FMNIST_RETRAIN",
    );
    assert.throws(
      () => checkSettings({ FMNIST_PROFILE: "fast", TFJS_WASM_THREADS: "-1" }),
      /^SettingsError: 2 settings are wrong:\nFMNIST_PROFILE=fast is not one of full, quick, smoke\nTFJS_WASM_THREADS=-1 is not a positive integer/,
    );
  });
  it(
    "runs before anything else in startSession, so a notebook stops in its first cell",
    slowTier("starts a process"),
    () => {
      const result = nodeProbe(
        `require("./lib/session").startSession(() => {}).then(
          () => console.log("STARTED"),
          (e) => console.log("ERROR " + e.message))`,
        { FMNIST_RETRAIN: "yes", TFJS_BACKEND: "cpu" },
      );
      assert.match(result.stdout, /^ERROR FMNIST_RETRAIN=yes is not one of 0, 1$/m, result.stderr);
    },
  );
});
