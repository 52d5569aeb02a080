/** The most probable classes of one answer, in Node and in the web page alike. */

export interface Ranked {
  classIndex: number;
  probability: number;
}

/** The k most probable classes, most probable first. */
export function topK(probabilities: number[], k: number): Ranked[] {
  return probabilities
    .map((probability, classIndex) => ({ classIndex, probability }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}
