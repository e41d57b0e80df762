"""Speed of the physics core. Run: .venv/bin/python benchmarks/bench_core.py

Prints figures and ratios; nothing is asserted (shared machines are noisy).
Goal from issue 2: Kepler's equation for 1e6 anomalies in under 0.5 s.
"""

import statistics
import subprocess
import sys
import time

import numpy as np


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def main():
    code = ("import time; t=time.perf_counter(); "
            "import cosmodrome.sites, cosmodrome.vehicles, cosmodrome.orbits, cosmodrome.atmosphere; "
            "print(time.perf_counter()-t)")
    imports = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
               for _ in range(5)]
    print(f"import cosmodrome (physics modules): best {min(imports) * 1e3:.0f} ms, "
          f"median {statistics.median(imports) * 1e3:.0f} ms")

    from cosmodrome import atmosphere, orbits

    rng = np.random.default_rng(0)
    m = rng.uniform(0, 2 * np.pi, 1_000_000)
    e = rng.uniform(0, 0.99, m.size)
    best, med = best_of(lambda: orbits.eccentric_anomaly_rad(m, e))
    print(f"Kepler (elliptic), 1e6 anomalies: best {best:.3f} s, median {med:.3f} s "
          f"({m.size / best / 1e6:.1f} M/s; goal < 0.5 s)")

    small = 2000
    t0 = time.perf_counter()
    for k in range(small):
        orbits.eccentric_anomaly_rad(m[k], e[k])
    loop = (time.perf_counter() - t0) / small
    print(f"  one at a time in a Python loop: {loop * 1e6:.1f} us each "
          f"-> vectorized is {loop * m.size / best:.0f}x faster")

    mh = rng.uniform(-20, 20, 1_000_000)
    eh = rng.uniform(1.01, 5, mh.size)
    best, _ = best_of(lambda: orbits.hyperbolic_anomaly_rad(mh, eh), 3)
    print(f"Kepler (hyperbolic), 1e6 anomalies: best {best:.3f} s")

    t0 = time.perf_counter()
    atmosphere.properties(300e3)
    print(f"atmosphere above 86 km, first call (the standard's number densities integrated once): "
          f"{(time.perf_counter() - t0) * 1e3:.0f} ms")
    z = rng.uniform(-5e3, 1e6, 1_000_000)
    best, _ = best_of(lambda: atmosphere.properties(z), 3)
    print(f"atmosphere.properties, 1e6 altitudes: best {best:.3f} s ({z.size / best / 1e6:.1f} M evaluations/s)")
    for label, lo, hi in (("below 86 km", -5e3, 86e3), ("86-1000 km", 86e3, 1e6)):
        zr = rng.uniform(lo, hi, 1_000_000)
        best, _ = best_of(lambda zr=zr: atmosphere.properties(zr), 3)
        print(f"  {label}, 1e6 altitudes: best {best:.3f} s ({zr.size / best / 1e6:.1f} M evaluations/s)")
    t0 = time.perf_counter()
    for k in range(small):
        atmosphere.properties(z[k])
    loop = (time.perf_counter() - t0) / small
    print(f"  scalar calls: {1 / loop:,.0f} evaluations/s ({loop * 1e6:.0f} us each) "
          f"-> batch is {loop * z.size / best:.0f}x faster per point")


if __name__ == "__main__":
    main()
