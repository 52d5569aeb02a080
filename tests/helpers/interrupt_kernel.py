"""Interrupt a training in a real tslab kernel, as Jupyter's Interrupt button does (SIGINT to the kernel).

    .venv/bin/python tests/helpers/interrupt_kernel.py RUN_DIR

Starts the project's kernel (JUPYTER_PATH must point at .jupyter), runs a cell that trains the tests' tiny
run in RUN_DIR, interrupts the kernel after the first epoch's checkpoint, and once the cell has ended runs
the same cell again. Prints one JSON line per event for tests/training/interrupt-kernel.test.ts.
"""
import json
import sys
import time

from jupyter_client.manager import start_new_kernel

run_dir = sys.argv[1]
TRAIN_CELL = f"""
import {{ initBackend }} from "./lib/backend";
import {{ trainModel }} from "./lib/training";
import {{ syntheticSplit, TINY_PROFILE, TINY_VARIANT }} from "./tests/helpers/tiny-training";
await initBackend();
let steps = 0;
const result = await trainModel({{
  profile: {{ ...TINY_PROFILE, epochs: 4 }},
  train: syntheticSplit(48, 1),
  test: syntheticSplit(16, 2),
  runDir: {json.dumps(run_dir)},
  variant: TINY_VARIANT,
  // Slow steps, so that the interrupt lands inside the second epoch; the log says how many steps of the
  // epoch had ended when it arrived.
  onBatchEnd: () => {{
    steps++;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
  }},
  log: (line) => console.log(line.startsWith("Interrupt received") ? `${{line}} [step ${{steps % 6}}]` : line),
  onEpochEnd: (history) => console.log(`EPOCH ${{history.loss.length}}`),
}});
console.log(`RESUMED ${{result.resumedFromEpoch}} EPOCHS ${{result.history.loss.length}}`);
"""


def emit(**event):
    print(json.dumps(event), flush=True)


def run(kc, code, on_text=None, timeout=120):
    """Execute `code`; return its message id and its stdout/stderr text once the kernel is idle again."""
    msg_id = kc.execute(code)
    texts = []
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=0.1)
        except Exception:
            continue
        parent = msg["parent_header"].get("msg_id")
        content = msg["content"]
        if parent != msg_id:
            continue
        if msg["msg_type"] == "stream":
            texts.append(content["text"])
            if on_text:
                on_text(content["text"])
        if msg["msg_type"] == "status" and content["execution_state"] == "idle":
            return msg_id, "".join(texts)
    raise TimeoutError(f"no answer within {timeout} s")


km, kc = start_new_kernel(kernel_name="fashion-mnist-tslab", startup_timeout=120)
try:
    interrupted = False

    def interrupt_after_first_epoch(text):
        global interrupted
        if "EPOCH 1" in text and not interrupted:
            time.sleep(0.3)  # into the second epoch
            interrupted = True
            km.interrupt_kernel()

    _, first = run(kc, TRAIN_CELL, interrupt_after_first_epoch)
    emit(event="first cell", output=first, alive=km.is_alive())
    with open(f"{run_dir}/checkpoint/state.json") as f:
        emit(event="checkpoint", epochs=len(json.load(f)["history"]["loss"]))
    # The training has stopped by the time its cell ends, so the cell can run again at once: only tslab's
    # own pause after any failed cell (it drops requests for 200 ms, execQueue.reset(200)) comes first.
    time.sleep(0.3)
    emit(event="second cell", output=run(kc, TRAIN_CELL)[1])
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
