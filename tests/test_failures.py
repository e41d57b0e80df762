"""Injected faults give physically honest outcomes; the catalogue of real
failures is sourced and each modelled case fails in the simulator."""

import numpy as np
import pytest

from cosmodrome import ascent, failures as fl

BASE = dict(perigee_km=493, apogee_km=512, inclination_deg=97.4, payload_kg=300, kick_deg=6.5)


def _fly(*faults, **kw):
    args = dict(BASE)
    args.update(kw)
    return ascent.fly("chollima-1", "sohae", faults=list(faults), **args)


def test_nominal_reaches_orbit():
    assert _fly().reached_orbit


def test_upper_stage_fails_to_ignite_is_suborbital():
    r = _fly(fl.no_ignition(2))
    assert not r.reached_orbit and r.impact is not None
    assert r.event("fails to ignite") is not None
    # the impact is downrange, to the south (the launch heads south over the sea)
    assert r.impact[0] < 39.66


def test_total_thrust_loss_equals_no_ignition_roughly():
    a = _fly(fl.thrust_shortfall(2, 126.0, 1.0))
    b = _fly(fl.no_ignition(2))
    assert a.impact[0] == pytest.approx(b.impact[0], abs=1.0)


def test_thrust_shortfall_with_same_isp_costs_only_gravity_loss():
    nominal = _fly()
    weak = _fly(fl.thrust_shortfall(3, 0.0, 0.5))
    assert weak.reached_orbit
    assert weak.budget["gravity"] > nominal.budget["gravity"]
    assert weak.event("cutoff").time_s > nominal.event("cutoff").time_s


def test_early_cutoff_of_the_last_stage_gives_a_lower_or_no_orbit():
    r = _fly(fl.early_cutoff(3, 400.0))
    assert not r.reached_orbit
    assert r.event("FAULT: stage 3 shuts down early") is not None


def test_separation_failure_carries_dead_mass():
    nominal = _fly()
    r = _fly(fl.separation_failure(2))
    i = np.searchsorted(r.time_s, 330.0)
    assert r.mass_kg[i] > nominal.mass_kg[np.searchsorted(nominal.time_s, 330.0)] + 1000
    assert not r.reached_orbit


def test_wrong_azimuth_gives_the_wrong_plane():
    r = _fly(fl.wrong_azimuth(10.0))
    assert r.reached_orbit
    assert abs(float(r.elements.inclination_deg) - 97.4) > 5


def test_wrong_site_reference_puts_the_target_plane_elsewhere():
    """Guidance that believes it stands at Baikonur (65 deg of longitude west)
    chases an orbit plane far from the one planned: it either ends in the wrong
    plane or spends its propellant steering sideways."""
    nominal = _fly()
    r = _fly(fl.wrong_site("baikonur"))
    assert r.event("FAULT") is None  # a set-up error, not an in-flight event
    assert r.target["faults"] == ["guidance initialised with the coordinates of baikonur"]
    assert (not r.reached_orbit) or abs(float(r.elements.raan_deg) - float(nominal.elements.raan_deg)) > 1.0
    # Vostochny lies almost upstream of Sohae on the same 97.4 deg ground track: the
    # same mistake made with its coordinates barely matters (a lesson in geometry)
    close = _fly(fl.wrong_site("vostochny"))
    assert close.reached_orbit
    assert abs(float(close.elements.raan_deg) - float(nominal.elements.raan_deg)) < 1.0


def test_overweight_payload_lowers_the_orbit_or_fails():
    r = _fly(fl.overweight_payload(3000.0))
    assert not r.reached_orbit or float(r.elements.apogee_altitude_m) < 480e3


def test_termination_drops_the_debris_near_the_pad():
    r = _fly(fl.termination(85.0))
    assert not r.reached_orbit
    assert r.impact[2] < 400
    assert abs(r.impact[0] - 39.66) < 3


def test_fault_validation():
    with pytest.raises(ValueError, match=r"fraction must be in \(0, 1\]"):
        fl.thrust_shortfall(2, 10.0, 1.5)
    with pytest.raises(ValueError, match=r"fault stage must be in \[1, 3\] for Chollima-1 \(got 5\)"):
        _fly(fl.no_ignition(5))
    with pytest.raises(ValueError, match="never leaves the pad"):
        _fly(fl.no_ignition(1))
    with pytest.raises(ValueError, match="unknown launch site"):
        fl.wrong_site("atlantis")
    with pytest.raises(ValueError, match="kind must be one of"):
        fl.Fault("gremlins")


def test_engine_out_is_a_fractional_shortfall():
    f = fl.engine_out(1, 30.0, engines=4, out=1)
    assert f.kind == "thrust_shortfall" and f.fraction == 0.25


@pytest.mark.parametrize("key", sorted(k for k, c in fl.catalogue().items() if "model" in c))
def test_each_modelled_real_failure_fails_in_the_simulator(key):
    r = fl.fly_case(key)
    assert not r.reached_orbit, key
    assert any(e.name.startswith("FAULT") for e in r.events) or key.startswith("meteor")


def test_catalogue_is_sourced_and_says_how_certain():
    cat = fl.catalogue()
    assert {"unha-3-2012-04", "chollima-1-2023-05", "chollima-1-2023-08", "chollima-1a-2024-05",
            "unha-2-2009-04", "meteor-m2-1-2017-11"} <= set(cat)
    elsewhere = [k for k, c in cat.items() if c["site"] not in ("sohae", "tonghae", "vostochny")]
    assert len(elsewhere) >= 2
    for k, c in cat.items():
        assert c["sources"] and c["what_failed"] and c["certainty"], k
        assert ("model" in c) != ("why_not_simulated" in c), k
