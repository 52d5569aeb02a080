/**
 * Fashion-MNIST, loaded like Keras' `fashion_mnist.load_data()` but offline-first and verified:
 * every file's decompressed bytes must match the SHA-256 published for the official release.
 *
 * Where the files come from, in order (per file):
 *   1. an explicit directory (`dataDir` option or FASHION_MNIST_DIR) — when given, nothing else is tried;
 *   2. the project's cache, `data/fashion-mnist/`;
 *   3. Debian's `dataset-fashion-mnist` package, `/usr/share/datasets/fashion-mnist/`;
 *   4. a download from the official repository into the cache.
 * Each file may be gzipped (`*.gz`) or already decompressed.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import * as zlib from "zlib";
import { readPlainFile, removeStaleTemps, setAside, UnreadableFileError } from "../files";
import { DATASET_CACHE_DIR, projectRelative } from "../paths";
import { sampleIndices } from "../random";
import { datasetDirSetting, datasetUrlSetting, offlineSetting } from "../settings";
import { downloadFile, DownloadProgress } from "./download";
import { DataFileError, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx } from "./idx";
import { IMAGE_PIXELS, IMAGE_SIZE, LABEL_NAMES, NUM_CLASSES } from "../shape";

interface DataFile {
  name: string;
  magic: number;
  /** The size of the decompressed IDX file, which also bounds what a download of its .gz may be. */
  bytes: number;
  /** SHA-256 of the decompressed IDX bytes; the same for the official and Debian's recompressed .gz. */
  sha256: string;
}

const FILES = {
  trainImages: {
    name: "train-images-idx3-ubyte",
    bytes: 16 + 60_000 * IMAGE_PIXELS,
    magic: IDX_IMAGES_MAGIC,
    sha256: "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
  },
  trainLabels: {
    name: "train-labels-idx1-ubyte",
    bytes: 8 + 60_000,
    magic: IDX_LABELS_MAGIC,
    sha256: "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
  },
  testImages: {
    name: "t10k-images-idx3-ubyte",
    bytes: 16 + 10_000 * IMAGE_PIXELS,
    magic: IDX_IMAGES_MAGIC,
    sha256: "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
  },
  testLabels: {
    name: "t10k-labels-idx1-ubyte",
    bytes: 8 + 10_000,
    magic: IDX_LABELS_MAGIC,
    sha256: "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
  },
} satisfies Record<string, DataFile>;

export const DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
const DEFAULT_BASE_URL =
  "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/";

