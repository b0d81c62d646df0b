# blend_fit.R writes the outside reference for forecast.fitWeights: the
# maximum-likelihood weights of a Poisson model with the identity link and
# no intercept, y ~ 0 + f1 + f2 + f3 + f4, as R's glm finds them, on data
# drawn here. The Go test reads blend_fit.csv and compares its fit with
# blend_fit.json.
#
#     cd analytics/forecast/testdata && Rscript blend_fit.R
set.seed(2026)
n <- 3000
f1 <- rexp(n)
f2 <- 2 * rexp(n)
f3 <- runif(n)
f4 <- rep(0.5, n)                      # a constant feature, as the blend's area mean
y <- rpois(n, 0.7 * f1 + 0.2 * f2 + 0.5 * f3 + 0.3 * f4)
fit <- glm(y ~ 0 + f1 + f2 + f3 + f4, family = poisson(link = "identity"),
           start = rep(0.25, 4), control = glm.control(epsilon = 1e-15, maxit = 500))
stopifnot(fit$converged, all(coef(fit) > 0))
d <- data.frame(y = y, f1 = sprintf("%.17g", f1), f2 = sprintf("%.17g", f2),
                f3 = sprintf("%.17g", f3), f4 = sprintf("%.17g", f4))
write.csv(d, "blend_fit.csv", row.names = FALSE, quote = FALSE)
writeLines(sprintf('{\n  "generator": "Rscript analytics/forecast/testdata/blend_fit.R", "r": "%s",\n  "coefficients": [%s],\n  "loglik": %.12f\n}',
                   R.version.string, paste(sprintf("%.15g", coef(fit)), collapse = ", "), as.numeric(logLik(fit))),
           "blend_fit.json")
