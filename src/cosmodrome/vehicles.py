"""Stages and launch vehicles from data/vehicles.toml: ideal delta-v, lift-off
thrust-to-weight, payload for a delta-v, and optimal staging.

A vehicle is a list of *stage groups* in firing order. A group with
``parallel=True`` (Soyuz's four boosters, Angara-A5's four side modules)
ignites at lift-off with the next group, the core, and is dropped when it
burns out; the ideal delta-v of that phase uses the mass-flow-weighted
vacuum Isp of everything burning.

Sources: Curtis, *Orbital Mechanics for Engineering Students*, 3rd ed.,
sections 11.5-11.6 (staging, optimal staging by Lagrange multipliers,
eqs. 11.59-11.67); data/vehicles.toml for the vehicles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from . import _check
from ._data import load_toml
from .constants import G0_M_S2

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray

#: The ideal delta-v a flight to low orbit costs, m/s, as a round figure for sizing rockets (lessons 3 and 4):
#: the orbital speed, about 7.8 km/s at 200 km, plus what the ascent pays to gravity, drag and steering, less
#: the pad's eastward speed. The simulated Soyuz-2.1b flight from Vostochny of lesson 5 spends within a few
#: per cent of it (tests/test_vehicles.py).
LOW_ORBIT_DELTA_V_M_S = 9400.0


@dataclass(frozen=True)
class Stage:
    """One stage group: ``count`` identical units burning together. Masses per unit."""

    name: str
    dry_mass_kg: float
    propellant_mass_kg: float
    thrust_vac_n: float
    isp_vac_s: float
    burn_time_s: float
    thrust_sl_n: float = 0.0
    isp_sl_s: float = 0.0
    count: int = 1
    parallel: bool = False
    engine: str = ""
    diameter_m: float = 0.0
    length_m: float = 0.0
    uncertainty: float = 0.0
    estimate: bool = False
    source: str = ""
    basis: str = ""  # for an estimate, the public fragments and reasoning it is built on

    def __post_init__(self) -> None:
        where = f" (stage {self.name!r})"
        try:
            _check.positive("dry_mass_kg", self.dry_mass_kg, unit="kg")
            _check.non_negative("propellant_mass_kg", self.propellant_mass_kg, unit="kg")
            _check.positive("thrust_vac_n", self.thrust_vac_n, unit="N")
            _check.positive("isp_vac_s", self.isp_vac_s, unit="s")
            _check.positive("burn_time_s", self.burn_time_s, unit="s")
            _check.in_range("thrust_sl_n", self.thrust_sl_n, 0.0, self.thrust_vac_n, unit="N")
            _check.in_range("isp_sl_s", self.isp_sl_s, 0.0, self.isp_vac_s, unit="s")
            _check.in_range("count", self.count, 1, 64)
            _check.in_range("uncertainty", self.uncertainty, 0.0, 1.0)
        except ValueError as exc:
            raise ValueError(str(exc) + where) from None

    @classmethod
    def from_gross_mass(cls, name: str, gross_mass_kg: float, propellant_mass_kg: float, **kw: Any) -> Stage:
        """A stage given its gross (fuelled) mass; the propellant must weigh less than that."""
        gross = float(_check.positive("gross_mass_kg", gross_mass_kg, unit="kg"))
        prop = float(_check.in_range("propellant_mass_kg", propellant_mass_kg, 0.0, gross, high_open=True, unit="kg"))
        return cls(name=name, dry_mass_kg=gross - prop, propellant_mass_kg=prop, **kw)

    # totals over the group
    @property
    def total_dry_mass_kg(self) -> float:
        return self.count * self.dry_mass_kg

    @property
    def total_propellant_mass_kg(self) -> float:
        return self.count * self.propellant_mass_kg

    @property
    def gross_mass_kg(self) -> float:
        return self.total_dry_mass_kg + self.total_propellant_mass_kg

    @property
    def total_thrust_vac_n(self) -> float:
        return self.count * self.thrust_vac_n

    @property
    def total_thrust_sl_n(self) -> float:
        return self.count * self.thrust_sl_n

    @property
    def mass_flow_kg_s(self) -> float:
        """Average propellant flow of the group, propellant / burn time, kg/s."""
        return self.total_propellant_mass_kg / self.burn_time_s

    @property
    def structural_ratio(self) -> float:
        """Dry mass over gross mass, epsilon = m_dry / (m_dry + m_prop)."""
        return self.dry_mass_kg / (self.dry_mass_kg + self.propellant_mass_kg)


@dataclass(frozen=True)
class Phase:
    """One burn phase of an ideal (vacuum, no losses) flight."""

    name: str
    start_mass_kg: float
    end_mass_kg: float
    isp_vac_s: float
    duration_s: float

    @property
    def delta_v_m_s(self) -> float:
        return self.isp_vac_s * G0_M_S2 * np.log(self.start_mass_kg / self.end_mass_kg)


@dataclass(frozen=True)
class Vehicle:
    """A launch vehicle: stage groups in firing order and what is published about it."""

    key: str
    name: str
    stages: tuple[Stage, ...]
    launch_sites: tuple = ()
    height_m: float = 0.0
    core_diameter_m: float = 0.0
    published_span_m: float = 0.0
    liftoff_mass_published_kg: float = 0.0
    payload_leo_kg: float = 0.0
    fairing_mass_kg: float = 0.0
    frontal_area_m2: float = 0.0
    notes: dict = field(default_factory=dict, compare=False)

    @property
    def estimate(self) -> bool:
        """True when any stage's figures are cosmodrome estimates."""
        return any(s.estimate for s in self.stages)

    def liftoff_mass_without_payload_kg(self) -> float:
        return sum(s.gross_mass_kg for s in self.stages)

    def checked_payload_kg(self, payload_kg: float) -> float:
        """``payload_kg`` as a float, checked to lie between 0 and the vehicle's own lift-off
        mass without payload (kg): no rocket carries more than it weighs itself."""
        p = _check.as_array("payload_kg", payload_kg)
        try:
            return float(_check.in_range("payload_kg", p, 0.0, self.liftoff_mass_without_payload_kg(), unit="kg"))
        except ValueError as exc:
            raise ValueError(f"{exc}; at most {self.name}'s own lift-off mass without payload") from None

    def liftoff_mass_kg(self, payload_kg: float = 0.0) -> float:
        """Gross mass at lift-off with a payload, kg (fairing not included)."""
        return self.liftoff_mass_without_payload_kg() + self.checked_payload_kg(payload_kg)

    def liftoff_groups(self) -> tuple[Stage, ...]:
        """The stage groups burning at lift-off."""
        if self.stages[0].parallel and len(self.stages) > 1:
            return self.stages[:2]
        return self.stages[:1]

    @property
    def liftoff_thrust_n(self) -> float:
        """Sea-level thrust of every engine burning at lift-off, N."""
        return sum(s.total_thrust_sl_n for s in self.liftoff_groups())

    def liftoff_thrust_to_weight(self, payload_kg: float = 0.0, gravity_m_s2: float = G0_M_S2) -> float:
        """Lift-off thrust-to-weight ratio with a payload."""
        return self.liftoff_thrust_n / (self.liftoff_mass_kg(payload_kg) * gravity_m_s2)

    def liftoff_payload_limit_kg(self, gravity_m_s2: float = G0_M_S2) -> float:
        """The payload at which the lift-off thrust-to-weight ratio falls to 1, kg:
        F_sl / g - (the vehicle's own lift-off mass). Any heavier and the rocket cannot leave
        the pad; negative if the empty vehicle cannot lift itself.

        This is not the payload to orbit: that is set by the delta-v the rocket equation
        gives (``payload_for_delta_v_kg``), far below this limit for any real vehicle."""
        g = float(_check.positive("gravity_m_s2", gravity_m_s2, unit="m/s2"))
        return float(self.liftoff_thrust_n / g - self.liftoff_mass_without_payload_kg())

    @property
    def drag_area_m2(self) -> float:
        """Frontal area that sets the drag at lift-off, m2: ``frontal_area_m2`` where the data
        give one (Proton's ring of tanks), else the core plus any parallel boosters as circles."""
        if self.frontal_area_m2:
            return self.frontal_area_m2
        first = self.stages[0]
        d_core = self.core_diameter_m or first.diameter_m
        area = math.pi * d_core**2 / 4
        if first.parallel:
            area += first.count * math.pi * first.diameter_m**2 / 4
        return area

    @property
    def span_m(self) -> float:
        """Width across the strap-on boosters, m (core diameter if there are none).

        Boosters are taken as touching the core: span = core + 2 x booster
        diameter. Compare ``published_span_m``.
        """
        first = self.stages[0]
        if first.parallel:
            return float(span_across_boosters_m(self.core_diameter_m, first.diameter_m))
        return self.core_diameter_m

    def phases(self, payload_kg: float = 0.0) -> list[Phase]:
        """The ideal burn phases with their masses and vacuum Isp (list of :class:`Phase`)."""
        mass = self.liftoff_mass_kg(payload_kg)
        out = []
        stages = list(self.stages)
        i = 0
        core_left = None
        while i < len(stages):
            s = stages[i]
            if s.parallel and i + 1 < len(stages):
                core = stages[i + 1]
                t = s.burn_time_s
                if t > core.burn_time_s:
                    raise ValueError(f"burn_time_s of parallel stage {s.name!r} exceeds its core's")
                burned_core = core.mass_flow_kg_s * t
                mdot = s.mass_flow_kg_s + core.mass_flow_kg_s
                isp = (s.mass_flow_kg_s * s.isp_vac_s + core.mass_flow_kg_s * core.isp_vac_s) / mdot
                end = mass - s.total_propellant_mass_kg - burned_core
                out.append(Phase(f"{s.name} + {core.name}", mass, end, isp, t))
                mass = end - s.total_dry_mass_kg
                core_left = core.total_propellant_mass_kg - burned_core
                i += 1
                continue
            prop = s.total_propellant_mass_kg if core_left is None else core_left
            end = mass - prop
            out.append(Phase(s.name, mass, end, s.isp_vac_s, prop / s.mass_flow_kg_s))
            mass = end - s.total_dry_mass_kg
            core_left = None
            i += 1
        return out

    def ideal_delta_v_m_s(self, payload_kg: float = 0.0) -> float:
        """Ideal rocket-equation delta-v with a payload (vacuum Isp, no losses), m/s."""
        return float(sum(p.delta_v_m_s for p in self.phases(payload_kg)))

    def payload_for_delta_v_kg(self, delta_v_m_s: float) -> float:
        """The heaviest payload given an ideal delta-v, kg.

        Raises ValueError if even an empty vehicle falls short.
        """
        dv = float(_check.positive("delta_v_m_s", delta_v_m_s, unit="m/s"))
        dv0 = self.ideal_delta_v_m_s(0.0)
        if dv > dv0:
            raise ValueError(
                f"delta_v_m_s must be <= {dv0:.0f} m/s for {self.name}, its ideal delta-v with "
                f"no payload (got {dv:.6g})"
            )
        hi = self.liftoff_mass_kg(0.0)
        from scipy.optimize import brentq  # imported on first use: scipy.optimize costs ~0.3 s to import

        return float(brentq(lambda p: self.ideal_delta_v_m_s(p) - dv, 0.0, hi, xtol=1e-3))


