// map.js — the console's map on MapLibre GL JS (vendored, served by the
// binary): the basemap (basemap.js) under our layers (layers.js), clicks
// and taps turned into the console's selections, the patrol plan's
// numbered markers, and a still picture of it all for printing. The
// MapLibre map is window.hotspotMap, for the browser test.

import { Map as MapLibre, Marker, NavigationControl, ScaleControl, AttributionControl, Popup } from './vendor/maplibre-gl.mjs';
import { baseStyle, watchBasemap } from './basemap.js';
import { addLayers, SOURCES, HIT, roadFilter, segmentFilter, cellFilter } from './layers.js';
import { segmentFeatures, labelFeatures, roadsBounds } from './roads.js';
import { t } from './i18n.js';
import { h } from './dom.js';

const OSM_CREDIT = '津塘路 Jintang Lu © OpenStreetMap contributors (ODbL)';
const DAZHIGU = [117.225, 39.118]; // until the roads arrive

export class MapView {
  /**
   * @param {{container: HTMLElement, notice: HTMLElement, basemap: object|null,
   *   onSegment: (road, seg) => void, onCell: (h3) => void, onMove: () => void, onError: (err) => void,
   *   describe: (props) => string}} o
   */
  constructor(o) {
    Object.assign(this, o);
    this.data = {};
    this.paint = {};
    this.filters = {};
    this.markers = [];
    const credits = [this.basemap && this.basemap.attribution, OSM_CREDIT].filter(Boolean);
    this.map = new MapLibre({
      container: this.container, style: baseStyle(this.basemap), center: DAZHIGU, zoom: 15, maxZoom: 20, minZoom: 10,
      attributionControl: false, dragRotate: false, pitchWithRotate: false, touchPitch: false, fadeDuration: 0,
    });
    this.map.touchZoomRotate.disableRotation();
    this.map.addControl(new NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new ScaleControl({ unit: 'metric' }), 'bottom-right');
    this.map.addControl(new AttributionControl({ compact: false, customAttribution: credits }), 'bottom-right');
    window.hotspotMap = this.map;
    this.map.on('style.load', () => this.restore());
    this.map.on('click', (e) => this.click(e));
    this.map.on('moveend', () => this.onMove());
    for (const ids of Object.values(HIT)) {
      for (const id of ids) {
        this.map.on('mouseenter', id, () => { this.map.getCanvas().style.cursor = 'pointer'; });
        this.map.on('mouseleave', id, () => { this.map.getCanvas().style.cursor = ''; });
      }
    }
    this.basemapNotice = watchBasemap(this.map, this.basemap, this.notice, { ours: (id) => SOURCES.includes(id), onError: this.onError });
  }

  /** Adds our layers to a (new) style and puts back their data, colours and filters. */
  restore() {
    if (!this.map.getSource('cells')) addLayers(this.map);
    for (const [id, fc] of Object.entries(this.data)) this.map.getSource(id).setData(fc);
    for (const [k, v] of Object.entries(this.paint)) this.map.setPaintProperty(...k.split('|'), v);
    for (const [id, f] of Object.entries(this.filters)) this.map.setFilter(id, f);
  }

  set(source, fc) {
    this.data[source] = fc || { type: 'FeatureCollection', features: [] };
    const s = this.map.getSource(source);
    if (s) s.setData(this.data[source]);
  }

  setPaint(layer, prop, value) {
    this.paint[`${layer}|${prop}`] = value;
    if (this.map.getLayer(layer)) this.map.setPaintProperty(layer, prop, value);
  }

  setFilter(layer, filter) {
    this.filters[layer] = filter;
    if (this.map.getLayer(layer)) this.map.setFilter(layer, filter);
  }

  /** The key roads (roads.js) as lines and labels; the first time, the view fits them. */
  setRoads(roads) {
    const first = !this.roads;
    this.roads = roads;
    this.set('segments', segmentFeatures(roads));
    this.setLabels();
    if (first && roads.length) this.fit();
  }

  /** The road labels again, in the page's language. */
  setLabels() {
    if (this.roads) this.set('road-labels', labelFeatures(this.roads));
  }

  fit() {
    if (this.roads && this.roads.length) this.map.fitBounds(roadsBounds(this.roads), { padding: { top: 120, bottom: 30, left: 40, right: 50 }, duration: 0 });
  }

  /** The hexagon cells of a layer's answer, coloured by the fill expression (metrics.js). */
  setCells(fc, fill) {
    this.setPaint('cells-fill', 'fill-color', fill);
    this.set('cells', fc);
  }

