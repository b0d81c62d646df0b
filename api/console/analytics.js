// analytics.js — the analysis layers of the map: Gi* hot spots, emerging
// hot spots and patrol rates with blind spots, drawn as H3 hexagons from
// /api/v1/hotspots, /hotspots/emerging and /heatmap?metric=rate, with their
// legends and the parameters that reproduce them (docs/analytics.md).

import { h } from './dom.js';
import { getJSON, rfc3339Beijing } from './api.js';
import { SOURCES, quantileBreaks, classOf } from './data.js';
import { fmt } from './panel.js';

export const LAYERS = [
  { id: 'counts', zh: '路段计数', en: 'Segment counts' },
  { id: 'gistar', zh: '热点', en: 'Gi* hot spots' },
  { id: 'emerging', zh: '新兴热点', en: 'Emerging' },
  { id: 'blind', zh: '盲区', en: 'Blind spots' },
  { id: 'zones', zh: '划线试点候选', en: 'Pilot zones' },
];

// Pilot zones (the pilot-zones answer): their own window and categories,
// half of the best 2N drawn to paint and half kept as controls.
export const ZONES_URL = '/api/v1/recommendations/pilot-zones?paint=2';
const ZONE_STYLE = {
  pilot: { color: '#d7301f', zh: '建议划线', en: 'paint (pilot)' },
  control: { color: '#3182bd', zh: '对照', en: 'keep as control' },
  candidate: { color: '#fd8d3c', zh: '候选', en: 'candidate' },
  under: { color: '#969696', zh: '已在试点', en: 'already under a pilot' },
};
export const zoneKind = (p) => (p.under_pilot ? 'under' : p.split || 'candidate');

export const isLayer = (id) => LAYERS.some((l) => l.id === id);

// Gi* bins, hot (+3) to cold (−3); 0 is drawn as an outline only.
export const BIN_STYLE = [
  { bin: 3, color: '#a50f15', zh: '热点', en: 'hot spot', conf: '99 %' },
  { bin: 2, color: '#e34a33', zh: '热点', en: 'hot spot', conf: '95 %' },
  { bin: 1, color: '#fcae91', zh: '热点', en: 'hot spot', conf: '90 %' },
  { bin: 0, color: null, zh: '不显著', en: 'not significant', conf: '' },
  { bin: -1, color: '#c6dbef', zh: '冷点', en: 'cold spot', conf: '90 %' },
  { bin: -2, color: '#6baed6', zh: '冷点', en: 'cold spot', conf: '95 %' },
  { bin: -3, color: '#2171b5', zh: '冷点', en: 'cold spot', conf: '99 %' },
];

// The 17 outcomes of Emerging Hot Spot Analysis (docs/emerging.md), in
// legend order; "no pattern detected" cells are not returned.
const KINDS = [
  ['new', '新增', '#fd8d3c', '#6baed6'], ['consecutive', '连续', '#fc4e2a', '#4292c6'],
  ['intensifying', '加剧', '#99000d', '#08306b'], ['persistent', '持续', '#e31a1c', '#2171b5'],
  ['diminishing', '减弱', '#fa9fb5', '#bcbddc'], ['sporadic', '零星', '#feb24c', '#9ecae1'],
  ['oscillating', '振荡', '#c51b8a', '#6a51a3'], ['historical', '历史', '#d9b38c', '#b7c9cc'],
];
export const OUTCOMES = new Map([
  ...KINDS.map(([k, zh, hot]) => [`${k} hot spot`, { zh: zh + '热点', color: hot }]),
  ...KINDS.map(([k, zh, , cold]) => [`${k} cold spot`, { zh: zh + '冷点', color: cold }]),
  ['no pattern detected', { zh: '无模式', color: null }],
]);

/** An outcome as "中文 English". */
export function outcomeLabel(o) {
  const info = OUTCOMES.get(o);
  return info ? `${info.zh} ${o}` : String(o || '—');
}

// Rates (violations per patrol hour), light to dark, and no patrol.
const RATE_RAMP = ['#e0f3db', '#a8ddb5', '#7bccc4', '#43a2ca', '#0868ac'];
const NO_PATROL = '#d5d8dc';

const WEEK_MS = 7 * 86400e3;

function monthStart(ym) {
  const [y, m] = ym.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 1) - 8 * 3600e3); // 00:00 UTC+8
}

