package merchant

import (
	"strings"
	"testing"
	"time"

	"github.com/dazhigu/hotspot/data/demo"
	"github.com/dazhigu/hotspot/data/seed"
)

// TestDemoFlags checks that the demo year exercises both flags: the fixed
// shops that recur are 三必罚 candidates, some after an order to correct
// that was not followed; small shops recorded once and corrected at once
// are 三不罚 eligible.
func TestDemoFlags(t *testing.T) {
	roads, err := seed.Roads()
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2026, 11, 22, 23, 0, 0, 0, time.FixedZone("CST", 8*3600))
	vs := demo.Violations(roads, demo.Options{Seed: 2026, End: end, Days: 364})
	var afterOrder, eligible, fixed, fixedFlagged, candidates int
	all := AssessAll(vs, Options{})
	for _, a := range all {
		if a.Repeat.Set {
			candidates++
		}
		if strings.HasPrefix(a.Merchant, "M-") {
			fixed++
			if a.Repeat.Set {
				fixedFlagged++
			}
		}
		for _, r := range a.Repeat.Reasons {
			if strings.Contains(r, "order to correct") {
				afterOrder++
				break
			}
		}
		if a.First.Set {
			eligible++
			if v := a.Violations[0]; !strings.HasPrefix(a.Merchant, "S-") || v.Severity != "minor" {
				t.Errorf("%s eligible with %+v", a.Merchant, v)
			}
		}
	}
	t.Logf("%d merchants: %d 三必罚 candidates (%d after an order not followed), %d 三不罚 eligible", len(all), candidates, afterOrder, eligible)
	if fixed == 0 || fixedFlagged != fixed {
		t.Errorf("%d of %d fixed shops are 三必罚 candidates, want all", fixedFlagged, fixed)
	}
	if afterOrder < 20 || eligible < 20 {
		t.Errorf("candidates after an order to correct: %d, 三不罚 eligible: %d; want at least 20 of each", afterOrder, eligible)
	}
}
