// Package merchant tells, from a merchant's violations, whether the record
// makes it a candidate for 三必罚 (always fine repeated, dangerous or
// seriously harmful violations) or eligible for 三不罚 (no fine for a first,
// minor violation corrected promptly: 行政处罚法 2021 Art. 33), with the
// records behind each. It is information for the officer and for legal
// review (法制审核), never a decision. docs/recommendations.md states the
// rules.
package merchant

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// Options are the thresholds of the flags; zero fields take the defaults.
type Options struct {
	RepeatLimit int           // more violations than this in the window make a 三必罚 candidate (default 5)
	Prompt      time.Duration // a correction this soon after the observation is prompt (default 7 days)
}

// Defaults of Options.
const (
	DefaultRepeatLimit = 5
	DefaultPrompt      = 7 * 24 * time.Hour
)

func (o Options) withDefaults() Options {
	if o.RepeatLimit <= 0 {
		o.RepeatLimit = DefaultRepeatLimit
	}
	if o.Prompt <= 0 {
		o.Prompt = DefaultPrompt
	}
	return o
}

// Flag is one flag with why it is raised and the records behind it.
type Flag struct {
	Set     bool
	Reasons []string
	Records []int64 // violation ids
}

func (f *Flag) raise(reason string, ids ...int64) {
	f.Set = true
	f.Reasons = append(f.Reasons, reason)
	for _, id := range ids {
		if !slices.Contains(f.Records, id) {
			f.Records = append(f.Records, id)
		}
	}
}

// Assessment is one merchant's record in the window.
type Assessment struct {
	Merchant      string
	Violations    []data.Violation // oldest first
	ByDisposition map[string]int   // "" counts the open ones
	Repeat        Flag             // 三必罚 candidate
	First         Flag             // 三不罚 eligible
}

// Assess judges one merchant's violations of the window:
//
//   - 三必罚 candidate: a violation ordered to be corrected (disposition
//     "ordered", 责令改正, still not "corrected") followed by another
//     observed later; or more than RepeatLimit violations; or a violation
//     of severity "serious". A record that reads "corrected" now counts as
//     corrected, even if a repeat came before the correction was recorded.
//   - 三不罚 eligible: the only violation of the window (earlier windows are
//     not read: widen the window to look further back), of severity
//     "minor", corrected ("corrected", or "exempted", which presumes it)
//     promptly: its updated_at (the time of the record's latest change)
//     within Prompt of its observation, or none (corrected when recorded).
func Assess(merchant string, vs []data.Violation, o Options) Assessment {
	o = o.withDefaults()
	vs = slices.Clone(vs)
	slices.SortStableFunc(vs, func(a, b data.Violation) int {
		if c := a.ObservedAt.Compare(b.ObservedAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	a := Assessment{Merchant: merchant, Violations: vs, ByDisposition: map[string]int{}}
	for i, v := range vs {
		a.ByDisposition[v.Disposition]++
		if v.Disposition == "ordered" {
			if j := slices.IndexFunc(vs[i+1:], func(w data.Violation) bool { return w.ObservedAt.After(v.ObservedAt) }); j >= 0 {
				w := vs[i+1+j]
				a.Repeat.raise(fmt.Sprintf("repeated on %s after an order to correct (责令改正) on %s that is not recorded as corrected",
					day(w.ObservedAt), day(v.ObservedAt)), v.ID, w.ID)
			}
		}
		if v.Severity == "serious" {
			a.Repeat.raise(fmt.Sprintf("a serious violation on %s", day(v.ObservedAt)), v.ID)
		}
	}
	if len(vs) > o.RepeatLimit {
		ids := make([]int64, len(vs))
		for i, v := range vs {
			ids[i] = v.ID
		}
		a.Repeat.raise(fmt.Sprintf("%d violations in the window, more than %d", len(vs), o.RepeatLimit), ids...)
	}
	if len(vs) == 1 {
		v := vs[0]
		corrected := v.Disposition == "corrected" || v.Disposition == "exempted"
		prompt := v.UpdatedAt.IsZero() || !v.UpdatedAt.After(v.ObservedAt.Add(o.Prompt))
		if v.Severity == "minor" && corrected && prompt {
			a.First.raise(fmt.Sprintf("a first violation in the window (%s), minor, corrected within %s", day(v.ObservedAt), days(o.Prompt)), v.ID)
		}
	}
	return a
}

// AssessAll groups violations by merchant (those without one are left out)
// and assesses each, the most violations first.
func AssessAll(vs []data.Violation, o Options) []Assessment {
	by := map[string][]data.Violation{}
	for _, v := range vs {
		if v.MerchantID != "" {
			by[v.MerchantID] = append(by[v.MerchantID], v)
		}
	}
	out := make([]Assessment, 0, len(by))
	for m, list := range by {
		out = append(out, Assess(m, list, o))
	}
	slices.SortFunc(out, func(a, b Assessment) int {
		if c := cmp.Compare(len(b.Violations), len(a.Violations)); c != 0 {
			return c
		}
		return cmp.Compare(a.Merchant, b.Merchant)
	})
	return out
}

func day(t time.Time) string { return t.Format(time.DateOnly) }

func days(d time.Duration) string { return fmt.Sprintf("%g days", d.Hours()/24) }