/**
 * The query the analytics routes share, from the console's filter: the
 * months (clipped to the loaded year, open-ended up to now), the ticked
 * categories and sources. empty is true when nothing is ticked.
 */
export function analysisQuery(filter, { cats, loadFrom }) {
  const q = new URLSearchParams();
  let from = filter.from ? monthStart(filter.from) : loadFrom;
  if (loadFrom && from < loadFrom) from = loadFrom;
  let to = null;
  if (filter.to) {
    const [y, m] = filter.to.split('-').map(Number);
    to = monthStart(`${m === 12 ? y + 1 : y}-${m === 12 ? 1 : m + 1}`);
    if (to > new Date()) to = null;
  }
  q.set('datetime', (from ? rfc3339Beijing(from) : '..') + '/' + (to ? rfc3339Beijing(to) : '..'));
  let empty = false;
  const onCats = [...cats].filter((c) => !filter.offCats.has(c));
  if (filter.offCats.size) { q.set('category', onCats.join(',')); empty ||= !onCats.length; }
  const onSrcs = SOURCES.map((s) => s.code).filter((c) => !filter.offSrcs.has(c));
  if (filter.offSrcs.size) { q.set('source', onSrcs.join(',')); empty ||= !onSrcs.length; }
  const span = (to || new Date()) - (from || new Date(Date.now() - 365 * 86400e3));
  const weeks = Math.min(520, Math.max(4, Math.round(span / WEEK_MS)));
  return { q, weeks, empty };
}

/** The URL of a layer's route (null for the segment counts). */
export function layerURL(layer, { q, weeks }) {
  const p = new URLSearchParams(q);
  p.set('res', '11');
  switch (layer) {
    case 'gistar': p.set('fdr', 'true'); return '/api/v1/hotspots?' + p;
    case 'emerging': p.set('step', 'week'); p.set('steps', String(weeks)); return '/api/v1/hotspots/emerging?' + p;
    case 'blind': p.set('metric', 'rate'); p.set('format', 'geojson'); return '/api/v1/heatmap?' + p;
    case 'zones': return ZONES_URL;
    default: return null;
  }
}

export function rankingURL({ q }) {
  const p = new URLSearchParams(q);
  p.set('res', '11');
  return '/api/v1/roads/ranking?' + p;
}

// Answers by URL for two minutes: switching layers back and forth does not
// ask again. app.js clears the cache when the data reload.
const cache = new Map();
const CACHE_MS = 120e3;
export function clearCache() { cache.clear(); }

export async function cachedJSON(url, signal) {
  const hit = cache.get(url);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.doc;
  const doc = await getJSON(url, signal);
  cache.delete(url);
  if (cache.size >= 24) cache.delete(cache.keys().next().value);
  cache.set(url, { doc, at: Date.now() });
  return doc;
}

const num = (v, d = 2) => (v == null || Number.isNaN(Number(v)) ? '—' : Number(v).toFixed(d));
const pct = (v) => (v == null ? '—' : Math.round(100 * v) + ' %');

/**
 * How a layer's answer is drawn: style(feature) → {fill, cls, title} for
 * map.setHexes, and the legend rows {color, cls, text}, notes and a count.
 */
