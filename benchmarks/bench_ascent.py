"""Speed of the ascent simulator. Run: .venv/bin/python benchmarks/bench_ascent.py

Prints the median time of one full flight to orbit (goal from issue 3: under
50 ms so a notebook slider feels live) for each reference flight, with the
pitch-over kick given, and the cost of letting the mission planner choose the
kick (which flies every candidate once, then caches)."""

import statistics
import time

from cosmodrome import ascent, vehicles


def main():
    for key, m in ascent.missions().items():
        kick = ascent.choose_kick_deg(m["vehicle"], m["site"], float(m["payload_kg"]), float(m["perigee_km"]),
                                      float(m["apogee_km"]), float(m["inclination_deg"]))
        times = []
        for _ in range(7):
            t0 = time.perf_counter()
            r = ascent.fly_mission(key, kick_deg=kick)
            times.append(time.perf_counter() - t0)
        print(f"{key:14s} {r.vehicle:28s} median {statistics.median(times) * 1e3:6.1f} ms per flight "
              f"({r.time_s.size} steps, {len(vehicles.get_vehicle(m['vehicle']).stages)} stage groups)")
    ascent.choose_kick_deg.cache_clear()
    t0 = time.perf_counter()
    ascent.fly_mission("malligyong-1")
    plan = time.perf_counter() - t0
    t0 = time.perf_counter()
    ascent.fly_mission("malligyong-1")
    cached = time.perf_counter() - t0
    print(f"kick chosen by the planner: first flight {plan * 1e3:.0f} ms, then {cached * 1e3:.0f} ms "
          f"(ratio {plan / cached:.1f}x; {len(ascent.KICK_CANDIDATES_DEG)} candidates)")


if __name__ == "__main__":
    main()
