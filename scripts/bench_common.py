"""What scripts/bench_keras.py and scripts/bench_torch.py share: their command line and the one JSON line
they print for scripts/bench-train.ts. Standard library only: the two run under different Pythons."""
import argparse
import json


def bench_arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--train-batches", default="32,128")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--infer-batch", type=int, default=256)
    parser.add_argument("--infer-steps", type=int, default=10)
    parser.add_argument("--examples", type=int, default=4096)
    parser.add_argument("--repeats", type=int, default=1)
    return parser


def print_rates(args, versions: dict, train_rate, infer_rate, x, y) -> None:
    """Measure training at each batch size and inference, `repeats` times each, and print one JSON line:
    {**versions, "train": {"32": [img/s, ...]}, "infer": {"256": [...]}}."""
    batches = [int(b) for b in args.train_batches.split(",") if b]
    result = {
        **versions,
        "train": {str(b): [train_rate(x, y, b, args.steps) for _ in range(args.repeats)] for b in batches},
        "infer": {
            str(args.infer_batch): [infer_rate(x, args.infer_batch, args.infer_steps) for _ in range(args.repeats)]
        },
    }
    print(json.dumps(result))
