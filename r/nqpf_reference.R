## nqpf reference implementation in base R
##
## An independent, vectorised base-R statement of the formulas in the docstrings of
## nqpf.weights (improved entropy weights), nqpf.topsis (TOPSIS) and nqpf.dagum, and
## of docs/methods.md §1 (Dagum). It is written from the formulas, not ported from the
## Python code, and depends on no package beyond base R and stats, so that it
## can check every quantity on any machine that has R.
##
## Functions (all return plain lists of numeric vectors / matrices, so that
## rpy2's numpy converter can carry them back to Python):
##
##   nqpf_entropy(X, benefit, shift, standardization, scope_groups)
##   nqpf_topsis(Z, w, topsis, ideal_groups, normalization, benefit, X,
##               absolute, shift)
##   nqpf_dagum(y, group, w)
##
## The Python side sources this file once per session into its own
## environment (nqpf.rbridge); tests/test_r_reference.py checks it against
## published and exact hand values.

## ---------------------------------------------------------------------------
## helpers

.nqpf_as_matrix <- function(X, what) {
  X <- as.matrix(X)
  storage.mode(X) <- "double"
  if (length(dim(X)) != 2L) stop(sprintf("'%s' must be a matrix", what), call. = FALSE)
  if (anyNA(X) || any(!is.finite(X)))
    stop(sprintf("'%s' has missing or non-finite values", what), call. = FALSE)
  X
}

.nqpf_as_benefit <- function(benefit, m) {
  benefit <- as.logical(as.vector(benefit))
  if (length(benefit) != m || anyNA(benefit))
    stop("'benefit' must be one TRUE (benefit, +) or FALSE (cost, -) per column",
         call. = FALSE)
  benefit
}

## expand a length-m vector to an n x m matrix (one copy per row)
.nqpf_rows <- function(v, n) matrix(v, nrow = n, ncol = length(v), byrow = TRUE)

## ---------------------------------------------------------------------------
## improved entropy weights

## Standardise one block of rows (the whole panel, or one year).
##   minmax: (x - min)/(max - min) for benefit, (max - x)/(max - min) for cost
##   ratio : x/max for benefit, min/x for cost
##   zscore: (x - mean)/sd for benefit, (mean - x)/sd for cost (sd with n - 1,
##           as stats::sd), i.e. Guo Xianguang's (1998) "improved entropy"
## then add `shift` (for zscore this is the translation H).
.nqpf_standardize <- function(X, benefit, standardization, shift) {
  n <- nrow(X)
  B <- .nqpf_rows(benefit, n)
  LO <- .nqpf_rows(apply(X, 2, min), n)
  HI <- .nqpf_rows(apply(X, 2, max), n)
  S <- switch(standardization,
    minmax = {
      if (any(HI[1, ] == LO[1, ]))
        stop("an indicator is constant within a block: its min-max scale is undefined",
             call. = FALSE)
      ifelse(B, X - LO, HI - X) / (HI - LO)
    },
    ratio = {
      if (any(X < 0) || any(X[, !benefit] <= 0) || any(HI[1, ] <= 0))
        stop("ratio standardisation needs non-negative values, positive cost values and a positive maximum",
             call. = FALSE)
      ifelse(B, X / HI, LO / X)
    },
    zscore = {
      MU <- .nqpf_rows(colMeans(X), n)
      SD <- .nqpf_rows(apply(X, 2, stats::sd), n)
      if (any(SD[1, ] == 0))
        stop("an indicator is constant within a block: its z-score is undefined",
             call. = FALSE)
      ifelse(B, X - MU, MU - X) / SD
    })
  Z <- S + shift
  if (standardization == "zscore" && any(Z <= 0))
    stop(sprintf("z-score translation H = %g leaves values <= 0 (smallest z is %g): choose H > %g",
                 shift, min(S), -min(S)), call. = FALSE)
  if (any(Z < 0)) stop("standardised values are negative", call. = FALSE)
  Z
}

