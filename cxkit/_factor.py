"""Exploratory factor analysis behind :func:`cxkit.reliability.omega` (private).

A compact numpy/scipy reimplementation of what R's ``psych::omega`` does (psych 2.2.9,
GPArotation 2022.10.2) with its defaults ``fm = "minres"``, ``rotate = "oblimin"``,
``option = "equal"``, ``flip = TRUE``:

1. :func:`minres` -- minimum-residual (unweighted least squares) factor extraction, as
   ``psych::fa(fm = "minres")``;
2. the orthogonal solution ``psych::schmid`` rotates from: ``stats::varimax`` (Kaiser
   normalised) of the minres loadings, reflected and sorted as ``psych::fa`` does;
3. :func:`oblimin` -- the gradient projection algorithm for oblique rotations
   (``GPArotation::GPFoblq``) with the oblimin/quartimin criterion;
4. :func:`schmid_leiman` -- the Schmid--Leiman transformation of the oblique solution
   into a general factor and orthogonal group factors (``psych::schmid``);
5. :func:`omega_coefficients` -- omega total and omega hierarchical
   (``psych::omegah``).

Everything works on a correlation matrix (a covariance matrix is standardised first, as
``psych::omega(covar = FALSE)`` does), so the caller decides how it was estimated
(pairwise, listwise, polychoric ...). The reference values the tests compare with are
produced by ``tests/reference/omega_reference.R``.

References
----------
Bertsekas, D. P. (1982). Projected Newton methods for optimization problems with simple
constraints. *SIAM Journal on Control and Optimization*, 20(2), 221-246.
Bernaards, C. A., & Jennrich, R. I. (2005). Gradient projection algorithms and software
for arbitrary rotation criteria in factor analysis. *Educational and Psychological
Measurement*, 65(5), 676-696.
Harman, H. H., & Jones, W. H. (1966). Factor analysis by minimizing residuals (minres).
*Psychometrika*, 31(3), 351-368.
Jennrich, R. I. (2002). A simple general method for oblique rotation. *Psychometrika*,
67(1), 7-19.
Kaiser, H. F. (1958). The varimax criterion for analytic rotation in factor analysis.
*Psychometrika*, 23(3), 187-200.
McDonald, R. P. (1999). *Test theory: A unified treatment*. Erlbaum.
Revelle, W. (2022). *psych: Procedures for Psychological, Psychometric, and Personality
Research* (R package 2.2.9), functions ``fa``, ``schmid``, ``omega``.
Schmid, J., & Leiman, J. M. (1957). The development of hierarchical factor solutions.
*Psychometrika*, 22(1), 53-61.
Zinbarg, R. E., Revelle, W., Yovel, I., & Li, W. (2005). Cronbach's alpha, Revelle's
beta, and McDonald's omega_h. *Psychometrika*, 70(1), 123-133.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import numpy as np

from cxkit._validation import as_float_array, check_choice, check_positive_int, warn

__all__ = ["minres", "oblimin", "omega_coefficients", "schmid_leiman", "smc"]

#: psych bounds the uniquenesses of minres to [0.005, max(smc, 1)] (optim, L-BFGS-B).
PSI_LOWER = 0.005
#: a minres solution counts as converged when its projected gradient is this small.
_MINRES_GTOL = 1e-8
_SYMMETRY_TOL = 1e-8


class _MinresFit(NamedTuple):
    loadings: np.ndarray      # k x nf, unrotated, psych's signs
    uniquenesses: np.ndarray  # the optimised psi
    objective: float          # 1/2 ||R - diag(psi) - L L'||^2
    max_gradient: float       # largest projected-gradient component at the end
    converged: bool
    n_iter: int


class _RotationFit(NamedTuple):
    loadings: np.ndarray  # pattern
    phi: np.ndarray       # factor intercorrelations
    rotation: np.ndarray  # GPArotation's Th: pattern = A @ inv(Th).T, phi = Th.T @ Th
    criterion: float
    gradient_norm: float
    converged: bool
    n_iter: int


# --------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------


def _check_correlation(R: Any, name: str = "R", *, check_definite: bool = True) -> np.ndarray:
    """Validate a correlation (or covariance) matrix and return it as a correlation matrix.

    Raises ``ValueError`` for a non-square, asymmetric or non-finite matrix, a
    non-positive diagonal or correlations outside [-1, 1]; a covariance matrix is
    standardised (``cov2cor``). Warns when the matrix is not positive definite.
    """
    R = as_float_array(R, name, ndim=2)
    if R.shape[0] != R.shape[1]:
        raise ValueError(f"`{name}` must be a square correlation matrix; got shape {R.shape}")
    k = R.shape[0]
    if k < 2:
        raise ValueError(f"`{name}` must hold at least 2 items; got a {k} x {k} matrix")
    bad = np.argwhere(~np.isfinite(R))
    if bad.size:
        i, j = bad[0]
        raise ValueError(
            f"`{name}` has {len(bad)} missing or infinite entries (e.g. at row {i}, "
            f"column {j}); a pairwise correlation is missing when two items were never "
            "answered together: drop one of them")
    asym = np.max(np.abs(R - R.T))
    if asym > _SYMMETRY_TOL * max(1.0, np.max(np.abs(R))):
        raise ValueError(f"`{name}` must be symmetric; the largest difference between "
                         f"R[i, j] and R[j, i] is {asym:.3g}")
    R = (R + R.T) / 2.0
    d = np.diag(R).copy()
    if np.any(d <= 0):
        raise ValueError(f"`{name}` must have a positive diagonal (variances or 1s); got "
                         f"{np.sum(d <= 0)} diagonal entries <= 0 (e.g. "
                         f"{d[d <= 0][0]:g}): is an item constant?")
    if np.any(np.abs(d - 1.0) > _SYMMETRY_TOL):  # a covariance matrix: cov2cor
        s = 1.0 / np.sqrt(d)
        R = R * s[:, None] * s[None, :]
    np.fill_diagonal(R, 1.0)
    off = np.abs(R) > 1.0 + 1e-10
    if np.any(off):
        i, j = np.argwhere(off)[0]
        raise ValueError(f"`{name}` has {np.sum(off) // 2} correlations outside [-1, 1] "
                         f"(e.g. {R[i, j]:.4g} at row {i}, column {j})")
    if check_definite:
        smallest = np.linalg.eigvalsh(R)[0]
        if smallest < -1e-10:
            warn(f"the correlation matrix is not positive semi-definite (smallest "
                 f"eigenvalue {smallest:.3g}), as pairwise-deleted correlations can be; "
                 "the factor solution is computed anyway, as psych does, but read it "
                 "with caution (listwise deletion or fewer items avoids this)")
        elif smallest < 1e-10:
            warn(f"the correlation matrix is singular (smallest eigenvalue "
                 f"{smallest:.3g}): some item is a linear combination of others (a "
                 "duplicated or a sum item?); squared multiple correlations are taken "
                 "from a pseudo-inverse, as psych does")
    return R


def _check_n_factors(n_factors: Any, k: int) -> int:
    nf = check_positive_int(n_factors, "n_factors")
    if nf >= k:
        raise ValueError(f"`n_factors` must be smaller than the number of items ({k}); "
                         f"got {nf}")
    return nf


def _check_loadings(loadings: Any, name: str = "loadings") -> np.ndarray:
    A = as_float_array(loadings, name, ndim=None)
    if A.ndim == 1:
        A = A[:, None]
    if A.ndim != 2 or A.shape[0] < 1:
        raise ValueError(f"`{name}` must be a (items x factors) matrix; got shape {A.shape}")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"`{name}` has {np.sum(~np.isfinite(A))} missing or infinite "
                         "entries")
    return A


# --------------------------------------------------------------------------------------
# minres
# --------------------------------------------------------------------------------------


def smc(R: Any) -> np.ndarray:
    """Squared multiple correlations of each item with all others, as ``psych::smc``.

    ``smc_i = 1 - 1 / (R^-1)_ii`` with the Moore--Penrose inverse (``psych::Pinv``:
    singular values below ``sqrt(eps)`` times the largest are dropped), clipped to
    [0, 1]. These are psych's starting communalities for minres.

    Examples
    --------
    >>> import numpy as np
    >>> smc(np.array([[1, .5, .5], [.5, 1, .5], [.5, .5, 1]]))
    array([0.333, 0.333, 0.333])
    """
    R = np.asarray(R, dtype=np.float64)
    inv = np.linalg.pinv(R, rcond=np.sqrt(np.finfo(float).eps))
    with np.errstate(divide="ignore"):
        out = 1.0 - 1.0 / np.diag(inv)
    out[~np.isfinite(out)] = 1.0
    return np.clip(out, 0.0, 1.0)


def _eigh_desc(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w, V = np.linalg.eigh(A)
    return w[::-1], V[:, ::-1]


def _minres_parts(psi: np.ndarray, R: np.ndarray, nf: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Eigen-decomposition of ``R - diag(psi)``: eigenvalues, vectors, kept parts f."""
    A = R.copy()
    A[np.diag_indices_from(A)] -= psi
    w, V = _eigh_desc(A)
    f = np.zeros_like(w)
    f[:nf] = np.maximum(w[:nf], 0.0)
    return w, V, f


