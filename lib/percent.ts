/**
 * How the tutorial writes fractions, one rounding per kind of figure, so that a number reads the same in
 * every notebook: accuracies with two decimals (93.16%, the precision a 10,000-image test set resolves),
 * and every other share (a probability, a class's error rate, part of a picture) with one.
 */

/** A test, validation or training accuracy: "93.16%". */
export function accuracy(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/** Any other share: "80.4%". */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
