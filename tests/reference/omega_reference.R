# Reference values for cxkit._factor (minres + oblimin + Schmid-Leiman + omega)
# computed with R psych::omega.
#
# Run from the repository root:
#     Rscript tests/reference/omega_reference.R
# It reads datasets/*.csv and writes tests/reference/omega_reference.json.
#
# psych::omega is called on the raw item data, exactly as a psych user would:
# omegah() then computes cor(x, use = "pairwise") itself.  Defaults otherwise:
# fm = "minres", rotate = "oblimin", option = "equal", flip = TRUE.
# Two synthetic matrices (a Heywood case and a non-positive-definite matrix) are passed
# to psych::omega as correlation matrices; their JSON entries carry the matrix ("R").
# For every case the unrotated fa(fm = "minres") loadings are saved too, with psych's
# two communalities (diag(L L') and 1 - optim's uniquenesses; their difference is the
# gradient where optim stopped).
# Numbers are written with sprintf("%.15g") so that the JSON holds full precision.

suppressPackageStartupMessages({
  library(psych)
  library(GPArotation)
})

fmt_num <- function(x) {
  x <- as.numeric(x)
  ifelse(is.na(x), "null", sprintf("%.15g", x))
}
to_json <- function(x, indent = 0) {
  pad <- strrep("  ", indent)
  pad1 <- strrep("  ", indent + 1)
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x))) {
      parts <- vapply(names(x), function(nm) {
        paste0(pad1, '"', nm, '": ', to_json(x[[nm]], indent + 1))
      }, character(1))
      return(paste0("{\n", paste(parts, collapse = ",\n"), "\n", pad, "}"))
    }
    parts <- vapply(x, function(el) paste0(pad1, to_json(el, indent + 1)), character(1))
    return(paste0("[\n", paste(parts, collapse = ",\n"), "\n", pad, "]"))
  }
  if (is.matrix(x)) {  # list of rows
    rows <- vapply(seq_len(nrow(x)), function(i) {
      paste0(pad1, "[", paste(fmt_num(x[i, ]), collapse = ", "), "]")
    }, character(1))
    return(paste0("[\n", paste(rows, collapse = ",\n"), "\n", pad, "]"))
  }
  if (length(x) == 0) return("[]")
  if (is.character(x)) {
    x <- gsub("\\s+", " ", x)  # messages: newlines and runs of blanks -> one blank
    x <- gsub('"', "'", x, fixed = TRUE)
    s <- paste0('"', x, '"')
  } else if (is.logical(x)) {
    s <- ifelse(x, "true", "false")
  } else {
    s <- fmt_num(x)
  }
  if (length(x) == 1 && is.null(attr(x, "as_array"))) return(s)
  paste0("[", paste(s, collapse = ", "), "]")
}
as_array <- function(x) {
  attr(x, "as_array") <- TRUE
  x
}

read_items <- function(file, items, reverse = character(0), scale_sum = NA) {
  d <- read.csv(file.path("datasets", file), check.names = FALSE)
  x <- d[, items]
  for (it in reverse) x[[it]] <- scale_sum - x[[it]]
  x
}

messages <- character(0)
run_omega <- function(name, x, nfactors, reverse, note, matrix_input = FALSE) {
  msgs <- character(0)
  om <- withCallingHandlers(
    omega(x, nfactors = nfactors, fm = "minres", plot = FALSE),
    message = function(m) {
      msgs <<- c(msgs, trimws(conditionMessage(m)))
      invokeRestart("muffleMessage")
    },
    warning = function(w) {
      msgs <<- c(msgs, paste("warning:", trimws(conditionMessage(w))))
      invokeRestart("muffleWarning")
    }
  )
  sl <- om$schmid$sl
  out <- list(
    name = name,
    note = note,
    items = as_array(colnames(x)),
    reverse = as_array(reverse),
    n_factors = nfactors,
    n_obs = if (matrix_input) NA_real_ else nrow(x),
    omega_total = om$omega.tot,
    omega_hierarchical = om$omega_h,
    alpha = om$alpha,
    key = as_array(as.numeric(om$key)),
    general = as_array(unname(sl[, 1])),
    h2 = as_array(unname(sl[, "h2"])),
    u2 = as_array(unname(sl[, "u2"])),
    r_messages = as_array(unique(msgs))
  )
  if (nfactors > 1) {
    out$group <- unname(as.matrix(sl[, 2:(nfactors + 1)]))
    out$oblique <- unname(as.matrix(om$schmid$oblique))
    out$phi <- unname(as.matrix(om$schmid$phi))
    out$orthogonal <- unname(as.matrix(om$schmid$orthog))
    out$gloading <- as_array(unname(as.numeric(om$schmid$gloading)))
  }
  # the unrotated minres solution psych starts from (fa(rotate = "none"))
  R <- if (matrix_input) x else cor(x, use = "pairwise")
  if (matrix_input) out$R <- unname(R)
  f <- suppressMessages(suppressWarnings(
    fa(R, nfactors = nfactors, fm = "minres", rotate = "none")))
  out$minres_unrotated <- unname(matrix(as.numeric(f$loadings), ncol = nfactors))
  # psych reports two communalities: diag(L L') and 1 - optim's par; their
  # difference is psych's gradient at the point where optim stopped
  out$minres_communality <- as_array(unname(f$communality))
  out$minres_communalities_par <- as_array(unname(f$communalities))
  out
}

