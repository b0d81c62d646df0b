// Package demo generates about a year of realistic, deterministic street-
// order data for the key roads of Dazhigu street (大直沽街道), Hedong,
// Tianjin: violations from patrols, the 12345 hotline, cameras and
// clearance campaigns, and the GPS tracks of the patrols with their dwell.
// Generate writes it through the normal store write path
// (data.ViolationStore.PutViolations in batches, data.TrackStore.PutTrack),
// so the demo exercises what real data will; Violations and Tracks return
// the same data without writing it. The same seed, roads and options always
// give the same records, and their source ids are stable
// ("demo-v-20260511-0042", "demo-t-03-20260511-am"), so running the demo
// again into the same store adds nothing.
//
// # The model
//
// Violations happen first and are recorded second. Each key road has
// recurring hotspots (profiles, by road id; a road the demo does not know
// gets two shop fronts and a bin point): shop fronts with a merchant id that
// recurs ("M-HTXL-03"), markets and crossings where vendors gather,
// restaurants, bin points, a building site or two, plus a thin background
// along the whole road. Each hotspot has activities, each an expected
// number of events per day times a level: the month (interpolated between
// month middles; summer busiest, winter quietest), the weekday (markets and
// roaming vendors busier at weekends, restaurants on Friday and Saturday
// nights) and the Spring Festival (a shopping rush in the fortnight before,
// then a deep dip until the Lantern Festival). Counts are Poisson; each
// event draws a time from its activity's hours and a point a few meters
// around the hotspot, on its side of the road and always inside the road's
// buffer. Hotspots are kept clear of the crossings with other key roads, so
// that data.Place matches their records to the road they belong to. The
// planted patterns:
//
//   - market vending on 后台西路 and 大直沽中路 peaks 06:30–09:00 and
//     17:00–20:30; roaming vendors (游商) line 津塘路 in the evenings and at
//     weekends;
//   - shop fronts on 后台西路 and 大直沽中路 (stalls), 六纬路 (building
//     materials), 津塘路 and 直沽街 spill out (店外经营) every day at the same
//     places;
//   - restaurants on 宫前街 dump waste water at night (21:00–02:00), and
//     grill outdoors on summer evenings (May–September only);
//   - illegal construction is rare (a handful of cases a year, each often both
//     found by patrol and complained about), mostly in spring;
//     piled materials, frontage duties, garbage sorting and ads are thin.
//
// An event becomes a record when someone finds it while it is visible
// (vending lasts about an hour, goods in front of a shop a few hours, a sign
// a day). A clearance campaign on its roads finds it with probability 0.85;
// otherwise a camera (two each on 津塘路 and 大直沽中路, ±45 m) with 0.5 for
// the categories it sees; otherwise each patrol on the road with 0.6 (less
// on long roads), so patrol-found records follow where and when officers
// are. Independently of all that, a resident may call 12345 (mostly about
// dumping, smoke and building work; more on residential streets): the
// complaint is logged 10 minutes to 5 hours later (night dumping often the
// next morning) and placed about 30 m off along the road. Campaigns also
// clear standing violations in bursts.
//
// Campaigns: CampaignsPerYear days per calendar year in spells of two to
// five days, more in spring, before National Day, in summer and before the
// Spring Festival; half the team sweeps one or two roads for three hours by
// day or at night. Patrols: each officer has a weekday off and works a
// morning (07:00–) and an evening (16:15–) trip of one and a half to three
// hours, sometimes a second shorter one; a sixth of the team does night
// checks (20:00–23:30) every summer night and on Friday and Saturday nights.
// Trips go to one or two roads, favouring busy ones (markets in the
// morning, 津塘路 and 宫前街 at night). With 12 officers that is about
// 9,000 officer-trips a year.
//
// Enforcement follows 三不罚 / 三必罚: a merchant's first record is mostly
// exempted, repeats are warned and ordered to correct, and a merchant who
// keeps repeating after warnings is fined at most once a quarter (about a
// hundred fines a year); building work and dangerous dumping are serious.
//
// Line-marking: when a road's Pilots hold a "line-marking" pilot starting
// inside the period, shop-front vending and outside-shop on that road's
// shop fronts and markets fall by pilotDrop (60 %), ramping up linearly
// over three weeks, while other roads carry on; a pilot outside the period
// changes nothing (all draws are made either way, so the rest of the data
// are identical).
//
// Tracks: officers walk (1.0–1.4 m/s) or ride e-bikes (3.5–5 m/s) along
// their roads, back and forth on the pavement, stopping at hotspots for
// 5–15 minutes (the Koper curve); phones log a fix every 30 s (some 15 s or
// 60 s) with correlated errors of 5–10 m, lose the signal for over five
// minutes on some trips and now and then jump hundreds of meters, so that
// geo.Dwell's gap and speed filters have something to drop. Dwell uses
// geo.Dwell's defaults at resolution data.CellResolution. A default year is
// about 2.1 million fixes and 2.3 million dwell rows; tracks are generated a
// few days at a time, in parallel, never all at once.
//
// All times are in Asia/Shanghai.
package demo
