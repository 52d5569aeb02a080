/**
 * How the example "photos" in data/examples/ are made (`scripts/make-photo-examples.ts` writes them, and
 * the list lib/photos reads, data/examples/examples.json). They are not real photos: each is a
 * Fashion-MNIST TEST image turned back into what a product shot looks like — enlarged smoothly, dark on a
 * light (or coloured, or transparent) background, slightly rotated, off-centre, with sensor-like noise.
 * Being test images, the model never trained on them; being derived from the dataset, they are easier
 * than real photos, and the notebook says so. The hard examples put the same items in pictures the
 * preprocessing is not made for (a patterned or cluttered background, low contrast, cut off, sideways), to
 * show how real photos fail.
 */
import * as path from "path";
import { Canvas, CanvasRenderingContext2D, createCanvas } from "canvas";
import { IMAGE_PIXELS, IMAGE_SIZE, LABEL_NAMES } from "../lib/data";
import { EXAMPLES_DIR } from "../lib/paths";
import type { ExamplePhoto } from "../lib/photos";
import { mulberry32 } from "../lib/random";

/** A colour as red, green and blue, 0–255 (the same tuple as the plots' paint). */
type Rgb = readonly [number, number, number];

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
  /** A solid colour, "transparent" for a cut-out PNG, or a pattern (the hard examples). */
  background: Rgb | "transparent" | BackgroundPattern;
  /** Colour where the Fashion-MNIST pixel is 255; 0 shows the background, values between blend. */
  ink: Rgb;
  /** σ of Gaussian noise added to every colour channel of opaque pixels. */
  noise: number;
  seed: number;
}

/**
 * A background that is not one colour, as real photos often have: on either, the preprocessing's guess of
 * the background from the border is wrong for most of the picture.
 */
type BackgroundPattern =
  /** Parallel stripes of `colour` on `base`, `width` px wide every `period` px, at `angle`° from vertical. */
  | { kind: "stripes"; base: Rgb; colour: Rgb; period: number; width: number; angle: number }
  /** `count` random filled rectangles and discs in the given colours on `base` (a cluttered table). */
  | { kind: "shapes"; base: Rgb; colours: readonly Rgb[]; count: number };

