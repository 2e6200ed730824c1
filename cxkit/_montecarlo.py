"""Monte Carlo helpers: exact truncated-normal draws by inverse CDF, quantiles from one sort.

Private to cxkit (used by :mod:`cxkit.revenue`). scipy's ``truncnorm.rvs`` evaluates its
quantile function in log space element by element (a log-sum-exp per draw), which is most
of the time of a revenue Monte Carlo; drawing u ~ U(Φ(a), Φ(b)) and x = Φ⁻¹(u) is the same
distribution exactly, at the cost of one ``ndtri`` per draw. ``np.quantile`` partitions its
input afresh on every call; sorting once serves every quantile and the median.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

# Below this log Φ(b), Φ(b) is too close to float64's underflow (1e-308) to form
# Φ(a) + U·(Φ(b) − Φ(a)) directly: the draws are made in log space instead.
_LOG_TINY = -575.0  # log(1e-250)


@functools.lru_cache(maxsize=1)
def _truncnorm_types() -> tuple[type, type]:
    from scipy import stats

    return type(stats.truncnorm), type(stats.truncnorm(0.0, 1.0))


def truncnorm_parameters(value: Any) -> tuple[float, float, float, float] | None:
    """(a, b, loc, scale) of a frozen ``scipy.stats.truncnorm`` with scalar, valid
    parameters; None for anything else (which is then drawn by its own ``rvs``)."""
    dist = getattr(value, "dist", None)
    if type(dist).__name__ != "truncnorm_gen":  # scipy is not imported for other inputs
        return None
    gen_type, frozen_type = _truncnorm_types()
    if type(dist) is not gen_type or type(value) is not frozen_type:
        return None
    # the frozen distribution's public arguments: truncnorm(a, b, loc=0, scale=1)
    names = ("a", "b", "loc", "scale")
    args, kwds = tuple(getattr(value, "args", ())), dict(getattr(value, "kwds", {}))
    if len(args) > len(names) or set(kwds) - set(names[len(args):]):
        return None  # wrong arguments: scipy decides
    params = {"loc": 0.0, "scale": 1.0, **dict(zip(names, args, strict=False)), **kwds}
    if "a" not in params or "b" not in params:
        return None
    try:
        a, b, loc, scale = (float(np.asarray(params[k], dtype=float)) for k in names)
    except (TypeError, ValueError):  # array parameters, odd values: scipy decides
        return None
    if not (a < b and math.isfinite(loc) and 0 < scale < math.inf):
        return None
    return a, b, loc, scale


def truncnorm_draws(a: float, b: float, loc: float, scale: float, n: int,
                    rng: np.random.Generator) -> np.ndarray:
    """n draws of Normal(loc, scale²) truncated to [loc + a·scale, loc + b·scale].

    Inverse CDF: x = Φ⁻¹(Φ(a) + V·(Φ(b) − Φ(a))) with V = 1 − U in (0, 1] (one
    ``rng.random`` per draw). The interval is first reflected, if needed, so that most of
    it lies left of 0, where Φ keeps full relative precision (for a = 8, b = 9 the draws
    are the negatives of draws on [−9, −8]); when Φ(b) nears underflow (b below about −37) the
    same formula is evaluated in log space, log u = log Φ(b) + log(r + V·(1 − r)) with
    r = Φ(a)/Φ(b), and x = ``ndtri_exp``(log u). The draws are clipped to [a, b] against
    rounding, then scaled: ``x * scale + loc`` as scipy does (``x * -scale + loc`` when
    reflected).
    """
    from scipy import special

    flip = a + b > 0
    lo, hi = (-b, -a) if flip else (a, b)
    v = rng.random(n)
    np.subtract(1.0, v, out=v)  # V in (0, 1], exactly: u > 0 even for a = -inf
    log_hi = float(special.log_ndtr(hi))
    if log_hi > _LOG_TINY:
        p_lo, p_hi = float(special.ndtr(lo)), float(special.ndtr(hi))
        v *= p_hi - p_lo
        v += p_lo
        x = special.ndtri(v, out=v)
    else:
        ratio = math.exp(float(special.log_ndtr(lo)) - log_hi)
        v *= 1.0 - ratio
        v += ratio
        np.log(v, out=v)
        v += log_hi
        x = special.ndtri_exp(v, out=v)
    np.clip(x, lo, hi, out=x)
    x *= -scale if flip else scale
    x += loc
    return x


def sorted_quantiles(s: np.ndarray, q) -> np.ndarray:
    """``np.quantile(x, q)`` (method "linear"), given ``s = np.sort(x)`` of finite values.

    The same virtual indices, neighbours and interpolation as numpy's, so the values are
    identical to ``np.quantile`` on the unsorted draws, bit for bit.
    """
    n = s.shape[0]
    q = np.asarray(q, dtype=float)
    virtual = (n - 1) * q
    previous = np.floor(virtual)
    following = previous + 1
    above = virtual >= n - 1
    previous[above] = -1
    following[above] = -1
    below = virtual < 0
    previous[below] = 0
    following[below] = 0
    previous, following = previous.astype(np.intp), following.astype(np.intp)
    gamma = virtual - previous
    a, b = s[previous], s[following]
    diff = b - a
    out = np.add(a, diff * gamma)
    np.subtract(b, diff * (1 - gamma), out=out, where=gamma >= 0.5)
    return out


def sorted_median(s: np.ndarray) -> float:
    """``np.median(x)`` given ``s = np.sort(x)`` of finite values (same arithmetic)."""
    n = s.shape[0]
    k = n // 2
    return float(s[k]) if n % 2 else float((s[k - 1] + s[k]) / 2.0)
