/**
 * Regenerate data/examples/: the example "photos" made from Fashion-MNIST test images (recipes in
 * scripts/photo-examples.ts), the list lib/photos reads (examples.json) and their README. Deterministic: the
 * same dataset and recipes give the same files.
 *
 *   npx ts-node --transpile-only scripts/make-photo-examples.ts
 */
import * as path from "path";
import { IMAGE_PIXELS, loadFashionMnist } from "../lib/data";
import { writeFileAtomic } from "../lib/files";
import { EXAMPLES_DIR } from "../lib/paths";
import { runCommand } from "./command";
import {
  chooseTestItem,
  encodeExample,
  EXAMPLES_SEED,
  PHOTO_EXAMPLES,
  renderItemPhoto,
} from "./photo-examples";
import type { PhotoExample } from "./photo-examples";

const SIZE_BUDGET = 300 * 1024;

async function main(): Promise<void> {
  const { test } = await loadFashionMnist({ download: false });
  let total = 0;
  for (const example of PHOTO_EXAMPLES) {
    // The indices are written out in photo-examples.ts so notebooks need not load the dataset to know them;
    // this keeps them equal to the seeded choice rather than to a hand-picked easy item.
    const chosen = chooseTestItem(test.labels, example.label, EXAMPLES_SEED);
    if (chosen !== example.testIndex) {
      throw new Error(
        `${example.file}: the seeded choice for label ${example.label} is test image ${chosen}, but scripts/photo-examples.ts says ${example.testIndex}`,
      );
    }
    const item = test.images.subarray(chosen * IMAGE_PIXELS, (chosen + 1) * IMAGE_PIXELS);
    const bytes = encodeExample(renderItemPhoto(item, example.recipe), example.format);
    await writeFileAtomic(example.path, bytes);
    total += bytes.length;
    console.log(
      `${example.file}: ${example.labelName}, test image ${chosen}, ${(bytes.length / 1024).toFixed(1)} KB`,
    );
  }
  await writeFileAtomic(path.join(EXAMPLES_DIR, "examples.json"), examplesList(PHOTO_EXAMPLES));
  await writeFileAtomic(path.join(EXAMPLES_DIR, "README.md"), readme(PHOTO_EXAMPLES));
  console.log(`total ${(total / 1024).toFixed(1)} KB`);
  if (total > SIZE_BUDGET)
    throw new Error(
      `the examples take ${(total / 1024).toFixed(0)} KB, over the ${SIZE_BUDGET / 1024} KB budget`,
    );
}

/** What lib/photos knows of each example: everything but how it is made. */
export function examplesList(examples: readonly PhotoExample[]): string {
  const listed = examples.map(
    ({ file, label, labelName, testIndex, format, description, obstacle }) => ({
      file,
      label,
      labelName,
      testIndex,
      format,
      description,
      ...(obstacle === undefined ? {} : { obstacle }),
    }),
  );
  return `${JSON.stringify(listed, null, 2)}\n`;
}

function readme(examples: readonly PhotoExample[]): string {
  const table = (rows: readonly PhotoExample[]) =>
    [
      "| File | Class (label) | Test index | Size | How it was transformed |",
      "| --- | --- | --- | --- | --- |",
      ...rows.map((e) => {
        const { width, height, itemSize } = e.recipe;
        return `| \`${e.file}\` | ${e.labelName} (${e.label}) | ${e.testIndex} | ${width}×${height}, item ${itemSize} px | ${e.description} |`;
      }),
    ].join("\n");
  const hard = examples.filter((e) => e.obstacle !== undefined);
  return `# Example photos

These are **not real photographs**. Each file is one image of the **Fashion-MNIST test set** (\`t10k-images-idx3-ubyte\`,
MIT licence, © Zalando SE) made to look like a product photo, so that the photo notebook has inputs without
downloading anything:

1. the 28×28 test image is enlarged smoothly (bilinear) to the size below;
2. it is drawn as "ink" blended over a background by its pixel value (Fashion-MNIST is the negative of
   product photos on white, so this undoes that: dark item on a light background), or as a light item on a
   dark background, or as a cut-out on a transparent background (the hard examples: over stripes or shapes);
3. it is rotated (by a few degrees, except one hard example) and placed off-centre;
4. Gaussian noise is added to the colour channels (JPEG files), and the result saved as JPEG (quality 0.85) or PNG.

## Easy: plain backgrounds

${table(examples.filter((e) => e.obstacle === undefined))}

The test images were chosen by a seeded random pick per class (\`chooseTestItem\`, seed ${EXAMPLES_SEED}), not for
being easy. Being test images, the model never saw them in training; being derived from the dataset, they are
much easier than real photos (same silhouettes, clean backgrounds), so a correct prediction here says little
about real photos.

## Hard: the same test items, in pictures like real photos

Each of these uses the same test image as the easy example of its class, made the way real photos often are.
They are made to defeat the preprocessing (or, for the sideways one, the network), to show what fails on real
photos; whether a given trained model gets each one wrong varies from run to run.

${table(hard)}

What defeats the preprocessing in each (notebook 6 shows every step, so you can see where it goes wrong):

${hard.map((e) => `- \`${e.file}\`: ${e.obstacle}`).join("\n")}

Regenerate with \`npx ts-node --transpile-only scripts/make-photo-examples.ts\` (recipes in
\`scripts/photo-examples.ts\`; it also writes \`examples.json\`, the list notebook 6 and the web page read).
Generated file; do not edit by hand.
`;
}

if (require.main === module) runCommand(main);
