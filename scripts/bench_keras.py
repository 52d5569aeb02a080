"""Keras reference for scripts/bench-train.ts: the article's MiniVGGNet, optimiser and Fashion-MNIST batches.

Run with the project's Python environment (.venv/bin/python, TensorFlow from the same pinned wheel that
native TensorFlow.js links against). Training goes through `model.fit`, as the article does, one epoch over
exactly `steps` batches after a warm-up fit that builds the graph. Prints one JSON line:
{"tensorflow": version, "keras": version, "threads": n, "train": {"32": [img/s, ...]}, "infer": {"256": [...]}}.
`--eager` runs the same kernels op by op, as TensorFlow.js does (fit with run_eagerly, predictions as
plain calls), instead of as one compiled graph: a measure of what the graph itself is worth.
"""
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# As lib/tf.ts does for TensorFlow.js: TensorFlow's oneDNN kernels, which it enables by default only on some CPUs.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")

import numpy as np  # noqa: E402

from bench_common import bench_arguments, print_rates  # noqa: E402
from keras_reference import load_split, mini_vgg, article_optimizer  # noqa: E402


EAGER = False


def train_rate(x, y, batch: int, steps: int) -> float:
    import keras

    model = mini_vgg()
    model.compile(
        optimizer=article_optimizer(0.01, 0.01 / 25),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
        run_eagerly=EAGER,
    )
    model.fit(x[: 2 * batch], y[: 2 * batch], batch_size=batch, epochs=1, verbose=0, shuffle=False)  # warm-up
    n = steps * batch
    t0 = time.perf_counter()
    model.fit(x[:n], y[:n], batch_size=batch, epochs=1, verbose=0, shuffle=False)
    rate = n / (time.perf_counter() - t0)
    keras.backend.clear_session()
    return rate


def infer_rate(x, batch: int, steps: int) -> float:
    import keras

    model = mini_vgg()
    predict = (lambda batch_x: model(batch_x, training=False)) if EAGER else model.predict_on_batch
    predict(x[:batch])  # warm-up
    t0 = time.perf_counter()
    for i in range(steps):
        start = (i * batch) % (x.shape[0] - batch + 1)
        np.asarray(predict(x[start : start + batch]))
    rate = steps * batch / (time.perf_counter() - t0)
    keras.backend.clear_session()
    return rate


def main() -> None:
    global EAGER
    parser = bench_arguments(__doc__.split("\n")[0])
    parser.add_argument("--eager", action="store_true", help="run op by op instead of as a graph")
    args = parser.parse_args()
    EAGER = args.eager

    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    x, y = load_split("train", args.examples)
    versions = {"tensorflow": tf.__version__, "keras": keras.__version__, "threads": os.cpu_count(), "eager": EAGER}
    print_rates(args, versions, train_rate, infer_rate, x, y)


if __name__ == "__main__":
    main()
