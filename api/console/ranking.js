// ranking.js — the key-road ranking (GET /api/v1/roads/ranking) as a
// table: roads by score with their counts, each road's three top segments
// with the figures behind the score, and the formula in small print.
// Pointing at a road (mouse or keyboard focus) highlights it on the map,
// clicking keeps it highlighted; clicking a segment selects it.

import { h } from './dom.js';
import { t, fmt, placeName } from './i18n.js';
import { pct, num } from './analytics.js';
import { OUTCOMES, outcomeLabel } from './metrics.js';

const DAYS = { Monday: '周一', Tuesday: '周二', Wednesday: '周三', Thursday: '周四', Friday: '周五', Saturday: '周六', Sunday: '周日' };

const metres = (s) => `${fmt(Math.round(s.from_m))}–${fmt(Math.round(s.to_m))} m`;
const peakHours = (s) => (s.peak_hours || []).map((x) => String(x).padStart(2, '0')).join(t('、', ', '));
const peakDays = (s) => (s.peak_days || []).map((d) => t(DAYS[d] || d, d.slice(0, 3))).join(t('、', ', '));

/** A coloured tag for an emerging class (none for "no pattern"). */
function emergingTag(o) {
  const info = OUTCOMES.get(o);
  const tag = h('span', 'em-tag', outcomeLabel(o));
  if (info && info.color) { tag.style.borderColor = info.color; tag.classList.add('on'); }
  return tag;
}

/**
 * The table: doc is the ranking answer; road(id) → the map's road or
 * null; selected {road, seg} or null; highlighted the road id kept
 * highlighted; onRoad(id|null, keep) highlights; onSelect(road, seg).
 */
export function renderRanking(box, doc, { road, selected, highlighted, onRoad, onSelect }) {
  box.replaceChildren();
  const roads = doc.roads || [];
  if (!roads.length) { box.append(h('p', 'muted', t('无数据', 'No data'))); return; }
  const table = h('table', 'rank-table');
  const head = h('tr');
  for (const [zh, en, cls] of [['#', '#', 'n'], ['道路', 'Road', ''], ['违法', 'Violations', 'num'], ['得分', 'Score', 'num']]) {
    const th = h('th', cls, t(zh, en));
    th.scope = 'col';
    head.append(th);
  }
  const thead = h('thead');
  thead.append(head);
  table.append(thead);
  for (const r of roads) {
    const info = road(r.road);
    const body = h('tbody', 'rank-road' + (highlighted === r.road ? ' highlighted' : ''));
    body.dataset.road = r.road;
    const tr = h('tr', 'rank-road-row');
    const name = h('button', 'link', placeName(r.name || r.road, info && info.props.pinyin));
    name.type = 'button';
    name.title = t('在地图上突出显示此路', 'Highlight this road on the map');
    name.setAttribute('aria-pressed', String(highlighted === r.road));
    name.addEventListener('click', () => onRoad(highlighted === r.road ? null : r.road, true));
    const nameCell = h('td', 'name');
    nameCell.append(name);
    if (info && info.props.approximate) nameCell.append(h('span', 'note', t('示意', 'approx.')));
    const score = h('td', 'num score');
    const bar = h('span', 'rank-bar');
    const fill = h('span', 'fill');
    fill.style.width = Math.min(100, 100 * r.score).toFixed(1) + '%';
    bar.append(fill);
    score.append(num(r.score, 3), bar);
    tr.append(h('td', 'n', String(r.rank)), nameCell, h('td', 'num', fmt(r.count)), score);
    body.append(tr);
    for (const s of (r.segments || []).slice(0, 3)) body.append(segmentRow(r, s, selected, onSelect));
    for (const ev of ['mouseenter', 'focusin']) body.addEventListener(ev, () => onRoad(r.road, false));
    for (const ev of ['mouseleave', 'focusout']) body.addEventListener(ev, () => onRoad(null, false));
    table.append(body);
  }
  box.append(table);
  const P = doc.parameters || {};
  const when = (x) => String(x || '').slice(0, 16).replace('T', ' ');
  box.append(h('p', 'muted small formula', P.score_formula || ''));
  box.append(h('p', 'muted small', t(
    `窗口 ${when(P.from)} – ${when(P.to)}（UTC+8）· res ${P.res} · 热点占比 = Gi* +2/+3 格占比 · 新兴类别取最忙格`,
    `window ${when(P.from)} – ${when(P.to)} (UTC+8) · res ${P.res} · hot share = cells in Gi* bins +2/+3 · emerging class of the busiest cell`)));
}

