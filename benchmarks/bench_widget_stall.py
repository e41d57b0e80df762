"""Do widget cells stall the grader? Run: .venv/bin/python benchmarks/bench_widget_stall.py [N] [--loud]

Runs the lessons' slider cell (``ipywidgets.interact`` over two FloatSliders)
N times (default 200), each in a fresh kernel started by the grader's runner
(``cosmodrome.grading.runner``, the same client and start-up file a graded
notebook gets), two at a time with a third process keeping a core busy, as a
class being graded on a shared machine does. A run whose widget cell takes
longer than STALL_S counts as a stall (the cell limit here is CELL_S). Prints
the stalls and the cell's time (median, max).

``--loud`` runs the same cells without the grader's quiet widget comms (the
start-up file is written without them), which is how the stall was seen: on
this 2-core machine about 4 runs in 100 stalled for the whole cell limit,
with or without the sandbox (nbclient's own open issue #312).
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import nbformat

from cosmodrome.grading import runner

CELL_S = 8
STALL_S = 5.0
SLIDERS = """from ipywidgets import FloatSlider, interact
from cosmodrome import propulsion

def rocket(isp_s=330.0, mass_ratio=6.0):
    dv = propulsion.delta_v_m_s(isp_s, mass_ratio, 1.0)
    print(f"Isp {isp_s:.0f} s, m0/mf = {mass_ratio:.1f}: delta-v = {float(dv):,.0f} m/s")

interact(rocket, isp_s=FloatSlider(min=200, max=460, step=5, value=330),
         mass_ratio=FloatSlider(min=1.1, max=25, step=0.1, value=6.0));"""
MARK = "import time as _t; _t0 = _t.monotonic()"
STOP = "print('CELL_SECONDS', _t.monotonic() - _t0)"


def one_run(loud):
    """Seconds the slider cell took in a fresh kernel (the runner's own timing)."""
    with tempfile.TemporaryDirectory() as scratch:
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell(MARK), nbformat.v4.new_code_cell(SLIDERS),
                    nbformat.v4.new_code_cell(STOP)]
        path = os.path.join(scratch, "nb.ipynb")
        nbformat.write(nb, path)
        ipython = os.path.join(scratch, ".ipython")
        runner.install_output_cap(ipython, 2**20)
        if loud:                                   # the start-up file without the quiet comms
            start = os.path.join(ipython, "profile_default", "startup", "00-cosmodrome-grader.py")
            text = open(start).read()
            open(start, "w").write(text.split("# No one watches widgets")[0])
        report = tempfile.TemporaryFile()
        spec = os.path.join(scratch, "spec.json")
        with open(spec, "w") as f:
            json.dump({"notebook": path, "workdir": scratch, "report_fd": report.fileno(), "cell_timeout_s": CELL_S,
                       "notebook_timeout_s": 60, "output_bytes": 2**20}, f)
        env = dict(os.environ, IPYTHONDIR=ipython, MPLBACKEND="Agg")
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-m", "cosmodrome.grading.runner", spec], env=env, pass_fds=(report.fileno(),),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        took = time.monotonic() - t0
        rep = json.loads(os.pread(report.fileno(), 2**20, 0) or b"{}")
        return took, bool(rep.get("timeouts"))


def main():
    n = int(next((a for a in sys.argv[1:] if a.isdigit()), 200))
    loud = "--loud" in sys.argv
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    results = []
    try:
        with ThreadPoolExecutor(2) as pool:
            for took, timed_out in pool.map(lambda _: one_run(loud), range(n)):
                results.append((took, timed_out))
                if len(results) % 20 == 0:
                    print(f"  {len(results)} runs, {sum(t for _, t in results)} stalled", flush=True)
    finally:
        hog.kill()
    stalls = sum(1 for took, timed_out in results if timed_out)
    times = [took for took, _ in results]
    print(f"{'loud' if loud else 'quiet'} widget comms: {stalls} of {n} runs stalled (cell limit {CELL_S} s); "
          f"run time median {statistics.median(times):.2f} s, max {max(times):.2f} s")


if __name__ == "__main__":
    main()
