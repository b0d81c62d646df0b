// app.js — the supervisor console: key handling, readiness, loading the
// roads, categories and the last 12 months of violations, and wiring the
// map, its layers (analytics.js) and the side panel to the filters.

import {
  ApiError, takeKeyFromFragment, getKey, setKey, clearKey, getJSON, download, readiness, loadViolations, MAX_PAGES, PAGE_LIMIT,
} from './api.js';
import {
  SOURCES, toRecords, monthsOf, emptyFilter, aggregate, segKey, segmentCategories, weeklySeries,
  quantileBreaks, classOf, passes,
} from './data.js';
import { RoadMap } from './map.js';
import { renderBars, renderMatrix, renderSelection, renderPilot, fmt } from './panel.js';
import {
  LAYERS, isLayer, analysisQuery, layerURL, rankingURL, cachedJSON, clearCache, layerStyle,
  renderLayerLegend, renderParams, renderLayerPending, ZONES_URL,
} from './analytics.js';
import { renderRanking, segmentRankFacts } from './ranking.js';
import { DEFAULT_PLAN, tomorrow, planURL, renderPlanForm, renderPlan, planMarkers } from './plan.js';
import { renderZones } from './zones.js';
import { renderEvaluation } from './evaluation.js';
import { MERCHANTS_URL, segmentMerchants, renderMerchants } from './merchants.js';
import { h } from './dom.js';

