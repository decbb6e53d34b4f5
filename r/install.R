## Install the CRAN-only R packages that nqpf's adapters compare against.
##
##   Rscript r/install.R                    # into the first library of .libPaths()
##   NQPF_R_LIBS=~/rlib Rscript r/install.R # into a private library (created if needed)
##
## Packages: dineq (gini_decomp), IC2 (decompSGini), ineq (Gini), topsis (topsis),
## MCDA (TOPSIS), MCDM (TOPSISVector) and ConvergenceClubs (findClubs). The
## routines nqpf also uses from laeken, Hmisc, plm, markovchain and stats are
## packaged by Debian (r-cran-laeken, r-cran-hmisc, r-cran-plm,
## r-cran-markovchain) and by most R distributions; they are installed here too
## when missing.
##
## The repository is taken from the environment variable NQPF_CRAN_REPOS, else
## from options("repos") when a mirror is set there, else the CRAN cloud mirror.
## Where CRAN cannot be reached, the tests of these packages skip and the
## golden files in tests/data/golden/r_packages still check nqpf. IC2 has been archived on
## CRAN at times; when install.packages() cannot find it, install its last
## source tarball from the CRAN archive with install.packages(<file>, repos = NULL).

cran_only <- c("dineq", "IC2", "ineq", "topsis", "MCDA", "MCDM", "ConvergenceClubs")
common <- c("laeken", "Hmisc", "plm", "markovchain")

lib_env <- Sys.getenv("NQPF_R_LIBS", unset = "")
if (nzchar(lib_env)) {
  lib <- strsplit(lib_env, .Platform$path.sep, fixed = TRUE)[[1]][1]
  dir.create(lib, recursive = TRUE, showWarnings = FALSE)
  .libPaths(c(lib, .libPaths()))
} else {
  lib <- .libPaths()[1]
}

repos <- Sys.getenv("NQPF_CRAN_REPOS", unset = "")
if (!nzchar(repos)) {
  ## options(repos = "https://...") may be unnamed: take the first entry then
  set <- getOption("repos")
  repos <- if ("CRAN" %in% names(set)) set[["CRAN"]] else unname(set[1])
  if (length(repos) == 0L || is.na(repos) || identical(repos, "@CRAN@"))
    repos <- "https://cloud.r-project.org"
}

have <- rownames(utils::installed.packages(lib.loc = .libPaths()))
wanted <- c(cran_only, common)
todo <- setdiff(wanted, have)
if (length(todo) == 0L) {
  message("all packages are installed already: ", paste(wanted, collapse = ", "))
} else {
  message("installing into ", lib, ": ", paste(todo, collapse = ", "))
  utils::install.packages(todo, lib = lib, repos = repos, dependencies = c("Depends", "Imports", "LinkingTo"))
}

have <- rownames(utils::installed.packages(lib.loc = .libPaths()))
still <- setdiff(wanted, have)
if (length(still) > 0L) {
  message("not installed: ", paste(still, collapse = ", "),
          " (no route to CRAN? their tests skip; the golden files still check nqpf)")
  quit(status = 1L)
}
message("done: ", paste(wanted, collapse = ", "))
