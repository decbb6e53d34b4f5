# Golden files for tests/test_golden_cran.py: the CRAN-only routines that
# nqpf.rbridge reaches live (dineq, IC2, ineq, topsis, MCDA, MCDM), recorded so
# that CI, which has none of them, still checks nqpf against their real output.
#
# Run from the repository root, with the packages installed in a private
# library outside the repository (r/install.R with NQPF_R_LIBS):
#
#     R_LIBS=~/.nqpf-rlib Rscript r/golden_cran.R
#
# The script only loads installed packages; it installs and fetches nothing.
# Inputs are built here (explicit vectors and seeded samples) and written next
# to the outputs, every number with sprintf("%.17g") so that Python reads
# exactly the doubles R used (R's CSV writers keep only 15 digits).
#
# Files in tests/data/golden/r_packages/:
#   gini_inputs.csv     case, i, group, y, w (w = NA: unweighted)
#   gini_outputs.csv    case, routine, quantity (G, Gw, Gnb, Gt, Gjj[<group>]), value
#   topsis_inputs.csv   case, i (alternative), j (criterion), x
#   topsis_criteria.csv case, j, weight, direction ("+" benefit, "-" cost)
#   topsis_outputs.csv  case, routine, i, score
#   versions.csv        component, version (R and each package)

pkgs <- c("dineq", "IC2", "ineq", "topsis", "MCDA", "MCDM")
for (p in pkgs) {
  if (!requireNamespace(p, quietly = TRUE))
    stop("R package '", p, "' is not installed: set R_LIBS to the private library ",
         "(DEVELOPERS.md, 'CRAN-only R packages')")
}

out_dir <- file.path("tests", "data", "golden", "r_packages")
if (!dir.exists(dirname(out_dir))) stop("run from the repository root: ", dirname(out_dir), " not found")
dir.create(out_dir, showWarnings = FALSE)

g17 <- function(x) sprintf("%.17g", x)
write_golden <- function(df, name) {
  utils::write.csv(df, file.path(out_dir, name), row.names = FALSE, quote = FALSE)
}
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

# ---------------------------------------------------------------------------
# Gini cases: y, group, w (NULL = unweighted)

gini_cases <- list()

# Dagum exact fixture (docs/methods.md 7.1): G = 146/441, Gw = 34/441, Gnb = 2/9, Gt = 2/63
gini_cases$dagum_exact <- list(
  y = c(1, 2, 6, 3, 5, 4, 8, 9, 11),
  group = c("A", "A", "A", "B", "B", "C", "C", "C", "C"),
  w = NULL)

# the same with integer (frequency-like) weights
gini_cases$dagum_exact_weighted <- list(
  y = gini_cases$dagum_exact$y, group = gini_cases$dagum_exact$group,
  w = c(1, 2, 1, 3, 1, 1, 2, 1, 4))

# 4 groups, 60 units, one decimal: many ties, within and across groups
set.seed(20240611)
g <- sample(paste0("g", 1:4), 60, replace = TRUE)
g[1:4] <- paste0("g", 1:4)
mult <- c(g1 = 1, g2 = 2, g3 = 1.3, g4 = 0.8)[g]
gini_cases$seeded_ties <- list(
  y = round(rlnorm(60, 0, 0.7) * mult, 1), group = g, w = NULL)

# 4 groups, 50 units, unequal weights
set.seed(20240612)
g <- sample(paste0("r", 1:4), 50, replace = TRUE)
g[1:4] <- paste0("r", 1:4)
mult <- c(r1 = 1, r2 = 3, r3 = 1.5, r4 = 0.6)[g]
gini_cases$seeded_weighted <- list(
  y = round(rlnorm(50, 0, 0.8) * mult, 3), group = g, w = runif(50, 0.2, 4))

gini_in <- list()
gini_out <- list()
row <- function(case, routine, quantity, value)
  data.frame(case = case, routine = routine, quantity = quantity, value = g17(value))

for (case in names(gini_cases)) {
  d <- gini_cases[[case]]
  n <- length(d$y)
  gini_in[[case]] <- data.frame(
    case = case, i = seq_len(n), group = d$group, y = g17(d$y),
    w = if (is.null(d$w)) rep("NA", n) else g17(d$w))
  z <- factor(d$group)

  r <- dineq::gini_decomp(d$y, z, weights = d$w)
  gg <- r$gini_group$gini_group
  gini_out[[length(gini_out) + 1]] <- rbind(
    row(case, "dineq::gini_decomp", c("G", "Gw", "Gnb", "Gt"),
        c(r$gini_decomp$gini_total, r$gini_decomp$gini_within,
          r$gini_decomp$gini_between, r$gini_decomp$gini_overlap)),
    row(case, "dineq::gini_decomp", paste0("Gjj[", names(gg), "]"), unname(gg)))

  r <- IC2::decompSGini(d$y, z, w = d$w, param = 2, decomp = "BM", ELMO = FALSE)
  gg <- r$intra$SGiniGroups
  gini_out[[length(gini_out) + 1]] <- rbind(
    row(case, "IC2::decompSGini", c("G", "Gw", "Gnb", "Gt"),
        c(unname(r$ineq$index), r$decomp$within, r$decomp$between, r$decomp$overlap)),
    row(case, "IC2::decompSGini", paste0("Gjj[", names(gg), "]"), unname(gg)))

  if (is.null(d$w)) {  # ineq::Gini takes no weights
    gini_out[[length(gini_out) + 1]] <- row(case, "ineq::Gini", "G", ineq::Gini(d$y))
  }
}

