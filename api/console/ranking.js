// ranking.js — the road-ranking card (GET /api/v1/roads/ranking): roads by
// score, the top three segments of each with the figures behind the score,
// and the formula in small print. Clicking a segment selects it on the map.

import { h } from './dom.js';
import { outcomeLabel, OUTCOMES, pct, num } from './analytics.js';
import { bilingual, fmt } from './panel.js';

const DAYS = { Monday: '周一', Tuesday: '周二', Wednesday: '周三', Thursday: '周四', Friday: '周五', Saturday: '周六', Sunday: '周日' };

const metres = (s) => `${fmt(Math.round(s.from_m))}–${fmt(Math.round(s.to_m))} m`;
const peakHours = (s) => (s.peak_hours || []).map((x) => String(x).padStart(2, '0')).join('、');
const peakDays = (s) => (s.peak_days || []).map((d) => DAYS[d] || d).join('、');

/** A coloured tag for an emerging class (none for "no pattern"). */
function emergingTag(o) {
  const info = OUTCOMES.get(o);
  const tag = h('span', 'em-tag', info ? info.zh + ' ' : '');
  tag.append(h('span', 'en', String(o || '—').replace(/ (hot|cold) spot$/, '').replace(' detected', '')));
  tag.title = outcomeLabel(o);
  if (info && info.color) { tag.style.borderColor = info.color; tag.classList.add('on'); }
  return tag;
}

/**
 * The card: doc is the ranking answer; road(id) → the map's road or null;
 * selected is {road, seg} or null; onSelect(road, seg).
 */
export function renderRanking(box, doc, { road, selected, onSelect }) {
  box.replaceChildren();
  const roads = doc.roads || [];
  if (!roads.length) { box.append(h('p', 'muted', '无数据 No data')); return; }
  const list = h('ol', 'rank-list');
  for (const r of roads) {
    const info = road(r.road);
    const li = h('li', 'rank-road');
    const head = h('div', 'rank-head');
    head.append(h('span', 'rank-no', String(r.rank)), bilingual(r.name || r.road, info ? info.props.pinyin : ''));
    head.append(h('span', 'rank-score', `得分 score ${num(r.score, 3)}`));
    const bar = h('div', 'rank-bar');
    const fill = h('div', 'fill');
    fill.style.width = Math.min(100, 100 * r.score).toFixed(1) + '%';
    bar.append(fill);
    const sub = h('div', 'rank-sub', `${fmt(r.count)} 起违法 violations · ${(r.segments || []).length} 段 segments`);
    if (info && info.props.approximate) sub.append(h('span', 'note', '(approximate / 示意)'));
    li.append(head, bar, sub);
    const segs = h('ul', 'rank-segs');
    for (const s of (r.segments || []).slice(0, 3)) {
      const row = h('li', 'rank-seg');
      if (selected && selected.road === r.road && selected.seg === s.segment) row.classList.add('selected');
      const b = h('button', 'link', `#${s.segment} · ${metres(s)}`);
      b.type = 'button';
      b.title = '在地图上选中 Select on the map';
      b.addEventListener('click', () => onSelect(r.road, s.segment));
      const line1 = h('div', 'rank-seg-head');
      line1.append(b, h('span', 'rank-seg-count', `${fmt(s.count)} 起`), h('span', 'rank-seg-score', num(s.score, 3)));
      const line2 = h('div', 'rank-seg-facts');
      line2.append(`热点占比 hot share ${pct(s.hot_share)} · `, emergingTag(s.emerging), h('br'),
        `高峰 peak ${peakHours(s) || '—'} 时 h${peakDays(s) ? ' · ' + peakDays(s) : ''}`);
      line2.title = `巡查 patrol ${num(s.patrol_hours, 1)} h · 发现率 rate ${num(s.rate_per_patrol_hour)} /h (EB) · ` +
        `周趋势 weekly trend τ = ${num(s.trend && s.trend.tau)} (p = ${num(s.trend && s.trend.p, 3)})`;
      row.append(line1, line2);
      segs.append(row);
    }
    li.append(segs);
    list.append(li);
  }
  box.append(list);
  const P = doc.parameters || {};
  const t = (x) => String(x || '').slice(0, 16).replace('T', ' ');
  box.append(h('p', 'muted small formula', P.score_formula || ''));
  box.append(h('p', 'muted small',
    `窗口 window ${t(P.from)} – ${t(P.to)} (UTC+8) · res ${P.res} · ` +
    (P.study_area ? `研究区 study area ${fmt(P.study_area.cells)} 格 cells / ${P.study_area.km2} km² · ` : '') +
    (P.bins ? `趋势 trend ${P.bins.n} 整周 whole weeks · ` : '') +
    '热点占比 = Gi* +2/+3 格占比 hot share = cells in Gi* bins +2/+3 · 新兴类别取最忙格 emerging class of the busiest cell'));
}

/** The ranking figures of one segment, for the selected-segment card. */
export function segmentRankFacts(doc, roadId, seg) {
  for (const r of (doc && doc.roads) || []) {
    if (r.road !== roadId) continue;
    const s = (r.segments || []).find((x) => x.segment === seg);
    if (!s) return null;
    return [
      ['排名得分 Score', `${num(s.score, 3)}（本路第 ${s.rank} / ${r.segments.length} 段 rank on the road）`],
      ['热点占比 Hot share', pct(s.hot_share)],
      ['新兴类别 Emerging', outcomeLabel(s.emerging)],
      ['发现率 Rate', s.rate_per_patrol_hour == null ? '无巡查 no patrol'
        : `${num(s.rate_per_patrol_hour)} 起/巡查小时 per patrol hour (${num(s.patrol_hours, 1)} h)`],
      ['高峰 Peak', `${peakHours(s) || '—'} 时 h · ${peakDays(s) || '—'}`],
    ];
  }
  return null;
}
