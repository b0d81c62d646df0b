// panel.js — the side panel's plain parts: bar lists (the filters, a
// cell's categories), the selected segment's card and the pilots list.
// Pure rendering: the caller passes counts and callbacks.

import { h } from './dom.js';
import { t, fmt, placeName } from './i18n.js';

const PILOT_KINDS = { 'line-marking': ['划线治理', 'line-marking'] };

/**
 * Bar rows: rows are {key, name, count, color?, on?, note?}; a null count
 * draws no bar. With onToggle, each row has a checkbox; with onClick, the
 * name is a button.
 */
export function renderBars(box, rows, { onToggle, onClick, selected } = {}) {
  const max = Math.max(1, ...rows.map((r) => r.count || 0));
  box.replaceChildren();
  for (const r of rows) {
    const row = h('div', 'bar-row' + (r.on === false ? ' off' : '') + (selected === r.key ? ' selected' : ''));
    const name = h(onToggle ? 'label' : 'div', 'name');
    if (onToggle) {
      const cb = h('input');
      cb.type = 'checkbox';
      cb.checked = r.on !== false;
      cb.value = r.key;
      cb.addEventListener('change', () => onToggle(r.key, cb.checked));
      name.append(cb);
    }
    if (r.color) {
      const sw = h('span', 'swatch');
      sw.style.background = r.color;
      name.append(sw);
    }
    const label = h('span', 'bar-name', r.name);
    if (r.note) label.append(' ', h('span', 'note', r.note));
    if (onClick) {
      const b = h('button', 'link');
      b.type = 'button';
      b.append(label);
      b.addEventListener('click', () => onClick(r.key));
      name.append(b);
    } else name.append(label);
    row.append(name, h('span', 'count', r.count == null ? '' : fmt(r.count)));
    if (r.count != null) {
      const bar = h('div', 'bar');
      const fill = h('div', 'fill');
      fill.style.width = (100 * r.count / max).toFixed(1) + '%';
      if (r.color) fill.style.background = r.color;
      bar.append(fill);
      row.append(bar);
    }
    box.append(row);
  }
  if (!rows.length) box.append(h('p', 'muted', t('无数据', 'No data')));
}

/**
 * The selected segment: road and seg (roads.js), the ranking's figures of
 * it (rank: {segment, road} or null), and the category rows.
 */
export function renderSelection(box, sel, { facts, cats }) {
  box.replaceChildren();
  if (!sel) {
    box.append(h('p', 'muted', t('点击地图上的路段或排名中的路段查看详情。', 'Click a segment on the map or in the ranking.')));
    return;
  }
  const p = sel.road.props;
  const title = h('p', 'sel-title', placeName(p.name, p.pinyin));
  if (p.approximate) title.append(h('span', 'tag approx', t('（示意）', '(approximate, 示意)')));
  const dl = h('dl', 'facts');
  const fact = (k, v) => dl.append(h('dt', null, k), h('dd', null, v));
  fact(t('路段', 'Segment'), `#${sel.seg.index}`);
  fact(t('里程', 'From–to'), `${fmt(Math.round(sel.seg.props.from_m))}–${fmt(Math.round(sel.seg.props.to_m))} m`);
  for (const [k, v] of facts) fact(k, v);
  box.append(title, dl);
  if (cats.length) {
    box.append(h('p', 'sub', t('主要类别', 'Top categories')));
    const bars = h('div', 'bars');
    renderBars(bars, cats.slice(0, 5));
    box.append(bars);
  }
}

/** A pilot's period as text; a zero-year end means still in force. */
function pilotPeriod(pl) {
  const start = String(pl.start).slice(0, 10);
  const end = pl.end && !String(pl.end).startsWith('0001') ? String(pl.end).slice(0, 10) : '';
  return end ? `${start} – ${end}` : t(`${start} 起（进行中）`, `since ${start} (in force)`);
}

/** Every road's pilots; clicking a road picks it for the evaluation below. */
export function renderPilot(box, { roads, road, onPick }) {
  box.replaceChildren();
  const withPilots = roads.filter((r) => (r.props.pilots || []).length);
  for (const r of withPilots) {
    for (const pl of r.props.pilots) {
      const line = h('p', 'pilot-line' + (road && road.id === r.id ? ' selected' : ''));
      const b = h('button', 'link', placeName(r.props.name, r.props.pinyin));
      b.type = 'button';
      b.addEventListener('click', () => onPick(r.id));
      const kind = PILOT_KINDS[pl.kind];
      line.append('▲ ', b, ' · ', kind ? t(...kind) : pl.kind, ' · ', pilotPeriod(pl));
      if (pl.note) line.append(h('span', 'note block', pl.note));
      box.append(line);
    }
  }
  if (!withPilots.length) box.append(h('p', 'muted', t('暂无试点。', 'No pilots recorded.')));
}