# ---------------------------------------------------------------------------
# TOPSIS cases: X (alternatives x criteria), w, benefit (TRUE = larger is better)

topsis_cases <- list()

# Hodgett's cars (docs/methods.md 7.2): price (cost), economy, aesthetics, boot space
topsis_cases$hodgett <- list(
  X = matrix(c(5490, 51.4, 8.5, 285,
               6500, 70.6, 7.0, 288,
               6489, 54.3, 7.5, 290), nrow = 3, byrow = TRUE),
  w = c(0.35, 0.25, 0.25, 0.15),
  benefit = c(FALSE, TRUE, TRUE, TRUE))

# 10 alternatives x 5 criteria on different scales; criteria 2 and 5 are costs
set.seed(20240613)
X <- cbind(round(runif(10, 10, 100), 2),
           round(rlnorm(10, 6, 0.5), 1),
           sample(1:9, 10, replace = TRUE),    # integer scores, ties
           round(runif(10, 0.01, 0.99), 4),
           round(rnorm(10, 50, 8), 2))
w <- runif(5, 0.5, 2)
w <- w / sum(w)
# MCDM::TOPSISVector needs sum(w) == 1 exactly: put the residue on the largest weight
for (k in 1:4) if (sum(w) != 1) w[which.max(w)] <- w[which.max(w)] + (1 - sum(w))
topsis_cases$seeded_10x5 <- list(X = X, w = w, benefit = c(TRUE, FALSE, TRUE, TRUE, FALSE))

topsis_in <- list()
topsis_crit <- list()
topsis_out <- list()
for (case in names(topsis_cases)) {
  d <- topsis_cases[[case]]
  X <- d$X
  storage.mode(X) <- "double"
  n <- nrow(X)
  m <- ncol(X)
  stopifnot(all(X > 0), sum(d$w) == 1, length(d$w) == m, length(d$benefit) == m)
  topsis_in[[case]] <- data.frame(
    case = case, i = rep(seq_len(n), times = m), j = rep(seq_len(m), each = n),
    x = g17(as.vector(X)))
  topsis_crit[[case]] <- data.frame(
    case = case, j = seq_len(m), weight = g17(d$w), direction = ifelse(d$benefit, "+", "-"))
  minmax <- ifelse(d$benefit, "max", "min")
  ids <- paste0("c", seq_len(m))
  Xn <- X
  dimnames(Xn) <- list(paste0("a", seq_len(n)), ids)
  scores <- list(
    "topsis::topsis" = topsis::topsis(X, d$w, ifelse(d$benefit, "+", "-"))$score,
    "MCDA::TOPSIS" = unname(MCDA::TOPSIS(Xn, setNames(d$w, ids), setNames(minmax, ids))),
    "MCDM::TOPSISVector" = MCDM::TOPSISVector(X, d$w, minmax)$R)
  for (routine in names(scores)) {
    stopifnot(length(scores[[routine]]) == n)
    topsis_out[[length(topsis_out) + 1]] <- data.frame(
      case = case, routine = routine, i = seq_len(n), score = g17(scores[[routine]]))
  }
}

# ---------------------------------------------------------------------------

write_golden(do.call(rbind, unname(gini_in)), "gini_inputs.csv")
write_golden(do.call(rbind, gini_out), "gini_outputs.csv")
write_golden(do.call(rbind, unname(topsis_in)), "topsis_inputs.csv")
write_golden(do.call(rbind, unname(topsis_crit)), "topsis_criteria.csv")
write_golden(do.call(rbind, topsis_out), "topsis_outputs.csv")
versions <- data.frame(
  component = c("R", pkgs),
  version = c(paste(R.version$major, R.version$minor, sep = "."),
              vapply(pkgs, function(p) utils::packageDescription(p)$Version, "")))
write_golden(versions, "versions.csv")
cat(sprintf("wrote %s (%s; %s)\n", out_dir, R.version.string,
            paste(versions$component[-1], versions$version[-1], collapse = ", ")))
