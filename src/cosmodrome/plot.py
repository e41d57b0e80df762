"""Figures for lessons, the tour and the CLI (matplotlib only).

Nothing in the physics imports this module. Functions return a
``matplotlib.figure.Figure`` built without pyplot, so they work headless and
inside notebooks alike; save with ``fig.savefig(path)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import numpy as np
from matplotlib.figure import Figure

from . import sites as _sites

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from datetime import date

    from matplotlib.axes import Axes
    from matplotlib.projections.polar import PolarAxes
    from numpy.typing import ArrayLike
    from skyfield.sgp4lib import EarthSatellite

    from .ascent import AscentResult
    from .sites import Site
    from .vehicles import Stage, Vehicle

#: Where a point's label may go, in points from the point, tried in this order.
_LABEL_OFFSETS = ((6, 4), (6, -4), (-6, 4), (-6, -4), (0, 9), (0, -9), (12, 12), (12, -12), (-12, 12), (-12, -12),
                  (0, 20), (0, -20), (24, 0), (-24, 0), (20, 24), (20, -24), (-20, 24), (-20, -24))


def label_points(ax: Axes, labels: Sequence[tuple[str, tuple[float, float], dict[str, Any]]],
                 offsets: Sequence[tuple[float, float]] = _LABEL_OFFSETS, margin_px: float = 2.0) -> list[str]:
    """Name points so that no two labels overprint and none leaves the axes.

    ``labels`` is a sequence of ``(text, (x, y), style)`` in data coordinates, most
    important first (``style``: keyword arguments for ``annotate``, e.g. colour
    and size). Each label takes the first of ``offsets`` where it is clear of the
    labels already on the axes; set the axes' limits and aspect first. Returns the
    texts that found no clear place and were left out."""
    fig: Any = ax.figure                       # a Figure (its renderer is not in matplotlib's stubs)
    fig.draw_without_rendering()               # the layout the labels will be drawn in
    renderer = fig._get_renderer()
    frame = ax.get_window_extent(renderer)
    taken = [t.get_window_extent(renderer) for t in ax.texts if t.get_visible() and t.get_text().strip()]
    legend = ax.get_legend()
    if legend is not None:
        taken.append(legend.get_window_extent(renderer))
    from matplotlib.transforms import Bbox

    for _, xy, _ in labels:                     # no label covers a labelled point's marker
        x, y = ax.transData.transform(xy)
        taken.append(Bbox.from_extents(x - 4, y - 4, x + 4, y + 4))

    def clear(box):
        inside = (box.x0 >= frame.x0 + margin_px and box.x1 <= frame.x1 - margin_px
                  and box.y0 >= frame.y0 + margin_px and box.y1 <= frame.y1 - margin_px)
        return inside and not any(min(box.x1, b.x1) - max(box.x0, b.x0) > -margin_px
                                  and min(box.y1, b.y1) - max(box.y0, b.y0) > -margin_px for b in taken)

    left_out = []
    for text, xy, style in labels:
        for dx, dy in offsets:
            ann = ax.annotate(text, xy, textcoords="offset points", xytext=(dx, dy),
                              ha="left" if dx > 0 else "right" if dx < 0 else "center",
                              va="bottom" if dy > 0 else "top" if dy < 0 else "center", **style)
            box = ann.get_window_extent(renderer)
            if clear(box):
                taken.append(box)
                break
            ann.remove()
        else:
            left_out.append(text)
    return left_out


def draw_coastlines(ax: Axes, **kw: Any) -> None:
    """Natural Earth 1:50m coastlines (data/coastline_50m.npz) on a lon/lat axis."""
    from .coastline import coastline_lonlat

    lon, lat = coastline_lonlat()
    ax.plot(lon, lat, color=kw.pop("color", "0.55"), lw=kw.pop("lw", 0.6), **kw)


def satellite_ground_track(lat_deg: ArrayLike, lon_deg: ArrayLike, title: str,
                           places: Sequence[tuple[str, float, float]] = (),
                           sites_to_mark: Iterable[Site] | None = None) -> Figure:
    """A satellite's ground track on a world map with coastlines, launch sites and places.

    ``places`` is a sequence of ``(name, lat, lon)``.
    """
    from .coastline import split_at_dateline

    fig = Figure(figsize=(12, 6.5), layout="constrained")
    ax = fig.subplots()
    draw_coastlines(ax)
    lon, lat = split_at_dateline(lon_deg, lat_deg)
    ax.plot(lon, lat, color="tab:blue", lw=1.3, label="ground track")
    ax.plot(lon[0], lat[0], "o", color="tab:green", ms=6, label="start")
    for s in (sites_to_mark if sites_to_mark is not None else _sites.all_sites().values()):
        ax.plot(s.longitude_deg, s.latitude_deg, "^", color="tab:red", ms=5)
    ax.plot([], [], "^", color="tab:red", ms=5, label="launch sites")
    for _name, la, lo in places:
        ax.plot(lo, la, "*", color="k", ms=10)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-90, 90)
    ax.set_aspect("equal")
    ax.set_xticks(range(-180, 181, 30))
    ax.set_yticks(range(-90, 91, 30))
    ax.grid(alpha=0.3)
    ax.set_xlabel("longitude (deg E)")
    ax.set_ylabel("latitude (deg N)")
    ax.set_title(title)
    ax.legend(loc="lower left", fontsize=8)
    label_points(ax, [(name, (lo, la), {"fontsize": 9}) for name, la, lo in places])
    return fig


def sites_speed_and_geo_cost(site_list: Iterable[Site] | None = None) -> Figure:
    """Two panels per site: Earth's free eastward speed, and delta-v from LEO to GEO.

    Sites are sorted by latitude; Vostochny and Sohae are highlighted.
    """
    site_list = list(site_list or _sites.all_sites().values())
    site_list.sort(key=lambda s: abs(s.latitude_deg))
    names = [f"{s.name.split(' (')[0]} ({s.latitude_deg:.1f}°)" for s in site_list]
    speed = np.array([s.surface_speed_m_s for s in site_list])
    geo = [_sites.geo_delta_v_m_s(s.latitude_deg) for s in site_list]
    coplanar = np.array([float(g["total"] - g["plane_change_penalty"]) for g in geo])
    penalty = np.array([float(g["plane_change_penalty"]) for g in geo])
    colors = ["tab:red" if s.key in ("vostochny", "sohae") else "tab:blue" for s in site_list]

    fig = Figure(figsize=(12, 6.5), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(site_list))
    ax1.barh(y, speed, color=colors)
    for yi, v in zip(y, speed, strict=True):
        ax1.text(v + 6, yi, f"{v:.0f}", ha="left", va="center", fontsize=8)
    ax1.set_xlabel("eastward speed of the pad (m/s)")
    ax1.set_title("What Earth's rotation gives a launch due east")
    ax1.set_xlim(0, 560)
    ax1.grid(axis="x", alpha=0.3)
    ax1.set_yticks(y, names, fontsize=8)
    ax1.invert_yaxis()                          # the equator at the top, the highest latitude at the bottom

    ax2.barh(y, coplanar / 1000, color="0.7", label="LEO to GEO if the orbit were equatorial")
    ax2.barh(y, penalty / 1000, left=coplanar / 1000, color=colors,
             label="extra to remove the site's latitude as inclination")
    for yi, c, p in zip(y, coplanar, penalty, strict=True):
        ax2.text((c + p) / 1000 + 0.04, yi, f"{(c + p) / 1000:.2f}", ha="left", va="center", fontsize=8)
    ax2.set_xlabel("delta-v from 200 km LEO to GEO (km/s)")
    ax2.set_title("The price of latitude on the way to GEO")
    ax2.set_xlim(0, 6.5)
    fig.legend(*ax2.get_legend_handles_labels(), loc="outside lower right", fontsize=8, ncols=2,
               title="Hohmann transfer, plane change at apogee", title_fontsize=8)
    ax2.grid(axis="x", alpha=0.3)
    fig.suptitle("Launch sites sorted by latitude (red: Vostochny and Sohae)")
    return fig


def ascent_dashboard(result: AscentResult) -> Figure:
    """Six panels of one simulated flight, with staging events marked:
    altitude vs downrange, speeds, dynamic pressure, axial acceleration, mass,
    flight-path angle."""
    r = result
    t = r.time_s
    fig = Figure(figsize=(13, 8), layout="constrained")
    axs = fig.subplots(2, 3)
    marks = [e for e in r.events if any(w in e.name for w in ("separation", "burnout", "cutoff", "fairing"))]

    def mark(ax):
        for e in marks:
            ax.axvline(e.time_s, color="0.6", lw=0.8, ls="--")

    ax = axs[0, 0]
    ax.plot(r.downrange_m / 1000, r.altitude_m / 1000)
    for e in marks:
        i = min(int(np.searchsorted(t, e.time_s)), t.size - 1)
        ax.plot(r.downrange_m[i] / 1000, r.altitude_m[i] / 1000, "o", ms=4, color="tab:red")
    ax.set_xlabel("downrange (km)")
    ax.set_ylabel("altitude (km)")
    ax.set_title("Trajectory (dots: staging events)")

    ax = axs[0, 1]
    ax.plot(t, r.inertial_speed_m_s / 1000, label="inertial")
    ax.plot(t, r.relative_speed_m_s / 1000, label="relative to the ground")
    mark(ax)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("speed (km/s)")
    ax.legend(fontsize=8)
    ax.set_title("Speed")

    ax = axs[0, 2]
    ax.plot(t, r.dynamic_pressure_pa / 1000)
    mark(ax)
    q_kpa = r.dynamic_pressure_pa / 1000
    # max-Q is the powered ascent's (the simulator's event): a fall back into the air is not it
    t_q = next(e.time_s for e in r.events if e.name.startswith("max-Q"))
    iq = min(int(np.searchsorted(t, t_q)), t.size - 1)
    q_labels = [(f"max-Q {q_kpa[iq]:.1f} kPa\nT+{t[iq]:.0f} s", (t[iq], q_kpa[iq]), {"fontsize": 8})]
    top = int(np.argmax(r.altitude_m))
    if top < t.size - 1 and q_kpa[top:].max() > q_kpa[iq]:
        ir = top + int(np.argmax(q_kpa[top:]))
        q_labels.append((f"falling back: {q_kpa[ir]:.0f} kPa\nT+{t[ir]:.0f} s", (t[ir], q_kpa[ir]), {"fontsize": 8}))
    ax.set_xlabel("time (s)")
    ax.set_ylabel("dynamic pressure (kPa)")
    ax.set_title("Dynamic pressure")
    ax.set_ylim(0, q_kpa.max() * 1.25)
    dashboard_labels = [(ax, q_labels)]         # placed once the whole figure is laid out

    for ax, y, ylabel, title in (
        (axs[1, 0], r.axial_acceleration_g, "axial acceleration (g)", "Acceleration felt by the payload"),
        (axs[1, 1], r.mass_kg / 1000, "mass (t)", "Mass (staging drops it in steps)"),
        (axs[1, 2], r.flight_path_angle_deg, "flight-path angle (deg)", "Flight-path angle (to the ground)"),
    ):
        ax.plot(t, y)
        mark(ax)
        ax.set_xlabel("time (s)")
        ax.set_ylabel(ylabel)
        ax.set_title(title)
    axs[1, 1].set_yscale("log")

    b = r.budget
    if r.reached_orbit:
        assert r.elements is not None  # set whenever the flight reached orbit
        end = (f"orbit {float(r.elements.perigee_altitude_m) / 1000:.0f} x "
               f"{float(r.elements.apogee_altitude_m) / 1000:.0f} km, {float(r.elements.inclination_deg):.1f} deg")
    else:
        end = "did not reach orbit"
    fig.suptitle(
        f"{r.vehicle} from {r.site}: {end}\n"
        f"delta-v: ideal {b['ideal']:.0f} = delivered {b['delivered']:.0f} + gravity {b['gravity']:.0f}"
        f" + drag {b['drag']:.0f} + steering {b['steering']:.0f} + back-pressure {b['back_pressure']:.0f} m/s",
        fontsize=11,
    )
    for a in axs.flat:
        a.grid(alpha=0.3)
    for ax, labels in dashboard_labels:
        label_points(ax, labels)
    return fig


def ascent_ground_track(result: AscentResult, sites_to_mark: Iterable[Site] | None = None) -> Figure:
    """The ascent's ground track (latitude/longitude), with launch sites marked.

    Natural Earth coastlines underneath; suborbital flights end with the
    unpowered fall and an impact cross.
    """
    r = result
    lat, lon = r.latitude_deg, r.longitude_deg
    fig = Figure(figsize=(9, 6), layout="constrained")
    ax = fig.subplots()
    draw_coastlines(ax)
    ax.plot(lon, lat, color="tab:blue", lw=2, label=f"{r.vehicle} ascent")
    ax.plot(lon[0], lat[0], "^", color="tab:green", ms=9, label="lift-off")
    labels: list[tuple[str, tuple[float, float], dict[str, Any]]] = []
    for e in r.events:
        if any(w in e.name for w in ("separation", "burnout", "cutoff")):
            i = min(int(np.searchsorted(r.time_s, e.time_s)), r.time_s.size - 1)
            ax.plot(lon[i], lat[i], "o", color="tab:red", ms=5)
            labels.append((f"T+{e.time_s:.0f} s", (lon[i], lat[i]), {"fontsize": 8}))
    lat_parts, lon_parts = [lat], [lon]
    if r.impact:
        assert r.fall_track is not None  # set with the impact
        flat, flon = r.fall_track
        if np.ptp(flat) + np.ptp(flon) > 0:       # a flight simulated down to the ground has no separate fall
            ax.plot(flon, flat, "--", color="0.4", lw=1.5, label="unpowered fall")
        ax.plot(r.impact[1], r.impact[0], "x", color="k", ms=10, mew=2, label=f"impact T+{r.impact[2]:.0f} s")
        lat_parts.append(flat)
        lon_parts.append(flon)
    all_lat, all_lon = np.concatenate(lat_parts), np.concatenate(lon_parts)
    pad = 4.0
    lo_lat, hi_lat = max(all_lat.min() - pad, -90), min(all_lat.max() + pad, 90)
    lo_lon, hi_lon = all_lon.min() - pad, all_lon.max() + pad
    # keep the map from becoming a sliver: at least 30 deg wide
    if hi_lon - lo_lon < 30:
        mid = (hi_lon + lo_lon) / 2
        lo_lon, hi_lon = mid - 15, mid + 15
    for s in (sites_to_mark or _sites.all_sites().values()):
        if lo_lat <= s.latitude_deg <= hi_lat and lo_lon <= s.longitude_deg <= hi_lon:
            ax.plot(s.longitude_deg, s.latitude_deg, "s", color="0.3", ms=5)
            labels.append((_short_site_name(s), (s.longitude_deg, s.latitude_deg), {"fontsize": 8, "color": "0.3"}))
    ax.set_xlim(lo_lon, hi_lon)
    ax.set_ylim(lo_lat, hi_lat)
    ax.grid(alpha=0.4)
    ax.set_xlabel("longitude (deg E)")
    ax.set_ylabel("latitude (deg N)")
    ax.set_title(f"{r.vehicle} from {_short_name(r.site)}: ground track of the ascent")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    label_points(ax, labels)
    return fig


def near_pad_paths(results: Sequence[AscentResult], labels: Sequence[str], until_s: float = 40.0) -> Figure:
    """The first ``until_s`` seconds of several flights from the same pad: the
    path seen from above (east and north of the pad, km) and altitude against
    time. For launch failures close to the pad (Proton-M, 2013)."""
    if len(results) != len(labels):
        raise ValueError(f"labels must give one label per result ({len(results)} results, got {len(labels)} labels)")
    fig = Figure(figsize=(11, 4.6), layout="constrained")
    ax_plan, ax_alt = fig.subplots(1, 2)
    for r, label in zip(results, labels, strict=True):
        keep = r.time_s <= until_s
        east, north = r.east_north_m[:, keep] / 1000
        line, = ax_plan.plot(east, north, label=label)
        ax_alt.plot(r.time_s[keep], r.altitude_m[keep] / 1000, color=line.get_color(), label=label)
        if r.impact is not None and r.impact[2] <= until_s:
            ax_plan.plot(east[-1], north[-1], "x", color=line.get_color(), ms=10, mew=2)
            ax_alt.plot(r.impact[2], 0.0, "x", color=line.get_color(), ms=10, mew=2)
    ax_plan.plot(0, 0, "k^", ms=9, label="pad")
    ax_plan.set_aspect("equal", adjustable="datalim")
    ax_plan.set_xlabel("east of the pad (km)")
    ax_plan.set_ylabel("north of the pad (km)")
    ax_plan.set_title(f"Seen from above, first {until_s:g} s (x = impact)")
    ax_plan.legend(fontsize=8)
    ax_alt.set_xlabel("time after lift-off (s)")
    ax_alt.set_ylabel("altitude (km)")
    ax_alt.set_title("Altitude")
    ax_alt.set_ylim(bottom=0)
    for ax in (ax_plan, ax_alt):
        ax.grid(alpha=0.3)
    return fig


def telemetry(time_s: ArrayLike, altitude_m: ArrayLike, thrust_n: ArrayLike, mass_kg: ArrayLike,
              title: str = "Telemetry") -> Figure:
    """Thrust, altitude and mass against time, one panel each on a shared time
    axis: how a flight's telemetry looks on a printed page (worksheet failures-1)."""
    t = np.asarray(time_s, dtype=float)
    series = [(np.asarray(thrust_n, dtype=float) / 1000, "thrust (kN)"),
              (np.asarray(altitude_m, dtype=float) / 1000, "altitude (km)"),
              (np.asarray(mass_kg, dtype=float) / 1000, "mass (t)")]
    # an upper stage's thrust is a hundredth of the first stage's: a log scale shows both (and zero)
    for values, label in series:
        if values.shape != t.shape:
            raise ValueError(f"{label.split()[0]} must have one value per time ({t.size} times, got {values.size})")
    fig = Figure(figsize=(7, 6), layout="constrained")
    axs = fig.subplots(3, 1, sharex=True)
    for ax, (values, label) in zip(axs, series, strict=True):
        ax.plot(t, values, "-o", ms=2.5, lw=1.2, color="k")
        ax.set_ylabel(label)
        ax.grid(alpha=0.4)
        ax.set_xticks(np.arange(0, t.max() + 1, 50.0 if t.max() > 300 else 20.0), minor=False)
    axs[0].set_yscale("symlog", linthresh=10.0)
    axs[0].set_ylabel("thrust (kN, log)")
    axs[0].set_ylim(bottom=0)
    axs[0].set_title(title)
    axs[-1].set_xlabel("time after lift-off (s)")
    return fig


