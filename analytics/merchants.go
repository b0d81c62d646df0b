package analytics

import (
	"cmp"
	"context"
	"time"

	"github.com/dazhigu/hotspot/analytics/merchant"
	"github.com/dazhigu/hotspot/data"
)

// ViolationSource is a Source that also lists stored violations: what a
// merchant's record is read from (the cube keeps no merchants).
type ViolationSource interface {
	Violations(ctx context.Context, f data.ViolationFilter) ([]data.Violation, error)
}

// MerchantQuery asks for merchants' records in a window.
type MerchantQuery struct {
	Merchant string     // one merchant; "" every merchant with a violation in the window
	From, To time.Time  // the window [From, To); zero To: an hour past now (clocks run ahead); zero From: Months before To
	Months   int        // the window's length when From is zero (default 12)
	Within   *data.Area // only the violations in this area; nil: everywhere
	merchant.Options
}

// MerchantResult is the merchants' records of the window, the most
// violations first.
type MerchantResult struct {
	From, To  time.Time
	Merchants []merchant.Assessment
}

// MaxMerchantViolations bounds the violations read for one answer.
const MaxMerchantViolations = 200_000

// Merchants reads the merchants' violations of the window from the store
// and assesses them (merchant.Assess).
func (e *Engine) Merchants(ctx context.Context, q MerchantQuery) (MerchantResult, error) {
	src, ok := e.src.(ViolationSource)
	if !ok {
		return MerchantResult{}, data.Errorf(data.EUNAVAILABLE, "this engine reads no stored violations")
	}
	if q.To.IsZero() {
		q.To = e.now().Add(time.Hour)
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(0, -cmp.Or(q.Months, 12), 0)
	}
	if !q.From.Before(q.To) {
		return MerchantResult{}, invalid("months", "gives an empty window")
	}
	f := data.ViolationFilter{From: q.From, To: q.To, Merchant: q.Merchant, Merchants: q.Merchant == "", Limit: data.MaxPage}
	var vs []data.Violation
	for {
		page, err := src.Violations(ctx, f)
		if err != nil {
			return MerchantResult{}, err
		}
		for _, v := range page {
			if q.Within == nil || q.Within.Holds(v.Point) {
				vs = append(vs, v)
			}
		}
		if len(page) < data.MaxPage {
			break
		}
		if len(vs) > MaxMerchantViolations {
			return MerchantResult{}, data.Errorf(data.EINVALID, "more than %d violations of merchants in the window; shorten it (months=)", MaxMerchantViolations)
		}
		f.After = page[len(page)-1].ID
	}
	for i := range vs { // the flags' reasons name local days
		vs[i].ObservedAt = vs[i].ObservedAt.In(e.zone)
		if !vs[i].UpdatedAt.IsZero() {
			vs[i].UpdatedAt = vs[i].UpdatedAt.In(e.zone)
		}
	}
	r := MerchantResult{From: q.From.In(e.zone), To: q.To.In(e.zone), Merchants: merchant.AssessAll(vs, q.Options)}
	if q.Merchant != "" && len(r.Merchants) == 0 {
		return MerchantResult{}, data.Errorf(data.ENOTFOUND, "merchant %q has no violation in the window", q.Merchant)
	}
	return r, nil
}
