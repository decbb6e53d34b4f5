# Golden file for nqpf.groups (echelons): Fisher-Jenks classes from
# classInt::classIntervals(style = "fisher") (Hartigan's exact algorithm) and
# 1-D k-means from stats::kmeans(algorithm = "Lloyd") started at the type-7
# quantiles (2c - 1) / (2k).
#
#   Rscript r/golden_echelons.R [out.csv]     (default tests/data/golden/echelons.csv)
#
# Columns: dataset, k, i (1-based position in the data set), x (17 significant
# digits), fisher and lloyd (class of x, 1 = lowest; NA where R gives none),
# r_ssw_fisher (within-class sum of squares of R's Fisher classes).
suppressPackageStartupMessages(library(classInt))

args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[[1]] else "tests/data/golden/echelons.csv"

set.seed(20240601)
datasets <- list(
  # the motivating study's Table 1 period averages (12 western provinces)
  west12 = c(.572, .546, .489, .387, .375, .368, .352, .312, .297, .272, .231, .208),
  unif7 = runif(7),
  lnorm15 = rlnorm(15),
  mix31 = c(rnorm(10, 0, 1), rnorm(11, 5, 0.5), rnorm(10, 9, 2)),
  unif60 = runif(60, 100, 101),            # far from 0: tests the centring
  ties40 = round(runif(40), 1)             # many equal values
)

ssw <- function(x, cl) sum(tapply(x, cl, function(v) sum((v - mean(v))^2)))

rows <- list()
for (name in names(datasets)) {
  x <- datasets[[name]]
  for (k in 2:min(6, length(unique(x)) - 1)) {
    ci <- classIntervals(x, n = k, style = "fisher")
    fisher <- findCols(ci)
    init <- quantile(x, (2 * seq_len(k) - 1) / (2 * k), type = 7, names = FALSE)
    # NA where R's Lloyd empties a cluster (R warns and leaves it empty; nqpf
    # re-seeds it), fails, or the data have ties (a value exactly midway
    # between two centres: R gives it to the lower centre, nqpf to the higher).
    none <- rep(NA_integer_, length(x))
    lloyd <- if (anyDuplicated(x)) none else tryCatch({
      fit <- kmeans(x, centers = matrix(init, ncol = 1), algorithm = "Lloyd",
                    iter.max = 1000)
      rank(fit$centers[, 1])[fit$cluster]
    }, warning = function(w) none, error = function(e) none)
    rows[[length(rows) + 1]] <- data.frame(
      dataset = name, k = k, i = seq_along(x),
      x = sprintf("%.17g", x),
      fisher = fisher, lloyd = lloyd,
      r_ssw_fisher = sprintf("%.17g", ssw(x, fisher))
    )
  }
}
res <- do.call(rbind, rows)
write.csv(res, out, row.names = FALSE, quote = FALSE)
cat(sprintf("wrote %d rows to %s (classInt %s, %s)\n", nrow(res), out,
            packageVersion("classInt"), R.version.string))