def _stage_from_dict(d):
    return Stage(**d)  # the keys were checked when data/vehicles.toml was read (_data.FORMATS)


@lru_cache(maxsize=1)
def _all_vehicles():
    raw = load_toml("vehicles.toml")
    out: dict[str, Vehicle] = {}

    def build(key):
        if key in out:
            return out[key]
        d = raw[key]
        base = build(d["based_on"]) if "based_on" in d else None
        stages = list(base.stages) if base else []
        stages += [_stage_from_dict(s) for s in d.get("stages", [])]
        extra = [_stage_from_dict(s) for s in d.get("extra_stages", [])]
        if "replace_stage" in d:
            stages[int(d["replace_stage"]) - 1] = extra.pop(0)
        stages += extra
        fields = {f: d[f] for f in ("height_m", "core_diameter_m", "published_span_m",
                                    "liftoff_mass_published_kg", "payload_leo_kg", "fairing_mass_kg",
                                    "frontal_area_m2") if f in d}
        if base:
            v = replace(base, key=key, name=d["name"], stages=tuple(stages),
                        launch_sites=tuple(d.get("launch_sites", base.launch_sites)), **fields)
        else:
            v = Vehicle(key=key, name=d["name"], stages=tuple(stages),
                        launch_sites=tuple(d.get("launch_sites", ())), **fields)
        v.notes.update({k: d[k] for k in d if isinstance(d[k], str)})
        out[key] = v
        return v

    for key in raw:
        build(key)
    return out


