# Reference values for cxkit.revenue.estimate_lever_effects, computed with R's glm.
#
# Run from the repository root (R >= 4.2 with jsonlite):
#     Rscript tests/reference/revenue_reference.R
# It reads datasets/bank_satisfaction.csv and writes tests/reference/revenue_reference.json.
# CI never runs this script: the tests read the committed JSON.
#
# For each case: the CX index is the row mean of the CX items (rows with any missing CX
# item or outcome are left out; the bank data has none); y = outcome >= top_box;
# fit <- glm(y ~ cx, family = binomial) on the raw rows (one row per respondent), converged
# tightly (glm.control(epsilon = 1e-14) instead of the default 1e-8).
# Stored: coef(fit), the Wald interval of the slope (confint.default, 95% and 90%) and
# its exp() as the odds ratio, and the lift
#   mean(predict(fit, data.frame(cx = pmin(cx + shift, top)), type = "response"))
#   - mean(fitted(fit)),
# with its delta-method standard error from vcov(fit) (the gradient of the lift in the
# coefficients, as cxkit's method = "delta").

library(jsonlite)

bank <- read.csv("datasets/bank_satisfaction.csv", row.names = 1)
cases <- list(
  list(name = "stay_sat_mean", cx = c("sat1", "sat2", "sat3", "sat4"), outcome = "loy1",
       top_box = 9, shift = 1, top = 10),
  list(name = "recommend_sat_mean", cx = c("sat1", "sat2", "sat3", "sat4"), outcome = "loy3",
       top_box = 9, shift = 1, top = 10),
  list(name = "recommend_sat1_shift2", cx = c("sat1"), outcome = "loy3",
       top_box = 9, shift = 2, top = 10),
  list(name = "loyal_sat_mean_top8_shift0.5", cx = c("sat1", "sat2", "sat3", "sat4"),
       outcome = "loy4", top_box = 8, shift = 0.5, top = 10)
)

out <- list(R = R.version.string, cases = list())
for (case in cases) {
  cx <- rowMeans(bank[, case$cx, drop = FALSE])
  y <- as.numeric(bank[[case$outcome]] >= case$top_box)
  fit <- glm(y ~ cx, family = binomial, control = glm.control(epsilon = 1e-14, maxit = 100))
  b <- coef(fit)
  shifted <- pmin(cx + case$shift, case$top)
  p0 <- fitted(fit)
  p1 <- predict(fit, data.frame(cx = shifted), type = "response")
  lift <- mean(p1) - mean(p0)
  grad <- c(mean(p1 * (1 - p1) - p0 * (1 - p0)),
            mean(p1 * (1 - p1) * shifted - p0 * (1 - p0) * cx))
  se <- sqrt(drop(t(grad) %*% vcov(fit) %*% grad))
  ci95 <- confint.default(fit, "cx", level = 0.95)
  ci90 <- confint.default(fit, "cx", level = 0.90)
  out$cases[[case$name]] <- list(
    cx = case$cx, outcome = case$outcome, top_box = case$top_box, shift = case$shift,
    n = length(y), n_top_box = sum(y), intercept = unname(b[1]), slope = unname(b[2]),
    odds_ratio = exp(unname(b[2])),
    odds_ratio_ci95 = exp(as.numeric(ci95)), odds_ratio_ci90 = exp(as.numeric(ci90)),
    baseline_share = mean(y), predicted_share = mean(p1), lift = lift, lift_se_delta = se)
}
write_json(out, "tests/reference/revenue_reference.json", digits = NA, auto_unbox = TRUE,
           pretty = TRUE)
