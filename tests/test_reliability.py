"""cosmodrome.reliability against published figures and exact enumeration.

Published figures:
- de Méré's problem: the chance of at least one six in four throws of a die is 1 - (5/6)^4 = 0.5177
  (S. M. Ross, *A First Course in Probability*, 8th ed., Pearson 2010, ch. 3, and most probability texts
  after Pascal and Fermat's letters of 1654).
- A series system of ten components of reliability 0.99 each: 0.99^10 = 0.904 (P. D. T. O'Connor and
  A. Kleyner, *Practical Reliability Engineering*, 5th ed., Wiley 2012, ch. 6, the series-system rule).
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, strategies as st
from scipy import stats

from cosmodrome import reliability

prob = st.floats(0.0, 1.0)


def test_de_meres_problem():
    assert float(reliability.at_least_one_success(1 / 6, 4)) == pytest.approx(0.5177, abs=5e-5)


def test_ten_components_in_series():
    assert float(reliability.mission_success_probability([0.99] * 10)) == pytest.approx(0.904, abs=5e-4)


@given(st.lists(prob, min_size=1, max_size=4), st.lists(prob, max_size=3))
def test_the_product_is_the_share_of_all_outcomes_in_which_everything_works(stages, seps):
    """Enumerate every combination of works/fails with its probability: the ones where all
    work add up to the product."""
    parts = stages + seps
    total = 0.0
    for outcome in itertools.product((True, False), repeat=len(parts)):
        if all(outcome):
            total += math.prod(p if ok else 1 - p for p, ok in zip(parts, outcome, strict=True))
    assert float(reliability.mission_success_probability(stages, seps)) == pytest.approx(total, abs=1e-12)


@given(prob, st.integers(0, 8))
def test_at_least_one_success_is_one_less_all_failing_by_enumeration(p, n):
    long_way = sum(math.prod(p if ok else 1 - p for ok in seq)
                   for seq in itertools.product((True, False), repeat=n) if any(seq))
    assert float(reliability.at_least_one_success(p, n)) == pytest.approx(long_way, abs=1e-12)


@given(st.integers(1, 5000), st.floats(0.0, 1.0))
def test_the_standard_error_is_the_binomials_spread_over_n(n, share):
    k = round(share * n)
    p, se = reliability.success_fraction(k, n)
    assert float(p) == pytest.approx(k / n)
    assert float(se) == pytest.approx(stats.binom(n, k / n).std() / n, abs=1e-12)


def test_four_times_the_flights_halve_the_standard_error():
    _, se1 = reliability.success_fraction(80, 100)
    _, se4 = reliability.success_fraction(320, 400)
    assert float(se4) == pytest.approx(float(se1) / 2)


def test_the_running_estimate_ends_at_the_whole_monte_carlos():
    ok = np.random.default_rng(3).random(500) < 0.7
    n, p, se = reliability.running_success_fraction(ok)
    assert n[-1] == 500 and p[-1] == pytest.approx(ok.mean())
    assert se[-1] == pytest.approx(np.sqrt(ok.mean() * (1 - ok.mean()) / 500))
    assert p[0] == float(ok[0])


@pytest.mark.parametrize("call, match", [
    (lambda: reliability.mission_success_probability([0.9, 1.2]),
     r"stage_reliabilities must be in \[0, 1\] \(got 1.2\)"),
    (lambda: reliability.mission_success_probability([]), "at least one stage"),
    (lambda: reliability.mission_success_probability([0.9], [float("nan")]),
     "separation_reliabilities must be a finite"),
    (lambda: reliability.at_least_one_success(0.5, 2.5), r"n must be a whole number of attempts \(got 2.5\)"),
    (lambda: reliability.at_least_one_success(-0.1, 2), r"p must be in \[0, 1\]"),
    (lambda: reliability.success_fraction(12, 10), "successes must be at most flights"),
    (lambda: reliability.success_fraction(1, 0), "flights must be > 0"),
    (lambda: reliability.running_success_fraction([1, 0, 1]), "array of booleans"),
])
def test_bad_input_names_the_field_and_the_range(call, match):
    with pytest.raises(ValueError, match=match):
        call()
