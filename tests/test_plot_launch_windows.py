"""The launch-window figures of lessons 2 and 7 draw what the library computes
(plot.late_launch_cost, plot.launch_window_drift), and the two exercises on launch
windows (latitude-6, orbits-6) worked by hand agree with launch_geometry."""

import io
from datetime import date, timedelta

import numpy as np
import pytest

from cosmodrome import launch_geometry as lg, plot, sites
from cosmodrome.constants import EARTH_ROTATION_RAD_S
from cosmodrome.exercises import EXERCISES, latitude as latitude_ex, orbits as orbits_ex

BAIKONUR = sites.get_site("baikonur")
SOHAE = sites.get_site("sohae")


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=40)
    assert buf.getvalue()[:4] == b"\x89PNG"


def test_late_launch_cost_draws_late_launch():
    fig = plot.late_launch_cost(BAIKONUR.latitude_deg, 51.64, site_name="Baikonur")
    ax = fig.axes[0]
    fixed, aimed = ax.lines[0], ax.lines[1]
    x, y = fixed.get_data()
    assert x[0] == 0 and y[0] == pytest.approx(0.0, abs=1e-9)
    assert np.allclose(y, lg.late_launch(BAIKONUR.latitude_deg, 51.64, x * 60.0).delta_v_m_s)
    xa, ya = aimed.get_data()
    assert np.allclose(ya, lg.late_launch(BAIKONUR.latitude_deg, 51.64, xa * 60.0, re_aim=True).delta_v_m_s)
    assert np.all(ya <= y + 1e-9)                          # re-aiming never costs more
    texts = " ".join(t.get_text() for t in ax.texts)
    ten = float(lg.late_launch(BAIKONUR.latitude_deg, 51.64, 600.0).delta_v_m_s)
    assert f"10 min: {ten:.0f} m/s" in texts
    _png(fig)


def test_launch_window_drift_keeps_the_sun_synchronous_window_and_moves_the_fixed_one():
    """A sun-synchronous plane comes back at the same clock time every day; the same plane
    fixed among the stars a sidereal day later, 3.93 min earlier each day."""
    fig = plot.launch_window_drift(SOHAE.latitude_deg, SOHAE.longitude_deg, 97.4, 10.0, date(2023, 11, 21),
                                   days=10, site_name="Sohae")
    sso, fixed = fig.axes[0].lines[:2]
    _, h_sso = sso.get_data()
    _, h_fixed = fixed.get_data()
    assert np.nanmax(h_sso) - np.nanmin(h_sso) < 1.0 / 60.0
    step_min = -np.nanmean(np.diff(h_fixed)) * 60.0
    assert step_min == pytest.approx((86400.0 - 2 * np.pi / EARTH_ROTATION_RAD_S) / 60.0, abs=0.05)
    # the first day's window is the library's sun_synchronous_launch_windows
    w = lg.sun_synchronous_launch_windows(SOHAE.latitude_deg, SOHAE.longitude_deg, 97.4, 10.0, date(2023, 11, 21))
    kst = w.southbound_utc[0] + timedelta(hours=9)
    assert h_sso[0] == pytest.approx(kst.hour + kst.minute / 60 + kst.second / 3600, abs=1.0 / 3600)
    _png(fig)


@pytest.mark.parametrize("seed", range(40))
def test_orbits_6_by_hand_is_the_librarys_window_in_local_time(seed):
    """t = LTAN + 12 h + dlambda/15 with sin u' = sin phi'/sin i, tan dlambda = -cos i tan u'
    (the working) is the reference from launch_geometry's spherical triangle."""
    ex = EXERCISES["orbits-6"]
    p = ex.params_from_seed(seed)
    _, dlam = orbits_ex._sso_parts(p)
    by_hand = (p["ltan"] + 12.0 + dlam / 15.0) % 24.0
    assert by_hand == pytest.approx(ex.reference(p), abs=1e-9)


def test_orbits_6_reference_matches_sun_synchronous_launch_windows():
    """Against the library's dated windows: the southbound window's local solar time at Sohae
    (the site's right ascension minus the mean Sun's, as raan_for_local_time_deg measures the node's)."""
    ex = EXERCISES["orbits-6"]
    for seed in range(5):
        p = ex.params_from_seed(seed)
        win = lg.sun_synchronous_launch_windows(p["lat"], SOHAE.longitude_deg, p["inc"], p["ltan"],
                                                date(2024, 3, 1)).southbound_utc[0]
        site_ra = lg.gmst_deg(win) + SOHAE.longitude_deg
        local = (12.0 + (site_ra - lg.mean_sun_right_ascension_deg(win)) / 15.0) % 24.0
        assert local == pytest.approx(ex.reference(p), abs=2.0 / 60.0)   # the Sun moves 10 s of time a day


@pytest.mark.parametrize("seed", range(40))
def test_latitude_6_by_hand_is_late_launch(seed):
    ex = EXERCISES["latitude-6"]
    p = ex.params_from_seed(seed)
    _, half, v = latitude_ex._late_parts(p)
    assert 2.0 * v * half == pytest.approx(ex.reference(p), rel=1e-6)
    # with the on-time azimuth the cost does not depend on the site
    other = float(lg.late_launch(SOHAE.latitude_deg, p["inc"], 60.0 * p["delay"], altitude_m=p["h"] * 1e3).delta_v_m_s)
    assert other == pytest.approx(ex.reference(p), rel=1e-12)
