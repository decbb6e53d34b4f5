## R side of nqpf's spdep adapters (nqpf.crossval.spatial, through nqpf.rbridge).
##
## The weights travel as a neighbour list in triplets (from, to, weight; 1-based
## region positions) and spdep builds its own listw from them with nb2listw, so
## spdep's own style ("B" binary, "W" row-standardised of the given weights, or "B"
## with glist: the weights as given) is compared with nqpf's, not copied from it.
## Islands are kept (zero.policy = TRUE, spdep's adjust.n = TRUE default).

.nqpf_nb <- function(n, from, to) {
  from <- as.integer(from); to <- as.integer(to)
  nb <- lapply(seq_len(n), function(i) {
    k <- sort(to[from == i])
    if (length(k) == 0L) 0L else as.integer(k)
  })
  class(nb) <- "nb"
  attr(nb, "region.id") <- as.character(seq_len(n))
  nb
}

.nqpf_listw <- function(n, from, to, weight, style, star = FALSE) {
  from <- as.integer(from); to <- as.integer(to); weight <- as.numeric(weight)
  nb <- .nqpf_nb(n, from, to)
  if (star) {
    nb <- spdep::include.self(nb)
    return(spdep::nb2listw(nb, style = if (style == "r") "W" else "B", zero.policy = TRUE))
  }
  if (style == "b") return(spdep::nb2listw(nb, style = "B", zero.policy = TRUE))
  glist <- lapply(seq_len(n), function(i) {
    k <- which(from == i)
    if (length(k) == 0L) NULL else weight[k][order(to[k])]
  })
  spdep::nb2listw(nb, glist = glist, style = if (style == "r") "W" else "B", zero.policy = TRUE)
}

## Global tests: c(statistic, expectation, variance, z, p) with alternative "greater".
nqpf_spdep_global <- function(stat, x, n, from, to, weight, style, randomisation = TRUE) {
  lw <- .nqpf_listw(n, from, to, weight, style)
  x <- as.numeric(as.vector(x))
  r <- switch(stat,
    moran = spdep::moran.test(x, lw, randomisation = as.logical(randomisation), zero.policy = TRUE),
    geary = spdep::geary.test(x, lw, randomisation = as.logical(randomisation), zero.policy = TRUE),
    G = spdep::globalG.test(x, lw, zero.policy = TRUE),
    stop("unknown statistic ", stat))
  as.numeric(c(r$estimate[1:3], r$statistic, r$p.value))
}

## localmoran: matrix n x 5 (Ii, E.Ii, Var.Ii, Z.Ii, two-sided p), columns unnamed.
nqpf_spdep_localmoran <- function(x, n, from, to, weight, style) {
  lw <- .nqpf_listw(n, from, to, weight, style)
  r <- spdep::localmoran(as.numeric(as.vector(x)), lw, zero.policy = TRUE)
  unname(matrix(as.numeric(r), nrow = nrow(r))[, 1:5, drop = FALSE])
}

## localG: matrix n x 4 (G, E(G), V(G), z) from its internals; star adds each region
## to its own neighbours (include.self).
nqpf_spdep_localG <- function(x, n, from, to, weight, style, star = FALSE) {
  lw <- .nqpf_listw(n, from, to, weight, style, star = as.logical(star))
  r <- spdep::localG(as.numeric(as.vector(x)), lw, zero.policy = TRUE, return_internals = TRUE)
  ints <- attr(r, "internals")
  unname(cbind(as.numeric(ints[, 1]), as.numeric(ints[, 2]), as.numeric(ints[, 3]), as.numeric(r)))
}

## moran.mc: c(statistic, p) with a seed set here (for the ranks' p rule only).
nqpf_spdep_moran_mc <- function(x, n, from, to, weight, style, nsim, seed) {
  lw <- .nqpf_listw(n, from, to, weight, style)
  set.seed(as.integer(seed))
  r <- spdep::moran.mc(as.numeric(as.vector(x)), lw, nsim = as.integer(nsim), zero.policy = TRUE)
  as.numeric(c(r$statistic, r$p.value, r$res))
}

## localmoran_perm (benchmark): the folded simulated p of each region.
nqpf_spdep_localmoran_perm <- function(x, n, from, to, weight, style, nsim, seed) {
  lw <- .nqpf_listw(n, from, to, weight, style)
  r <- spdep::localmoran_perm(as.numeric(as.vector(x)), lw, nsim = as.integer(nsim),
                              zero.policy = TRUE, iseed = as.integer(seed))
  as.numeric(r[, 7])
}
