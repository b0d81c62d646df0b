package api

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/paulmach/orb/geojson"

	"github.com/dazhigu/hotspot/analytics"
	"github.com/dazhigu/hotspot/analytics/merchant"
	"github.com/dazhigu/hotspot/data"
)

// merchantNotice is what every merchant answer says of its flags.
const merchantNotice = "信息仅供执法人员和法制审核参考，不是处罚决定。Information for the officer and for legal review (法制审核), never an automatic decision."

type flagJSON struct {
	Flag    bool     `json:"flag"`
	Reasons []string `json:"reasons"`
	Records []int64  `json:"records"`
}

type merchantJSON struct {
	Merchant      string             `json:"merchant"`
	Violations    int                `json:"violations"`
	ByDisposition map[string]int     `json:"by_disposition"`
	Repeat        flagJSON           `json:"sanbibifa_candidate"` // 三必罚
	First         flagJSON           `json:"sanbufa_eligible"`    // 三不罚
	Records       []*geojson.Feature `json:"records,omitempty"`   // the violations, oldest first
}

// readMerchants reads the window and the thresholds.
func (s *server) readMerchants(c echo.Context, extra ...string) (analytics.MerchantQuery, *query) {
	q := newQuery(c.QueryParams(), append([]string{"months", "repeat_limit", "prompt_days"}, extra...)...)
	mq := analytics.MerchantQuery{Months: q.integer("months", 12, 1, 60), Within: scopeOf(c.Request().Context()),
		Options: merchant.Options{RepeatLimit: q.integer("repeat_limit", merchant.DefaultRepeatLimit, 1, 100),
			Prompt: time.Duration(q.integer("prompt_days", 7, 1, 90)) * 24 * time.Hour}}
	return mq, q
}

// merchants answers GET /api/v1/merchants: every merchant with a violation
// in the window and its flags, or those with the flag asked for.
func (s *server) merchants(c echo.Context) error {
	mq, q := s.readMerchants(c, "flag", "limit")
	flag := q.oneOf("flag", "", "sanbibifa", "sanbufa", "any")
	limit := q.integer("limit", 100, 1, 10000)
	if q.err != nil {
		return q.err
	}
	r, err := s.Engine.Merchants(c.Request().Context(), mq)
	if err != nil {
		return err
	}
	out, total := []merchantJSON{}, 0
	for _, a := range r.Merchants {
		keep := flag == "" || (flag == "sanbibifa" && a.Repeat.Set) || (flag == "sanbufa" && a.First.Set) ||
			(flag == "any" && (a.Repeat.Set || a.First.Set))
		if !keep {
			continue
		}
		if total++; len(out) < limit {
			out = append(out, s.merchantAnswer(a, false))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"notice": merchantNotice, "from": stamp(r.From), "to": stamp(r.To),
		"rules": merchantRules(mq), "total": total, "truncated": total > len(out), "merchants": out})
}

// merchantOne answers GET /api/v1/merchants/{id}: one merchant's violations
// in the window, its dispositions and its flags with the records behind.
func (s *server) merchantOne(c echo.Context) error {
	mq, q := s.readMerchants(c)
	if q.err != nil {
		return q.err
	}
	// Echo leaves an escaped "/" (%2F) escaped in a parameter.
	id, err := url.PathUnescape(c.Param("id"))
	if err == nil {
		if reason := data.CheckID(id); reason != "" {
			err = errors.New(reason)
		}
	}
	if err != nil {
		return data.Errorf(data.EINVALID, "merchant id: %v", err)
	}
	mq.Merchant = id
	r, err := s.Engine.Merchants(c.Request().Context(), mq)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"notice": merchantNotice, "from": stamp(r.From), "to": stamp(r.To),
		"rules": merchantRules(mq), "merchant": s.merchantAnswer(r.Merchants[0], true)})
}

func (s *server) merchantAnswer(a merchant.Assessment, records bool) merchantJSON {
	flag := func(f merchant.Flag) flagJSON {
		return flagJSON{Flag: f.Set, Reasons: nonNil(f.Reasons), Records: nonNil(f.Records)}
	}
	m := merchantJSON{Merchant: a.Merchant, Violations: len(a.Violations), ByDisposition: a.ByDisposition,
		Repeat: flag(a.Repeat), First: flag(a.First)}
	if records {
		for _, v := range a.Violations {
			m.Records = append(m.Records, s.violationFeature(v, "wgs84"))
		}
	}
	return m
}

func stamp(t time.Time) string { return t.Format(time.RFC3339) }

func merchantRules(q analytics.MerchantQuery) map[string]string {
	return map[string]string{
		"sanbibifa_candidate": "三必罚 candidate: a violation ordered to be corrected (责令改正, disposition ordered, not later corrected) followed by another observed later; " +
			"or more than repeat_limit violations in the window; or a serious one",
		"sanbufa_eligible": "三不罚 eligible (行政处罚法 2021 Art. 33): the only violation of the window (earlier months are not read: widen months= to look further back), " +
			"minor, corrected (or exempted) with its updated_at (the record's latest change) within prompt_days of its observation",
		"repeat_limit": strconv.Itoa(q.RepeatLimit), "prompt_days": strconv.Itoa(int(q.Prompt.Hours() / 24)),
	}
}
