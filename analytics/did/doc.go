// Package did evaluates a pilot by difference in differences on a balanced
// panel of weekly counts: road segments (units) by consecutive weeks, some
// segments treated (for instance, newly line-marked) from one start week on.
//
// It holds four analyses, each on a Panel:
//
//   - TWFE, the two-way fixed effects estimate of the pilot's effect, with a
//     standard error clustered by segment (CR1), exactly as R's
//     sandwich::vcovCL(type = "HC1", cluster = ~unit) computes it.
//   - WildBootstrap, the wild cluster bootstrap-t (restricted, Webb weights)
//     p-value and 95 % interval for the same effect. With fewer than about 30
//     segments this is the interval to report: cluster-robust t tests
//     over-reject when clusters are few, and more so when few of them are
//     treated.
//   - EventStudy, the effect week by week around the start, relative to the
//     week before it, with a joint Wald test that the leads (the weeks before
//     the start) are zero: the parallel-trends check.
//   - WDD, the weighted displacement difference test of Wheeler and
//     Ratcliffe (2018) on four totals, for when only pre and post sums of one
//     treated and one control area are at hand.
//
// The package is pure: plain slices in, plain values out, no I/O. The tests
// check TWFE and EventStudy against R (lm, sandwich, lmtest) to 1e-8, with
// testdata/did_reference.R.
package did
