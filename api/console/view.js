// view.js — the console's drawing: the map's hexagon layer, overlays and
// legend, the layer buttons, and the side panel's cards, each from the
// state and the answers it holds.

import { t, fmt } from './i18n.js';
import { findSegment } from './roads.js';
import { SOURCES, categoryName } from './taxonomy.js';
import { METRICS } from './analytics.js';
import { metricStyle, blindLegend } from './metrics.js';
import { renderLegend } from './legend.js';
import { renderBars, renderSelection, renderPilot } from './panel.js';
import { renderRanking, rankedSegment, segmentFacts, categoryCounts } from './ranking.js';
import { planURL, renderPlanForm, renderPlan, planMarkers } from './plan.js';
import { renderZones, zoneFeatures } from './zones.js';
import { renderEvaluation } from './evaluation.js';
import { segmentMerchants, renderMerchants } from './merchants.js';
import { renderCellCard } from './cellcard.js';
import { renderTrust } from './trust.js';
import { download } from './api.js';
import { h } from './dom.js';
import { $, state, slots, ui } from './state.js';
import { setStatus, showError } from './messages.js';
import { refresh, setMetric, selectSegment, closeCell, highlightRoad, toggle, loadPlan } from './actions.js';

/** Draws the layer's answer once it arrives; until then the last one stays. */
export function drawLayer() {
  const slot = slots.layer;
  if (slot.doc) {
    const style = metricStyle(state.metric, slot.doc);
    state.drawn = { doc: slot.doc, style, url: slot.url };
    ui.map.setCells(slot.doc, style.fill);
    const P = slot.doc.parameters || {};
    setStatus(t(`${fmt((slot.doc.features || []).length)} 格 · res ${P.res} · ${state.roads.length} 条重点道路`,
      `${fmt((slot.doc.features || []).length)} cells · res ${P.res} · ${state.roads.length} key roads`));
  } else if (!slot.url) {
    state.drawn = null;
    ui.map.setCells(null, 'rgba(0,0,0,0)');
  }
  renderMapLegend();
}

export function drawOverlays() {
  const blind = state.overlays.blind && slots.blind.doc;
  ui.map.set('blind', blind ? { type: 'FeatureCollection', features: slots.blind.doc.features.filter((f) => f.properties.blind_spot) } : null);
  ui.map.set('zones', state.overlays.zones && slots.zones.doc ? zoneFeatures(slots.zones.doc) : null);
  renderMapLegend();
}

export function renderMapLegend() {
  const slot = slots.layer;
  const m = METRICS.find((x) => x.id === state.metric);
  const pendingTitle = t(m.zh, m.en);
  let layer;
  if (!slot.url) layer = { pending: true, title: pendingTitle, note: t('未勾选任何类别或来源。', 'Nothing ticked under categories or sources.') };
  else if (slot.error) layer = { pending: true, title: pendingTitle, error: slot.error };
  else if (!state.drawn) layer = { pending: true, title: pendingTitle };
  else layer = state.drawn.style;
  renderLegend($('legend'), {
    layer, params: state.drawn && (state.drawn.doc.parameters || null), url: state.drawn && state.drawn.url,
    overlays: {
      blind: state.overlays.blind ? blindLegend(slots.blind.doc) : null, zones: state.overlays.zones,
      tracks: ui.map.data.tracks && ui.map.data.tracks.features.length > 0, points: state.overlays.points ? $('points-note').textContent : '',
    },
  });
}

export function buildLayerBar() {
  const bar = $('layerbar');
  bar.replaceChildren();
  for (const m of METRICS) {
    const b = h('button', 'layer-btn', t(m.zh, m.en));
    b.type = 'button';
    b.setAttribute('role', 'radio');
    b.setAttribute('aria-checked', String(m.id === state.metric));
    b.dataset.layer = m.id;
    b.addEventListener('click', () => setMetric(m.id));
    bar.append(b);
  }
}

