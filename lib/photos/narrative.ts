/**
 * Notebook 6's words about its photos, written from what happened to them: which ones the model got right
 * and, for the wrong ones, what in the picture defeated the preprocessing, with what the steps measured.
 * Whether a model gets a hard example wrong varies from run to run, so no fixed text can say it.
 */
import { list } from "../format";
import type { PhotoInput } from "./classify";
import type { Ranked } from "./top-k";
import { edgesTouched } from "./pipeline";
import type { PhotoResult } from "./preprocess";
import { percent } from "../percent";

/** What one figure of steps shows: the file, and for a shipped example what it was made from. */
export function photoCaption(input: PhotoInput): string {
  const e = input.example;
  if (e === undefined) return `**${input.name}**`;
  return `**${e.file}** · ${e.labelName}, Fashion-MNIST test image ${e.testIndex} · ${e.description}`;
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

/**
 * The prose under the top-k table. `ranked[i]` is the model's answer for `photos[i]`, made from
 * `inputs[i]`; right and wrong are judged by the top-1 class against the input's known label.
 */
export function describePhotoResults(
  inputs: readonly PhotoInput[],
  photos: readonly PhotoResult[],
  ranked: readonly Ranked[][],
  labelNames: readonly string[],
): string {
  const rows = inputs.map((input, i) => {
    const top = ranked[i][0];
    const guess = `${labelNames[top.classIndex]} (${percent(top.probability)})`;
    return { input, photo: photos[i], guess, right: labelNames[top.classIndex] === input.label };
  });
  type Row = (typeof rows)[number];
  const labelled = rows.filter((r) => r.input.label !== undefined);
  if (labelled.length === 0) {
    const warned = rows.filter((r) => r.photo.warnings.length > 0);
    return [
      "The true classes of these images are not known here, so the table cannot say right or wrong. " +
        "Judge each answer by its 28×28 above: if it does not look like a Fashion-MNIST item (light, " +
        "centred, filling the frame, on black), the answer means little.",
      ...warned.map((r) => `- \`${r.input.name}\`: ${r.photo.warnings.join("; ")}.`),
    ].join("\n\n");
  }
  const named = (r: Row) => `\`${r.input.name}\``;
  const mistaken = (r: Row) => `${named(r)} (${r.input.label}) taken for ${r.guess}`;
  const paragraphs: string[] = [];

  const plain = labelled.filter((r) => r.input.example?.obstacle === undefined);
  if (plain.length > 0) {
    const wrong = plain.filter((r) => !r.right);
    paragraphs.push(
      `**Plain backgrounds:** the model got ${plain.length - wrong.length} of ${plain.length} right.` +
        (wrong.length === 0
          ? ""
          : ` Wrong: ${list(wrong.map(mistaken))}. Their steps are clean, so these are the network's ` +
            "own mistakes, not the preprocessing's."),
    );
  }

  const hard = labelled.filter((r) => r.input.example?.obstacle !== undefined);
  if (hard.length > 0) {
    const wrong = hard.filter((r) => !r.right);
    const right = hard.filter((r) => r.right);
    paragraphs.push(
      `**Hard examples:** the model got ${right.length} of ${hard.length} right` +
        (right.length === 0 ? "." : ` (${list(right.map((r) => `${named(r)} as ${r.guess}`))}).`),
    );
    paragraphs.push(
      ...wrong.map(
        (r) => `- ${mistaken(r)}. ${r.input.example?.obstacle} ${measuredSteps(r.photo)}`,
      ),
    );
    // The same test image on a plain background is the control: a hard example the model misses while
    // getting its plain version right fails because of the picture, not the item.
    const plainRight = new Set(plain.filter((r) => r.right).map((r) => r.input.example?.testIndex));
    const paired = hard.filter((r) => plainRight.has(r.input.example?.testIndex));
    const pairedWrong = paired.filter((r) => !r.right);
    if (paired.length > 0)
      paragraphs.push(
        `Of the ${paired.length} hard example${paired.length === 1 ? "" : "s"} whose plain version the model got right, it got ` +
          `${pairedWrong.length} wrong: ` +
          (pairedWrong.length === 0
            ? "this model coped with these pictures, but real photos have all of these problems at once, and more."
            : "the same item, in a different picture, gets a different answer. That is what happens with real photos."),
      );
  }
  return paragraphs.join("\n\n");
}
