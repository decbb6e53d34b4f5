# Build nqpf's default panel from Penn World Table 9.1 (R package pwt9, Debian r-cran-pwt9).
#
#   Rscript data/make_pwt.R        (from the repository root; `make data` runs exactly this)
#
# Writes, next to this script:
#   pwt_panel.csv   wide panel: country, iso3, continent, year, one column per indicator
#   pwt_spec.csv    indicator, dimension, direction, label, unit
#   pwt_spec.toml   the same spec as an array of [[indicator]] tables
#
# Numbers are written with sprintf("%.17g"), so every double round-trips exactly.
# The script stops (non-zero exit) if any check fails. See data/README.md for the
# choice of indicators, dimensions, countries and continents.

suppressPackageStartupMessages(library(pwt9))

## ---- where to write ---------------------------------------------------------
script_dir <- local({
  arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(arg) == 1L) dirname(normalizePath(sub("^--file=", "", arg))) else "data"
})
if (!dir.exists(script_dir)) stop("output directory not found: ", script_dir)
out <- function(f) file.path(script_dir, f)

## ---- parameters ------------------------------------------------------------
first_year <- 2000L
last_year  <- 2017L            # last year of PWT 9.1
# PWT variables the indicators are computed from; a country is kept only if all
# of these are present in every year first_year..last_year.
source_vars <- c("rgdpo", "pop", "emp", "ctfp", "rnna", "csh_i", "hc", "labsh")

## ---- indicator spec ----------------------------------------------------------
# name, dimension, direction, label, unit; the panel columns follow this order.
spec <- data.frame(
  indicator = c("gdp_pc", "tfp_level",
                "capital_pw", "invest_share",
                "human_capital", "emp_rate", "labour_share"),
  dimension = c("output_productivity", "output_productivity",
                "capital_deepening", "capital_deepening",
                "human_capital_labour", "human_capital_labour", "human_capital_labour"),
  direction = c("+", "+", "+", "+", "+", "+", "+"),
  label = c("Real GDP per person, output side (rgdpo/pop)",
            "TFP level at current PPPs, USA = 1 (ctfp)",
            "Capital stock per person engaged (rnna/emp)",
            "Share of gross capital formation in GDP (csh_i)",
            "Human capital index (hc)",
            "Persons engaged per person (emp/pop)",
            "Share of labour compensation in GDP (labsh)"),
  unit = c("2011 US$ at chained PPPs per person",
           "index, USA = 1 in each year",
           "2011 US$ per person engaged (constant 2011 national prices)",
           "share of GDP at current PPPs (0-1)",
           "index from years of schooling and returns to education",
           "ratio (0-1)",
           "share of GDP at current national prices (0-1)"),
  stringsAsFactors = FALSE
)
compute <- list(
  gdp_pc        = function(d) d$rgdpo / d$pop,   # both in millions -> US$ per person
  tfp_level     = function(d) d$ctfp,
  capital_pw    = function(d) d$rnna / d$emp,    # both in millions -> US$ per worker
  invest_share  = function(d) d$csh_i,
  human_capital = function(d) d$hc,
  emp_rate      = function(d) d$emp / d$pop,
  labour_share  = function(d) d$labsh
)
stopifnot(identical(names(compute), spec$indicator))

