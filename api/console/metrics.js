// metrics.js — how each hexagon layer is coloured: a MapLibre fill-colour
// expression over the cells' properties, and the legend that explains it
// (rows of swatches with cell counts, and notes), from the same classes.

import { t, fmt } from './i18n.js';
import { num } from './analytics.js';

const CLEAR = 'rgba(0,0,0,0)';

// Gi* bins, hot (+3) to cold (−3); 0 is drawn as an outline only.
const BIN_STYLE = [
  { bin: 3, color: '#a50f15', conf: '99 %' }, { bin: 2, color: '#e34a33', conf: '95 %' },
  { bin: 1, color: '#fcae91', conf: '90 %' }, { bin: 0, color: null, conf: '' },
  { bin: -1, color: '#c6dbef', conf: '90 %' }, { bin: -2, color: '#6baed6', conf: '95 %' },
  { bin: -3, color: '#2171b5', conf: '99 %' },
];

// The outcomes of Emerging Hot Spot Analysis (docs/emerging.md), in legend
// order; "no pattern detected" cells are not returned.
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

/** An outcome in the page's language. */
export function outcomeLabel(o) {
  const info = OUTCOMES.get(o);
  return info ? t(info.zh, o) : String(o || '—');
}

const COUNT_RAMP = ['#fdd49e', '#fdae6b', '#f16913', '#d94801', '#8c2d04'];
const RATE_RAMP = ['#e0f3db', '#a8ddb5', '#7bccc4', '#43a2ca', '#0868ac'];
const FORECAST_RAMP = ['#efedf5', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f'];
const NO_PATROL = '#d5d8dc';

/** Up to `classes` class upper bounds from quantiles of the positive values. */
function quantileBreaks(values, classes = 5) {
  const xs = values.filter((v) => v > 0).sort((a, b) => a - b);
  const out = [];
  for (let i = 1; i <= classes && xs.length; i++) {
    const v = xs[Math.min(xs.length - 1, Math.ceil((i / classes) * xs.length) - 1)];
    if (!out.length || v > out[out.length - 1]) out.push(v);
  }
  return out;
}

/**
 * Classes of a positive property: zero (or missing) is clear, then
 * (0, b0], (b0, b1], … each in its ramp colour. Integer counts read
 * 1–b0, b0+1–b1; other values lo–hi.
 */
function ramped(prop, values, ramp, integer) {
  const breaks = quantileBreaks(values, ramp.length);
  const expr = ['step', ['to-number', ['get', prop], 0], CLEAR];
  const rows = [];
  let lo = integer ? 1 : 0;
  breaks.forEach((b, i) => {
    expr.push(i === 0 ? (integer ? 1 : 1e-9) : (integer ? breaks[i - 1] + 1 : breaks[i - 1] + 1e-9), ramp[i]);
    rows.push({ color: ramp[i], text: integer ? (lo === b ? fmt(b) : `${fmt(lo)}–${fmt(b)}`) : `${num(lo)}–${num(b)}` });
    lo = integer ? b + 1 : b;
  });
  return { fill: breaks.length ? expr : CLEAR, rows };
}

const tally = (feats, key) => {
  const n = new Map();
  for (const f of feats) n.set(key(f.properties), (n.get(key(f.properties)) || 0) + 1);
  return n;
};

/**
 * How a metric's answer is drawn: {fill} a fill-colour expression, and
 * the legend {title, rows: [{color, cls, text, n}], notes}.
 */
export function metricStyle(metric, doc) {
  const feats = doc.features || [];
  const P = doc.parameters || {};
  if (metric === 'gistar') {
    const n = tally(feats, (p) => p.bin);
    return {
      fill: ['match', ['to-number', ['get', 'bin'], 0], ...BIN_STYLE.filter((b) => b.color).flatMap((b) => [b.bin, b.color]), CLEAR],
      title: t('Gi* 热点（按置信度分级）', 'Gi* hot spots by confidence'),
      rows: BIN_STYLE.map((b) => ({ color: b.color, cls: b.color ? '' : 'outline', n: n.get(b.bin) || 0,
        text: `${b.bin > 0 ? '+' : ''}${b.bin} ${b.bin > 0 ? t('热点', 'hot spot') : b.bin < 0 ? t('冷点', 'cold spot') : t('不显著', 'not significant')} ${b.conf}` })),
      notes: [
        t('置信度 99/95/90 % 即双侧正态 p < 0.01/0.05/0.10；冷点为低值聚集。', 'Confidence 99/95/90 % = two-sided normal p < 0.01/0.05/0.10; cold = low values clustered.'),
        P.gistar && P.gistar.fdr ? t('分级已按 Benjamini–Hochberg 做 FDR 校正。', 'Bins corrected for false discovery rate (Benjamini–Hochberg).')
          : t('未做 FDR 校正。', 'No FDR correction.'),
      ],
    };
  }
  if (metric === 'emerging') {
    const present = P.outcomes || {};
    const shown = [...OUTCOMES.entries()].filter(([o, info]) => info.color && present[o]);
    return {
      fill: shown.length ? ['match', ['get', 'outcome'], ...shown.flatMap(([o, info]) => [o, info.color]), CLEAR] : CLEAR,
      title: t('新兴热点（逐周 Gi* + Mann–Kendall，全时段）', 'Emerging hot spots (weekly Gi* + Mann–Kendall, whole span)'),
      rows: shown.map(([o, info]) => ({ color: info.color, text: t(info.zh, o), n: present[o] })),
      notes: [
        shown.length ? '' : t('本时段无新兴模式。', 'No emerging pattern in the span.'),
        t(`无模式 ${fmt(present['no pattern detected'] || 0)} 格（不绘制）· 规则见 docs/emerging.md`,
          `no pattern: ${fmt(present['no pattern detected'] || 0)} cells (not drawn) · rules: docs/emerging.md`),
      ].filter(Boolean),
    };
  }
  if (metric === 'forecast') {
    const r = ramped('expected', feats.map((f) => f.properties.expected), FORECAST_RAMP, false);
    const w = P.week || {};
    return { fill: r.fill, rows: r.rows,
      title: t(`下周预计违法数（${String(w.start || '').slice(0, 10)} 起一周）`, `Violations expected in the week from ${String(w.start || '').slice(0, 10)}`),
      notes: [t('预测读取此前各整周，不随时间滑块变化；可信度见“这张图有多可信”。', 'The forecast reads every whole week before; the slider does not change it. See "How far to trust this map".')] };
  }
  if (metric === 'rate') {
    const r = ramped('rate', feats.map((f) => f.properties.rate ?? 0), RATE_RAMP, false);
    const fill = ['case', ['==', ['typeof', ['get', 'rate']], 'number'], r.fill, NO_PATROL];
    const rows = r.rows.map((row) => ({ ...row, text: row.text + t(' 起/巡查小时', ' per patrol hour') }));
    rows.push({ color: NO_PATROL, text: t('无巡查（仅有投诉）', 'no patrol, complaints only') });
    return { fill, rows, title: t('巡查发现率（经验贝叶斯平滑）', 'Violations per patrol hour (empirical Bayes)'),
      notes: [t('发现率经全局经验贝叶斯平滑（Marshall 1991）。', 'Rates smoothed by global empirical Bayes (Marshall 1991).')] };
  }
  const r = ramped('count', feats.map((f) => f.properties.count), COUNT_RAMP, true);
  return { fill: r.fill, rows: r.rows, title: t('每格违法数', 'Violations per cell'),
    notes: [t('空白格：本时段无违法。', 'Clear cells: no violation in the window.')] };
}

/** The blind-spot overlay's legend row and note, from the rate answer. */
export function blindLegend(doc) {
  const P = (doc && doc.parameters) || {};
  const n = P.blind_spot_cells ?? (doc ? (doc.features || []).filter((f) => f.properties.blind_spot).length : null);
  return {
    row: { color: null, cls: 'blind', n, text: t('盲区：投诉多、巡查少', 'blind spot: many complaints, little patrol') },
    note: t('盲区 = 投诉（12345 热线、市民上报）≥ 3 且居前 25 %，巡查时长居后 25 %。',
      'Blind spot = complaints (hotline, citizen) ≥ 3 and in the top quarter, patrol hours in the bottom quarter.'),
  };
}
