/**
 * The Node.js versions the tutorial supports are said in one place (scripts/node-versions.sh, which set-up
 * and npm test read) and package.json's engines names the same; npm test runs every one of them.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

const ROOT = path.resolve(__dirname, "..");
const versionsScript = fs.readFileSync(path.join(ROOT, "scripts/node-versions.sh"), "utf8");
const shellArray = (name: string): string[] =>
  (new RegExp(`^${name}=\\(([^)]*)\\)$`, "m").exec(versionsScript)?.[1] ?? "").trim().split(/\s+/);

const supported = shellArray("SUPPORTED_NODE_MAJORS");
const pinned = shellArray("PINNED_NODE_VERSIONS");

test("package.json's engines names exactly the supported majors", () => {
  const engines = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).engines.node;
  assert.equal(engines, supported.join(" || "));
});

test("npm test has a pinned release of every supported major to install", () => {
  for (const version of pinned)
    assert.match(version, /^\d+\.\d+\.\d+$/, `${version} is not pinned`);
  assert.deepEqual(
    pinned.map((version) => version.split(".")[0]),
    supported,
  );
});
