import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import * as zlib from "node:zlib";
import { DEBIAN_DIR, LABEL_NAMES, loadFashionMnist } from "../../lib/data";
import { classCounts } from "../../lib/data/fashion-mnist";
import { downloadFile } from "../../lib/data/download";
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from "../../lib/data/idx";
import { makeSplit } from "../../lib/data/fashion-mnist";
import { parseIdx } from "../../lib/data/idx";
import { sampleIndices } from "../../lib/random";
import { temporaryDirs } from "../helpers/temp-dirs";
import { slowTier } from "../helpers/test-tier";

const NAMES = [
  "train-images-idx3-ubyte",
  "train-labels-idx1-ubyte",
  "t10k-images-idx3-ubyte",
  "t10k-labels-idx1-ubyte",
];
const haveDebianCopy = NAMES.every((name) => fs.existsSync(path.join(DEBIAN_DIR, `${name}.gz`)));
const needsData = haveDebianCopy
  ? {}
  : { skip: `Debian's dataset-fashion-mnist is not installed (${DEBIAN_DIR})` };

/** Each test's folders (dataset copies of ~30 MB among them) are removed when this file's tests end. */
const tempDir = temporaryDirs("fmnist-test-");

function idxBytes(magic: number, dims: number[], payload: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, payload]);
}

const offline = { download: false, systemDirs: [] as string[] };

describe("parseIdx", () => {
  it("reads the header and returns a view of the payload", () => {
    const parsed = parseIdx(
      idxBytes(IDX_IMAGES_MAGIC, [2, 28, 28], new Uint8Array(2 * 784).fill(7)),
      IDX_IMAGES_MAGIC,
      "x",
    );
    assert.deepEqual(parsed.dims, [2, 28, 28]);
    assert.equal(parsed.data.length, 2 * 784);
    assert.equal(parsed.data[0], 7);
  });
  it("rejects a wrong magic number, naming the file", () => {
    assert.throws(
      () => parseIdx(idxBytes(IDX_LABELS_MAGIC, [3], new Uint8Array(3)), IDX_IMAGES_MAGIC, "f.idx"),
      /^DataFileError: f\.idx: wrong magic number 2049 .*expected 2051: not an images IDX file/,
    );
  });
  it("rejects a header whose counts disagree with the file size", () => {
    assert.throws(
      () => parseIdx(idxBytes(IDX_LABELS_MAGIC, [5], new Uint8Array(4)), IDX_LABELS_MAGIC, "l"),
      /l: header says 5 = 5 data bytes, but the file holds 4 — the file is truncated or damaged/,
    );
    assert.throws(
      () => parseIdx(idxBytes(IDX_LABELS_MAGIC, [5], new Uint8Array(6)), IDX_LABELS_MAGIC, "l"),
      /file holds 6/,
    );
  });
  it("rejects a file too short for its header", () => {
    const truncatedHeader = idxBytes(IDX_IMAGES_MAGIC, [2, 28, 28], new Uint8Array(0)).subarray(
      0,
      10,
    );
    assert.throws(
      () => parseIdx(truncatedHeader, IDX_IMAGES_MAGIC, "tiny"),
      /tiny: only 10 bytes, too short for an IDX header/,
    );
    assert.throws(
      () => parseIdx(new Uint8Array(2), IDX_IMAGES_MAGIC, "tiny"),
      /tiny: only 2 bytes, expected 2051/,
    );
  });
});

