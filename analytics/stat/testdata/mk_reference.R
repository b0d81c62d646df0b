# Reference values for stat.MannKendall, from R's own stats::cor.test
# (Kendall's tau between the series and time, normal approximation with the
# tie-corrected variance and continuity correction). Run from this folder:
#
#   Rscript mk_reference.R > mk_reference.json
#
# S is counted from the pairs; varS is recovered from cor.test's z as
# ((|S| - 1) / z)^2, so it is R's variance, not ours (null when |S| <= 1).
suppressMessages(library(jsonlite))

set.seed(20240601)
weeks <- 52
gi <- round(seq(-1, 2, length.out = weeks) + rnorm(weeks, sd = 0.8), 1)

series <- list(
  # Little, "A Mann-Kendall Example (By Hand)", Holy Cross (one tie).
  holycross = c(12.9, 14.8, 13.2, 15.7, 13.8, 15.6, 12.9, 11.0, 17.3, 15.9,
                19.0, 18.3, 20.1, 21.7),
  ties_up = c(1, 2, 2, 3, 3, 3, 2, 4, 4, 1, 5, 5, 5, 5, 6),
  ties_down = c(10, 9, 9, 8, 8, 7, 7, 7, 6, 5, 5, 4, 3, 3, 2, 1),
  counts = c(0, 0, 0, 1, 0, 2, 0, 0, 3, 1, 0, 0, 4, 2, 0, 5),
  flat = c(1, 3, 2, 2, 3, 1),
  three = c(3, 1, 2),
  two = c(1, 2),
  gi_weekly = gi
)

out <- lapply(names(series), function(name) {
  x <- series[[name]]
  n <- length(x)
  s <- 0
  for (i in seq_len(n - 1)) s <- s + sum(sign(x[(i + 1):n] - x[i]))
  ct <- suppressWarnings(cor.test(x, seq_len(n), method = "kendall",
                                  exact = FALSE, continuity = TRUE))
  z <- unname(ct$statistic)
  var_s <- if (abs(s) > 1) ((abs(s) - 1) / z)^2 else NA
  list(name = name, series = x, S = s, varS = var_s, z = z,
       p = ct$p.value, tau = unname(ct$estimate))
})
cat(toJSON(out, auto_unbox = TRUE, digits = NA, na = "null", pretty = TRUE), "\n")
