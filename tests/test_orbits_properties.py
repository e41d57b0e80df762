"""Laws that hold for every orbit: round trips, Kepler residuals, conservation."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cosmodrome import orbits
from cosmodrome.constants import GM_M3_S2

angles = st.floats(0.0, 2 * np.pi, allow_nan=False, exclude_max=True)


@settings(max_examples=300, deadline=None)
@given(a=st.floats(6.6e6, 5e7), e=st.floats(1e-6, 0.95), i=st.floats(1e-4, np.pi - 1e-4),
       raan=angles, argp=angles, nu=angles)
def test_elements_state_round_trip_elliptic(a, e, i, raan, argp, nu):
    r, v = orbits.elements_to_state(a, e, i, raan, argp, nu)
    el = orbits.state_to_elements(r, v)
    assert el.semi_major_axis_m == pytest.approx(a, rel=1e-9)
    assert el.eccentricity == pytest.approx(e, rel=1e-9, abs=1e-12)
    assert el.inclination_rad == pytest.approx(i, abs=1e-9)
    r2, v2 = orbits.elements_to_state(el.semi_major_axis_m, el.eccentricity, el.inclination_rad,
                                      el.raan_rad, el.arg_perigee_rad, el.true_anomaly_rad)
    assert np.allclose(r2, r, rtol=1e-9, atol=1e-9 * np.linalg.norm(r))
    assert np.allclose(v2, v, rtol=1e-9, atol=1e-9 * np.linalg.norm(v))


@settings(max_examples=100, deadline=None)
@given(a=st.floats(6.6e6, 5e7), i=st.floats(0.0, np.pi), nu=angles, raan=angles)
def test_circular_and_equatorial_cases_round_trip(a, i, nu, raan):
    for inc in (i, 0.0, np.pi):
        r, v = orbits.elements_to_state(a, 0.0, inc, raan, 0.0, nu)
        el = orbits.state_to_elements(r, v)
        r2, v2 = orbits.elements_to_state(el.semi_major_axis_m, el.eccentricity, el.inclination_rad,
                                          el.raan_rad, el.arg_perigee_rad, el.true_anomaly_rad)
        assert np.allclose(r2, r, atol=1e-6 * a)
        assert np.allclose(v2, v, atol=1e-6 * np.linalg.norm(v))


def test_kepler_elliptic_residual_vectorized():
    rng = np.random.default_rng(1)
    m = rng.uniform(-20, 20, 200_000)
    e = rng.uniform(0, 0.999, m.size)
    E = orbits.eccentric_anomaly_rad(m, e)
    assert np.max(np.abs(E - e * np.sin(E) - m)) < 1e-12 * np.maximum(1, np.abs(m)).max()
    assert np.max(np.abs(E - e * np.sin(E) - m) / np.maximum(1.0, np.abs(m))) < 1e-12


def test_kepler_hyperbolic_residual_vectorized():
    rng = np.random.default_rng(2)
    m = rng.uniform(-50, 50, 100_000)
    e = rng.uniform(1.001, 10, m.size)
    F = orbits.hyperbolic_anomaly_rad(m, e)
    assert np.max(np.abs(e * np.sinh(F) - F - m) / np.maximum(1.0, np.abs(m))) < 1e-12


@settings(max_examples=200, deadline=None)
@given(nu=st.floats(-3.0, 3.0), e=st.floats(0.0, 3.0).filter(lambda x: abs(x - 1) > 1e-3))
def test_true_mean_anomaly_round_trip(nu, e):
    if e > 1 and abs(nu) >= np.arccos(-1 / e) - 1e-3:
        return
    m = orbits.true_to_mean_anomaly_rad(nu, e)
    assert orbits.mean_to_true_anomaly_rad(m, e) == pytest.approx(nu, abs=1e-9)


def _energy_h(r, v):
    return (np.sum(v * v, axis=0) / 2 - GM_M3_S2 / np.linalg.norm(r, axis=0),
            np.linalg.norm(np.cross(r, v, axis=0), axis=0))


@pytest.mark.parametrize("a,e", [(6.9e6, 0.001), (2.4e7, 0.73), (4.2e7, 0.0), (-2e7, 1.5)])
def test_propagation_conserves_energy_and_momentum_over_100_orbits(a, e):
    r0, v0 = orbits.elements_to_state(a, e, 1.0, 0.3, 0.5, 0.2)
    period = orbits.period_s(abs(a))  # for a hyperbola: the time scale 2 pi sqrt(|a|^3/mu)
    dt = np.linspace(-100 * period, 100 * period, 2001)
    r, v = orbits.propagate(r0[:, None], v0[:, None], dt)
    en, h = _energy_h(r, v)
    en0, h0 = _energy_h(r0, v0)
    assert np.max(np.abs(en / en0 - 1)) < 1e-10
    assert np.max(np.abs(h / h0 - 1)) < 1e-10


def test_propagation_matches_kepler_after_whole_revolutions():
    r0, v0 = orbits.elements_to_state(7.0e6, 0.1, 0.9, 1.0, 2.0, 0.5)
    r, v = orbits.propagate(r0, v0, 37 * orbits.period_s(7.0e6))
    assert np.allclose(r, r0, atol=1e-3)
    # and halfway round from perigee lands on apogee
    rp, vp = orbits.elements_to_state(7.0e6, 0.1, 0.9, 1.0, 2.0, 0.0)
    ra, _ = orbits.propagate(rp, vp, orbits.period_s(7.0e6) / 2)
    assert np.linalg.norm(ra) == pytest.approx(7.0e6 * 1.1, rel=1e-10)


def test_vis_viva_is_energy_conservation():
    a, e = 2.4e7, 0.7
    r, v = orbits.elements_to_state(a, e, 0.5, 0, 0, np.linspace(0, 6, 50))
    assert np.allclose(np.linalg.norm(v, axis=0), orbits.vis_viva_speed_m_s(np.linalg.norm(r, axis=0), a), rtol=1e-12)


def test_plane_change_limits():
    v = 7800.0
    assert orbits.plane_change_dv_m_s(v, 0.0) == 0.0
    assert orbits.plane_change_dv_m_s(v, np.pi) == pytest.approx(2 * v)
    assert orbits.combined_dv_m_s(v, v, 0.3) == pytest.approx(orbits.plane_change_dv_m_s(v, 0.3))


@pytest.mark.parametrize("call,field", [
    (lambda: orbits.period_s(-1.0), "semi_major_axis_m"),
    (lambda: orbits.eccentric_anomaly_rad(1.0, 1.2), "eccentricity"),
    (lambda: orbits.hyperbolic_anomaly_rad(1.0, 0.5), "eccentricity"),
    (lambda: orbits.vis_viva_speed_m_s(1e8, 7e6), "radius_m"),
    (lambda: orbits.elements_to_state(7e6, 0.1, 4.0, 0, 0, 0), "inclination_rad"),
    (lambda: orbits.elements_to_state(-7e6, 0.1, 1.0, 0, 0, 0), "semi_major_axis_m"),
    (lambda: orbits.sun_synchronous_inclination_rad(2e7), "semi_major_axis_m"),
    (lambda: orbits.sun_synchronous_inclination_rad(1e5), "semi_major_axis_m"),
    (lambda: orbits.state_to_elements([7e6, 0, 0], [1000.0, 0, 0]), "velocity_m_s"),
    (lambda: orbits.bi_elliptic(7e6, 4e7, 1e7), "rb_m"),
])
def test_bad_input_names_the_field(call, field):
    with pytest.raises(ValueError, match=field):
        call()


@pytest.mark.parametrize("a,e,shown,top", [
    (1e5, 0.0, "100000", r"1\.23\d+e\+07"),                 # inside the Earth: used to answer 90 deg
    (6.3e6, 0.0, "6.3e\\+06", r"1\.23\d+e\+07"),
    (2e7, 0.0, "2e\\+07", r"1\.23\d+e\+07"),                # too high: J2 cannot turn the node that fast
    ([7e6, 3e7], 0.0, "3e\\+07", r"1\.23\d+e\+07"),         # the first bad element of an array
    (2e7, 0.5, "2e\\+07", r"1\.45\d+e\+07"),                # the limit rises with eccentricity
])
def test_sun_synchronous_inclination_refuses_orbits_with_no_such_inclination(a, e, shown, top):
    with pytest.raises(ValueError, match=rf"semi_major_axis_m must be in \(6\.37814e\+06, {top}\] m "
                                         rf"\(got {shown}\) for a sun-synchronous orbit"):
        orbits.sun_synchronous_inclination_rad(a, e)


def test_sun_synchronous_inclination_at_its_limits():
    from cosmodrome.constants import WGS84_A_M

    top = orbits.sun_synchronous_max_semi_major_axis_m(0.0)
    assert 1.23e7 < top < 1.24e7
    assert np.degrees(orbits.sun_synchronous_inclination_rad(top)) == pytest.approx(180.0, abs=1e-4)
    assert 90.0 < np.degrees(orbits.sun_synchronous_inclination_rad(WGS84_A_M + 1.0)) < 96.0
    assert orbits.sun_synchronous_max_semi_major_axis_m(0.5) > top
