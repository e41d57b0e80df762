"""Tracking with skyfield, offline: TLE parsing and checks, SGP4 against its
published verification vectors, ground tracks and passes against what was
reported for Malligyong-1."""

import re

import numpy as np
import pytest

from cosmodrome import earth, orbits, tracking

# Vallado et al., "Revisiting Spacetrack Report #3" (AIAA 2006-6753), test case 00005
VANGUARD = ("1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753",
            "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667")
# tcppver.out: tsince (min), r (km), v (km/s) in TEME
VERIFY = {
    0.0: ((7022.46529266, -1400.08296755, 0.03995155), (1.893841015, 6.405893759, 4.534807250)),
    360.0: ((-7154.03120202, -3783.17682504, -3536.19412294), (4.741887409, -4.151817765, -2.093935425)),
}


@pytest.mark.parametrize("tsince", sorted(VERIFY))
def test_skyfield_sgp4_reproduces_the_verification_vectors_to_1_m(tsince):
    from skyfield.api import EarthSatellite

    sat = EarthSatellite(*VANGUARD, "VANGUARD 1", tracking.timescale())
    err, r, v = sat.model.sgp4_tsince(tsince)
    assert err == 0
    r_ref, v_ref = VERIFY[tsince]
    assert np.max(np.abs(np.array(r) - r_ref)) * 1000 < 1.0
    assert np.max(np.abs(np.array(v) - v_ref)) * 1000 < 1e-3


def test_bundled_sets_load_with_their_sources():
    keys = tracking.known_satellites()
    assert {"malligyong-1", "iss", "meteor-m2-2"} <= set(keys)
    for k in keys:
        sat = tracking.satellite(k)
        assert sat.model.satnum > 0
        assert any("source" in n.lower() or n.startswith("CONSTRUCTED") for n in tracking.satellite_source(k)), k


def test_checksum_rule():
    assert tracking.tle_checksum(VANGUARD[0]) == 3 and tracking.tle_checksum(VANGUARD[1]) == 7


@pytest.mark.parametrize("text,msg", [
    (VANGUARD[0][:-1] + "9\n" + VANGUARD[1], r"line 1: checksum digit '9' does not match the computed 3"),
    (VANGUARD[0] + "\n" + VANGUARD[1][:60], r"line 2: a TLE line must be 69 characters long \(got 60\)"),
    (VANGUARD[0] + "\n" + VANGUARD[0], r"line 2: expected TLE line 2"),
    (VANGUARD[0], r"line 1: TLE line 1 has no line 2"),
    ("hello\nworld", r"no two-line element set found"),
])
def test_malformed_tle_is_a_clear_error(text, msg):
    with pytest.raises(ValueError, match=msg):
        tracking.parse_tle(text, source="bad.tle")


def _with_eccentricity(line2, field):
    l2 = line2[:26] + field + line2[33:68]
    return l2 + str(tracking.tle_checksum(l2))


@pytest.mark.parametrize("field,shown", [("9999999", "0.9999999"), ("3000000", "0.3000000")])
def test_tle_with_its_perigee_inside_the_earth_is_refused(tmp_path, field, shown):
    text = f"PLUNGE\n{VANGUARD[0]}\n{_with_eccentricity(VANGUARD[1], field)}\n"
    # Vanguard 1: 10.824 rev/day, a = 8632.6 km; the perigee clears the surface while e < 1 - 6378.137/8632.6
    msg = (rf"bad.tle, line 3: eccentricity {re.escape(shown)} puts the perigee \d+ km below the Earth's surface: "
           r"with a mean motion of 10.82419157 rev/day it must be in \[0, 0.261151\)")
    with pytest.raises(ValueError, match=msg):
        tracking.parse_tle(text, source="bad.tle")
    path = tmp_path / "bad.tle"
    path.write_text(text)
    with pytest.raises(ValueError, match=msg):
        tracking.satellite_from_file(path)
    assert tracking.parse_tle(f"{VANGUARD[0]}\n{_with_eccentricity(VANGUARD[1], '2500000')}")  # 0.25: above


def test_tle_circling_faster_than_an_orbit_grazing_the_equator_is_refused():
    l2 = VANGUARD[1][:52] + "18.00000000" + VANGUARD[1][63:68]
    with pytest.raises(ValueError, match=r"bad.tle, line 2: the mean motion must be in \(0, 17\.0\d+\) rev/day, "
                                         r"slower than an orbit grazing the equator \(got 18\)"):
        tracking.parse_tle(f"{VANGUARD[0]}\n{l2}{tracking.tle_checksum(l2)}", source="bad.tle")


