// evaluation.js — the pilot evaluation in the pilot card
// (/api/v1/pilots/{road}/evaluation): the difference-in-differences effect
// with the interval the answer recommends, the event study's leads and lags
// with their 95 % intervals as a chart, the pre-trend test, and the weekly
// series of the pilot road against its controls.

import { h, svg as s } from './dom.js';
import { t, fmt } from './i18n.js';
import { num } from './analytics.js';

/** The evaluation section: slot is {doc, error, forbidden} or null. */
export function renderEvaluation(box, slot) {
  box.replaceChildren();
  if (!slot) return;
  if (!slot.doc) {
    box.append(slot.error ? h('p', 'muted failed', t('评估失败：', 'Evaluation failed: ') + slot.error) : h('p', 'muted loading', t('评估中…', 'Evaluating…')));
    return;
  }
  const d = slot.doc;
  box.append(h('p', 'sub', t('差异中的差异（店前类别）', 'Difference in differences (shop-front categories)')));
  const rel = d.relative_effect == null ? '' : `（${Math.round(100 * d.relative_effect)} %）`;
  const effect = h('p', 'eval-effect');
  effect.append(h('strong', null, `${num(d.effect)} ${t('起/路段·周', 'per segment-week')}`), rel, h('br'),
    `${t('95 % 区间', '95 % interval')} ${interval(d.ci95)} (wild bootstrap) · CR1 ${interval(d.twfe && d.twfe.ci95_cr1)}`);
  box.append(effect);
  const known = d.pre_trend_p != null, warn = known && d.pre_trend_p < 0.1;
  box.append(h('p', warn ? 'eval-pretrend warn' : 'eval-pretrend',
    `${t('试点前趋势检验', 'pre-trend test')} p = ${num(d.pre_trend_p, 3)}` +
    (!known ? t(' — 无法检验', ' — could not be tested')
      : warn ? t(' — 试点前两组已有差异，结论需谨慎', ' — the groups diverged before the start: read with care')
        : t(' — 试点前两组同步', ' — no sign of diverging before the start'))));
  box.append(h('p', 'muted small', t(
    `${(d.treated_segments || []).length} 试点路段 · ${(d.control_segments || []).length} 对照路段 · 试点前 ${d.weeks_before} 周 · 试点后 ${d.weeks_after} 周 · 开始 ${d.start}`,
    `${(d.treated_segments || []).length} treated · ${(d.control_segments || []).length} control segments · ${d.weeks_before} weeks before · ${d.weeks_after} after · start ${d.start}`)));
  box.append(h('p', 'sub', t('事件研究（相对开始的周，95 % 区间）', 'Event study (weeks from the start, 95 % intervals)')), eventChart(d.event_study));
  box.append(h('p', 'sub', t('每路段周均', 'Weekly mean per segment')), seriesChart(d.series || [], d.start));
  box.append(h('p', 'muted small', d.trust || ''));
}

const interval = (a) => (a ? `[${num(a[0])}, ${num(a[1])}]` : '—');

/** Leads and lags as points with interval whiskers; the reference week at zero. */
function eventChart(es) {
  const W = 330, H = 150, L = 34, R = 6, T = 8, B = 22;
  const svg = s('svg', { width: W, height: H, class: 'event-chart' });
  // Leads and lags that could not be estimated (null) are left out, not drawn as zero.
  const pts = ((es && es.effects) || []).filter((p) => p.delta != null && p.lo != null && p.hi != null);
  if (!pts.length) return svg;
  pts.push({ event: es.reference_week, delta: 0, lo: 0, hi: 0, ref: true });
  pts.sort((a, b) => a.event - b.event);
  const e0 = pts[0].event, e1 = pts[pts.length - 1].event;
  const lo = Math.min(0, ...pts.map((p) => p.lo)), hi = Math.max(0, ...pts.map((p) => p.hi));
  const x = (e) => L + (W - L - R) * (e1 > e0 ? (e - e0) / (e1 - e0) : 0.5);
  const y = (v) => T + (H - T - B) * (hi > lo ? (hi - v) / (hi - lo) : 0.5);
  s('line', { x1: L, x2: W - R, y1: y(0), y2: y(0), class: 'zero' }, svg);
  const xs = x(-0.5);
  s('line', { x1: xs, x2: xs, y1: T, y2: H - B, class: 'start' }, svg);
  s('text', { x: xs + 3, y: T + 8, class: 'axis' }, svg).textContent = t('▲ 开始', '▲ start');
  for (const v of [lo, hi]) s('text', { x: L - 4, y: y(v) + 3, class: 'axis end' }, svg).textContent = num(v, 1);
  s('text', { x: L - 4, y: y(0) + 3, class: 'axis end' }, svg).textContent = '0';
  for (const p of pts) {
    const cx = x(p.event);
    if (!p.ref) s('line', { x1: cx, x2: cx, y1: y(p.lo), y2: y(p.hi), class: 'ci' }, svg);
    const c = s('circle', { cx, cy: y(p.delta), r: 3, class: p.ref ? 'ref' : p.event < 0 ? 'lead' : 'lag' }, svg);
    s('title', {}, c).textContent = p.ref ? t(`参照周 ${p.event}`, `reference week ${p.event}`)
      : `${t('第', 'week')} ${p.event}${t(' 周', '')}: ${num(p.delta)} [${num(p.lo)}, ${num(p.hi)}]`;
    if (p.event % 2 === 0) s('text', { x: cx, y: H - 8, class: 'axis mid' }, svg).textContent = String(p.event);
  }
  return svg;
}

/** The treated and control weekly means as two lines, the start marked. */
function seriesChart(series, start) {
  const W = 330, H = 80, pad = 4;
  const svg = s('svg', { width: W, height: H + 14, class: 'spark eval-series' });
  if (!series.length) return svg;
  const max = Math.max(1, ...series.flatMap((w) => [w.treated, w.control]));
  const x = (i) => pad + (W - 2 * pad) * (series.length > 1 ? i / (series.length - 1) : 0.5);
  const y = (v) => pad + (H - 2 * pad) * (1 - v / max);
  const i0 = series.findIndex((w) => String(w.start).slice(0, 10) >= start);
  if (i0 > 0) s('line', { x1: x(i0), x2: x(i0), y1: 0, y2: H, class: 'start' }, svg);
  for (const k of ['control', 'treated']) {
    s('polyline', { points: series.map((w, i) => `${x(i).toFixed(1)},${y(w[k]).toFixed(1)}`).join(' '), class: 'line ' + k }, svg);
  }
  s('text', { x: pad, y: H + 12, class: 'axis' }, svg).textContent = t('— 试点路', '— pilot road');
  s('text', { x: W / 2, y: H + 12, class: 'axis control-label' }, svg).textContent = t('— 对照', '— controls');
  s('text', { x: W - pad, y: H + 12, class: 'axis end' }, svg).textContent = `${t('最高', 'max')} ${fmt(Math.round(max))}`;
  return svg;
}
