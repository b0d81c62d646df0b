package demo

import (
	"math/rand/v2"
	"time"
)

// Category codes of the seed taxonomy.
const (
	catVending      = "street-vending"       // 占道经营 / 无照经营游商
	catOutsideShop  = "outside-shop"         // 店外经营 / 超线经营
	catDumping      = "dumping"              // 乱泼乱倒
	catConstruction = "illegal-construction" // 违法建设
	catAds          = "outdoor-ads"          // 户外广告
	catPiled        = "piled-materials"      // 乱堆乱放
	catGarbage      = "garbage-sorting"      // 垃圾分类
	catFrontage     = "frontage-duties"      // 门前三包
	catBarbecue     = "barbecue"             // 露天烧烤
	catOther        = "other"
)

// window is a part of the day in hours after midnight, with a weight. It may
// run past 24: {21, 26, w} is 21:00 to 02:00 the next morning.
type window struct{ from, to, weight float64 }

// activity is how one kind of violation behaves at one kind of place: its
// hours, weekly rhythm, season, Spring Festival factors, and how long it
// stays visible to someone who comes by.
type activity struct {
	category    string
	hours       []window
	week        [7]float64 // factor by weekday, Sunday first
	season      *[12]float64
	months      [12]bool // months in which it happens at all; all when unset
	preFestival float64  // factor in the two weeks before New Year
	festival    float64  // factor from New Year's Eve to the Lantern Festival
	persist     time.Duration
}

// level returns the activity's factor on day: season × weekday × festival.
func (a *activity) level(day time.Time) float64 {
	if a.months != ([12]bool{}) && !a.months[day.Month()-1] {
		return 0
	}
	return seasonal(a.season, day) * a.week[day.Weekday()] * festival(day, a)
}

// at draws a moment on day following the activity's hours (whose weights
// sum to 1).
func (a *activity) at(r *rand.Rand, day time.Time) time.Time {
	x, w := r.Float64(), a.hours[len(a.hours)-1]
	for _, h := range a.hours {
		if x -= h.weight; x < 0 {
			w = h
			break
		}
	}
	return day.Add(hoursOf(uniform(r, w.from, w.to)))
}

var (
	flatWeek    = [7]float64{1, 1, 1, 1, 1, 1, 1}
	marketWeek  = [7]float64{1.35, 1, 1, 1, 1, 1.1, 1.4} // weekend markets
	roamingWeek = [7]float64{1.8, 1, 1, 1, 1, 1.2, 1.8}  // 游商 come out at weekends
	shopWeek    = [7]float64{1.15, 1, 1, 1, 1, 1.05, 1.15}
	dinnerWeek  = [7]float64{1.2, 0.9, 0.9, 0.95, 1, 1.3, 1.4} // restaurants: Friday and Saturday nights
	workWeek    = [7]float64{0.6, 1.1, 1.1, 1.1, 1.1, 1.1, 0.6}

	summer           = [12]bool{4: true, 5: true, 6: true, 7: true, 8: true} // May–September
	barbecueSeason   = [12]float64{0, 0, 0, 0, 0.6, 1.1, 1.4, 1.4, 0.9, 0, 0, 0}
	buildingSeason   = [12]float64{0.2, 0.3, 2.4, 3, 2.4, 1, 0.8, 0.8, 1, 1, 0.5, 0.2}
	restaurantSeason = [12]float64{0.8, 0.8, 0.9, 1, 1.1, 1.25, 1.35, 1.35, 1.15, 1, 0.9, 0.85}
)

// The activities. Peak hours of market vending are 06:30–09:00 and
// 17:00–20:30; roaming vendors (游商) come in the evening; restaurants dump
// waste water and oil at night after closing.
var (
	vendingPeak = activity{catVending, []window{{6.5, 9, 0.46}, {17, 20.5, 0.42}, {9, 17, 0.08}, {20.5, 22, 0.04}},
		marketWeek, &seasonBase, [12]bool{}, 1.3, 0.35, 75 * time.Minute}
	vendingRoaming = activity{catVending, []window{{17.5, 22, 0.72}, {10, 17, 0.16}, {6.5, 9, 0.12}},
		roamingWeek, &seasonBase, [12]bool{}, 1.2, 0.15, 60 * time.Minute}
	vendingAny = activity{catVending, []window{{6.5, 9, 0.3}, {9, 17, 0.3}, {17, 21, 0.4}},
		marketWeek, &seasonBase, [12]bool{}, 1.2, 0.35, 60 * time.Minute}
	outsideShop = activity{catOutsideShop, []window{{8, 11, 0.3}, {11, 16, 0.22}, {16, 21, 0.43}, {21, 22, 0.05}},
		shopWeek, &seasonBase, [12]bool{}, 1.1, 0.6, 150 * time.Minute}
	outsideTables = activity{catOutsideShop, []window{{17, 23, 0.85}, {11, 13.5, 0.15}},
		dinnerWeek, &restaurantSeason, [12]bool{}, 1, 0.5, 180 * time.Minute}
	dumpingNight = activity{catDumping, []window{{21, 25, 0.8}, {25, 26, 0.08}, {19, 21, 0.06}, {6, 8, 0.06}},
		dinnerWeek, &restaurantSeason, [12]bool{}, 1, 0.5, 40 * time.Minute}
	dumpingDay = activity{catDumping, []window{{7, 19, 1}},
		flatWeek, &seasonBase, [12]bool{}, 1, 0.7, 60 * time.Minute}
	barbecue = activity{catBarbecue, []window{{18, 24, 0.85}, {24, 25, 0.15}},
		dinnerWeek, &barbecueSeason, summer, 1, 1, 180 * time.Minute}
	piled = activity{catPiled, []window{{8, 19, 1}},
		shopWeek, &seasonBase, [12]bool{}, 1.2, 0.6, 8 * time.Hour}
	frontage = activity{catFrontage, []window{{8, 18, 1}},
		flatWeek, &seasonBase, [12]bool{}, 1, 0.6, 4 * time.Hour}
	ads = activity{catAds, []window{{9, 17, 1}},
		workWeek, &seasonBase, [12]bool{}, 1.2, 0.5, 24 * time.Hour}
	garbage = activity{catGarbage, []window{{6, 9, 0.5}, {18, 21, 0.4}, {9, 18, 0.1}},
		flatWeek, &seasonBase, [12]bool{}, 1.1, 0.8, 2 * time.Hour}
	construction = activity{catConstruction, []window{{8, 17, 1}},
		workWeek, &buildingSeason, [12]bool{}, 0.5, 0.2, 5 * 24 * time.Hour}
	other = activity{catOther, []window{{8, 20, 1}},
		flatWeek, &seasonBase, [12]bool{}, 1, 0.7, 2 * time.Hour}
)