def pass_sky_plot(sat: EarthSatellite, place_name: str, latitude_deg: float, longitude_deg: float,
                  pass_info: Mapping[str, Any], step_s: float = 5.0) -> Figure:
    """A pass as seen from a place: azimuth around, elevation inward (zenith at the centre).

    ``pass_info`` is one dict from :func:`cosmodrome.tracking.passes`.
    """
    from skyfield.api import wgs84

    from .tracking import timescale

    ts = timescale()
    t_rise = ts.from_datetime(_iso(pass_info.get("rise") or pass_info["culmination"]))
    t_set = ts.from_datetime(_iso(pass_info.get("set") or pass_info["culmination"]))
    n = max(int((t_set.tt - t_rise.tt) * 86400 / step_s), 2)
    t = ts.tt_jd(np.linspace(t_rise.tt, t_set.tt, n))
    place = wgs84.latlon(latitude_deg, longitude_deg)
    alt, az, _ = (sat - place).at(t).altaz()
    fig = Figure(figsize=(6.5, 6.5), layout="constrained")
    ax = cast("PolarAxes", fig.add_subplot(projection="polar"))
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    r = 90.0 - alt.degrees
    ax.plot(np.radians(az.degrees), r, color="tab:blue", lw=2)
    ax.plot(np.radians(az.degrees[0]), r[0], "o", color="tab:green",
            label=f"rise {pass_info.get('rise', '')[11:19]} UTC")
    ax.plot(np.radians(az.degrees[-1]), r[-1], "s", color="tab:red", label=f"set {pass_info.get('set', '')[11:19]} UTC")
    ax.set_rlim(0, 90)
    ax.set_rticks([0, 30, 60, 90])
    ax.set_yticklabels(["90°", "60°", "30°", "0°"])
    lit = "sunlit" if pass_info.get("sunlit") else "in Earth's shadow"
    ax.set_title(f"{sat.name} over {place_name}\nhighest {pass_info['max_elevation_deg']:.0f}° at "
                 f"{pass_info['culmination'][11:19]} UTC, {lit}", fontsize=10)
    ax.legend(loc="lower left", bbox_to_anchor=(-0.1, -0.12), fontsize=8)
    return fig