def test_unknown_satellite_did_you_mean():
    with pytest.raises(ValueError, match=r"did you mean 'malligyong-1'"):
        tracking.satellite("maligyong-1")


def test_ground_track_stays_within_the_inclination():
    sat = tracking.satellite("malligyong-1")
    lat, lon, h = tracking.ground_track(sat, tracking.times((2024, 6, 6), 86400, 30))
    # 97.4 deg retrograde orbit: the track reaches 180 - 97.4 = 82.6 deg latitude
    assert np.max(np.abs(lat)) == pytest.approx(82.6, abs=0.3)
    assert 480e3 < h.min() and h.max() < 540e3


def test_malligyong_1_passes_over_pyongyang_near_ten_and_twenty_two_hours_local():
    """thespacereview.com/article/4753: a repeating sun-synchronous track passing
    over Pyongyang about 10:00 and 22:00 local time (UTC+9). Pyongyang 39.02 N 125.74 E."""
    ts = tracking.timescale()
    p = tracking.passes(tracking.satellite("malligyong-1"), 39.02, 125.74, ts.utc(2024, 6, 6), ts.utc(2024, 6, 9))
    assert len(p) >= 4
    # the near-overhead passes (above 30 deg) are the ones the claim is about;
    # low passes on neighbouring tracks come about 1.5 h earlier or later
    high = [x for x in p if x["max_elevation_deg"] > 30]
    assert len(high) >= 3
    hours = [(int(x["culmination"][11:13]) + int(x["culmination"][14:16]) / 60 + 9) % 24 for x in high]
    # measured: mornings 10:03-10:42, evenings 23:07-23:26 (the source's "about 22:00" is loose
    # for the evening: at 39 N the northbound pass crosses about an hour after the node time)
    assert all(min(abs(h - 10), abs(h - 22)) < 1.5 for h in hours), hours
    assert any(abs(h - 10) < 1.0 for h in hours) and any(h > 21 for h in hours)


def test_observed_nodal_precession_matches_j2_theory():
    """Two Malligyong-1 sets six days apart (shared/facts/tle.md): the node moved
    45.2326 -> 51.1823 deg between day 158.19566690 and 164.24788005 of 2024,
    0.983 deg/day; J2 theory for a sun-synchronous orbit gives 0.9856 deg/day."""
    observed = (51.1823 - 45.2326) / (164.24788005 - 158.19566690)
    a = orbits.semi_major_axis_from_period_m(86400 / 15.21704003)
    theory = np.degrees(orbits.j2_nodal_rate_rad_s(a, 0.0002221, np.radians(97.4052))) * 86400
    assert theory == pytest.approx(observed, rel=0.02)
    assert observed == pytest.approx(360 / 365.2422, rel=0.01)


def test_works_without_network(monkeypatch):
    import socket

    def refuse(*a, **k):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    tracking.timescale.cache_clear()
    tracking.ephemeris.cache_clear()
    sat = tracking.satellite("iss")
    lat, lon, h = tracking.ground_track(sat, tracking.times((2023, 9, 5, 12), 5400, 60))
    assert np.max(np.abs(lat)) == pytest.approx(51.64, abs=0.3)
    ts = tracking.timescale()
    p = tracking.passes(sat, 51.88, 128.33, ts.utc(2023, 9, 5), ts.utc(2023, 9, 7))  # over Vostochny
    assert p and all("sunlit" in x for x in p if "culmination" in x)


def test_coastline_file_is_natural_earth_land():
    from cosmodrome.coastline import coastline_lonlat

    lon, lat = coastline_lonlat()
    ok = np.isfinite(lon)
    assert ok.sum() > 50_000
    assert np.nanmin(lon) >= -180 and np.nanmax(lon) <= 180 and np.nanmin(lat) >= -90.01
    # the Korean west coast passes within ~20 km of Sohae (39.66 N, 124.71 E)
    d = np.hypot((lon[ok] - 124.71) * np.cos(np.radians(39.66)), lat[ok] - 39.66)
    assert d.min() < 0.2
    # no segment jumps across the map (dateline splits are NaN-separated)
    seg = np.abs(np.diff(lon))
    assert np.nanmax(seg) < 180


