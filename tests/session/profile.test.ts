import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BackendInfo } from "../../lib/backend";
import { chooseProfile, describeMachine, PROFILES, stepsPerEpoch } from "../../lib/session";
import { describeProfile } from "../../lib/session/profile";

const backend = (name: BackendInfo["name"], native: boolean): BackendInfo => ({
  name,
  native,
  graph: native,
  mode: name,
  label: name,
  summary: name,
});

describe("run profiles", () => {
  it("FMNIST_PROFILE chooses; otherwise full with native TensorFlow and quick on a fallback", () => {
    assert.equal(
      chooseProfile(backend("wasm", false), { FMNIST_PROFILE: "smoke" }).profile,
      PROFILES.smoke,
    );
    assert.match(
      chooseProfile(backend("wasm", false), { FMNIST_PROFILE: "smoke" }).reason,
      /FMNIST_PROFILE=smoke/,
    );
    assert.equal(chooseProfile(backend("tensorflow", true), {}).profile, PROFILES.full);
    assert.equal(chooseProfile(backend("wasm", false), {}).profile, PROFILES.quick);
    assert.equal(
      chooseProfile(backend("cpu", false), { FMNIST_PROFILE: "" }).profile,
      PROFILES.quick,
    );
  });

  it("an unknown FMNIST_PROFILE is an error that lists the profiles", () => {
    assert.throws(
      () => chooseProfile(backend("wasm", false), { FMNIST_PROFILE: "fast" }),
      /^SettingError: FMNIST_PROFILE=fast is not one of full, quick, smoke$/,
    );
  });

  it("the full profile is the article's run: 60,000 images, 25 epochs of 1,875 batches of 32", () => {
    assert.equal(stepsPerEpoch(PROFILES.full), 1875);
    assert.equal(PROFILES.full.epochs, 25);
    assert.equal(
      describeProfile(PROFILES.full),
      "full: 60,000 training / 10,000 test images, 25 epochs, batch 32, seed 42",
    );
  });
});

it("the machine line names the CPU, its cores, the memory and the system", () => {
  assert.match(describeMachine(), /^.+, \d+ cores, \d+ GiB, \w+ \w+, Node\.js \d+\.\d+\.\d+$/);
});