## ---- continents (UN M49 regions) ---------------------------------------------
# Explicit table for the countries the selection keeps. Taiwan (TWN) is not listed
# separately in M49; it is placed in Asia (Eastern Asia). Cyprus, Turkey, Armenia
# and Kazakhstan are Asia (Western/Central Asia) as in M49; Russia is Europe.
continent_table <- list(
  Africa   = c("AGO", "BDI", "BEN", "BFA", "BWA", "CAF", "CIV", "CMR", "EGY", "GAB",
               "KEN", "LSO", "MAR", "MOZ", "MRT", "MUS", "NAM", "NER", "NGA", "RWA",
               "SDN", "SEN", "SLE", "SWZ", "TGO", "TUN", "TZA", "ZAF", "ZWE"),
  Americas = c("ARG", "BOL", "BRA", "BRB", "CAN", "CHL", "COL", "CRI", "DOM", "ECU",
               "GTM", "HND", "JAM", "MEX", "NIC", "PAN", "PER", "PRY", "TTO", "URY",
               "USA", "VEN"),
  Asia     = c("ARM", "BHR", "CHN", "CYP", "HKG", "IDN", "IND", "IRN", "IRQ", "ISR",
               "JOR", "JPN", "KAZ", "KGZ", "KOR", "KWT", "LAO", "LKA", "MAC", "MNG",
               "MYS", "PHL", "QAT", "SAU", "SGP", "THA", "TJK", "TUR", "TWN"),
  Europe   = c("AUT", "BEL", "BGR", "CHE", "CZE", "DEU", "DNK", "ESP", "EST", "FIN",
               "FRA", "GBR", "GRC", "HRV", "HUN", "IRL", "ISL", "ITA", "LTU", "LUX",
               "LVA", "MDA", "MLT", "NLD", "NOR", "POL", "PRT", "ROU", "RUS", "SRB",
               "SVK", "SVN", "SWE", "UKR"),
  Oceania  = c("AUS", "FJI", "NZL")
)
continent_of <- setNames(rep(names(continent_table), lengths(continent_table)),
                         unlist(continent_table, use.names = FALSE))
if (anyDuplicated(names(continent_of))) stop("an ISO3 code appears twice in continent_table")

## ---- load and select -----------------------------------------------------------
data("pwt9.1", package = "pwt9", envir = environment())
d <- pwt9.1
d$iso3 <- as.character(d$isocode)
d$country <- as.character(d$country)
d$year <- as.integer(d$year)
d <- d[d$year >= first_year & d$year <= last_year, ]

complete_row <- stats::complete.cases(d[, source_vars])
n_years <- last_year - first_year + 1L
years_ok <- tapply(complete_row, d$iso3, sum)
keep <- names(years_ok)[years_ok == n_years]
years_present <- tapply(d$year, d$iso3, function(y) length(unique(y)))
stopifnot(all(years_present[keep] == n_years))
d <- d[d$iso3 %in% keep, ]

missing_cont <- setdiff(keep, names(continent_of))
if (length(missing_cont)) stop("no continent for: ", paste(missing_cont, collapse = ", "),
                               " (add them to continent_table)")
extra_cont <- setdiff(names(continent_of), keep)
if (length(extra_cont)) stop("continent_table lists countries not kept: ",
                             paste(extra_cont, collapse = ", "))

panel <- data.frame(country = enc2utf8(d$country), iso3 = d$iso3,
                    continent = unname(continent_of[d$iso3]), year = d$year,
                    stringsAsFactors = FALSE)
for (v in spec$indicator) panel[[v]] <- as.double(compute[[v]](d))
panel <- panel[order(panel$iso3, panel$year, method = "radix"), ]
rownames(panel) <- NULL

## ---- checks --------------------------------------------------------------------
fail <- character(0)
for (v in spec$indicator) {
  x <- panel[[v]]
  if (anyNA(x)) fail <- c(fail, paste(v, "has missing values"))
  if (!all(is.finite(x))) fail <- c(fail, paste(v, "has non-finite values"))
  if (length(unique(x)) < 2L) fail <- c(fail, paste(v, "is constant over the panel"))
  # all the indicators chosen are strictly positive (levels, shares, ratios)
  if (any(x <= 0)) fail <- c(fail, paste(v, "has values <= 0"))
}
if (anyNA(panel[, c("country", "iso3", "continent", "year")]))
  fail <- c(fail, "identifier columns have missing values")
if (anyDuplicated(panel[, c("iso3", "year")])) fail <- c(fail, "duplicate (iso3, year) rows")
if (anyDuplicated(panel[, c("country", "year")])) fail <- c(fail, "duplicate (country, year) rows")
if (length(unique(panel$country)) != length(unique(panel$iso3)))
  fail <- c(fail, "country names and ISO3 codes are not one-to-one")
