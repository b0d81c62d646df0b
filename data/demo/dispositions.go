package demo

import (
	"math/rand/v2"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// Enforcement follows 三不罚 and 三必罚: a merchant's first minor violation
// is exempted (or ordered to correct, or only warned); repeats are warned,
// ordered to correct (责令改正) or corrected on the spot; a merchant who
// keeps repeating after warnings is fined, at most once per fineGap;
// building work and dangerous dumping are serious and may be fined at once.
//
// Some cases close days later: an order to correct is mostly followed by
// the correction, and a hotline complaint stays open ("") until the team
// closes it. Such a record is first sent as it was opened and re-sent when
// it closes, with updated_at the closing time (see Opening); a case that
// would close after the period's end is left open.
const (
	repeatWindow = 60 * 24 * time.Hour // how far back repeats are counted
	fineAfter    = 6                   // repeats in the window before a fine is considered
	fineWarnings = 2                   // warnings and orders since the last fine before another
	fineChance   = 0.035               // chance a qualifying repeat is fined
	fineGap      = 90 * 24 * time.Hour // least time between fines of one merchant
	orderKept    = 0.6                 // chance an order to correct is followed by the correction
	closeDays    = 3.0                 // mean days, beyond the first, until a case closes
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
	end      time.Time // cases that would close from here on stay open
	merchant map[string]*history
}

// dispose sets severity and disposition on violations sorted by time.
func (w *world) dispose(vs []data.Violation) {
	l := &ledger{r: newRand(w.opt.Seed, streamRecords), end: w.last, merchant: map[string]*history{}}
	for i := range vs {
		vs[i].UpdatedAt = vs[i].ObservedAt
		l.dispose(&vs[i])
	}
}

// Opening returns the record as it was first sent when v's case closed
// after it was recorded (v.UpdatedAt after v.ObservedAt): ordered to
// correct, or for a hotline complaint open (""), updated at its
// observation. ok is false for a record sent once.
func Opening(v data.Violation) (opened data.Violation, ok bool) {
	if !v.UpdatedAt.After(v.ObservedAt) {
		return v, false
	}
	v.Disposition, v.UpdatedAt = "ordered", v.ObservedAt
	if v.Source == data.SourceHotline {
		v.Disposition = ""
	}
	return v, true
}

// closes sets the closing disposition of a case opened with v, or leaves it
// open when the closing would fall after the period.
func (l *ledger) closes(v *data.Violation, disposition, open string) {
	at := v.ObservedAt.Add(time.Duration((1 + l.r.ExpFloat64()*closeDays) * 24 * float64(time.Hour)))
	if !at.Before(l.end) {
		v.Disposition = open
		return
	}
	v.Disposition, v.UpdatedAt = disposition, at
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
		l.closes(v, l.either(0.65, "corrected", "warned"), "")
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
		v.Severity, v.Disposition = "minor", l.pick([]string{"exempted", "ordered", "warned"}, []float64{0.7, 0.2, 0.1})
	case prior >= fineAfter && h.warnings >= fineWarnings && mayFine && chance(l.r, fineChance):
		v.Severity, v.Disposition = "general", "fined"
	case prior >= fineAfter:
		v.Severity, v.Disposition = "general", l.either(0.6, "warned", "corrected")
	default:
		v.Severity, v.Disposition = "minor", l.pick([]string{"warned", "ordered", "corrected"}, []float64{0.45, 0.3, 0.25})
	}
	switch v.Disposition {
	case "fined":
		h.lastFined, h.warnings = now, 0
	case "warned":
		h.warnings++
	case "ordered":
		h.warnings++
		if chance(l.r, orderKept) {
			l.closes(v, "corrected", "ordered")
		}
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
