# Reference values for cxkit.reliability, computed with R psych and multilevel.
#
# Run from the repository root (R >= 4.2 with psych, multilevel and jsonlite):
#     Rscript tests/reference/reliability_reference.R
# It reads datasets/*.csv, exports multilevel's bhr2000 (GRP, HRS, AF06) to
# tests/reference/bhr2000.csv and writes tests/reference/reliability_reference.json.
# CI never runs this script: the tests read the committed JSON.
#
# Calls (all with package defaults unless stated):
#   * psych::alpha(x, warnings = FALSE) on the item columns, with the reverse-keyed
#     items recoded by hand as (min + max) - x of the data set's scale BEFORE the call
#     (check.keys = FALSE, keys = NULL), so psych sees positively keyed items.  On the
#     bundled data the observed min and max of the items equal the scale ends, so this is
#     also what psych's own `keys` argument would do (it flips with min(x) + max(x)).
#     "pairwise": psych's default use = "pairwise" on all rows;
#     "listwise": psych::alpha(na.omit(x)) (bfi only: the other data sets have no
#     missing item responses).
#     Stored: total$raw_alpha, total$std.alpha, total$`G6(smc)`, total$average_r,
#     total$ase, feldt$lower.ci / feldt$upper.ci (psych::alpha.ci(alpha, n = nrow(x),
#     k), 95%), psych::alpha.ci(..., p.val = 0.10) (90% Feldt), the Duhachek bounds
#     raw_alpha -/+ qnorm(0.975) * ase and psych's printed ones (raw_alpha -/+ 1.96 *
#     ase), and per item: alpha.drop raw_alpha, std.alpha, `G6(smc)`; item.stats r.drop,
#     r.cor, mean, sd, n.
#   * psych::omega(x, nfactors = 1, plot = FALSE) on the same (reversed) items:
#     omega.tot and omega_h (psych warns that omega_h is not meaningful for one factor).
#   * multilevel: aov(HRS ~ as.factor(GRP), data = bhr2000) and the same for AF06;
#     multilevel::ICC1(), ICC2(), and the ANOVA table (mean squares, F, p, df).

suppressPackageStartupMessages({
  library(psych)
  library(multilevel)
  library(jsonlite)
})

read_data <- function(name) read.csv(file.path("datasets", paste0(name, ".csv")),
                                     check.names = FALSE)

alpha_case <- function(dataset, block, items, reverse, scale, nan_policy) {
  x <- read_data(dataset)[, items]
  for (it in reverse) x[[it]] <- scale[1] + scale[2] - x[[it]]
  if (nan_policy == "listwise") x <- na.omit(x)
  a <- psych::alpha(x, warnings = FALSE, max = 11)
  tot <- a$total
  z <- qnorm(0.975)
  ci90 <- psych::alpha.ci(tot$raw_alpha, nrow(x), length(items), p.val = 0.10)
  drop <- a$alpha.drop
  st <- a$item.stats
  list(
    dataset = dataset, block = block, items = I(items), reverse = I(reverse),
    scale = scale, nan_policy = nan_policy, n = nrow(x),
    raw_alpha = tot$raw_alpha, std_alpha = tot$std.alpha, g6 = tot$`G6(smc)`,
    average_r = tot$average_r, ase = tot$ase,
    feldt_low = as.numeric(a$feldt$lower.ci), feldt_high = as.numeric(a$feldt$upper.ci),
    feldt90_low = ci90$lower.ci, feldt90_high = ci90$upper.ci,
    duhachek_low = tot$raw_alpha - z * tot$ase, duhachek_high = tot$raw_alpha + z * tot$ase,
    duhachek196_low = tot$raw_alpha - 1.96 * tot$ase,
    duhachek196_high = tot$raw_alpha + 1.96 * tot$ase,
    alpha_if_deleted = if (length(items) > 2) unname(drop$raw_alpha) else NULL,
    std_alpha_if_deleted = if (length(items) > 2) unname(drop$std.alpha) else NULL,
    g6_if_deleted = if (length(items) > 2) unname(drop$`G6(smc)`) else NULL,
    r_drop = unname(st$r.drop), r_cor = unname(st$r.cor),
    item_mean = unname(st$mean), item_sd = unname(st$sd), item_n = unname(st$n)
  )
}

