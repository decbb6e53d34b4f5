## R side of nqpf's spatialreg adapters (nqpf.crossval.routines.spatialreg, through
## nqpf.rbridge): maximum-likelihood SAR, SEM and SDM on a cross-section.
##
## The weights travel as triplets and spdep builds its own listw from them
## (.nqpf_listw of nqpf_spdep.R, sourced into the same environment), style "W":
## spdep row-standardises the given weights itself. spatialreg's defaults are
## kept (method "eigen", tol.opt = .Machine$double.eps^0.5 in rho).
##
## Returned as one flat vector: c(rho or lambda, log-likelihood, AIC, k, the k
## coefficients in R's order (intercept, x, lag.x for the SDM), then for SAR/SDM the
## direct, indirect and total effects of impacts() (one per regressor)).

nqpf_spatialreg_fit <- function(model, y, x, n, from, to, weight, style) {
  lw <- .nqpf_listw(n, from, to, weight, style)
  x <- matrix(as.numeric(x), nrow = as.integer(n))
  d <- data.frame(y = as.numeric(as.vector(y)), x)
  fit <- switch(model,
    sar = spatialreg::lagsarlm, sem = spatialreg::errorsarlm, sdm = spatialreg::lagsarlm,
    stop("unknown spatial model ", model))
  args <- list(stats::as.formula("y ~ .", env = globalenv()), data = d, listw = lw,
               zero.policy = TRUE)
  if (model == "sdm") args$type <- "mixed"
  ## called from the global environment: the routines evaluate model.frame() in
  ## their caller's frame, which must see the attached stats package
  f <- do.call(fit, args, envir = globalenv())
  par <- if (model == "sem") f$lambda else f$rho
  coef <- unname(f$coefficients)
  effects <- numeric(0)
  if (model != "sem") {
    im <- spatialreg::impacts(f, listw = lw)
    effects <- c(im$direct, im$indirect, im$total)
  }
  as.numeric(c(par, as.numeric(stats::logLik(f)), stats::AIC(f), length(coef), coef, unname(effects)))
}

## Absolute beta-convergence on the cross-section: g = (log y1 - log y0) / tau on
## log y0, the growth and log level computed here from the two years' values.
nqpf_spatialreg_beta <- function(model, y0, y1, tau, n, from, to, weight, style) {
  y0 <- as.numeric(as.vector(y0)); y1 <- as.numeric(as.vector(y1))
  g <- (log(y1) - log(y0)) / as.numeric(tau)
  nqpf_spatialreg_fit(model, g, log(y0), n, from, to, weight, style)
}
