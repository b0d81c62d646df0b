// Package analytics is the one analytics engine of the service. An Engine
// owns the analytic index (package cube), keeps it caught up with the
// store's change feed, settles every analysis's defaults (window, study
// area, weights), checks its parameters, caches what is derived from the
// roads, and answers with typed results that state their parameters. The
// HTTP handlers, the hotspotd subcommands and the tests all call it.
//
// The statistics themselves are pure and live in sub-packages: stat (Gi*,
// FDR, permutations, EB rates, Mann–Kendall, emerging hot spots), forecast
// (next week's expected violations) and backtest (hit rate, PAI, PEI, RRI).
// DESIGN.md §5 defines each; docs/analytics.md and docs/forecast.md write out
// every choice.
package analytics