export function layerStyle(layer, doc) {
  const feats = doc.features || [];
  const P = doc.parameters || {};
  if (layer === 'gistar') {
    const byBin = new Map(BIN_STYLE.map((b) => [b.bin, b]));
    const n = new Map();
    for (const f of feats) n.set(f.properties.bin, (n.get(f.properties.bin) || 0) + 1);
    return {
      title: 'Gi* 热点分析（按置信度分级）Gi* hot spots by confidence',
      order: (f) => Math.abs(f.properties.bin),
      style: (f) => {
        const p = f.properties, b = byBin.get(p.bin) || byBin.get(0);
        return { fill: b.color, cls: b.color ? 'sig' : 'ns', avoid: !!b.color,
          title: `${b.zh} ${b.en} ${b.conf} · z = ${num(p.z)} · p = ${num(p.p, 4)} · ${fmt(p.count)} 起 violations · ` +
            `${p.neighbours} 邻格 neighbours · ${p.h3}` };
      },
      rows: BIN_STYLE.map((b) => ({ color: b.color, cls: b.color ? '' : 'outline',
        text: `${b.bin > 0 ? '+' : ''}${b.bin} ${b.zh} ${b.en} ${b.conf}`, n: n.get(b.bin) || 0 })),
      notes: [
        '置信度 confidence 99/95/90 % = 双侧正态 two-sided normal p < 0.01/0.05/0.10；冷点 = 低值聚集 cold = low values clustered.',
        P.gistar && P.gistar.fdr
          ? 'FDR：已按 Benjamini–Hochberg 校正分级（多重检验），p 值不变。Bins corrected for false discovery rate (BH); p-values unchanged.'
          : '未做 FDR 校正 No FDR correction.',
      ],
    };
  }
  if (layer === 'emerging') {
    const present = P.outcomes || {};
    const rows = [...OUTCOMES.entries()]
      .filter(([o, info]) => info.color && present[o])
      .map(([o, info]) => ({ color: info.color, text: `${info.zh} ${o}`, n: present[o] }));
    const none = present['no pattern detected'] || 0;
    return {
      title: '新兴热点（逐周 Gi* + Mann–Kendall）Emerging hot spots',
      order: (f) => (f.properties.outcome.includes('hot') ? 1 : 0),
      style: (f) => {
        const p = f.properties, info = OUTCOMES.get(p.outcome) || { zh: '', color: '#888' };
        return { fill: info.color, cls: 'sig', avoid: true,
          title: `${info.zh} ${p.outcome} · 趋势 trend τ = ${num(p.trend_tau)} (p = ${num(p.trend_p, 4)}) · ` +
            `末周 last week z = ${num(p.last_z)} · ${p.h3}` };
      },
      rows,
      notes: [
        rows.length ? '' : '无新兴模式 No emerging pattern in the window.',
        `无模式 no pattern: ${fmt(none)} 格 cells（不绘制 not drawn）`,
        '规则见 rules: docs/emerging.md',
      ].filter(Boolean),
    };
  }
  if (layer === 'zones') {
    const n = {};
    for (const f of feats) n[zoneKind(f.properties)] = (n[zoneKind(f.properties)] || 0) + 1;
    return {
      title: '划线治理试点候选（店外经营、占道经营）Line-marking pilot zones',
      order: (f) => (f.properties.under_pilot ? 0 : 1),
      style: (f) => {
        const p = f.properties, z = ZONE_STYLE[zoneKind(p)];
        return { fill: z.color, cls: 'sig zone', avoid: true,
          title: `${p.rank ? '#' + p.rank + ' ' : ''}${z.zh} ${z.en} · ${p.road_name} ${fmt(p.from_m)}–${fmt(p.to_m)} m · ` +
            `得分 score ${fmt(p.score)} · ${fmt(p.count)} 起 violations · 复发 recurrent ${pct(p.recurrent_share)}` };
      },
      rows: Object.entries(ZONE_STYLE).map(([k, z]) => ({ color: z.color, text: `${z.zh} ${z.en}`, n: n[k] || 0 })),
      notes: [
        feats.length ? '' : '无符合条件的路段 No stretch meets the criteria.',
        '每段的证据见右侧“试点候选”卡片 The evidence of each stretch is in the Pilot zones card.',
      ].filter(Boolean),
    };
  }
  // blind: EB-smoothed rates, no patrol in grey, blind spots outlined.
  const breaks = quantileBreaks(feats.map((f) => f.properties.rate ?? 0), RATE_RAMP.length);
  const rows = [];
  let lo = 0;
  breaks.forEach((b, i) => { rows.push({ color: RATE_RAMP[i], text: `${num(lo)}–${num(b)} 起/巡查小时 per patrol hour` }); lo = b; });
  rows.push({ color: NO_PATROL, text: '无巡查（仅有投诉）no patrol, complaints only' });
  const nBlind = P.blind_spot_cells ?? feats.filter((f) => f.properties.blind_spot).length;
  rows.push({ color: null, cls: 'blind', text: '盲区：投诉多、巡查少 blind spot: many complaints, little patrol', n: nBlind });
  return {
    title: '巡查发现率与盲区 Rate per patrol hour and blind spots',
    order: (f) => (f.properties.blind_spot ? 1 : 0),
    style: (f) => {
      const p = f.properties;
      const c = p.rate == null ? -1 : Math.max(0, classOf(p.rate, breaks));
      return { fill: p.rate == null ? NO_PATROL : RATE_RAMP[c] || RATE_RAMP[0], cls: 'sig' + (p.blind_spot ? ' blind' : ''),
        avoid: !!p.blind_spot,
        title: `${p.blind_spot ? '盲区 BLIND SPOT · ' : ''}${num(p.rate)} 起/巡查小时 per patrol hour (EB) · ` +
          `原始 raw ${num(p.raw_rate)} · ${fmt(p.count)} 起 violations · ${num(p.patrol_hours, 1)} 巡查小时 patrol hours · ` +
          `${fmt(p.complaints)} 投诉 complaints · ${p.h3}` };
    },
    rows,
    notes: [
      nBlind ? '' : '本窗口无盲区 No blind spots in this window.',
      '发现率经全局经验贝叶斯平滑 Rates smoothed by global empirical Bayes (Marshall 1991).',
      '盲区 = 投诉（12345 热线、市民上报）≥ 3 且居前 25 %，巡查时长居后 25 %。Blind spot = complaints ≥ 3 and in the top quarter, patrol hours in the bottom quarter.',
    ].filter(Boolean),
  };
}

