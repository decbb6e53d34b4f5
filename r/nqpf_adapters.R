## R side of nqpf's adapters (nqpf.rbridge).
##
## Each adapter calls one established R routine on data passed in as
## arguments (never pasted into code) and returns a plain list of unnamed
## vectors, which rpy2's numpy converter carries back as arrays. Names travel
## as separate character vectors because the converter drops vector names.
## The Python side sources this file, together with nqpf_reference.R, once per
## session into a private environment.

## Call f(...) and return list(ok, value, message, warnings) instead of
## signalling: errors and warnings reach Python as data, not console noise.
nqpf_call <- function(.f, ...) {
  warns <- character(0)
  value <- withCallingHandlers(
    tryCatch(.f(...), error = function(e) structure(list(conditionMessage(e)), class = "nqpf_error")),
    warning = function(w) {
      warns <<- c(warns, conditionMessage(w))
      invokeRestart("muffleWarning")
    })
  if (inherits(value, "nqpf_error"))
    return(list(ok = 0L, value = NULL, message = value[[1]], warnings = warns))
  list(ok = 1L, value = value, message = "", warnings = warns)
}

## Installed version of each package ("" when absent), found on .libPaths().
nqpf_pkg_versions <- function(pkgs) {
  vapply(as.character(pkgs), function(p) {
    path <- find.package(p, quiet = TRUE)
    if (length(path) == 0L) return("")
    v <- read.dcf(file.path(path[1L], "DESCRIPTION"), fields = "Version")[1L, 1L]
    if (is.na(v)) "" else v
  }, "", USE.NAMES = FALSE)
}

.nqpf_w <- function(w) if (is.null(w)) NULL else as.numeric(as.vector(w))

## laeken::gini: 100 x the (weighted) population Gini, n^2 form.
nqpf_adapt_laeken_gini <- function(y, w = NULL) {
  laeken::gini(as.numeric(as.vector(y)), weights = .nqpf_w(w))$value
}

## Hmisc::GiniMd: Gini mean difference with n(n - 1) denominators, no weights.
nqpf_adapt_hmisc_ginimd <- function(y) {
  Hmisc::GiniMd(as.numeric(as.vector(y)))
}

## dineq::gini_decomp: within / between / overlap = Dagum Gw / Gnb / Gt.
nqpf_adapt_dineq <- function(y, group, w = NULL) {
  r <- dineq::gini_decomp(as.numeric(as.vector(y)), factor(as.character(group)),
                          weights = .nqpf_w(w))
  d <- r$gini_decomp
  list(G = d$gini_total, Gw = d$gini_within, Gnb = d$gini_between, Gt = d$gini_overlap,
       groups = names(r$gini_group$gini_group), Gjj = unname(r$gini_group$gini_group),
       means = unname(r$mean$mean_group), p = unname(r$share_groups),
       s = unname(r$share_income_groups))
}

## IC2::decompSGini(param = 2, decomp = "BM"): within / between / overlap.
nqpf_adapt_ic2 <- function(y, group, w = NULL) {
  r <- IC2::decompSGini(as.numeric(as.vector(y)), factor(as.character(group)),
                        w = .nqpf_w(w), param = 2, decomp = "BM", ELMO = FALSE)
  if (is.null(r)) stop("IC2::decompSGini returned NULL (it rejects negative or all-zero values)")
  list(G = unname(r$ineq$index), Gw = unname(r$decomp$within),
       Gnb = unname(r$decomp$between), Gt = unname(r$decomp$overlap),
       groups = names(r$intra$SGiniGroups), Gjj = unname(r$intra$SGiniGroups))
}

## ineq::Gini: population (n^2) Gini, unweighted.
nqpf_adapt_ineq_gini <- function(y) {
  ineq::Gini(as.numeric(as.vector(y)))
}

## topsis::topsis(decision, weights, impacts): vector normalisation, weighted matrix.
nqpf_adapt_topsis <- function(X, w, impacts) {
  X <- as.matrix(X); storage.mode(X) <- "double"
  topsis::topsis(X, as.numeric(as.vector(w)), as.character(impacts))$score
}

## MCDA::TOPSIS(performanceTable, criteriaWeights, criteriaMinMax).
nqpf_adapt_mcda_topsis <- function(X, w, minmax, pis = NULL, nis = NULL) {
  X <- as.matrix(X); storage.mode(X) <- "double"
  ## MCDA tests missing(), not is.null(): leave the ideal arguments out unless given
  if (is.null(pis) || is.null(nis))
    return(unname(MCDA::TOPSIS(X, as.numeric(as.vector(w)), as.character(minmax))))
  unname(MCDA::TOPSIS(X, as.numeric(as.vector(w)), as.character(minmax),
                      positiveIdealSolutions = as.numeric(as.vector(pis)),
                      negativeIdealSolutions = as.numeric(as.vector(nis))))
}

## MCDM::TOPSISVector(decision, weights, cb): needs sum(weights) == 1 exactly.
nqpf_adapt_mcdm_topsis_vector <- function(X, w, cb) {
  X <- as.matrix(X); storage.mode(X) <- "double"
  w <- as.numeric(as.vector(w))
  w <- w / sum(w)
  ## put the rounding residue on the largest weight (a change of about 1 ulp)
  i <- which.max(w)
  for (k in 1:4) if (sum(w) != 1) w[i] <- w[i] + (1 - sum(w))
  MCDM::TOPSISVector(X, w, as.character(cb))$R
}