## Entropy, divergence and weight of one standardised block (0 * log 0 := 0).
.nqpf_entropy_block <- function(Z) {
  if (nrow(Z) < 2L) stop("entropy needs at least two rows per block", call. = FALSE)
  P <- Z / .nqpf_rows(colSums(Z), nrow(Z))
  PlogP <- ifelse(P > 0, P * log(P), 0)
  e <- -colSums(PlogP) / log(nrow(Z))
  d <- 1 - e
  list(entropy = e, divergence = d, weight = d / sum(d))
}

#' Improved (panel) entropy weights.
#'
#' @param X numeric matrix, one row per region-year, one column per indicator.
#' @param benefit logical, TRUE for a benefit (+) and FALSE for a cost (-) indicator.
#' @param shift translation a added after standardisation (default 1e-4). For
#'   standardization = "zscore" it is the translation H of the z-scores and must
#'   make every value positive, else an error.
#' @param standardization "minmax" (default), "ratio" or "zscore".
#' @param scope_groups NULL for the pooled panel (one block, k = 1/ln(NT)), or a
#'   vector (the year of each row) for one block per year (k = 1/ln(N)).
#' @return list(entropy, divergence, weight, Z, groups): vectors for the pooled
#'   case; for scope_groups, matrices with one row per group (in the order of
#'   `groups`, the sorted unique values). Z is the shifted standardised matrix in
#'   the row order of X.
nqpf_entropy <- function(X, benefit, shift = 1e-4,
                         standardization = c("minmax", "ratio", "zscore"),
                         scope_groups = NULL) {
  X <- .nqpf_as_matrix(X, "X")
  benefit <- .nqpf_as_benefit(benefit, ncol(X))
  standardization <- match.arg(standardization)
  shift <- as.numeric(shift)
  if (is.null(scope_groups)) {
    Z <- .nqpf_standardize(X, benefit, standardization, shift)
    return(c(.nqpf_entropy_block(Z), list(Z = Z, groups = NULL)))
  }
  g <- factor(as.vector(scope_groups))
  if (length(g) != nrow(X)) stop("'scope_groups' must have one value per row", call. = FALSE)
  rows <- split(seq_len(nrow(X)), g)
  Z <- matrix(NA_real_, nrow(X), ncol(X))
  for (r in rows) Z[r, ] <- .nqpf_standardize(X[r, , drop = FALSE], benefit, standardization, shift)
  blocks <- lapply(rows, function(r) .nqpf_entropy_block(Z[r, , drop = FALSE]))
  pick <- function(name) do.call(rbind, lapply(blocks, `[[`, name))
  list(entropy = pick("entropy"), divergence = pick("divergence"),
       weight = pick("weight"), Z = Z, groups = levels(g))
}

## ---------------------------------------------------------------------------
## TOPSIS

