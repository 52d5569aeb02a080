/**
 * Classification metrics that reproduce scikit-learn 1.2's `confusion_matrix` and
 * `classification_report(y_true, y_pred, labels=range(numClasses), target_names=...)` exactly,
 * so the notebook's numbers can be compared line for line with a Python reference run.
 *
 * Exactness matters in two places that a naive port gets wrong:
 *  - Averages use NumPy's pairwise summation order, because a last-bit difference can flip how a
 *    value lying on a rounding boundary (e.g. a macro average of exactly 0.375) is printed.
 *  - Python's `{:.2f}` rounds exact ties to even, while `Number.prototype.toFixed` rounds them up.
 */
import { escapeHtml } from "../html";

/** One row of the report. `support` counts the samples whose true label is the row's class. */
export interface MetricRow {
  precision: number;
  recall: number;
  f1Score: number;
  support: number;
}

export interface ClassificationMetrics {
  /** Indexed by class id, 0 ... numClasses - 1. */
  classes: MetricRow[];
  /**
   * Fraction of correct predictions, or null when scikit-learn would print a "micro avg" row
   * instead of "accuracy": that happens when some class appears in neither yTrue nor yPred, or
   * when a label outside 0 ... numClasses - 1 appears, since the micro average over the listed
   * classes is then no longer the accuracy.
   */
  accuracy: number | null;
  microAvg: MetricRow;
  macroAvg: MetricRow;
  weightedAvg: MetricRow;
  /**
   * Samples whose predicted label equals the true one, including labels outside the classes.
   * When it is 0, scikit-learn's counts come out as floats and it prints supports as "12.0".
   */
  agreements: number;
}

/** What a ratio with a zero denominator becomes; scikit-learn's default "warn" behaves like 0. */
export type ZeroDivision = 0 | 1;

export interface MetricsOptions {
  zeroDivision?: ZeroDivision;
}

export interface ReportOptions extends MetricsOptions {
  /** Decimal places, as in scikit-learn (default 2). */
  digits?: number;
}

// scikit-learn sizes the name column to fit its longest fixed heading.
const LONGEST_AVERAGE_HEADING = "weighted avg";
const HEADERS = ["precision", "recall", "f1-score", "support"] as const;
const COLUMN_WIDTH = 9;

function checkLabels(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(`yTrue has ${yTrue.length} labels but yPred has ${yPred.length}`);
  }
  for (const [name, labels] of [
    ["yTrue", yTrue],
    ["yPred", yPred],
  ] as const) {
    for (let i = 0; i < labels.length; i++) {
      // scikit-learn treats non-integral labels as regression targets and refuses them.
      if (!Number.isInteger(labels[i])) {
        throw new TypeError(`${name}[${i}] = ${labels[i]} is not an integer class label`);
      }
    }
  }
}

function checkNumClasses(numClasses: number): void {
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new RangeError(`numClasses must be a positive integer, got ${numClasses}`);
  }
}

/**
 * Counts of (true class, predicted class) pairs: rows are true classes, columns predicted ones.
 * Samples with either label outside 0 ... numClasses - 1 are left out, as scikit-learn does when
 * given `labels`.
 */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
): number[][] {
  checkNumClasses(numClasses);
  checkLabels(yTrue, yPred);
  const matrix = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  const inRange = (label: number): boolean => label >= 0 && label < numClasses;
  for (let i = 0; i < yTrue.length; i++) {
    if (inRange(yTrue[i]) && inRange(yPred[i])) matrix[yTrue[i]][yPred[i]]++;
  }
  return matrix;
}

/**
 * NumPy's pairwise summation (`np.add.reduce` on a contiguous float64 array), which determines
 * the exact bits of `np.mean` and `np.average`.
 */
function numpySum(values: readonly number[], start = 0, end = values.length): number {
  const n = end - start;
  if (n < 8) {
    let sum = 0;
    for (let i = start; i < end; i++) sum += values[i];
    return sum;
  }
  const BLOCK = 128;
  if (n <= BLOCK) {
    const r = values.slice(start, start + 8);
    let i = start + 8;
    for (; i < end - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j] += values[i + j];
    }
    let sum = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < end; i++) sum += values[i];
    return sum;
  }
  // Split near the middle, but on a multiple of the unroll factor, exactly as NumPy does.
  let half = Math.floor(n / 2);
  half -= half % 8;
  return numpySum(values, start, start + half) + numpySum(values, start + half, end);
}

function ratio(numerator: number, denominator: number, zeroDivision: ZeroDivision): number {
  return denominator === 0 ? zeroDivision : numerator / denominator;
}

