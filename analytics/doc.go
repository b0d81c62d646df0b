// Package analytics holds the statistics of the service, pure and without
// I/O: the in-memory H3 cube of counts and patrol dwell, Getis–Ord Gi* with
// permutation p-values and Benjamini–Hochberg bins, empirical Bayes rates,
// Mann–Kendall trends, emerging hot spot classes and the key-road ranking.
// DESIGN.md §5 defines each; docs/analytics.md writes out every choice.
package analytics
