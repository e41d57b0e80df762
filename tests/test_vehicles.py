"""Vehicles against their published figures, and staging theory."""

import re

import numpy as np
import pytest
from scipy.optimize import minimize

from cosmodrome import vehicles
from cosmodrome.constants import G0_M_S2

REQUIRED = ["soyuz-2-1a", "soyuz-2-1b-fregat", "angara-1-2", "angara-a5", "unha-3", "chollima-1", "falcon-9"]


def test_required_vehicles_present():
    assert set(REQUIRED) <= set(vehicles.all_vehicles())


def test_angara_a5_width_answers_the_visit_question():
    """'Is it eight metres, including the parts?' -- published 8.86 m
    (wohaco/despace angara.md); modules touching give 3 x 2.9 = 8.7 m."""
    a5 = vehicles.get_vehicle("Angara-A5")
    assert a5.span_m == pytest.approx(8.7, abs=1e-9)
    assert a5.span_m == pytest.approx(a5.published_span_m, rel=0.02)


def test_largest_rocket_at_vostochny_and_its_thrust():
    """Five RD-191 at 196 tf ground thrust each (NPO Energomash press service, quoted by Voennoye Obozreniye,
    topwar.ru; data/vehicles.toml says where it was read) = 980 tf = 9.6 MN."""
    big = vehicles.largest_vehicle_at("vostochny")
    assert big.key == "angara-a5"
    assert big.liftoff_thrust_n == pytest.approx(5 * 196e3 * G0_M_S2, rel=0.005)


@pytest.mark.parametrize("key", ["angara-a5", "angara-1-2", "unha-3", "falcon-9"])
def test_liftoff_mass_matches_published_within_uncertainty(key):
    v = vehicles.get_vehicle(key)
    unc = max(s.uncertainty for s in v.stages)
    m = v.liftoff_mass_kg(v.payload_leo_kg) + v.fairing_mass_kg
    assert m == pytest.approx(v.liftoff_mass_published_kg, rel=max(unc, 0.03))


def test_soyuz_liftoff_thrust_from_the_manual():
    # 4 x 838.5 kN + 792.5 kN at sea level
    assert vehicles.get_vehicle("soyuz-2.1b").liftoff_thrust_n == pytest.approx(4 * 838.5e3 + 792.5e3)


def test_every_vehicle_lifts_off_and_reaches_orbital_delta_v():
    for v in vehicles.all_vehicles().values():
        assert v.liftoff_thrust_to_weight(v.payload_leo_kg) > 1.1, v.key
        # an orbital launch needs ~9.3-9.8 km/s of ideal delta-v including losses
        assert 9000 < v.ideal_delta_v_m_s(v.payload_leo_kg) < 11500, v.key


def test_thrust_to_weight_limit_is_far_above_the_payload_to_orbit():
    """Lesson 1: T/W = 1 at the lift-off payload limit; what limits the payload to orbit is delta-v."""
    a5 = vehicles.get_vehicle("angara-a5")
    limit = a5.liftoff_payload_limit_kg()
    assert a5.liftoff_thrust_to_weight(limit) == pytest.approx(1.0, rel=1e-12)
    assert limit == pytest.approx(a5.liftoff_thrust_n / 9.80665 - a5.liftoff_mass_kg(0))
    assert 220e3 < limit < 230e3                   # ~226 t, against 24.5 t to low orbit
    for v in vehicles.all_vehicles().values():
        assert v.liftoff_payload_limit_kg() > 3 * v.payload_leo_kg, v.key
        assert v.ideal_delta_v_m_s(min(v.liftoff_payload_limit_kg(), v.liftoff_mass_without_payload_kg())) < 9000, v.key
    with pytest.raises(ValueError, match="gravity_m_s2 must be > 0"):
        a5.liftoff_payload_limit_kg(0.0)


def test_fregat_adds_delta_v_and_2_1a_has_less_than_2_1b():
    b = vehicles.get_vehicle("soyuz-2-1b")
    f = vehicles.get_vehicle("soyuz-2-1b-fregat")
    a = vehicles.get_vehicle("soyuz-2-1a")
    assert f.ideal_delta_v_m_s(3000) > b.ideal_delta_v_m_s(3000)
    assert a.ideal_delta_v_m_s(3000) < b.ideal_delta_v_m_s(3000)
    assert len(f.stages) == 4 and a.stages[2].engine == "RD-0110"


def test_parallel_phase_conserves_mass_bookkeeping():
    v = vehicles.get_vehicle("soyuz-2-1b")
    ph = v.phases(5000)
    burned = sum(p.start_mass_kg - p.end_mass_kg for p in ph)
    assert burned == pytest.approx(sum(s.total_propellant_mass_kg for s in v.stages))
    assert ph[0].duration_s == 118


def test_payload_for_delta_v_round_trip_and_monotone():
    v = vehicles.get_vehicle("chollima-1")
    p = v.payload_for_delta_v_kg(9500)
    assert v.ideal_delta_v_m_s(p) == pytest.approx(9500, abs=0.5)
    assert v.ideal_delta_v_m_s(p + 100) < v.ideal_delta_v_m_s(p)
    with pytest.raises(ValueError, match=r"delta_v_m_s must be <= \d+ m/s for Chollima-1"):
        v.payload_for_delta_v_kg(20000)


