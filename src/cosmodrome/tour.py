"""The short tour written to build/ by ``cosmodrome tour`` (the main job until
the course pack exists): the visit's two questions answered, a table of
sites, one figure, and where to go next. Calls the library; holds no physics.
"""

import csv
import html
from pathlib import Path

from . import sites, vehicles
from .constants import G0_M_S2


def visit_answers():
    """The two questions asked at Vostochny on 13 September 2023, answered with the library."""
    a5 = vehicles.get_vehicle("angara-a5")
    big = vehicles.largest_vehicle_at("vostochny")
    return {
        "angara_span_m": a5.span_m,
        "angara_span_published_m": a5.published_span_m,
        "angara_core_m": a5.core_diameter_m,
        "largest_vehicle": big.name,
        "largest_liftoff_thrust_n": big.liftoff_thrust_n,
        "largest_engines": f"{sum(s.count for s in big.liftoff_groups())} x {big.stages[0].engine}",
        "largest_liftoff_twr": big.liftoff_thrust_to_weight(big.payload_leo_kg),
    }


def site_rows():
    """One row per site: name, latitude, lowest inclination, eastward speed, GEO delta-v."""
    rows = []
    for s in sorted(sites.all_sites().values(), key=lambda s: -s.latitude_deg):
        g = sites.geo_delta_v_m_s(s.latitude_deg)
        rows.append({
            "site": s.key,
            "name": s.name,
            "latitude_deg": round(s.latitude_deg, 3),
            "lowest_inclination_deg": round(float(s.lowest_inclination_deg), 2),
            "eastward_speed_m_s": round(s.surface_speed_m_s, 1),
            "leo_to_geo_dv_m_s": round(float(g["total"]), 0),
            "corridors_deg": "; ".join(str(c) for c in s.corridors),
        })
    return rows


def write_tour(out_dir):
    """Write tour.md, index.html, sites.csv and the figure into ``out_dir``; return their paths."""
    from . import plot

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ans = visit_answers()
    rows = site_rows()

    with open(out / "sites.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)

    fig = plot.sites_speed_and_geo_cost()
    fig.savefig(out / "sites_speed_and_geo_cost.png", dpi=110)
    fig.savefig(out / "sites_speed_and_geo_cost.svg")

    thrust_mn = ans["largest_liftoff_thrust_n"] / 1e6
    lines = [
        "# cosmodrome: a short tour",
        "",
        "On 13 September 2023 Kim Jong Un toured Russia's Vostochny Cosmodrome (51.9 N) and asked two questions.",
        "",
        '## "Is it eight metres, including the parts?"',
        "",
        f"Angara-A5 has a {ans['angara_core_m']:.1f} m core with four {ans['angara_core_m']:.1f} m side modules. "
        f"Across the boosters, with the modules touching, it is **{ans['angara_span_m']:.2f} m** wide; "
        f"the published overall diameter is {ans['angara_span_published_m']:.2f} m. "
        "So yes: about eight metres and a bit.",
        "",
        '## "What is the thrust of the largest rocket that can be launched from this space port?"',
        "",
        f"The largest vehicle in cosmodrome's data that flies from Vostochny is **{ans['largest_vehicle']}**: "
        f"{ans['largest_engines']} engines give **{thrust_mn:.2f} MN** at lift-off "
        f"(about {ans['largest_liftoff_thrust_n'] / G0_M_S2 / 1000:.0f} tonnes-force), "
        f"a thrust-to-weight ratio of {ans['largest_liftoff_twr']:.2f} with a full payload.",
        "",
        "## Launch sites",
        "",
        "| site | latitude (deg) | lowest inclination (deg) | eastward speed (m/s) | LEO to GEO (m/s) | corridors |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['latitude_deg']:.2f} | {r['lowest_inclination_deg']:.2f} | "
            f"{r['eastward_speed_m_s']:.0f} | {r['leo_to_geo_dv_m_s']:.0f} | {r['corridors_deg']} |"
        )
    lines += [
        "",
        "![Eastward speed and delta-v to GEO by site](sites_speed_and_geo_cost.png)",
        "",
        "## Explore further",
        "",
        "With cosmodrome installed (`pip install`, or `.venv/bin/` in a checkout built by `make`):",
        "",
        "    cosmodrome sites",
        "    cosmodrome site vostochny --inclination 97.6",
        "    cosmodrome site vostochny --inclination 51.6   # the ISS plane: why not?",
        "    cosmodrome vehicle angara-a5",
        "    cosmodrome vehicle chollima-1 --payload-kg 300",
        "    cosmodrome lessons --out my-lessons/           # the student notebooks, then: jupyter lab my-lessons/",
        "",
    ]
    md = "\n".join(lines)
    (out / "tour.md").write_text(md, encoding="utf-8")
    (out / "index.html").write_text(_md_to_html(md), encoding="utf-8")
    return [out / n for n in ("tour.md", "index.html", "sites.csv", "sites_speed_and_geo_cost.png")]


def _md_to_html(md):
    """A tiny renderer for the tour's own Markdown (headings, bold, tables, images, code)."""
    import re

    body = []
    in_table = False
    for line in md.splitlines():
        esc = html.escape(line)
        esc = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", esc)
        if line.startswith("|"):
            cells = [c.strip() for c in esc.strip("|").split("|")]
            if set(line.replace("|", "").strip()) <= set("-: "):
                continue
            tag = "th" if not in_table else "td"
            if not in_table:
                body.append("<table>")
                in_table = True
            body.append("<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>")
            continue
        if in_table:
            body.append("</table>")
            in_table = False
        if line.startswith("## "):
            body.append(f"<h2>{esc[3:]}</h2>")
        elif line.startswith("# "):
            body.append(f"<h1>{esc[2:]}</h1>")
        elif line.startswith("!["):
            m = re.match(r"!\[(.*)\]\((.*)\)", line)
            assert m is not None, line  # lines starting "![" are the tour's own image links
            body.append(f'<img alt="{html.escape(m.group(1))}" src="{html.escape(m.group(2))}" style="max-width:100%">')
        elif line.startswith("    "):
            body.append(f"<pre>{esc[4:]}</pre>")
        elif line:
            body.append(f"<p>{esc}</p>")
    if in_table:
        body.append("</table>")
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}"
             "td,th{border:1px solid #ccc;padding:2px 6px}pre{margin:0}")
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>cosmodrome tour</title><style>{style}</style>"
            f"</head><body>{''.join(body)}</body></html>")


#: The README's picture (committed, so the README shows it on any repository page).
README_PICTURE = "lessons/images/chollima-1-ascent.png"


def readme_picture_summary():
    """What the README's picture shows, in one line: Chollima-1's reference flight
    (``ascent.fly_mission("malligyong-1")``), its events and its delta-v budget."""
    from . import ascent

    r = ascent.fly_mission("malligyong-1")
    events = ", ".join(f"{e.name} T+{e.time_s:.0f} s" for e in r.events)
    budget = ", ".join(f"{k} {v:.0f}" for k, v in r.budget.items())
    return f"{r.vehicle} from {r.site}: {events}; delta-v m/s: {budget}"


def write_readme_picture(path):
    """Draw the README's picture (the ascent dashboard of Chollima-1's reference flight)
    to ``path``, with :func:`readme_picture_summary` in its PNG metadata, so a test can
    tell when the flight has changed and the picture is stale."""
    from . import ascent, plot

    fig = plot.ascent_dashboard(ascent.fly_mission("malligyong-1"))
    fig.savefig(path, dpi=80, metadata={"Description": readme_picture_summary()})
    return Path(path)
