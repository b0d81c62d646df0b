// cellcard.js — the card of one hexagon, opened by clicking it: the
// cell's violations over the span (GET /api/v1/violations with the cell's
// bounding box, kept when inside the hexagon), counted by category and by
// hour of day in the window the slider shows, and week by week over the
// span with the shown week marked.

import { getFeatures } from './api.js';
import { h, svg as s } from './dom.js';
import { t, fmt } from './i18n.js';
import { renderBars } from './panel.js';
import { categoryName } from './taxonomy.js';
import { bounds } from './roads.js';
import { weekStart } from './timeline.js';

const ZONE_MS = 8 * 3600e3;
const WEEK_MS = 7 * 86400e3;

/** Whether [x, y] is inside the ring (even-odd rule; planar, fine for a hexagon). */
function inRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** The violations URL for a cell's bounding box over the span, under the filter. */
function cellURL(ring, { spanQuery, crs }) {
  const [[x0, y0], [x1, y1]] = bounds(ring);
  const p = new URLSearchParams(spanQuery.q);
  p.set('bbox', [x0, y0, x1, y1].map((v) => v.toFixed(7)).join(','));
  p.set('limit', '10000');
  if (crs !== 'wgs84') p.set('crs', crs);
  return '/api/v1/violations?' + p;
}

/** Loads the cell's violations: {features inside the hexagon, truncated}. */
export async function loadCell(feature, ctx, signal) {
  const ring = feature.geometry.coordinates[0];
  const { features, truncated } = await getFeatures(cellURL(ring, ctx), { maxPages: 3, signal });
  return { features: features.filter((f) => f.geometry && inRing(f.geometry.coordinates, ring)), truncated };
}

/**
 * The card: cell is {feature, features, truncated, error}; window is the
 * slider's {from, to}; weeks the span's; cats the taxonomy map.
 */
export function renderCellCard(box, cell, { window, weeks, cats, onClose }) {
  box.replaceChildren();
  const head = h('div', 'cell-head');
  const close = h('button', 'small', t('关闭', 'Close'));
  close.type = 'button';
  close.addEventListener('click', onClose);
  head.append(h('span', 'cell-id', `${t('格', 'Cell')} ${cell.feature.properties.h3}`), close);
  box.append(head, factsOf(cell.feature.properties));
  if (cell.error) { box.append(h('p', 'muted', t('加载失败：', 'Failed: ') + cell.error)); return; }
  if (!cell.features) { box.append(h('p', 'muted', t('加载中…', 'Loading…'))); return; }
  const inWindow = cell.features.filter((f) => {
    const ms = Date.parse(f.properties.observed_at);
    return ms >= window.from && (!window.to || ms < window.to);
  });
  box.append(h('p', 'sub', t(`本时段 ${fmt(inWindow.length)} 起（全时段 ${fmt(cell.features.length)} 起）`,
    `${fmt(inWindow.length)} in the window (${fmt(cell.features.length)} over the span)`)));
  if (cell.truncated) box.append(h('p', 'muted small', t('记录过多，仅统计前 30,000 起。', 'Too many records: the first 30,000 are counted.')));
  const byCat = new Map();
  const hours = new Array(24).fill(0);
  for (const f of inWindow) {
    byCat.set(f.properties.category, (byCat.get(f.properties.category) || 0) + 1);
    hours[new Date(Date.parse(f.properties.observed_at) + ZONE_MS).getUTCHours()]++;
  }
  const bars = h('div', 'bars');
  renderBars(bars, [...byCat].sort((a, b) => b[1] - a[1]).map(([code, n]) => ({
    key: code, name: categoryName(cats, code), count: n, color: (cats.get(code) || {}).color })));
  box.append(h('p', 'sub', t('按类别', 'By category')), bars);
  box.append(h('p', 'sub', t('按小时（UTC+8）', 'By hour of day (UTC+8)')), barChart(hours, (i) => `${i}:00`, -1));
  const weekly = weeks.map(() => 0);
  const first = weeks[0].start;
  for (const f of cell.features) {
    const i = Math.round((weekStart(Date.parse(f.properties.observed_at)) - first) / WEEK_MS);
    if (i >= 0 && i < weekly.length) weekly[i]++;
  }
  const shown = window.to ? weeks.findIndex((w) => w.start === window.from) : -1;
  box.append(h('p', 'sub', t('每周趋势', 'Weekly trend')),
    barChart(weekly, (i) => new Date(weeks[i].start + ZONE_MS).toISOString().slice(5, 10), shown));
}

/** The cell's figures from the layer's answer (count, z, rate …). */
function factsOf(p) {
  const dl = h('dl', 'facts');
  const fact = (k, v) => dl.append(h('dt', null, k), h('dd', null, v));
  if (p.count != null) fact(t('违法数', 'Violations'), fmt(p.count));
  if (p.bin != null) fact('Gi* z', `${Number(p.z).toFixed(2)} (${t('分级', 'bin')} ${p.bin > 0 ? '+' : ''}${p.bin})`);
  if (p.rate != null) fact(t('发现率', 'Rate'), `${Number(p.rate).toFixed(2)} ${t('起/巡查小时', 'per patrol hour')}`);
  if (p.patrol_hours != null) fact(t('巡查时长', 'Patrol'), `${Number(p.patrol_hours).toFixed(1)} h`);
  if (p.blind_spot) fact(t('盲区', 'Blind spot'), t('是', 'yes'));
  if (p.outcome) fact(t('新兴类别', 'Emerging'), p.outcome);
  if (p.expected != null) fact(t('下周预计', 'Expected next week'), Number(p.expected).toFixed(1));
  return dl;
}

/** Vertical bars of values, labelled by label(i) every few bars; bar `mark` highlighted. */
function barChart(values, label, mark) {
  const W = 330, H = 60, B = 14;
  const svg = s('svg', { width: W, height: H + B, class: 'bar-chart', role: 'img' });
  const max = Math.max(1, ...values);
  const bw = W / values.length;
  values.forEach((v, i) => {
    const bh = (H - 12) * (v / max);
    const r = s('rect', { x: i * bw + 0.5, y: H - bh, width: Math.max(1, bw - 1), height: bh, class: i === mark ? 'mark' : '' }, svg);
    s('title', {}, r).textContent = `${label(i)}: ${fmt(v)}`;
  });
  const every = Math.ceil(values.length / 6);
  for (let i = 0; i < values.length; i += every) {
    s('text', { x: i * bw, y: H + B - 3, class: 'axis' }, svg).textContent = label(i);
  }
  s('text', { x: W, y: 9, class: 'axis end' }, svg).textContent = `${t('最高', 'max')} ${fmt(max)}`;
  svg.setAttribute('aria-label', values.map((v, i) => `${label(i)} ${v}`).join(', '));
  return svg;
}
