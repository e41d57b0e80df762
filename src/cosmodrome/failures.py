"""Fault models for the ascent simulator and the catalogue of real launch
failures (data/failures.toml), each mapped to the fault that models it.

A fault is a small value object passed to :func:`cosmodrome.ascent.fly`
(``faults=[...]``). Stages are numbered from 1 in firing order, as in
data/vehicles.toml (Soyuz's boosters are stage 1, its core stage 2).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import _check
from ._data import load_toml

if TYPE_CHECKING:
    from collections.abc import Mapping

    from .ascent import AscentResult
    from .sites import Site

KINDS = ("thrust_shortfall", "no_ignition", "early_cutoff", "separation_failure",
         "wrong_azimuth", "wrong_site", "overweight_payload", "attitude_loss", "termination", "abort")


@dataclass(frozen=True)
class Fault:
    """One injected fault. Use the constructors below rather than this class."""

    kind: str
    stage: int = 0
    time_s: float = 0.0
    fraction: float = 0.0
    azimuth_error_deg: float = 0.0
    site: str = ""
    extra_mass_kg: float = 0.0
    rate_deg_s: float = 0.0
    direction_deg: float = 0.0
    capsule_mass_kg: float = 0.0
    capsule_drag_area_m2: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)} (got {self.kind!r})")

    def describe(self) -> str:
        k = self.kind
        if k == "thrust_shortfall":
            return f"stage {self.stage} loses {100 * self.fraction:.0f} % of its thrust from T+{self.time_s:g} s"
        if k == "no_ignition":
            return f"stage {self.stage} fails to ignite"
        if k == "early_cutoff":
            return f"stage {self.stage} shuts down early at T+{self.time_s:g} s"
        if k == "separation_failure":
            return f"stage {self.stage} fails to separate and stays attached"
        if k == "wrong_azimuth":
            return f"guidance flies {self.azimuth_error_deg:+g} deg off the planned azimuth"
        if k == "wrong_site" and self.stage:
            return f"stage {self.stage}'s control system set up for {self.site}: it steers in that site's frame"
        if k == "wrong_site":
            return f"guidance initialised with the coordinates of {self.site}"
        if k == "overweight_payload":
            return f"payload {self.extra_mass_kg:g} kg heavier than guidance assumes"
        if k == "attitude_loss":
            side = {0.0: "downrange", 90.0: "to the right", 180.0: "back", 270.0: "to the left"}.get(
                self.direction_deg, f"towards {self.direction_deg:g} deg from the flight direction")
            return (f"attitude control lost at T+{self.time_s:g} s: the thrust axis swings "
                    f"{side} at {self.rate_deg_s:g} deg/s")
        if k == "abort":
            return (f"abort at T+{self.time_s:g} s: thrust ends, the crew capsule ({self.capsule_mass_kg:g} kg) "
                    f"separates and falls alone")
        return f"flight terminated at T+{self.time_s:g} s"


def thrust_shortfall(stage: int, time_s: float, fraction: float) -> Fault:
    """Stage ``stage`` loses ``fraction`` of its thrust (and mass flow) from ``time_s``.

    ``fraction = 1/n`` models one of n engines out; 1 is a total loss.
    """
    _check.in_range("stage", stage, 1, 16)
    return Fault("thrust_shortfall", stage=int(stage), time_s=float(_check.non_negative("time_s", time_s, unit="s")),
                 fraction=float(_check.in_range("fraction", fraction, 0.0, 1.0, low_open=True)))


def engine_out(stage: int, time_s: float, engines: int, out: int = 1) -> Fault:
    """``out`` of the ``engines`` engines (or chambers) of a stage stop at ``time_s``."""
    n = int(_check.in_range("engines", engines, 1, 64))
    k = int(_check.in_range("out", out, 1, n))
    return thrust_shortfall(stage, time_s, k / n)


def no_ignition(stage: int) -> Fault:
    """Stage ``stage`` never ignites; the vehicle coasts from the previous burnout."""
    _check.in_range("stage", stage, 1, 16)
    return Fault("no_ignition", stage=int(stage))


def early_cutoff(stage: int, time_s: float) -> Fault:
    """Stage ``stage`` shuts down at ``time_s``; its unburned propellant stays aboard until separation."""
    _check.in_range("stage", stage, 1, 16)
    return Fault("early_cutoff", stage=int(stage), time_s=float(_check.non_negative("time_s", time_s, unit="s")))


def separation_failure(stage: int) -> Fault:
    """The spent stage ``stage`` is not released: the next stage carries it as dead mass."""
    _check.in_range("stage", stage, 1, 16)
    return Fault("separation_failure", stage=int(stage))


def wrong_azimuth(error_deg: float) -> Fault:
    """Guidance flies, and aims its orbit plane, ``error_deg`` off the planned azimuth."""
    return Fault("wrong_azimuth",
                 azimuth_error_deg=float(_check.in_range("error_deg", error_deg, -180.0, 180.0, unit="deg")))


def wrong_site(site: str | Site, stage: int = 0) -> Fault:
    """A control system set up with another launch site's coordinates.

    With ``stage`` 0 the whole vehicle's guidance computes the orbit plane
    from ``site`` and chases that plane from lift-off. With ``stage`` k >= 2
    only stage k, an upper stage with its own control system, was set up for
    ``site`` (Meteor-M 2-1, 2017: the Fregat, as if launched from Baikonur).
    The stages below fly normally. From stage k's ignition its control system
    takes its reference frame for ``site``'s local (east, north, up) frame at
    lift-off, while it is really the launch site's, so it sees the flight, and
    steers, turned by the rotation between the two frames (65 deg between
    Vostochny and Baikonur): it turns to correct an attitude error that is not
    there, fires, and chases an orbit plane turned as much. It acts through
    closed-loop guidance, which an upper stage flies.
    """
    from .sites import get_site

    stage = int(_check.in_range("stage", stage, 0, 16))
    if stage == 1:
        raise ValueError("stage must be 0 (the whole vehicle) or an upper stage >= 2 (got 1)")
    return Fault("wrong_site", site=get_site(site).key, stage=stage)


def overweight_payload(extra_mass_kg: float) -> Fault:
    """The payload weighs ``extra_mass_kg`` more than the flight plan assumes."""
    return Fault("overweight_payload", extra_mass_kg=float(_check.positive("extra_mass_kg", extra_mass_kg, unit="kg")))


def attitude_loss(time_s: float, rate_deg_s: float, direction_deg: float = 90.0) -> Fault:
    """From ``time_s`` the control system no longer holds the commanded attitude.

    A point-mass model of an attitude-control failure (a sensor installed
    upside down, an inertial reference that stops): the thrust axis leaves
    the direction guidance commands at ``time_s`` and turns steadily, at
    ``rate_deg_s``, towards the horizontal bearing ``direction_deg`` measured
    from the flight azimuth (0 downrange, 90 right, 180 back, 270 left) and
    on past it, up to pointing backwards. The rotation of the vehicle about
    its centre of mass is not simulated, only where its thrust points.
    """
    return Fault("attitude_loss", time_s=float(_check.non_negative("time_s", time_s, unit="s")),
                 rate_deg_s=float(_check.in_range("rate_deg_s", rate_deg_s, 0.0, 90.0, low_open=True, unit="deg/s")),
                 direction_deg=float(_check.in_range("direction_deg", direction_deg, 0.0, 360.0, high_open=True,
                                                     unit="deg")))


def abort(time_s: float, capsule_mass_kg: float, capsule_drag_area_m2: float) -> Fault:
    """The crew's escape (Soyuz MS-10, 2018): at ``time_s`` all thrust ends and the crew
    capsule leaves the rocket and falls on its own, a blunt body of ``capsule_mass_kg``
    whose drag is ``capsule_drag_area_m2`` (drag coefficient x frontal area, m^2) at
    every speed. The small push of the escape motors is not modelled."""
    return Fault("abort", time_s=float(_check.non_negative("time_s", time_s, unit="s")),
                 capsule_mass_kg=float(_check.positive("capsule_mass_kg", capsule_mass_kg, unit="kg")),
                 capsule_drag_area_m2=float(_check.positive("capsule_drag_area_m2", capsule_drag_area_m2, unit="m^2")))


def termination(time_s: float) -> Fault:
    """All thrust ends at ``time_s`` (break-up or flight-termination system); the debris falls."""
    return Fault("termination", time_s=float(_check.non_negative("time_s", time_s, unit="s")))


_BUILDERS = {
    "thrust_shortfall": lambda d: thrust_shortfall(d["stage"], d["time_s"], d["fraction"]),
    "no_ignition": lambda d: no_ignition(d["stage"]),
    "early_cutoff": lambda d: early_cutoff(d["stage"], d["time_s"]),
    "separation_failure": lambda d: separation_failure(d["stage"]),
    "wrong_azimuth": lambda d: wrong_azimuth(d["azimuth_error_deg"]),
    "wrong_site": lambda d: wrong_site(d["site"], d.get("stage", 0)),
    "overweight_payload": lambda d: overweight_payload(d["extra_mass_kg"]),
    "attitude_loss": lambda d: attitude_loss(d["time_s"], d["rate_deg_s"], d.get("direction_deg", 90.0)),
    "termination": lambda d: termination(d["time_s"]),
    "abort": lambda d: abort(d["time_s"], d["capsule_mass_kg"], d["capsule_drag_area_m2"]),
}


def catalogue() -> dict[str, dict[str, Any]]:
    """The real failures of data/failures.toml, as a dict from key to its table."""
    return dict(load_toml("failures.toml"))


def faults_for(case_key: str) -> tuple[Fault, ...]:
    """The faults (a tuple of :class:`Fault`) that model a catalogued failure.

    A case's ``model`` is one fault table or a list of them (an attitude loss
    followed by the range-safety destruct, say). ValueError if it has none.
    """
    case = _check.lookup("failure case", case_key, load_toml("failures.toml"))
    model = case.get("model")
    if not model:
        raise ValueError(f"failure case {case_key!r} has no simulated model: {case.get('why_not_simulated', '')}")
    tables = model if isinstance(model, list) else [model]
    return tuple(_BUILDERS[m["kind"]](m) for m in tables)


def model_kinds(case: Mapping[str, Any]) -> str:
    """The fault kinds that model a catalogue entry, joined with ' + ' ('not modelled' if none)."""
    model = case.get("model")
    if not model:
        return "not modelled"
    return " + ".join(m["kind"] for m in (model if isinstance(model, list) else [model]))


def describe_case(case_key: str, width: int = 100) -> str:
    """A catalogued failure as text lines of at most ``width`` characters: its date (UTC), key
    and model; what failed and how certain that is, in full; its first two sources and how
    many more there are. Lines break at spaces only, never inside a word (so a line is longer
    than ``width`` only where one word, a web address, is)."""
    case = _check.lookup("failure case", case_key, load_toml("failures.toml"))
    width = int(_check.in_range("width", width, 40, 1000))

    def wrap(label, text):
        return textwrap.fill(" ".join(text.split()), width, initial_indent="    " + label,
                             subsequent_indent="      ", break_long_words=False, break_on_hyphens=False)

    sources = case["sources"]
    more = len(sources) - 2
    lines = [f"{case['date']}  {case_key}  [{model_kinds(case)}]",
             wrap("", case["what_failed"]),
             wrap("certainty: ", case["certainty"]),
             wrap("sources: ",
                  "; ".join(sources[:2]) + (f" (and {more} more in data/failures.toml)" if more > 0 else ""))]
    return "\n".join(lines)


def fly_case(case_key: str, **overrides: Any) -> AscentResult:
    """Simulate a catalogued failure with its faults injected."""
    from . import ascent

    case = _check.lookup("failure case", case_key, load_toml("failures.toml"))
    faults = faults_for(case_key)
    kw = dict(case["target"])
    kw.update(overrides)
    return ascent.fly(case["vehicle"], case["site"], faults=faults, **kw)