/** F1 evaluated in scikit-learn's operation order, `(1 + beta²) * p * r / (beta² * p + r)`. */
function f1(precision: number, recall: number): number {
  const denominator = precision + recall;
  return (2 * precision * recall) / (denominator === 0 ? 1 : denominator);
}

interface Counts {
  truePositives: number;
  predicted: number;
  actual: number;
}

function rowFromCounts(counts: Counts, zeroDivision: ZeroDivision): MetricRow {
  const precision = ratio(counts.truePositives, counts.predicted, zeroDivision);
  const recall = ratio(counts.truePositives, counts.actual, zeroDivision);
  return { precision, recall, f1Score: f1(precision, recall), support: counts.actual };
}

function mean(values: readonly number[]): number {
  return numpySum(values) / values.length;
}

function weightedAverage(
  rows: readonly MetricRow[],
  predictedTotal: number,
  zeroDivision: ZeroDivision,
): MetricRow {
  const totalSupport = numpySum(rows.map((row) => row.support));
  if (totalSupport === 0) {
    // np.average cannot normalise zero weights, so scikit-learn special-cases this: precision
    // and F1 are only ill-defined (rather than 0) if nothing was predicted either.
    const undefinedScore = predictedTotal === 0 ? zeroDivision : 0;
    return { precision: undefinedScore, recall: zeroDivision, f1Score: undefinedScore, support: 0 };
  }
  const average = (metric: (row: MetricRow) => number): number =>
    numpySum(rows.map((row) => metric(row) * row.support)) / totalSupport;
  return {
    precision: average((row) => row.precision),
    recall: average((row) => row.recall),
    f1Score: average((row) => row.f1Score),
    support: totalSupport,
  };
}

/**
 * Per-class precision, recall, F1 and support plus the averages of scikit-learn's report, with
 * every number bit-identical to `precision_recall_fscore_support(labels=range(numClasses))`.
 */
export function classificationMetrics(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  numClasses: number,
  options: MetricsOptions = {},
): ClassificationMetrics {
  checkNumClasses(numClasses);
  checkLabels(yTrue, yPred);
  const zeroDivision = options.zeroDivision ?? 0;

  const counts: Counts[] = Array.from({ length: numClasses }, () => ({
    truePositives: 0,
    predicted: 0,
    actual: 0,
  }));
  const seen = new Set<number>();
  let agreements = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    seen.add(t).add(p);
    if (t === p) agreements++;
    if (t >= 0 && t < numClasses) {
      counts[t].actual++;
      if (t === p) counts[t].truePositives++;
    }
    if (p >= 0 && p < numClasses) counts[p].predicted++;
  }
  // Only when every sample and every class take part does the micro average equal accuracy.
  const microIsAccuracy =
    seen.size === numClasses && [...seen].every((label) => label >= 0 && label < numClasses);

  const classes = counts.map((c) => rowFromCounts(c, zeroDivision));
  const sumOf = (key: keyof Counts): number => counts.reduce((sum, c) => sum + c[key], 0);
  const totals: Counts = {
    truePositives: sumOf("truePositives"),
    predicted: sumOf("predicted"),
    actual: sumOf("actual"),
  };
  const microAvg = rowFromCounts(totals, zeroDivision);
  const totalSupport = microAvg.support;
  const macroAvg: MetricRow = {
    precision: mean(classes.map((row) => row.precision)),
    recall: mean(classes.map((row) => row.recall)),
    f1Score: mean(classes.map((row) => row.f1Score)),
    support: totalSupport,
  };
  return {
    classes,
    // scikit-learn's output_dict reports the micro precision as "accuracy".
    accuracy: microIsAccuracy ? microAvg.precision : null,
    microAvg,
    macroAvg,
    weightedAvg: weightedAverage(classes, totals.predicted, zeroDivision),
    agreements,
  };
}

/**
 * `value` with `digits` decimals, as Python's `format(value, ".{digits}f")` writes it. toFixed is
 * correctly rounded too, except that it breaks exact ties upwards where Python picks the even
 * digit. A double lies exactly halfway between two d-decimal numbers iff value * 2^(d+1) is an odd
 * integer (the halfway point (2k+1) / (2^(d+1) 5^d) is only a double when 5^d divides 2k+1). An
 * odd last digit after rounding up can then be lowered by one without borrowing.
 */
export function formatFixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  const scaled = value * Math.pow(2, digits + 1);
  if (!Number.isInteger(scaled) || Math.abs(scaled % 2) !== 1) return text;
  const last = Number(text[text.length - 1]);
  return last % 2 === 0 ? text : text.slice(0, -1) + String(last - 1);
}

