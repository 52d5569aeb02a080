/**
 * The caption over each photo's figure of preprocessing steps in notebook 6: what the file is, what in the
 * picture a hard example puts in the preprocessing's way, what the steps measured and what they doubt.
 * All of it follows from the file alone; whether the model then gets the photo right is the table's to say.
 */
import { list } from "../format";
import type { PhotoInput } from "./classify";
import { edgesTouched } from "./pipeline";
import type { PhotoResult } from "./preprocess";
import { percent } from "../percent";

/**
 * What one figure of steps shows: the file (for a shipped example, what it was made from), what stands in
 * a hard example's way, and what the steps measured.
 */
export function photoCaption(input: PhotoInput, photo: PhotoResult): string {
  const e = input.example;
  const title =
    e === undefined
      ? `**${input.name}**`
      : `**${e.file}** · ${e.labelName}, Fashion-MNIST test image ${e.testIndex} · ${e.description}`;
  const warnings = photo.warnings.map((warning) => `Warning: ${warning}.`);
  return [title, e?.obstacle, measuredSteps(photo), ...warnings]
    .filter((line) => line !== undefined)
    .join("  \n");
}

/** What the preprocessing found in one photo, in numbers the reader can check against its steps. */
function measuredSteps(photo: PhotoResult): string {
  const { box, frame } = photo;
  const area = (box.width * box.height) / (frame.width * frame.height);
  const edges = edgesTouched(box, frame);
  const reach =
    edges.length === 0
      ? "touches no edge"
      : edges.length === 4
        ? "touches all four edges"
        : `touches the ${list(edges)} edge${edges.length > 1 ? "s" : ""}`;
  return (
    `Measured: background grey level ${photo.background}, threshold ${photo.threshold} grey levels; ` +
    `the item's box covers ${percent(area)} of the picture and ${reach}.`
  );
}
