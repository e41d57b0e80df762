"""Launch sites: azimuths, inclinations, corridors and the price of latitude."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from cosmodrome import orbits, sites


def test_sohae_azimuth_to_malligyong_plane_matches_molczan():
    """T. Molczan (northkoreatech.org, 2012-04-11): a direct ascent from Sohae
    to 97.42 deg needs azimuth ~192.3 deg -- a ground (rotating-Earth) azimuth."""
    az = sites.launch_azimuths_deg(sites.get_site("sohae").latitude_deg, 97.42)
    assert az["ground_descending"] == pytest.approx(192.3, abs=0.15)
    # the non-rotating formula alone gives a different heading (facts sheet note)
    assert abs(az["inertial_descending"] - 192.3) > 2


def test_cape_corridor_inclinations_match_published_range():
    """sciref.net / satobs.org: Eastern Range azimuths 35-120 deg; with the
    spherical formula a 35 deg azimuth from 28.52 N gives i = 59.7 deg and
    120 deg gives 40.5 deg (facts sheet). Using the geocentric latitude
    (28.36 deg) moves these by at most 0.15 deg."""
    assert sites.inclination_deg(28.52, 35.0) == pytest.approx(59.7, abs=0.15)
    assert sites.inclination_deg(28.52, 120.0) == pytest.approx(40.5, abs=0.15)


def test_iss_plane_is_just_out_of_vostochny_direct_reach():
    v = sites.get_site("vostochny")
    # geocentric latitude of 51.8845 N: 51.70 deg; the ISS's 51.64 deg is still out of reach
    assert v.lowest_inclination_deg == pytest.approx(51.70, abs=0.01)
    with pytest.raises(ValueError, match=r"\[51\.70, 128\.30\].*got 51\.6.*dog-leg"):
        sites.plan_direct_ascent("vostochny", 51.6)
    az, corridor = sites.plan_direct_ascent("vostochny", 97.6)
    assert 340 <= az <= 360 and corridor.from_deg == 340


def test_corridor_refusal_says_what_is_reachable():
    with pytest.raises(ValueError, match=r"Reachable inclinations there: 76\.\d-103\.\d"):
        sites.plan_direct_ascent("sohae", 60.0)


def test_due_east_gives_lowest_inclination_and_full_rotation_speed():
    for s in sites.all_sites().values():
        assert sites.inclination_deg(s.latitude_deg, 90.0) == pytest.approx(float(s.lowest_inclination_deg), abs=1e-9)
        assert 0 <= abs(s.latitude_deg) - float(s.lowest_inclination_deg) < 0.2
        assert sites.rotation_speed_along_azimuth_m_s(s.latitude_deg, 90.0) == pytest.approx(
            s.surface_speed_m_s, rel=1e-3)


@settings(max_examples=300, deadline=None)
@given(lat=st.floats(-80, 80), inc=st.floats(0, 180))
def test_azimuth_inclination_round_trip(lat, inc):
    from cosmodrome.earth import geocentric_latitude_deg

    margin = abs(np.cos(np.radians(inc))) - np.cos(np.radians(geocentric_latitude_deg(lat)))
    if abs(margin) < 1e-9:
        return  # on the boundary: due east, within rounding
    if margin > 0:
        with pytest.raises(ValueError, match="inclination_deg"):
            sites.inertial_azimuth_deg(lat, inc)
        return
    asc, desc = sites.inertial_azimuth_deg(lat, inc)
    assert sites.inclination_deg(lat, asc) == pytest.approx(inc, abs=1e-6)
    assert sites.inclination_deg(lat, desc) == pytest.approx(inc, abs=1e-6)
    g = sites.ground_azimuth_deg(lat, asc)
    back = sites.inertial_from_ground_azimuth_deg(lat, g)
    assert (back - asc + 180) % 360 - 180 == pytest.approx(0, abs=1e-8)


def test_retrograde_launch_pays_for_rotation():
    assert sites.rotation_speed_along_azimuth_m_s(39.66, 192.3) < 0
    assert sites.rotation_speed_along_azimuth_m_s(39.66, 270.0) == pytest.approx(-358.5, abs=0.5)


def test_price_of_latitude_grows_with_latitude():
    lats = np.array([0.0, 5.24, 28.5, 39.66, 51.88, 62.93])
    pen = sites.geo_delta_v_m_s(lats)["plane_change_penalty"]
    assert pen[0] == pytest.approx(0.0, abs=1e-9)
    assert np.all(np.diff(pen) > 0)
    # equatorial start: pure Hohmann from 200 km to GEO
    from cosmodrome.constants import GEO_RADIUS_M, WGS84_A_M

    dv1, dv2, _ = orbits.hohmann(WGS84_A_M + 200e3, GEO_RADIUS_M)
    assert sites.geo_delta_v_m_s(0.0)["total"] == pytest.approx(dv1 + dv2, rel=1e-12)
    # Vostochny pays ~0.95 km/s more than Kourou to reach GEO
    d = sites.geo_delta_v_m_s(51.88)["total"] - sites.geo_delta_v_m_s(5.24)["total"]
    assert 900 < d < 1000


def test_reachable_inclinations_respect_latitude():
    for s in sites.all_sites().values():
        for lo, hi in sites.reachable_inclinations_deg(s):
            assert lo >= float(s.lowest_inclination_deg) - 1e-6
            assert hi <= 180 - float(s.lowest_inclination_deg) + 1e-6


def test_every_site_is_sourced():
    for s in sites.all_sites().values():
        assert s.coord_source and s.corridors and s.corridor_basis, s.key
        assert all(c.reason for c in s.corridors)


def test_required_sites_present():
    keys = set(sites.all_sites())
    assert {"vostochny", "baikonur", "plesetsk", "sohae", "tonghae", "cape-canaveral", "vandenberg",
            "kourou", "jiuquan", "wenchang", "naro", "tanegashima"} <= keys


def test_unknown_site_did_you_mean():
    with pytest.raises(ValueError, match=r"unknown launch site 'vostochnyy'; did you mean 'vostochny'"):
        sites.get_site("vostochnyy")
    assert sites.get_site("Cape Canaveral").key == "cape-canaveral"
