"""How likely a launch is to work: independent events multiplied, repeated attempts, and how sure
a Monte Carlo's success fraction is.

A launch reaches orbit only if every stage burns and every separation works. With independent
events the probabilities multiply (the series system of reliability engineering). The chance of
at least one success in ``n`` independent attempts is one less the chance that all fail. A Monte
Carlo that counts ``k`` successes in ``n`` flights estimates the chance as ``k/n``, with the
binomial standard error.

Sources: the series-system product and the binomial standard error are in any reliability or
statistics text, e.g. P. D. T. O'Connor and A. Kleyner, *Practical Reliability Engineering*, 5th ed.
(Wiley, 2012), ch. 6 (series systems), and J. R. Taylor, *An Introduction to Error Analysis*, 2nd ed.
(University Science Books, 1997), ch. 10 (the binomial distribution).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from . import _check

if TYPE_CHECKING:
    from numpy.typing import ArrayLike, NDArray


def _probability(name: str, value: ArrayLike) -> NDArray[np.float64]:
    return _check.in_range(name, value, 0.0, 1.0)


def mission_success_probability(stage_reliabilities: ArrayLike,
                                separation_reliabilities: ArrayLike = ()) -> NDArray[np.float64]:
    """The chance that every stage and every separation works, if they fail independently:
    the product of their reliabilities (each a probability in [0, 1]).

    Three stages at 0.95 and two separations at 0.99:

    >>> round(float(mission_success_probability([0.95, 0.95, 0.95], [0.99, 0.99])), 6)
    0.840313

    Arrays broadcast along the first axis: ``mission_success_probability(np.array([[0.9, 0.95],
    [0.9, 0.95]]))`` gives one probability per column.
    """
    stages = _probability("stage_reliabilities", stage_reliabilities)
    seps = _probability("separation_reliabilities", separation_reliabilities)
    if stages.size == 0:
        raise ValueError("stage_reliabilities must name at least one stage (got none)")
    p = np.prod(stages, axis=0)
    return p * np.prod(seps, axis=0) if seps.size else p


def at_least_one_success(p: ArrayLike, n: ArrayLike) -> NDArray[np.float64]:
    """The chance of at least one success in ``n`` independent attempts of chance ``p`` each:
    ``1 - (1 - p)**n``, which fails only if every attempt fails.

    >>> round(float(at_least_one_success(0.5, 3)), 3)
    0.875
    """
    p = _probability("p", p)
    n = _check.in_range("n", n, 0.0)
    fractional = n[n != np.round(n)]
    if fractional.size:
        raise ValueError(f"n must be a whole number of attempts (got {float(fractional[0]):g})")
    return 1.0 - (1.0 - p) ** n


def success_fraction(successes: ArrayLike, flights: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """A Monte Carlo's estimate of the chance of success, ``k/n``, and its binomial standard
    error ``sqrt(p (1 - p) / n)``, as a pair of arrays.

    >>> p, se = success_fraction(160, 200)
    >>> round(float(p), 3), round(float(se), 4)
    (0.8, 0.0283)
    """
    n = _check.positive("flights", flights)
    k = _check.in_range("successes", successes, 0.0)
    if np.any(k > n):
        raise ValueError(f"successes must be at most flights (got {float(np.max(k)):g} successes in "
                         f"{float(np.min(n)):g} flights)")
    p = k / n
    return p, np.sqrt(p * (1.0 - p) / n)


def running_success_fraction(reached_orbit: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64],
                             NDArray[np.float64]]:
    """The estimate and its standard error after each flight of a Monte Carlo, in the order
    flown: ``(flights, p, se)``, three arrays as long as ``reached_orbit`` (booleans)."""
    ok = np.asarray(reached_orbit)
    if ok.ndim != 1 or ok.size == 0 or ok.dtype != bool:
        raise ValueError(f"reached_orbit must be a non-empty 1-D array of booleans "
                         f"(got {ok.dtype} of shape {ok.shape})")
    flights = np.arange(1, ok.size + 1, dtype=float)
    p, se = success_fraction(np.cumsum(ok), flights)
    return flights, p, se
