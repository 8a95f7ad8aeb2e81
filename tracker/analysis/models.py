r"""Expected-return models, fitted by OLS for all firm-events at once.

Every model is a linear regression of a dependent variable :math:`y_{it}` on an intercept and
:math:`p` regressors :math:`z_{t}`, estimated on the estimation-window days where every input
exists (MacKinlay 1997, JEL 35(1):13–39; Campbell, Lo & MacKinlay 1997, ch. 4):

================  ===========================  ==========================  ===========
model             dependent :math:`y`          regressors :math:`z`        :math:`k`
================  ===========================  ==========================  ===========
mean-adjusted     :math:`R_{it}`               (intercept only)            1
market-adjusted   :math:`R_{it} - R_{mt}`      (nothing estimated)         0
market            :math:`R_{it}`               :math:`R_{mt}`              2
ff3               :math:`R_{it} - r_{ft}`      MKT−RF, SMB, HML            4
carhart           :math:`R_{it} - r_{ft}`      MKT−RF, SMB, HML, MOM       5
================  ===========================  ==========================  ===========

With the regressors centred on their estimation means :math:`\bar z_i` (which makes the
normal equations block-diagonal and numerically stable),

.. math::

    S_{zz,i} = \sum_{\tau\in E_i} (z_\tau-\bar z_i)(z_\tau-\bar z_i)',\quad
    \hat b_i = S_{zz,i}^{-1} \sum_{\tau\in E_i} (z_\tau-\bar z_i)(y_{i\tau}-\bar y_i),\quad
    \hat a_i = \bar y_i - \hat b_i'\bar z_i,

    AR_{it} = y_{it} - \hat a_i - \hat b_i' z_t,\qquad
    s_i^2 = \frac{1}{M_i-k}\sum_{\tau\in E_i}\widehat{AR}_{i\tau}^{\,2}.

The market-adjusted model estimates nothing: :math:`AR_{it} = R_{it}-R_{mt}` and
:math:`s_i^2` is the sample variance of its estimation-window ARs (:math:`M_i-1` degrees of
freedom). All arrays are ``(N, L)``; regressors are stacked as ``(p, N, L)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


#: The daily factors the factor models read, in their canonical order.
FACTOR_NAMES = ("mkt_rf", "smb", "hml", "rf", "mom")

#: Daily residual standard deviations at or below this are treated as zero (constant returns).
SIGMA_FLOOR = 1e-10
#: A regressor set whose correlation matrix has a determinant below this is collinear.
COLLINEARITY_FLOOR = 1e-10

OK, CONSTANT_REGRESSOR, COLLINEAR, ZERO_VARIANCE = 0, 1, 2, 3


@dataclass(frozen=True)
class ModelSpec:
    """What a model regresses on what.

    ``subtract`` names the series taken off the firm's return to form the dependent variable
    (the risk-free rate for factor models, the market for the market-adjusted model);
    ``regressors`` the series on the right-hand side. ``"market"`` is the market benchmark's
    return; other names are factors (:data:`FACTOR_NAMES`).
    """

    name: str
    description: str
    regressors: tuple[str, ...]
    intercept: bool
    subtract: tuple[str, ...] = ()

    @property
    def k(self) -> int:
        """Number of estimated coefficients, the intercept included."""
        return int(self.intercept) + len(self.regressors)

    @property
    def df_lost(self) -> int:
        """Degrees of freedom the residual variance loses: ``k``, or 1 when nothing is estimated."""
        return max(self.k, 1)

    @property
    def series(self) -> tuple[str, ...]:
        """Every series besides the firm's return the model reads."""
        return tuple(dict.fromkeys(self.subtract + self.regressors))

    @property
    def uses_market(self) -> bool:
        return "market" in self.series

    @property
    def factors(self) -> tuple[str, ...]:
        """The factors the model reads, in the canonical order of the ``factors`` view."""
        return tuple(name for name in FACTOR_NAMES if name in self.series)

    @property
    def param_names(self) -> tuple[str, ...]:
        return (("alpha",) if self.intercept else ()) + tuple("beta" if r == "market" else r for r in self.regressors)