def all_vehicles() -> dict[str, Vehicle]:
    """Every bundled vehicle, as a dict from key (e.g. ``"angara-a5"``) to :class:`Vehicle`."""
    return dict(_all_vehicles())


def get_vehicle(name: str | Vehicle) -> Vehicle:
    """The vehicle named ``name`` (``"Soyuz-2.1b"`` and ``"soyuz-2-1b"`` both work)."""
    if isinstance(name, Vehicle):
        return name
    return _check.lookup("vehicle", name, _all_vehicles())


def largest_vehicle_at(site_key: str) -> Vehicle:
    """The bundled vehicle with the greatest lift-off thrust that can fly from a site."""
    from .sites import get_site

    site = get_site(site_key)
    fleet = [v for v in _all_vehicles().values() if site.key in v.launch_sites]
    if not fleet:
        raise ValueError(f"no bundled vehicle launches from {site.name}")
    return max(fleet, key=lambda v: v.liftoff_thrust_n)


# --- staging theory ----------------------------------------------------------------

def span_across_boosters_m(core_diameter_m: ArrayLike, booster_diameter_m: ArrayLike) -> NDArray[np.float64]:
    """Width across strap-on boosters that touch the core in opposite pairs, m:
    core + 2 x booster diameter."""
    core = _check.positive("core_diameter_m", core_diameter_m, unit="m")
    booster = _check.positive("booster_diameter_m", booster_diameter_m, unit="m")
    return core + 2.0 * booster


