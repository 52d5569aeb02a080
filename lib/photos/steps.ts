/**
 * The pixel steps that make a photo look like a Fashion-MNIST item, on plain grey arrays (no canvas, no
 * tf): luma, background level, inversion, background removal, crop, square padding, resampling.
 * preprocess.ts chains these; the notebook can call them one by one too.
 */

export interface GreyImage {
  width: number;
  height: number;
  /** Row-major, one byte per pixel. */
  pixels: Uint8Array;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function greyImage(
  width: number,
  height: number,
  pixels = new Uint8Array(width * height),
): GreyImage {
  if (pixels.length !== width * height)
    throw new RangeError(`expected ${width}×${height} pixels, got ${pixels.length}`);
  return { width, height, pixels };
}

/**
 * ITU-R BT.601 luma, rounded exactly as PIL's `convert("L")` (fixed point, 16 fraction bits), so the grey
 * image matches what a Python user of the article would get.
 */
export function luma(r: number, g: number, b: number): number {
  return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
}

/**
 * Grey version of RGBA pixels (non-premultiplied, as canvas `getImageData` returns them). Transparent
 * pixels are background, so they are composited onto the grey level that contrasts most with the opaque
 * part: a dark item cut out on transparency then looks like it was shot on white, a light one as on black.
 */
export function greyFromRgba(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
): { image: GreyImage; transparent: boolean } {
  const n = width * height;
  const grey = new Uint8Array(n);
  let transparent = false;
  let opaqueWeight = 0;
  let opaqueSum = 0;
  for (let i = 0; i < n; i++) {
    const v = luma(rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]);
    const a = rgba[i * 4 + 3];
    grey[i] = v;
    if (a < 255) transparent = true;
    opaqueWeight += a;
    opaqueSum += a * v;
  }
  if (transparent) {
    const backdrop = opaqueWeight > 0 && opaqueSum / opaqueWeight > 127 ? 0 : 255;
    for (let i = 0; i < n; i++) {
      const a = rgba[i * 4 + 3] / 255;
      grey[i] = Math.round(grey[i] * a + backdrop * (1 - a));
    }
  }
  return { image: greyImage(width, height, grey), transparent };
}

export interface BackgroundEstimate {
  /** Median grey level of a band along the four edges. */
  level: number;
  /** Robust spread of that band (1.4826 × median absolute deviation ≈ σ for Gaussian noise). */
  noise: number;
}

/**
 * The background as the median of the border: a product photo's edges are background even when the item
 * covers most of the frame, and the median ignores the parts of the item that do reach the edge.
 */
export function estimateBackground(image: GreyImage, bandFraction = 0.03): BackgroundEstimate {
  const { width, height, pixels } = image;
  const band = Math.max(1, Math.round(Math.min(width, height) * bandFraction));
  const histogram = new Uint32Array(256);
  for (let y = 0; y < height; y++) {
    const edgeRow = y < band || y >= height - band;
    for (let x = 0; x < width; x++) {
      if (edgeRow || x < band || x >= width - band) histogram[pixels[y * width + x]]++;
    }
  }
  const level = histogramMedian(histogram);
  const deviations = new Uint32Array(256);
  histogram.forEach((count, v) => (deviations[Math.abs(v - level)] += count));
  return { level, noise: 1.4826 * histogramMedian(deviations) };
}

function histogramMedian(histogram: Uint32Array): number {
  const total = histogram.reduce((a, b) => a + b, 0);
  let seen = 0;
  for (let v = 0; v < histogram.length; v++) {
    seen += histogram[v];
    if (seen * 2 >= total) return v;
  }
  return histogram.length - 1;
}

export function invertGrey(image: GreyImage): GreyImage {
  return greyImage(
    image.width,
    image.height,
    image.pixels.map((v) => 255 - v),
  );
}

export interface BackgroundRemoval {
  /** Pixels differing from the background by more than `threshold`, as that difference; the rest 0. */
  image: GreyImage;
  /** Bounding box of the kept object, or undefined when nothing stands out from the background. */
  box: Box | undefined;
  /**
   * Kept pixels that themselves exceed the threshold, and the size of the largest connected piece (to
   * judge "no object found").
   */
  objectPixels: number;
  largestPiece: number;
}

/**
 * Fashion-MNIST is the negative of product photos on white, so an item's value is how far it is from the
 * background, not a binary mask. The distance is absolute: on a mid-grey backdrop, parts darker and parts
 * lighter than it are both item. Which pixels count as item is decided on a 3×3-blurred copy (so sensor
 * and JPEG noise do not decide), and connected pieces smaller than `minPieceFraction` of the largest are
 * dropped as specks, while separate large pieces (a sandal's straps) all stay.
 */