#' TOPSIS closeness.
#'
#' The names and meanings of the options are those of nqpf's index
#' (nqpf.options.IndexOptions: topsis, normalization, ideal).
#'
#' @param Z for normalization = "minmax": the entropy step's shifted standardised
#'   matrix x'' (nqpf_entropy()$Z), already turned so that larger is better.
#'   Not used otherwise (NULL).
#' @param w weights (used as given, not rescaled).
#' @param topsis "matrix": D = sqrt(sum_j (w_j r_ij - w_j r_j*)^2);
#'   "distance": D = sqrt(sum_j w_j (r_ij - r_j*)^2).
#' @param ideal_groups NULL: ideals over all rows (the panel); a vector (year of
#'   each row): ideals within each group.
#' @param normalization "minmax" (use Z, every column a benefit column),
#'   "vector": r_ij = x_ij / sqrt(sum_i x_ij^2) on the raw matrix X (norms over
#'   all rows given), or "none": r_ij = x_ij, the raw matrix X as it is; for
#'   "vector" and "none" the minimum is the ideal of a cost column (Hwang-Yoon,
#'   as topsis::topsis and MCDA::TOPSIS).
#' @param benefit logical per column; needed for "vector" and "none".
#' @param X raw matrix for normalization = "vector" or "none".
#' @param absolute TRUE: fixed ideals 1 + shift and anti-ideal shift, i.e. 1 and
#'   0 on the unshifted min-max scale (only with normalization = "minmax").
#' @param shift the shift a of Z, used by absolute = TRUE.
#' @return list(score, d_plus, d_minus), one value per row.
nqpf_topsis <- function(Z, w, topsis = c("matrix", "distance"), ideal_groups = NULL,
                        normalization = c("minmax", "vector", "none"), benefit = NULL,
                        X = NULL, absolute = FALSE, shift = 1e-4) {
  topsis <- match.arg(topsis)
  normalization <- match.arg(normalization)
  if (normalization == "minmax") {
    R <- .nqpf_as_matrix(Z, "Z")
    benefit <- rep(TRUE, ncol(R))
  } else {
    if (is.null(X))
      stop(sprintf("normalization = '%s' needs the raw matrix X", normalization), call. = FALSE)
    X <- .nqpf_as_matrix(X, "X")
    benefit <- .nqpf_as_benefit(benefit, ncol(X))
    R <- if (normalization == "vector") X / .nqpf_rows(sqrt(colSums(X^2)), nrow(X)) else X
  }
  n <- nrow(R)
  w <- as.numeric(as.vector(w))
  if (length(w) != ncol(R)) stop("'w' must have one weight per column", call. = FALSE)
  B <- .nqpf_rows(benefit, n)
  if (isTRUE(absolute)) {
    if (normalization != "minmax")
      stop("absolute ideals are defined on the min-max scale only", call. = FALSE)
    BEST <- matrix(1 + shift, n, ncol(R))
    WORST <- matrix(shift, n, ncol(R))
  } else {
    g <- if (is.null(ideal_groups)) rep(1L, n) else as.integer(factor(as.vector(ideal_groups)))
    if (length(g) != n) stop("'ideal_groups' must have one value per row", call. = FALSE)
    blocks <- split.data.frame(R, g)
    HI <- do.call(rbind, lapply(blocks, function(b) apply(b, 2, max)))[g, , drop = FALSE]
    LO <- do.call(rbind, lapply(blocks, function(b) apply(b, 2, min)))[g, , drop = FALSE]
    BEST <- ifelse(B, HI, LO)
    WORST <- ifelse(B, LO, HI)
  }
  W <- .nqpf_rows(w, n)
  if (topsis == "matrix") {
    d_plus <- sqrt(rowSums((W * R - W * BEST)^2))
    d_minus <- sqrt(rowSums((W * R - W * WORST)^2))
  } else {
    d_plus <- sqrt(rowSums(W * (R - BEST)^2))
    d_minus <- sqrt(rowSums(W * (R - WORST)^2))
  }
  list(score = d_minus / (d_plus + d_minus), d_plus = d_plus, d_minus = d_minus)
}

## ---------------------------------------------------------------------------
## Dagum (1997) Gini decomposition