bfi_items <- c(paste0("A", 1:5), paste0("C", 1:5), paste0("E", 1:5),
               paste0("N", 1:5), paste0("O", 1:5))
bfi_rev <- c("A1", "C4", "C5", "E1", "E2", "O2", "O5")
bank_items <- c(paste0("imag", 1:5), paste0("expe", 1:5), paste0("qual", 1:5),
                paste0("val", 1:4), paste0("sat", 1:4), paste0("loy", 1:4))
ecsi_items <- c("CUEX1", "CUEX2", "CUEX3", "CUSA1", "CUSA2", "CUSA3", "CUSCO",
                "CUSL1", "CUSL2", "CUSL3", paste0("IMAG", 1:5), paste0("PERQ", 1:7),
                "PERV1", "PERV2")
spi_items <- c("q_253", "q_90", "q_1763", "q_851", "q_1832")

cases <- list(
  run_omega("bfi25_3f", read_items("bfi.csv", bfi_items, bfi_rev, 7), 3, bfi_rev,
            "bfi 25 items, reverse-keyed items recoded 7 - x, pairwise correlations"),
  run_omega("bank27_3f", read_items("bank_satisfaction.csv", bank_items), 3, character(0),
            "bank_satisfaction 27 items"),
  run_omega("ecsi24_3f", read_items("ecsi_mobile.csv", ecsi_items), 3, character(0),
            "ecsi_mobile 24 items (CUSL2 hardly correlates with anything)"),
  run_omega("bfi25_5f", read_items("bfi.csv", bfi_items, bfi_rev, 7), 5, bfi_rev,
            "bfi 25 items, 5 factors: the higher-order fa on a 5 x 5 phi is over-identified"),
  run_omega("bfi_AC_2f", read_items("bfi.csv", bfi_items[1:10], c("A1", "C4", "C5"), 7), 2,
            c("A1", "C4", "C5"),
            "bfi A1-A5 + C1-C5, 2 factors: psych's option = 'equal' (g loadings sqrt(|phi12|))"),
  run_omega("bfi_A_1f", read_items("bfi.csv", paste0("A", 1:5), "A1", 7), 1, "A1",
            "bfi A1-A5 (A1 recoded 7 - x), 1 factor"),
  run_omega("spi_compassion_1f", read_items("spi_compassion.csv", spi_items), 1, character(0),
            "spi_compassion 5 items, 1 factor"),
  run_omega("bank_sat_1f", read_items("bank_satisfaction.csv", paste0("sat", 1:4)), 1,
            character(0), "bank_satisfaction sat1-sat4, 1 factor")
)
# synthetic correlation matrices (omega is called on the matrix itself)
heywood <- outer(c(.999, .6, .6, .6, .6), c(.999, .6, .6, .6, .6))
diag(heywood) <- 1
colnames(heywood) <- rownames(heywood) <- paste0("V", 1:5)
nonpd <- matrix(c(1, .9, .9, 0, .9, 1, .2, .5, .9, .2, 1, .5, 0, .5, .5, 1), 4,
                dimnames = list(paste0("V", 1:4), paste0("V", 1:4)))
cases <- c(cases, list(
  run_omega("heywood_1f", heywood, 1, character(0),
            "exact one-factor matrix with a loading of .999: true uniqueness .002 is below psych's bound .005 (Heywood case)",
            matrix_input = TRUE),
  run_omega("nonpd_1f", nonpd, 1, character(0),
            "not positive semi-definite 4 x 4 matrix (smallest eigenvalue < 0), ultra-Heywood item 1",
            matrix_input = TRUE)
))
names(cases) <- vapply(cases, function(cs) cs$name, character(1))

out <- list(
  generated_by = "tests/reference/omega_reference.R",
  r_version = R.version.string,
  psych_version = as.character(packageVersion("psych")),
  gparotation_version = as.character(packageVersion("GPArotation")),
  call = "psych::omega(x, nfactors = k, fm = 'minres', plot = FALSE) on raw data (cor(use = 'pairwise'))",
  cases = cases
)
writeLines(to_json(out), "tests/reference/omega_reference.json")
cat("wrote tests/reference/omega_reference.json\n")