export function removeBackground(
  image: GreyImage,
  background: number,
  threshold: number,
  minPieceFraction = 0.02,
): BackgroundRemoval {
  const { width, height, pixels } = image;
  const smooth = boxBlur3(image).pixels;
  const candidate = smooth.map((v) => (Math.abs(v - background) > threshold ? 1 : 0));
  const { labels, sizes } = connectedPieces(candidate, width, height);
  const largestPiece = sizes.reduce((a, b) => Math.max(a, b), 0);
  const keep = sizes.map((size) => (size > 0 && size >= largestPiece * minPieceFraction ? 1 : 0));

  const out = new Uint8Array(width * height);
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  let objectPixels = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!keep[labels[i]]) continue;
      out[i] = Math.abs(pixels[i] - background);
      // The blur spreads a sharp edge one pixel outward; only pixels that stand out themselves set the box.
      if (out[i] <= threshold) continue;
      objectPixels++;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  const box =
    objectPixels > 0 ? { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 } : undefined;
  return { image: greyImage(width, height, out), box, objectPixels, largestPiece };
}

/**
 * 8-connected pieces of the non-zero pixels. `labels[i]` is the piece of pixel i (0 = none) and
 * `sizes[label]` its pixel count. An explicit stack instead of recursion: a piece can hold a million pixels.
 */
function connectedPieces(
  mask: Uint8Array,
  width: number,
  height: number,
): { labels: Int32Array; sizes: number[] } {
  const labels = new Int32Array(width * height);
  const sizes = [0];
  const stack = new Int32Array(width * height);
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || labels[start]) continue;
    const label = sizes.length;
    let size = 0;
    let top = 0;
    stack[top++] = start;
    labels[start] = label;
    while (top > 0) {
      const i = stack[--top];
      size++;
      const x = i % width;
      const y = (i - x) / width;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const j = ny * width + nx;
          if (nx < 0 || nx >= width || !mask[j] || labels[j]) continue;
          labels[j] = label;
          stack[top++] = j;
        }
      }
    }
    sizes.push(size);
  }
  return { labels, sizes };
}

/** 3×3 mean, edges clamped. */
function boxBlur3(image: GreyImage): GreyImage {
  const { width, height, pixels } = image;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const row = Math.min(height - 1, Math.max(0, y + dy)) * width;
        for (let dx = -1; dx <= 1; dx++)
          sum += pixels[row + Math.min(width - 1, Math.max(0, x + dx))];
      }
      out[y * width + x] = Math.round(sum / 9);
    }
  }
  return greyImage(width, height, out);
}

export function cropGrey(image: GreyImage, box: Box): GreyImage {
  const out = new Uint8Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const from = (box.y + y) * image.width + box.x;
    out.set(image.pixels.subarray(from, from + box.width), y * box.width);
  }
  return greyImage(box.width, box.height, out);
}

/** Centre the image on a black square as wide as its longer side: Fashion-MNIST's "extend" step. */
export function padToSquare(image: GreyImage): GreyImage {
  const side = Math.max(image.width, image.height);
  const left = Math.floor((side - image.width) / 2);
  const top = Math.floor((side - image.height) / 2);
  const out = new Uint8Array(side * side);
  for (let y = 0; y < image.height; y++) {
    out.set(image.pixels.subarray(y * image.width, (y + 1) * image.width), (top + y) * side + left);
  }
  return greyImage(side, side, out);
}

/**
 * Every Fashion-MNIST item's brightest pixel is 254 or 255 (the release stretched each image), so the
 * result is stretched the same way, whatever the photo's exposure. A blank image stays blank.
 */
export function stretchToFull(image: GreyImage): GreyImage {
  const max = image.pixels.reduce((a, b) => Math.max(a, b), 0);
  if (max === 0 || max === 255) return image;
  return greyImage(
    image.width,
    image.height,
    image.pixels.map((v) => Math.round((v * 255) / max)),
  );
}

/** Scale down (never up) so that the longer side is at most `maxSide`, keeping the aspect ratio. */
export function fitWithin(image: GreyImage, maxSide: number): GreyImage {
  const scale = maxSide / Math.max(image.width, image.height);
  if (scale >= 1) return image;
  return resizeGrey(
    image,
    Math.max(1, Math.round(image.width * scale)),
    Math.max(1, Math.round(image.height * scale)),
  );
}

