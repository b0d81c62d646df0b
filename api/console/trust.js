// trust.js — "how far to trust this map": the backtest (GET
// /api/v1/backtest) of the weekly forecast against its baselines, as the
// PAI-by-area curve of each (how many times more violations the flagged
// cells hold than their share of the area), with the forecast's hit rate
// at 5 % of the cells in words.

import { h, svg as s } from './dom.js';
import { t, fmt } from './i18n.js';
import { num } from './analytics.js';

const MODELS = {
  forecast: ['预测', 'forecast', '#d7301f'], last4: ['近四周', 'last 4 weeks', '#3182bd'],
  kde8: ['核密度 8 周', 'kernel density, 8 weeks', '#31a354'], alltime: ['全部历史', 'all weeks', '#756bb1'],
  ewma: ['指数加权', 'exponentially weighted', '#e6a100'],
};
const model = (name) => MODELS[name] || [name, name, '#888'];

/** The card: slot is {doc, error, forbidden}. */
export function renderTrust(box, slot) {
  box.replaceChildren();
  if (!slot.doc) {
    box.append(h('p', 'muted', slot.error ? t('加载失败：', 'Failed: ') + slot.error : t('回测中…', 'Backtesting…')));
    return;
  }
  const d = slot.doc;
  const models = d.models || [];
  const fc = models.find((m) => m.name === 'forecast');
  if (fc && fc.hit_rate) {
    const hit = Math.round(100 * (fc.hit_rate['5'] || 0));
    box.append(h('p', 'trust-lead', t(
      `过去 ${d.test_weeks} 周回测：标记预测最高的 5 % 格子，覆盖了当周 ${hit} % 的违法（PAI ${num(fc.pai['5'], 1)}，即随机选格的 ${num(fc.pai['5'], 1)} 倍）。`,
      `Backtest over the last ${d.test_weeks} weeks: the 5 % of cells the forecast ranked highest held ${hit} % of that week's violations (PAI ${num(fc.pai['5'], 1)}: ${num(fc.pai['5'], 1)} times a random pick).`)));
  }
  box.append(chart(models));
  const legend = h('div', 'trust-legend');
  for (const m of models) {
    const [zh, en, color] = model(m.name);
    const row = h('span', 'trust-key');
    const sw = h('span', 'swatch');
    sw.style.background = color;
    row.append(sw, t(zh, en));
    row.title = m.method || '';
    legend.append(row);
  }
  box.append(legend, h('p', 'muted small', t(
    `横轴：标记的研究区格子占比（对数）；纵轴：PAI = 命中率 ÷ 面积占比。研究区 ${fmt(d.cells)} 格。定义见 docs/forecast.md`,
    `Across: share of the study area's ${fmt(d.cells)} cells flagged (log); up: PAI = hit rate ÷ area share. Definitions: docs/forecast.md`)));
}

/** PAI against the flagged share of the area, one line per model, the forecast on top. */
function chart(models) {
  const W = 330, H = 150, L = 30, R = 8, T = 8, B = 20;
  const svg = s('svg', { width: W, height: H, class: 'trust-chart', role: 'img' });
  const curves = models.filter((m) => (m.pai_curve || []).length);
  if (!curves.length) return svg;
  const all = curves.flatMap((m) => m.pai_curve);
  const x0 = Math.log10(Math.min(...all.map((p) => p.area_pct))), x1 = Math.log10(100);
  const yMax = Math.max(1, ...all.map((p) => p.pai));
  const x = (a) => L + (W - L - R) * ((Math.log10(a) - x0) / ((x1 - x0) || 1));
  const y = (v) => T + (H - T - B) * (1 - v / yMax);
  s('line', { x1: L, x2: W - R, y1: y(1), y2: y(1), class: 'one' }, svg);
  for (const a of [1, 5, 10, 100]) {
    if (Math.log10(a) < x0) continue;
    s('text', { x: x(a), y: H - 6, class: a === 100 ? 'axis end' : 'axis mid' }, svg).textContent = `${a} %`;
  }
  for (const v of [1, Math.round(yMax)]) s('text', { x: L - 4, y: y(v) + 3, class: 'axis end' }, svg).textContent = String(v);
  const order = [...curves.filter((m) => m.name !== 'forecast'), ...curves.filter((m) => m.name === 'forecast')];
  for (const m of order) {
    const pts = m.pai_curve.map((p) => `${x(p.area_pct).toFixed(1)},${y(p.pai).toFixed(1)}`).join(' ');
    const line = s('polyline', { points: pts, class: 'curve' + (m.name === 'forecast' ? ' main' : '') }, svg);
    line.style.stroke = model(m.name)[2];
    s('title', {}, line).textContent = `${t(model(m.name)[0], model(m.name)[1])}: ` +
      m.pai_curve.map((p) => `${p.area_pct} % → ${num(p.pai, 1)}`).join(', ');
  }
  svg.setAttribute('aria-label', t('各模型 PAI 随面积占比变化曲线', 'PAI by share of area flagged, per model'));
  return svg;
}
