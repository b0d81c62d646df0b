// analytics.js — the analytics routes the console asks: the query they
// share (window, categories, sources, datum), each map layer's URL, the
// ranking's, and a short-lived cache of their answers by URL.

import { getJSON, rfc3339Beijing } from './api.js';
import { SOURCES } from './taxonomy.js';

/** The hexagon layers, one shown at a time. */
export const METRICS = [
  { id: 'count', zh: '违法数', en: 'Count' },
  { id: 'rate', zh: '发现率', en: 'Rate' },
  { id: 'gistar', zh: 'Gi* 热点', en: 'Gi* hot spots' },
  { id: 'emerging', zh: '新兴热点', en: 'Emerging' },
  { id: 'forecast', zh: '下周预测', en: 'Forecast' },
];
export const isMetric = (id) => METRICS.some((m) => m.id === id);

/** The H3 resolution (9–12) the hexagons are asked at for a map zoom. */
export function resForZoom(zoom) {
  if (zoom < 12.5) return 9;
  if (zoom < 14) return 10;
  if (zoom < 15.5) return 11;
  return 12;
}

/**
 * The query every route shares, from the console's filter: the window
 * (ms, to null: up to now), the ticked categories and sources, and the
 * basemap's datum. empty is true when nothing is ticked.
 */
export function analysisQuery({ window, cats, offCats, offSrcs, crs }) {
  const q = new URLSearchParams();
  q.set('datetime', rfc3339Beijing(new Date(window.from)) + '/' + (window.to ? rfc3339Beijing(new Date(window.to)) : '..'));
  let empty = false;
  const onCats = [...cats].filter((c) => !offCats.has(c));
  if (offCats.size) { q.set('category', onCats.join(',')); empty ||= !onCats.length; }
  const onSrcs = SOURCES.map((s) => s.code).filter((c) => !offSrcs.has(c));
  if (offSrcs.size) { q.set('source', onSrcs.join(',')); empty ||= !onSrcs.length; }
  return { q, crs, empty };
}

/** p with crs= when the basemap is not WGS-84. */
function withCRS(p, crs) {
  if (crs && crs !== 'wgs84') p.set('crs', crs);
  return p;
}

/**
 * The URL of a hexagon layer at resolution res. Emerging hot spots read
 * every week of the span (spanQuery), the forecast the weeks before the
 * coming one, whatever the slider shows.
 */
export function layerURL(metric, aq, { res, spanQuery, spanWeeks }) {
  const p = withCRS(new URLSearchParams(aq.q), aq.crs);
  p.set('res', String(res));
  switch (metric) {
    case 'rate': p.set('metric', 'rate'); return '/api/v1/heatmap?' + p;
    case 'gistar': p.set('fdr', 'true'); return '/api/v1/hotspots?' + p;
    case 'emerging':
      p.set('datetime', spanQuery.q.get('datetime'));
      p.set('step', 'week');
      p.set('steps', String(spanWeeks));
      return '/api/v1/hotspots/emerging?' + p;
    case 'forecast': p.delete('datetime'); p.set('profile', 'false'); return '/api/v1/forecast?' + p;
    default: p.set('metric', 'count'); return '/api/v1/heatmap?' + p;
  }
}

/** The rates and blind spots at resolution res (the blind-spot overlay). */
export function blindURL(aq, res) {
  return layerURL('rate', aq, { res });
}

/** The key-road ranking under the filter (always at res 11, the analysis resolution). */
export function rankingURL(aq) {
  const p = new URLSearchParams(aq.q);
  p.set('res', '11');
  return '/api/v1/roads/ranking?' + p;
}

/** The line-marking pilot zones: half of the best 2N to paint, half kept as controls. */
export function zonesURL(crs) {
  return '/api/v1/recommendations/pilot-zones?' + withCRS(new URLSearchParams({ paint: '2' }), crs);
}

/** The backtest of the forecast against its baselines over the last whole weeks. */
export const BACKTEST_URL = '/api/v1/backtest?weeks=12';

// Answers by URL for two minutes: switching layers or weeks back and forth
// does not ask again. clearCache empties it when the data reload.
const cache = new Map();
const CACHE_MS = 120e3;
const CACHE_SIZE = 40;
export function clearCache() { cache.clear(); }

// Requests on their way before anything asks for their answer (the first
// view's layer, asked with the roads): cachedJSON waits for them.
const pending = new Map();
export function prefetch(url, signal) {
  const p = getJSON(url, signal);
  pending.set(url, p);
  p.catch(() => {}).finally(() => { if (pending.get(url) === p) pending.delete(url); });
}

export async function cachedJSON(url, signal) {
  const hit = cache.get(url);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.doc;
  const doc = await (pending.get(url) || getJSON(url, signal));
  cache.delete(url);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value);
  cache.set(url, { doc, at: Date.now() });
  return doc;
}

export const num = (v, d = 2) => (v == null || Number.isNaN(Number(v)) ? '—' : Number(v).toFixed(d));
export const pct = (v) => (v == null ? '—' : Math.round(100 * v) + ' %');