describe("loadFashionMnist on the real dataset", needsData, () => {
  it("loads and verifies 60,000 + 10,000 examples, 6,000 / 1,000 per class", async () => {
    const data = await loadFashionMnist({
      ...offline,
      systemDirs: [DEBIAN_DIR],
      cacheDir: tempDir(),
    });
    assert.equal(data.train.count, 60_000);
    assert.equal(data.test.count, 10_000);
    assert.equal(data.train.images.length, 60_000 * 784);
    assert.deepEqual(classCounts(data.train), new Array(10).fill(6000));
    assert.deepEqual(classCounts(data.test), new Array(10).fill(1000));
    assert.deepEqual(data.labelNames, LABEL_NAMES);
    assert.equal(data.labelNames[9], "Ankle boot");
    // The first training image is an ankle boot (label 9) in the official release.
    assert.equal(data.train.labels[0], 9);
  });

  it("accepts already-decompressed files", async () => {
    const dir = tempDir();
    for (const name of NAMES) {
      fs.writeFileSync(
        path.join(dir, name),
        zlib.gunzipSync(fs.readFileSync(path.join(DEBIAN_DIR, `${name}.gz`))),
      );
    }
    const data = await loadFashionMnist({ dataDir: dir });
    assert.equal(data.test.count, 10_000);
    assert.equal(data.sources.testImages, path.join(dir, "t10k-images-idx3-ubyte"));
  });

  it("limits deterministically: the first N, or a seeded sample", async () => {
    const options = { ...offline, systemDirs: [DEBIAN_DIR], cacheDir: tempDir() };
    const full = await loadFashionMnist(options);
    const first = await loadFashionMnist({ ...options, limitTrain: 100, limitTest: 10 });
    assert.equal(first.train.count, 100);
    assert.deepEqual(first.train.labels, full.train.labels.subarray(0, 100));
    const a = await loadFashionMnist({ ...options, limitTrain: 500, seed: 7 });
    const b = await loadFashionMnist({ ...options, limitTrain: 500, seed: 7 });
    const c = await loadFashionMnist({ ...options, limitTrain: 500, seed: 8 });
    assert.deepEqual(a.train.images, b.train.images);
    assert.notDeepEqual(a.train.labels, c.train.labels);
    const index = sampleIndices(60_000, 500, 7)[3];
    assert.deepEqual(
      a.train.images.subarray(3 * 784, 4 * 784),
      full.train.images.subarray(index * 784, (index + 1) * 784),
    );
    assert.equal(a.train.labels[3], full.train.labels[index]);
  });
});

/** A copy of the real dataset in which one file is replaced by `bytes`. */
function datasetWithBadFile(name: string, bytes: Uint8Array | string): string {
  const dir = tempDir();
  for (const n of NAMES)
    fs.copyFileSync(path.join(DEBIAN_DIR, `${n}.gz`), path.join(dir, `${n}.gz`));
  fs.writeFileSync(path.join(dir, `${name}.gz`), bytes);
  return dir;
}

describe("loadFashionMnist rejects bad files with a clear error", needsData, () => {
  it("a checksum mismatch names the file and both digests", async () => {
    const images = zlib.gunzipSync(fs.readFileSync(path.join(DEBIAN_DIR, `${NAMES[0]}.gz`)));
    images[5000] ^= 1; // one flipped bit in a pixel: the header still parses, only the digest can tell
    const dir = datasetWithBadFile(NAMES[0], zlib.gzipSync(images));
    await assert.rejects(
      loadFashionMnist({ dataDir: dir }),
      /train-images-idx3-ubyte\.gz: SHA-256 of the decompressed data is [0-9a-f]{64}, expected c59f468a.*replace it with the official file .*or unset FASHION_MNIST_DIR/,
    );
  });
  it("several bad files are all reported", async () => {
    const dir = tempDir();
    const write = (name: string, bytes: Buffer) =>
      fs.writeFileSync(path.join(dir, `${name}.gz`), zlib.gzipSync(bytes));
    write(NAMES[0], idxBytes(IDX_IMAGES_MAGIC, [3, 28, 28], new Uint8Array(3 * 784)));
    write(NAMES[1], idxBytes(IDX_LABELS_MAGIC, [3], new Uint8Array(3)));
    write(NAMES[2], idxBytes(IDX_IMAGES_MAGIC, [2, 28, 28], new Uint8Array(2 * 784)));
    write(NAMES[3], idxBytes(IDX_LABELS_MAGIC, [2], new Uint8Array(2)));
    await assert.rejects(loadFashionMnist({ dataDir: dir }), (error: Error) => {
      assert.match(error.message, /^4 Fashion-MNIST files failed:/);
      assert.equal(error.message.split("\n").filter((line) => line.includes("SHA-256")).length, 4);
      return true;
    });
  });
  it("a truncated gzip", async () => {
    const real = fs.readFileSync(path.join(DEBIAN_DIR, `${NAMES[3]}.gz`));
    const dir = datasetWithBadFile(NAMES[3], real.subarray(0, real.length - 12));
    await assert.rejects(
      loadFashionMnist({ dataDir: dir }),
      /t10k-labels-idx1-ubyte\.gz: truncated gzip data/,
    );
  });
  it("a .gz that is not gzip at all, or an HTML page", async () => {
    await assert.rejects(
      loadFashionMnist({ dataDir: datasetWithBadFile(NAMES[1], "0123456789") }),
      /train-labels-idx1-ubyte\.gz: is not a gzip file/,
    );
    await assert.rejects(
      loadFashionMnist({ dataDir: datasetWithBadFile(NAMES[1], "<html>404 Not Found</html>") }),
      /train-labels-idx1-ubyte\.gz: is an HTML page, not a gzip file/,
    );
  });
  it("a wrong magic number", async () => {
    const dir = datasetWithBadFile(
      NAMES[0],
      zlib.gzipSync(idxBytes(IDX_LABELS_MAGIC, [3], new Uint8Array(3))),
    );
    await assert.rejects(
      loadFashionMnist({ dataDir: dir }),
      /train-images-idx3-ubyte\.gz: wrong magic number 2049/,
    );
  });
  it("header counts that disagree with the file size", async () => {
    const dir = datasetWithBadFile(
      NAMES[2],
      zlib.gzipSync(idxBytes(IDX_IMAGES_MAGIC, [2, 28, 28], new Uint8Array(784))),
    );
    await assert.rejects(
      loadFashionMnist({ dataDir: dir }),
      /t10k-images-idx3-ubyte\.gz: header says 2×28×28 = 1568 data bytes, but the file holds 784/,
    );
  });
  it("image and label counts that disagree", () => {
    const images = {
      array: { dims: [3, 28, 28], data: new Uint8Array(3 * 784) },
      source: "imgs.gz",
    };
    const labels = { array: { dims: [4], data: new Uint8Array(4) }, source: "labels.gz" };
    assert.throws(
      () => makeSplit(images, labels),
      /labels\.gz: has 4 labels but imgs\.gz has 3 images/,
    );
  });
  it("missing files with no network say what to install", async () => {
    await assert.rejects(
      loadFashionMnist({ ...offline, cacheDir: tempDir() }),
      /train-images-idx3-ubyte: not found .*apt-get install dataset-fashion-mnist/,
    );
  });
  it("an empty explicit directory", async () => {
    await assert.rejects(loadFashionMnist({ dataDir: tempDir() }), /not found .*FASHION_MNIST_DIR/);
  });
});

