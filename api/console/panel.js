// panel.js — the side panel: bar lists, the weekday × hour matrix, the
// selected segment and the pilot's weekly sparkline. Pure rendering: the
// caller passes counts and callbacks.

import { WEEKDAYS_ZH, beforeAfter } from './data.js';
import { h, svg as s } from './dom.js';

export const PILOT_KINDS = { 'line-marking': '划线治理' };

export const fmt = (n) => Number(n).toLocaleString('zh-CN');

/** A Chinese name with its English name after it. */
export function bilingual(zh, en) {
  const span = h('span', 'bi');
  span.append(h('span', 'zh', zh));
  if (en) span.append(' ', h('span', 'en', en));
  return span;
}

/**
 * Bar rows: rows are {key, zh, en, count, color?, on?, note?}. With
 * onToggle, each row has a checkbox; with onClick, the name is a button.
 */
export function renderBars(box, rows, { onToggle, onClick, selected } = {}) {
  const max = Math.max(1, ...rows.map((r) => r.count));
  box.replaceChildren();
  for (const r of rows) {
    const row = h('div', 'bar-row' + (r.on === false ? ' off' : '') + (selected === r.key ? ' selected' : ''));
    const name = h(onToggle ? 'label' : 'div', 'name');
    if (onToggle) {
      const cb = h('input');
      cb.type = 'checkbox';
      cb.checked = r.on !== false;
      cb.addEventListener('change', () => onToggle(r.key, cb.checked));
      name.append(cb);
    }
    if (r.color) {
      const sw = h('span', 'swatch');
      sw.style.background = r.color;
      name.append(sw);
    }
    const label = bilingual(r.zh, r.en);
    if (r.note) label.append(' ', h('span', 'note', r.note));
    if (onClick) {
      const b = h('button', 'link');
      b.type = 'button';
      b.append(label);
      b.addEventListener('click', () => onClick(r.key));
      name.append(b);
    } else name.append(label);
    const bar = h('div', 'bar');
    const fill = h('div', 'fill');
    fill.style.width = (100 * r.count / max).toFixed(1) + '%';
    if (r.color) fill.style.background = r.color;
    bar.append(fill);
    row.append(name, h('span', 'count', fmt(r.count)), bar);
    box.append(row);
  }
  if (!rows.length) box.append(h('p', 'muted', '无数据 No data'));
}

/** The 7 × 24 matrix of counts, weekdays down and hours across. */
export function renderMatrix(box, matrix, ramp) {
  const cw = 13, ch = 15, left = 34, top = 16;
  const svg = s('svg', { width: left + 24 * cw + 2, height: top + 7 * ch + 22, class: 'matrix' });
  const max = Math.max(1, ...matrix.flat());
  for (let hr = 0; hr < 24; hr += 3) {
    s('text', { x: left + hr * cw + 1, y: top - 4, class: 'axis' }, svg).textContent = hr;
  }
  matrix.forEach((row, d) => {
    s('text', { x: 0, y: top + d * ch + ch - 4, class: 'axis' }, svg).textContent = '周' + WEEKDAYS_ZH[d];
    row.forEach((v, hr) => {
      const r = s('rect', {
        x: left + hr * cw, y: top + d * ch, width: cw - 1, height: ch - 1,
        fill: v ? ramp(v / max) : '#eef0f3',
      }, svg);
      s('title', {}, r).textContent = `周${WEEKDAYS_ZH[d]} ${hr}:00–${hr + 1}:00 · ${fmt(v)} 起`;
    });
  });
  s('text', { x: left, y: top + 7 * ch + 14, class: 'axis' }, svg).textContent =
    `小时 hour (UTC+8) · 最深 darkest = ${fmt(max)}`;
  box.replaceChildren(svg);
}

/** The selected segment: {road, seg, count, rank, of, cats:[[code,n]]}. */
export function renderSelection(box, sel, catName) {
  box.replaceChildren();
  if (!sel) {
    box.append(h('p', 'muted', '点击地图上的路段查看详情。Click a segment on the map.'));
    return;
  }
  const p = sel.road.props;
  const title = h('p', 'sel-title');
  title.append(bilingual(p.name, p.pinyin));
  if (p.approximate) title.append(h('span', 'tag approx', '(approximate / 示意)'));
  const seg = sel.road.segs.find((x) => x.index === sel.seg);
  const dl = h('dl', 'facts');
  const fact = (k, v) => dl.append(h('dt', null, k), h('dd', null, v));
  fact('路段 Segment', `#${sel.seg}`);
  if (seg) fact('里程 From–to', `${fmt(Math.round(seg.props.from_m))}–${fmt(Math.round(seg.props.to_m))} m`);
  fact('违法 Violations', `${fmt(sel.count)}（第 ${sel.rank} / ${sel.of} 名 rank）`);
  box.append(title, dl);
  const top = sel.cats.slice(0, 5).map(([code, n]) => ({ key: code, ...catName(code), count: n, color: catName(code).color }));
  if (top.length) {
    box.append(h('p', 'sub', '主要类别 Top categories'));
    const bars = h('div', 'bars');
    renderBars(bars, top);
    box.append(bars);
  }
}

