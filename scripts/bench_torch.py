"""PyTorch reference for scripts/bench-train.ts: the same MiniVGGNet, optimiser and Fashion-MNIST batches.

Run with Debian's interpreter (/usr/bin/python3, which has python3-torch). Prints one JSON line:
{"torch": version, "threads": n, "train": {"32": [img/s, ...], ...}, "infer": {"256": [img/s, ...]}},
one rate per repeat.
"""
import gzip
import os
import time

import numpy as np
import torch
from torch import nn

from bench_common import bench_arguments, print_rates

DATA_DIR = "/usr/share/datasets/fashion-mnist"


def read_idx(name: str, header: int) -> np.ndarray:
    with gzip.open(os.path.join(DATA_DIR, name)) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header)


def load(count: int):
    images = read_idx("train-images-idx3-ubyte.gz", 16)[: count * 784].reshape(count, 1, 28, 28)
    labels = read_idx("train-labels-idx1-ubyte.gz", 8)[:count]
    return torch.from_numpy(images.astype(np.float32) / 255.0), torch.from_numpy(labels.astype(np.int64))


def conv_relu_bn(cin: int, cout: int):
    # Keras defaults as in lib/model/mini-vgg.ts: BN epsilon 1e-3, moving-average momentum 0.99 (= torch 0.01).
    return [nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(), nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01)]


def mini_vgg(classes: int = 10) -> nn.Module:
    return nn.Sequential(
        *conv_relu_bn(1, 32), *conv_relu_bn(32, 32), nn.MaxPool2d(2), nn.Dropout(0.25),
        *conv_relu_bn(32, 64), *conv_relu_bn(64, 64), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 512), nn.ReLU(), nn.BatchNorm1d(512, eps=1e-3, momentum=0.01),
        nn.Dropout(0.5), nn.Linear(512, classes),  # softmax is folded into the cross-entropy loss
    )


def train_rate(x, y, batch: int, steps: int) -> float:
    model = mini_vgg()
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    n = x.shape[0]

    def step(i: int):
        start = (i * batch) % (n - batch + 1)
        opt.zero_grad()
        loss = loss_fn(model(x[start:start + batch]), y[start:start + batch])
        loss.backward()
        opt.step()
        return loss.item()

    step(0)  # warm-up
    t0 = time.perf_counter()
    for i in range(1, steps + 1):
        step(i)
    return steps * batch / (time.perf_counter() - t0)


def infer_rate(x, batch: int, steps: int) -> float:
    model = mini_vgg().eval()
    with torch.no_grad():
        model(x[:batch])
        t0 = time.perf_counter()
        for i in range(steps):
            start = (i * batch) % (x.shape[0] - batch + 1)
            model(x[start:start + batch]).numpy()
        return steps * batch / (time.perf_counter() - t0)


def main() -> None:
    parser = bench_arguments(__doc__.split("\n")[0])
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    x, y = load(args.examples)
    print_rates(args, {"torch": torch.__version__, "threads": torch.get_num_threads()}, train_rate, infer_rate, x, y)


if __name__ == "__main__":
    main()