function segmentRow(r, s, selected, onSelect) {
  const tr = h('tr', 'rank-seg');
  if (selected && selected.road === r.road && selected.seg === s.segment) tr.classList.add('selected');
  const b = h('button', 'link', `#${s.segment} · ${metres(s)}`);
  b.type = 'button';
  b.title = t('在地图上选中', 'Select on the map');
  b.addEventListener('click', () => onSelect(r.road, s.segment));
  const facts = h('div', 'rank-seg-facts');
  facts.append(`${t('热点占比', 'hot share')} ${pct(s.hot_share)} · `, emergingTag(s.emerging), h('br'),
    `${t('高峰', 'peak')} ${peakHours(s) || '—'} ${t('时', 'h')}${peakDays(s) ? ' · ' + peakDays(s) : ''}`);
  facts.title = t(`巡查 ${num(s.patrol_hours, 1)} h · 发现率 ${num(s.rate_per_patrol_hour)} /h (EB) · 周趋势 τ = ${num(s.trend && s.trend.tau)}`,
    `patrol ${num(s.patrol_hours, 1)} h · rate ${num(s.rate_per_patrol_hour)} /h (EB) · weekly trend τ = ${num(s.trend && s.trend.tau)}`);
  const cell = h('td', 'seg');
  cell.colSpan = 2;
  cell.append(b, facts);
  tr.append(h('td'), cell, h('td', 'num', fmt(s.count)), h('td', 'num muted', num(s.score, 3)));
  return tr;
}

/** A segment of the ranking: {road, segment} or null. */
export function rankedSegment(doc, roadId, seg) {
  const r = ((doc && doc.roads) || []).find((x) => x.road === roadId);
  const s = r && (r.segments || []).find((x) => x.segment === seg);
  return s ? { road: r, segment: s } : null;
}

/** The ranking's figures of one segment, for the selected-segment card. */
export function segmentFacts(found) {
  if (!found) return [];
  const { road: r, segment: s } = found;
  return [
    [t('违法', 'Violations'), fmt(s.count)],
    [t('排名得分', 'Score'), t(`${num(s.score, 3)}（本路第 ${s.rank} / ${r.segments.length} 段）`, `${num(s.score, 3)} (rank ${s.rank} of ${r.segments.length} on the road)`)],
    [t('热点占比', 'Hot share'), pct(s.hot_share)],
    [t('新兴类别', 'Emerging'), outcomeLabel(s.emerging)],
    [t('发现率', 'Rate'), s.rate_per_patrol_hour == null ? t('无巡查', 'no patrol')
      : t(`${num(s.rate_per_patrol_hour)} 起/巡查小时（${num(s.patrol_hours, 1)} h）`, `${num(s.rate_per_patrol_hour)} per patrol hour (${num(s.patrol_hours, 1)} h)`)],
    [t('高峰', 'Peak'), `${peakHours(s) || '—'} ${t('时', 'h')} · ${peakDays(s) || '—'}`],
  ];
}

/**
 * Violations by category on the key roads' segments, summed from the
 * ranking (the server's aggregate): a Map code → count.
 */
export function categoryCounts(doc) {
  const n = new Map();
  for (const r of (doc && doc.roads) || []) {
    for (const s of r.segments || []) {
      for (const [code, c] of Object.entries(s.by_category || {})) n.set(code, (n.get(code) || 0) + c);
    }
  }
  return n;
}
