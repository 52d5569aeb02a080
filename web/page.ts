/**
 * The page `npm run web` serves: pick, drop or click a photo, see the 28×28 input the network receives and
 * its three most probable classes. Everything it loads comes from its own folder (page-info.json, the model,
 * the examples, TensorFlow.js's WebAssembly files).
 */
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { LABEL_NAMES } from "../lib/shape";
import type { GreyImage } from "../lib/photos/steps";
import { classifyPhoto, loadClassifier } from "./classify";
import type { Classified } from "./classify";

/** What `npm run web` wrote beside the page: which run the model is, and the example photos. */
interface PageInfo {
  model: string;
  examples: { file: string; caption: string }[];
}

const BACKENDS = ["webgl", "wasm", "cpu"];

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

const milliseconds = (start: number) =>
  `${Math.round(performance.now() - start).toLocaleString("en")} ms`;

/** The first backend this browser runs: WebGL where it has it, else WebAssembly, else plain JavaScript. */
async function chooseBackend(): Promise<string> {
  setWasmPaths(new URL("wasm/", document.baseURI).href);
  for (const name of BACKENDS) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // Not available in this browser: try the next.
    }
  }
  throw new Error(
    `none of the TensorFlow.js backends ${BACKENDS.join(", ")} starts in this browser`,
  );
}

function drawGrey(canvas: HTMLCanvasElement, image: GreyImage): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  if (context === null) return;
  const rgba = new ImageData(image.width, image.height);
  image.pixels.forEach((value, i) => rgba.data.set([value, value, value, 255], i * 4));
  context.putImageData(rgba, 0, 0);
}

function showResult(result: Classified, seconds: string): void {
  const input = result.photo.steps[result.photo.steps.length - 1];
  drawGrey(element<HTMLCanvasElement>("input28"), input);
  element("top3").replaceChildren(
    ...result.top3.map(({ label, probability }) => {
      const row = document.createElement("li");
      const bar = document.createElement("meter");
      bar.value = probability;
      const percent = `${(probability * 100).toFixed(1)}%`;
      row.append(`${label} `, bar, ` ${percent}`);
      return row;
    }),
  );
  element("all-classes").replaceChildren(
    ...result.probabilities.map((probability, index) => {
      const row = document.createElement("li");
      const value = document.createElement("data");
      value.value = String(probability);
      value.textContent = probability.toFixed(4);
      row.append(`${LABEL_NAMES[index]}: `, value);
      return row;
    }),
  );
  element("warnings").textContent = result.photo.warnings.join("; ");
  element("classify-time").textContent = seconds;
}

function startPage(model: tf.LayersModel, info: PageInfo): void {
  const result = element("result");
  const preview = element<HTMLImageElement>("photo");
  let previewUrl: string | undefined;

  const classify = async (file: Blob, name: string) => {
    result.dataset.state = "working";
    result.dataset.file = name;
    element("photo-name").textContent = name;
    element("error").textContent = "";
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = URL.createObjectURL(file);
    preview.src = previewUrl;
    const start = performance.now();
    try {
      showResult(await classifyPhoto(model, file, name), milliseconds(start));
      result.dataset.state = "done";
    } catch (error) {
      element("error").textContent = (error as Error).message;
      element("top3").replaceChildren();
      element("all-classes").replaceChildren();
      result.dataset.state = "error";
    }
  };

  const picker = element<HTMLInputElement>("file");
  picker.addEventListener("change", () => {
    const file = picker.files?.[0];
    if (file) void classify(file, file.name);
  });
  const drop = element("drop");
  drop.addEventListener("dragover", (event) => {
    event.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    const file = event.dataTransfer?.files[0];
    if (file) void classify(file, file.name);
  });
  element("examples").replaceChildren(
    ...info.examples.map(({ file, caption }) => {
      const button = document.createElement("button");
      button.type = "button";
      button.title = caption;
      button.dataset.example = file;
      const thumbnail = document.createElement("img");
      thumbnail.src = `examples/${file}`;
      thumbnail.alt = caption;
      button.append(thumbnail, file);
      button.addEventListener("click", async () => {
        picker.value = "";
        const response = await fetch(`examples/${file}`);
        void classify(await response.blob(), file);
      });
      return button;
    }),
  );
}

async function main(): Promise<void> {
  const status = element("status");
  try {
    const info = (await (await fetch("page-info.json")).json()) as PageInfo;
    const backend = await chooseBackend();
    const start = performance.now();
    const model = await loadClassifier();
    status.dataset.backend = backend;
    status.textContent =
      `${info.model} · TensorFlow.js ${tf.version.tfjs} on the ${backend} backend · ` +
      `model loaded in ${milliseconds(start)}`;
    startPage(model, info);
    document.body.dataset.ready = "true";
  } catch (error) {
    status.textContent = `The page could not start: ${(error as Error).message}`;
    document.body.dataset.ready = "failed";
  }
}

void main();
