// legend.js — the map's legend: the hexagon layer's classes with cell
// counts and notes (metrics.js), the overlays that are on, the key roads'
// line styles (approximate ones dashed, 示意), and the parameters that
// reproduce the answer, in small print.

import { h } from './dom.js';
import { t, fmt } from './i18n.js';
import { num } from './analytics.js';
import { ZONE_KINDS } from './zones.js';

function swatchRow(box, { color, cls, text, n }) {
  const row = h('div', 'legend-row');
  const sw = h('span', 'swatch hexsw' + (cls ? ' ' + cls : ''));
  if (color) sw.style.background = color;
  row.append(sw, h('span', null, text));
  if (n != null) row.append(h('span', 'legend-n', fmt(n)));
  box.append(row);
}

function lineRow(box, cls, text) {
  const row = h('div', 'legend-row');
  row.append(h('span', 'line-sample ' + cls), h('span', null, text));
  box.append(row);
}

/**
 * The legend: layer is {title, rows, notes} or {pending, error}; params
 * the answer's parameters; overlays {blind, zones, tracks, points}.
 */
export function renderLegend(box, { layer, params, url, overlays }) {
  box.replaceChildren();
  const body = h('div', 'legend-body');
  const toggle = h('button', 'legend-toggle small', t('图例', 'Legend'));
  toggle.type = 'button';
  toggle.setAttribute('aria-expanded', String(!box.classList.contains('collapsed')));
  toggle.addEventListener('click', () => {
    box.classList.toggle('collapsed');
    toggle.setAttribute('aria-expanded', String(!box.classList.contains('collapsed')));
  });
  box.append(toggle, body);
  body.append(h('div', 'legend-title', layer.title));
  if (layer.pending) {
    body.append(h('div', layer.error ? 'legend-note err' : 'legend-note',
      layer.error ? t('加载失败：', 'Failed: ') + layer.error : layer.note || t('计算中…', 'Computing…')));
  } else {
    for (const r of layer.rows) swatchRow(body, r);
    for (const n of layer.notes) body.append(h('div', 'legend-note', n));
  }
  if (overlays.blind) { swatchRow(body, overlays.blind.row); body.append(h('div', 'legend-note', overlays.blind.note)); }
  if (overlays.zones) {
    body.append(h('div', 'legend-title sub', t('划线试点候选', 'Line-marking pilot zones')));
    for (const z of Object.values(ZONE_KINDS)) swatchRow(body, { color: z.color, text: t(z.zh, z.en) });
  }
  body.append(h('div', 'legend-title sub', t('重点道路', 'Key roads')));
  lineRow(body, 'solid', t('实测', 'surveyed'));
  lineRow(body, 'dashed', t('示意：未经实测，请以街道办测绘替换', 'approximate (示意): not surveyed, replace with the street office\'s survey'));
  if (overlays.tracks) lineRow(body, 'track', t('巡查员 GPS 轨迹', 'officer\'s GPS track'));
  if (overlays.points) body.append(h('div', 'legend-note', overlays.points));
  if (params) renderParams(body, params, url);
}

/** The window of an answer's parameters, as local dates and hours. */
function windowText(P) {
  const w = (x) => String(x).slice(0, 16).replace('T', ' ');
  if (P.bins) return `${w(P.bins.start)} – ${w(P.bins.end)}, ${P.bins.n} × ${P.bins.step_hours} h`;
  if (P.week) return `${w(P.week.start)} – ${w(P.week.end)}`;
  if (P.from) return `${w(P.from)} – ${w(P.to)}`;
  return '—';
}

/** The parameters that reproduce an answer: window, resolution, k, study area, n. */
function renderParams(box, P, url) {
  const parts = [`${t('窗口', 'window')} ${windowText(P)} (UTC+8)`, `res ${P.res} · k ${P.k}`];
  if (P.study_area) parts.push(t(`研究区 ${fmt(P.study_area.cells)} 格 / ${P.study_area.km2} km²`, `study area ${fmt(P.study_area.cells)} cells / ${P.study_area.km2} km²`));
  if (P.gistar) parts.push(`n = ${fmt(P.gistar.n)} · Σ ${fmt(P.gistar.events)} · x̄ ${num(P.gistar.mean)} · S ${num(P.gistar.sd)}`);
  if (P.eb) parts.push(`EB m = ${num(P.eb.mean_rate, 3)} · a = ${num(P.eb.between_cell_variance, 3)}`);
  if (P.crs && P.crs !== 'wgs84') parts.push(t(`坐标已换算为 ${P.crs.toUpperCase()}（与底图一致）`, `coordinates in ${P.crs.toUpperCase()}, the basemap's datum`));
  const p = h('div', 'legend-params', parts.join(' · '));
  if (url) {
    const d = h('details', 'legend-url');
    d.append(h('summary', null, t('请求', 'Request')), h('code', null, decodeURIComponent(url)));
    p.append(d);
  }
  box.append(p);
}