#' Dagum Gini decomposition by subgroups (population n^2 denominators).
#'
#' Pairwise sums over all unit pairs come from outer(); group-by-group sums
#' from the one-hot membership matrix M: t(M) %*% A %*% M. O(n^2) in time and
#' memory, which is fine for a reference.
#'
#' @param y non-negative values, one per unit (positive group means).
#' @param group group label of each unit.
#' @param w optional non-negative weights (docs/methods.md §1.5): counts become sums
#'   of weights everywhere.
#' @return list with G, Gw, Gnb, Gt; groups (sorted labels); n (units), W (sum
#'   of weights), means, p, s per group; Gjj per group; k x k matrices Gjh
#'   (symmetric, diagonal = Gjj), djh and pjh (row group minus column group,
#'   pjh = t(djh)), Djh = (djh - pjh)/(djh + pjh) (0 where both are 0); and the
#'   pairs with j = the higher-mean group: pair_j, pair_h (indices into groups),
#'   pair_Gjh, pair_Djh, pair_djh, pair_pjh.
nqpf_dagum <- function(y, group, w = NULL) {
  y <- as.numeric(as.vector(y))
  g <- factor(as.vector(group))
  if (length(g) != length(y)) stop("'group' must have one label per value", call. = FALSE)
  w <- if (is.null(w)) rep(1, length(y)) else as.numeric(as.vector(w))
  if (length(w) != length(y)) stop("'w' must have one weight per value", call. = FALSE)
  if (anyNA(y) || anyNA(w) || any(!is.finite(y)) || any(!is.finite(w)))
    stop("values and weights must be finite", call. = FALSE)
  if (any(y < 0)) stop("Gini needs non-negative values", call. = FALSE)
  if (any(w < 0)) stop("weights must be non-negative", call. = FALSE)

  M <- outer(as.integer(g), seq_len(nlevels(g)), "==") * 1  # n x k membership
  Wj <- colSums(M * w)
  if (any(Wj <= 0)) stop("every group needs a positive total weight", call. = FALSE)
  mu_j <- colSums(M * w * y) / Wj
  if (any(mu_j <= 0)) stop("every group mean must be positive", call. = FALSE)
  W <- sum(Wj)
  mu <- sum(w * y) / W
  p <- Wj / W
  s <- p * mu_j / mu

  diff <- outer(y, y, "-")
  ww <- outer(w, w)
  S <- crossprod(M, abs(diff) * ww) %*% M        # sum w_i w_r |y_i - y_r| by group pair
  P <- crossprod(M, pmax(diff, 0) * ww) %*% M    # sum w_i w_r (y_i - y_r)^+ (row group i)

  WW <- outer(Wj, Wj)
  Gjh <- S / (WW * outer(mu_j, mu_j, "+"))
  Gjj <- diag(S) / (2 * Wj^2 * mu_j)
  diag(Gjh) <- Gjj
  djh <- P / WW
  pjh <- t(djh)
  Djh <- ifelse(djh + pjh > 0, (djh - pjh) / (djh + pjh), 0)

  G <- sum(abs(diff) * ww) / (2 * W^2 * mu)
  Gw <- sum(Gjj * p * s)

  ## unordered pairs, j = the group with the higher mean (ties: earlier label)
  k <- length(Wj)
  ij <- which(upper.tri(diag(k)), arr.ind = TRUE)
  a <- ij[, 1]; b <- ij[, 2]
  hi <- ifelse(mu_j[b] > mu_j[a], b, a)
  lo <- ifelse(mu_j[b] > mu_j[a], a, b)
  pair <- cbind(hi, lo)
  wt <- Gjh[pair] * (p[hi] * s[lo] + p[lo] * s[hi])
  Gnb <- sum(wt * Djh[pair])
  Gt <- sum(wt * (1 - Djh[pair]))

  dimnames(Gjh) <- dimnames(djh) <- dimnames(pjh) <- dimnames(Djh) <- NULL
  list(G = G, Gw = Gw, Gnb = Gnb, Gt = Gt, groups = levels(g),
       n = as.vector(colSums(M)), W = as.vector(Wj), means = as.vector(mu_j),
       p = as.vector(p), s = as.vector(s), Gjj = as.vector(Gjj),
       Gjh = Gjh, djh = djh, pjh = pjh, Djh = Djh,
       pair_j = as.vector(hi), pair_h = as.vector(lo),
       pair_Gjh = Gjh[pair], pair_Djh = Djh[pair],
       pair_djh = djh[pair], pair_pjh = djh[cbind(lo, hi)])
}
