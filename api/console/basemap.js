// basemap.js — what the map draws under our layers: the basemap that
// `hotspotd serve -console.basemap` names (GET /console/config.json), an
// XYZ raster template or a MapLibre style JSON, or none. Without one, or
// while its tiles fail, the key roads alone orient the viewer and the map
// says so.

import { t } from './i18n.js';

/** The console's configuration: {basemap: {url, type, datum, attribution} | null}. */
export async function loadConfig() {
  try {
    const res = await fetch('/console/config.json', { cache: 'no-store' });
    if (res.ok) return await res.json();
  } catch { /* an older server: no basemap */ }
  return { basemap: null };
}

/** The datum our layers are asked in: the basemap's, WGS-84 without one. */
export const datumOf = (basemap) => (basemap && basemap.datum) || 'wgs84';

const BACKGROUND = { id: 'background', type: 'background', paint: { 'background-color': '#eef1f4' } };

/**
 * The style the map starts with: a style JSON's URL as it is (our layers
 * go on top once it loads), or a style of our own with the raster
 * basemap, or with nothing but a background. No glyphs URL: MapLibre
 * draws label text with the browser's own fonts, offline.
 */
export function baseStyle(basemap) {
  if (basemap && basemap.type === 'style') return basemap.url;
  const style = { version: 8, sources: {}, layers: [BACKGROUND] };
  if (basemap && basemap.type === 'raster') {
    style.sources.basemap = { type: 'raster', tiles: [basemap.url], tileSize: 256, maxzoom: 18,
      attribution: basemap.attribution || '' };
    style.layers.push({ id: 'basemap', type: 'raster', source: 'basemap' });
  }
  return style;
}

/** The style our layers fall back to when a style JSON cannot be loaded. */
const emptyStyle = () => ({ version: 8, sources: {}, layers: [BACKGROUND] });

// After this many basemap tile errors with no tile loaded, the basemap
// counts as unreachable.
const ERRORS_BEFORE_NOTICE = 3;

/**
 * Watches the basemap's tiles on map and keeps the notice element saying
 * whether there is a basemap: none configured, unreachable, or (hidden)
 * drawing. ours(sourceId) tells our own sources from the basemap's.
 * Errors of our own sources go to onError.
 */
export function watchBasemap(map, basemap, notice, { ours, onError }) {
  const state = { loaded: 0, errors: 0 };
  const render = () => {
    const none = !basemap;
    const down = !none && state.loaded === 0 && state.errors >= ERRORS_BEFORE_NOTICE;
    notice.hidden = !(none || down);
    notice.textContent = none ? t('无底图：仅显示重点道路', 'No basemap: key roads only')
      : t('底图无法加载：仅显示重点道路', 'Basemap unreachable: key roads only');
    notice.dataset.state = none ? 'none' : down ? 'unreachable' : 'ok';
  };
  map.on('sourcedata', (e) => {
    if (e.tile && e.sourceId && !ours(e.sourceId)) { state.loaded++; render(); }
  });
  map.on('error', (e) => {
    if (e.sourceId && ours(e.sourceId)) { onError(e.error || e); return; }
    if (!basemap) { onError(e.error || e); return; }
    state.errors++;
    // A style JSON that cannot be fetched leaves no style: go on without it.
    if (basemap.type === 'style' && !map.isStyleLoaded()) {
      state.errors = ERRORS_BEFORE_NOTICE;
      map.setStyle(emptyStyle());
    }
    render();
  });
  render();
  return { render };
}
