## R side of nqpf's dynamics adapters (nqpf.crossval.dynamics, through nqpf.rbridge).
##
## The data travel as arguments; R counts the transitions and fits the chain
## (markovchain), and builds the growth, the lags and the within transformation of
## the β-convergence panel itself (plm).

## markovchain::markovchainFit(method = "mle") of state sequences: S is the
## regions x periods matrix of states 1..k (NA where a region-year is missing; a
## pair with NA is no transition). Returns c(P by column (k x k), m, the m steady
## states by row (steadyStates: one per closed class)).
nqpf_markovchain_fit <- function(S, k) {
  k <- as.integer(k)
  S <- matrix(as.numeric(S), nrow = nrow(S))
  chars <- matrix(ifelse(is.na(S), NA_character_, as.character(as.integer(S))), nrow = nrow(S))
  states <- as.character(seq_len(k))
  fit <- markovchain::markovchainFit(data = chars, method = "mle", possibleStates = states)
  P <- fit$estimate@transitionMatrix[states, states, drop = FALSE]
  # a state never left has a zero row in R: no chain to take a steady state of
  ss <- if (all(rowSums(P) > 0)) {
    markovchain::steadyStates(fit$estimate)[, states, drop = FALSE]
  } else {
    matrix(0, 0, k)
  }
  c(as.vector(P), nrow(ss), as.vector(t(ss)))
}

## plm::plm of annual growth on the lagged log value (and lagged controls Z) with
## growth and lags built by plm from the panel index: model "pooling" ("none"),
## "within" with effect "individual" ("region") or "twoways" ("twoway").
## Returns c(nobs, groups, periods, K, coef, se HC0, se "sss") with the cluster-robust
## Arellano covariance clustered by group (vcovHC).
nqpf_plm_beta <- function(id, year, x, Z, effects) {
  d <- data.frame(id = as.character(id), year = as.integer(year), x = as.numeric(x))
  f <- "diff(log(x)) ~ lag(log(x))"
  if (!is.null(Z)) {
    Z <- matrix(as.numeric(Z), nrow = length(x))
    for (j in seq_len(ncol(Z))) d[[paste0("z", j)]] <- Z[, j]
    f <- paste(f, paste0("lag(z", seq_len(ncol(Z)), ")", collapse = " + "), sep = " + ")
  }
  # plm evaluates model.frame() in its caller's frame: call it from a frame that
  # sees the attached packages (this file's environment sees base R only)
  e <- new.env(parent = globalenv())
  e$pd <- plm::pdata.frame(d, index = c("id", "year"))
  e$f <- stats::as.formula(f, env = e)
  e$model <- if (effects == "none") "pooling" else "within"
  e$effect <- if (effects == "twoway") "twoways" else "individual"
  m <- eval(quote(plm::plm(f, data = pd, model = model, effect = effect)), envir = e)
  b <- stats::coef(m)
  se0 <- sqrt(diag(plm::vcovHC(m, method = "arellano", type = "HC0", cluster = "group")))
  sss <- sqrt(diag(plm::vcovHC(m, method = "arellano", type = "sss", cluster = "group")))
  dims <- plm::pdim(m)$nT
  c(stats::nobs(m), dims$n, dims$T, length(b), unname(b), unname(se0), unname(sss))
}

