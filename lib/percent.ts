/**
 * How the tutorial writes fractions, one rounding per kind of figure, so that a number reads the same in
 * every notebook: accuracies with two decimals (93.16%, the precision a 10,000-image test set resolves),
 * differences between accuracies in points with two decimals, and every other share (a probability, a
 * class's error rate, part of a picture) with one.
 */

/** A test, validation or training accuracy: "93.16%". */
export function accuracy(fraction: number): string {
  return `${(fraction * 100).toFixed(2)}%`;
}

/** The difference between two accuracies: "+0.45 points", "−1.20 points". */
export function points(difference: number): string {
  return `${difference >= 0 ? "+" : "−"}${Math.abs(difference * 100).toFixed(2)} points`;
}

/** Any other share: "80.4%". */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}