// PIL's fixed-point precision for 8-bit resampling
// (Resample.c: 32 bits − 8 for the value − 2 for the sign and overflow).
const PRECISION_BITS = 32 - 8 - 2;

/**
 * PIL's resampling filters, as functions of the distance in (scaled) source pixels, with their reach.
 * "box" averages the source pixels each output pixel covers (sharpest without aliasing when shrinking);
 * "bilinear" is a triangle, smoother, and interpolates when enlarging where "box" would repeat pixels.
 */
const FILTERS = {
  box: { support: 0.5, weight: (x: number) => (x > -0.5 && x <= 0.5 ? 1 : 0) },
  bilinear: { support: 1, weight: (x: number) => Math.max(0, 1 - Math.abs(x)) },
} as const;

export type ResizeFilter = keyof typeof FILTERS;

/**
 * Resize exactly as PIL's `Image.resize(size, Image.BOX | Image.BILINEAR)` does, pixel for pixel: the
 * filter is widened by the reduction factor, so shrinking a 1000-px crop to 28 px weighs every source
 * pixel (plain point sampling would alias). Horizontal pass first, each pass rounded to bytes, as in PIL.
 */
export function resizeGrey(
  image: GreyImage,
  width: number,
  height: number,
  filter: ResizeFilter = "bilinear",
): GreyImage {
  let current = image;
  if (width !== image.width) current = resamplePass(current, width, true, filter);
  if (height !== image.height) current = resamplePass(current, height, false, filter);
  return current;
}

function resamplePass(
  image: GreyImage,
  size: number,
  horizontal: boolean,
  filter: ResizeFilter,
): GreyImage {
  const inSize = horizontal ? image.width : image.height;
  const { bounds, weights, span } = filterCoefficients(inSize, size, filter);
  const outWidth = horizontal ? size : image.width;
  const outHeight = horizontal ? image.height : size;
  const lines = horizontal ? image.height : image.width;
  // Stepping along a row (horizontal) or a column (vertical) of the source.
  const along = horizontal ? 1 : image.width;
  const across = horizontal ? image.width : 1;
  const outAlong = horizontal ? 1 : outWidth;
  const outAcross = horizontal ? outWidth : 1;
  const out = new Uint8Array(outWidth * outHeight);
  for (let line = 0; line < lines; line++) {
    for (let o = 0; o < size; o++) {
      const first = bounds[o * 2];
      const count = bounds[o * 2 + 1];
      let sum = 1 << (PRECISION_BITS - 1);
      for (let k = 0; k < count; k++)
        sum += image.pixels[line * across + (first + k) * along] * weights[o * span + k];
      out[line * outAcross + o * outAlong] = Math.min(
        255,
        Math.max(0, Math.floor(sum / 2 ** PRECISION_BITS)),
      );
    }
  }
  return greyImage(outWidth, outHeight, out);
}

/**
 * PIL's `precompute_coeffs` and `normalize_coeffs_8bpc`: per output pixel, the first source pixel, how
 * many, and fixed-point weights.
 */
function filterCoefficients(
  inSize: number,
  outSize: number,
  filter: ResizeFilter,
): { bounds: Int32Array; weights: Float64Array; span: number } {
  const { support: reach, weight } = FILTERS[filter];
  const scale = inSize / outSize;
  const filterScale = Math.max(1, scale);
  const support = reach * filterScale;
  const span = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Float64Array(outSize * span);
  for (let o = 0; o < outSize; o++) {
    const center = (o + 0.5) * scale;
    // PIL truncates toward zero here (a C cast), which differs from floor only below zero.
    const min = Math.max(0, Math.trunc(center - support + 0.5));
    const max = Math.min(inSize, Math.trunc(center + support + 0.5)) - min;
    const raw: number[] = [];
    for (let k = 0; k < max; k++) raw.push(weight((k + min - center + 0.5) / filterScale));
    const total = raw.reduce((a, b) => a + b, 0);
    raw.forEach((w, k) => {
      const normalised = total === 0 ? 0 : w / total;
      // Rounded half away from zero, as PIL's normalize_coeffs_8bpc does.
      weights[o * span + k] = Math.trunc(
        normalised * 2 ** PRECISION_BITS + (normalised < 0 ? -0.5 : 0.5),
      );
    });
    bounds[o * 2] = min;
    bounds[o * 2 + 1] = max;
  }
  return { bounds, weights, span };
}
