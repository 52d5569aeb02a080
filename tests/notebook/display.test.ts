import assert from "node:assert/strict";
import Module from "node:module";
import { afterEach, describe, it } from "node:test";
import { showHtml, showMulti, showPng } from "../../lib/notebook";
import { inTslab, liveDisplay } from "../../lib/notebook/display";

const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");
const figure = {
  data: [{ type: "scatter", x: [0, 1], y: [1, 2] }],
  layout: { title: { text: "t" } },
};

/** One output as the kernel's writer receives it. */
interface Sent {
  data: Record<string, unknown>;
  metadata: unknown;
  displayId?: string;
  update: boolean;
}

// What tslab's kernel provides: its jupyter.js module in the require cache, and globalThis.__tslab__. The
// module is installed once (lib/notebook/display.ts remembers the one it finds); each test collects anew.
let collected: Sent[] = [];
const FAKE_JUPYTER = "/fake/node_modules/tslab/dist/jupyter.js";
const fake = new Module(FAKE_JUPYTER);
fake.filename = FAKE_JUPYTER;
fake.loaded = true;
fake.exports = {
  lastWriteDisplayData: (
    content: {
      data: Record<string, unknown>;
      metadata: unknown;
      transient: { display_id?: string };
    },
    update: boolean,
  ) =>
    collected.push({
      data: content.data,
      metadata: content.metadata,
      update,
      ...(content.transient.display_id === undefined
        ? {}
        : { displayId: content.transient.display_id }),
    }),
};

/** Run as if in a tslab kernel, and return what the cell's outputs will be. */
function capture(): Sent[] {
  require.cache[FAKE_JUPYTER] = fake;
  (globalThis as { __tslab__?: unknown }).__tslab__ = {};
  collected = [];
  return collected;
}

afterEach(() => {
  delete (globalThis as { __tslab__?: unknown }).__tslab__;
  delete require.cache[FAKE_JUPYTER];
});

describe("display", () => {
  it("knows it is not in tslab", () => {
    assert.equal(inTslab(), false);
  });

  it("outside tslab does nothing, and does not throw", () => {
    assert.doesNotThrow(() => {
      showPng(PNG);
      showHtml("<b>x</b>");
      showMulti({ "text/plain": "x" });
    });
  });

  it("sends several mime types as ONE output, bytes base64-encoded, JSON kept as objects", () => {
    const outputs = capture();
    showMulti({
      "application/vnd.plotly.v1+json": figure,
      "image/png": PNG,
      "text/plain": "Training plot",
    });
    assert.equal(outputs.length, 1);
    assert.deepEqual(outputs[0], {
      data: {
        "application/vnd.plotly.v1+json": figure,
        "image/png": PNG.toString("base64"),
        "text/plain": "Training plot",
      },
      metadata: {},
      update: false,
    });
  });

  it("encodes only the viewed bytes of a Uint8Array view", () => {
    const outputs = capture();
    const backing = new Uint8Array([9, 9, ...PNG, 9]);
    showPng(backing.subarray(2, 2 + PNG.length), { width: 4, height: 3 });
    assert.equal(outputs[0].data["image/png"], PNG.toString("base64"));
    assert.deepEqual(outputs[0].metadata, { "image/png": { width: 4, height: 3 } });
  });

  it("showHtml sends text/html", () => {
    const outputs = capture();
    showHtml("<table></table>");
    assert.deepEqual(outputs[0].data, { "text/html": "<table></table>" });
  });

  it("a live display creates once, then updates in place", () => {
    const outputs = capture();
    const live = liveDisplay();
    live.show({ "text/plain": "epoch 1" });
    live.show({ "text/plain": "epoch 2" });
    assert.deepEqual(
      outputs.map((o) => o.update),
      [false, true],
    );
    assert.ok(outputs[0].displayId && outputs[0].displayId === outputs[1].displayId);
  });
});

describe("display inside tslab (simulated kernel)", () => {
  it("writes through the kernel's lastWriteDisplayData with every mime type in one message", () => {
    const sent = capture();
    assert.equal(inTslab(), true);
    showMulti({ "application/vnd.plotly.v1+json": figure, "image/png": PNG });
    const live = liveDisplay();
    live.show({ "text/plain": "a" });
    live.show({ "text/plain": "b" });
    assert.equal(sent.length, 3);
    assert.deepEqual(sent[0], {
      data: { "application/vnd.plotly.v1+json": figure, "image/png": PNG.toString("base64") },
      metadata: {},
      update: false,
    });
    assert.equal(sent[2].update, true);
    assert.ok(sent[1].displayId);
    assert.equal(sent[1].displayId, sent[2].displayId);
  });
});