def test_places_and_sites_resolve():
    assert tracking.get_place("pyongyang")[1] == pytest.approx(39.02, abs=0.01)
    assert tracking.get_place("vostochny")[0] == "Vostochny Cosmodrome"
    with pytest.raises(ValueError, match="unknown place"):
        tracking.get_place("atlantis")


def test_spy_satellite_sees_pyongyang_in_daylight_and_passes_it_in_shadow_at_night():
    ts = tracking.timescale()
    p = tracking.passes(tracking.satellite("malligyong-1"), 39.02, 125.74, ts.utc(2024, 6, 6), ts.utc(2024, 6, 8))
    for x in p:
        local_h = (int(x["culmination"][11:13]) + 9) % 24
        if 8 <= local_h <= 12:
            assert x["sunlit"] and x["sun_elevation_deg"] > 20  # the imaging passes
        if local_h >= 21:
            assert not x["sunlit"] and x["sun_elevation_deg"] < -6  # June nights: Earth's shadow
    assert not any(x["visible"] for x in p)  # a dawn-dusk-free orbit: never a naked-eye pass here


def test_footprint_and_swath_geometry():
    from cosmodrome import coverage

    # at 0 deg elevation the footprint edge is the horizon: central angle acos(R / (R + h)),
    # 2,467 km of ground from 500 km up (an independent closed form of the same geometry)
    R = coverage.MEAN_EARTH_RADIUS_M
    assert coverage.footprint_radius_m(500e3) == pytest.approx(R * np.arccos(R / (R + 500e3)), rel=1e-12)
    assert coverage.footprint_radius_m(500e3) / 1000 == pytest.approx(2467, rel=0.01)
    # a narrow camera sees (almost) h * fov; a wide one more, because the Earth curves away
    assert coverage.swath_width_m(500e3, 1.0) == pytest.approx(500e3 * np.radians(1.0), rel=1e-3)
    assert coverage.swath_width_m(500e3, 60.0) > 2 * 500e3 * np.tan(np.radians(30.0))
    assert coverage.footprint_radius_m(500e3, 30.0) < coverage.footprint_radius_m(500e3, 10.0)
    with pytest.raises(ValueError, match="wider than the Earth's disc"):
        coverage.swath_width_m(500e3, 170.0)


def test_revisit_over_pyongyang():
    from cosmodrome import coverage

    ts = tracking.timescale()
    p = tracking.passes(tracking.satellite("malligyong-1"), 39.02, 125.74, ts.utc(2024, 6, 6), ts.utc(2024, 6, 13),
                        min_elevation_deg=30.0)
    gaps = coverage.revisit_times_h([x["culmination"] for x in p])
    # twice a day (morning and evening) with occasional longer gaps
    assert 8 < np.median(gaps) < 16 and gaps.max() < 48


@pytest.mark.parametrize("key", ["iss", "malligyong-1"])
def test_secular_j2_propagation_agrees_with_sgp4_over_a_day(key):
    """Measured tolerance: starting from SGP4's own mean elements, two-body
    motion plus J2's secular drift stays within 16 km (ISS) and 18 km
    (Malligyong-1) of SGP4 for a day -- the size of J2's short-period terms.
    Plain two-body from the osculating state drifts 500-1,000 km."""
    sat = tracking.satellite(key)
    m = sat.model
    dts = np.arange(0.0, 86400.0 + 1, 600.0)
    ref = np.array([m.sgp4_tsince(dt / 60)[1] for dt in dts]).T * 1e3
    out = orbits.propagate_j2_secular(tracking.mean_elements(sat), dts)
    r, _ = orbits.elements_to_state(out.semi_major_axis_m, out.eccentricity, out.inclination_rad, out.raan_rad,
                                    out.arg_perigee_rad, out.true_anomaly_rad, tracking.WGS72_MU_M3_S2)
    assert np.max(np.linalg.norm(r - ref, axis=0)) < 25e3
    r2, _ = orbits.propagate(ref[:, 0], np.array(m.sgp4_tsince(0.0)[2]) * 1e3, dts, tracking.WGS72_MU_M3_S2)
    assert np.max(np.linalg.norm(r2 - ref, axis=0)) > 200e3