// Sequential ramp for segment counts (light to dark), and the zero colour.
const RAMP = ['#fdd49e', '#fdae6b', '#f16913', '#d94801', '#8c2d04'];
const ZERO = '#b8bec7';
// Segments under an analysis layer: one neutral colour, the hexagons carry it.
const NEUTRAL = '#7d8a99';
// Category colours (dots, swatches): fixed for the known codes so a
// category keeps its colour; others take the spare colours in turn.
const CATEGORY_COLORS = {
  'street-vending': '#e15759', 'outside-shop': '#4e79a7', 'piled-materials': '#9c755f',
  'garbage-sorting': '#59a14f', dumping: '#76b7b2', 'outdoor-ads': '#edc948',
  'frontage-duties': '#f28e2b', barbecue: '#b07aa1', 'illegal-construction': '#ff9da7', other: '#8c8c8c',
};
const SPARE_COLORS = ['#17becf', '#bcbd22', '#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

const $ = (id) => document.getElementById(id);

const state = {
  roads: [], cats: new Map(), records: [], months: [], filter: emptyFilter([]),
  selected: null, pilotRoad: null, showDots: false, truncated: false, generation: 0, abort: null,
  layer: 'counts', loadFrom: null, showPlan: true,
  // Analytics answers: the URL asked for, its answer or error, its abort.
  slots: { layer: { url: null }, ranking: { url: null }, zones: { url: null }, merchants: { url: null }, evaluation: { url: null } },
  // The patrol plan: the form's values, the answer or its error.
  plan: { values: { ...DEFAULT_PLAN, date: tomorrow() }, doc: null, error: '', forbidden: false, loading: false },
};
let map;

// ---- messages --------------------------------------------------------------

function setStatus(text) { $('status').textContent = text; }

function showError(text) {
  $('error').textContent = text ? '错误 Error: ' + text : '';
  $('error').hidden = !text;
}

function showBanner(text) {
  $('banner').textContent = text;
  $('banner').hidden = !text;
}

function showKeyForm(message) {
  state.generation++;
  if (state.abort) state.abort.abort();
  $('main').hidden = true;
  $('logout').hidden = true;
  $('keyform').hidden = false;
  $('keyform-msg').textContent = message || '';
  $('keyform-msg').hidden = !message;
  showBanner('');
  showError('');
  setStatus('');
  $('keyform-input').focus();
}

function handleFailure(err) {
  if (err.name === 'AbortError') return;
  if (err instanceof ApiError && err.status === 401) {
    showKeyForm('密钥无效 The key was refused: ' + err.message);
    return;
  }
  showError(err.message || String(err));
  setStatus('');
}

// ---- readiness -------------------------------------------------------------

/** Polls /readyz every 2 s while it is not 200; reloads the data once it is. */
async function watchReadiness() {
  let waited = false;
  for (;;) {
    const r = await readiness();
    if (r.ready) break;
    waited = true;
    showBanner('数据仍在加载，页面将在完成后刷新 Data still loading; the page reloads when done — ' + r.detail);
    await new Promise((res) => setTimeout(res, 2000));
  }
  showBanner('');
  if (waited && getKey()) loadAll();
}

// ---- loading -----------------------------------------------------------------

function categoryInfo(code) {
  return state.cats.get(code) || { zh: code, en: '', color: '#888' };
}

async function loadAll() {
  const gen = ++state.generation;
  if (state.abort) state.abort.abort();
  const abort = new AbortController();
  state.abort = abort;
  try {
    setStatus('加载道路与类别… Loading roads and categories…');
    const [roads, cats] = await Promise.all([
      getJSON('/api/v1/roads', abort.signal), getJSON('/api/v1/categories', abort.signal),
    ]);
    if (gen !== state.generation) return;
    let spare = 0;
    state.cats = new Map((cats.categories || []).map((c) => [c.code, {
      zh: c.name_zh, en: c.name_en, shopFront: c.shop_front,
      color: CATEGORY_COLORS[c.code] || SPARE_COLORS[spare++ % SPARE_COLORS.length],
    }]));
    state.roads = roads.features || [];
    map.setRoads(state.roads);
    renderAttribution();
    loadPlan(state.plan.values);
    const from = new Date();
    from.setFullYear(from.getFullYear() - 1);
    state.loadFrom = new Date(Math.floor(from.getTime() / 3600e3) * 3600e3); // analyses start on the hour
    clearCache();
    for (const slot of Object.values(state.slots)) { if (slot.abort) slot.abort.abort(); slot.url = null; slot.doc = null; }
    const { features, truncated } = await loadViolations(from, (n, page) => {
      if (gen === state.generation) setStatus(`加载违法记录 Loading violations… ${fmt(n)}（第 ${page} 页 page）`);
    }, abort.signal);
    if (gen !== state.generation) return;
    setData(toRecords(features), truncated);
    showError('');
  } catch (err) {
    if (gen === state.generation) handleFailure(err);
  }
}

function setData(records, truncated) {
  const old = state.filter;
  state.records = records;
  state.truncated = truncated;
  state.months = monthsOf(records);
  state.filter = emptyFilter(state.months);
  state.filter.offCats = old.offCats;
  state.filter.offSrcs = old.offSrcs;
  if (!state.pilotRoad) {
    const withPilot = map.roads.find((r) => (r.props.pilots || []).length);
    state.pilotRoad = withPilot ? withPilot.id : null;
  }
  fillMonthSelects();
  const sel = selectionFromHash();
  if (sel) { state.selected = sel; state.pilotRoad = sel.road; map.select(sel.road, sel.seg); }
  const span = state.months.length ? `${state.months[0]} – ${state.months[state.months.length - 1]}` : '';
  setStatus(`${fmt(records.length)} 起违法 violations · ${span} · ${state.roads.length} 条道路 roads` +
    (truncated ? ` · 仅前 ${fmt(MAX_PAGES * PAGE_LIMIT)} 起 first ${MAX_PAGES} pages only` : ''));
  render();
}

// ---- rendering -----------------------------------------------------------------

function render() {
  refreshAnalytics();
  const agg = aggregate(state.records, state.filter);
  const segCounts = map.roads.flatMap((r) => r.segs.map((s) => agg.bySeg.get(segKey(r.id, s.index)) || 0));
  const breaks = quantileBreaks(segCounts, RAMP.length);
  const counts = state.layer === 'counts';
  map.styleSegments((r, s) => {
    const n = agg.bySeg.get(segKey(r.id, s.index)) || 0;
    const c = classOf(n, breaks);
    return {
      color: !counts ? NEUTRAL : c < 0 ? ZERO : RAMP[c],
      title: `${r.props.name} ${r.props.pinyin} · 路段 #${s.index} · ` +
        `${Math.round(s.props.from_m)}–${Math.round(s.props.to_m)} m · ${fmt(n)} 起 violations`,
    };
  });
  renderLegend(breaks);
  renderSummary(agg);
  renderLists(agg);
  renderMatrix($('matrix'), agg.matrix, matrixRamp);
  renderSelected(agg);
  renderRankingCard();
  renderPilotCard();
  renderZonesCard();
  renderPlanCard();
  map.setDots(state.showDots ? {
    records: state.records.filter((r) => passes(r, state.filter)), color: (r) => categoryInfo(r.cat).color,
  } : null);
}

function matrixRamp(f) {
  // light blue to dark blue
  const a = [232, 240, 251], b = [8, 48, 107];
  const t = Math.sqrt(f);
  return `rgb(${a.map((v, i) => Math.round(v + (b[i] - v) * t)).join(',')})`;
}

function renderSummary(agg) {
  const f = state.filter;
  const parts = [`当前筛选 Filtered: ${fmt(agg.total)} 起 violations`];
  if (agg.offRoad) parts.push(`其中 ${fmt(agg.offRoad)} 起不在重点道路 off the key roads`);
  if (f.offCats.size || f.offSrcs.size) parts.push(`已排除 excluded: ${f.offCats.size} 类别 categories, ${f.offSrcs.size} 来源 sources`);
  $('summary').textContent = parts.join(' · ');
}

function renderLists(agg) {
  const f = state.filter;
  const codes = new Set([...state.cats.keys(), ...agg.byCat.keys()]);
  const catRows = [...codes].map((code) => {
    const c = categoryInfo(code);
    return { key: code, zh: c.zh, en: c.en, color: c.color, count: agg.byCat.get(code) || 0, on: !f.offCats.has(code),
      note: c.shopFront ? '店前 shop-front' : '' };
  }).sort((a, b) => b.count - a.count);
  renderBars($('by-category'), catRows, { onToggle: (code, on) => toggle(f.offCats, code, on) });
  const srcRows = SOURCES.map((s) => ({ key: s.code, zh: s.zh, en: s.en, count: agg.bySrc.get(s.code) || 0, on: !f.offSrcs.has(s.code) }));
  renderBars($('by-source'), srcRows, { onToggle: (code, on) => toggle(f.offSrcs, code, on) });
  const roadRows = map.roads.map((r) => ({
    key: r.id, zh: r.props.name, en: r.props.pinyin, count: agg.byRoad.get(r.id) || 0,
    note: r.props.approximate ? '(approximate / 示意)' : '',
  })).sort((a, b) => b.count - a.count);
  renderBars($('by-road'), roadRows, { onClick: pickPilotRoad, selected: state.pilotRoad });
}

function toggle(set, code, on) {
  if (on) set.delete(code); else set.add(code);
  render();
}

function renderSelected(agg) {
  const sel = state.selected;
  const road = sel && map.roads.find((r) => r.id === sel.road);
  if (!road) { renderSelection($('selection'), null); $('selection-merchants').replaceChildren(); return; }
  const count = agg.bySeg.get(segKey(sel.road, sel.seg)) || 0;
  const all = map.roads.flatMap((r) => r.segs.map((s) => agg.bySeg.get(segKey(r.id, s.index)) || 0));
  const rank = all.filter((n) => n > count).length + 1;
  renderSelection($('selection'), {
    road, seg: sel.seg, count, rank, of: all.length,
    cats: segmentCategories(state.records, state.filter, sel.road, sel.seg),
  }, categoryInfo);
  renderMerchants($('selection-merchants'), state.slots.merchants,
    segmentMerchants(state.records, (r) => passes(r, state.filter), sel.road, sel.seg));
  const facts = segmentRankFacts(state.slots.ranking.doc, sel.road, sel.seg);
  const dl = $('selection').querySelector('dl.facts');
  for (const [k, v] of facts || []) {
    const dt = document.createElement('dt'), dd = document.createElement('dd');
    dt.textContent = k; dd.textContent = v;
    dl.append(dt, dd);
  }
}

// ---- analytics: map layers and the ranking ---------------------------------------

/**
 * Asks the analytics routes for what the layer and the ranking card need
 * under the current filter; an unchanged URL is not asked again.
 */
function refreshAnalytics() {
  if (!state.months.length) return;
  const aq = analysisQuery(state.filter, { cats: state.cats.keys(), loadFrom: state.loadFrom });
  fetchSlot('ranking', aq.empty ? null : rankingURL(aq), () => {
    renderRankingCard();
    if (state.selected) renderSelected(aggregate(state.records, state.filter));
  });
  fetchSlot('layer', aq.empty ? null : layerURL(state.layer, aq), drawLayer);
  fetchSlot('zones', ZONES_URL, renderZonesCard);
  fetchSlot('merchants', MERCHANTS_URL, () => renderSelected(aggregate(state.records, state.filter)));
  const pilotRoad = map.roads.find((r) => r.id === state.pilotRoad);
  fetchSlot('evaluation', pilotRoad && (pilotRoad.props.pilots || []).length
    ? `/api/v1/pilots/${encodeURIComponent(pilotRoad.id)}/evaluation` : null, renderPilotCard);
}

function fetchSlot(name, url, onChange) {
  const slot = state.slots[name];
  if (slot.url === url) return;
  if (slot.abort) slot.abort.abort();
  Object.assign(slot, { url, doc: null, error: '', forbidden: false, abort: null, layer: state.layer });
  if (url) {
    const abort = new AbortController();
    slot.abort = abort;
    cachedJSON(url, abort.signal).then((doc) => {
      if (slot.url !== url) return;
      slot.doc = doc;
      onChange();
    }, (err) => {
      if (err.name === 'AbortError' || slot.url !== url) return;
      if (err instanceof ApiError && err.status === 401) { handleFailure(err); return; }
      slot.error = err.message || String(err);
      slot.forbidden = err instanceof ApiError && err.status === 403;
      onChange();
    });
  }
  onChange();
}

/** Draws the layer's hexagons (or none) and its legend. */
function drawLayer() {
  const slot = state.slots.layer;
  $('mapwrap').classList.toggle('analysis-layer', state.layer !== 'counts');
  if (state.layer === 'counts' || !slot.doc || slot.layer !== state.layer) {
    map.setHexes(null);
  } else {
    const ls = layerStyle(state.layer, slot.doc);
    const feats = [...(slot.doc.features || [])].sort((a, b) => ls.order(a) - ls.order(b));
    map.setHexes(feats, ls.style);
  }
  if (state.layer !== 'counts') renderAnalyticsLegend();
}

function renderAnalyticsLegend() {
  const box = $('legend');
  const slot = state.slots.layer;
  box.replaceChildren();
  if (!slot.url) {
    renderLayerPending(box, state.layer, { note: '未勾选任何类别或来源 Nothing ticked under categories or sources.' });
  } else if (!slot.doc || slot.layer !== state.layer) {
    renderLayerPending(box, state.layer, { error: slot.error });
  } else {
    renderLayerLegend(box, layerStyle(state.layer, slot.doc));
    renderParams(box, slot.doc.parameters || {}, decodeURIComponent(slot.url));
  }
  map.schedule(); // labels keep clear of the legend
}

function renderRankingCard() {
  const slot = state.slots.ranking;
  const box = $('ranking');
  if (!slot.doc) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.textContent = !slot.url ? '未勾选任何类别或来源 Nothing ticked.'
      : slot.error ? '加载失败 Failed: ' + slot.error : '计算中… Computing…';
    box.replaceChildren(p);
    return;
  }
  renderRanking(box, slot.doc, {
    road: (id) => map.roads.find((r) => r.id === id) || null,
    selected: state.selected,
    onSelect: (road, seg) => {
      // The selected-segment card above grows: keep the ranking where it was.
      const before = $('card-ranking').getBoundingClientRect().top;
      onSelect(road, seg);
      $('panel').scrollTop += $('card-ranking').getBoundingClientRect().top - before;
    },
  });
}