const dateOf = (t) => new Date(t + 8 * 3600e3).toISOString().slice(0, 10);

/** A pilot's period as text; a zero-year end means still in force. */
export function pilotPeriod(pl) {
  const start = String(pl.start).slice(0, 10);
  const end = pl.end && !String(pl.end).startsWith('0001') ? String(pl.end).slice(0, 10) : '';
  return end ? `${start} – ${end}` : `${start} 起（进行中 in force）`;
}

/**
 * The pilot card: every road's pilots, and for the chosen road its weekly
 * counts as a sparkline with each pilot's start marked.
 */
export function renderPilot(box, { roads, road, series, onPick }) {
  box.replaceChildren();
  const withPilots = roads.filter((r) => (r.props.pilots || []).length);
  for (const r of withPilots) {
    for (const pl of r.props.pilots) {
      const line = h('p', 'pilot-line');
      const b = h('button', 'link');
      b.type = 'button';
      b.append(bilingual(r.props.name, r.props.pinyin));
      b.addEventListener('click', () => onPick(r.id));
      line.append('▲ ', b, ' · ', bilingual(PILOT_KINDS[pl.kind] || pl.kind, pl.kind), ' · ', pilotPeriod(pl));
      if (pl.note) line.append(h('span', 'note block', pl.note));
      box.append(line);
    }
  }
  if (!withPilots.length) box.append(h('p', 'muted', '暂无试点 No pilots recorded.'));
  if (!road) return;
  const head = h('p', 'sub');
  head.append('每周违法数 Weekly counts — ', bilingual(road.props.name, road.props.pinyin));
  box.append(head, sparkline(series, road.props.pilots || []));
  for (const pl of road.props.pilots || []) {
    const ba = beforeAfter(series, Date.parse(pl.start));
    const change = ba.before > 0 ? ((ba.after / ba.before - 1) * 100).toFixed(0) + '%' : '—';
    box.append(h('p', 'ba',
      `试点前 before: ${ba.before.toFixed(1)}/周 (${ba.nBefore} 周 wk) · 试点后 after: ${Number.isNaN(ba.after) ? '—' : ba.after.toFixed(1)}/周 (${ba.nAfter} 周 wk) · 变化 change ${change}`));
  }
  box.append(h('p', 'muted small',
    '原始周计数，未做对照（差异中的差异见 pilot evaluation）。Raw weekly counts under the category and source filters, all loaded months; not the difference-in-differences evaluation.'));
}

function sparkline(series, pilots) {
  const W = 330, H = 64, pad = 4;
  const svg = s('svg', { width: W, height: H + 14, class: 'spark' });
  if (!series.length) return svg;
  const max = Math.max(1, ...series.map((w) => w.count));
  const t0 = series[0].start, t1 = series[series.length - 1].start;
  const x = (t) => pad + (W - 2 * pad) * (t1 > t0 ? (t - t0) / (t1 - t0) : 0.5);
  const y = (v) => pad + (H - 2 * pad) * (1 - v / max);
  for (const pl of pilots) {
    const ps = Date.parse(pl.start);
    if (ps < t0 || ps > t1) continue;
    s('rect', { x: x(ps), y: 0, width: W - pad - x(ps), height: H, class: 'after' }, svg);
    s('line', { x1: x(ps), x2: x(ps), y1: 0, y2: H, class: 'start' }, svg);
    s('text', { x: x(ps) + 3, y: 10, class: 'axis' }, svg).textContent = '▲ 试点开始 start';
  }
  const pts = series.map((w) => `${x(w.start).toFixed(1)},${y(w.count).toFixed(1)}`).join(' ');
  s('polyline', { points: pts, class: 'line' }, svg);
  s('text', { x: pad, y: H + 12, class: 'axis' }, svg).textContent = dateOf(t0);
  s('text', { x: W - pad, y: H + 12, class: 'axis end' }, svg).textContent = `${dateOf(t1)} · 最高 max ${max}/周`;
  return svg;
}