MODELS: dict[str, ModelSpec] = {
    spec.name: spec
    for spec in (
        ModelSpec("mean-adjusted", "constant mean return: AR = R - mean_E(R)", (), True),
        ModelSpec("market-adjusted", "market-adjusted: AR = R - Rm (nothing estimated)", (), False, ("market",)),
        ModelSpec("market", "market model (OLS): AR = R - (alpha + beta Rm)", ("market",), True),
        ModelSpec("ff3", "Fama-French three-factor model on excess returns R - rf (OLS)", ("mkt_rf", "smb", "hml"), True, ("rf",)),
        ModelSpec("carhart", "Carhart four-factor model on excess returns R - rf (OLS)", ("mkt_rf", "smb", "hml", "mom"), True, ("rf",)),
    )
}


@dataclass(frozen=True)
class ModelFit:
    """Per firm-event estimates (leading axis N)."""

    spec: ModelSpec
    params: np.ndarray  # (N, k): intercept first, then one slope per regressor
    sigma2: np.ndarray  # s_i^2
    n_obs: np.ndarray  # M_i, int
    df: np.ndarray  # M_i - k (M_i - 1 for the market-adjusted model), int
    z_mean: np.ndarray  # (N, p) estimation means of the regressors
    szz_inv: np.ndarray  # (N, p, p) inverse of the centred cross-product matrix
    residuals: np.ndarray  # (N, L1) estimation-window ARs, NaN where a day has no data
    filled: np.ndarray  # the same with 0 where a day has no data
    valid: np.ndarray  # (N, L1) the days used
    problem: np.ndarray  # (N,) OK, CONSTANT_REGRESSOR, COLLINEAR or ZERO_VARIANCE

    @property
    def sigma(self) -> np.ndarray:
        return np.sqrt(self.sigma2)

    def take(self, index: np.ndarray) -> ModelFit:
        """The fits of the firm-events at ``index``."""
        return ModelFit(
            self.spec, self.params[index], self.sigma2[index], self.n_obs[index], self.df[index],
            self.z_mean[index], self.szz_inv[index], self.residuals[index], self.filled[index], self.valid[index],
            self.problem[index],
        )


def fit(spec: ModelSpec, y: np.ndarray, z: np.ndarray, valid: np.ndarray) -> ModelFit:
    """Fit ``spec`` to every row: ``y`` ``(N, L1)``, regressors ``z`` ``(p, N, L1)``, ``valid`` ``(N, L1)``.

    Only days where ``valid`` is true enter; rows need at least ``spec.df_lost + 1`` of them.
    Rows whose regression is undefined are flagged in ``problem`` (their numbers are NaN).
    """
    n_rows = y.shape[0]
    p = len(spec.regressors)
    n = valid.sum(axis=1)
    # Every day usable (the common case for a clean sample): masking with ``valid`` would copy or
    # multiply by 1.0, which changes no value, so those passes over the (N, L1) arrays are skipped.
    complete = bool(valid.all())
    with np.errstate(invalid="ignore", divide="ignore"):
        y0 = y if complete else np.where(valid, y, 0.0)
        y_mean = y0.sum(axis=1) / n
        # centred and 0 off the sample: two in-place passes instead of a where over a temporary
        yc = y0 - y_mean[:, None]
        if not complete:
            yc *= valid
        problem = np.zeros(n_rows, dtype=np.int8)
        z_mean = np.empty((n_rows, p))
        zc = []
        for a in range(p):
            if complete:
                z_mean[:, a] = z[a].sum(axis=1) / n
                centred = z[a] - z_mean[:, a, None]
            else:
                centred = np.where(valid, z[a], 0.0)
                z_mean[:, a] = centred.sum(axis=1) / n
                centred -= z_mean[:, a, None]
                centred *= valid
            zc.append(centred)
        szz = np.empty((n_rows, p, p))
        for a in range(p):
            for b in range(a, p):
                szz[:, a, b] = szz[:, b, a] = np.einsum("nl,nl->n", zc[a], zc[b])
        szz_inv = np.zeros((n_rows, p, p))
        slopes = np.zeros((n_rows, p))
        residual = yc if spec.intercept else None
        if p:
            diag = np.diagonal(szz, axis1=1, axis2=2)
            constant = ~(diag > 0).all(axis=1)
            scale = np.sqrt(np.where(diag > 0, diag, 1.0))
            corr = szz / (scale[:, :, None] * scale[:, None, :])
            collinear = ~constant & (np.linalg.det(corr) < COLLINEARITY_FLOOR) if p > 1 else np.zeros(n_rows, bool)
            bad = constant | collinear
            problem[constant] = CONSTANT_REGRESSOR
            problem[collinear] = COLLINEAR
            safe = np.where(bad[:, None, None], np.eye(p), szz)
            szz_inv = np.linalg.inv(safe)
            szy = np.stack([np.einsum("nl,nl->n", zc[a], yc) for a in range(p)], axis=1)
            slopes = np.einsum("npq,nq->np", szz_inv, szy)
            for a in range(p):  # yc is not needed after this: subtract in place
                residual -= slopes[:, a, None] * zc[a]
        if not spec.intercept:
            # nothing estimated: the variance of the ARs about their estimation mean (M - 1 df)
            residual = yc
        ssr = np.einsum("nl,nl->n", residual, residual)
        df = n - spec.df_lost
        sigma2 = ssr / df
        problem[(problem == OK) & ~(sigma2 > SIGMA_FLOOR**2)] = ZERO_VARIANCE
        params = []
        if spec.intercept:
            params.append(y_mean - (slopes * z_mean).sum(axis=1))
        params += [slopes[:, a] for a in range(p)]
        params_arr = np.stack(params, axis=1) if params else np.empty((n_rows, 0))
        # residuals about the fitted line (ARs themselves when nothing is estimated), 0 off the sample
        filled = residual if spec.intercept else (y.copy() if complete else y0)
        # with no day missing the NaN-marked residuals are the 0-filled ones: one array, read only
        residuals = filled if complete else np.where(valid, filled, np.nan)
    bad_rows = problem != OK
    if bad_rows.any():
        params_arr[bad_rows] = np.nan
        sigma2 = np.where(bad_rows, np.nan, sigma2)
    return ModelFit(spec, params_arr, sigma2, n.astype(np.int64), df.astype(np.int64), z_mean, szz_inv,
                    residuals, filled, valid, problem)


