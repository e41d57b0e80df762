"""Inside the box: execute one cleaned notebook cell by cell in a fresh kernel.

Run by the grader as ``python -m cosmodrome.grading.runner SPEC.json`` inside the
sandbox. It writes a small report (which cells raised, timed out or flooded their
output, or were cut short by the notebook's time budget; whether the kernel died
and by which signal) to a descriptor the grader opened before the run (an unlinked
file: nothing in the box can swap it for a link or a FIFO). Everything here shares the
box with student code, so the grader treats the report as untrusted hints for
the feedback, never as a score: answers are marked outside, from the answers file
the exercises module appends to as each answer is checked.
"""

import json
import math
import os
import signal
import subprocess
import sys
import time
from typing import Any

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError


class _CappedClient(NotebookClient):
    """A client that keeps no output past ``output_limit`` bytes per cell (the grader
    never needs the outputs; this keeps a flood from filling the runner's memory)
    and notes the cells that printed more. The cell time limit stops the flood."""

    output_limit = 2**21

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.cell_output = {}
        self.flooded_cells = set()

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(str(content.get("text", ""))) + sum(len(str(v)) for v in content.get("data", {}).values())
        used = self.cell_output.get(cell_index, 0) + size
        self.cell_output[cell_index] = used
        if used > self.output_limit:
            self.flooded_cells.add(cell_index)
            return None
        return super().output(outs, msg, display_id, cell_index)


FLOOD_NOTE = "[cosmodrome grader: this cell's output passed the limit; the rest is dropped]"

QUIET_COMMS = """
# No one watches widgets when notebooks run unattended (the grader, the lesson tests):
# a widget's comm messages go nowhere. With them, a cell that builds widgets (ipywidgets.interact) sometimes stalls
# for the whole cell limit (seen in about 4 of 100 runs under load, also with plain
# nbclient outside the sandbox); with quiet comms, none did. Widgets are still
# built and interact still calls its function once with the starting values.
try:
    import comm as _comm
    from comm.base_comm import BaseComm as _BaseComm

    class _QuietComm(_BaseComm):
        def publish_msg(self, *args, **kwargs):
            pass

    _comm.create_comm = lambda *args, **kwargs: _QuietComm(*args, **kwargs)
except Exception:
    pass
"""

# Installed as an IPython start-up file in the box: caps what each cell may print
# (a print loop then costs nothing instead of gigabytes through the kernel's
# output buffer). Student code runs after it and could undo it; the runner's own
# cap and the cell time limit are the backstop.
_STARTUP = """
import sys as _sys

class _CappedStream:
    def __init__(self, stream, limit):
        self._stream, self._limit, self.used, self.told = stream, limit, 0, False

    def write(self, text):
        n = len(text)
        if self.used + n > self._limit:
            if not self.told:
                self.told = True
                self._stream.write("\\n" + {note!r} + "\\n")
            return n
        self.used += n
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)

_sys.stdout = _CappedStream(_sys.stdout, {limit})
_sys.stderr = _CappedStream(_sys.stderr, {limit})

def _reset_caps(*args):
    for s in (_sys.stdout, _sys.stderr):
        if isinstance(s, _CappedStream):
            s.used, s.told = 0, False

get_ipython().events.register("pre_run_cell", _reset_caps)
del _reset_caps

{quiet}"""


def install_output_cap(ipython_dir, limit):
    """Write the start-up file that caps each cell's printed output at ``limit`` characters."""
    path = os.path.join(ipython_dir, "profile_default", "startup")
    os.makedirs(path, exist_ok=True)
    with open(os.path.join(path, "00-cosmodrome-grader.py"), "w") as f:
        f.write(_STARTUP.format(note=FLOOD_NOTE, limit=int(limit), quiet=QUIET_COMMS))


def _kernel_signal(client):
    """The signal that killed the kernel, if it was killed by one."""
    try:
        proc = client.km.provisioner.process
        rc = proc.poll()
    except Exception:
        return None
    if rc is not None and rc < 0:
        try:
            return signal.Signals(-rc).name
        except ValueError:
            return f"signal {-rc}"
    return None


def main(spec_path):
    with open(spec_path) as f:
        spec = json.load(f)
    nb = nbformat.read(spec["notebook"], as_version=4)
    client = _CappedClient(nb, timeout=spec["cell_timeout_s"], allow_errors=True,
                           interrupt_on_timeout=True, kernel_name="python3", startup_timeout=120,
                           shutdown_kernel="immediate",
                           record_timing=False, resources={"metadata": {"path": spec["workdir"]}})
    client.output_limit = spec["output_bytes"]
    report: dict[str, Any] = {"cells": len(nb.cells), "executed": 0, "errors": [], "timeouts": [], "budget_cut": [],
              "flooded": [], "kernel_died_at": None, "kernel_signal": None, "stopped_at": None}
    deadline = time.monotonic() + spec["notebook_timeout_s"]
    fd = spec["report_fd"]

    def write_report():
        report["flooded"] = sorted(client.flooded_cells)
        data = json.dumps(report).encode()
        os.ftruncate(fd, 0)
        os.pwrite(fd, data, 0)

    try:
        with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            for index, cell in enumerate(nb.cells):
                left = deadline - time.monotonic()
                if left < 0.5:
                    report["stopped_at"] = index
                    break
                budget = left < spec["cell_timeout_s"]       # the notebook's remaining time is the tighter limit
                client.timeout = max(1, math.ceil(min(spec["cell_timeout_s"], left)))
                started = time.monotonic()
                timed_out = False
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    timed_out = True
                except DeadKernelError:
                    report["kernel_died_at"] = index
                    report["kernel_signal"] = _kernel_signal(client)
                    break
                report["executed"] = index + 1
                if timed_out or time.monotonic() - started >= client.timeout:
                    report["budget_cut" if budget else "timeouts"].append(index)
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "stream" and FLOOD_NOTE in str(out.get("text", "")):
                        client.flooded_cells.add(index)
                    if out.get("output_type") == "error":
                        report["errors"].append({"cell": index, "name": str(out.get("ename"))[:100],
                                                 "value": str(out.get("evalue"))[:300]})
                write_report()
    except RuntimeError as exc:  # kernel failed to start
        report["kernel_died_at"] = report["executed"]
        report["start_error"] = str(exc)[:300]
    report["finished"] = True
    write_report()


if __name__ == "__main__":
    main(sys.argv[1])