function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 0 || digits > 100) {
    throw new RangeError(`digits must be an integer from 0 to 100, got ${digits}`);
  }
}

/** Python's str.format pads by code points, so an emoji in a class name counts once. */
function padStart(text: string, width: number): string {
  const length = Array.from(text).length;
  return length >= width ? text : " ".repeat(width - length) + text;
}

interface ReportLine {
  heading: string;
  /** Null cells are left blank, as in the "accuracy" row. */
  cells: [string | null, string | null, string, string];
}

function reportLines(
  metrics: ClassificationMetrics,
  targetNames: readonly string[],
  digits: number,
): {
  classLines: ReportLine[];
  averageLines: ReportLine[];
} {
  checkDigits(digits);
  if (targetNames.length !== metrics.classes.length) {
    throw new RangeError(
      `${targetNames.length} target names given for ${metrics.classes.length} classes`,
    );
  }
  const number = (value: number): string => formatFixed(value, digits);
  const support = (value: number): string =>
    metrics.agreements === 0 ? value.toFixed(1) : String(value);
  const line = (heading: string, row: MetricRow): ReportLine => ({
    heading,
    cells: [number(row.precision), number(row.recall), number(row.f1Score), support(row.support)],
  });
  const firstAverage: ReportLine =
    metrics.accuracy === null
      ? line("micro avg", metrics.microAvg)
      : {
          heading: "accuracy",
          cells: [null, null, number(metrics.microAvg.f1Score), support(metrics.microAvg.support)],
        };
  return {
    classLines: metrics.classes.map((row, i) => line(targetNames[i], row)),
    averageLines: [
      firstAverage,
      line("macro avg", metrics.macroAvg),
      line(LONGEST_AVERAGE_HEADING, metrics.weightedAvg),
    ],
  };
}

/** Render metrics as scikit-learn's `classification_report` text. */
export function formatReport(
  metrics: ClassificationMetrics,
  targetNames: readonly string[],
  digits = 2,
): string {
  const { classLines, averageLines } = reportLines(metrics, targetNames, digits);
  const nameWidth = Math.max(...targetNames.map((name) => Array.from(name).length));
  const width = Math.max(nameWidth, LONGEST_AVERAGE_HEADING.length, digits);
  const render = (heading: string, cells: readonly (string | null)[]): string =>
    padStart(heading, width) +
    " " +
    cells.map((cell) => " " + padStart(cell ?? "", COLUMN_WIDTH)).join("");
  const block = (lines: ReportLine[]): string =>
    lines.map((l) => render(l.heading, l.cells) + "\n").join("");
  return render("", HEADERS) + "\n\n" + block(classLines) + "\n" + block(averageLines);
}

/**
 * The same text as scikit-learn's
 * `classification_report(yTrue, yPred, labels=range(len(targetNames)), target_names=targetNames)`.
 */
export function classificationReport(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  targetNames: readonly string[],
  options: ReportOptions = {},
): string {
  const metrics = classificationMetrics(yTrue, yPred, targetNames.length, options);
  return formatReport(metrics, targetNames, options.digits ?? 2);
}

/**
 * The report as a standalone HTML table for Jupyter's inline display. Styles are inline because
 * notebook viewers strip <style> blocks and external resources.
 */
export function reportToHtml(
  metrics: ClassificationMetrics,
  targetNames: readonly string[],
  digits = 2,
): string {
  const { classLines, averageLines } = reportLines(metrics, targetNames, digits);
  const cellStyle = "padding:2px 10px;text-align:right;font-variant-numeric:tabular-nums";
  const cell = (tag: "th" | "td", content: string, extraStyle = ""): string =>
    `<${tag} style="${cellStyle}${extraStyle}">${escapeHtml(content)}</${tag}>`;
  const row = (l: ReportLine, extraStyle = ""): string =>
    `<tr>${cell("th", l.heading, extraStyle)}${l.cells.map((c) => cell("td", c ?? "", extraStyle)).join("")}</tr>`;
  const headings = HEADERS.map((h) => cell("th", h, ";border-bottom:1px solid #999")).join("");
  const head = `<thead><tr>${cell("th", "")}${headings}</tr></thead>`;
  const separator = ";border-top:1px solid #999";
  const body = [
    ...classLines.map((l) => row(l)),
    ...averageLines.map((l, i) => row(l, i === 0 ? separator : "")),
  ].join("");
  return `<table style="border-collapse:collapse;font-family:monospace">${head}<tbody>${body}</tbody></table>`;
}