def test_optimal_staging_equals_numerical_optimum():
    """Lagrange solution (Curtis 11.6) against a brute-force constrained
    minimization of lift-off mass over the stage mass ratios."""
    isp = np.array([290.0, 320.0, 350.0])
    eps = np.array([0.08, 0.10, 0.12])
    dv, pay = 9000.0, 1000.0
    sol = vehicles.optimal_staging(dv, isp, eps, pay)
    c = isp * G0_M_S2

    def liftoff(ln_n):
        n = np.exp(ln_n)
        m = pay
        for k in range(2, -1, -1):
            m *= n[k] * (1 - eps[k]) / (1 - n[k] * eps[k])
        return np.log(m)

    cons = {"type": "eq", "fun": lambda ln_n: np.sum(c * ln_n) - dv}
    res = minimize(liftoff, np.full(3, dv / c.sum()), constraints=[cons], method="SLSQP", tol=1e-12)
    assert np.exp(res.fun) == pytest.approx(sol["liftoff_mass_kg"], rel=1e-5)
    assert np.exp(res.x) == pytest.approx(sol["mass_ratios"], rel=1e-3)
    assert vehicles.staged_delta_v_m_s(isp, eps, pay, sol["stage_mass_kg"]) == pytest.approx(dv, rel=1e-10)


def test_identical_stages_share_the_delta_v_equally():
    sol = vehicles.optimal_staging(9000.0, [300.0] * 3, [0.1] * 3, 500.0)
    assert sol["mass_ratios"] == pytest.approx(np.full(3, np.exp(3000.0 / (300 * G0_M_S2))))


def test_low_orbit_delta_v_is_what_a_simulated_flight_to_low_orbit_spends():
    """vehicles.LOW_ORBIT_DELTA_V_M_S, the round figure of lessons 3 and 4, against the flight of lesson 5:
    Soyuz-2.1b from Vostochny to 200 x 240 km spends within 3 % of it, well above the orbital speed."""
    from cosmodrome import ascent, orbits
    from cosmodrome.constants import WGS84_A_M

    r = ascent.fly("soyuz-2-1b", "vostochny", perigee_km=200, apogee_km=240, inclination_deg=52.0, payload_kg=7000)
    assert r.reached_orbit
    assert r.budget["ideal"] == pytest.approx(vehicles.LOW_ORBIT_DELTA_V_M_S, rel=0.03)
    assert vehicles.LOW_ORBIT_DELTA_V_M_S > float(orbits.circular_speed_m_s(WGS84_A_M + 200e3)) + 1000


def test_one_stage_cannot_reach_orbit_with_real_structure():
    # Isp 350 s, 8 % structure: at most 8.67 km/s with no payload at all
    assert vehicles.single_stage_max_delta_v_m_s(350.0, 0.08) < 9300
    with pytest.raises(ValueError, match=r"delta_v_m_s must be < 8669 m/s"):
        vehicles.optimal_staging(9300.0, [350.0], [0.08], 100.0)


@pytest.mark.parametrize("kw,msg", [
    (dict(dry_mass_kg=-5.0), r"dry_mass_kg must be > 0 kg \(got -5\) \(stage 'x'\)"),
    (dict(isp_vac_s=0.0), r"isp_vac_s must be > 0 s \(got 0\)"),
    (dict(thrust_sl_n=2e6), r"thrust_sl_n must be in \[0, 1e\+06\] N \(got 2e\+06\)"),
    (dict(propellant_mass_kg=-1.0), r"propellant_mass_kg must be >= 0 kg"),
])
def test_bad_stage_input(kw, msg):
    base = dict(name="x", dry_mass_kg=1000.0, propellant_mass_kg=9000.0, thrust_vac_n=1e6, isp_vac_s=300.0,
                burn_time_s=100.0)
    base.update(kw)
    with pytest.raises(ValueError, match=msg):
        vehicles.Stage(**base)


@pytest.mark.parametrize("payload_kg,shown", [(1e30, "1e+30"), (-5.0, "-5"), (754401.0, "754401")])
def test_payload_must_weigh_less_than_the_rocket(payload_kg, shown):
    a5 = vehicles.get_vehicle("angara-a5")
    for call in (a5.liftoff_mass_kg, a5.liftoff_thrust_to_weight, a5.ideal_delta_v_m_s, a5.phases):
        with pytest.raises(ValueError, match=rf"payload_kg must be in \[0, 754400\] kg \(got {re.escape(shown)}\); "
                                             r"at most Angara-A5's own lift-off mass"):
            call(payload_kg)
    with pytest.raises(ValueError, match=r"payload_kg must be a finite number \(got nan\)"):
        a5.liftoff_mass_kg(float("nan"))
    assert a5.liftoff_mass_kg(754400.0) == 2 * 754400.0


def test_propellant_heavier_than_the_stage():
    with pytest.raises(ValueError, match=r"propellant_mass_kg must be in \[0, 1000\) kg \(got 1200\)"):
        vehicles.Stage.from_gross_mass("x", 1000.0, 1200.0, thrust_vac_n=1e5, isp_vac_s=300, burn_time_s=60)


def test_unknown_vehicle_did_you_mean():
    with pytest.raises(ValueError, match=r"did you mean 'angara-a5'"):
        vehicles.get_vehicle("angara-a6")
    assert vehicles.get_vehicle("Soyuz-2.1b").key == "soyuz-2-1b"


def test_every_stage_is_sourced_and_estimates_say_how():
    for v in vehicles.all_vehicles().values():
        for s in v.stages:
            assert s.source, (v.key, s.name)
            assert 0 < s.uncertainty < 1, (v.key, s.name)
        if v.key in ("unha-3", "chollima-1"):
            assert all(s.estimate and s.uncertainty >= 0.2 for s in v.stages)
    raw = __import__("cosmodrome._data", fromlist=["x"]).load_toml("vehicles.toml")
    for key, d in raw.items():
        for s in d.get("stages", []) + d.get("extra_stages", []):
            if s.get("estimate"):
                assert len(s.get("basis", "")) > 40, (key, s["name"])
