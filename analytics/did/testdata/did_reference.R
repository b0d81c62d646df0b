# did_reference.R writes the outside reference for package did: the panel
# did_panel.csv and R's estimates on it, did_reference.json. By default both
# go next to this script; an argument (or DID_REFERENCE_OUT) sends them to
# another folder, which is how TestReferenceRerun runs it:
#
#     Rscript analytics/did/testdata/did_reference.R            # refresh testdata
#     Rscript analytics/did/testdata/did_reference.R /tmp/out   # write elsewhere
#
# Produced with R 4.2.2 Patched (2022-11-10 r83330), sandwich 3.0.2 and
# lmtest 0.9.40 (Debian r-cran-sandwich, r-cran-lmtest). The script needs
# only those two; the JSON is written by hand (no jsonlite). Its inputs come
# from set.seed(20240917) and R's default RNG; the CSV holds the counts
# themselves, so the Go tests never depend on R's generator.
#
# The case: 14 road segments x 30 weeks, segments 1, 4, 6, 9 and 13 (0-based) marked
# (treated), marking from week 18 (0-based; weeks 18..29 are post). Counts
# are Poisson with a segment effect, a seasonal week effect and a planted
# effect of -30 % on the treated segments from week 18 on, phased in over
# the first three post weeks.

suppressMessages({
  library(sandwich)
  library(lmtest)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
trailing <- commandArgs(trailingOnly = TRUE)
outdir <- if (length(trailing) >= 1) {
  trailing[1]
} else if (nzchar(Sys.getenv("DID_REFERENCE_OUT"))) {
  Sys.getenv("DID_REFERENCE_OUT")
} else if (length(script) == 1) {
  dirname(script)
} else {
  "."
}
dir.create(outdir, showWarnings = FALSE, recursive = TRUE)

set.seed(20240917)

units <- 14
weeks <- 30
start <- 18 # 0-based index of the first post week
treated_units <- c(1, 4, 6, 9, 13) # 0-based unit indices
leads <- 6
lags <- 8

unit_level <- exp(rnorm(units, log(6), 0.5))
week_level <- exp(0.25 * sin(2 * pi * (0:(weeks - 1)) / 13) + rnorm(weeks, 0, 0.1))
d <- expand.grid(week = 0:(weeks - 1), unit = 0:(units - 1))
d <- d[, c("unit", "week")]
d$treated <- as.integer(d$unit %in% treated_units)
phase <- pmin(pmax(d$week - start + 1, 0), 3) / 3 # 0 before, 1/3, 2/3, then 1
lambda <- unit_level[d$unit + 1] * week_level[d$week + 1] *
  (1 - 0.3 * d$treated * phase)
d$y <- rpois(nrow(d), lambda)

write.csv(d, file.path(outdir, "did_panel.csv"), row.names = FALSE, quote = FALSE)

G <- units
N <- nrow(d)
tq <- qt(0.975, G - 1)

# TWFE: y ~ D + unit and week dummies, CR1 by unit.
d$D <- d$treated * (d$week >= start)
m <- lm(y ~ D + factor(unit) + factor(week), data = d)
V <- vcovCL(m, cluster = ~unit, type = "HC1")
K <- length(coef(m))
stopifnot(!anyNA(coef(m)))
ct <- coeftest(m, vcov. = V, df = G - 1)
beta <- unname(coef(m)["D"])
se <- sqrt(V["D", "D"])
pre_mean <- mean(d$y[d$treated == 1 & d$week < start])

# Event study: event time e = week - start binned to [-leads, lags], one
# dummy per bin for the treated segments, bin -1 left out.
e <- pmin(pmax(d$week - start, -leads), lags)
ks <- setdiff(-leads:lags, -1)
nm <- ifelse(ks < 0, paste0("lead", -ks), paste0("lag", ks))
for (j in seq_along(ks)) d[[nm[j]]] <- d$treated * (e == ks[j])
fe <- as.formula(paste("y ~", paste(nm, collapse = " + "), "+ factor(unit) + factor(week)"))
me <- lm(fe, data = d)
stopifnot(!anyNA(coef(me)))
Ve <- vcovCL(me, cluster = ~unit, type = "HC1")
Ke <- length(coef(me))
cte <- coeftest(me, vcov. = Ve, df = G - 1)
delta <- unname(coef(me)[nm])
se_e <- sqrt(diag(Ve)[nm])
p_e <- cte[nm, 4]

# Joint Wald test of the leads, by hand with the vcovCL matrix, checked
# against lmtest::waldtest with the same covariance.
lead_nm <- nm[ks < -1]
L <- length(lead_nm)
b_l <- coef(me)[lead_nm]
W <- drop(t(b_l) %*% solve(Ve[lead_nm, lead_nm], b_l))
m0 <- lm(as.formula(paste("y ~", paste(nm[ks >= 0], collapse = " + "),
  "+ factor(unit) + factor(week)")), data = d)
wt <- waldtest(me, m0, vcov = function(x) vcovCL(x, cluster = ~unit, type = "HC1"),
  test = "Chisq")
stopifnot(abs(wt$Chisq[2] - W) < 1e-8 * max(1, W), wt$Df[2] == -L)
W_p <- pchisq(W, L, lower.tail = FALSE)
F_stat <- W / L
F_p <- pf(F_stat, L, G - 1, lower.tail = FALSE)

num <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
ints <- function(v) paste(sprintf("%d", as.integer(v)), collapse = ", ")

j <- c(
  "{",
  '  "generator": "Rscript analytics/did/testdata/did_reference.R",',
  sprintf('  "r": "%s", "sandwich": "%s", "lmtest": "%s",', R.version.string,
    as.character(packageVersion("sandwich")), as.character(packageVersion("lmtest"))),
  sprintf('  "units": %d, "weeks": %d, "start": %d,', units, weeks, start),
  '  "twfe": {',
  '    "call": "vcovCL(lm(y ~ D + factor(unit) + factor(week)), cluster = ~unit, type = \\"HC1\\"); coeftest(df = G - 1)",',
  sprintf('    "beta": %s, "se": %s, "t": %s, "p": %s,', num(beta), num(se),
    num(ct["D", 3]), num(ct["D", 4])),
  sprintf('    "lo": %s, "hi": %s, "tq": %s,', num(beta - tq * se), num(beta + tq * se), num(tq)),
  sprintf('    "n": %d, "g": %d, "k": %d, "pre_mean": %s', N, G, K, num(pre_mean)),
  "  },",
  '  "event": {',
  sprintf('    "leads": %d, "lags": %d, "k": %d, "n": %d, "g": %d,', leads, lags, Ke, N, G),
  sprintf('    "event_time": [%s],', ints(ks)),
  sprintf('    "delta": [%s],', num(delta)),
  sprintf('    "se": [%s],', num(se_e)),
  sprintf('    "p": [%s],', num(p_e)),
  sprintf('    "wald_chisq": %s, "wald_df": %d, "wald_p": %s,', num(W), L, num(W_p)),
  sprintf('    "f": %s, "f_df1": %d, "f_df2": %d, "f_p": %s', num(F_stat), L, G - 1, num(F_p)),
  "  }",
  "}"
)
writeLines(j, file.path(outdir, "did_reference.json"))
