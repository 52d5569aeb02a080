/**
 * The example "photos" the project ships in data/examples/, so notebook 6 and the web page run without
 * downloads or your own pictures: each a Fashion-MNIST TEST image made to look like a product shot, listed
 * in data/examples/examples.json (`scripts/make-photo-examples.ts` writes both; its README says how). The
 * hard examples put the same items in pictures the preprocessing is not made for, to show how real photos
 * fail.
 */
import * as path from "path";
import { FileProblemError } from "../errors";
import { DATA_JSON_MAX_BYTES, readPlainText } from "../files";
import { EXAMPLES_DIR } from "../paths";

export interface ExamplePhoto {
  /** File name inside data/examples/. */
  file: string;
  /** Absolute path. */
  path: string;
  /** True class, 0–9, and its name. */
  label: number;
  labelName: string;
  /** Index of the source image in the Fashion-MNIST test set (t10k). */
  testIndex: number;
  format: "png" | "jpeg";
  /** What was done to the test image, for captions and the README. */
  description: string;
  /**
   * Only for the hard examples: what in the picture defeats the preprocessing (or the network), and which
   * step of the drawing shows it. Deterministic, so tests check it; whether the model then errs is not.
   */
  obstacle?: string;
}

/** The list of examples beside them. */
export const EXAMPLES_LIST = path.join(EXAMPLES_DIR, "examples.json");

function readExamples(): ExamplePhoto[] {
  const listed = JSON.parse(
    readPlainText(EXAMPLES_LIST, { maxBytes: DATA_JSON_MAX_BYTES }),
  ) as Omit<ExamplePhoto, "path">[];
  if (
    !Array.isArray(listed) ||
    listed.some((e) => typeof e?.file !== "string" || e.file.includes("/"))
  )
    throw new FileProblemError(
      EXAMPLES_LIST,
      "is not a list of example photos",
      "restore it from the repository (git checkout data/examples)",
    );
  return listed.map((example) => ({ ...example, path: path.join(EXAMPLES_DIR, example.file) }));
}

export const EXAMPLE_PHOTOS: readonly ExamplePhoto[] = readExamples();
