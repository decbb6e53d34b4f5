# Generates the golden files for tests/test_clubs.py from the CRAN package
# ConvergenceClubs (Sichera & Pizzuto 2019) and mFilter::hpfilter.
#
# Run from the repository root, with ConvergenceClubs installed in a private
# library outside the repository:
#
#     R_LIBS=/path/to/private/rlib Rscript tests/data/golden/clubs/make_golden.R
#
# Needs: ConvergenceClubs (>= 2.2.5; imports lmtest, sandwich) and mFilter.
# Numbers are written with sprintf("%.17g") so that they round-trip exactly.
# The package itself is not part of this repository; this script only calls it.

suppressPackageStartupMessages({
    library(ConvergenceClubs)
    library(mFilter)
})

out_dir <- "tests/data/golden/clubs"
if (!dir.exists(out_dir)) stop("run from the repository root: ", out_dir, " not found")

g17 <- function(x) sprintf("%.17g", x)
write_golden <- function(df, name) {
    utils::write.csv(df, file.path(out_dir, name), row.names = FALSE, quote = TRUE)
}

data("GDP", package = "ConvergenceClubs")
data("filteredGDP", package = "ConvergenceClubs")
stopifnot(identical(GDP[, 1], filteredGDP[, 1]), !anyNA(GDP))

data_cols <- 2:35
years <- as.integer(sub("^Y", "", names(GDP)[data_cols]))
stopifnot(identical(years, 1970:2003))
countries <- GDP[, 1]
N <- length(countries)

long_frame <- function(mat, name) {
    # mat: N x T matrix (rows = countries, columns = years)
    df <- data.frame(
        country = rep(countries, times = length(years)),
        year = rep(years, each = N),
        stringsAsFactors = FALSE
    )
    df[[name]] <- g17(as.vector(mat))
    df[order(match(df$country, countries), df$year), ]
}

### 1. Input panel: per-capita GDP (levels), long form -------------------------
gdp <- as.matrix(GDP[, data_cols])
write_golden(long_frame(gdp, "gdp"), "gdp_panel.csv")

### 2. HP filter of log GDP, lambda = 400 (mFilter::hpfilter) -----------------
hp <- t(apply(log(gdp), 1, function(x) mFilter::hpfilter(x, freq = 400, type = "lambda")$trend))
# The package's filteredGDP is exactly this series (checked here, not assumed).
stopifnot(max(abs(hp - as.matrix(filteredGDP[, data_cols]))) < 1e-12)
write_golden(long_frame(hp, "trend"), "gdp_hp400.csv")

# mFilter on a few more lambdas and lengths, for the HP filter alone.
set.seed(20240607)
hp_rows <- list()
for (lam in c(6.25, 100, 400, 1600, 1e5)) {
    for (n in c(4L, 5L, 7L, 34L)) {
        y <- cumsum(rnorm(n, mean = 0.02, sd = 0.05)) + 8
        tr <- as.vector(mFilter::hpfilter(y, freq = lam, type = "lambda")$trend)
        hp_rows[[length(hp_rows) + 1]] <- data.frame(
            series = sprintf("lambda%g_n%d", lam, n), lambda = g17(lam),
            t = seq_len(n), y = g17(y), trend = g17(tr), stringsAsFactors = FALSE
        )
    }
}
write_golden(do.call(rbind, hp_rows), "hp_series.csv")