export interface Split {
  /** `count` images of 28×28 grey pixels, row-major, 0 = black background. */
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface FashionMnist {
  train: Split;
  test: Split;
  labelNames: readonly string[];
  /** Where each file was read from. */
  sources: Record<keyof typeof FILES, string>;
}

export interface LoadOptions {
  /** Read only this directory (default: FASHION_MNIST_DIR, else the search order above). */
  dataDir?: string;
  cacheDir?: string;
  /** Directories searched after the cache, before downloading (default: Debian's). */
  systemDirs?: string[];
  /** Allow downloading into the cache when no local copy exists (default true; FASHION_MNIST_OFFLINE=1 disables). */
  download?: boolean;
  baseUrl?: string;
  /** Told how a download goes (default: nothing shown; the session's loadProfileData shows a line on stderr). */
  onDownloadProgress?: (progress: DownloadProgress) => void;
  /** Keep at most this many examples of each split: the first N, or a random N when `seed` is given. */
  limitTrain?: number;
  limitTest?: number;
  seed?: number;
}

const gunzip = promisify(zlib.gunzip);

export async function loadFashionMnist(options: LoadOptions = {}): Promise<FashionMnist> {
  const resolved = resolveOptions(options);
  // Downloads killed before their rename left temporary files (their writers are gone): removed whichever
  // copy this load ends up reading.
  await removeStaleTemps(resolved.cacheDir);
  const keys = Object.keys(FILES) as (keyof typeof FILES)[];
  // The four files are independent; reading them concurrently lets zlib use both cores. Waiting for all
  // of them (not failing on the first) reports every bad file at once and leaves no download running.
  const loaded = await settleAll(keys.map((key) => loadFile(FILES[key], resolved)));
  const byKey = Object.fromEntries(keys.map((key, i) => [key, loaded[i]])) as Record<
    keyof typeof FILES,
    LoadedFile
  >;
  const train = makeSplit(byKey.trainImages, byKey.trainLabels);
  const test = makeSplit(byKey.testImages, byKey.testLabels);
  return {
    train: limitSplit(train, options.limitTrain, options.seed),
    test: limitSplit(
      test,
      options.limitTest,
      options.seed === undefined ? undefined : options.seed + 1,
    ),
    labelNames: LABEL_NAMES,
    sources: Object.fromEntries(keys.map((key, i) => [key, loaded[i].source])) as Record<
      keyof typeof FILES,
      string
    >,
  };
}

interface ResolvedOptions {
  searchDirs: string[];
  cacheDir: string;
  explicit: boolean;
  download: boolean;
  baseUrl: string;
  /** What to do when the download source fails: depends on whether FASHION_MNIST_URL chose it. */
  downloadAdvice: string;
  onDownloadProgress?: (progress: DownloadProgress) => void;
}

function resolveOptions(options: LoadOptions): ResolvedOptions {
  const explicitDir = options.dataDir ?? datasetDirSetting();
  const cacheDir = options.cacheDir ?? DATASET_CACHE_DIR;
  const urlSetting = options.baseUrl === undefined ? datasetUrlSetting() : undefined;
  const otherSources =
    "install Debian's package (apt-get install dataset-fashion-mnist), or put the four official files " +
    `in ${projectRelative(DATASET_CACHE_DIR)}/`;
  return {
    searchDirs: explicitDir ? [explicitDir] : [cacheDir, ...(options.systemDirs ?? [DEBIAN_DIR])],
    cacheDir,
    explicit: explicitDir !== undefined,
    download: explicitDir === undefined && (options.download ?? !offlineSetting()),
    baseUrl: options.baseUrl ?? urlSetting ?? DEFAULT_BASE_URL,
    downloadAdvice:
      urlSetting === undefined
        ? `set FASHION_MNIST_URL to a mirror of the four files, or ${otherSources}`
        : `check FASHION_MNIST_URL (${urlSetting}), or ${otherSources}`,
    onDownloadProgress: options.onDownloadProgress,
  };
}

export interface LoadedFile {
  array: { dims: number[]; data: Uint8Array };
  source: string;
}

async function loadFile(file: DataFile, options: ResolvedOptions): Promise<LoadedFile> {
  for (const dir of options.searchDirs) {
    const found = findCopy(dir, file.name);
    if (found === undefined) continue;
    const inCache = dir === options.cacheDir && !options.explicit;
    const advice = options.explicit ? EXPLICIT_ADVICE : inCache ? CACHE_ADVICE : DEBIAN_ADVICE;
    try {
      return { array: await readVerified(found, file, { advice }), source: found };
    } catch (error) {
      // A bad copy in our own cache came from an earlier download: set it aside (nothing is deleted or
      // overwritten) and use the next good copy — Debian's, or a fresh download.
      if (!inCache) throw error;
      const aside = setAside(found, "damaged");
      // The problem without its advice: the advice (delete it) is what is being done instead.
      const problem = error instanceof DataFileError ? error.problem : (error as Error).message;
      process.stderr.write(
        `${projectRelative(found)}: ${problem}; set it aside as ${projectRelative(aside)} and using ` +
          "the next copy\n",
      );
    }
  }
  if (!options.download) throw missingFileError(file, options);
  const dest = path.join(options.cacheDir, `${file.name}.gz`);
  let array: LoadedFile["array"] | undefined;
  const url = new URL(`${file.name}.gz`, options.baseUrl).href;
  await downloadFile(url, dest, {
    onProgress: options.onDownloadProgress,
    maxBytes: gzipCeiling(file.bytes),
    advice: options.downloadAdvice,
    validate: async (temp) => {
      array = await readVerified(temp, file, {
        label: `${file.name}.gz as downloaded`,
        gzipped: true,
        advice: options.downloadAdvice,
      });
    },
  });
  return { array: array!, source: dest };
}

async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const results = await Promise.allSettled(promises);
  const errors = results.flatMap((r) => (r.status === "rejected" ? [r.reason as Error] : []));
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1)
    throw new Error(
      `${errors.length} Fashion-MNIST files failed:\n${errors.map((e) => e.message).join("\n")}`,
    );
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

/**
 * The largest a gzip file of `bytes` bytes can be: deflate's stored blocks (for data that does not compress)
 * add 5 bytes per block, and the header and trailer a few more.
 */
function gzipCeiling(bytes: number): number {
  return bytes + 5 * Math.ceil(bytes / 16_384) + 1024;
}

/** The copy of `name` in `dir`, gzipped or not; any entry counts (a link that leads nowhere is reported). */
function findCopy(dir: string, name: string): string | undefined {
  return [`${name}.gz`, name]
    .map((candidate) => path.join(dir, candidate))
    .find((p) => fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined);
}

/** What to do about a bad copy, by where it is: only the cache's copies are fetched again. */
const CACHE_ADVICE = "delete it so it is fetched again";
const DEBIAN_ADVICE =
  "reinstall Debian's package (apt-get install --reinstall dataset-fashion-mnist)";
const EXPLICIT_ADVICE =
  "replace it with the official file (github.com/zalandoresearch/fashion-mnist), or unset FASHION_MNIST_DIR";

/**
 * Read (as every supplied file is read: `readPlainFile`), decompress when gzipped, parse and checksum one
 * file. `label` names it in errors; `advice` says what to do about a bad copy where it was found.
 */
