/**
 * Getting more out of trained models at test time, without training them further: average a model's
 * answers on each test image and on its mirror image (test-time augmentation — fair only for a model
 * that was trained on such copies too), and average the answers of several models
 * (an ensemble). Both only change how the softmax outputs are combined.
 */
import type { LayersModel, Tensor, Tensor4D } from "@tensorflow/tfjs";
import { tf } from "../backend";
import { accuracy, readPredictions } from "./predict";
import type { Predictions } from "./predict";

export interface Member {
  model: LayersModel;
  /** Also show the model each test image mirrored left–right, and count both answers. */
  mirror: boolean;
}

/** The views a member asks for: the images as they are, and mirrored when it says so. */
const viewsOf = ({ mirror }: Member): boolean[] => (mirror ? [false, true] : [false]);

/**
 * The models' answers on views of one set of test images, each predicted once however many combinations
 * count it: predictions are the slow part, so trying another combination of the same models and views is
 * almost free.
 */
class TestAnswers {
  private readonly answers = new Map<LayersModel, Map<boolean, Predictions>>();

  constructor(
    private readonly x: Tensor4D,
    private readonly batchSize = 256,
  ) {}

  async of(model: LayersModel, mirrored: boolean): Promise<Predictions> {
    let byView = this.answers.get(model);
    if (byView === undefined) {
      byView = new Map<boolean, Predictions>();
      this.answers.set(model, byView);
    }
    let answer = byView.get(mirrored);
    if (answer === undefined) {
      const probabilities = tf.tidy(() => {
        const view = mirrored ? (tf.reverse(this.x, 2) as Tensor4D) : this.x;
        return model.predict(view, { batchSize: this.batchSize }) as Tensor;
      });
      answer = await readPredictions(probabilities);
      byView.set(mirrored, answer);
    }
    return answer;
  }
}

/** The class probabilities averaged over the members' answers (one per view each member asks for). */
export async function predictCombined(
  members: Member[],
  x: Tensor4D,
  answers = new TestAnswers(x),
): Promise<Predictions> {
  if (members.length === 0) throw new Error("predictCombined needs at least one model");
  const all: Predictions[] = [];
  for (const member of members) {
    for (const mirrored of viewsOf(member)) all.push(await answers.of(member.model, mirrored));
  }
  const { numClasses } = all[0];
  const probabilities = new Float32Array(all[0].probabilities.length);
  for (const answer of all) {
    answer.probabilities.forEach((p, i) => (probabilities[i] += p / all.length));
  }
  return readPredictions(
    tf.tensor2d(probabilities, [probabilities.length / numClasses, numClasses]),
  );
}

export interface Combination {
  name: string;
  members: Member[];
}

export interface CombinationResult {
  name: string;
  accuracy: number;
}

/** Each combination's accuracy on the test images; a model's answer on a view is predicted only once. */
export async function evaluateCombinations(
  combinations: Combination[],
  x: Tensor4D,
  labels: ArrayLike<number>,
): Promise<CombinationResult[]> {
  const answers = new TestAnswers(x);
  const results: CombinationResult[] = [];
  for (const { name, members } of combinations) {
    const { classes } = await predictCombined(members, x, answers);
    results.push({ name, accuracy: accuracy(labels, classes) });
  }
  return results;
}