def _minres_objective(psi: np.ndarray, R: np.ndarray, nf: int) -> tuple[float, np.ndarray]:
    """The least-squares criterion minres minimises, and its gradient (psych's).

    With ``A = R - diag(psi) = V diag(w) V'`` and ``L L' = M = V diag(f) V'`` (``f_a =
    max(w_a, 0)`` for the ``nf`` leading eigenvalues, 0 otherwise), the criterion is
    ``F(psi) = 1/2 ||A - M||^2 = 1/2 sum_a (w_a - f_a)^2`` and, by the envelope theorem,
    ``dF/dpsi = diag(M - A) = diag(L L' + diag(psi) - R)`` -- exactly psych's
    ``FAgr.minres``. psych hands optim the off-diagonal criterion ``sum_{i<j} (R - L
    L')_ij^2`` together with this gradient; both criteria have the same interior
    minimum (where ``diag(L L') = 1 - psi``), and at a bound (a Heywood case) optim
    stops where this gradient's projection vanishes, the bounded minimum of ``F``. So
    ``F`` reproduces psych in both situations.
    """
    w, V, f = _minres_parts(psi, R, nf)
    resid = w - f
    value = 0.5 * float(np.sum(resid * resid))
    grad = -np.einsum("ia,a,ia->i", V, resid, V)  # -diag(A - M)
    return value, grad