async function readVerified(
  file: string,
  expected: DataFile,
  { label = file, gzipped = file.endsWith(".gz"), advice = CACHE_ADVICE } = {},
): Promise<LoadedFile["array"]> {
  let bytes: Uint8Array;
  try {
    bytes = readPlainFile(file, {
      maxBytes: gzipped ? gzipCeiling(expected.bytes) : expected.bytes,
    });
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    throw new DataFileError(label, error.problem, advice);
  }
  if (gzipped) bytes = await decompress(bytes, label, expected.bytes, advice);
  // Node hands us Buffers; callers get plain Uint8Arrays whatever the source.
  bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const array = parseIdx(bytes, expected.magic, label);
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== expected.sha256) {
    throw new DataFileError(
      label,
      `SHA-256 of the decompressed data is ${actual}, expected ${expected.sha256}`,
      `the file is damaged or is not the official Fashion-MNIST release; ${advice}`,
    );
  }
  return array;
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Whether bytes look like the start of an HTML page (a captive portal's, a proxy's, an error page). */
function looksLikeHtml(bytes: Uint8Array): boolean {
  const start = Buffer.from(bytes.subarray(0, 512)).toString("latin1").trimStart().toLowerCase();
  return start.startsWith("<!doctype html") || start.startsWith("<html") || /^<[a-z!]/.test(start);
}

async function decompress(
  bytes: Uint8Array,
  label: string,
  expectedBytes: number,
  advice: string,
): Promise<Uint8Array> {
  if (bytes[0] !== GZIP_MAGIC[0] || bytes[1] !== GZIP_MAGIC[1]) {
    if (looksLikeHtml(bytes))
      throw new DataFileError(
        label,
        "is an HTML page, not a gzip file: a web page (a network's sign-in page, a proxy's or an error page) came back instead of the data",
        advice,
      );
    throw new DataFileError(
      label,
      "is not a gzip file (it does not start with the gzip magic bytes 1f 8b)",
      `${advice}; if it is an uncompressed IDX file, drop the .gz from its name`,
    );
  }
  try {
    // Never more than the file can be: a gzip bomb stops here instead of filling the memory.
    return await gunzip(bytes, { maxOutputLength: expectedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new DataFileError(
        label,
        `decompresses to more than the ${expectedBytes} bytes this file has`,
        `it is not the official Fashion-MNIST file; ${advice}`,
      );
    }
    const message = (error as Error).message;
    const truncated = /unexpected end of file/i.test(message);
    throw new DataFileError(
      label,
      truncated ? "truncated gzip data (unexpected end of file)" : `corrupt gzip data (${message})`,
      `the copy is incomplete or damaged; ${advice}`,
    );
  }
}

/** Pair an images file with its labels file, checking that they describe the same examples. */
export function makeSplit(images: LoadedFile, labels: LoadedFile): Split {
  const [count, rows, cols] = images.array.dims;
  if (rows !== IMAGE_SIZE || cols !== IMAGE_SIZE) {
    throw new DataFileError(
      images.source,
      `images are ${rows}×${cols}, expected ${IMAGE_SIZE}×${IMAGE_SIZE}`,
    );
  }
  const [labelCount] = labels.array.dims;
  if (labelCount !== count) {
    throw new DataFileError(
      labels.source,
      `has ${labelCount} labels but ${images.source} has ${count} images`,
      "the two files belong to different datasets or splits",
    );
  }
  const badLabel = labels.array.data.findIndex((label) => label >= NUM_CLASSES);
  if (badLabel >= 0) {
    throw new DataFileError(
      labels.source,
      `label ${labels.array.data[badLabel]} at index ${badLabel} is not a class 0–${NUM_CLASSES - 1}`,
    );
  }
  return { images: images.array.data, labels: labels.array.data, count };
}

function limitSplit(split: Split, limit: number | undefined, seed: number | undefined): Split {
  if (limit === undefined || limit >= split.count) return split;
  if (!Number.isInteger(limit) || limit < 1)
    throw new RangeError(`limit must be a positive integer, got ${limit}`);
  if (seed === undefined) {
    const pixels = limit * IMAGE_PIXELS;
    return {
      images: split.images.subarray(0, pixels),
      labels: split.labels.subarray(0, limit),
      count: limit,
    };
  }
  return pickExamples(split, sampleIndices(split.count, limit, seed));
}

/** Copy the examples at `indices` into a new split. */
export function pickExamples(split: Split, indices: ArrayLike<number>): Split {
  const size = IMAGE_PIXELS;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i];
    images.set(split.images.subarray(from * size, (from + 1) * size), i * size);
    labels[i] = split.labels[from];
  }
  return { images, labels, count: indices.length };
}

function missingFileError(file: DataFile, options: ResolvedOptions): DataFileError {
  const looked = options.searchDirs.map((dir) => path.join(dir, `${file.name}[.gz]`)).join(", ");
  return new DataFileError(
    file.name,
    `not found (looked for ${looked}) and downloading is disabled`,
    options.explicit
      ? "put the four Fashion-MNIST files in that directory, or unset FASHION_MNIST_DIR"
      : "install Debian's dataset-fashion-mnist package (apt-get install dataset-fashion-mnist), " +
          "or allow the download (unset FASHION_MNIST_OFFLINE), or point FASHION_MNIST_DIR at a copy",
  );
}

/** How many examples of each class a split has. */
export function classCounts(split: Split): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const label of split.labels) counts[label]++;
  return counts;
}
