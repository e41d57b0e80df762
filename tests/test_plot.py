"""The lesson figures draw what they say: the right number of curves and bars,
with values computed by the library, and they render to PNG."""

import io

import numpy as np
import pytest

from cosmodrome import plot, sites, vehicles
from cosmodrome.propulsion import delta_v_m_s

V = vehicles.get_vehicle


def _png(fig):
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=40)
    assert buf.getvalue()[:4] == b"\x89PNG"


def test_sites_map_marks_every_site():
    fig = plot.sites_map()
    ax = fig.axes[0]
    markers = [ln for ln in ax.lines if ln.get_marker() == "^"]
    assert len(markers) == len(sites.all_sites())
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Vostochny" in texts and "51.9° N" in texts and "Sohae" in texts
    _png(fig)


def test_vehicle_lineup_is_to_scale():
    fig = plot.vehicle_lineup([V("angara-a5"), V("chollima-1")])
    ax = fig.axes[0]
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights[-1] == pytest.approx(V("angara-a5").height_m)
    assert "8.7 m" in [t.get_text() for t in ax.texts]          # Angara-A5 across its boosters
    _png(fig)


def test_azimuth_plot_starts_at_each_sites_lowest_inclination():
    vost = sites.get_site("vostochny")
    fig = plot.azimuth_for_inclination([vost])
    first = fig.axes[0].lines[0]
    x, y = first.get_data()
    assert x[0] >= float(vost.lowest_inclination_deg)
    assert y[0] == pytest.approx(90.0, abs=3.0)                   # due east at the lowest inclination
    _png(fig)


def test_rocket_equation_curves_follow_the_equation():
    fig = plot.rocket_equation([300.0, 450.0])
    x, y = fig.axes[0].lines[1].get_data()
    assert np.allclose(y, delta_v_m_s(450.0, x, 1.0) / 1000)
    _png(fig)


def test_thrust_with_altitude_goes_from_sea_level_to_vacuum():
    st = V("soyuz-2-1b").stages[0]
    fig = plot.thrust_with_altitude([st], labels=["Soyuz booster"])
    _, thrust = fig.axes[0].lines[0].get_data()
    assert thrust[0] == pytest.approx(st.thrust_sl_n / 1e6, rel=1e-3)
    assert thrust[-1] == pytest.approx(st.thrust_vac_n / 1e6, rel=2e-3)
    _png(fig)


def test_staging_fraction_one_stage_ends_at_its_ceiling():
    fig = plot.staging_payload_fraction(330.0, 0.09)
    lines = fig.axes[0].lines
    x1 = lines[0].get_data()[0]
    ceiling = float(vehicles.single_stage_max_delta_v_m_s(330.0, 0.09)) / 1000
    assert x1[-1] < ceiling and x1[-1] > 0.98 * ceiling
    _png(fig)


def test_stage_delta_v_bars_add_up_to_the_vehicle():
    v = V("chollima-1")
    fig = plot.stage_delta_v([(v, 300.0)])
    total = sum(p.get_height() for p in fig.axes[0].patches)
    assert total == pytest.approx(v.ideal_delta_v_m_s(300.0) / 1000, rel=1e-9)
    _png(fig)


def test_nodal_precession_crosses_the_sun_rate_at_the_sso_inclination():
    from cosmodrome import orbits
    from cosmodrome.constants import WGS84_A_M

    fig = plot.nodal_precession(500e3)
    x, y = fig.axes[0].lines[0].get_data()
    sso = np.degrees(float(orbits.sun_synchronous_inclination_rad(WGS84_A_M + 500e3)))
    assert np.interp(sso, x, y) == pytest.approx(360 / 365.2422, rel=0.01)
    assert y[0] < 0 < y[-1]                       # prograde orbits turn west, retrograde east
    _png(fig)


def test_near_pad_paths_draws_the_fall_and_refuses_mismatched_labels():
    from cosmodrome import ascent, failures

    good = ascent.fly("proton-m", "baikonur", perigee_km=200, apogee_km=200, inclination_deg=64.8, payload_kg=20000)
    bad = failures.fly_case("proton-m-2013-07")
    fig = plot.near_pad_paths([good, bad], ["nominal", "2013"])
    plan, alt = fig.axes
    # the failed flight ends at its impact point, marked with an x in both panels
    xs = [ln for ln in plan.lines if ln.get_marker() == "x"]
    assert len(xs) == 1
    east, north = bad.east_north_m[:, -1] / 1000
    assert xs[0].get_xdata()[0] == pytest.approx(east) and xs[0].get_ydata()[0] == pytest.approx(north)
    assert alt.get_ylim()[0] == 0
    _png(fig)
    with pytest.raises(ValueError, match="labels must give one label per result"):
        plot.near_pad_paths([good, bad], ["only one"])


def test_telemetry_panels_show_the_table_and_refuse_ragged_input():
    t = np.arange(0.0, 50.0, 10.0)
    fig = plot.telemetry(t, t * 100, np.array([1.5e6, 1.5e6, 2e5, 0.0, 0.0]), np.linspace(9e4, 1e4, 5))
    thrust, alt, mass = fig.axes
    assert list(thrust.lines[0].get_ydata()) == [1500, 1500, 200, 0, 0]   # kN
    assert thrust.get_yscale() == "symlog"                                # stage 3's 20 kN stays visible
    assert list(alt.lines[0].get_ydata()) == list(t / 10)                 # km
    _png(fig)
    with pytest.raises(ValueError, match=r"thrust must have one value per time \(5 times, got 4\)"):
        plot.telemetry(t, t, np.ones(4), t)


def test_label_points_keeps_labels_apart_inside_the_axes_and_says_what_did_not_fit():
    from figure_text import text_problems
    from matplotlib.figure import Figure

    fig = Figure(figsize=(4, 3))
    ax = fig.subplots()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    points = [(f"point {i}", (5 + 0.05 * i, 5), {"fontsize": 9}) for i in range(40)]   # 40 labels, one spot
    points.append(("corner", (9.9, 9.9), {"fontsize": 9}))
    left_out = plot.label_points(ax, points)
    assert text_problems(fig) == []
    placed = [t.get_text() for t in ax.texts]
    assert "point 0" in placed and "corner" in placed and len(left_out) > 0
    assert sorted(placed + left_out) == sorted(p[0] for p in points)


def test_the_dashboards_max_q_is_the_ascents_not_the_fall_back_into_the_air():
    from cosmodrome import failures

    may = failures.fly_case("chollima-1-2023-05")         # stage 2 never lit: the rocket falls back
    texts = [t.get_text() for t in plot.ascent_dashboard(may).axes[2].texts]
    max_q = next(e for e in may.events if e.name.startswith("max-Q"))
    assert any(t.startswith("max-Q") and f"T+{max_q.time_s:.0f} s" in t for t in texts)
    assert any(t.startswith("falling back") for t in texts)
    track = plot.ascent_ground_track(may)
    labels = track.axes[0].get_legend_handles_labels()[1]
    assert "unpowered fall" not in labels                  # simulated to the ground: no separate fall drawn


def test_the_readme_picture_shows_the_current_flight():
    """The README's picture is committed; when the simulator's reference flight changes,
    `make pictures` redraws it. Its PNG metadata records the flight it shows."""
    from pathlib import Path

    from PIL import Image

    from cosmodrome import tour

    path = Path(__file__).resolve().parents[1] / tour.README_PICTURE
    shown = Image.open(path).text.get("Description")
    assert shown == tour.readme_picture_summary(), "the README's picture is stale: run `make pictures`"