/** A layer's legend: rows with swatches and cell counts, then notes. */
export function renderLayerLegend(box, ls) {
  box.append(h('div', 'legend-title', ls.title));
  for (const r of ls.rows) {
    const row = h('div', 'legend-row');
    const sw = h('span', 'swatch hexsw' + (r.cls ? ' ' + r.cls : ''));
    if (r.color) sw.style.background = r.color;
    row.append(sw, h('span', null, r.text));
    if (r.n != null) row.append(h('span', 'legend-n', fmt(r.n)));
    box.append(row);
  }
  for (const n of ls.notes) box.append(h('div', 'legend-note', n));
}

/** The window of an answer's parameters, as local dates and hours. */
function windowText(P) {
  const t = (s) => String(s).slice(0, 16).replace('T', ' ');
  if (P.bins) return `${t(P.bins.start)} – ${t(P.bins.end)}，${P.bins.n} × ${P.bins.step_hours} h`;
  if (P.from) return `${t(P.from)} – ${t(P.to)}`;
  return '—';
}

/**
 * The parameters that reproduce an answer, in small print: window,
 * resolution, k, study area, n and the filters.
 */
export function renderParams(box, P, url) {
  const parts = [`窗口 window ${windowText(P)} (UTC+8)`, `res ${P.res} · k ${P.k}`];
  if (P.study_area) parts.push(`研究区 study area ${fmt(P.study_area.cells)} 格 cells / ${P.study_area.km2} km²`);
  if (P.gistar) parts.push(`n = ${fmt(P.gistar.n)} · Σ ${fmt(P.gistar.events)} · x̄ ${num(P.gistar.mean)} · S ${num(P.gistar.sd)}`);
  if (P.eb) parts.push(`EB m = ${num(P.eb.mean_rate, 3)} · a = ${num(P.eb.between_cell_variance, 3)} · ${fmt(P.eb.cells)} 格有巡查 patrolled`);
  if (P.cells_without_patrol != null) parts.push(`${fmt(P.cells_without_patrol)} 格无巡查 unpatrolled`);
  const p = h('div', 'legend-params');
  p.append(h('span', null, parts.join(' · ')));
  for (const [key, zh, en] of [['categories', '类别', 'categories'], ['sources', '来源', 'sources']]) {
    const list = P[key] || [];
    if (!list.length) continue;
    const s = h('span', 'legend-filter', ` · ${zh} ${en}: ${list.length <= 3 ? list.join(', ') : list.length + ' 项 codes'}`);
    s.title = list.join(', ');
    p.append(s);
  }
  if (url) {
    const d = h('details', 'legend-url');
    d.append(h('summary', null, '请求 Request'), h('code', null, url));
    p.append(d);
  }
  box.append(p);
}

/** A legend placeholder while a layer loads, or its failure, or a note. */
export function renderLayerPending(box, layer, { error, note } = {}) {
  const l = LAYERS.find((x) => x.id === layer);
  box.append(h('div', 'legend-title', `${l.zh} ${l.en}`));
  box.append(h('div', error ? 'legend-note err' : 'legend-note',
    error ? '加载失败 Failed: ' + error : note || '计算中… Computing…'));
}

export { pct, num };
