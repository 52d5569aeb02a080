/**
 * Example "photos" the project ships in data/examples/, so the photo notebook runs without downloads or
 * your own pictures. They are not real photos: each is a Fashion-MNIST TEST image turned back into what a
 * product shot looks like — enlarged smoothly, dark on a light (or coloured, or transparent) background,
 * slightly rotated, off-centre, with sensor-like noise — by `scripts/make-photo-examples.ts`.
 * Being test images, the model never trained on them; being derived from the dataset, they are easier
 * than real photos, and the notebook says so.
 */
import * as path from "path";
import { Canvas, createCanvas } from "canvas";
import { IMAGE_PIXELS, IMAGE_SIZE, LABEL_NAMES } from "../data/shape";
import { EXAMPLES_DIR } from "../paths";
import type { Rgb } from "../plots/paint";
import { mulberry32 } from "../random";

export { EXAMPLES_DIR } from "../paths";

/** How one example is made from its test image. */
export interface PhotoRecipe {
  /** Canvas size in px. */
  width: number;
  height: number;
  /** Side of the enlarged 28×28 item in px (before rotation). */
  itemSize: number;
  /** Where the item's centre goes, as fractions of width and height. */
  centre: readonly [number, number];
  /** Clockwise, in degrees. */
  rotation: number;
  /** A solid colour, or "transparent" for a cut-out PNG. */
  background: Rgb | "transparent";
  /** Colour where the Fashion-MNIST pixel is 255; 0 shows the background, values between blend. */
  ink: Rgb;
  /** σ of Gaussian noise added to every colour channel of opaque pixels. */
  noise: number;
  seed: number;
}

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
  recipe: PhotoRecipe;
}

const WHITE: Rgb = [255, 255, 255];
const BLACK: Rgb = [0, 0, 0];

/** The example test items: one per class below, chosen by `chooseTestItem(labels, label, EXAMPLES_SEED)`. */
export const EXAMPLES_SEED = 2024;

function example(
  name: string,
  label: number,
  testIndex: number,
  format: "png" | "jpeg",
  description: string,
  recipe: PhotoRecipe,
): ExamplePhoto {
  const file = `${name}.${format === "png" ? "png" : "jpg"}`;
  return {
    file,
    path: path.join(EXAMPLES_DIR, file),
    label,
    labelName: LABEL_NAMES[label],
    testIndex,
    format,
    description,
    recipe,
  };
}

export const EXAMPLE_PHOTOS: readonly ExamplePhoto[] = [
  example(
    "sneaker",
    7,
    1108,
    "jpeg",
    "black on off-white, rotated −6°, left of centre, noise σ 5",
    {
      width: 480,
      height: 360,
      itemSize: 300,
      centre: [0.4, 0.55],
      rotation: -6,
      background: [246, 244, 240],
      ink: [20, 20, 24],
      noise: 5,
      seed: 1,
    },
  ),
  example("bag", 8, 2154, "png", "dark brown cut-out on a transparent background, rotated 4°", {
    width: 360,
    height: 360,
    itemSize: 300,
    centre: [0.52, 0.5],
    rotation: 4,
    background: "transparent",
    ink: [60, 35, 20],
    noise: 0,
    seed: 2,
  }),
  example(
    "trouser",
    1,
    4401,
    "jpeg",
    "dark blue on beige, portrait, rotated 3°, low and right, noise σ 4",
    {
      width: 300,
      height: 420,
      itemSize: 330,
      centre: [0.56, 0.56],
      rotation: 3,
      background: [225, 215, 195],
      ink: [25, 35, 80],
      noise: 4,
      seed: 3,
    },
  ),
  example("dress", 3, 9862, "png", "dark red on light blue, rotated −4°, off-centre", {
    width: 360,
    height: 400,
    itemSize: 320,
    centre: [0.46, 0.53],
    rotation: -4,
    background: [190, 215, 235],
    ink: [110, 10, 20],
    noise: 0,
    seed: 4,
  }),
  example(
    "ankle-boot",
    9,
    9412,
    "jpeg",
    "light tan on near-black (no inversion needed), rotated 5°, noise σ 6",
    {
      width: 440,
      height: 360,
      itemSize: 300,
      centre: [0.55, 0.45],
      rotation: 5,
      background: [22, 22, 28],
      ink: [235, 215, 180],
      noise: 6,
      seed: 5,
    },
  ),
  example("shirt", 6, 9305, "jpeg", "black on white, rotated −3°, right of centre, noise σ 3", {
    width: 400,
    height: 400,
    itemSize: 320,
    centre: [0.55, 0.52],
    rotation: -3,
    background: WHITE,
    ink: BLACK,
    noise: 3,
    seed: 6,
  }),
];