function buildLayerBar() {
  const bar = $('layerbar');
  for (const l of LAYERS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'layer-btn';
    b.setAttribute('role', 'radio');
    b.dataset.layer = l.id;
    const en = document.createElement('span');
    en.className = 'en';
    en.textContent = l.en;
    b.append(l.zh + ' ', en);
    b.addEventListener('click', () => setLayer(l.id, true));
    bar.append(b);
  }
}

function hashParam(name) {
  return new URLSearchParams(location.hash.replace(/^#/, '')).get(name);
}

/** Sets (or with null removes) one parameter of the URL fragment, for sharing. */
function setHashParam(name, value) {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  if (value == null) params.delete(name); else params.set(name, value);
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
}

function layerFromHash() {
  const l = hashParam('layer');
  return isLayer(l) ? l : 'counts';
}

/** The segment the fragment selects (#sel=houtai-xilu:4), or null. */
function selectionFromHash() {
  const m = /^(.+):(\d+)$/.exec(hashParam('sel') || '');
  const road = m && map.roads.find((r) => r.id === m[1]);
  return road && road.segs.some((s) => s.index === Number(m[2])) ? { road: road.id, seg: Number(m[2]) } : null;
}

/** Switches the map layer; the URL fragment keeps it (#layer=gistar) for sharing. */
function setLayer(id, toHash) {
  state.layer = id;
  for (const b of $('layerbar').children) b.setAttribute('aria-checked', String(b.dataset.layer === id));
  if (toHash) setHashParam('layer', id === 'counts' ? null : id);
  drawLayer();
  if (state.months.length) render();
}

function renderPilotCard() {
  const road = map.roads.find((r) => r.id === state.pilotRoad) || null;
  renderPilot($('pilot'), {
    roads: map.roads, road,
    series: road ? weeklySeries(state.records, state.filter, road.id) : [],
    onPick: pickPilotRoad,
  });
  renderEvaluation($('evaluation'), state.slots.evaluation.url ? state.slots.evaluation : null);
}

// ---- recommendations: the patrol plan and the pilot zones --------------------------

function renderZonesCard() {
  renderZones($('zones'), state.slots.zones, { onSelect });
}

async function loadPlan(values) {
  const gen = state.generation;
  Object.assign(state.plan, { values, doc: null, error: '', forbidden: false, loading: true });
  renderPlanCard();
  try {
    const doc = await getJSON(planURL(values));
    if (gen !== state.generation || state.plan.values !== values) return;
    state.plan.doc = doc;
  } catch (err) {
    if (gen !== state.generation || state.plan.values !== values) return;
    if (err instanceof ApiError && err.status === 401) { handleFailure(err); return; }
    state.plan.error = err.message || String(err);
    state.plan.forbidden = err instanceof ApiError && err.status === 403;
  }
  state.plan.loading = false;
  renderPlanCard();
}

function renderPlanCard() {
  const p = state.plan;
  renderPlan($('plan'), p, {
    selected: state.selected,
    onSelect,
    onPrint: () => window.print(),
    onDownload: (format) => download(planURL(p.values, format), `patrol-plan-${p.values.date}.${format}`)
      .catch((err) => showError(err.message || String(err))),
  });
  map.setMarkers(state.showPlan && p.doc ? planMarkers(p.doc) : null);
}

function pickPilotRoad(id) {
  state.pilotRoad = id;
  render();
}

function renderLegend(breaks) {
  if (state.layer !== 'counts') { renderAnalyticsLegend(); return; }
  const box = $('legend');
  box.replaceChildren();
  box.append(h('div', 'legend-title', '路段违法数 Violations per segment'));
  const item = (color, text) => {
    const row = h('div', 'legend-row');
    const sw = h('span', 'swatch');
    sw.style.background = color;
    row.append(sw, h('span', null, text));
    box.append(row);
  };
  let lo = 1;
  breaks.forEach((b, i) => { item(RAMP[i], lo === b ? fmt(b) : `${fmt(lo)}–${fmt(b)}`); lo = b + 1; });
  item(ZERO, '0');
  box.append(lineSample(false, '实测 surveyed'));
  box.append(lineSample(true, '(approximate / 示意): 未经实测，请以街道办测绘替换 not surveyed, replace with the street office\'s survey'));
  if (state.showDots) {
    box.append(h('div', 'legend-title dots-title', '点 = 单起违法，按类别着色 Dots = violations by category'));
    const grid = h('div', 'legend-cats');
    for (const [code, c] of state.cats) {
      if (state.filter.offCats.has(code)) continue;
      const row = h('span', 'legend-cat');
      const sw = h('span', 'dot');
      sw.style.background = c.color;
      row.append(sw, c.zh);
      row.title = c.en;
      grid.append(row);
    }
    box.append(grid);
  }
}

function lineSample(dashed, text) {
  const row = document.createElement('div');
  row.className = 'legend-row';
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', 34); svg.setAttribute('height', 10);
  svg.setAttribute('class', 'line-sample' + (dashed ? ' approximate' : ''));
  const p = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  p.setAttribute('d', 'M2 5H32');
  svg.append(p);
  const span = document.createElement('span');
  span.textContent = text;
  row.append(svg, span);
  return row;
}

function renderAttribution() {
  const lines = state.roads.filter((f) => !f.properties.approximate && f.properties.attribution)
    .map((f) => `${f.properties.name} ${f.properties.pinyin}: ${f.properties.attribution}`);
  $('attribution').textContent = lines.join(' · ');
  $('attribution').hidden = !lines.length;
}

function fillMonthSelects() {
  for (const [id, value] of [['month-from', state.filter.from], ['month-to', state.filter.to]]) {
    const sel = $(id);
    sel.replaceChildren(...state.months.map((m) => new Option(m, m, false, m === value)));
  }
}

// ---- wiring ------------------------------------------------------------------

function onMonthChange() {
  let from = $('month-from').value, to = $('month-to').value;
  if (from > to) [from, to] = [to, from];
  state.filter.from = from;
  state.filter.to = to;
  fillMonthSelects();
  render();
}

function onSelect(road, seg) {
  state.selected = road == null ? null : { road, seg };
  setHashParam('sel', road == null ? null : `${road}:${seg}`);
  if (road != null) state.pilotRoad = road;
  map.select(road, seg);
  render();
}

function boot() {
  $('keyform').hidden = true;
  $('main').hidden = false;
  $('logout').hidden = false;
  loadAll();
}

function init() {
  map = new RoadMap({ wrap: $('mapwrap'), svg: $('map'), canvas: $('dots'), scalebar: $('scalebar-svg'), onSelect });
  $('month-from').addEventListener('change', onMonthChange);
  $('month-to').addEventListener('change', onMonthChange);
  $('filters-reset').addEventListener('click', () => { state.filter = emptyFilter(state.months); fillMonthSelects(); render(); });
  $('toggle-dots').addEventListener('change', (e) => { state.showDots = e.target.checked; render(); });
  // The printed page holds the map at another size: the view scales to it.
  window.addEventListener('beforeprint', () => map.printView(true));
  window.addEventListener('afterprint', () => map.printView(false));
  $('toggle-plan').addEventListener('change', (e) => { state.showPlan = e.target.checked; renderPlanCard(); });
  renderPlanForm($('plan-form'), state.plan.values, loadPlan);
  $('reset-view').addEventListener('click', () => map.fit());
  $('logout').addEventListener('click', () => { clearKey(); showKeyForm(''); });
  $('keyform-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = $('keyform-input').value.trim();
    if (!key) return;
    setKey(key);
    $('keyform-input').value = '';
    boot();
  });
  buildLayerBar();
  takeKeyFromFragment();
  setLayer(layerFromHash(), false);
  window.addEventListener('hashchange', () => { if (layerFromHash() !== state.layer) setLayer(layerFromHash(), false); });
  watchReadiness();
  if (getKey()) boot(); else showKeyForm('');
}

init();