/** A copy of the real dataset in which one file's entry is made by `make(path)` (a FIFO, a link, ...). */
function datasetWithEntry(name: string, make: (file: string) => void): string {
  const dir = datasetWithBadFile(name, "");
  fs.rmSync(path.join(dir, `${name}.gz`));
  make(path.join(dir, `${name}.gz`));
  return dir;
}
const fifo = (file: string) => {
  const made = spawnSync("mkfifo", [file]);
  assert.equal(made.status, 0, `mkfifo: ${made.stderr}`);
};
const linkTo = (target: string) => (file: string) => fs.symlinkSync(target, file);

describe(
  "a dataset file that is not a plain file is refused at once, never read",
  needsData,
  () => {
    // A FIFO would block a read for ever, /dev/zero fill the memory: each must fail fast, naming the file.
    const cases: [string, (file: string) => void, RegExp][] = [
      ["a FIFO", fifo, /is a named pipe \(FIFO\), not a plain file/],
      ["a link to /dev/zero", linkTo("/dev/zero"), /is a symbolic link to a character device/],
      ["a folder", (file) => fs.mkdirSync(file), /is a folder, not a plain file/],
      [
        "larger than the file can be",
        (file) => fs.writeFileSync(file, Buffer.alloc(40 * 2 ** 20)),
        /holds 41943040 bytes, more than the \d+ such a file can hold/,
      ],
    ];
    for (const [what, make, expected] of cases) {
      const tier = make === fifo ? slowTier("runs mkfifo") : {};
      it(`in FASHION_MNIST_DIR: ${what}`, { ...tier, timeout: 20_000 }, async () => {
        const dir = datasetWithEntry(NAMES[3], make);
        await assert.rejects(loadFashionMnist({ dataDir: dir }), (error: Error) => {
          assert.match(
            error.message,
            new RegExp(`t10k-labels-idx1-ubyte\\.gz: ${expected.source}`),
          );
          assert.match(error.message, /replace it with the official file/);
          assert.doesNotMatch(
            error.message,
            /fetched again/,
            "nothing is fetched into that folder",
          );
          return true;
        });
      });
    }

    it(
      "in the cache: a FIFO is set aside, never over an earlier one, and Debian's copy used",
      slowTier("runs mkfifo"),
      async () => {
        const cache = tempDir();
        fifo(path.join(cache, `${NAMES[3]}.gz`));
        fs.writeFileSync(path.join(cache, `${NAMES[3]}.gz.damaged`), "set aside by an earlier run");
        const data = await loadFashionMnist({
          ...offline,
          cacheDir: cache,
          systemDirs: [DEBIAN_DIR],
        });
        assert.equal(data.test.count, 10_000);
        assert.equal(
          fs.readFileSync(path.join(cache, `${NAMES[3]}.gz.damaged`), "utf8"),
          "set aside by an earlier run",
        );
        assert.ok(fs.lstatSync(path.join(cache, `${NAMES[3]}.gz.damaged.2`)).isFIFO());
        assert.ok(!fs.existsSync(path.join(cache, `${NAMES[3]}.gz`)));
      },
    );
  },
);