def single_stage_max_delta_v_m_s(isp_s: ArrayLike, structural_ratio: ArrayLike) -> NDArray[np.float64]:
    """Delta-v of a single stage with no payload at all, Isp g0 ln(1/epsilon), m/s.

    The ceiling a single stage cannot pass however big it is built.
    """
    isp = _check.positive("isp_s", isp_s, unit="s")
    eps = _check.in_range("structural_ratio", structural_ratio, 0.0, 1.0, low_open=True, high_open=True)
    return isp * G0_M_S2 * np.log(1.0 / eps)


def staged_delta_v_m_s(isp_s: ArrayLike, structural_ratio: ArrayLike, payload_kg: ArrayLike,
                       stage_mass_kg: ArrayLike) -> float:
    """Ideal delta-v of serial stages, bottom first, with given gross stage masses, m/s."""
    isp = np.atleast_1d(_check.positive("isp_s", isp_s, unit="s"))
    eps = np.atleast_1d(_check.in_range("structural_ratio", structural_ratio, 0.0, 1.0, low_open=True, high_open=True))
    m = np.atleast_1d(_check.positive("stage_mass_kg", stage_mass_kg, unit="kg"))
    p = float(_check.non_negative("payload_kg", payload_kg, unit="kg"))
    total = 0.0
    above = p
    for k in range(len(m) - 1, -1, -1):
        m0 = above + m[k]
        mf = above + eps[k] * m[k]
        total += isp[k] * G0_M_S2 * np.log(m0 / mf)
        above = m0
    return float(total)


def optimal_staging(delta_v_m_s: ArrayLike, isp_s: ArrayLike, structural_ratio: ArrayLike,
                    payload_kg: ArrayLike) -> dict[str, Any]:
    """Lightest serial N-stage vehicle for a delta-v (Lagrange multipliers; Curtis 11.6).

    ``isp_s`` and ``structural_ratio`` list the stages bottom first. Returns
    a dict with ``mass_ratios`` (m0/mf per stage), ``stage_mass_kg`` (gross,
    per stage), ``propellant_mass_kg``, ``dry_mass_kg``, ``liftoff_mass_kg``
    and ``payload_fraction``. Raises ValueError if the stages cannot give that
    delta-v at any size.
    """
    dv = float(_check.positive("delta_v_m_s", delta_v_m_s, unit="m/s"))
    isp = np.atleast_1d(_check.positive("isp_s", isp_s, unit="s")).astype(float)
    eps = np.atleast_1d(_check.in_range("structural_ratio", structural_ratio, 0.0, 1.0,
                                        low_open=True, high_open=True)).astype(float)
    if isp.shape != eps.shape:
        raise ValueError(f"isp_s and structural_ratio must list the same number of stages "
                         f"(got {isp.size} and {eps.size})")
    p = float(_check.positive("payload_kg", payload_kg, unit="kg"))
    c = isp * G0_M_S2
    dv_max = float(np.sum(c * np.log(1.0 / eps)))
    if dv >= dv_max:
        raise ValueError(
            f"delta_v_m_s must be < {dv_max:.0f} m/s for these {isp.size} stage(s): even with no "
            f"payload their structure caps the delta-v at sum(Isp g0 ln(1/epsilon)) (got {dv:.6g})"
        )

    def n_of(eta):
        return (c * eta - 1.0) / (c * eps * eta)

    def f(eta):
        return float(np.sum(c * np.log(n_of(eta)))) - dv

    lo = float(np.max(1.0 / (c * (1.0 - eps)))) * (1.0 + 1e-12)
    hi = lo * 2.0
    while f(hi) < 0:
        hi *= 2.0
    from scipy.optimize import brentq  # imported on first use (see payload_for_delta_v_kg)

    eta = brentq(f, lo, hi, xtol=1e-16, rtol=1e-14, maxiter=500)
    n = n_of(eta)
    masses = np.empty_like(n)
    above = p
    for k in range(n.size - 1, -1, -1):
        masses[k] = above * (n[k] - 1.0) / (1.0 - n[k] * eps[k])
        above += masses[k]
    return {
        "mass_ratios": n,
        "stage_mass_kg": masses,
        "propellant_mass_kg": masses * (1.0 - eps),
        "dry_mass_kg": masses * eps,
        "liftoff_mass_kg": above,
        "payload_fraction": p / above,
    }
