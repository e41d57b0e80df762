"""Input checks that fail with a message a student can act on.

Every public function validates what it is given and raises ``ValueError``
naming the field, the offending value and the allowed range, instead of
letting NumPy warn or return NaN.
"""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, TypeVar

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Mapping

    from numpy.typing import ArrayLike, NDArray

_T = TypeVar("_T")


def _fmt(value):
    return f"{float(value):.6g}"


def as_array(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """Return ``value`` as a float array; reject non-numbers, NaN and infinities."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number (got {value!r})") from None
    if not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].ravel()[0]
        raise ValueError(f"{name} must be a finite number (got {bad})")
    return arr


def in_range(name: str, value: ArrayLike, low: float | None = None, high: float | None = None, *,
             low_open: bool = False, high_open: bool = False, unit: str = "") -> NDArray[np.float64]:
    """Check ``low <= value <= high`` elementwise (open ends if asked); return the array.

    The message names the first offending element and the allowed range, e.g.
    ``isp_s must be > 0 s (got -300)``.
    """
    arr = as_array(name, value)
    ok = np.ones(arr.shape, dtype=bool)
    if low is not None:
        ok &= (arr > low) if low_open else (arr >= low)
    if high is not None:
        ok &= (arr < high) if high_open else (arr <= high)
    if not np.all(ok):
        bad = arr[~ok].ravel()[0]
        u = f" {unit}" if unit else ""
        if low is not None and high is not None:
            lo_b = "(" if low_open else "["
            hi_b = ")" if high_open else "]"
            rng = f"in {lo_b}{_fmt(low)}, {_fmt(high)}{hi_b}{u}"
        elif low is not None:
            rng = f"{'>' if low_open else '>='} {_fmt(low)}{u}"
        else:
            rng = f"{'<' if high_open else '<='} {_fmt(high)}{u}"
        raise ValueError(f"{name} must be {rng} (got {_fmt(bad)})")
    return arr


def positive(name: str, value: ArrayLike, unit: str = "") -> NDArray[np.float64]:
    """Check ``value > 0`` elementwise."""
    return in_range(name, value, 0.0, low_open=True, unit=unit)


def non_negative(name: str, value: ArrayLike, unit: str = "") -> NDArray[np.float64]:
    """Check ``value >= 0`` elementwise."""
    return in_range(name, value, 0.0, unit=unit)


def latitude(name: str, value: ArrayLike) -> NDArray[np.float64]:
    """Check a latitude in degrees lies in [-90, 90]."""
    return in_range(name, value, -90.0, 90.0, unit="deg")


def lookup(kind: str, name: object, table: Mapping[str, _T]) -> _T:
    """Return ``table[key]`` for a case- and punctuation-insensitive ``name``.

    An unknown name raises ``ValueError`` listing the closest known names.
    """
    key = normalize_key(name)
    index = {normalize_key(k): k for k in table}
    if key in index:
        return table[index[key]]
    close = difflib.get_close_matches(key, list(index), n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(index[c]) for c in close)}?" if close else ""
    known = ", ".join(sorted(table))
    raise ValueError(f"unknown {kind} {name!r}{hint} (known: {known})")


def normalize_key(name: object) -> str:
    """Lower-case a name and drop spaces, dots, dashes and underscores."""
    return "".join(ch for ch in str(name).lower() if ch.isalnum())
