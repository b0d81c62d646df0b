// roads.js — the key roads of GET /api/v1/roads in the basemap's datum:
// each road with its 100 m segments, as the map's line source (one
// feature per segment) and label source (one point per road), and the
// geometry helpers other cards need (a segment's bounding box).

import { t } from './i18n.js';

/** The roads route, its geometry in datum crs. */
export const roadsURL = (crs) => '/api/v1/roads' + (crs !== 'wgs84' ? '?crs=' + crs : '');

/** The roads answer as [{id, props, coords, segs: [{index, props, coords}]}]. */
export function readRoads(fc) {
  return (fc.features || []).map((f) => ({
    id: f.properties.id,
    props: f.properties,
    coords: f.geometry.coordinates,
    segs: (f.properties.segments || []).map((s) => ({ index: s.index, props: s, coords: s.geometry.coordinates })),
  }));
}

/** One line feature per segment: road, seg, name, approximate, key. */
export function segmentFeatures(roads) {
  const features = [];
  for (const r of roads) {
    for (const s of r.segs) {
      features.push({ type: 'Feature', geometry: { type: 'LineString', coordinates: s.coords },
        properties: { road: r.id, seg: s.index, name: r.props.name, approximate: !!r.props.approximate, key: !!r.props.key } });
    }
  }
  return { type: 'FeatureCollection', features };
}

/** The point at fraction frac of a polyline's length (planar in degrees: enough for a label). */
function pointAlong(pts, frac) {
  const lens = [0];
  for (let i = 1; i < pts.length; i++) lens.push(lens[i - 1] + Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]));
  const want = lens[lens.length - 1] * frac;
  for (let i = 1; i < pts.length; i++) {
    if (lens[i] >= want) {
      const f = (want - lens[i - 1]) / ((lens[i] - lens[i - 1]) || 1);
      return [pts[i - 1][0] + f * (pts[i][0] - pts[i - 1][0]), pts[i - 1][1] + f * (pts[i][1] - pts[i - 1][1])];
    }
  }
  return pts[pts.length - 1];
}

/**
 * One label point per road, in the page's language: the name, 示意 for
 * approximate geometry, and the line-marking pilot.
 */
export function labelFeatures(roads) {
  return { type: 'FeatureCollection', features: roads.map((r) => {
    const p = r.props;
    const lines = [t(p.name, p.pinyin || p.name)];
    if (p.approximate) lines[0] += t('（示意）', ' (approximate, 示意)');
    if ((p.pilots || []).length) lines.push(t('▲ 划线治理试点', '▲ line-marking pilot'));
    return { type: 'Feature', geometry: { type: 'Point', coordinates: pointAlong(r.coords, 0.5) },
      properties: { road: r.id, label: lines.join('\n') } };
  }) };
}

/** [[minLon, minLat], [maxLon, maxLat]] of a list of points. */
export function bounds(points) {
  let lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  for (const [x, y] of points) {
    lo = [Math.min(lo[0], x), Math.min(lo[1], y)];
    hi = [Math.max(hi[0], x), Math.max(hi[1], y)];
  }
  return [lo, hi];
}

/** The bounding box of the roads. */
export const roadsBounds = (roads) => bounds(roads.flatMap((r) => r.coords));

/** A segment's bounding box grown by m metres on every side, as minLon,minLat,maxLon,maxLat. */
export function segmentBBox(seg, m) {
  const [[x0, y0], [x1, y1]] = bounds(seg.coords);
  const dy = m / 111320, dx = dy / Math.cos(((y0 + y1) / 2) * Math.PI / 180);
  return [x0 - dx, y0 - dy, x1 + dx, y1 + dy].map((v) => v.toFixed(6)).join(',');
}

/** The road with id, its segment index, or null. */
export function findSegment(roads, id, index) {
  const road = roads.find((r) => r.id === id);
  const seg = road && road.segs.find((s) => s.index === index);
  return seg ? { road, seg } : null;
}
