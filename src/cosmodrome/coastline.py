"""Coastlines for maps, from Natural Earth, bundled offline as data/coastline_50m.npz.

The file was made once from the npm package world-atlas 2.0.2 (Natural Earth
4.1.0 land, 1:50m, as TopoJSON) with::

    python -m cosmodrome.coastline land-50m.json data/coastline_50m.npz

Provenance and licences: data/coastline.toml. Plotting code reads it with
:func:`coastline_lonlat`; nothing is downloaded at run time.
"""

import json
import sys
from functools import lru_cache

import numpy as np

from ._data import data_path


def arcs_from_topojson(topology):
    """Decode a quantized TopoJSON topology's arcs into (lon, lat) polylines (deg)."""
    tr = topology.get("transform")
    out = []
    for arc in topology["arcs"]:
        a = np.asarray(arc, dtype=float)
        if tr:
            a = np.cumsum(a, axis=0) * np.asarray(tr["scale"]) + np.asarray(tr["translate"])
        out.append(a)
    return out


def convert(topojson_path, npz_path):
    """Write the arcs of a TopoJSON land file as one NaN-separated float32 array."""
    with open(topojson_path, encoding="utf-8") as f:
        arcs = arcs_from_topojson(json.load(f))
    parts = []
    for a in arcs:
        parts.append(a.astype(np.float32))
        parts.append(np.full((1, 2), np.nan, dtype=np.float32))
    np.savez_compressed(npz_path, lonlat=np.concatenate(parts))


def split_at_dateline(lon_deg, lat_deg):
    """Insert NaN where a line jumps across +/-180 deg so plots draw no stray lines."""
    lon = np.asarray(lon_deg, dtype=float)
    lat = np.asarray(lat_deg, dtype=float)
    with np.errstate(invalid="ignore"):
        jumps = np.where(np.abs(np.diff(lon)) > 180.0)[0] + 1
    return np.insert(lon, jumps, np.nan), np.insert(lat, jumps, np.nan)


@lru_cache(maxsize=1)
def coastline_lonlat():
    """Longitudes and latitudes (deg) of the coastlines, NaN between separate lines."""
    with np.load(data_path("coastline_50m.npz")) as z:
        ll = z["lonlat"].astype(float)
    return split_at_dateline(ll[:, 0], ll[:, 1])


if __name__ == "__main__":
    convert(sys.argv[1], sys.argv[2])
