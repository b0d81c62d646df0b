// actions.js — what the console does when its user acts or an answer
// comes: loading the roads and categories, asking for what the filter,
// the slider, the zoom and the overlays call for, selecting a segment or a
// cell, and loading the patrol plan.

import { ApiError, getJSON } from './api.js';
import { t } from './i18n.js';
import { MapView } from './map.js';
import { roadsURL, readRoads, findSegment } from './roads.js';
import { categoryMap, categoryName, categoryColorExpression } from './taxonomy.js';
import { resForZoom, layerURL, blindURL, rankingURL, zonesURL, BACKTEST_URL, clearCache, prefetch } from './analytics.js';
import { planURL } from './plan.js';
import { MERCHANTS_URL, segmentURL } from './merchants.js';
import { loadCell } from './cellcard.js';
import { renderTrust } from './trust.js';
import { Tracks } from './tracks.js';
import { Points } from './points.js';
import { setHashParam, selectionParam } from './hash.js';
import { $, state, slots, ui, query } from './state.js';
import { setStatus, showError, handleFailure, mapFailure } from './messages.js';
import {
  drawLayer, drawOverlays, renderMapLegend, renderFilters, renderSelected, renderRankingCard, renderPilotCard,
  renderZonesCard, renderPlanCard, renderCell,
} from './view.js';

export async function loadAll() {
  const gen = ++state.generation;
  if (state.abort) state.abort.abort();
  const abort = new AbortController();
  state.abort = abort;
  setStatus(t('加载道路与类别…', 'Loading roads and categories…'));
  // Asked first, so that they are on their way while MapLibre starts (its WebGL set-up blocks the page),
  // with the layer the first view will ask for.
  const base = Promise.all([getJSON(roadsURL(state.crs), abort.signal), getJSON('/api/v1/categories', abort.signal)]);
  const first = query();
  if (!first.empty) prefetch(layerURL(state.metric, first, layerContext()), abort.signal);
  if (!ui.map) createMap();
  try {
    const [roads, cats] = await base;
    if (gen !== state.generation) return;
    clearCache();
    for (const s of Object.values(slots)) s.reset();
    state.cats = categoryMap(cats);
    state.roads = readRoads(roads);
    state.pilotRoad ??= (state.roads.find((r) => (r.props.pilots || []).length) || {}).id || null;
    ui.map.setPaint('points-one', 'circle-color', categoryColorExpression(state.cats));
    ui.map.setRoads(state.roads);
    const sel = selectionParam();
    if (sel && findSegment(state.roads, sel.road, sel.seg)) selectSegment(sel.road, sel.seg, false);
    loadPlan(state.plan.values);
    showError('');
    refresh();
  } catch (err) {
    if (gen === state.generation) handleFailure(err);
  }
}

/** What a layer's URL depends on beside the query: the resolution and the slider's span. */
function layerContext() {
  return { res: state.res, spanQuery: query(true), spanWeeks: ui.timeline.weeks.length - 1 };
}

/** Asks for everything the filter, the slider, the zoom and the overlays call for, and renders. */
export function refresh() {
  if (!state.roads.length) return;
  const aq = query();
  slots.layer.fetch(aq.empty ? null : layerURL(state.metric, aq, layerContext()), drawLayer);
  slots.blind.fetch(state.overlays.blind && !aq.empty ? blindURL(aq, state.res) : null, drawOverlays);
  slots.ranking.fetch(aq.empty ? null : rankingURL(aq), () => { renderRankingCard(); renderFilters(); renderSelected(); });
  slots.zones.fetch(zonesURL(state.crs), () => { renderZonesCard(); drawOverlays(); });
  slots.merchants.fetch(MERCHANTS_URL, renderSelected);
  slots.backtest.fetch(BACKTEST_URL, () => renderTrust($('trust'), slots.backtest));
  const pilot = state.roads.find((r) => r.id === state.pilotRoad);
  slots.evaluation.fetch(pilot && (pilot.props.pilots || []).length
    ? `/api/v1/pilots/${encodeURIComponent(pilot.id)}/evaluation` : null, renderPilotCard);
  const found = state.selected && findSegment(state.roads, state.selected.road, state.selected.seg);
  slots.segment.fetch(found && !aq.empty ? segmentURL(found.road, found.seg, aq) : null, renderSelected);
  ui.points.update(ui.map.view(), aq);
  if (state.cell && state.cell.filter !== query(true).q.toString()) openCell(state.cell.feature);
  renderFilters();
}