def abnormal_returns(fitted: ModelFit, y: np.ndarray, z: np.ndarray) -> np.ndarray:
    r""":math:`AR_{it} = y_{it} - \hat a_i - \hat b_i' z_t` for ``(N, L)`` days (NaN where inputs are)."""
    ar = y.copy()
    column = 0
    if fitted.spec.intercept:
        ar -= fitted.params[:, 0, None]
        column = 1
    for a in range(len(fitted.spec.regressors)):
        ar -= fitted.params[:, column + a, None] * z[a]
    return ar


def car_variance(fitted: ModelFit, z_window: np.ndarray) -> np.ndarray:
    r"""Variance of :math:`CAR_i` over :math:`L_2` window days, estimation error included.

    .. math::

        \hat\sigma^2_{CAR_i} = s_i^2\Bigl[L_2 + \frac{L_2^2}{M_i}
            + d_i' S_{zz,i}^{-1} d_i\Bigr],\qquad d_i = \sum_{t\in W}(z_t-\bar z_i)

    which is :math:`\gamma' V_i \gamma` with :math:`V_i = s_i^2(I + X^*_i(X_i'X_i)^{-1}X^{*\prime}_i)`
    and :math:`\gamma` a vector of ones (MacKinlay 1997 §4; CLM 1997 eq. 4.4.12 ff.). For the
    market model :math:`d_i'S^{-1}d_i = (\sum_W (R_{mt}-\bar R_m))^2/\sum_E (R_{m\tau}-\bar R_m)^2`:
    the square of a sum, not a sum of squares. For :math:`L_2=1` this is the one-day
    forecast-error variance; as :math:`M_i\to\infty` it tends to :math:`L_2 s_i^2`. The
    mean-adjusted model keeps the :math:`L_2^2/M_i` term only; the market-adjusted model
    estimates nothing, so its variance is :math:`L_2 s_i^2`.

    Parameters
    ----------
    fitted
        The estimates.
    z_window
        ``(p, N, L2)`` regressors on the window days.
    """
    l2 = z_window.shape[2] if z_window.ndim == 3 else 0
    if not fitted.spec.intercept:
        return fitted.sigma2 * l2
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = l2 + l2 * l2 / fitted.n_obs
        p = len(fitted.spec.regressors)
        if p:
            d = (z_window - fitted.z_mean.T[:, :, None]).sum(axis=2).T  # (N, p)
            factor = factor + np.einsum("np,npq,nq->n", d, fitted.szz_inv, d)
        return fitted.sigma2 * factor
