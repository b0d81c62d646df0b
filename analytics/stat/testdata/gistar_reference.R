# gistar_reference.R writes the outside reference for stat.GiStar,
# stat.PValues and stat.EBRates: gistar_reference.json and
# ebest_reference.json, next to this script.
#
# Regenerate from the repository root with
#
#     Rscript analytics/stat/testdata/gistar_reference.R
#
# Produced with R 4.2.2 Patched (2022-11-10 r83330) and spdep 1.2.7 (Debian
# r-cran-spdep). The script needs only spdep; no H3, no jsonlite. Its inputs
# come from set.seed(20240611) and R's default RNG (Mersenne-Twister,
# Inversion, Rejection), and the JSON holds the inputs themselves, so the Go
# tests never depend on R's generator.
#
# The case: a 12 x 11 grid with holes (a pond, a missing corner, scattered
# missing cells), queen contiguity among the cells left, a few links cut, a
# short spur of cells with one or two neighbours and one cell with none;
# integer counts from a Poisson mixture with a cluster in the upper left and
# many zeros; positive patrol hours as the exposure of the rates.

suppressMessages(library(spdep))

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
outdir <- if (length(script) == 1) dirname(script) else "."

set.seed(20240611)

nrow <- 12
ncol <- 11
holes <- c(
  # a pond in the middle
  "6,5", "6,6", "7,5", "7,6", "7,7",
  # the missing lower right corner
  "12,10", "12,11", "11,11",
  # scattered
  "2,9", "4,2", "9,3", "10,8", "3,11"
)
cells <- expand.grid(col = seq_len(ncol), row = seq_len(nrow))
cells <- cells[, c("row", "col")]
key <- paste(cells$row, cells$col, sep = ",")
cells <- cells[!(key %in% holes), ]
rownames(cells) <- NULL
n_grid <- nrow(cells)

# Queen contiguity on the grid with holes.
edges <- NULL
for (i in seq_len(n_grid)) {
  for (j in seq_len(n_grid)) {
    if (i < j && abs(cells$row[i] - cells$row[j]) <= 1 &&
        abs(cells$col[i] - cells$col[j]) <= 1) {
      edges <- rbind(edges, c(i, j))
    }
  }
}
# Cut some links so that the lists are irregular (every 7th diagonal).
diag_edge <- abs(cells$row[edges[, 1]] - cells$row[edges[, 2]]) == 1 &
  abs(cells$col[edges[, 1]] - cells$col[edges[, 2]]) == 1
cut <- which(diag_edge)[seq(1, sum(diag_edge), by = 7)]
edges <- edges[-cut, ]

# A spur: four cells hanging off cell 1 in a chain (1 or 2 neighbours each),
# and one cell with no neighbour at all.
spur <- n_grid + 1:4
edges <- rbind(edges, c(1, spur[1]), cbind(spur[-4], spur[-1]))
lonely <- n_grid + 5
n <- lonely

nb <- vector("list", n)
for (i in seq_len(n)) nb[[i]] <- integer(0)
for (e in seq_len(nrow(edges))) {
  a <- edges[e, 1]
  b <- edges[e, 2]
  nb[[a]] <- c(nb[[a]], b)
  nb[[b]] <- c(nb[[b]], a)
}
nb <- lapply(nb, function(v) if (length(v) == 0) 0L else sort(as.integer(v)))
class(nb) <- "nb"
attr(nb, "region.id") <- as.character(seq_len(n))
attr(nb, "type") <- "queen, edited"
attr(nb, "sym") <- TRUE
stopifnot(is.symmetric.nb(nb, force = TRUE))

nbs <- include.self(nb)
lw <- nb2listw(nbs, style = "B", zero.policy = TRUE)

# Counts: background Poisson(0.8) with many zeros, a cluster of Poisson(6) in
# the upper left, a second weaker one at the bottom.
rows <- c(cells$row, rep(0, 5))
cols <- c(cells$col, rep(0, 5))
lambda <- rep(0.8, n)
lambda[rows >= 1 & rows <= 4 & cols >= 1 & cols <= 4] <- 6
lambda[rows >= 10 & cols >= 4 & cols <= 6] <- 3
lambda[spur] <- c(4, 2, 0.5, 0.5)
lambda[lonely] <- 5
x <- rpois(n, lambda)

G <- localG(x, lw, zero.policy = TRUE, return_internals = TRUE)
z <- as.numeric(G)
p <- attr(G, "internals")[, 5]

# Exposure (patrol hours) and EB rates. Counts here are the same x.
hours <- round(runif(n, 0.25, 30), 2)
eb <- EBest(x, hours, family = "poisson")
par <- attr(eb, "parameters")

num <- function(v) paste(sprintf("%.17g", v), collapse = ", ")
ints <- function(v) paste(sprintf("%d", as.integer(v)), collapse = ", ")
versions <- sprintf('"r": "%s", "spdep": "%s"', R.version.string,
  as.character(packageVersion("spdep")))

# Neighbour lists, 0-based, self included, in increasing order.
nb0 <- sapply(seq_len(n), function(i) {
  v <- nbs[[i]]
  v <- v[v > 0]
  sprintf("[%s]", ints(sort(v) - 1))
})

gj <- c(
  "{",
  sprintf('  "generator": "Rscript analytics/stat/testdata/gistar_reference.R", %s,', versions),
  sprintf('  "call": "localG(x, nb2listw(include.self(nb), style = \\"B\\", zero.policy = TRUE), return_internals = TRUE)",'),
  sprintf('  "n": %d,', n),
  sprintf('  "neighbours": [\n    %s\n  ],', paste(nb0, collapse = ",\n    ")),
  sprintf('  "x": [%s],', num(x)),
  sprintf('  "z": [%s],', num(z)),
  sprintf('  "p": [%s]', num(p)),
  "}"
)
writeLines(gj, file.path(outdir, "gistar_reference.json"))

ej <- c(
  "{",
  sprintf('  "generator": "Rscript analytics/stat/testdata/gistar_reference.R", %s,', versions),
  sprintf('  "call": "EBest(counts, exposure, family = \\"poisson\\")",'),
  sprintf('  "n": %d,', n),
  sprintf('  "counts": [%s],', num(x)),
  sprintf('  "exposure": [%s],', num(hours)),
  sprintf('  "raw": [%s],', num(eb$raw)),
  sprintf('  "estmm": [%s],', num(eb$estmm)),
  sprintf('  "b": %s,', num(par$b)),
  sprintf('  "a": %s', num(par$a)),
  "}"
)
writeLines(ej, file.path(outdir, "ebest_reference.json"))