def _minres_hessian(psi: np.ndarray, R: np.ndarray, nf: int) -> np.ndarray:
    """Exact Hessian of :func:`_minres_objective` (Daleckii--Krein).

    The gradient is ``-diag(h(A))`` with the matrix function ``h(w) = w - f(w)``, so
    ``d^2F / dpsi_i dpsi_j = sum_ab V_ia V_ib K_ab V_ja V_jb`` with the divided
    differences ``K_ab = (h_a - h_b) / (w_a - w_b)`` (``K_aa = h'(w_a)``): 0 between two
    kept eigenvalues, 1 between two discarded ones and ``-w_b / (w_a - w_b)`` between a
    kept ``a`` and a discarded ``b``. Hence ``H = P o P + 2 sum_{a kept} (v_a v_a') o
    (V_N diag(K_aN) V_N')`` with ``P = V_N V_N'`` the projector on the discarded space.
    """
    w, V, f = _minres_parts(psi, R, nf)
    kept = np.flatnonzero(f > 0)
    rest = np.setdiff1d(np.arange(w.size), kept)
    VN = V[:, rest]
    P = VN @ VN.T
    H = P * P
    for a in kept:
        gap = w[a] - w[rest]
        K = -w[rest] / np.where(np.abs(gap) > 1e-12, gap, 1e-12)
        H += 2.0 * np.outer(V[:, a], V[:, a]) * ((VN * K) @ VN.T)
    return (H + H.T) / 2.0


def _minres_loadings(R: np.ndarray, psi: np.ndarray, nf: int) -> np.ndarray:
    """Loadings from the eigendecomposition of ``R - diag(psi)`` with psych's signs."""
    A = R.copy()
    A[np.diag_indices_from(A)] -= psi
    w, V = _eigh_desc(A)
    L = V[:, :nf] * np.sqrt(np.maximum(w[:nf], 0.0))
    signs = np.sign(L.sum(axis=0))
    signs[signs == 0] = 1.0
    return L * signs


def _projected_gradient(psi: np.ndarray, grad: np.ndarray, lo: float, hi: float) -> np.ndarray:
    pg = grad.copy()
    pg[(psi <= lo) & (grad > 0)] = 0.0
    pg[(psi >= hi) & (grad < 0)] = 0.0
    return pg


def _psych_criterion(y: np.ndarray, R: np.ndarray, nf: int) -> tuple[float, np.ndarray]:
    """What psych's optim sees, on its scale ``y = psi / 0.01`` (``parscale = 0.01``).

    Value: ``fit.residuals``, the sum of squared residuals below the diagonal; gradient:
    ``FAgr.minres``, ``diag(L L' + diag(psi) - R)`` (the ULS gradient), times 0.01 for
    the parameter scale.
    """
    psi = 0.01 * y
    w, V, f = _minres_parts(psi, R, nf)
    W = R - (V * f) @ V.T
    np.fill_diagonal(W, 0.0)
    value = 0.5 * float(np.sum(W * W))
    grad = -np.einsum("ia,a,ia->i", V, w - f, V)
    return value, 0.01 * grad


def _psych_optim(R: np.ndarray, nf: int, start: np.ndarray, lo: float, hi: float
                 ) -> np.ndarray:
    """psych's own search: L-BFGS-B as R's ``optim`` runs it for ``fa(fm = "minres")``.

    Same criterion/gradient pair, parameter scale 0.01, memory 5, ``factr = 1e7``,
    ``pgtol = 0``, at most 100 iterations. Where the minres criterion has several
    local minima (over-factored models, several Heywood items) this picks the basin
    psych picks; the Newton phase then converges in it. BLAS is limited to one thread
    here (:func:`one_blas_thread`): scipy's L-BFGS-B makes many tiny BLAS calls, which
    multi-threaded OpenBLAS slows down by 10-100x on a busy machine.
    """
    from scipy.optimize import minimize

    def run() -> np.ndarray:
        res = minimize(_psych_criterion, start / 0.01, args=(R, nf), jac=True,
                       method="L-BFGS-B", bounds=[(lo / 0.01, hi / 0.01)] * R.shape[0],
                       options={"maxcor": 5, "ftol": 1e7 * np.finfo(float).eps,
                                "gtol": 0.0, "maxiter": 100})
        return np.clip(0.01 * res.x, lo, hi)

    with one_blas_thread():
        return run()


