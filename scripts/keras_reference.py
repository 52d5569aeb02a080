"""The article's recipe in Keras, run here as a measured reference for the TensorFlow.js tutorial.

MiniVGGNet (CONV => RELU => BN, twice per block, two blocks, FC 512), SGD with momentum 0.9 and the
article's time-based decay (lr = 0.01 / (1 + decay * iteration), decay = 0.01 / epochs, per batch), batch 32,
validation on the test split. Uses TensorFlow from the project's pinned wheel (.venv).

    .venv/bin/python scripts/keras_reference.py [--epochs 25] [--train 60000] [--out data/keras-reference]

Writes a new `result-<date>.json` in --out (`result-<date>-2.json` and on when the day has one: never over
an earlier run), atomically after every epoch, with the accuracy after each epoch, seconds per epoch, the
versions, the date, the project's commit and the machine, and prints one line per epoch. A work tree with
uncommitted changes is refused, so that the file names code anyone can check out. Its times per
epoch are a reference only when nothing else runs on the machine meanwhile. The same data files and checks as lib/: the SHA-256 of the
decompressed IDX bytes must match the official release.
"""
import argparse
import gzip
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# As lib/tf.ts does for TensorFlow.js: TensorFlow's oneDNN kernels, which it enables by default only on some CPUs.
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# The official release's SHA-256 of each decompressed file (the same table as lib/'s loader).
FILES = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}


def data_dirs() -> list:
    explicit = os.environ.get("FASHION_MNIST_DIR")
    if explicit:
        return [Path(explicit)]
    return [ROOT / "data" / "fashion-mnist", Path("/usr/share/datasets/fashion-mnist")]


def read_verified(name: str) -> bytes:
    for directory in data_dirs():
        for path in (directory / name, directory / f"{name}.gz"):
            if path.is_file():
                raw = path.read_bytes()
                data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
                digest = hashlib.sha256(data).hexdigest()
                if digest != FILES[name]:
                    sys.exit(f"{path}: SHA-256 of the decompressed data is {digest}, expected {FILES[name]}")
                return data
    where = ", ".join(str(d) for d in data_dirs())
    sys.exit(f"{name}(.gz) not found in {where}; run `npm test` or `npm run tutorial` once to fetch the dataset")


def load_split(split: str, count: int = 0):
    """Images scaled to [0, 1] as [n, 28, 28, 1] float32 and one-hot labels, the article's preprocessing."""
    prefix = "train" if split == "train" else "t10k"
    images = np.frombuffer(read_verified(f"{prefix}-images-idx3-ubyte"), np.uint8, offset=16).reshape(-1, 28, 28, 1)
    labels = np.frombuffer(read_verified(f"{prefix}-labels-idx1-ubyte"), np.uint8, offset=8)
    if count:
        images, labels = images[:count], labels[:count]
    return images.astype(np.float32) / 255.0, np.eye(10, dtype=np.float32)[labels]


def mini_vgg(classes: int = 10):
    from keras import Sequential, layers

    def conv_relu_bn(filters):
        return [layers.Conv2D(filters, 3, padding="same", activation="relu"), layers.BatchNormalization(axis=-1)]

    return Sequential(
        [layers.Input((28, 28, 1))]
        + conv_relu_bn(32) + conv_relu_bn(32) + [layers.MaxPooling2D(2), layers.Dropout(0.25)]
        + conv_relu_bn(64) + conv_relu_bn(64) + [layers.MaxPooling2D(2), layers.Dropout(0.25)]
        + [layers.Flatten(), layers.Dense(512, activation="relu"), layers.BatchNormalization(), layers.Dropout(0.5)]
        + [layers.Dense(classes, activation="softmax")],
        name="MiniVGGNet",
    )


def article_optimizer(learning_rate: float, decay: float):
    """SGD with momentum and Keras 2's `decay`: lr / (1 + decay * iterations), which Keras 3 spells as a schedule."""
    import keras

    schedule = keras.optimizers.schedules.InverseTimeDecay(learning_rate, decay_steps=1, decay_rate=decay)
    return keras.optimizers.SGD(learning_rate=schedule, momentum=0.9)


def cpu_model() -> str:
    """The CPU's model name (platform.processor() is empty on most Linux systems)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> int:
    """The machine's memory in GiB (MemTotal), 0 where /proc/meminfo is missing."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20)
    except OSError:
        pass
    return 0


def commit() -> str:
    """The project's commit ("unknown" outside a git checkout); a work tree with uncommitted changes exits."""
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()

    try:
        changed = git("status", "--porcelain", "--", ".", ":(exclude)data/keras-reference")
        head = git("rev-parse", "--short", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    if changed:
        sys.exit(
            "the work tree has uncommitted changes: commit them first, so that the measurement names the commit "
            "it ran on"
        )
    return head


def new_dated_file(folder: Path, kind: str) -> Path:
    """`<kind>-<date>.json` in folder, or `-2`, `-3`… when taken: a new run never overwrites an earlier one."""
    date = time.strftime("%Y-%m-%d")
    n = 1
    while True:
        path = folder / f"{kind}-{date}{'' if n == 1 else f'-{n}'}.json"
        if not path.exists():
            return path
        n += 1


def write_json_atomically(path: Path, value) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(value, indent=2) + "\n")
    os.replace(tmp, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=25)
    parser.add_argument("--train", type=int, default=60000, help="training images (the first N)")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default=str(ROOT / "data" / "keras-reference"))
    args = parser.parse_args()
    head = commit()

    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(args.seed)
    x_train, y_train = load_split("train", args.train)
    x_test, y_test = load_split("test")
    model = mini_vgg()
    model.compile(
        optimizer=article_optimizer(0.01, 0.01 / args.epochs), loss="categorical_crossentropy", metrics=["accuracy"]
    )
    out = new_dated_file(Path(args.out), "result")
    result = {
        "recipe": "MiniVGGNet, SGD 0.01 momentum 0.9, time-based decay 0.01/epochs per batch, batch 32",
        "command": " ".join([".venv/bin/python", "scripts/keras_reference.py"] + sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d"),
        "commit": head,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "cores": os.cpu_count(),
        "cpu": cpu_model(),
        "memory_gib": memory_gib(),
        "train_images": len(x_train),
        "test_images": len(x_test),
        "epochs": [],
    }

    class Record(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            seconds = time.perf_counter() - self.start
            row = {"epoch": epoch + 1, "seconds": round(seconds, 2)}
            row.update({k: round(float(v), 5) for k, v in (logs or {}).items()})
            result["epochs"].append(row)
            write_json_atomically(out, result)
            print(f"epoch {epoch + 1}/{args.epochs}: {seconds:.1f} s, val_accuracy {row.get('val_accuracy')}", flush=True)

    model.fit(
        x_train, y_train, validation_data=(x_test, y_test), batch_size=args.batch, epochs=args.epochs,
        verbose=0, callbacks=[Record()],
    )
    result["test_accuracy"] = result["epochs"][-1]["val_accuracy"]
    write_json_atomically(out, result)
    print(f"test accuracy {result['test_accuracy']:.4f}; result in {out}")


if __name__ == "__main__":
    main()