export function renderFilters() {
  const counts = slots.ranking.doc ? categoryCounts(slots.ranking.doc) : new Map();
  const catRows = [...state.cats].map(([code, c]) => ({
    key: code, name: categoryName(state.cats, code), color: c.color, on: !state.offCats.has(code),
    count: state.offCats.has(code) || !slots.ranking.doc ? null : counts.get(code) || 0,
    note: c.shopFront ? t('店前', 'shop-front') : '',
  })).sort((a, b) => (b.count ?? -1) - (a.count ?? -1));
  renderBars($('by-category'), catRows, { onToggle: (code, on) => toggle(state.offCats, code, on) });
  renderBars($('by-source'), SOURCES.map((s) => ({ key: s.code, name: t(s.zh, s.en), count: null, on: !state.offSrcs.has(s.code) })),
    { onToggle: (code, on) => toggle(state.offSrcs, code, on) });
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const parts = [slots.ranking.doc ? t(`重点道路上 ${fmt(total)} 起违法`, `${fmt(total)} violations on the key roads`) : ''];
  if (state.offCats.size || state.offSrcs.size) {
    parts.push(t(`已排除 ${state.offCats.size} 个类别、${state.offSrcs.size} 个来源`, `excluded: ${state.offCats.size} categories, ${state.offSrcs.size} sources`));
  }
  $('summary').textContent = parts.filter(Boolean).join(' · ');
}

export function renderSelected() {
  const found = state.selected && findSegment(state.roads, state.selected.road, state.selected.seg);
  if (!found) { renderSelection($('selection'), null, {}); $('selection-merchants').replaceChildren(); return; }
  const ranked = rankedSegment(slots.ranking.doc, found.road.id, found.seg.index);
  const cats = Object.entries((ranked && ranked.segment.by_category) || {}).sort((a, b) => b[1] - a[1])
    .map(([code, n]) => ({ key: code, name: categoryName(state.cats, code), count: n, color: (state.cats.get(code) || {}).color }));
  renderSelection($('selection'), found, { facts: segmentFacts(ranked), cats });
  const seg = slots.segment;
  renderMerchants($('selection-merchants'), slots.merchants, seg.doc ? segmentMerchants(seg.doc.features || [], found.seg.index) : null);
}

export function renderRankingCard() {
  const slot = slots.ranking;
  if (!slot.doc) {
    $('ranking').replaceChildren(h('p', 'muted', !slot.url ? t('未勾选任何类别或来源。', 'Nothing ticked.')
      : slot.error ? t('加载失败：', 'Failed: ') + slot.error : t('计算中…', 'Computing…')));
    return;
  }
  renderRanking($('ranking'), slot.doc, {
    road: (id) => state.roads.find((r) => r.id === id) || null, selected: state.selected, highlighted: state.highlight,
    onRoad: highlightRoad, onSelect: (road, seg) => selectSegment(road, seg),
  });
}

export function renderPilotCard() {
  const road = state.roads.find((r) => r.id === state.pilotRoad) || null;
  renderPilot($('pilot'), { roads: state.roads, road, onPick: (id) => { state.pilotRoad = id; refresh(); renderPilotCard(); } });
  renderEvaluation($('evaluation'), slots.evaluation.url ? slots.evaluation : null);
}

export function renderZonesCard() {
  renderZones($('zones'), slots.zones, { onSelect: (road, seg) => selectSegment(road, seg) });
}

export function renderPlanCard() {
  const p = state.plan;
  renderPlan($('plan'), p, {
    selected: state.selected, onSelect: (road, seg) => selectSegment(road, seg), onPrint: () => window.print(),
    onDownload: (format) => download(planURL(p.values, format, state.crs), `patrol-plan-${p.values.date}.${format}`)
      .catch((err) => showError(err.message || String(err))),
  });
  ui.map.setMarkers(state.overlays.plan && p.doc ? planMarkers(p.doc) : null);
}

export function renderCell() {
  if (!state.cell) return;
  renderCellCard($('cell'), state.cell, { window: ui.timeline.window(), weeks: ui.timeline.weeks, cats: state.cats, onClose: closeCell });
}

/** Everything that has text, again: after a language switch. */
export function renderAll() {
  ui.timeline.renderText();
  buildLayerBar();
  renderPlanForm($('plan-form'), state.plan.values, loadPlan);
  ui.tracks.render();
  ui.map.relabel();
  renderFilters();
  renderSelected();
  renderRankingCard();
  renderPlanCard();
  renderPilotCard();
  renderZonesCard();
  renderTrust($('trust'), slots.backtest);
  renderCell();
  drawLayer();
}
