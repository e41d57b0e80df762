"""Speed of the ascent simulator. Run: .venv/bin/python benchmarks/bench_ascent.py

Prints the median time of one full flight to orbit (goal from issue 3: under
50 ms so a notebook slider feels live) for each reference flight, with the
pitch-over kick given; the cost of letting the mission planner choose the
kick (which flies every candidate once, then caches); the integrator step
sizes tried, with their error against a 0.05 s reference and speed-up; and a
dispersed Monte Carlo on one core and on all cores."""

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

    # integrator choices: classical RK4 at fixed steps (doubled above 120 km)
    ref = ascent.fly_mission("meteor-m2-2", kick_deg=6.5, dt_s=0.05)
    t_base = None
    print("RK4 step (s)  time (ms)  perigee err (m)  apogee err (m)  final-mass err (kg)  speed-up vs 0.1 s")
    for dt in (0.1, 0.25, 0.5, 1.0):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            r = ascent.fly_mission("meteor-m2-2", kick_deg=6.5, dt_s=dt)
            times.append(time.perf_counter() - t0)
        tm = min(times)
        t_base = t_base or tm
        print(f"{dt:12.2f}  {tm * 1e3:9.1f}"
              f"  {float(r.elements.perigee_altitude_m - ref.elements.perigee_altitude_m):15.1f}"
              f"  {float(r.elements.apogee_altitude_m - ref.elements.apogee_altitude_m):14.1f}"
              f"  {r.mass_kg[-1] - ref.mass_kg[-1]:19.1f}  {t_base / tm:17.1f}x")

    kw = dict(perigee_km=493, apogee_km=512, inclination_deg=97.4, payload_kg=900)
    t0 = time.perf_counter()
    one = ascent.monte_carlo("chollima-1", "sohae", n=200, seed=0, processes=1, **kw)
    t_one = (time.perf_counter() - t0) / 200
    t0 = time.perf_counter()
    r = ascent.monte_carlo("chollima-1", "sohae", n=1000, seed=0, **kw)
    t_all = time.perf_counter() - t0
    print(f"Monte Carlo of 1,000 dispersed Chollima-1 flights (thrust, Isp, dry mass, drag) on all cores: "
          f"{t_all:.1f} s (goal 10 s), success {100 * r['success_fraction']:.0f} %, main cause {r['main_cause']}")
    print(f"  one process: {t_one * 1e3:.1f} ms per flight -> all cores are {t_one * 1000 / t_all:.1f}x faster "
          f"(200-flight check: success {100 * one['success_fraction']:.0f} %)")

if __name__ == "__main__":
    main()
