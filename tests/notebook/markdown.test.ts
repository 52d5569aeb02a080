import assert from "node:assert/strict";
import { test } from "node:test";
import { functionSource } from "../../lib/notebook/markdown";

test("functionSource returns a function's declaration as written, doc comment included", () => {
  const source = functionSource("lib/model/mini-vgg.ts", "miniVGGNet");
  assert.match(source, /^\/\*\*\n \* The article's MiniVGGNet/);
  assert.match(source, /export function miniVGGNet\(/);
  assert.match(source, /addClassifier\(model, classes\);\n {2}return model;\n\}$/);
  assert.doesNotMatch(source, /deeperVGG/);
});

test("functionSource names the file and function it could not find", () => {
  assert.throws(
    () => functionSource("lib/model/mini-vgg.ts", "noSuchModel"),
    /lib\/model\/mini-vgg.ts declares no function or class noSuchModel/,
  );
});
