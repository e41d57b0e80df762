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
        print(f"{dt:12.2f}  {tm * 1e3:9.1f}  {float(r.elements.perigee_altitude_m - ref.elements.perigee_altitude_m):15.1f}"
              f"  {float(r.elements.apogee_altitude_m - ref.elements.apogee_altitude_m):14.1f}"
              f"  {r.mass_kg[-1] - ref.mass_kg[-1]:19.1f}  {t_base / tm:17.1f}x")

    for n in (200,):
        for procs in (1, None):
            t0 = time.perf_counter()
            r = ascent.monte_carlo("chollima-1", "sohae", n=n, seed=0, processes=procs, perigee_km=493, apogee_km=512,
                                   inclination_deg=97.4, payload_kg=900)
            dt = time.perf_counter() - t0
            label = "1 process" if procs == 1 else "all cores"
            print(f"Monte Carlo, {n} dispersed Chollima-1 flights ({label}): {dt:.1f} s "
                  f"({dt / n * 1e3:.0f} ms per flight), success {100 * r['success_fraction']:.0f} %, "
                  f"main cause {r['main_cause']}; 1,000 flights would take ~{dt / n * 1000:.0f} s (goal 10 s)")


if __name__ == "__main__":
    main()