def test_simulated_malligyong_launch_tracks_like_the_real_satellite():
    """Chollima-1 lifted off at 22:42:28 KST = 13:42:28 UTC on 21 Nov 2023
    (KCNA, 22 Nov 2023). Flying our simulated launch at that time and
    tracking its insertion orbit with SGP4 gives a node local time within half
    an hour of the real satellite's (10:02 from the June 2024 element set)."""
    from datetime import datetime

    from cosmodrome import ascent

    r = ascent.fly_mission("malligyong-1")
    sim = tracking.satellite_from_ascent(r, datetime(2023, 11, 21, 13, 42, 28))
    lat, lon, h = tracking.ground_track(sim, sim.epoch)
    assert lat == pytest.approx(r.latitude_deg[-1], abs=0.3)
    assert lon == pytest.approx(r.longitude_deg[-1], abs=0.3)
    assert h == pytest.approx(r.altitude_m[-1], abs=20e3)
    real = tracking.satellite("malligyong-1")
    assert tracking.local_time_of_ascending_node_h(real) == pytest.approx(10.0, abs=0.25)
    assert tracking.local_time_of_ascending_node_h(sim) == pytest.approx(
        tracking.local_time_of_ascending_node_h(real), abs=0.5)


def test_failed_flight_cannot_be_tracked():
    from datetime import datetime

    from cosmodrome import failures

    with pytest.raises(ValueError, match="did not reach orbit"):
        tracking.satellite_from_ascent(failures.fly_case("unha-3-2012-04"), datetime(2012, 4, 12, 22, 39))


@pytest.mark.parametrize("key,satnum", [("kms-3-2", 39026), ("kms-4", 41332)])
def test_constructed_sets_are_marked_and_reproducible(key, satnum):
    """The bundled constructed sets say so, and rebuilding them from the simulator gives
    the same lines (so data/tle/ cannot silently drift from the code)."""
    from cosmodrome._data import data_path

    text = data_path(f"tle/{key}.tle").read_text()
    assert text.startswith("# CONSTRUCTED, not observed")
    assert tracking.constructed_tle_from_mission(key, satnum) == text
    sat = tracking.satellite(key)
    assert sat.model.satnum == satnum
    assert np.degrees(sat.model.inclo) == pytest.approx(ascent_inclination(key), abs=0.1)


def ascent_inclination(key):
    from cosmodrome import ascent

    return ascent.missions()[key]["inclination_deg"]


def test_times_accepts_an_iso_string_and_rejects_nonsense():
    a = tracking.times("2024-06-06T12:00:00Z", 60, 30)
    b = tracking.times((2024, 6, 6, 12, 0, 0), 60, 30)
    assert np.allclose(a.tt, b.tt)
    with pytest.raises(ValueError, match="start_utc must be an ISO date-time"):
        tracking.times("yesterday", 60, 30)
    with pytest.raises(ValueError, match="start_utc must be a datetime"):
        tracking.times(12345, 60, 30)


def test_ground_track_agrees_with_skyfields_itrs_within_10_cm():
    """The ground track is computed from SGP4's TEME positions turned by Greenwich mean sidereal time
    (GMST 1982, AIAA 2006-6753 appendix C: TEME to the pseudo-Earth-fixed frame), the frame SGP4 is
    defined in; skyfield's full TEME -> GCRS -> ITRS chain is the reference it is checked against.
    Measured: 2.3 mm at most over two days at one-minute steps (issue 19 asks for 50 m)."""
    from skyfield.api import wgs84

    for name in ("malligyong-1", "iss"):
        sat = tracking.satellite(name)
        t = tracking.times(sat.epoch.utc_datetime(), 2 * 86400, 60)
        lat, lon, h = tracking.ground_track(sat, t)
        ref = wgs84.geographic_position_of(sat.at(t))
        ours = earth.geodetic_to_ecef(lat, lon, h)
        theirs = earth.geodetic_to_ecef(ref.latitude.degrees, ref.longitude.degrees, ref.elevation.m)
        assert np.max(np.linalg.norm(ours - theirs, axis=0)) < 0.1, name
        assert np.all((lon >= -180) & (lon <= 180))


