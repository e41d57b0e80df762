"""Orbits against worked examples in Curtis and Vallado.

H. D. Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed. (2014);
D. A. Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed. (2013).
"""

import numpy as np
import pytest

from cosmodrome import orbits

MU_CURTIS = 398600e9  # Curtis uses mu = 398,600 km^3/s^2
MU_VALLADO = 398600.4418e9
RE_VALLADO = 6378.137e3


def test_curtis_example_4_3_state_to_elements():
    # r = [-6045, -3490, 2500] km, v = [-3.457, 6.618, 2.533] km/s
    el = orbits.state_to_elements(np.array([-6045.0, -3490.0, 2500.0]) * 1e3,
                                  np.array([-3.457, 6.618, 2.533]) * 1e3, MU_CURTIS)
    h = np.sqrt(el.semi_latus_rectum_m * MU_CURTIS) / 1e6
    assert h == pytest.approx(58310, abs=5)  # km^2/s
    assert el.inclination_deg == pytest.approx(153.2, abs=0.05)
    assert el.raan_deg == pytest.approx(255.3, abs=0.05)
    assert el.eccentricity == pytest.approx(0.1712, abs=5e-5)
    assert el.arg_perigee_deg == pytest.approx(20.07, abs=0.01)
    assert el.true_anomaly_deg == pytest.approx(28.45, abs=0.01)


def test_curtis_example_4_7_elements_to_state():
    # h = 80,000 km^2/s, e = 1.4, i = 30, RAAN = 40, omega = 60, theta = 30 deg
    h, e = 80000e6, 1.4
    a = (h**2 / MU_CURTIS) / (1 - e**2)
    r, v = orbits.elements_to_state(a, e, *np.radians([30, 40, 60, 30]), mu_m3_s2=MU_CURTIS)
    assert r / 1e3 == pytest.approx([-4040, 4815, 3629], abs=1.0)
    assert v / 1e3 == pytest.approx([-10.39, -4.772, 1.744], abs=0.005)


def test_vallado_example_2_1_kepler_elliptic():
    # M = 235.4 deg, e = 0.4 -> E = 220.512 074 767 522 deg
    E = orbits.eccentric_anomaly_rad(np.radians(235.4), 0.4)
    assert np.degrees(E) == pytest.approx(220.512074767522, abs=1e-10)


def test_vallado_example_6_1_hohmann_to_geo():
    # 191.344 11 km to 35,781.348 57 km altitude: 2.457 038, 1.478 187 km/s, 5.256 713 h
    dv1, dv2, t = orbits.hohmann(RE_VALLADO + 191.34411e3, RE_VALLADO + 35781.34857e3, MU_VALLADO)
    assert dv1 == pytest.approx(2457.038, abs=0.01)
    assert dv2 == pytest.approx(1478.187, abs=0.01)
    assert t / 3600 == pytest.approx(5.256713, abs=1e-5)


def test_bi_elliptic_beats_hohmann_only_beyond_ratio_11_94():
    """Curtis section 6.4 / Vallado section 6.3.2: with rb -> infinity the
    bi-elliptic transfer is cheaper than Hohmann exactly when r2/r1 > 11.94."""
    r1 = 7000e3
    for ratio, bi_cheaper in ((11.5, False), (12.5, True)):
        r2 = ratio * r1
        h = sum(orbits.hohmann(r1, r2)[:2])
        b = sum(orbits.bi_elliptic(r1, r2, 1e6 * r1)[:3])
        assert (b < h) == bi_cheaper


def test_sun_synchronous_inclination_of_malligyong_1():
    """Malligyong-1 TLE (epoch 2024-06-12, in ../shared/facts/tle.md):
    15.21013721 rev/day, inclination 97.4040 deg."""
    a = orbits.semi_major_axis_from_period_m(86400.0 / 15.21013721)
    assert np.degrees(orbits.sun_synchronous_inclination_rad(a, 0.0001996)) == pytest.approx(97.404, abs=0.05)


def test_sun_synchronous_inclination_at_800_km():
    # Wertz & Larson, Space Mission Analysis and Design, 3rd ed.: a circular
    # sun-synchronous orbit at 800 km is inclined about 98.6 deg
    assert np.degrees(orbits.sun_synchronous_inclination_rad(6378137 + 800e3)) == pytest.approx(98.6, abs=0.05)


def test_iss_nodal_regression():
    """ISS TLE of 2023-09-05 (shared/facts/tle.md): 15.502 rev/day, 51.64 deg.
    Successive ISS element sets show the node regressing about 5.0 deg/day."""
    a = orbits.semi_major_axis_from_period_m(86400.0 / 15.50238117)
    rate = np.degrees(orbits.j2_nodal_rate_rad_s(a, 0.000573, np.radians(51.6416))) * 86400
    assert rate == pytest.approx(-5.0, abs=0.1)


def test_geostationary_period_is_one_sidereal_day():
    from cosmodrome.constants import GEO_RADIUS_M

    assert orbits.period_s(GEO_RADIUS_M) == pytest.approx(86164.09, abs=0.02)
    assert GEO_RADIUS_M == pytest.approx(42164.17e3, abs=10)  # Vallado: 42,164.17 km


def test_speeds_at_the_surface():
    # Curtis eqs. 2.63 and 2.83: circular 7.905 km/s, escape 11.18 km/s at R = 6378 km
    assert orbits.circular_speed_m_s(6378e3, MU_CURTIS) == pytest.approx(7905, abs=1)
    assert orbits.escape_speed_m_s(6378e3, MU_CURTIS) == pytest.approx(11180, abs=2)
