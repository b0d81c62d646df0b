// plan.js — the patrol-plan card: a day's plan from
// /api/v1/recommendations/patrol as a table (printable), its visits as
// numbered markers on the map, and the CSV and iCalendar downloads.

import { h } from './dom.js';
import { t, fmt } from './i18n.js';
import { num } from './analytics.js';
import { OUTCOMES } from './metrics.js';

export const DEFAULT_PLAN = { shifts: '07:00-11:00,16:00-20:00', officers: 2, visit: 15 };

/** Tomorrow's date in Tianjin (UTC+8) as YYYY-MM-DD. */
export function tomorrow(now = Date.now()) {
  return new Date(now + 8 * 3600e3 + 86400e3).toISOString().slice(0, 10);
}

/** The plan route for the form's values, in format json, csv or ics, its points in datum crs. */
export function planURL(v, format = 'json', crs = 'wgs84') {
  const q = new URLSearchParams({ date: v.date, shifts: v.shifts, officers: String(v.officers), visit_minutes: String(v.visit) });
  if (format !== 'json') q.set('format', format);
  if (crs !== 'wgs84') q.set('crs', crs);
  return '/api/v1/recommendations/patrol?' + q;
}

const clock = (s) => String(s).slice(11, 16);

/** The plan form; onSubmit gets {date, shifts, officers, visit}. */
export function renderPlanForm(box, values, onSubmit) {
  const form = h('form', 'plan-form');
  const field = (zh, en, input) => {
    const l = h('label', null, t(zh, en));
    l.append(input);
    return l;
  };
  const date = h('input');
  Object.assign(date, { type: 'date', value: values.date, required: true });
  const shifts = h('input');
  Object.assign(shifts, { type: 'text', value: values.shifts, required: true, spellcheck: false, size: 20 });
  shifts.pattern = '\\d{2}:\\d{2}-\\d{2}:\\d{2}(,\\d{2}:\\d{2}-\\d{2}:\\d{2})*';
  shifts.title = 'HH:MM-HH:MM,…';
  const officers = h('input');
  Object.assign(officers, { type: 'number', min: 1, max: 200, value: values.officers, required: true });
  const visit = h('select');
  for (let m = 10; m <= 15; m++) visit.append(new Option(`${m} min`, String(m), false, m === values.visit));
  const go = h('button', null, t('生成', 'Plan'));
  go.type = 'submit';
  form.append(field('日期', 'Date', date), field('班次', 'Shifts', shifts), field('每班人数', 'Officers per shift', officers),
    field('每次', 'Visit', visit), go);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    onSubmit({ date: date.value, shifts: shifts.value.trim(), officers: Number(officers.value), visit: Number(visit.value) });
  });
  box.replaceChildren(form);
}

/** Visits in plan order (start, then officer), each with its number. */
export function numbered(doc) {
  const vs = [...((doc && doc.visits) || [])];
  vs.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.officer - b.officer));
  return vs.map((v, i) => ({ ...v, n: i + 1 }));
}

/** One marker per planned segment, labelled with its visits' numbers. */
export function planMarkers(doc) {
  const bySeg = new Map();
  for (const v of numbered(doc)) {
    const k = v.road + '#' + v.segment;
    if (!bySeg.has(k)) bySeg.set(k, { road: v.road, seg: v.segment, lon: v.lon, lat: v.lat, visits: [] });
    bySeg.get(k).visits.push(v);
  }
  return [...bySeg.values()].map((m) => ({
    ...m,
    label: m.visits.length <= 2 ? m.visits.map((v) => v.n).join(',') : `${m.visits[0].n}+${m.visits.length - 1}`,
    title: `${m.visits[0].road_name} #${m.seg} · ` + m.visits.map((v) => `${v.n}. ${clock(v.start)}–${clock(v.end)} ${t('巡查员', 'officer')} ${v.officer}`).join(' · '),
  }));
}

/** Short tags for why a visit is in the plan. */
function tags(v) {
  const w = v.why || {};
  const out = [];
  if (v.peak) out.push(['peak', t('高峰', 'peak')]);
  if (v.key_minimum) out.push(['key', t('重点路保底', 'key-road minimum')]);
  if (w.gistar_bin >= 2) out.push(['hot', `${t('热点', 'hot')} Gi* +${w.gistar_bin}`]);
  const em = OUTCOMES.get(w.emerging);
  if (em && em.color && w.emerging.endsWith('hot spot')) out.push(['em', t(em.zh, w.emerging)]);
  if (w.blind_spot) out.push(['blind', t('盲区', 'blind spot')]);
  return out;
}

/**
 * The plan: state is {doc, error, loading}; selected is {road, seg} or
 * null; onSelect(road, seg); onPrint(); onDownload(format).
 */
