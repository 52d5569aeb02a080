// Slow tier: opens the page in Chromium.
/**
 * The web page (`npm run web`, notebook 7) in Debian's Chromium, on the current profile's finished run
 * (npm test: the smoke run its notebooks trained): it classifies every shipped example photo as lib/ does in
 * Node, refuses a bad file with notebook 6's message, asks nothing of any host but 127.0.0.1, and
 * `--out` writes the very files it serves.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { LayersModel } from "@tensorflow/tfjs";
import { LABEL_NAMES } from "../../lib/data";
import { FileProblemError } from "../../lib/errors";
import { EXAMPLE_PHOTOS, photoProbabilities, preprocessPhoto } from "../../lib/photos";
import { startSession } from "../../lib/session";
import { disposeModel, loadFinishedRun } from "../../lib/training";
import {
  classifyInPage,
  openPage,
  pageFiles,
  pageModelOf,
  servePage,
  writePage,
} from "../../lib/web";
import type { PageModel } from "../../lib/web/build";
import { chromiumMissing } from "../helpers/chromium";
import { temporaryDirs } from "../helpers/temp-dirs";

const tempDir = temporaryDirs("fmnist-web-");

/** The largest gap allowed between a probability computed in Node and in the browser. */
const TOLERANCE = 1e-3;

describe("the web page", { skip: chromiumMissing() }, () => {
  let model: LayersModel;
  let pageModel: PageModel;
  let files: Record<string, Uint8Array | string>;
  let server: Awaited<ReturnType<typeof servePage>>;
  let page: Awaited<ReturnType<typeof openPage>>;

  before(async () => {
    const session = await startSession(() => {});
    const run = await loadFinishedRun(session.profile);
    model = run.model;
    pageModel = pageModelOf(run);
    files = await pageFiles(pageModel);
    server = await servePage(files);
    page = await openPage(server.url);
  });

  after(async () => {
    await page?.close();
    await server?.close();
    if (model) disposeModel(model);
  });

  it("runs on a TensorFlow.js backend it names", () => {
    assert.match(page.backend, /^(webgl|wasm|cpu)$/);
    assert.match(
      page.status,
      new RegExp(`on the ${page.backend} backend · model loaded in [\\d,]+ ms`),
    );
  });

  it("classifies every example photo as lib/ does in Node: same top-1, every probability within 1e-3", async () => {
    const photos = await Promise.all(
      EXAMPLE_PHOTOS.map((example) => preprocessPhoto(example.path)),
    );
    const inNodes = await photoProbabilities(model, photos);
    for (const [i, example] of EXAMPLE_PHOTOS.entries()) {
      const inNode = inNodes[i];
      const inPage = await classifyInPage(page.page, example.path);
      assert.equal(inPage.error, "", `${example.file}: the page showed an error`);
      assert.equal(inPage.probabilities.length, LABEL_NAMES.length, example.file);
      const top = (p: number[]) => p.indexOf(Math.max(...p));
      assert.equal(top(inPage.probabilities), top(inNode), `${example.file}: top-1`);
      const gap = Math.max(...inPage.probabilities.map((p, c) => Math.abs(p - inNode[c])));
      assert.ok(gap <= TOLERANCE, `${example.file}: probabilities differ by up to ${gap}`);
    }
  });

  it("shows a bad file notebook 6's message: not an image, empty, too large", async () => {
    const dir = tempDir();
    const bad = {
      "notes.jpg": (file: string) => fs.writeFileSync(file, "just some text"),
      "empty.png": (file: string) => fs.writeFileSync(file, ""),
      // Sparse: 101 MB on paper, nothing on disk.
      "huge.jpg": (file: string) =>
        fs.truncateSync((fs.writeFileSync(file, ""), file), 101 * 2 ** 20),
    };
    for (const [name, make] of Object.entries(bad)) {
      const file = path.join(dir, name);
      make(file);
      const inNode = await preprocessPhoto(file).then(
        () => assert.fail(`${name} was accepted in Node`),
        (error: unknown) => {
          assert.ok(error instanceof FileProblemError, String(error));
          return error.message.replace(file, name);
        },
      );
      const inPage = await classifyInPage(page.page, file);
      assert.equal(inPage.error, inNode, name);
      assert.deepEqual(inPage.probabilities, [], `${name}: no classes shown`);
    }
  });

  it("classifies a photo dropped on it, and one of its examples clicked", async () => {
    const { page: tab } = page;
    const dropped = EXAMPLE_PHOTOS[2];
    const dataTransfer = await tab.evaluateHandle(
      ({ base64, name }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, { type: "image/jpeg" }));
        return transfer;
      },
      { base64: fs.readFileSync(dropped.path).toString("base64"), name: dropped.file },
    );
    await tab.dispatchEvent("#drop", "drop", { dataTransfer });
    await tab.waitForSelector(`#result[data-file="${dropped.file}"][data-state="done"]`);
    assert.equal(await tab.locator("#top3 li").count(), 3);

    const clicked = EXAMPLE_PHOTOS[0];
    await tab.click(`button[data-example="${clicked.file}"]`);
    await tab.waitForSelector(`#result[data-file="${clicked.file}"][data-state="done"]`);
    assert.equal(await tab.locator("#all-classes data").count(), LABEL_NAMES.length);
  });

  it("asked nothing of any host but 127.0.0.1, and threw no errors", () => {
    assert.deepEqual(page.offsite, []);
    assert.deepEqual(page.pageErrors, []);
  });

  it("--out writes exactly the files it serves, and leaves a folder that is not a page untouched", async () => {
    const out = path.join(tempDir(), "page");
    await writePage(out, pageModel);
    for (const [name, body] of Object.entries(files))
      assert.ok(fs.readFileSync(path.join(out, name)).equals(Buffer.from(body)), name);
    const listed = fs
      .readdirSync(out, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile());
    assert.equal(listed.length, Object.keys(files).length);
    await writePage(out, pageModel); // an earlier page is replaced

    const other = tempDir();
    fs.writeFileSync(path.join(other, "thesis.tex"), "mine");
    await assert.rejects(writePage(other, pageModel), /already holds files that are not a page/);
    assert.deepEqual(fs.readdirSync(other), ["thesis.tex"]);
    await assert.rejects(
      writePage(path.join(other, "thesis.tex"), pageModel),
      /thesis\.tex: is a file, not a folder/,
    );
    assert.equal(fs.readFileSync(path.join(other, "thesis.tex"), "utf8"), "mine");
  });

  it("npm run web serves the page on 127.0.0.1, prints its address, and stops on Ctrl-C", async () => {
    const root = path.resolve(__dirname, "..", "..");
    const web = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "scripts/web.ts", "--port", "0"],
      {
        cwd: root,
        env: { ...process.env, NODE_TEST_CONTEXT: undefined },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    const exited = once(web, "exit");
    try {
      let printed = "";
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no address printed:\n${printed}`)),
          120_000,
        );
        web.stdout.on("data", (chunk: Buffer) => {
          printed += chunk.toString();
          const match =
            /^Serving MiniVGGNet \(article\), \w+ profile at (http:\/\/127\.0\.0\.1:\d+\/) /m.exec(
              printed,
            );
          if (match) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      const page = await fetch(url);
      assert.equal(page.status, 200);
      assert.equal(await page.text(), String(files["index.html"]));
      assert.equal(
        (await fetch(`${url}model/weights.bin`)).headers.get("content-type"),
        "application/octet-stream",
      );
      assert.equal((await fetch(`${url}../package.json`)).status, 404);
    } finally {
      web.kill("SIGINT");
    }
    assert.deepEqual(await exited, [0, null]);
  });
});
