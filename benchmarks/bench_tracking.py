"""Speed of tracking with skyfield. Run: .venv/bin/python benchmarks/bench_tracking.py

Prints ground-track points per second for one satellite over a day at 10 s
steps (with a fresh Time array and with one re-used, the difference
../shared/NOTES.md measured), and the time to find every pass of 10
satellites over one place in a week.
"""

import time

from cosmodrome import tracking


def main():
    sat = tracking.satellite("malligyong-1")
    tracking.ground_track(sat, tracking.times((2024, 6, 6), 600, 10))  # warm up
    t0 = time.perf_counter()
    t = tracking.times((2024, 6, 6), 86400, 10)
    tracking.ground_track(sat, t)
    fresh = time.perf_counter() - t0
    t0 = time.perf_counter()
    tracking.ground_track(sat, t)
    reused = time.perf_counter() - t0
    n = len(t)
    print(f"ground track, 1 day at 10 s ({n} points): {fresh * 1e3:.0f} ms with a new Time array "
          f"({n / fresh:,.0f} points/s), {reused * 1e3:.0f} ms re-using it ({n / reused:,.0f} points/s); "
          f"ratio {fresh / reused:.1f}x")
    from skyfield.api import wgs84  # the anchor: plain skyfield, a new Time array, same run
    t0 = time.perf_counter()
    t2 = tracking.times((2024, 6, 7), 86400, 10)
    wgs84.geographic_position_of(sat.at(t2))
    anchor = time.perf_counter() - t0
    print(f"   anchor: plain skyfield (wgs84.geographic_position_of(sat.at(t))), new times: {anchor * 1e3:.0f} ms; "
          f"cosmodrome is {anchor / fresh:.1f}x faster (issue 19: at most 30 ms)")

    keys = tracking.known_satellites()
    sats = [tracking.satellite(k) for k in keys]
    while len(sats) < 10:
        sats += [tracking.satellite(k) for k in keys][: 10 - len(sats)]
    ts = tracking.timescale()
    t0 = time.perf_counter()
    total = 0
    for s in sats:
        start = s.epoch
        total += len(tracking.passes(s, 39.02, 125.74, start, ts.tt_jd(start.tt + 7)))
    dt = time.perf_counter() - t0
    print(f"passes of 10 satellites over Pyongyang in a week (each from its own epoch, with sunlight): "
          f"{dt:.2f} s, {total} passes ({dt / 10 * 1e3:.0f} ms per satellite-week)")


if __name__ == "__main__":
    main()