/** A shipped example and the recipe it is made from. */
export interface PhotoExample extends ExamplePhoto {
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
): PhotoExample {
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

export const PHOTO_EXAMPLES: readonly PhotoExample[] = [
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
  // The hard examples: the same test items (so the easy version of each is above), in pictures like real
  // photos often are. Each says what defeats the preprocessing; notebook 6 says which ones the model got wrong.
  {
    ...example(
      "sneaker-on-stripes",
      7,
      1108,
      "jpeg",
      "the sneaker above, black on off-white with diagonal blue-grey stripes (14 px every 36 px, 30°) across the whole picture, rotated −6°, noise σ 3",
      {
        width: 400,
        height: 320,
        itemSize: 280,
        centre: [0.5, 0.52],
        rotation: -6,
        background: {
          kind: "stripes",
          base: [240, 238, 232],
          colour: [120, 130, 150],
          period: 36,
          width: 14,
          angle: 30,
        },
        ink: [20, 20, 24],
        noise: 3,
        seed: 11,
      },
    ),
    obstacle:
      "The stripes reach the border, so the background estimate (the median of the border) is the off-white " +
      "between them, and every stripe differs from it by more than the threshold: in its steps, " +
      '"background removed" still shows the stripes, "cropped" is the whole frame, and the 28×28 is a ' +
      "striped square with the sneaker in it.",
  },
  {
    ...example(
      "bag-on-clutter",
      8,
      2154,
      "png",
      "the bag above, dark brown over 14 random red, blue, yellow and green rectangles and discs on cream (a cluttered table), rotated 4°",
      {
        width: 360,
        height: 320,
        itemSize: 240,
        centre: [0.5, 0.5],
        rotation: 4,
        background: {
          kind: "shapes",
          base: [235, 230, 220],
          colours: [
            [200, 60, 50],
            [60, 110, 180],
            [230, 190, 60],
            [90, 150, 90],
          ],
          count: 14,
        },
        ink: [60, 35, 20],
        noise: 0,
        seed: 12,
      },
    ),
    obstacle:
      "The shapes differ from the cream background about as much as the bag does, so they count as item too: " +
      '"background removed" keeps them, the bounding box grows to take them in, and the 28×28 shows the bag ' +
      "fused with blobs around it.",
  },
  {
    ...example(
      "shirt-low-contrast",
      6,
      9305,
      "jpeg",
      "the shirt above, light grey on grey: at most 35 grey levels of contrast (the clean version has about 250), noise σ 4",
      {
        width: 400,
        height: 400,
        itemSize: 320,
        centre: [0.5, 0.5],
        rotation: -3,
        background: [200, 200, 196],
        ink: [165, 165, 160],
        noise: 4,
        seed: 13,
      },
    ),
    obstacle:
      "Only what differs from the background by more than the threshold (at least 20 grey levels) is item, " +
      'and most of this shirt differs by less: "background removed" keeps a few bright patches, and ' +
      "stretching them to full brightness gives a broken outline in the 28×28.",
  },
  {
    ...example(
      "ankle-boot-cropped",
      9,
      9412,
      "jpeg",
      "the ankle boot above, light tan on near-black, enlarged to 340 px and placed so low that the bottom edge of the picture cuts off its lower third (the sole), noise σ 5",
      {
        width: 400,
        height: 320,
        itemSize: 340,
        centre: [0.5, 0.8],
        rotation: 0,
        background: [22, 22, 28],
        ink: [235, 215, 180],
        noise: 5,
        seed: 14,
      },
    ),
    obstacle:
      "Every step does its job, but the preprocessing assumes the whole item is in the picture: the bounding " +
      "box ends at the bottom edge, and cropping and squaring make the part that is there fill the 28×28, so " +
      "the boot loses its sole and its proportions.",
  },
  {
    ...example(
      "dress-sideways",
      3,
      9862,
      "jpeg",
      "the dress above, dark red on light blue, rotated 90° (lying on its side), noise σ 3",
      {
        width: 400,
        height: 320,
        itemSize: 280,
        centre: [0.5, 0.5],
        rotation: 90,
        background: [190, 215, 235],
        ink: [110, 10, 20],
        noise: 3,
        seed: 15,
      },
    ),
    obstacle:
      "Every step works (the panels are clean), but nothing turns an item upright, and Fashion-MNIST shows " +
      "every item upright: the network has never seen a dress lying on its side, and the 28×28 is a wide, " +
      "flat shape unlike any dress it trained on.",
  },
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
  paintBackground(ctx, recipe);
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

function paintBackground(ctx: CanvasRenderingContext2D, recipe: PhotoRecipe): void {
  const { background, width, height } = recipe;
  if (background === "transparent") return;
  const fill = (colour: Rgb) => (ctx.fillStyle = `rgb(${colour.join(", ")})`);
  if (isSolid(background)) {
    fill(background);
    ctx.fillRect(0, 0, width, height);
    return;
  }
  fill(background.base);
  ctx.fillRect(0, 0, width, height);
  if (background.kind === "stripes") {
    // Drawn in a rotated frame around the centre, long enough to cover the corners at any angle.
    const reach = Math.hypot(width, height);
    ctx.save();
    ctx.translate(width / 2, height / 2);
    ctx.rotate((background.angle * Math.PI) / 180);
    fill(background.colour);
    for (let x = -reach; x < reach; x += background.period)
      ctx.fillRect(x, -reach, background.width, 2 * reach);
    ctx.restore();
    return;
  }
  // Its own stream, so that adding noise later does not reuse the numbers that placed the shapes.
  const random = mulberry32(recipe.seed + 1000);
  const side = Math.min(width, height);
  for (let i = 0; i < background.count; i++) {
    fill(background.colours[i % background.colours.length]);
    const [x, y] = [random() * width, random() * height];
    const size = side * (0.08 + 0.22 * random());
    if (random() < 0.5) {
      ctx.fillRect(x - size / 2, y - size / 3, size, (size * 2) / 3);
    } else {
      ctx.beginPath();
      ctx.arc(x, y, size / 2, 0, 2 * Math.PI);
      ctx.fill();
    }
  }
}

/** Solid backgrounds are plain colour triples; patterns are objects with a `kind`. */
export function isSolid(background: PhotoRecipe["background"]): background is Rgb {
  return Array.isArray(background);
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
