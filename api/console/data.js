// data.js — violations as compact records, filters and the counts the
// console shows. Times are read in Tianjin's zone (UTC+8, no DST).

const ZONE_MS = 8 * 3600e3;
const DAY_MS = 86400e3;
const WEEK_MS = 7 * DAY_MS;
// 1970-01-05 was a Monday: weeks start on Mondays, 00:00 Tianjin time.
const MONDAY_MS = 4 * DAY_MS;

export const SOURCES = [
  { code: 'patrol', zh: '巡查', en: 'Patrol' },
  { code: 'hotline', zh: '12345 热线', en: 'Hotline' },
  { code: 'camera', zh: '视频监控', en: 'Camera' },
  { code: 'campaign', zh: '专项整治', en: 'Campaign' },
  { code: 'citizen', zh: '市民上报', en: 'Citizen' },
];

export const WEEKDAYS_ZH = ['一', '二', '三', '四', '五', '六', '日'];

/** Turns GeoJSON violation features into compact records. */
export function toRecords(features) {
  const out = [];
  for (const f of features) {
    const p = f.properties || {};
    const t = Date.parse(p.observed_at);
    if (Number.isNaN(t)) continue;
    const local = new Date(t + ZONE_MS);
    const c = f.geometry && f.geometry.coordinates;
    out.push({
      road: p.road ?? null,
      seg: p.segment ?? null,
      cat: p.category || 'other',
      src: p.source || '',
      m: p.merchant_id || '',
      t,
      month: local.toISOString().slice(0, 7),
      hour: local.getUTCHours(),
      wd: (local.getUTCDay() + 6) % 7, // 0 = Monday
      lon: c ? c[0] : NaN,
      lat: c ? c[1] : NaN,
    });
  }
  return out;
}

/** Start (ms) of the Monday-based week that holds t. */
export function weekStart(t) {
  return Math.floor((t + ZONE_MS - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS - ZONE_MS;
}

/** The sorted distinct months (YYYY-MM) of the records. */
export function monthsOf(records) {
  return [...new Set(records.map((r) => r.month))].sort();
}

export function segKey(road, seg) {
  return road + '#' + seg;
}

/** A filter: cats/srcs are Sets of excluded codes; months inclusive. */
export function emptyFilter(months) {
  return { offCats: new Set(), offSrcs: new Set(), from: months[0] || '', to: months[months.length - 1] || '' };
}

function inMonths(r, f) {
  return (!f.from || r.month >= f.from) && (!f.to || r.month <= f.to);
}

/** Whether a record passes every part of the filter. */
export function passes(r, f) {
  return inMonths(r, f) && !f.offCats.has(r.cat) && !f.offSrcs.has(r.src);
}

function bump(map, key, n = 1) {
  map.set(key, (map.get(key) || 0) + n);
}

/**
 * Counts under the filter. byCat ignores the category part and bySrc the
 * source part (so the lists show what ticking a box would add).
 */
export function aggregate(records, f) {
  const a = {
    total: 0, offRoad: 0,
    byCat: new Map(), bySrc: new Map(), byRoad: new Map(), bySeg: new Map(),
    matrix: Array.from({ length: 7 }, () => new Array(24).fill(0)),
  };
  for (const r of records) {
    if (!inMonths(r, f)) continue;
    const catOK = !f.offCats.has(r.cat);
    const srcOK = !f.offSrcs.has(r.src);
    if (srcOK) bump(a.byCat, r.cat);
    if (catOK) bump(a.bySrc, r.src);
    if (!catOK || !srcOK) continue;
    a.total++;
    a.matrix[r.wd][r.hour]++;
    if (r.road == null) { a.offRoad++; continue; }
    bump(a.byRoad, r.road);
    if (r.seg != null) bump(a.bySeg, segKey(r.road, r.seg));
  }
  return a;
}

/** Category counts of one segment under the full filter, largest first. */
export function segmentCategories(records, f, road, seg) {
  const m = new Map();
  for (const r of records) {
    if (r.road === road && r.seg === seg && passes(r, f)) bump(m, r.cat);
  }
  return [...m.entries()].sort((x, y) => y[1] - x[1]);
}

/**
 * Weekly counts for one road over every loaded week (the month range is
 * ignored so a pilot's before and after both show). Returns
 * [{start, count}] from the first to the last loaded week.
 */
export function weeklySeries(records, f, road) {
  if (!records.length) return [];
  let lo = Infinity, hi = -Infinity;
  for (const r of records) { if (r.t < lo) lo = r.t; if (r.t > hi) hi = r.t; }
  const first = weekStart(lo), last = weekStart(hi);
  const n = Math.round((last - first) / WEEK_MS) + 1;
  const counts = new Array(n).fill(0);
  for (const r of records) {
    if (r.road !== road || f.offCats.has(r.cat) || f.offSrcs.has(r.src)) continue;
    counts[Math.round((weekStart(r.t) - first) / WEEK_MS)]++;
  }
  return counts.map((count, i) => ({ start: first + i * WEEK_MS, count }));
}

/**
 * Mean weekly count of whole weeks before and after a start time; the
 * first and last loaded weeks are left out, being partial.
 */
export function beforeAfter(series, start) {
  const inner = series.slice(1, -1);
  const mean = (xs) => (xs.length ? xs.reduce((s, w) => s + w.count, 0) / xs.length : NaN);
  const before = inner.filter((w) => w.start + WEEK_MS <= start);
  const after = inner.filter((w) => w.start >= start);
  return { before: mean(before), after: mean(after), nBefore: before.length, nAfter: after.length };
}

/** Up to `classes` class upper bounds from quantiles of the positive counts. */
export function quantileBreaks(values, classes = 5) {
  const xs = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (!xs.length) return [];
  const out = [];
  for (let i = 1; i <= classes; i++) {
    const v = xs[Math.min(xs.length - 1, Math.ceil((i / classes) * xs.length) - 1)];
    if (!out.length || v > out[out.length - 1]) out.push(v);
  }
  return out;
}

/** The class (0-based) of v under breaks; -1 for zero. */
export function classOf(v, breaks) {
  if (!(v > 0)) return -1;
  for (let i = 0; i < breaks.length; i++) if (v <= breaks[i]) return i;
  return breaks.length - 1;
}
