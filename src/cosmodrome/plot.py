"""Figures for lessons, the tour and the CLI (matplotlib only).

Nothing in the physics imports this module. Functions return a
``matplotlib.figure.Figure`` built without pyplot, so they work headless and
inside notebooks alike; save with ``fig.savefig(path)``.
"""

import numpy as np
from matplotlib.figure import Figure

from . import sites as _sites


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
