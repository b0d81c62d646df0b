// Package stat holds the pure statistics of the analytics engine, on plain
// slices indexed by cell and time bin: Getis–Ord Gi* with its normal and
// conditional-permutation p-values and Benjamini–Hochberg bins, global
// empirical Bayes rates, blind spots, the Mann–Kendall trend test, and
// Emerging Hot Spot Analysis (space-time Gi* and the 17 ArcGIS outcomes).
// Each is checked against R (spdep, stats) in its tests.
package stat
