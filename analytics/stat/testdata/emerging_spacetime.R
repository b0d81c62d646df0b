# Reference values for stat.SpaceTimeGiStar from R's spdep::localG on
# the space-time graph written out explicitly: cell i of bin t is node
# t*n + i (0-based); its neighbours are the spatial neighbours j of i (a
# path i-1, i, i+1) in bins t-window .. t, self included, binary weights.
# Run from this folder:
#
#   Rscript emerging_spacetime.R > emerging_spacetime.json
suppressMessages({library(spdep); library(jsonlite)})

n <- 6   # cells on a path
nt <- 5  # time bins
# x[t, i]: counts, oldest bin first.
x <- rbind(c(0, 1, 0, 2, 0, 0),
           c(1, 3, 1, 0, 0, 1),
           c(0, 4, 2, 1, 0, 0),
           c(2, 6, 3, 0, 1, 0),
           c(1, 7, 5, 1, 0, 2))
spatial <- lapply(seq_len(n) - 1, function(i) Filter(function(j) j >= 0 && j < n, c(i - 1, i, i + 1)))

cases <- lapply(c(0, 1, 2), function(window) {
  nb <- vector("list", n * nt)
  for (t in 0:(nt - 1)) for (i in 0:(n - 1)) {
    k <- t * n + i
    members <- c()
    for (s in max(0, t - window):t) members <- c(members, s * n + spatial[[i + 1]])
    members <- setdiff(members, k)  # include.self adds it back
    nb[[k + 1]] <- if (length(members)) as.integer(sort(members) + 1) else 0L
  }
  class(nb) <- "nb"
  attr(nb, "region.id") <- as.character(seq_len(n * nt))
  nb <- include.self(nb)
  lw <- nb2listw(nb, style = "B")
  g <- as.numeric(localG(as.vector(t(x)), lw))
  list(window = window, z = matrix(g, nrow = nt, byrow = TRUE))
})
cat(toJSON(list(spdep = as.character(packageVersion("spdep")),
                neighbours = lapply(spatial, as.integer), x = x, cases = cases),
           auto_unbox = TRUE, digits = NA, pretty = TRUE), "\n")