export function setMetric(id) {
  state.metric = id;
  setHashParam('layer', id === 'count' ? null : id);
  for (const b of $('layerbar').children) b.setAttribute('aria-checked', String(b.dataset.layer === id));
  refresh();
  renderMapLegend();
}

export function setOverlay(name, on) {
  state.overlays[name] = on;
  $('toggle-' + name).checked = on;
  if (name === 'points') ui.points.on = on;
  if (name === 'plan') renderPlanCard();
  refresh();
  drawOverlays();
}

export function selectSegment(road, seg, rerender = true) {
  state.selected = road == null ? null : { road, seg };
  setHashParam('sel', road == null ? null : `${road}:${seg}`);
  const found = road != null && findSegment(state.roads, road, seg);
  if (found && (found.road.props.pilots || []).length) state.pilotRoad = road;
  ui.map.select(road, seg);
  if (!rerender) return;
  refresh();
  renderSelected();
  renderRankingCard();
  renderPlanCard();
  renderPilotCard();
}

export function onMapClickSegment(road, seg) {
  if (road == null) closeCell();
  selectSegment(road, seg);
  if (road != null) reveal('card-selection');
}

/** Scrolls the side panel to a card; on a phone, where the panel is below the map, the map stays. */
function reveal(id) {
  if (!matchMedia('(max-width: 760px)').matches) $(id).scrollIntoView({ block: 'nearest' });
}

export function openCell(feature) {
  if (state.cell && state.cell.abort) state.cell.abort.abort();
  const abort = new AbortController();
  const spanQuery = query(true);
  const cell = { feature, abort, filter: spanQuery.q.toString() };
  state.cell = cell;
  ui.map.selectCell(feature.properties.h3);
  $('card-cell').hidden = false;
  renderCell();
  loadCell(feature, { spanQuery, crs: state.crs }, abort.signal).then((r) => {
    if (state.cell !== cell) return;
    Object.assign(cell, r);
    renderCell();
  }, (err) => {
    if (err.name === 'AbortError' || state.cell !== cell) return;
    cell.error = err.message || String(err);
    renderCell();
  });
}

export function onMapClickCell(h3) {
  const f = state.drawn && (state.drawn.doc.features || []).find((x) => x.properties.h3 === h3);
  if (!f) return;
  openCell(f);
  reveal('card-cell');
}

export function closeCell() {
  if (state.cell && state.cell.abort) state.cell.abort.abort();
  state.cell = null;
  ui.map.selectCell(null);
  $('card-cell').hidden = true;
}

/** Highlights a road of the ranking: kept (clicked) or while pointed at. */
export function highlightRoad(road, keep) {
  if (keep) { state.highlight = road; renderRankingCard(); }
  ui.map.highlightRoad(road ?? state.highlight);
}

export function toggle(set, code, on) {
  if (on) set.delete(code); else set.add(code);
  refresh();
}

export async function loadPlan(values) {
  const gen = state.generation;
  Object.assign(state.plan, { values, doc: null, error: '', forbidden: false, loading: true });
  renderPlanCard();
  try {
    const doc = await getJSON(planURL(values, 'json', state.crs));
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

export function onMove() {
  state.res = resForZoom(ui.map.map.getZoom());
  refresh();
  renderMapLegend();
}

export function createMap() {
  ui.map = new MapView({
    container: $('map'), notice: $('basemap-note'), basemap: state.config.basemap,
    onSegment: onMapClickSegment, onCell: onMapClickCell, onMove, onError: mapFailure,
    describe: (p) => `${categoryName(state.cats, p.category)} · ${p.source}`,
  });
  ui.map.relabel();
  if (matchMedia('(max-width: 760px)').matches) $('legend').classList.add('collapsed');
  ui.points = new Points({
    onData: (fc) => ui.map.set('points', fc), onError: handleFailure,
    onNote: (text) => { $('points-note').textContent = text; $('points-note').hidden = !text; renderMapLegend(); },
  });
  ui.tracks = new Tracks({ box: $('tracks'), crs: state.crs, onError: handleFailure,
    onShow: (fc) => { ui.map.set('tracks', fc); renderMapLegend(); } });
  window.addEventListener('beforeprint', () => { $('print-map').src = ui.map.snapshot(); });
}
