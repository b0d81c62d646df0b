// state.js — what the console shows, in one place: the filter, the layer
// and overlays, the selections, the answers it holds (slots), and the
// map, slider, tracks and points once they exist (ui).

import { analysisQuery } from './analytics.js';
import { Slot } from './slot.js';
import { DEFAULT_PLAN, tomorrow } from './plan.js';
import { handleFailure } from './messages.js';

export const $ = (id) => document.getElementById(id);

export const state = {
  config: { basemap: null }, crs: 'wgs84', roads: [], cats: new Map(),
  offCats: new Set(), offSrcs: new Set(), metric: 'count', res: 11,
  overlays: { blind: false, zones: false, points: false, plan: true },
  selected: null, cell: null, highlight: null, pilotRoad: null, drawn: null,
  generation: 0, abort: null,
  plan: { values: { ...DEFAULT_PLAN, date: tomorrow() }, doc: null, error: '', forbidden: false, loading: false },
};

/** The console's parts, made once the page is up: MapView, Timeline, Tracks, Points. */
export const ui = { map: null, timeline: null, tracks: null, points: null };

/** The answers the console holds, each one URL at a time. */
export const slots = {};
for (const name of ['layer', 'blind', 'ranking', 'zones', 'merchants', 'evaluation', 'backtest', 'segment']) {
  slots[name] = new Slot((err) => handleFailure(err));
}

/** The filter as the routes' shared query, for the slider's window or the whole span. */
export function query(span = false) {
  const window = span ? { from: ui.timeline.weeks[0].start, to: null } : ui.timeline.window();
  return analysisQuery({ window, cats: state.cats.keys(), offCats: state.offCats, offSrcs: state.offSrcs, crs: state.crs });
}