/** A seeded pick of one test image with the given label: reproducible, and not hand-picked for being easy. */
export function chooseTestItem(labels: Uint8Array, label: number, seed: number): number {
  const candidates = labels.reduce<number[]>(
    (found, l, i) => (l === label ? [...found, i] : found),
    [],
  );
  if (candidates.length === 0) throw new RangeError(`no test image has label ${label}`);
  return candidates[Math.floor(mulberry32(seed + label)() * candidates.length)];
}

/**
 * A Fashion-MNIST image (28×28, 0 = background) as a product-shot-like picture: ink where the item is,
 * blended by the pixel value over the background, enlarged with smooth (bilinear) interpolation.
 */
export function renderItemPhoto(item: Uint8Array, recipe: PhotoRecipe): Canvas {
  if (item.length !== IMAGE_PIXELS)
    throw new RangeError(`expected ${IMAGE_SIZE}×${IMAGE_SIZE} pixels, got ${item.length}`);
  const sprite = createCanvas(IMAGE_SIZE, IMAGE_SIZE);
  const spriteCtx = sprite.getContext("2d");
  const spriteData = spriteCtx.createImageData(IMAGE_SIZE, IMAGE_SIZE);
  item.forEach((v, i) => spriteData.data.set([...recipe.ink, v], i * 4));
  spriteCtx.putImageData(spriteData, 0, 0);

  const canvas = createCanvas(recipe.width, recipe.height);
  const ctx = canvas.getContext("2d");
  if (recipe.background !== "transparent") {
    ctx.fillStyle = `rgb(${recipe.background.join(", ")})`;
    ctx.fillRect(0, 0, recipe.width, recipe.height);
  }
  ctx.imageSmoothingEnabled = true;
  ctx.quality = "bilinear";
  ctx.translate(recipe.centre[0] * recipe.width, recipe.centre[1] * recipe.height);
  ctx.rotate((recipe.rotation * Math.PI) / 180);
  ctx.drawImage(
    sprite,
    -recipe.itemSize / 2,
    -recipe.itemSize / 2,
    recipe.itemSize,
    recipe.itemSize,
  );
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  if (recipe.noise > 0) addNoise(canvas, recipe.noise, recipe.seed);
  return canvas;
}

function addNoise(canvas: Canvas, sigma: number, seed: number): void {
  const ctx = canvas.getContext("2d");
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const random = mulberry32(seed);
  // Box–Muller: two uniform numbers give one standard normal one.
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  for (let i = 0; i < data.data.length; i += 4) {
    if (data.data[i + 3] === 0) continue;
    for (let c = 0; c < 3; c++) data.data[i + c] = data.data[i + c] + sigma * gaussian();
  }
  ctx.putImageData(data, 0, 0);
}

/** The encoded file for an example: JPEG at quality 0.85 (like a phone), PNG for cut-outs and flat colours. */
export function encodeExample(canvas: Canvas, format: "png" | "jpeg"): Buffer {
  return format === "png"
    ? canvas.toBuffer("image/png")
    : canvas.toBuffer("image/jpeg", { quality: 0.85 });
}
