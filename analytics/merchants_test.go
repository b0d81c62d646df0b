package analytics

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data"
)

// pagedViolations is a Source that also lists violations, a page of at
// most data.MaxPage at a time in id order, as the stores do.
type pagedViolations struct {
	*Memory
	vs    []data.Violation
	pages int
}

func (p *pagedViolations) Violations(_ context.Context, f data.ViolationFilter) ([]data.Violation, error) {
	p.pages++
	var out []data.Violation
	for _, v := range p.vs {
		in := v.ID > f.After && !v.ObservedAt.Before(f.From) && v.ObservedAt.Before(f.To) &&
			(f.Merchant == "" || v.MerchantID == f.Merchant) && (!f.Merchants || v.MerchantID != "")
		if in && len(out) < f.PageLimit() {
			out = append(out, v)
		}
	}
	return out, nil
}

// TestMerchantsPages reads more than a page of merchants' violations: every
// one is assessed once, one merchant alone is found, an unknown one is not
// found, and an engine whose source lists no violations says so.
func TestMerchantsPages(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	src := &pagedViolations{Memory: NewMemory(nil, nil)}
	n := data.MaxPage + 37
	for i := range n {
		src.vs = append(src.vs, data.Violation{ID: int64(i + 1), MerchantID: fmt.Sprintf("m%d", i%3),
			ObservedAt: now.Add(-time.Duration(i) * time.Minute), Severity: "minor", Disposition: "warned"})
	}
	e := New(Options{Source: src, Now: func() time.Time { return now }})
	r, err := e.Merchants(ctx, MerchantQuery{})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, a := range r.Merchants {
		total += len(a.Violations)
		ids := make([]int64, len(a.Violations))
		for i, v := range a.Violations {
			ids[i] = v.ID
		}
		slices.Sort(ids)
		if len(slices.Compact(ids)) != len(a.Violations) {
			t.Errorf("%s: a violation assessed twice", a.Merchant)
		}
	}
	if total != n || len(r.Merchants) != 3 || src.pages != 2 {
		t.Fatalf("%d violations of %d merchants in %d pages; want %d of 3 in 2", total, len(r.Merchants), src.pages, n)
	}
	one, err := e.Merchants(ctx, MerchantQuery{Merchant: "m2"})
	if err != nil || len(one.Merchants) != 1 || len(one.Merchants[0].Violations) != n/3 {
		t.Fatalf("one merchant: %v, %d merchants", err, len(one.Merchants))
	}
	if _, err := e.Merchants(ctx, MerchantQuery{Merchant: "nobody"}); data.ErrorCode(err) != data.ENOTFOUND {
		t.Fatalf("an unknown merchant: %v", err)
	}
	plain := New(Options{Source: NewMemory(nil, nil)})
	if _, err := plain.Merchants(ctx, MerchantQuery{}); data.ErrorCode(err) != data.EUNAVAILABLE {
		t.Fatalf("a source without violations: %v", err)
	}
}
