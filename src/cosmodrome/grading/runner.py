"""Inside the box: execute one cleaned notebook cell by cell in a fresh kernel.

Run by the grader as ``python -m cosmodrome.grading.runner SPEC.json`` inside the
sandbox. It writes a small report (which cells raised, timed out or flooded their
output; whether the kernel died and by which signal). Everything here shares the
box with student code, so the grader treats the report as untrusted hints for
the feedback, never as a score: answers are marked outside, from the answers file
the exercises module appends to as each answer is checked.
"""

import asyncio
import json
import signal
import subprocess
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError


class _CappedClient(NotebookClient):
    """A client that keeps at most ``output_limit`` bytes of outputs in memory and
    interrupts a cell the moment it prints more."""

    output_limit = 2**21

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.output_used = 0
        self.flooded_cells = set()

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        size = len(str(content.get("text", ""))) + sum(len(str(v)) for v in content.get("data", {}).values())
        self.output_used += size
        if self.output_used > self.output_limit:
            if cell_index not in self.flooded_cells:
                self.flooded_cells.add(cell_index)
                asyncio.ensure_future(self._interrupt())
            return None
        return super().output(outs, msg, display_id, cell_index)

    async def _interrupt(self):
        try:
            res = self.km.interrupt_kernel()
            if asyncio.iscoroutine(res):
                await res
        except Exception:  # the kernel may already be gone
            pass


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
    report = {"cells": len(nb.cells), "executed": 0, "errors": [], "timeouts": [], "flooded": [],
              "kernel_died_at": None, "kernel_signal": None, "stopped_at": None}
    deadline = time.monotonic() + spec["notebook_timeout_s"]

    def write_report():
        report["flooded"] = sorted(client.flooded_cells)
        with open(spec["report"], "w") as f:
            json.dump(report, f)

    try:
        with client.setup_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            for index, cell in enumerate(nb.cells):
                if time.monotonic() > deadline:
                    report["stopped_at"] = index
                    break
                started = time.monotonic()
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    report["timeouts"].append(index)
                except DeadKernelError:
                    report["kernel_died_at"] = index
                    report["kernel_signal"] = _kernel_signal(client)
                    break
                report["executed"] = index + 1
                if time.monotonic() - started >= spec["cell_timeout_s"]:
                    report["timeouts"].append(index)
                for out in cell.get("outputs", []):
                    if out.get("output_type") == "error":
                        report["errors"].append({"cell": index, "name": str(out.get("ename"))[:100],
                                                 "value": str(out.get("evalue"))[:300]})
                write_report()
    except RuntimeError as exc:  # kernel failed to start
        report["kernel_died_at"] = report["executed"]
        report["start_error"] = str(exc)[:300]
    write_report()


if __name__ == "__main__":
    main(sys.argv[1])
