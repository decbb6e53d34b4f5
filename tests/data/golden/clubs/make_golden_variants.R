# Generates the variant golden files for tests/test_clubs.py (club-merging variants,
# the AQSB bandwidth, incremental c*, merging of divergent units) from the CRAN package
# ConvergenceClubs (Sichera & Pizzuto 2019). Like make_golden.R it only calls the
# installed package; run from the repository root with it in a private library:
#
#     R_LIBS=/path/to/private/rlib Rscript tests/data/golden/clubs/make_golden_variants.R
#
# Numbers are written with sprintf("%.17g") so that they round-trip exactly.

suppressPackageStartupMessages(library(ConvergenceClubs))

out_dir <- "tests/data/golden/clubs"
if (!dir.exists(out_dir)) stop("run from the repository root: ", out_dir, " not found")
g17 <- function(x) sprintf("%.17g", x)
write_golden <- function(df, name) {
    utils::write.csv(df, file.path(out_dir, name), row.names = FALSE, quote = TRUE)
}

data("filteredGDP", package = "ConvergenceClubs")
years <- 1970:2003
countries <- filteredGDP[, 1]
filt <- as.matrix(filteredGDP[, 2:35])

### 1. log-t regressions with HACmethod = "AQSB" (sandwich::vcovHAC) ------------------
set.seed(20261201)
logt_rows <- list()
groups <- c(list(seq_along(countries)), lapply(c(2, 3, 5, 8, 13, 34, 89), function(k)
    sort(sample.int(length(countries), k))))
for (trim in c(1 / 3, 0.25)) for (rows in groups) {
    H <- ConvergenceClubs:::computeH(filt[rows, , drop = FALSE])
    m <- ConvergenceClubs:::estimateMod(H, time_trim = trim, HACmethod = "AQSB")
    logt_rows[[length(logt_rows) + 1]] <- data.frame(
        trim = g17(trim),
        members = if (length(rows) == length(countries)) "all" else paste(countries[rows], collapse = ";"),
        beta = g17(m[["beta"]]), se = g17(m[["std.err"]]), tvalue = g17(m[["tvalue"]]),
        stringsAsFactors = FALSE)
}
write_golden(do.call(rbind, logt_rows), "variants_logt_aqsb.csv")

### 2. clustering and merging variants ----------------------------------------------
cases <- data.frame(
    case = c("aqsb", "incremental", "aqsb_incremental", "aqsb_incremental_cap", "vlt",
             "vlt_aqsb", "divergent", "vlt_divergent", "short_divergent", "aqsb_divergent"),
    last_year = c(2003, 1990, 2003, 2003, 2003, 2003, 2003, 2003, 1990, 2003),
    hac = c("AQSB", "FQSB", "AQSB", "AQSB", "FQSB", "AQSB", "FQSB", "FQSB", "FQSB", "AQSB"),
    cstar_method = c("fixed", "incremental", "incremental", "incremental", "fixed", "fixed",
                     "fixed", "fixed", "fixed", "fixed"),
    cstar_increment = c(0.1, 0.1, 0.1, 0.5, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1),
    cstar_cap = c(3, 3, 3, 0.5, 3, 3, 3, 3, 3, 3),
    merge = c("PS", "PS", "PS", "PS", "vLT", "vLT", "PS", "vLT", "PS", "PS"),
    merge_divergent = c(FALSE, FALSE, FALSE, FALSE, FALSE, FALSE, TRUE, TRUE, TRUE, TRUE),
    stringsAsFactors = FALSE
)
cases$trim <- 1 / 3
cases$cstar <- 0
club_rows <- list(); test_rows <- list(); merged_rows <- list(); mtest_rows <- list()
for (j in seq_len(nrow(cases))) {
    cs <- cases[j, ]
    cols <- 1 + seq_len(match(cs$last_year, years))
    clubs <- findClubs(filteredGDP, dataCols = cols, unit_names = 1, refCol = max(cols),
                       time_trim = cs$trim, HACmethod = cs$hac, cstar = cs$cstar,
                       cstar_method = cs$cstar_method, cstar_increment = cs$cstar_increment,
                       cstar_cap = cs$cstar_cap)
    merged <- mergeClubs(clubs, mergeMethod = cs$merge, mergeDivergent = cs$merge_divergent)
    for (nm in names(clubs)) {
        ids <- clubs[[nm]]$id
        club_rows[[length(club_rows) + 1]] <- data.frame(case = cs$case, country = countries[ids],
                                                         club = nm, stringsAsFactors = FALSE)
        if (nm != "divergent") {
            m <- clubs[[nm]]$model
            test_rows[[length(test_rows) + 1]] <- data.frame(
                case = cs$case, club = nm, n = length(ids), beta = g17(m[["beta"]]),
                se = g17(m[["std.err"]]), tvalue = g17(m[["tvalue"]]),
                cstar = g17(clubs[[nm]]$cstar), stringsAsFactors = FALSE)
        }
    }
    for (nm in names(merged)) {
        ids <- merged[[nm]]$id
        if (length(ids) == 0) next
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
write_golden(cases, "variants_cases.csv")
write_golden(do.call(rbind, club_rows), "variants_clubs.csv")
write_golden(do.call(rbind, test_rows), "variants_club_tests.csv")
write_golden(do.call(rbind, merged_rows), "variants_merged.csv")
write_golden(do.call(rbind, mtest_rows), "variants_merged_tests.csv")