def test_ground_track_of_one_time_gives_numbers_and_a_decayed_orbit_is_an_error():
    sat = tracking.satellite("malligyong-1")
    lat, lon, h = tracking.ground_track(sat, sat.epoch)
    assert np.ndim(lat) == np.ndim(lon) == np.ndim(h) == 0 and 400e3 < float(h) < 600e3

    class Decayed:                        # SGP4's own error code 6 for the second time, as for a decayed orbit
        def sgp4_array(self, jd, fr):
            r = np.full((len(jd), 3), 7000.0)
            return np.array([0, 6] + [0] * (len(jd) - 2)), r, r

    class Stub:
        name, model, epoch = sat.name, Decayed(), sat.epoch

    t = tracking.times(sat.epoch.utc_datetime(), 120, 60)
    with pytest.raises(ValueError, match=r"(?i)SGP4 cannot propagate malligyong-1 from its element set of .* to "
                                         r"20\d\d-.*: mrt is less than 1.0 which indicates the satellite has decayed"):
        tracking.ground_track(Stub(), t)


def _skyfield_passes(sat, lat, lon, t0, t1, el_min):
    """The reference: skyfield's own EarthSatellite.find_events and altaz, pass by pass."""
    from skyfield.api import wgs84

    place = wgs84.latlon(lat, lon)
    tt, ev = sat.find_events(place, t0, t1, altitude_degrees=el_min)
    out, cur = [], {}
    for ti, e in zip(tt, ev, strict=True):
        if e == 0:
            cur = {"rise": ti.tt}
        elif e == 1:
            alt, az, _ = (sat - place).at(ti).altaz()
            cur.update(culmination=ti.tt, max_elevation_deg=alt.degrees, azimuth_at_max_deg=az.degrees)
        else:
            cur["set"] = ti.tt
            out.append(cur)
            cur = {}
    return out + ([cur] if cur else [])


@pytest.mark.parametrize("name, place, el_min", [("malligyong-1", (39.02, 125.74), 10.0),
                                                  ("iss", (51.88, 128.33), 10.0), ("iss", (39.02, 125.74), 0.0),
                                                  ("meteor-m2-3", (51.88, 128.33), 30.0)])
def test_passes_agree_with_skyfields_find_events(name, place, el_min):
    """Rise, culmination and set within 1 s and the highest elevation within 0.01 deg of skyfield's
    find_events over three days, with the same passes found (cut ones included)."""
    ts = tracking.timescale()
    sat = tracking.satellite(name)
    t0 = ts.tt_jd(sat.epoch.tt + 0.123)          # starts mid-day, so a pass may be cut by the window
    t1 = ts.tt_jd(t0.tt + 3.0)
    ours = tracking.passes(sat, *place, t0, t1, min_elevation_deg=el_min)
    ref = _skyfield_passes(sat, *place, t0, t1, el_min)
    assert len(ours) == len(ref) >= 3
    for a, b in zip(ours, ref, strict=True):
        assert set(a) >= set(b)
        for key in ("rise", "culmination", "set"):
            if key in b:
                assert abs((ts.from_datetime(_utc(a[key])).tt - b[key]) * 86400) < 1.5, (key, a[key])
        if "culmination" in b:
            assert a["max_elevation_deg"] == pytest.approx(b["max_elevation_deg"], abs=0.01)
            # the azimuth turns fastest at the top, so it is compared at the same instant: skyfield's
            # find_events places culminations only to about a second
            from skyfield.api import wgs84

            at = ts.tt_jd(ts.from_datetime(_utc(a["culmination"])).tt)
            alt, az, _ = (sat - wgs84.latlon(*place)).at(at).altaz()
            ours_el, ours_az = _look(sat, place, at)
            assert (ours_az - az.degrees + 180) % 360 - 180 == pytest.approx(0, abs=0.01)
            assert ours_el == pytest.approx(alt.degrees, abs=0.01)


def _utc(text):
    from datetime import UTC, datetime

    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def _look(sat, place, t):
    """Elevation and azimuth (deg) of ``sat`` from ``place`` at ``t`` by tracking's own Earth-fixed positions."""
    lat, lon = np.radians(place)
    r = tracking._earth_fixed_m(sat, t)[:, 0] - earth.geodetic_to_ecef(place[0], place[1], 0.0)
    up = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    east = np.array([-np.sin(lon), np.cos(lon), 0.0])
    north = np.cross(up, east)
    return (np.degrees(np.arcsin(up @ r / np.linalg.norm(r))),
            np.degrees(np.arctan2(east @ r, north @ r)) % 360.0)