if (nrow(panel) != length(keep) * n_years) fail <- c(fail, "panel is not balanced")
if (!all(spec$direction %in% c("+", "-"))) fail <- c(fail, "direction must be + or -")
# capital_pw uses rnna (constant national prices) because it equals cn (current
# PPPs) in the 2011 base year and so is comparable across countries at 2011 PPPs
# while free of the price drift of cn over time; make sure that still holds.
b <- d[d$year == 2011L, ]
if (max(abs(b$rnna / b$cn - 1)) > 1e-9) fail <- c(fail, "rnna differs from cn in 2011")
if (length(fail)) stop(paste(fail, collapse = "; "))

## ---- write -------------------------------------------------------------------------
csv_quote <- function(s) paste0('"', gsub('"', '""', s, fixed = TRUE), '"')
num <- function(x) sprintf("%.17g", x)

lines <- paste(csv_quote(panel$country), panel$iso3, panel$continent, panel$year,
               do.call(paste, c(lapply(spec$indicator, function(v) num(panel[[v]])), sep = ",")),
               sep = ",")
con <- file(out("pwt_panel.csv"), open = "wb")
writeLines(c(paste(c("country", "iso3", "continent", "year", spec$indicator), collapse = ","),
             lines), con, sep = "\n", useBytes = TRUE)
close(con)

spec_lines <- paste(spec$indicator, spec$dimension, spec$direction,
                    csv_quote(spec$label), csv_quote(spec$unit), sep = ",")
con <- file(out("pwt_spec.csv"), open = "wb")
writeLines(c("indicator,dimension,direction,label,unit", spec_lines), con, sep = "\n")
close(con)

toml_str <- function(s) paste0('"', gsub('"', '\\"', gsub("\\", "\\\\", s, fixed = TRUE),
                                         fixed = TRUE), '"')
toml <- c("# Indicator spec for data/pwt_panel.csv (generated by data/make_pwt.R).",
          "# direction: \"+\" benefit (higher is better), \"-\" cost.")
for (i in seq_len(nrow(spec))) {
  toml <- c(toml, "", "[[indicator]]",
            paste0("name = ", toml_str(spec$indicator[i])),
            paste0("dimension = ", toml_str(spec$dimension[i])),
            paste0("direction = ", toml_str(spec$direction[i])),
            paste0("label = ", toml_str(spec$label[i])),
            paste0("unit = ", toml_str(spec$unit[i])))
}
con <- file(out("pwt_spec.toml"), open = "wb")
writeLines(toml, con, sep = "\n")
close(con)

## ---- round-trip check and report -----------------------------------------------
back <- utils::read.csv(out("pwt_panel.csv"), stringsAsFactors = FALSE,
                        colClasses = c(country = "character"), encoding = "UTF-8")
for (v in spec$indicator)
  if (!identical(back[[v]], panel[[v]])) stop("round trip changed ", v)
if (!identical(back$country, panel$country)) stop("round trip changed country names")

cat(sprintf("R %s, pwt9 %s\n", getRversion(), utils::packageVersion("pwt9")))
cat(sprintf("countries: %d  years: %d-%d (%d)  rows: %d  indicators: %d\n",
            length(keep), first_year, last_year, n_years, nrow(panel), nrow(spec)))
cont <- table(panel$continent[panel$year == first_year])
cat("countries per continent:", paste(names(cont), cont, sep = " ", collapse = ", "), "\n")
dropped <- setdiff(unique(pwt9.1$isocode), keep)
cat(sprintf("PWT 9.1 countries dropped for incomplete %d-%d data: %d\n",
            first_year, last_year, length(dropped)))
print(summary(panel[, spec$indicator]))
cat("wrote", out("pwt_panel.csv"), out("pwt_spec.csv"), out("pwt_spec.toml"), sep = "\n  ")
cat("\n")