describe("downloading into the cache (local HTTP server)", needsData, () => {
  type Behaviour =
    "serve" | "404" | "drop" | "garbage" | "trickle" | "slow" | "endless" | "huge" | "portal";
  let behaviour: Behaviour = "serve";
  let requests = 0;
  let server: http.Server;
  let baseUrl = "";

  before(async () => {
    server = http.createServer((request, response) => {
      requests++;
      const name = path.basename(request.url ?? "");
      const file = path.join(DEBIAN_DIR, name);
      if (behaviour === "404" || !fs.existsSync(file)) {
        response.writeHead(404).end("not found");
        return;
      }
      if (behaviour === "endless") {
        // 200 and a body that never ends, as fast as the connection takes it.
        response.writeHead(200, { "Content-Type": "application/gzip" });
        const chunk = Buffer.alloc(1 << 16, 7);
        const pump = () => {
          while (!response.destroyed && response.write(chunk));
          if (!response.destroyed) response.once("drain", pump);
        };
        pump();
        return;
      }
      if (behaviour === "huge") {
        response.writeHead(200, { "Content-Length": 10 ** 12 });
        response.write("x");
        return;
      }
      if (behaviour === "portal") {
        // A network's sign-in page, answering every request with 200.
        response.writeHead(200, { "Content-Type": "text/html" });
        response.end("<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>");
        return;
      }
      if (behaviour === "slow") {
        // 2 KB every 100 ms of 4 MB: above any stall limit, but it would take over three minutes.
        response.writeHead(200, { "Content-Length": 4 << 20 });
        const timer = setInterval(() => response.write(Buffer.alloc(2048, 1)), 100);
        response.on("close", () => clearInterval(timer));
        return;
      }
      if (behaviour === "trickle") {
        // A byte every 20 ms of a megabyte: progress, but far too little to ever finish.
        response.writeHead(200, { "Content-Length": 1 << 20 });
        const timer = setInterval(() => response.write("x"), 20);
        response.on("close", () => clearInterval(timer));
        return;
      }
      const body =
        behaviour === "garbage" ? zlib.gzipSync(Buffer.alloc(100)) : fs.readFileSync(file);
      response.writeHead(200, {
        "Content-Length": body.length,
        "Content-Type": "application/gzip",
      });
      if (behaviour === "drop") {
        response.write(body.subarray(0, body.length >> 1), () => response.destroy());
      } else {
        response.end(body);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/data/`;
  });
  after(() => server.close());

  const load = (cacheDir: string, onDownloadProgress = () => {}) =>
    loadFashionMnist({ cacheDir, systemDirs: [], baseUrl, onDownloadProgress });
  const leftovers = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

  it("downloads, verifies and caches the four files, reporting progress", async () => {
    behaviour = "serve";
    const cache = tempDir();
    let progressCalls = 0;
    const data = await load(cache, () => progressCalls++);
    assert.equal(data.train.count, 60_000);
    assert.ok(progressCalls >= 4);
    assert.deepEqual(leftovers(cache).sort(), NAMES.map((n) => `${n}.gz`).sort());
    const before = requests;
    await load(cache);
    assert.equal(requests, before, "a second load reads the cache without downloading");
  });

  it("an HTTP error leaves nothing in the cache", async () => {
    behaviour = "404";
    const cache = tempDir();
    await assert.rejects(
      load(cache),
      /download of http:\/\/127\.0\.0\.1:\d+\/data\/\S+\.gz failed: HTTP 404/,
    );
    assert.deepEqual(leftovers(cache), []);
  });

  it("a connection dropped mid-download leaves nothing in the cache", async () => {
    behaviour = "drop";
    const cache = tempDir();
    await assert.rejects(
      load(cache),
      /failed: (connection lost after \d+ bytes|connection closed after \d+ of \d+ bytes)/,
    );
    assert.deepEqual(leftovers(cache), []);
  });

  it("a download that fails verification is not cached, and the error names the URL", async () => {
    behaviour = "garbage";
    const cache = tempDir();
    await assert.rejects(load(cache), (error: Error) => {
      assert.match(error.message, /download of http:\/\/127\.0\.0\.1:\d+\/data\/\S+\.gz failed/);
      assert.match(error.message, /as downloaded: .*(header says|wrong magic|SHA-256)/);
      assert.ok(!error.message.includes(cache), `names no file in the cache: ${error.message}`);
      return true;
    });
    assert.deepEqual(leftovers(cache), []);
  });

  it("a download that makes almost no progress is abandoned with a clear error", async () => {
    behaviour = "trickle";
    const dir = tempDir();
    const url = `${baseUrl}${NAMES[0]}.gz`;
    const started = Date.now();
    await assert.rejects(
      downloadFile(url, path.join(dir, "file.gz"), { stallWindowMs: 400, minBytesPerWindow: 1000 }),
      new RegExp(`download of ${url} failed: .*stalled: \\d+ bytes in the last 0\\.4 s`),
    );
    assert.ok(Date.now() - started < 3000, `gave up after ${Date.now() - started} ms`);
    assert.deepEqual(leftovers(dir), []);
  });

  it("a download that would take too long says its rate and gives up, saying where else to look", async () => {
    behaviour = "slow";
    const dir = tempDir();
    const url = `${baseUrl}${NAMES[0]}.gz`;
    const seen: { bytesPerSecond: number; secondsLeft?: number }[] = [];
    await assert.rejects(
      downloadFile(url, path.join(dir, "file.gz"), {
        stallWindowMs: 200,
        minBytesPerWindow: 1,
        minObservationMs: 600,
        maxSecondsLeft: 60,
        advice: "set FASHION_MNIST_URL to a mirror",
        onProgress: (progress) => seen.push(progress),
      }),
      new RegExp(
        `download of ${url} failed: too slow: [\\d.]+ KB/s on average over \\d+s, so the rest would ` +
          "take about \\dm \\d\\ds \\(more than 1m 00s\\); set FASHION_MNIST_URL to a mirror",
      ),
    );
    const last = seen[seen.length - 1];
    assert.ok(
      last.bytesPerSecond > 1000 && last.bytesPerSecond < 100_000,
      `${last.bytesPerSecond} B/s`,
    );
    assert.ok((last.secondsLeft ?? 0) > 60, `${last.secondsLeft} s left`);
    assert.deepEqual(leftovers(dir), []);
  });

  it("a sign-in page instead of the file is called an HTML page, with where else to look", async () => {
    behaviour = "portal";
    const cache = tempDir();
    await assert.rejects(load(cache), (error: Error) => {
      assert.match(error.message, /as downloaded: is an HTML page, not a gzip file/);
      assert.match(
        error.message,
        /set FASHION_MNIST_URL to a mirror .*apt-get install dataset-fashion-mnist/,
      );
      assert.doesNotMatch(error.message, /drop the \.gz|delete it/);
      return true;
    });
    assert.deepEqual(leftovers(cache), []);
  });

  it(
    "temporary files of downloads whose process is gone are removed on the next start",
    slowTier("starts a process, for the id of one that is gone"),
    async () => {
      behaviour = "serve";
      const cache = tempDir();
      const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
      const stale = `${NAMES[0]}.gz.${gone}-1700000000000-1.tmp`;
      const ours = `${NAMES[0]}.gz.${process.pid}-1700000000000-1.tmp`;
      fs.writeFileSync(path.join(cache, stale), "half a download");
      fs.writeFileSync(path.join(cache, ours), "being written");
      await load(cache);
      assert.ok(!leftovers(cache).includes(stale), "the dead process's temporary file is gone");
      assert.ok(leftovers(cache).includes(ours), "a live process's temporary file is kept");
    },
  );

  it("a damaged cached file is replaced, never trusted", async () => {
    behaviour = "serve";
    const cache = tempDir();
    fs.copyFileSync(path.join(DEBIAN_DIR, `${NAMES[3]}.gz`), path.join(cache, `${NAMES[3]}.gz`));
    fs.writeFileSync(
      path.join(cache, `${NAMES[1]}.gz`),
      fs.readFileSync(path.join(DEBIAN_DIR, `${NAMES[1]}.gz`)).subarray(0, 1000),
    );
    const data = await load(cache);
    assert.equal(data.train.count, 60_000);
    assert.equal(
      fs.readFileSync(path.join(cache, `${NAMES[1]}.gz`)).length,
      fs.statSync(path.join(DEBIAN_DIR, `${NAMES[1]}.gz`)).size,
    );
  });

  it("an endless body is cut off just past the file's size, and nothing of it stays", async () => {
    behaviour = "endless";
    const cache = tempDir();
    const started = Date.now();
    await assert.rejects(load(cache), (error: Error) => {
      // All four fail; t10k-labels (5 KB compressed) is stopped within a few KB of its 10,008 bytes.
      assert.match(
        error.message,
        /t10k-labels-idx1-ubyte\.gz failed: it sends more than the 11\d{3} bytes this file can have/,
      );
      assert.equal(error.message.match(/it sends more than the \d+ bytes/g)?.length, 4);
      return true;
    });
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
    assert.deepEqual(leftovers(cache), []);
  });

  it("a Content-Length beyond the file's size is refused before anything is written", async () => {
    behaviour = "huge";
    const cache = tempDir();
    await assert.rejects(
      load(cache),
      /failed: it sends more than the \d+ bytes this file can have \(1000000000000 bytes\)/,
    );
    assert.deepEqual(leftovers(cache), []);
  });

  it(
    "temporary files of killed downloads are removed by a load that reads another copy",
    slowTier("starts a process, for the id of one that is gone"),
    async () => {
      const cache = tempDir();
      const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
      const stale = `${NAMES[3]}.gz.${gone}-1700000000000-1.tmp`;
      fs.writeFileSync(path.join(cache, stale), "7".repeat(1000));
      const data = await loadFashionMnist({ cacheDir: cache, download: false });
      assert.equal(data.sources.testLabels, path.join(DEBIAN_DIR, `${NAMES[3]}.gz`));
      assert.deepEqual(leftovers(cache), []);
    },
  );

  it("offline, a damaged cached file is set aside and Debian's good copy is used", async () => {
    const cache = tempDir();
    const damaged = path.join(cache, `${NAMES[1]}.gz`);
    fs.writeFileSync(
      damaged,
      fs.readFileSync(path.join(DEBIAN_DIR, `${NAMES[1]}.gz`)).subarray(0, 1000),
    );
    const notes: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((text: string) => notes.push(String(text)) > 0) as typeof write;
    let data;
    try {
      data = await loadFashionMnist({ cacheDir: cache, download: false });
    } finally {
      process.stderr.write = write;
    }
    assert.equal(data.train.count, 60_000);
    assert.equal(data.sources.trainLabels, path.join(DEBIAN_DIR, `${NAMES[1]}.gz`));
    assert.deepEqual(leftovers(cache), [`${NAMES[1]}.gz.damaged`], "set aside, not deleted");
    assert.match(
      notes.join(""),
      new RegExp(
        `^${damaged}: truncated gzip data \\(unexpected end of file\\); set it aside as ` +
          `${damaged}\\.damaged and using the next copy\\n$`,
      ),
    );
  });

  it("a gzip that decompresses to more than the file's size is refused without inflating it", async () => {
    const dir = tempDir();
    for (const name of NAMES)
      fs.copyFileSync(path.join(DEBIAN_DIR, `${name}.gz`), path.join(dir, `${name}.gz`));
    // A megabyte of zeros compresses to about a kilobyte: the labels file can be at most 60,008 bytes.
    fs.writeFileSync(path.join(dir, `${NAMES[1]}.gz`), zlib.gzipSync(Buffer.alloc(1 << 20)));
    await assert.rejects(
      loadFashionMnist({ dataDir: dir }),
      /train-labels-idx1-ubyte\.gz: decompresses to more than the 60008 bytes this file has/,
    );
  });

  it("no server at all: a clear error", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await assert.rejects(
      loadFashionMnist({
        cacheDir: tempDir(),
        systemDirs: [],
        baseUrl: `http://127.0.0.1:${port}/`,
        onDownloadProgress: () => {},
      }),
      /download of http:\/\/127\.0\.0\.1:\d+\/\S+ failed: fetch failed.*ECONNREFUSED/,
    );
  });
});