def _iso(text):
    from datetime import datetime

    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- figures for the lessons --------------------------------------------------------------

def _short_site_name(site):
    """'Vostochny Cosmodrome', 'Sohae', 'Kennedy': a site's name short enough for a map."""
    return _short_name(site.name)


def _short_name(name):
    name = name.split(" (")[0]
    for tail in (" Satellite Launching Station", " Satellite Launching Ground", " Space Center", " Space Centre",
                 " Satellite Launch Center", " Space Launch Center"):
        name = name.replace(tail, "")
    return name


def sites_map(site_list: Iterable[Site] | None = None,
              highlight: Sequence[str] = ("vostochny", "baikonur", "sohae")) -> Figure:
    """The world's launch sites on a map with coastlines; ``highlight`` ones named in red."""
    site_list = list(site_list or _sites.all_sites().values())
    fig = Figure(figsize=(12, 6.2), layout="constrained")
    ax = fig.subplots()
    draw_coastlines(ax)
    for lat in (0.0,):
        ax.axhline(lat, color="0.8", lw=0.8)
    for s in site_list:
        is_hot = s.key in highlight
        ax.plot(s.longitude_deg, s.latitude_deg, "^", color="tab:red" if is_hot else "tab:blue", ms=8 if is_hot else 6)
    ax.set_xlim(-180, 180)
    ax.set_ylim(-60, 80)
    ax.set_aspect("equal")
    ax.set_xticks(range(-180, 181, 30))
    ax.set_yticks(range(-60, 81, 20))
    ax.grid(alpha=0.3)
    ax.set_xlabel("longitude (deg E)")
    ax.set_ylabel("latitude (deg N)")
    ax.set_title("Launch sites in cosmodrome's data")
    hot = [s for s in site_list if s.key in highlight]
    labels = [(f"{_short_site_name(s)}\n{s.latitude_deg:.1f}° N", (s.longitude_deg, s.latitude_deg),
               {"fontsize": 9, "color": "tab:red", "bbox": {"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1}})
              for s in hot]
    labels += [(_short_site_name(s), (s.longitude_deg, s.latitude_deg), {"fontsize": 7, "color": "0.25"})
               for s in site_list if s not in hot]
    left_out = label_points(ax, labels)
    ax.set_title("Launch sites in cosmodrome's data (red: the lesson's three"
                 + (f"; no room to name {', '.join(left_out)}" if left_out else "") + ")")
    return fig


def vehicle_lineup(vehicle_list: Sequence[Vehicle]) -> Figure:
    """Side views of vehicles to scale: the core stack and, where there are any,
    the strap-on boosters on each side, with the height and the width across them."""
    from matplotlib.patches import Rectangle

    fig = Figure(figsize=(7.5, 6.5), layout="constrained")
    ax = fig.subplots()
    x = 0.0
    ticks, labels = [], []
    for v in vehicle_list:
        first = v.stages[0]
        booster = first.diameter_m if first.parallel else 0.0
        span = v.span_m
        centre = x + span / 2
        ax.add_patch(Rectangle((centre - v.core_diameter_m / 2, 0), v.core_diameter_m, v.height_m,
                               color="0.55", ec="k", lw=0.8))
        if booster:
            for side in (-1, 1):
                left = centre + side * (v.core_diameter_m / 2 + booster / 2) - booster / 2
                ax.add_patch(Rectangle((left, 0), booster, first.length_m, color="tab:orange", ec="k", lw=0.8))
            ax.annotate("", (centre - span / 2, -1.5), (centre + span / 2, -1.5),
                        arrowprops={"arrowstyle": "<->", "lw": 0.8})
            ax.text(centre, -3.6, f"{span:.1f} m", ha="center", fontsize=9)
        ax.text(centre, v.height_m + 1, f"{v.height_m:.1f} m", ha="center", fontsize=9)
        ticks.append(centre)
        labels.append(v.name.replace(" (expendable)", "").replace(" Full Thrust", "\nFull Thrust"))
        x += span + 12.0
    ax.set_xlim(-6, x - 6)
    ax.set_ylim(-6, max(v.height_m for v in vehicle_list) * 1.12)
    ax.set_aspect("equal")
    ax.set_xticks(ticks, labels, fontsize=9)
    ax.set_ylabel("height (m)")
    ax.set_title("To scale: height, and width across the boosters (orange)")
    ax.grid(axis="y", alpha=0.3)
    return fig


def _break_wraps(angle_deg):
    """NaN where an angle series wraps through 0/360, so the line is not drawn across."""
    a = np.array(angle_deg, dtype=float)
    jump = np.abs(np.diff(a)) > 180.0
    a[1:][jump] = np.nan
    return a


def azimuth_for_inclination(site_list: Sequence[Site], inclination_deg: ArrayLike | None = None) -> Figure:
    """Launch azimuth (inertial, and as flown over the turning ground) against the
    target inclination, for each site; the ISS and a sun-synchronous plane marked."""
    inc = np.linspace(0.0, 110.0, 881) if inclination_deg is None else np.asarray(inclination_deg, float)
    fig = Figure(figsize=(10, 6), layout="constrained")
    ax = fig.subplots()
    for s, color in zip(site_list, ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:brown"), strict=False):
        ok = inc >= float(s.lowest_inclination_deg) + 1e-9
        i = inc[ok]
        az = {k: _break_wraps(v) for k, v in _sites.launch_azimuths_deg(s.latitude_deg, i).items()}
        label = f"{s.name.split(' (')[0]} ({s.latitude_deg:.1f}° N)"
        ax.plot(i, az["inertial_ascending"], color=color, lw=1.8, label=label + ": northbound")
        ax.plot(i, az["inertial_descending"], color=color, lw=1.8, alpha=0.45, label=label + ": southbound")
        ax.plot(i, az["ground_ascending"], color=color, lw=1.0, ls="--")
        ax.plot(i, az["ground_descending"], color=color, lw=1.0, ls="--", alpha=0.45)
        ax.axvline(float(s.lowest_inclination_deg), color=color, lw=0.6, ls=":")
    for x, name in ((51.64, "ISS 51.6°"), (97.4, "sun-synchronous 97.4°")):
        ax.axvline(x, color="k", lw=0.8)
        ax.text(x + 0.5, 200, name, rotation=90, fontsize=8, va="bottom")
    ax.set_xlim(inc.min(), inc.max())
    ax.set_ylim(0, 360)
    ax.set_yticks(range(0, 361, 45))
    ax.set_xlabel("target inclination (deg)")
    ax.set_ylabel("launch azimuth (deg clockwise from north)")
    ax.set_title("Which way to launch for each inclination (solid: inertial; dashed: heading over the turning ground)")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(alpha=0.3)
    return fig


def rocket_equation(isp_list: Sequence[float], labels: Sequence[str] | None = None, max_ratio: float = 20.0) -> Figure:
    """Delta-v against mass ratio m0/mf for several specific impulses (the rocket equation)."""
    from .propulsion import delta_v_m_s

    ratio = np.linspace(1.0, max_ratio, 400)
    fig = Figure(figsize=(9, 5.5), layout="constrained")
    ax = fig.subplots()
    for k, isp in enumerate(isp_list):
        label = (labels[k] if labels else "") + f" Isp {isp:g} s"
        ax.plot(ratio, delta_v_m_s(isp, ratio, 1.0) / 1000.0, lw=1.8, label=label.strip())
    ax.axhline(9.4, color="k", lw=0.8, ls="--")
    ax.text(max_ratio * 0.02 + 1, 9.55, "about 9.4 km/s: low orbit, losses included", fontsize=8)
    ax.set_xlabel("mass ratio m0 / mf")
    ax.set_ylabel("ideal delta-v (km/s)")
    ax.set_xlim(1, max_ratio)
    ax.set_ylim(0, 13)
    ax.set_title("The rocket equation: delta-v grows only with the logarithm of the mass ratio")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    return fig


def thrust_with_altitude(stage_list: Sequence[Stage], labels: Sequence[str] | None = None,
                         max_altitude_m: float = 80_000.0) -> Figure:
    """Thrust and Isp of engines against altitude, from sea level to near vacuum."""
    from .atmosphere import pressure_pa
    from .propulsion import isp_at_pressure_s, nozzle_exit_area_m2, thrust_at_pressure_n

    h = np.linspace(0.0, max_altitude_m, 300)
    p = pressure_pa(h)
    fig = Figure(figsize=(10, 4.8), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    for k, st in enumerate(stage_list):
        label = labels[k] if labels else st.name
        ae = nozzle_exit_area_m2(st.thrust_vac_n, st.thrust_sl_n)
        ax1.plot(h / 1000, thrust_at_pressure_n(st.thrust_vac_n, ae, p) / 1e6, label=label)
        ax2.plot(h / 1000, isp_at_pressure_s(st.isp_vac_s, st.thrust_vac_n, ae, p), label=label)
    ax1.set_ylabel("thrust (MN)")
    ax2.set_ylabel("specific impulse (s)")
    for ax in (ax1, ax2):
        ax.set_xlabel("altitude (km)")
        ax.grid(alpha=0.3)
    ax1.set_title("Thrust rises as the air thins")
    ax2.set_title("...and so does Isp: sea level → vacuum")
    ax2.legend(fontsize=8, loc="lower right")
    return fig


def staging_payload_fraction(isp_s: float, structural_ratio: float, max_stages: int = 3) -> Figure:
    """Payload fraction of the lightest 1-, 2- and 3-stage rockets against delta-v,
    for identical stages (Isp, structural ratio); log scale."""
    from .vehicles import optimal_staging, single_stage_max_delta_v_m_s

    fig = Figure(figsize=(9, 5.5), layout="constrained")
    ax = fig.subplots()
    for n in range(1, max_stages + 1):
        top = float(n * single_stage_max_delta_v_m_s(isp_s, structural_ratio))
        dv = np.linspace(1000.0, min(top * 0.995, 14000.0), 160)
        frac = [optimal_staging(d, [isp_s] * n, [structural_ratio] * n, 1.0)["payload_fraction"] for d in dv]
        ax.semilogy(dv / 1000, frac, lw=1.8, label=f"{n} stage{'s' if n > 1 else ''} "
                                                   f"(ceiling {top / 1000:.1f} km/s)")
    ax.axvline(9.4, color="k", lw=0.8, ls="--")
    ax.text(9.5, 0.3, "low orbit", fontsize=8)
    ax.set_xlabel("ideal delta-v (km/s)")
    ax.set_ylabel("payload / lift-off mass")
    ax.set_ylim(1e-4, 1)
    ax.set_title(f"Why rockets have stages (identical stages: Isp {isp_s:g} s, ε = {structural_ratio:g})")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    return fig


def stage_delta_v(vehicle_payloads: Sequence[tuple[Vehicle, float]]) -> Figure:
    """Stacked bars of each burn phase's ideal delta-v, for (vehicle, payload_kg) pairs."""
    fig = Figure(figsize=(9, 5.5), layout="constrained")
    ax = fig.subplots()
    names, top = [], 0.0
    for k, (v, payload) in enumerate(vehicle_payloads):
        bottom = 0.0
        for j, ph in enumerate(v.phases(payload)):
            dv = float(ph.delta_v_m_s) / 1000
            ax.bar(k, dv, bottom=bottom, color=f"C{j}", ec="k", lw=0.6)
            ax.text(k, bottom + dv / 2, f"{ph.name.split(':')[0]}\n{dv:.2f} km/s", ha="center", va="center",
                    fontsize=7)
            bottom += dv
        ax.text(k, bottom + 0.15, f"{bottom:.2f} km/s", ha="center", fontsize=9)
        top = max(top, bottom)
        names.append(f"{v.name}\n({payload / 1000:g} t payload)")
    ax.axhline(9.4, color="k", lw=0.8, ls="--")
    ax.set_xticks(range(len(names)), names, fontsize=8)
    ax.set_ylabel("ideal delta-v (km/s)")
    ax.set_ylim(0, max(13.0, top + 1.2))
    ax.set_title("Where each vehicle's delta-v comes from (dashed: about what low orbit costs)")
    ax.grid(axis="y", alpha=0.3)
    return fig


def booster_layout(core_diameter_m: float, booster_diameter_m: float, n_boosters: int) -> Figure:
    """Top view of a core with strap-on boosters touching it, evenly around it,
    each diameter labelled (the width across is left for the reader)."""
    from matplotlib.patches import Circle

    fig = Figure(figsize=(4.2, 4.2 if n_boosters != 2 else 2.2), layout="constrained")
    ax = fig.subplots()
    rc, rb = core_diameter_m / 2, booster_diameter_m / 2
    ax.add_patch(Circle((0, 0), rc, fc="0.75", ec="k"))
    ax.text(0, 0, f"core\n{core_diameter_m:.2f} m", ha="center", va="center", fontsize=9)
    for k in range(n_boosters):
        a = 2 * np.pi * k / n_boosters
        c = ((rc + rb) * np.cos(a), (rc + rb) * np.sin(a))
        ax.add_patch(Circle(c, rb, fc="#f5b971", ec="k"))
        ax.text(c[0], c[1], f"{booster_diameter_m:.2f} m", ha="center", va="center", fontsize=8)
    lim = rc + 2 * rb + 0.3
    ax.set_xlim(-lim, lim)
    ylim = lim if n_boosters != 2 else max(rc, rb) + 0.3
    ax.set_ylim(-ylim, ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"Seen from above: core and {n_boosters} boosters", fontsize=9)
    return fig


def nodal_precession(altitude_m: float, inclination_deg: ArrayLike | None = None) -> Figure:
    """How fast J2 turns an orbit's plane, against inclination, at one altitude,
    with the Sun's apparent 0.9856 deg/day marked: where they cross is sun-synchronous."""
    from .constants import WGS84_A_M
    from .orbits import j2_nodal_rate_rad_s, sun_synchronous_inclination_rad

    inc = np.linspace(0.0, 180.0, 361) if inclination_deg is None else np.asarray(inclination_deg, float)
    a = WGS84_A_M + float(altitude_m)
    rate = np.degrees(j2_nodal_rate_rad_s(a, 0.0, np.radians(inc))) * 86400.0
    sso = np.degrees(float(sun_synchronous_inclination_rad(a)))
    fig = Figure(figsize=(9, 5), layout="constrained")
    ax = fig.subplots()
    ax.plot(inc, rate, lw=1.8, label=f"plane's turning rate at {altitude_m / 1000:.0f} km")
    ax.axhline(360.0 / 365.2422, color="tab:orange", lw=1.2, label="the Sun's apparent motion, +0.9856°/day")
    ax.axhline(0.0, color="0.5", lw=0.6)
    ax.axvline(sso, color="k", lw=0.8, ls="--")
    ax.text(sso + 1.5, -4, f"sun-synchronous: {sso:.2f}°", fontsize=9)
    ax.set_xlabel("inclination (deg)")
    ax.set_ylabel("turning of the orbit's plane (deg/day, + eastward)")
    ax.set_title("Earth's bulge turns every inclined orbit's plane; one inclination keeps pace with the Sun")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    return fig


def flight_paths(results: Sequence[AscentResult], labels: Sequence[str], title: str = "Flight paths") -> Figure:
    """Altitude against downrange distance for several flights (km), each ending at orbit
    insertion or at its impact (x); for comparing pitch-over kicks."""
    if len(results) != len(labels):
        raise ValueError(f"labels must give one label per result ({len(results)} results, got {len(labels)} labels)")
    fig = Figure(figsize=(10, 4.8), layout="constrained")
    ax = fig.subplots()
    for r, label in zip(results, labels, strict=True):
        line, = ax.plot(r.downrange_m / 1000, r.altitude_m / 1000, lw=1.6, label=label)
        if not r.reached_orbit:
            ax.plot(r.downrange_m[-1] / 1000, r.altitude_m[-1] / 1000, "x", color=line.get_color(), ms=9, mew=2)
    ax.set_xlabel("downrange distance (km)")
    ax.set_ylabel("altitude (km)")
    ax.set_ylim(bottom=0)
    ax.set_title(title)
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    return fig


def loss_books(result: AscentResult) -> Figure:
    """The delta-v books of one flight as they ran: the ideal delta-v spent and each loss paid
    so far (m/s) against time, with the staging events marked."""
    r = result
    fig = Figure(figsize=(10, 4.8), layout="constrained")
    ax_ideal, ax_loss = fig.subplots(1, 2)
    ax_ideal.plot(r.time_s, r.budget_series_m_s["ideal"], color="k", lw=1.6, label="ideal delta-v spent")
    total = sum(r.budget_series_m_s[k] for k in ("gravity", "drag", "steering", "back_pressure"))
    ax_ideal.plot(r.time_s, total, color="C3", lw=1.6, label="all losses")
    for name in ("gravity", "steering", "back_pressure", "drag"):
        ax_loss.plot(r.time_s, r.budget_series_m_s[name], lw=1.6, label=name.replace("_", "-"))
    for ax in (ax_ideal, ax_loss):
        for e in r.events:
            if "separation" in e.name:
                ax.axvline(e.time_s, color="0.6", lw=0.8, ls="--")
        ax.set_xlabel("time after lift-off (s)")
        ax.set_ylabel("m/s")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8, loc="upper left")
    ax_ideal.set_title("The books: spent and lost (dashed: separations)")
    ax_loss.set_title("Each loss, paid so far")
    return fig


def success_estimate(reached_orbit: ArrayLike) -> Figure:
    """A Monte Carlo's success fraction after each flight, with a band of one standard error
    either side: how the estimate settles as flights are added."""
    from .reliability import running_success_fraction

    n, p, se = running_success_fraction(reached_orbit)
    fig = Figure(figsize=(9, 4.5), layout="constrained")
    ax = fig.subplots()
    ax.fill_between(n, np.clip(p - se, 0, 1), np.clip(p + se, 0, 1), color="C0", alpha=0.25,
                    label="± one standard error")
    ax.plot(n, p, color="C0", lw=1.6, label="success fraction so far")
    ax.set_xlabel("flights flown")
    ax.set_ylabel("share that reached orbit")
    ax.set_ylim(0, 1)
    ax.set_xlim(1, n[-1])
    ax.set_title("A Monte Carlo's estimate settles as flights are added")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(alpha=0.3)
    return fig


def reliability_with_stages(stage_reliabilities: Sequence[float] = (0.90, 0.95, 0.99),
                            separation_reliability: float = 0.99, max_stages: int = 5) -> Figure:
    """The chance of reaching orbit against the number of stages (one separation fewer), for a
    few reliabilities per stage: parts that each work almost always still fail together."""
    from .reliability import mission_success_probability

    stages = np.arange(1, max_stages + 1)
    fig = Figure(figsize=(9, 4.5), layout="constrained")
    ax = fig.subplots()
    for r in stage_reliabilities:
        p = [float(mission_success_probability([r] * k, [separation_reliability] * (k - 1))) for k in stages]
        ax.plot(stages, p, "o-", lw=1.6, label=f"each stage {r:.0%}")
    ax.set_xticks(stages)
    ax.set_xlabel("stages (separations: one fewer)")
    ax.set_ylabel("chance of reaching orbit")
    ax.set_ylim(0, 1)
    ax.set_title(f"Reliabilities multiply (each separation {separation_reliability:.0%})")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(alpha=0.3)
    return fig


def class_summary(summary, title="What the class got wrong"):
    """One bar per exercise, split into the students who were right, who ended on each known
    mistake (named in the bar where it fits), who gave another wrong answer, and who handed in
    nothing markable; ``summary`` is ``grading.summary.class_summary``'s list."""
    fig = Figure(figsize=(10, 0.55 * max(len(summary), 3) + 1.6), layout="constrained")
    ax = fig.subplots()
    shades = ("#e6550d", "#fd8d3c", "#fdae6b", "#a63603", "#fdd0a2")
    n = max((s["students"] for s in summary), default=1)
    for row, s in enumerate(summary):
        y, left = -row, 0.0
        parts: list[tuple[int, str, str, str | None]] = [(s["right"], "#31a354", "", None)]
        parts += [(len(m["final"]), shades[k % len(shades)], m["name"], None)
                  for k, m in enumerate(x for x in s["mistakes"] if x["final"])]
        parts += [(len(s["other_wrong"]), "0.6", "", None), (len(s["missing"]), "white", "", "//")]
        for count, colour, name, hatch in parts:
            if count:
                ax.barh(y, count, left=left, color=colour, edgecolor="0.3", lw=0.6, hatch=hatch, height=0.7)
                if name and count / n >= 0.12:
                    ax.text(left + count / 2, y, name, ha="center", va="center", fontsize=7, clip_on=True)
                left += count
    ax.set_yticks([-k for k in range(len(summary))], [s["exercise"] for s in summary])
    ax.set_xlim(0, n)
    ax.set_xlabel("students")
    ax.set_title(title)
    from matplotlib.patches import Patch

    fig.legend(handles=[Patch(color="#31a354", label="right"), Patch(color=shades[0], label="a known mistake (named)"),
                        Patch(color="0.6", label="another wrong answer"),
                        Patch(facecolor="white", edgecolor="0.3", hatch="//", label="nothing handed in")],
               fontsize=8, loc="outside lower center", ncol=4, frameon=False)
    ax.grid(alpha=0.3, axis="x")
    return fig


def late_launch_cost(latitude_deg: float, inclination_deg: float, max_delay_min: float = 15.0,
                     altitude_m: float = 200e3, site_name: str = "the site",
                     marks_min: Sequence[float] = (1, 5, 10)) -> Figure:
    """The delta-v of launching late into a target plane, against the delay: flying the on-time
    azimuth, and re-aimed to the best azimuth (``launch_geometry.late_launch``), with the delays
    ``marks_min`` labelled. ``latitude_deg`` geodetic; the plane corrected on a circular orbit
    ``altitude_m`` up."""
    from .launch_geometry import late_launch

    minutes = np.linspace(0.0, float(max_delay_min), 301)
    fixed = late_launch(latitude_deg, inclination_deg, minutes * 60.0, altitude_m=altitude_m)
    aimed = late_launch(latitude_deg, inclination_deg, minutes * 60.0, altitude_m=altitude_m, re_aim=True)
    fig = Figure(figsize=(9, 5), layout="constrained")
    ax = fig.subplots()
    ax.plot(minutes, fixed.delta_v_m_s, lw=1.8, color="tab:red", label="flying the on-time azimuth")
    ax.plot(minutes, aimed.delta_v_m_s, lw=1.8, color="tab:blue", label="re-aimed to the best azimuth")
    labels: list[tuple[str, tuple[float, float], dict[str, Any]]] = []
    for m in marks_min:
        for cost, colour in ((late_launch(latitude_deg, inclination_deg, 60.0 * m, altitude_m=altitude_m), "tab:red"),
                             (late_launch(latitude_deg, inclination_deg, 60.0 * m, altitude_m=altitude_m,
                                          re_aim=True), "tab:blue")):
            dv = float(cost.delta_v_m_s)
            ax.plot([m], [dv], "o", color=colour, ms=5)
            labels.append((f"{m:g} min: {dv:.0f} m/s", (m, dv), {"fontsize": 8, "color": colour}))
    ax.set_xlim(0, float(max_delay_min))
    ax.set_ylim(0, float(fixed.delta_v_m_s.max()) * 1.08)
    ax.set_xlabel("minutes after the site passed under the target plane")
    ax.set_ylabel(f"delta-v to turn into the plane at {altitude_m / 1000:.0f} km (m/s)")
    ax.set_title(f"The price of launching late from {site_name} into a {inclination_deg:.1f}° plane")
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    label_points(ax, labels, offsets=((8, -6), (8, -14), (-8, 6), (-8, 14)) + _LABEL_OFFSETS)   # below the rising lines
    return fig


def launch_window_drift(latitude_deg: float, longitude_deg: float, inclination_deg: float,
                        local_time_of_node_h: float, first_day: date, days: int = 30, utc_offset_h: float = 9.0,
                        clock: str = "KST", site_name: str = "the site") -> Figure:
    """The southbound launch window's clock time, day after day, into a sun-synchronous plane
    (its node turning with the mean Sun) and into the same plane held fixed among the stars
    (``launch_geometry.launch_windows``; the plane's right ascension from its local time of the
    node at noon UTC on ``first_day``). The clock is UTC + ``utc_offset_h``."""
    from datetime import UTC, datetime, timedelta

    from .launch_geometry import SUN_MEAN_MOTION_DEG_S, launch_windows, raan_for_local_time_deg

    noon = datetime(first_day.year, first_day.month, first_day.day, 12, tzinfo=UTC)
    raan = float(raan_for_local_time_deg(local_time_of_node_h, noon))
    fig = Figure(figsize=(9, 5), layout="constrained")
    ax = fig.subplots()
    for rate, colour, label in ((SUN_MEAN_MOTION_DEG_S, "tab:orange", "sun-synchronous plane (turns with the Sun)"),
                                (0.0, "tab:gray", "the same plane fixed among the stars")):
        day_no: list[float] = []
        hours: list[float] = []
        for k in range(int(days)):
            w = launch_windows(latitude_deg, longitude_deg, inclination_deg, raan, noon,
                               first_day + timedelta(days=k), raan_rate_deg_s=rate)
            for t in w.southbound_utc:
                local = t + timedelta(hours=utc_offset_h)
                day_no.append((t - noon).total_seconds() / 86400.0)
                hours.append(local.hour + local.minute / 60.0 + local.second / 3600.0)
        ax.plot(day_no, _break_wraps(np.array(hours) * 15.0) / 15.0, "o-", ms=3, lw=1.2, color=colour, label=label)
    ax.set_xlabel(f"days after {first_day:%d %B %Y}")
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{int(round(y * 60)) // 60 % 24:02d}:"
                                                            f"{int(round(y * 60)) % 60:02d}"))
    ax.set_ylabel(f"southbound window ({clock})")
    ax.set_title(f"{site_name}: lift-off times into a {inclination_deg:.1f}° plane, node at "
                 f"{local_time_of_node_h:.1f} h local solar time")
    ax.legend(fontsize=8, loc="lower left")
    ax.grid(alpha=0.3)
    return fig