  /** Outlines the cell whose card is open (null: none). */
  selectCell(h3) {
    this.setFilter('cell-selected', cellFilter(h3));
  }

  /** Highlights a road of the ranking (null: none). */
  highlightRoad(road) {
    this.setFilter('road-highlight', roadFilter(road));
  }

  /** Marks the selected segment (null road: none). */
  select(road, seg) {
    this.selected = road == null ? null : { road, seg };
    this.setFilter('seg-selected', segmentFilter(road, seg));
    for (const m of this.markers) m.getElement().classList.toggle('selected', !!this.selected && m.road === road && m.seg === seg);
  }

  /** The view's bounds as minLon,minLat,maxLon,maxLat, and its zoom. */
  view() {
    const b = this.map.getBounds();
    return { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(6)).join(','), zoom: this.map.getZoom() };
  }

  /**
   * Numbered markers (the plan's visits): items are {lon, lat, label,
   * title, road, seg}, in the layers' datum; activating one selects its
   * segment. null or [] removes them.
   */
  setMarkers(items) {
    for (const m of this.markers) m.remove();
    this.markers = (items || []).map((it) => {
      const el = h('button', 'mark', it.label);
      el.type = 'button';
      el.title = it.title;
      el.setAttribute('aria-label', it.title);
      el.addEventListener('click', (e) => { e.stopPropagation(); this.onSegment(it.road, it.seg); });
      const m = new Marker({ element: el }).setLngLat([it.lon, it.lat]).addTo(this.map);
      Object.assign(m, { road: it.road, seg: it.seg, label: it.label });
      return m;
    });
    if (this.selected) this.select(this.selected.road, this.selected.seg);
  }

  click(e) {
    const near = (layers, r = 8) => this.map.queryRenderedFeatures(
      [[e.point.x - r, e.point.y - r], [e.point.x + r, e.point.y + r]], { layers: layers.filter((id) => this.map.getLayer(id)) });
    const cluster = near(HIT.clusters)[0];
    if (cluster) {
      this.map.getSource('points').getClusterExpansionZoom(cluster.properties.cluster_id)
        .then((zoom) => this.map.easeTo({ center: cluster.geometry.coordinates, zoom }));
      return;
    }
    const point = near(HIT.points, 5)[0];
    if (point) { this.popup(point); return; }
    const road = near(HIT.roads)[0];
    if (road) { this.onSegment(road.properties.road, road.properties.seg); return; }
    const cell = this.map.queryRenderedFeatures(e.point, { layers: HIT.cells })[0];
    if (cell) { this.onCell(cell.properties.h3); return; }
    this.onSegment(null, null);
  }

  /** A violation's category, time and source, by its point. */
  popup(f) {
    const p = f.properties;
    const box = h('div', 'point-popup');
    box.append(h('strong', null, this.describe(p)), h('br'),
      String(p.observed_at || '').slice(0, 16).replace('T', ' '), h('br'), `#${f.id ?? ''}`);
    new Popup({ closeButton: true, maxWidth: '240px' }).setLngLat(f.geometry.coordinates).setDOMContent(box).addTo(this.map);
  }

  /**
   * A still picture of the map with the plan's markers drawn in, for the
   * printed page (a WebGL canvas prints blank or at the wrong size).
   */
  snapshot() {
    this.map.redraw();
    const src = this.map.getCanvas();
    const c = document.createElement('canvas');
    c.width = src.width; c.height = src.height;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0);
    const k = src.width / src.clientWidth;
    ctx.font = `600 ${10 * k}px sans-serif`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (const m of this.markers) {
      const p = this.map.project(m.getLngLat());
      const r = Math.max(9, 3.5 * m.label.length + 3) * k;
      ctx.fillStyle = m.getElement().classList.contains('selected') ? '#d7301f' : '#14365d';
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1.5 * k;
      ctx.beginPath(); ctx.arc(p.x * k, p.y * k, r, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      ctx.fillStyle = '#fff';
      ctx.fillText(m.label, p.x * k, p.y * k);
    }
    return c.toDataURL('image/png');
  }

  /** The map's accessible name and its basemap notice, in the page's language. */
  relabel() {
    this.map.getCanvas().setAttribute('aria-label', t(
      '地图：方向键平移，加减号缩放', 'Map: arrow keys pan, plus and minus zoom'));
    this.basemapNotice.render();
    this.setLabels();
  }
}
