"""Figures for lessons, the tour and the CLI (matplotlib only).

Nothing in the physics imports this module. Functions return a
``matplotlib.figure.Figure`` built without pyplot, so they work headless and
inside notebooks alike; save with ``fig.savefig(path)``.
"""

import numpy as np
from matplotlib.figure import Figure

from . import sites as _sites


def draw_coastlines(ax, **kw):
    """Natural Earth 1:50m coastlines (data/coastline_50m.npz) on a lon/lat axis."""
    from .coastline import coastline_lonlat

    lon, lat = coastline_lonlat()
    ax.plot(lon, lat, color=kw.pop("color", "0.55"), lw=kw.pop("lw", 0.6), **kw)


def satellite_ground_track(lat_deg, lon_deg, title, places=(), sites_to_mark=None):
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
    for name, la, lo in places:
        ax.plot(lo, la, "*", color="k", ms=10)
        ax.annotate(name, (lo, la), textcoords="offset points", xytext=(6, 4), fontsize=9)
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
    return fig


def sites_speed_and_geo_cost(site_list=None):
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

    fig = Figure(figsize=(11, 8.5), layout="constrained")
    ax1, ax2 = fig.subplots(2, 1, sharex=True)
    y = np.arange(len(site_list))
    ax1.bar(y, speed, color=colors)
    for yi, v in zip(y, speed):
        ax1.text(yi, v + 5, f"{v:.0f}", ha="center", va="bottom", fontsize=8)
    ax1.set_ylabel("eastward speed of the pad (m/s)")
    ax1.set_title("What Earth's rotation gives a launch due east, by site (sorted by latitude)")
    ax1.set_ylim(0, 520)
    ax1.grid(axis="y", alpha=0.3)

    ax2.bar(y, coplanar / 1000, color="0.7", label="LEO to GEO if the orbit were equatorial")
    ax2.bar(y, penalty / 1000, bottom=coplanar / 1000, color=colors,
            label="extra to remove the site's latitude as inclination")
    for yi, c, p in zip(y, coplanar, penalty):
        ax2.text(yi, (c + p) / 1000 + 0.03, f"{(c + p) / 1000:.2f}", ha="center", va="bottom", fontsize=8)
    ax2.set_ylabel("delta-v from 200 km LEO to GEO (km/s)")
    ax2.set_title("The price of latitude: Hohmann transfer with the plane change at apogee")
    ax2.set_ylim(0, 6)
    ax2.legend(loc="upper left", fontsize=8)
    ax2.grid(axis="y", alpha=0.3)
    ax2.set_xticks(y, names, rotation=45, ha="right", fontsize=8)
    return fig


def ascent_dashboard(result):
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
        i = min(np.searchsorted(t, e.time_s), t.size - 1)
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
    iq = int(np.argmax(r.dynamic_pressure_pa))
    ax.annotate(f"max-Q {r.dynamic_pressure_pa[iq] / 1000:.1f} kPa\nT+{t[iq]:.0f} s",
                (t[iq], r.dynamic_pressure_pa[iq] / 1000), textcoords="offset points", xytext=(10, -10), fontsize=8)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("dynamic pressure (kPa)")
    ax.set_title("Dynamic pressure")

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
        end = (f"orbit {float(r.elements.perigee_altitude_m) / 1000:.0f} x {float(r.elements.apogee_altitude_m) / 1000:.0f} km,"
               f" {float(r.elements.inclination_deg):.1f} deg")
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
    return fig


def ascent_ground_track(result, sites_to_mark=None):
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
    for e in r.events:
        if any(w in e.name for w in ("separation", "burnout", "cutoff")):
            i = min(np.searchsorted(r.time_s, e.time_s), r.time_s.size - 1)
            ax.plot(lon[i], lat[i], "o", color="tab:red", ms=5)
            ax.annotate(f"T+{e.time_s:.0f} s", (lon[i], lat[i]), textcoords="offset points", xytext=(6, 4), fontsize=8)
    all_lat, all_lon = [lat], [lon]
    if r.impact:
        flat, flon = r.fall_track
        ax.plot(flon, flat, "--", color="0.4", lw=1.5, label="unpowered fall")
        ax.plot(r.impact[1], r.impact[0], "x", color="k", ms=10, mew=2, label=f"impact T+{r.impact[2]:.0f} s")
        all_lat.append(flat)
        all_lon.append(flon)
    all_lat, all_lon = np.concatenate(all_lat), np.concatenate(all_lon)
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
            ax.annotate(s.name.split(" (")[0], (s.longitude_deg, s.latitude_deg), textcoords="offset points",
                        xytext=(5, -10), fontsize=8, color="0.3")
    ax.set_xlim(lo_lon, hi_lon)
    ax.set_ylim(lo_lat, hi_lat)
    ax.grid(alpha=0.4)
    ax.set_xlabel("longitude (deg E)")
    ax.set_ylabel("latitude (deg N)")
    ax.set_title(f"{r.vehicle} from {r.site}: ground track of the ascent")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    return fig


def pass_sky_plot(sat, place_name, latitude_deg, longitude_deg, pass_info, step_s=5.0):
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
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    r = 90.0 - alt.degrees
    ax.plot(np.radians(az.degrees), r, color="tab:blue", lw=2)
    ax.plot(np.radians(az.degrees[0]), r[0], "o", color="tab:green", label=f"rise {pass_info.get('rise', '')[11:19]} UTC")
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
