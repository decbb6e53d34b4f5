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


## stats::density of each curve's values with their reflections at the bounds (the
## reflection estimator of nqpf.kernel_density, which R has no option for): the values
## x of curve c, 2a - x and 2b - x (for the finite bounds a, b), each copy weighted
## 1/n_c so that every copy carries the mass of x (weights summing to the number of
## copies; subdensity = TRUE: no warning that they do not sum to 1), then restricted
## to [a, b] (0 outside). R takes the bandwidth by its own rule (bw "nrd0", "nrd" or a
## number) from the curve's values and, unless a grid is given (G: one row per curve,
## nqpf's points), builds the grid as density(cut = cut) does, stopped at the bounds:
## from = max(min(x) - cut * h, a), to = min(max(x) + cut * h, b), per curve ("own")
## or the union over the curves ("common"), with n points. R >= 4.4 is asked for the
## pre-4.4 grid coordinates (old.coords = TRUE): the binning bound of nqpf's check is
## derived for that algorithm. Besides R's binned and FFT estimate, the exact sum
## sum_copies mean(dnorm((g - x) / h)) / h at nqpf's points G (vectorised, in blocks).
## Returns, curve by curve: h, from, to, then R's grid (n), R's density there (n) and
## the exact sum at G's row (n).
nqpf_density <- function(x, curve, bw, cut, a, b, n, grid, G) {
  x <- as.numeric(x)
  curve <- as.integer(curve)
  m <- max(curve)
  n <- as.integer(n)
  G <- matrix(as.numeric(G), nrow = m)
  rule <- function(v) {
    if (is.character(bw)) {
      switch(bw, nrd0 = stats::bw.nrd0(v), nrd = stats::bw.nrd(v), stop("unknown bw rule"))
    } else {
      as.numeric(bw)
    }
  }
  parts <- split(x, factor(curve, levels = seq_len(m)))
  h <- vapply(parts, rule, numeric(1))
  from <- pmax(vapply(parts, min, numeric(1)) - cut * h, a)
  to <- pmin(vapply(parts, max, numeric(1)) + cut * h, b)
  if (grid == "common") {
    from[] <- min(from)
    to[] <- max(to)
  } else if (grid == "given") {
    from <- G[, 1]
    to <- G[, ncol(G)]
  }
  copies <- function(v) c(v, if (is.finite(a)) 2 * a - v, if (is.finite(b)) 2 * b - v)
  exact <- function(g, xx, h, nc) {
    out <- numeric(length(g))
    step <- max(1L, floor(4e6 / length(xx)))
    for (s in seq(1L, length(g), by = step)) {
      i <- s:min(length(g), s + step - 1L)
      out[i] <- rowSums(matrix(stats::dnorm(outer(g[i], xx, "-") / h), nrow = length(i)))
    }
    out <- out / (nc * h)
    out[g < a | g > b] <- 0
    out
  }
  result <- c(h, from, to)
  for (k in seq_len(m)) {
    v <- parts[[k]]
    xx <- copies(v)
    args <- list(
      xx, bw = h[k], kernel = "gaussian", weights = rep(1 / length(v), length(xx)),
      subdensity = TRUE, from = from[k], to = to[k], n = n
    )
    if (getRversion() >= "4.4.0") args$old.coords <- TRUE
    d <- do.call(stats::density, args)
    y <- d$y
    y[d$x < a | d$x > b] <- 0
    result <- c(result, d$x, y, exact(G[k, ], xx, h[k], length(v)))
  }
  result
}