_BLAS_CONTROLLER: Any = None  # threadpoolctl's controller, made once (see one_blas_thread)
_BLAS_DEPTH = 0  # how many one_blas_thread blocks are open


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Run the block with BLAS limited to one thread (a no-op without threadpoolctl).

    Many small matrix products (an optimiser's steps, row blocks of a covariance pass)
    run several times slower on two OpenBLAS threads than on one on a busy machine.
    ``threadpoolctl.threadpool_limits`` scans every loaded library each time it is
    entered (~2.5 ms, measured); this makes one ``ThreadpoolController`` and reuses it
    (~25 µs to enter), and a block opened inside another is free: the outer one holds
    the limit (so a bootstrap of factor fits enters it once). scipy's own OpenBLAS is
    loaded before the controller is made, so that it is limited too.
    """
    global _BLAS_CONTROLLER, _BLAS_DEPTH
    if _BLAS_DEPTH:
        yield
        return
    if _BLAS_CONTROLLER is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - threadpoolctl comes with scikit-learn
            yield
            return
        import scipy.linalg  # noqa: F401 (loads scipy's BLAS, which the controller must see)

        _BLAS_CONTROLLER = ThreadpoolController()
    _BLAS_DEPTH += 1
    try:
        with _BLAS_CONTROLLER.limit(limits=1, user_api="blas"):
            yield
    finally:
        _BLAS_DEPTH -= 1


def _minres_fit(R: np.ndarray, nf: int, *, max_iter: int = 200, tol: float = 1e-12,
                what: str = "the minres factor analysis") -> _MinresFit:
    """Minimise the minres (ULS) criterion over the bounded uniquenesses.

    Start ``psi = 1 - smc``, bounds ``[0.005, max(smc, 1)]``, and first psych's own
    search (:func:`_psych_optim`), so that the same local minimum is reached where
    there are several. Then a projected Newton method (Bertsekas, 1982) with the exact
    Hessian converges tightly: variables at a bound whose gradient points outwards are
    held there; on the others a Newton step (Levenberg-damped until the reduced Hessian
    is positive definite) is projected onto the box and backtracked until the criterion
    falls enough (Armijo; near the minimum, where differences are rounding noise, until
    the projected gradient halves). It stops when the projected gradient is below
    ``tol`` -- typically after 1-3 steps -- and warns when it ends above
    ``_MINRES_GTOL``.
    """
    k = R.shape[0]
    start_smc = smc(R)
    lo, hi = PSI_LOWER, max(float(np.max(start_smc)), 1.0)
    psi = _psych_optim(R, nf, np.clip(1.0 - start_smc, lo, hi), lo, hi)
    value, grad = _minres_objective(psi, R, nf)
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (n_iter is reported)
        held = ((psi <= lo) & (grad > 0)) | ((psi >= hi) & (grad < 0))
        free = np.flatnonzero(~held)
        if free.size == 0 or np.max(np.abs(grad[free])) <= tol:
            break
        H = _minres_hessian(psi, R, nf)[np.ix_(free, free)]
        step = np.zeros(k)
        step[free] = _damped_newton_step(H, grad[free])
        accepted = False
        pg_now = float(np.max(np.abs(grad[free])))
        noise = 1e-13 * max(1.0, abs(value))  # criterion differences below this are noise
        for direction in (step, -grad * ~held):  # Newton, then steepest descent
            t = 1.0
            while t > 1e-12:
                candidate = np.clip(psi + t * direction, lo, hi)
                new_value, new_grad = _minres_objective(candidate, R, nf)
                if new_value <= value + 1e-4 * float(grad @ (candidate - psi)) - noise:
                    accepted = True  # Armijo with a decrease above rounding noise
                elif new_value <= value + noise:  # near the minimum: judge by the gradient
                    pg_new = _projected_gradient(candidate, new_grad, lo, hi)
                    accepted = float(np.max(np.abs(pg_new))) < 0.5 * pg_now
                if accepted:
                    break
                t /= 2.0
            if accepted:
                break
        if not accepted:  # no descent left at machine precision
            break
        psi, value, grad = candidate, new_value, new_grad
    pg = _projected_gradient(psi, grad, lo, hi)
    max_grad = float(np.max(np.abs(pg)))
    converged = max_grad <= _MINRES_GTOL
    if not converged:
        warn(f"{what} did not converge: after {n_iter} iterations the largest gradient "
             f"component of the residual criterion is {max_grad:.2g} (should be ~0); "
             "the loadings and omega may be inaccurate (too many factors for the items?)")
    L = _minres_loadings(R, psi, nf)
    return _MinresFit(L, psi, value, max_grad, converged, n_iter)


def _damped_newton_step(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``-(H + mu I)^-1 g`` with the smallest ``mu`` (0, then growing) making it PD."""
    scale = max(float(np.max(np.abs(np.diag(H)))), 1e-12)
    mu = 0.0
    eye = np.eye(H.shape[0])
    while True:
        try:
            c = np.linalg.cholesky(H + mu * eye)
        except np.linalg.LinAlgError:
            mu = max(2.0 * mu, 1e-10 * scale)
            if mu > 1e10 * scale:
                return -g
            continue
        return -np.linalg.solve(c.T, np.linalg.solve(c, g))


def _warn_heywood(fit: _MinresFit, what: str, labels: str = "item") -> None:
    at_bound = np.flatnonzero(fit.uniquenesses <= PSI_LOWER + 1e-9)
    h2 = np.sum(fit.loadings ** 2, axis=1)
    ultra = np.flatnonzero(h2 > 1.0 + 1e-8)
    if at_bound.size or ultra.size:
        which = np.union1d(at_bound, ultra)
        listed = ", ".join(f"{labels} {i + 1} (communality {h2[i]:.3f})" for i in which[:5])
        kind = "an ultra-Heywood case" if ultra.size else "a Heywood case"
        warn(f"{what} ran into {kind}: {listed} reached the bound of psych's minres "
             f"(uniqueness {PSI_LOWER}, communality ~1 or above); the solution is "
             "improper, so treat omega with caution (fewer factors, more items or more "
             "data usually help)")


def minres(R: Any, n_factors: int, *, max_iter: int = 200, tol: float = 1e-12) -> np.ndarray:
    """Minimum-residual (minres) factor loadings of a correlation matrix, as ``psych::fa``.

    Parameters
    ----------
    R : (k, k) array_like
        Correlation matrix (a covariance matrix is standardised first).
    n_factors : int
        Number of factors, ``1 <= n_factors < k``.
    max_iter : int, default 200
        Iteration limit of the projected Newton phase (after psych's own L-BFGS-B
        search it usually needs 1-3 steps).
    tol : float, default 1e-12
        Stop when the largest projected-gradient component is below ``tol``; a warning
        is issued if it ends above 1e-8.

    Returns
    -------
    numpy.ndarray, shape (k, n_factors)
        Unrotated loadings: columns in the order of the eigenvalues of the reduced
        correlation matrix (= their sums of squared loadings), each column reflected so
        that its sum is positive (psych's convention).

    Warns
    -----
    UserWarning
        Heywood case (a uniqueness at psych's lower bound 0.005), non-convergence, or a
        correlation matrix that is not positive definite.

    Notes
    -----
    For uniquenesses ``psi`` let ``L(psi)`` be the ``n_factors`` leading eigenvectors of
    ``R - diag(psi)`` scaled by the square roots of their (positive) eigenvalues. minres
    (Harman & Jones, 1966) chooses ``psi`` in ``[0.005, max(smc, 1)]`` so that ``L L'``
    reproduces the off-diagonal correlations as closely as possible in least squares;
    at an interior minimum this is the unweighted-least-squares solution, with
    ``diag(L L') = 1 - psi``. psych starts from ``psi = 1 - smc`` and runs
    ``optim(method = "L-BFGS-B")`` on the off-diagonal sum of squares with the gradient
    ``diag(L L' + diag(psi) - R)``, which is the exact gradient of the ULS criterion
    ``1/2 ||R - diag(psi) - L L'||^2``. Here psych's search is run first (the same
    criterion/gradient pair, start, bounds, parameter scale, memory and tolerances, with
    scipy's L-BFGS-B), so that the same local minimum is found where there are several
    (over-factored models); then projected Newton steps on the ULS criterion with its
    exact Hessian (Bertsekas, 1982) converge to a projected gradient ~1e-12. That is the
    point psych approaches, in the interior and in Heywood cases (where optim stops
    where its gradient's projection vanishes), only more tightly converged: psych stops
    at gradients ~1e-5, so loadings agree to ~2e-5 (see ``tests/test_factor.py``); on
    300 random matrices the criterion was never above psych's. On pathological input
    (a non-positive-definite matrix with an ultra-Heywood item, over-factored models
    with several Heywood items) psych's optim can stop well short of a stationary point,
    and the two differ more (omega total by ~1e-3 in the test case).

    Examples
    --------
    >>> import numpy as np
    >>> lam = np.array([.8, .7, .6, .5])
    >>> R = np.outer(lam, lam); np.fill_diagonal(R, 1)
    >>> minres(R, 1).ravel().round(6)
    array([0.8, 0.7, 0.6, 0.5])
    """
    R = _check_correlation(R)
    nf = _check_n_factors(n_factors, R.shape[0])
    max_iter = check_positive_int(max_iter, "max_iter")
    fit = _minres_fit(R, nf, max_iter=max_iter, tol=float(tol))
    _warn_heywood(fit, "the minres factor analysis")
    return fit.loadings


# --------------------------------------------------------------------------------------
# Rotations
# --------------------------------------------------------------------------------------


def _varimax(x: np.ndarray, *, normalize: bool = True, eps: float = 1e-5) -> np.ndarray:
    """``stats::varimax`` (R): Kaiser-normalised varimax by successive SVDs.

    The same iteration and stopping rule as R (stop when the criterion grows by less
    than a factor ``1 + eps``; at most 1000 iterations), so that the orthogonal solution
    the oblique rotation starts from is the one psych starts from.
    """
    nc = x.shape[1]
    if nc < 2:
        return x.copy()
    sc = np.sqrt(np.sum(x ** 2, axis=1)) if normalize else np.ones(x.shape[0])
    sc = np.where(sc > 0, sc, 1.0)
    xs = x / sc[:, None]
    p = xs.shape[0]
    TT = np.eye(nc)
    d = 0.0
    for _ in range(1000):
        z = xs @ TT
        B = xs.T @ (z ** 3 - z * (np.sum(z ** 2, axis=0) / p))
        u, s, vt = np.linalg.svd(B)
        TT = u @ vt
        dpast, d = d, float(np.sum(s))
        if d < dpast * (1 + eps):
            break
    return (xs @ TT) * sc[:, None]


def _psych_orthogonal_start(L: np.ndarray) -> np.ndarray:
    """The orthogonal loadings ``psych::schmid`` hands to the oblique rotation.

    ``schmid`` calls ``fa(R, nfactors, rotate = "varimax")``: varimax of the minres
    loadings, each column reflected so that its sum is positive, columns sorted by
    their sums of squared loadings (decreasing).
    """
    if L.shape[1] < 2:
        return L.copy()
    L = np.where(L == 0, 1e-15, L)
    z = _varimax(L)
    signs = np.sign(z.sum(axis=0))
    signs[signs == 0] = 1.0
    z = z * signs
    order = np.argsort(-np.sum(z ** 2, axis=0), kind="stable")
    return z[:, order]


def _oblimin_criterion(L: np.ndarray, gamma: float) -> tuple[float, np.ndarray]:
    """``GPArotation::vgQ.oblimin``: value and gradient of the oblimin criterion."""
    nf = L.shape[1]
    L2 = L ** 2
    X = L2 @ (1.0 - np.eye(nf))
    if gamma != 0:
        p = L.shape[0]
        X = X - (gamma / p) * np.sum(X, axis=0, keepdims=True)
    return float(np.sum(L2 * X)) / 4.0, L * X


def _gpf_oblique(A: np.ndarray, *, gamma: float = 0.0, normalize: bool = False,
                 eps: float = 1e-5, max_iter: int = 1000,
                 start: np.ndarray | None = None) -> _RotationFit:
    """``GPArotation::GPFoblq`` with the oblimin criterion, step for step."""
    k, nf = A.shape
    if normalize:
        W = np.sqrt(np.sum(A ** 2, axis=1))
        W = np.where(W > 0, W, 1.0)
        A = A / W[:, None]
    T = np.eye(nf) if start is None else np.array(start, dtype=np.float64)
    al = 1.0
    Tinv = np.linalg.inv(T)
    L = A @ Tinv.T
    f, Gq = _oblimin_criterion(L, gamma)
    G = -(L.T @ Gq @ Tinv).T
    s = np.inf
    n_iter = 0
    for n_iter in range(max_iter + 1):  # noqa: B007 (n_iter is reported)
        Gp = G - T * np.sum(T * G, axis=0)
        s = float(np.sqrt(np.sum(Gp ** 2)))
        if s < eps:
            break
        al *= 2.0
        for _ in range(11):
            X = T - al * Gp
            Tt = X / np.sqrt(np.sum(X ** 2, axis=0))
            Ttinv = np.linalg.inv(Tt)
            L = A @ Ttinv.T
            ft, Gqt = _oblimin_criterion(L, gamma)
            if f - ft > 0.5 * s ** 2 * al:
                break
            al /= 2.0
        T, f = Tt, ft
        G = -(L.T @ Gqt @ Ttinv).T
    converged = s < eps
    if normalize:
        L = L * W[:, None]
    return _RotationFit(L, T.T @ T, T, f, s, converged, n_iter)


def oblimin(loadings: Any, *, gamma: float = 0.0, normalize: bool = False,
            eps: float = 1e-5, max_iter: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """Oblimin rotation by gradient projection, as ``GPArotation::oblimin``.

    Parameters
    ----------
    loadings : (k, m) array_like
        Orthogonal (e.g. unrotated or varimax) loadings, ``m >= 2``.
    gamma : float, default 0
        Oblimin parameter: 0 quartimin (psych's and GPArotation's default), 0.5
        biquartimin, 1 covarimin.
    normalize : bool, default False
        Kaiser row normalisation before rotating. GPArotation's default, and what
        ``psych::fa`` and ``psych::schmid`` use, is ``FALSE``.
    eps : float, default 1e-5
        Stop when the Frobenius norm of the projected gradient is below ``eps``
        (GPArotation's default, kept so that results match psych to ~1e-6).
    max_iter : int, default 1000

    Returns
    -------
    pattern : numpy.ndarray, shape (k, m)
        Rotated pattern loadings, columns in the order and with the signs the algorithm
        produces (as ``GPArotation::oblimin``; ``psych::fa`` would sort and reflect them
        afterwards, ``psych::schmid`` does not).
    phi : numpy.ndarray, shape (m, m)
        Factor intercorrelations.

    Warns
    -----
    UserWarning
        When the algorithm has not converged within ``max_iter`` iterations.

    Notes
    -----
    The oblimin criterion is ``Q(P) = 1/4 sum_i sum_{j != l} x_ij x_il`` with ``x = P**2``
    centred over items by ``gamma / k`` (Jennrich, 2002). With the rotation ``T`` (unit
    columns) the pattern is ``P = A (T')^-1`` and ``phi = T'T``. Each gradient-projection
    step (Bernaards & Jennrich, 2005) projects the gradient ``G = -(P' dQ/dP T^-1)'``
    onto the tangent space of the unit-column constraint, ``Gp = G - T diag(1'(T o
    G))``, moves ``T - alpha Gp``, renormalises the columns, and halves ``alpha`` (up to
    10 times) until the criterion falls by at least ``alpha |Gp|^2 / 2``. The rotation
    leaves the common part unchanged: ``P phi P' = A A'``.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[.7, .3], [.6, .4], [.6, -.3], [.5, -.4]])
    >>> P, phi = oblimin(A)
    >>> bool(np.allclose(P @ phi @ P.T, A @ A.T))
    True
    """
    A = _check_loadings(loadings)
    if A.shape[1] < 2:
        raise ValueError("`loadings` must have at least 2 factors to rotate; got 1 column")
    max_iter = check_positive_int(max_iter, "max_iter")
    fit = _gpf_oblique(A, gamma=float(gamma), normalize=bool(normalize), eps=float(eps),
                       max_iter=max_iter)
    if not fit.converged:
        warn(f"the oblimin rotation did not converge in {max_iter} iterations (norm of the "
             f"projected gradient {fit.gradient_norm:.2g}, target {eps:g}); the pattern "
             "loadings and omega may be inaccurate")
    return fit.loadings, fit.phi


# --------------------------------------------------------------------------------------
# Schmid--Leiman
# --------------------------------------------------------------------------------------

_OPTIONS = ("equal", "first", "second")


def _general_loadings(phi: np.ndarray, option: str) -> np.ndarray:
    """Loadings of the first-order factors on the general factor, as ``psych::schmid``."""
    nf = phi.shape[0]
    if nf == 1:
        return np.ones(1)
    if nf == 2:
        r = float(phi[0, 1])
        if option == "equal":
            warn("with 2 group factors the general factor is not identified: as psych's "
                 f"option = 'equal', both load sqrt(|phi_12|) = {np.sqrt(abs(r)):.3f} on it "
                 "(an assumption, not an estimate); 3 or more factors identify it")
            return np.array([np.sqrt(abs(r)), np.sign(r) * np.sqrt(abs(r))])
        warn(f"with 2 group factors the general factor is not identified: as psych's option "
             f"= '{option}', the {option} factor's general loading is set to 1")
        return np.array([1.0, r]) if option == "first" else np.array([r, 1.0])
    phi_c = _check_correlation(phi, "phi", check_definite=False)
    fit = _minres_fit(phi_c, 1, what="the minres fit of the general factor to phi")
    _warn_heywood(fit, "the higher-order (general) factor fitted to phi", labels="factor")
    return fit.loadings[:, 0]


def _schmid_leiman(P: np.ndarray, phi: np.ndarray, option: str = "equal"
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    gload = _general_loadings(phi, option)
    general = P @ gload
    uniq2 = np.maximum(P ** 2 * (1.0 - gload ** 2), 0.0)
    group = np.sign(P) * np.sqrt(uniq2)
    return general, group, gload


def schmid_leiman(loadings: Any, phi: Any, *, option: str = "equal"
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Schmid--Leiman transformation of an oblique solution, as ``psych::schmid``.

    Parameters
    ----------
    loadings : (k, m) array_like
        Oblique pattern loadings.
    phi : (m, m) array_like
        Their factor intercorrelations.
    option : {"equal", "first", "second"}, default "equal"
        Only for ``m = 2``, where a general factor is not identified: ``"equal"`` sets
        both general loadings to ``sqrt(|phi_12|)`` (psych's default); ``"first"`` /
        ``"second"`` set that factor's general loading to 1 and the other's to
        ``phi_12``. A warning says so.

    Returns
    -------
    general : numpy.ndarray, shape (k,)
        Item loadings on the general factor, ``g = P b``.
    group : numpy.ndarray, shape (k, m)
        Residualised group-factor loadings, ``sign(P_ij) sqrt(P_ij^2 (1 - b_j^2))``.

    Notes
    -----
    The general factor is a one-factor minres fit to ``phi`` (``psych::fa(phi)``; for
    ``m >= 3``) with loadings ``b`` (reflected to a positive sum). For ``m = 1`` psych
    sets ``b = 1``: the general factor is the single factor and the group loadings are
    0. Negative ``1 - b_j^2`` (a Heywood higher-order loading) gives group loadings 0,
    as in psych.

    Examples
    --------
    >>> import numpy as np
    >>> P = np.kron(np.eye(3), np.full((2, 1), .6))
    >>> phi = np.full((3, 3), .49); np.fill_diagonal(phi, 1)
    >>> g, grp = schmid_leiman(P, phi)
    >>> g.round(6)
    array([0.42, 0.42, 0.42, 0.42, 0.42, 0.42])
    >>> grp[:2].round(6)  # 0.6 * sqrt(1 - 0.7**2) on its own group factor, 0 elsewhere
    array([[0.428486, 0.      , 0.      ],
           [0.428486, 0.      , 0.      ]])
    """
    P = _check_loadings(loadings)
    phi = as_float_array(phi, "phi", ndim=None)
    phi = np.atleast_2d(phi)
    m = P.shape[1]
    if phi.shape != (m, m):
        raise ValueError(f"`phi` must be {m} x {m} for {m} factors; got shape {phi.shape}")
    option = check_choice(option, _OPTIONS, "option")
    general, group, _ = _schmid_leiman(P, phi, option)
    return general, group


# --------------------------------------------------------------------------------------
# omega
# --------------------------------------------------------------------------------------


def omega_coefficients(R: Any, n_factors: int, *, fm: str = "minres",
                       rotate: str = "oblimin", flip: bool = True,
                       option: str = "equal", names: Any = None) -> dict[str, Any]:
    """Omega total and omega hierarchical of a correlation matrix, as ``psych::omega``.

    Parameters
    ----------
    R : (k, k) array_like
        Correlation matrix of the items (a covariance matrix is standardised first, as
        ``psych::omega(covar = FALSE)``).
    n_factors : int
        Number of group factors, ``1 <= n_factors < k`` (psych's default is 3).
    fm : {"minres"}
        Factoring method (only psych's default is implemented).
    rotate : {"oblimin"}
        Oblique rotation (only psych's default is implemented).
    flip : bool, default True
        As psych: items whose general-factor loading is negative are reflected (their
        correlations change sign) before the coefficients are computed, with a warning
        naming them.
    option : {"equal", "first", "second"}, default "equal"
        How the general factor is set for ``n_factors = 2``; see :func:`schmid_leiman`.

    names : sequence of str, optional
        Item names, used in warnings (``'emp3'`` rather than position 2).

    Returns
    -------
    dict
        ``omega_total``, ``omega_hierarchical`` (floats); ``general`` (k,) and ``group``
        (k, n_factors) Schmid--Leiman loadings (rows of reflected items reflected, as
        psych's ``schmid$sl``); ``h2`` (k,) communalities and ``u2 = 1 - h2`` (k,);
        ``loadings`` (k, n_factors) oblique pattern and ``phi`` (n_factors, n_factors)
        factor intercorrelations, as psych's ``schmid$oblique`` and ``schmid$phi`` (for
        one factor: the minres loadings and ``[[1]]``).

    Raises
    ------
    ValueError
        Not a valid correlation matrix, ``n_factors`` out of range, an unknown ``fm``
        or ``rotate``.

    Warns
    -----
    UserWarning
        Reflected items, a Heywood case, non-convergence, a non-positive-definite ``R``,
        fewer parameters than the items identify, 2 factors (general factor assumed).

    Notes
    -----
    Steps (``psych::omegah`` -> ``schmid`` -> ``fa``):

    1. minres loadings ``L`` with ``n_factors`` factors (:func:`minres`);
    2. varimax (Kaiser-normalised, ``stats::varimax``), columns reflected to positive
       sums and sorted by sum of squares; then oblimin (quartimin, unnormalised,
       :func:`oblimin`) from there: pattern ``P``, intercorrelations ``phi``;
    3. Schmid--Leiman (:func:`schmid_leiman`): ``g = P b``, group loadings
       ``sign(P) sqrt(P^2 (1 - b^2))``;
    4. ``h2 = rowSums(L^2)`` (the minres communalities, invariant to rotation), ``u2 = 1
       - h2``; items with ``g_i < 0`` reflected (``flip``); with ``Vt = 1' R 1`` (the
       variance of the unit-weighted sum of standardised items, after reflection)

       * ``omega_total = (Vt - sum(u2)) / Vt = 1 - sum(u2) / Vt`` -- psych's
         ``omega.tot``; it depends only on the minres communalities, not on the rotation;
       * ``omega_hierarchical = (sum g)^2 / Vt`` -- psych's ``omega_h``.

    With one factor psych still reports both: ``omega_total = 1 - sum(u2) / Vt`` and
    ``omega_hierarchical = (sum lambda)^2 / Vt`` (McDonald's omega from the one-factor
    loadings; psych calls it "not meaningful" for one factor). The two coincide only if
    the one-factor model reproduces ``R`` exactly, and differ by ~1e-3 on typical data.

    Examples
    --------
    >>> import numpy as np
    >>> lam = np.array([.8, .7, .6, .5])
    >>> R = np.outer(lam, lam); np.fill_diagonal(R, 1)
    >>> out = omega_coefficients(R, 1)
    >>> round(out["omega_total"], 6), round(out["omega_hierarchical"], 6)
    (0.749446, 0.749446)
    >>> round(float(lam.sum() ** 2 / R.sum()), 6)  # (sum of loadings)^2 / Vt
    0.749446
    """
    fm = check_choice(fm, ["minres"], "fm")
    rotate = check_choice(rotate, ["oblimin"], "rotate")
    option = check_choice(option, _OPTIONS, "option")
    R = _check_correlation(R)
    k = R.shape[0]
    nf = _check_n_factors(n_factors, k)
    dof = ((k - nf) ** 2 - (k + nf)) / 2
    if dof < 0:
        warn(f"{nf} factor(s) for {k} items leave {dof:g} degrees of freedom: the model "
             "has more parameters than correlations and its loadings are not identified; "
             "use fewer factors or more items")

    with one_blas_thread():  # once for the fits and the rotation
        orth, P, phi, general, group = _fit_rotate(R, nf, option)

    h2 = np.sum(orth ** 2, axis=1)
    u2 = 1.0 - h2
    Rk = R
    if flip:
        key = np.where(general < 0, -1.0, 1.0)
        if np.any(key < 0):
            neg = np.flatnonzero(key < 0)
            more = " ..." if neg.size > 10 else ""
            if names is not None and len(names) == k:
                which = f"{', '.join(repr(str(names[i])) for i in neg[:10])}{more}"
            else:
                which = (f"positions {', '.join(str(i) for i in neg[:10])}{more}, "
                         "counting from 0")
            warn(f"{neg.size} item(s) load negatively on the general factor ({which}); as "
                 "psych::omega(flip = TRUE) does, they were reflected (reverse-scored) "
                 "before computing omega -- reverse-key them explicitly if that is what "
                 "they need")
            Rk = R * key[:, None] * key[None, :]
            general = general * key
            group = group * key[:, None]
    Vt = float(np.sum(Rk))
    omega_total = (Vt - float(np.sum(u2))) / Vt
    omega_h = float(np.sum(general)) ** 2 / Vt
    return {
        "omega_total": omega_total,
        "omega_hierarchical": omega_h,
        "general": general,
        "group": group,
        "h2": h2,
        "u2": u2,
        "loadings": P,
        "phi": phi,
    }


def _fit_rotate(R: np.ndarray, nf: int, option: str):
    """minres loadings, their oblimin rotation and Schmid--Leiman (omega's steps 1-3)."""
    fit = _minres_fit(R, nf)
    _warn_heywood(fit, "the minres factor analysis")
    orth = _psych_orthogonal_start(fit.loadings)
    if nf == 1:
        P, phi = orth.copy(), np.ones((1, 1))
    else:
        rot = _gpf_oblique(orth)
        if not rot.converged:
            warn(f"the oblimin rotation did not converge in 1000 iterations (norm of the "
                 f"projected gradient {rot.gradient_norm:.2g}); omega_hierarchical may be "
                 "inaccurate")
        P, phi = rot.loadings, rot.phi
    general, group, _ = _schmid_leiman(P, phi, option)
    return orth, P, phi, general, group