### 3. Log-t regressions (ConvergenceClubs' internal estimateMod, FQSB) ---------
filt <- as.matrix(filteredGDP[, data_cols])
logt <- function(rows, cols, trim) {
    H <- ConvergenceClubs:::computeH(filt[rows, cols, drop = FALSE])
    ConvergenceClubs:::estimateMod(H, time_trim = trim, HACmethod = "FQSB")
}
logt_rows <- list()
add_logt <- function(label, rows, first, last, trim) {
    cols <- match(first:last, years)
    m <- logt(rows, cols, trim)
    logt_rows[[length(logt_rows) + 1]] <<- data.frame(
        label = label, first_year = first, last_year = last, trim = g17(trim),
        members = if (length(rows) == N) "all" else paste(countries[rows], collapse = ";"),
        beta = g17(m[["beta"]]), se = g17(m[["std.err"]]), tvalue = g17(m[["tvalue"]]),
        stringsAsFactors = FALSE
    )
}
# full panel, several trims (0.25 * 34 = 8.5 rounds half to even, to 8)
for (trim in c(1 / 3, 0.25, 0.5, 0.1)) add_logt("full", seq_len(N), 1970, 2003, trim)
# short panels: 4..10 years, so that the trimmed regression has 3..7 points
for (last in 1973:1979) add_logt("short", seq_len(N), 1970, last, 1 / 3)
# random groups of countries, including pairs
set.seed(20240601)
for (size in c(2, 2, 3, 5, 8, 13, 21, 34, 55, 89)) {
    add_logt("group", sort(sample.int(N, size)), 1970, 2003, 1 / 3)
}
write_golden(do.call(rbind, logt_rows), "logt.csv")

### 4. findClubs and mergeClubs(mergeMethod = "PS") -----------------------------
cases <- data.frame(
    case = c("published", "cstar2", "trim050_cstar1", "trim025", "y1970_1990"),
    first_year = c(1970, 1970, 1970, 1970, 1970),
    last_year = c(2003, 2003, 2003, 2003, 1990),
    trim = c(1 / 3, 1 / 3, 0.5, 0.25, 1 / 3),
    cstar = c(0, 2, 1, 0, 0),
    stringsAsFactors = FALSE
)
club_rows <- list(); test_rows <- list(); merged_rows <- list(); mtest_rows <- list()
for (j in seq_len(nrow(cases))) {
    cs <- cases[j, ]
    cols <- 1 + match(cs$first_year:cs$last_year, years)  # column indices in filteredGDP
    clubs <- findClubs(filteredGDP, dataCols = cols, unit_names = 1, refCol = max(cols),
                       time_trim = cs$trim, HACmethod = "FQSB", cstar = cs$cstar,
                       cstar_method = "fixed")
    merged <- mergeClubs(clubs, mergeMethod = "PS", mergeDivergent = FALSE)
    for (nm in names(clubs)) {
        ids <- clubs[[nm]]$id
        club_rows[[length(club_rows) + 1]] <- data.frame(case = cs$case, country = countries[ids],
                                                         club = nm, stringsAsFactors = FALSE)
        if (nm != "divergent") {
            m <- clubs[[nm]]$model
            test_rows[[length(test_rows) + 1]] <- data.frame(
                case = cs$case, club = nm, n = length(ids), beta = g17(m[["beta"]]),
                se = g17(m[["std.err"]]), tvalue = g17(m[["tvalue"]]), stringsAsFactors = FALSE)
        }
    }
    for (nm in names(merged)) {
        ids <- merged[[nm]]$id
        merged_rows[[length(merged_rows) + 1]] <- data.frame(case = cs$case, country = countries[ids],
                                                             club = nm, stringsAsFactors = FALSE)
        if (nm != "divergent") {
            m <- merged[[nm]]$model
            mtest_rows[[length(mtest_rows) + 1]] <- data.frame(
                case = cs$case, club = nm, merged_from = paste(merged[[nm]]$clubs, collapse = "+"),
                n = length(ids), beta = g17(m[["beta"]]), se = g17(m[["std.err"]]),
                tvalue = g17(m[["tvalue"]]), stringsAsFactors = FALSE)
        }
    }
}
cases$trim <- g17(cases$trim)
cases$cstar <- g17(cases$cstar)
write_golden(cases, "cases.csv")
write_golden(do.call(rbind, club_rows), "clubs.csv")
write_golden(do.call(rbind, test_rows), "club_tests.csv")
write_golden(do.call(rbind, merged_rows), "merged.csv")
write_golden(do.call(rbind, mtest_rows), "merged_tests.csv")

writeLines(c(
    paste("R", getRversion()),
    paste("ConvergenceClubs", utils::packageVersion("ConvergenceClubs")),
    paste("mFilter", utils::packageVersion("mFilter")),
    paste("sandwich", utils::packageVersion("sandwich")),
    paste("lmtest", utils::packageVersion("lmtest"))
), file.path(out_dir, "versions.txt"))
cat("golden files written to", out_dir, "\n")
