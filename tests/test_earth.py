"""WGS84 geodesy, surface speed and gravity (NIMA TR8350.2, 3rd ed., 2000)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cosmodrome import earth
from cosmodrome.constants import J2, WGS84_A_M, WGS84_B_M


def test_semi_minor_axis_matches_tr8350():
    assert WGS84_B_M == pytest.approx(6356752.3142, abs=1e-4)  # TR8350.2 Table 3.5
    assert J2 == pytest.approx(1.08263e-3, rel=1e-5)  # TR8350.2 / facts sheet: 1.08263e-3


def test_equator_and_pole_positions():
    r = earth.geodetic_to_ecef([0.0, 90.0, -90.0], [0.0, 0.0, 0.0])
    assert r[:, 0] == pytest.approx([WGS84_A_M, 0, 0], abs=1e-6)
    assert r[:, 1] == pytest.approx([0, 0, WGS84_B_M], abs=1e-6)
    assert r[:, 2] == pytest.approx([0, 0, -WGS84_B_M], abs=1e-6)


@settings(max_examples=300, deadline=None)
@given(lat=st.floats(-90, 90), lon=st.floats(-180, 180, exclude_min=True), h=st.floats(-1e4, 4e7))
def test_geodetic_round_trip(lat, lon, h):
    r = earth.geodetic_to_ecef(lat, lon, h)
    lat2, lon2, h2 = earth.ecef_to_geodetic(r)
    assert lat2 == pytest.approx(lat, abs=1e-9)
    if abs(lat) < 89.9999:
        assert (lon2 - lon + 180) % 360 - 180 == pytest.approx(0, abs=1e-9)
    assert h2 == pytest.approx(h, abs=1e-6 * max(1.0, abs(h)) + 1e-5)


def test_surface_speed_published_figures():
    # 465.1 m/s at the equator (Curtis section 6.10: omega R_E = 465.1 m/s)
    assert earth.surface_speed_m_s(0.0) == pytest.approx(465.1, abs=0.1)
    # Kourou ~463 m/s, Cape ~406 m/s (piglix.com Guyana_Space_Centre; the Cape
    # figure is rounded there, so 1 %)
    assert earth.surface_speed_m_s(5.24) == pytest.approx(463, abs=1)
    assert earth.surface_speed_m_s(28.47) == pytest.approx(406, rel=0.01)
    assert earth.surface_speed_m_s(90.0) == pytest.approx(0.0, abs=1e-9)


def test_effective_gravity_matches_wgs84_normal_gravity():
    # TR8350.2 Table 3.4: 9.7803253359 (equator), 9.8321849378 (pole) m/s^2;
    # our J2-only field differs by higher zonal terms, a few parts in 1e5.
    g = earth.surface_gravity_m_s2([0.0, 90.0])
    assert g[0] == pytest.approx(9.7803253359, rel=2e-5)
    assert g[1] == pytest.approx(9.8321849378, rel=2e-5)


def test_j2_gravity_reduces_to_point_mass_far_away_and_on_axis_symmetry():
    far = np.array([1e9, 2e9, 3e9])
    assert earth.gravity_j2(far) == pytest.approx(earth.gravity_point_mass(far), rel=1e-9)
    r = np.array([7e6, 0, 1e6])
    rm = r * np.array([1, 1, -1])
    assert earth.gravity_j2(rm) == pytest.approx(earth.gravity_j2(r) * np.array([1, 1, -1]))


def test_great_circle_quarter_meridian():
    d = earth.great_circle_distance_m(0, 0, 90, 0)
    assert d == pytest.approx(np.pi / 2 * 6371008.8)


@pytest.mark.parametrize("lat", [90.5, -91.0, np.nan])
def test_latitude_out_of_range(lat):
    with pytest.raises(ValueError, match=r"latitude_deg must be"):
        earth.geodetic_to_ecef(lat, 0.0)