omega_case <- function(dataset, block, items, reverse, scale) {
  x <- read_data(dataset)[, items]
  for (it in reverse) x[[it]] <- scale[1] + scale[2] - x[[it]]
  o <- suppressWarnings(suppressMessages(
    psych::omega(x, nfactors = 1, plot = FALSE)))
  list(dataset = dataset, block = block, items = I(items), reverse = I(reverse),
       scale = scale, n_factors = 1, omega_total = o$omega.tot, omega_h = o$omega_h)
}

bfi_reverse <- c("A1", "C4", "C5", "E1", "E2", "O2", "O5")
blocks <- list()
add <- function(dataset, block, items, scale, reverse = character(0)) {
  blocks[[length(blocks) + 1]] <<- list(dataset = dataset, block = block, items = items,
                                        reverse = intersect(reverse, items), scale = scale)
}
for (s in c("A", "C", "E", "N", "O")) add("bfi", s, paste0(s, 1:5), c(1, 6), bfi_reverse)
add("spi_compassion", "compassion", c("q_253", "q_90", "q_1763", "q_851", "q_1832"), c(1, 6))
for (b in list(c("IMAG", 5), c("CUEX", 3), c("PERQ", 7), c("PERV", 2), c("CUSA", 3),
               c("CUSL", 3)))
  add("ecsi_mobile", b[1], paste0(b[1], 1:as.integer(b[2])), c(1, 10))
for (b in list(c("imag", 5), c("expe", 5), c("qual", 5), c("val", 4), c("sat", 4),
               c("loy", 4)))
  add("bank_satisfaction", b[1], paste0(b[1], 1:as.integer(b[2])), c(0, 10))

alpha_cases <- list()
for (b in blocks) {
  alpha_cases[[length(alpha_cases) + 1]] <-
    alpha_case(b$dataset, b$block, b$items, b$reverse, b$scale, "pairwise")
  if (b$dataset == "bfi")
    alpha_cases[[length(alpha_cases) + 1]] <-
      alpha_case(b$dataset, b$block, b$items, b$reverse, b$scale, "listwise")
}

omega_cases <- list()
for (b in blocks) {
  if (paste(b$dataset, b$block) %in% c("bfi N", "bfi A", "spi_compassion compassion",
                                       "ecsi_mobile PERQ", "bank_satisfaction qual"))
    omega_cases[[length(omega_cases) + 1]] <-
      omega_case(b$dataset, b$block, b$items, b$reverse, b$scale)
}

data(bhr2000, package = "multilevel")
write.csv(bhr2000[, c("GRP", "HRS", "AF06")], file.path("tests", "reference", "bhr2000.csv"),
          row.names = FALSE)
icc_case <- function(score) {
  fit <- aov(as.formula(paste(score, "~ as.factor(GRP)")), data = bhr2000)
  tab <- summary(fit)[[1]]
  list(data = "bhr2000", score = score, group = "GRP",
       icc1 = multilevel::ICC1(fit), icc2 = multilevel::ICC2(fit),
       ms_between = tab[1, 3], ms_within = tab[2, 3], f_statistic = tab[1, 4],
       p_value = tab[1, 5], df_between = tab[1, 1], df_within = tab[2, 1],
       n = nrow(bhr2000), n_groups = length(unique(bhr2000$GRP)),
       mean_group_size = nrow(bhr2000) / length(unique(bhr2000$GRP)))
}
icc_cases <- list(icc_case("HRS"), icc_case("AF06"))

out <- list(
  generated_by = "tests/reference/reliability_reference.R",
  r_version = R.version.string,
  psych_version = as.character(packageVersion("psych")),
  multilevel_version = as.character(packageVersion("multilevel")),
  alpha = alpha_cases, omega = omega_cases, icc = icc_cases
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"),
           file.path("tests", "reference", "reliability_reference.json"))
cat("wrote tests/reference/reliability_reference.json\n")
