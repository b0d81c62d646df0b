// layers.js — the console's own sources and layers, bottom to top over the
// basemap: hexagon cells, blind spots, pilot zones, the key roads and their
// segments (approximate ones dashed), the ranking's and the selection's
// highlights, an officer's track, violations as clustered points, and the
// road labels. Label text uses the browser's fonts (no glyphs URL).

const EMPTY = { type: 'FeatureCollection', features: [] };
const FONT = ['Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', 'sans-serif'];
const NONE = ['==', ['get', 'road'], '\u0000']; // a filter no feature passes

export const SOURCES = ['cells', 'blind', 'zones', 'segments', 'road-labels', 'tracks', 'points'];

/** The layers a click or a tap can hit, and what each stands for. */
export const HIT = {
  roads: ['roads-solid', 'roads-dashed'],
  cells: ['cells-fill'],
  clusters: ['points-cluster'],
  points: ['points-one'],
  zones: ['zones-fill'],
};

const line = (id, source, paint, extra = {}) => ({ id, type: 'line', source, paint,
  layout: { 'line-join': 'round', 'line-cap': 'round', ...(extra.layout || {}) }, ...extra.rest });

/** Adds every source (empty) and layer to map; data come later with setData. */
export function addLayers(map) {
  for (const id of SOURCES) {
    map.addSource(id, id === 'points'
      ? { type: 'geojson', data: EMPTY, cluster: true, clusterRadius: 36, clusterMaxZoom: 17 }
      : { type: 'geojson', data: EMPTY });
  }
  const width = (w16) => ['interpolate', ['linear'], ['zoom'], 13, w16 * 0.35, 16, w16, 19, w16 * 2.2];
  const layers = [
    { id: 'cells-fill', type: 'fill', source: 'cells', paint: { 'fill-color': 'rgba(0,0,0,0)', 'fill-opacity': 0.72 } },
    line('cells-line', 'cells', { 'line-color': 'rgba(120,128,140,0.45)', 'line-width': 0.6 }),
    line('cell-selected', 'cells', { 'line-color': '#d7301f', 'line-width': 3 }, { rest: { filter: ['==', ['get', 'h3'], ''] } }),
    line('blind-line', 'blind', { 'line-color': '#5c0a5c', 'line-width': 2.6, 'line-dasharray': [2, 1] }),
    { id: 'zones-fill', type: 'fill', source: 'zones', paint: { 'fill-color': ['get', 'color'], 'fill-opacity': 0.45 } },
    line('zones-line', 'zones', { 'line-color': ['get', 'color'], 'line-width': 2 }),
    line('roads-casing', 'segments', { 'line-color': '#ffffff', 'line-width': width(9), 'line-opacity': 0.9 }),
    line('roads-solid', 'segments', { 'line-color': '#2b3a4d', 'line-width': width(4.5) },
      { rest: { filter: ['!', ['to-boolean', ['get', 'approximate']]] } }),
    line('roads-dashed', 'segments', { 'line-color': '#2b3a4d', 'line-width': width(4.5), 'line-dasharray': [2, 1.2] },
      { layout: { 'line-cap': 'butt' }, rest: { filter: ['to-boolean', ['get', 'approximate']] } }),
    line('road-highlight', 'segments', { 'line-color': '#1c5fa8', 'line-width': width(7), 'line-opacity': 0.85 },
      { rest: { filter: NONE } }),
    line('seg-selected', 'segments', { 'line-color': '#d7301f', 'line-width': width(9) }, { rest: { filter: NONE } }),
    line('tracks-line', 'tracks', { 'line-color': '#0b7a3e', 'line-width': 2.5, 'line-opacity': 0.85 }),
    { id: 'points-cluster', type: 'circle', source: 'points', filter: ['has', 'point_count'],
      paint: { 'circle-color': '#6a3d9a', 'circle-opacity': 0.8, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5,
        'circle-radius': ['step', ['get', 'point_count'], 9, 20, 13, 100, 17] } },
    { id: 'points-count', type: 'symbol', source: 'points', filter: ['has', 'point_count'],
      layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': FONT, 'text-size': 11, 'text-allow-overlap': true },
      paint: { 'text-color': '#ffffff' } },
    { id: 'points-one', type: 'circle', source: 'points', filter: ['!', ['has', 'point_count']],
      paint: { 'circle-color': '#888', 'circle-radius': 4.5, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1 } },
    { id: 'road-labels', type: 'symbol', source: 'road-labels',
      layout: { 'text-field': ['get', 'label'], 'text-font': FONT, 'text-size': 13, 'text-offset': [0, -1.4],
        'text-anchor': 'bottom', 'text-max-width': 14, 'text-padding': 4 },
      paint: { 'text-color': '#17324d', 'text-halo-color': 'rgba(255,255,255,0.95)', 'text-halo-width': 2 } },
  ];
  for (const l of layers) map.addLayer(l);
}

/** The filter that passes one cell (null: none). */
export const cellFilter = (h3) => ['==', ['get', 'h3'], h3 || ''];

/** The filter that passes one road's segments (null: none). */
export const roadFilter = (road) => (road == null ? NONE : ['==', ['get', 'road'], road]);

/** The filter that passes one segment (null road: none). */
export const segmentFilter = (road, seg) =>
  (road == null ? NONE : ['all', ['==', ['get', 'road'], road], ['==', ['get', 'seg'], seg]]);