export function renderPlan(box, state, { selected, onSelect, onPrint, onDownload }) {
  box.replaceChildren();
  if (state.loading) { box.append(h('p', 'muted', t('计算中…', 'Computing…'))); return; }
  if (state.error) {
    box.append(h('p', 'muted', state.forbidden
      ? t('巡查计划需调度员密钥（scheduler）。', 'The patrol plan needs a scheduler key.')
      : t('加载失败：', 'Failed: ') + state.error));
    return;
  }
  const d = state.doc;
  if (!d) return;
  const share = d.best_possible > 0 ? Math.round(100 * d.covered / d.best_possible) : 0;
  box.append(h('p', 'plan-title', `${d.date} · ${t(`${(d.officers || []).length} 人次 · ${(d.visits || []).length} 次巡查`,
    `${(d.officers || []).length} officer slots · ${(d.visits || []).length} visits`)}`));
  const sum = h('p', 'plan-sum');
  sum.append(t(`预算 ${fmt(d.budget_minutes)} 分钟 · 已用 ${num(d.used_minutes, 0)} 分钟（巡查 ${num(d.visit_minutes, 0)} + 步行 ${num(d.travel_minutes, 0)}）`,
    `budget ${fmt(d.budget_minutes)} min · used ${num(d.used_minutes, 0)} min (visits ${num(d.visit_minutes, 0)} + walking ${num(d.travel_minutes, 0)})`),
  h('br'), t(`覆盖预计违法 ${num(d.covered, 1)} / 最佳可能 ${num(d.best_possible, 1)}（${share} %）· 重点道路 ${Math.round(100 * (d.key_road_share || 0))} % · 随机种子 ${d.seed}`,
    `expected covered ${num(d.covered, 1)} of best possible ${num(d.best_possible, 1)} (${share} %) · key roads ${Math.round(100 * (d.key_road_share || 0))} % · seed ${d.seed}`));
  const tools = h('div', 'plan-tools');
  const btn = (text, fn) => { const b = h('button', 'small', text); b.type = 'button'; b.addEventListener('click', fn); return b; };
  tools.append(btn(t('打印', 'Print'), onPrint), btn(t('CSV 表格', 'CSV'), () => onDownload('csv')), btn(t('iCal 日历', 'iCal'), () => onDownload('ics')));
  box.append(sum, tools);
  const table = h('table', 'plan-table');
  const head = h('tr');
  for (const [zh, en] of [['#', '#'], ['时间', 'Time'], ['巡查员', 'Officer'], ['路段', 'Segment'], ['预计', 'Expected']]) {
    head.append(h('th', null, t(zh, en)));
  }
  table.append(head);
  for (const v of numbered(d)) {
    const tr = h('tr', 'visit');
    const sel = selected && selected.road === v.road && selected.seg === v.segment;
    const seg = h('button', 'link', `${v.road_name} #${v.segment}`);
    seg.type = 'button';
    seg.title = `${fmt(Math.round(v.from_m))}–${fmt(Math.round(v.to_m))} m · ${t('在地图上选中', 'select on the map')}`;
    seg.addEventListener('click', () => onSelect(v.road, v.segment));
    const segCell = h('td', 'seg');
    segCell.append(seg);
    tr.append(h('td', 'n', String(v.n)), h('td', 'time', `${clock(v.start)}–${clock(v.end)}`), h('td', 'off', String(v.officer)),
      segCell, h('td', 'exp', num(v.expected, 1)));
    const why = h('td', 'why');
    why.colSpan = 5;
    for (const [cls, text] of tags(v)) why.append(h('span', 'vtag ' + cls, text));
    why.append(h('span', 'reason', v.reason));
    why.title = v.reason;
    const tr2 = h('tr', 'visit-why');
    tr2.append(why);
    if (sel) { tr.classList.add('selected'); tr2.classList.add('selected'); }
    table.append(tr, tr2);
  }
  const wrap = h('div', 'plan-scroll');
  wrap.append(table);
  box.append(wrap);
  const P = d.parameters || {};
  box.append(h('p', 'muted small', t(
    `收益：${P.benefit || ''} · p = ${P.p} · 步行 ${P.walk_m_per_min} 米/分钟 · 每段每日至多 ${P.max_per_day} 次。计划供调度参考，顺序按种子随机（可预测的巡查可被规避）。docs/recommendations.md`,
    `benefit: ${P.benefit || ''} · p = ${P.p} · walking ${P.walk_m_per_min} m/min · at most ${P.max_per_day} a day per segment. A plan to weigh, not an order; visit times are drawn from the seed (predictable patrols are avoidable). docs/recommendations.md`)));
}
