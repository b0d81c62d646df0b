// app.js — the supervisor console: the key, readiness, the language
// switch and the page's controls, wired to the actions (actions.js) that
// fill the map (map.js) and the side panel (view.js). Every figure it
// shows is a server aggregate; single violations are asked for only for
// one cell, one segment or a street-level view.

import { takeKeyFromFragment, getKey, setKey, clearKey } from './api.js';
import { applyLang, initialLang, lang } from './i18n.js';
import { loadConfig, datumOf } from './basemap.js';
import { isMetric } from './analytics.js';
import { renderPlanForm } from './plan.js';
import { Timeline, spanWeeks } from './timeline.js';
import { hashParam, setHashParam } from './hash.js';
import { $, state, ui } from './state.js';
import { showKeyForm, watchReadiness } from './messages.js';
import { loadAll, refresh, setOverlay, loadPlan } from './actions.js';
import { buildLayerBar, renderAll, renderCell } from './view.js';

function boot() {
  $('keyform').hidden = true;
  $('main').hidden = false;
  $('logout').hidden = false;
  loadAll();
}

async function init() {
  applyLang(initialLang());
  ui.timeline = new Timeline({ box: $('timeline'), weeks: spanWeeks(), onChange: () => {
    setHashParam('week', ui.timeline.weekDate());
    refresh();
    renderCell();
  } });
  if (hashParam('week')) ui.timeline.setWeek(hashParam('week'), true);
  const layer = hashParam('layer');
  if (isMetric(layer)) state.metric = layer;
  if (layer === 'blind') { state.metric = 'rate'; state.overlays.blind = true; }
  if (layer === 'zones') state.overlays.zones = true;
  for (const name of Object.keys(state.overlays)) {
    $('toggle-' + name).checked = state.overlays[name];
    $('toggle-' + name).addEventListener('change', (e) => setOverlay(name, e.target.checked));
  }
  buildLayerBar();
  renderPlanForm($('plan-form'), state.plan.values, loadPlan);
  $('filters-reset').addEventListener('click', () => { state.offCats.clear(); state.offSrcs.clear(); refresh(); });
  $('reset-view').addEventListener('click', () => ui.map.fit());
  $('lang').addEventListener('click', () => {
    applyLang(lang() === 'en' ? 'zh' : 'en');
    setHashParam('lang', lang() === 'en' ? 'en' : null);
    if (ui.map) renderAll();
  });
  $('logout').addEventListener('click', () => { clearKey(); showKeyForm(''); });
  $('keyform-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const key = $('keyform-input').value.trim();
    if (!key) return;
    setKey(key);
    $('keyform-input').value = '';
    boot();
  });
  takeKeyFromFragment();
  watchReadiness(loadAll);
  state.config = await loadConfig();
  state.crs = datumOf(state.config.basemap);
  if (getKey()) boot(); else showKeyForm('');
}

init();
