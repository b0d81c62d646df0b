package demo

import (
	"math/rand/v2"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// Enforcement follows 三不罚 and 三必罚: a merchant's first minor violation
// is exempted (or only warned); repeats are warned and ordered to correct;
// a merchant who keeps repeating after warnings is fined, at most once per
// fineGap; building work and dangerous dumping are serious and may be fined
// at once. What a hotline order led to is mostly "corrected", and the last
// few days' orders are still open ("").
const (
	repeatWindow = 60 * 24 * time.Hour // how far back repeats are counted
	fineAfter    = 6                   // repeats in the window before a fine is considered
	fineWarnings = 2                   // warnings since the last fine before another
	fineChance   = 0.035               // chance a qualifying repeat is fined
	fineGap      = 90 * 24 * time.Hour // least time between fines of one merchant
	openDays     = 3                   // hotline orders this recent are still open
)

// history is what the team knows of one merchant.
type history struct {
	seen      []time.Time // records in the repeat window, oldest first
	warnings  int         // warnings since the last fine
	lastFined time.Time
}

// ledger keeps the histories while violations are disposed in time order.
type ledger struct {
	r        *rand.Rand
	open     time.Time // hotline orders from here on are still open
	merchant map[string]*history
}

// dispose sets severity and disposition on violations sorted by time.
func (w *world) dispose(vs []data.Violation) {
	l := &ledger{r: newRand(w.opt.Seed, streamRecords), open: w.last.AddDate(0, 0, -openDays),
		merchant: map[string]*history{}}
	for i := range vs {
		l.dispose(&vs[i])
	}
}

func (l *ledger) dispose(v *data.Violation) {
	switch {
	case v.Category == catConstruction:
		v.Severity, v.Disposition = "serious", l.either(0.35, "fined", "corrected")
	case v.Source == data.SourceHotline:
		v.Severity = "minor"
		if v.Category == catDumping || v.Category == catBarbecue {
			v.Severity = "general"
		}
		v.Disposition = l.either(0.65, "corrected", "warned")
		if !v.ObservedAt.Before(l.open) {
			v.Disposition = ""
		}
	case v.Source == data.SourceCamera:
		v.Severity, v.Disposition = "minor", l.either(0.6, "warned", "corrected")
	case v.MerchantID == "":
		v.Severity = "minor"
		v.Disposition = l.pick([]string{"warned", "corrected", "exempted"}, []float64{0.5, 0.4, 0.1})
	default:
		l.merchantCase(v)
	}
}

// merchantCase disposes of a patrol or campaign record of a known merchant.
func (l *ledger) merchantCase(v *data.Violation) {
	h := l.merchant[v.MerchantID]
	if h == nil {
		h = &history{}
		l.merchant[v.MerchantID] = h
	}
	now := v.ObservedAt
	for len(h.seen) > 0 && now.Sub(h.seen[0]) > repeatWindow {
		h.seen = h.seen[1:]
	}
	prior := len(h.seen)
	h.seen = append(h.seen, now)
	dangerous := v.Category == catDumping && chance(l.r, 0.03)
	mayFine := h.lastFined.IsZero() || now.Sub(h.lastFined) >= fineGap
	switch {
	case dangerous && prior > 0:
		v.Severity, v.Disposition = "serious", "fined"
	case prior == 0:
		v.Severity, v.Disposition = "minor", l.either(0.8, "exempted", "warned")
	case prior >= fineAfter && h.warnings >= fineWarnings && mayFine && chance(l.r, fineChance):
		v.Severity, v.Disposition = "general", "fined"
	case prior >= fineAfter:
		v.Severity, v.Disposition = "general", l.either(0.6, "warned", "corrected")
	default:
		v.Severity, v.Disposition = "minor", l.either(0.7, "warned", "corrected")
	}
	switch v.Disposition {
	case "fined":
		h.lastFined, h.warnings = now, 0
	case "warned":
		h.warnings++
	}
}

func (l *ledger) either(p float64, a, b string) string {
	if chance(l.r, p) {
		return a
	}
	return b
}

func (l *ledger) pick(choices []string, weights []float64) string {
	return choices[pick(l.r, weights)]
}
