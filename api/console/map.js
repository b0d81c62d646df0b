// map.js — an SVG map of the key roads without basemap tiles: lon/lat in a
// local equirectangular projection (metres; x scaled by cos(lat)), fitted to
// the roads, with drag to pan, wheel to zoom and a scale bar. Violation dots
// are drawn on a canvas above the roads; labels on an SVG above both.

import { svg as el } from './dom.js';

const EARTH_R = 6371008.8;
const RAD = Math.PI / 180;

/** A local equirectangular projection centred on (lon0, lat0), in metres. */
function projection(lon0, lat0) {
  const kx = Math.cos(lat0 * RAD) * EARTH_R * RAD;
  const ky = EARTH_R * RAD;
  return ([lon, lat]) => [(lon - lon0) * kx, (lat - lat0) * ky];
}

/** The largest 1, 2 or 5 × 10^n not above x. */
function niceBelow(x) {
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [5, 2, 1]) if (m * p <= x) return m * p;
  return p;
}

/** The point at fraction `frac` of a projected polyline's length. */
function pointAlong(pts, frac) {
  const lens = [0];
  for (let i = 1; i < pts.length; i++) {
    lens.push(lens[i - 1] + Math.hypot(pts[i][0] - pts[i - 1][0], pts[i][1] - pts[i - 1][1]));
  }
  const want = lens[lens.length - 1] * frac;
  for (let i = 1; i < pts.length; i++) {
    if (lens[i] >= want) {
      const f = (want - lens[i - 1]) / ((lens[i] - lens[i - 1]) || 1);
      return [pts[i - 1][0] + f * (pts[i][0] - pts[i - 1][0]), pts[i - 1][1] + f * (pts[i][1] - pts[i - 1][1])];
    }
  }
  return pts[pts.length - 1];
}

export class RoadMap {
  /** @param {{wrap, svg, canvas, scalebar, onSelect}} o */
  constructor(o) {
    Object.assign(this, o);
    this.labelSvg = el('svg', { class: 'labels', 'aria-hidden': 'true' });
    this.wrap.insertBefore(this.labelSvg, this.canvas.nextSibling);
    this.gHex = el('g', { class: 'hexes' }, this.svg);
    this.hexes = [];
    this.gCasing = el('g', { class: 'casing' }, this.svg);
    this.selRing = el('path', { class: 'sel-ring' }, this.svg);
    this.gSegs = el('g', { class: 'segments' }, this.svg);
    this.gHits = el('g', { class: 'hits' }, this.svg);
    this.gMarks = el('g', { class: 'marks' }, this.svg);
    this.marks = [];
    this.gLabels = el('g', {}, this.labelSvg);
    this.roads = [];
    this.view = { k: 1, cx: 0, cy: 0 };
    this.dots = null;
    this.selected = null;
    this.frame = 0;
    this.bindEvents();
    new ResizeObserver(() => this.resize()).observe(this.wrap);
  }

  /** Builds the road layers from the /api/v1/roads features and fits the view. */
  setRoads(features) {
    let lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
    for (const f of features) {
      for (const [x, y] of f.geometry.coordinates) {
        lo = [Math.min(lo[0], x), Math.min(lo[1], y)];
        hi = [Math.max(hi[0], x), Math.max(hi[1], y)];
      }
    }
    this.project = projection((lo[0] + hi[0]) / 2, (lo[1] + hi[1]) / 2);
    for (const g of [this.gCasing, this.gSegs, this.gHits, this.gLabels]) g.replaceChildren();
    this.selRing.setAttribute('d', '');
    this.roads = features.map((f) => this.buildRoad(f));
    this.fit();
  }

  buildRoad(f) {
    const p = f.properties;
    const approx = !!p.approximate;
    const road = { id: p.id, props: p, pts: f.geometry.coordinates.map(this.project), segs: [] };
    road.casing = el('path', { class: 'casing' + (approx ? ' approximate' : '') }, this.gCasing);
    for (const s of p.segments || []) {
      const seg = { index: s.index, pts: s.geometry.coordinates.map(this.project), props: s };
      seg.path = el('path', { class: 'seg' + (approx ? ' approximate' : '') }, this.gSegs);
      seg.hit = el('path', { class: 'hit' }, this.gHits);
      seg.hit.dataset.road = p.id;
      seg.hit.dataset.seg = s.index;
      seg.title = el('title', {}, seg.hit);
      road.segs.push(seg);
    }
    road.label = this.buildLabel(p, approx);
    return road;
  }

  buildLabel(p, approx) {
    const t = el('text', { class: 'road-label' + (approx ? ' approximate' : '') }, this.gLabels);
    el('tspan', { class: 'zh', x: 0, dy: 0 }, t).textContent = p.name;
    if (approx) el('tspan', { class: 'approx-tag', dx: 4 }, t).textContent = '(approximate / 示意)';
    el('tspan', { class: 'py', x: 0, dy: '1.25em' }, t).textContent = p.pinyin;
    if ((p.pilots || []).length) {
      el('tspan', { class: 'pilot', x: 0, dy: '1.25em' }, t).textContent = '▲ 划线治理试点 line-marking pilot';
    }
    return t;
  }

  /** Fits the roads' extent into the map with a margin. */
  fit() {
    const W = this.wrap.clientWidth, H = this.wrap.clientHeight;
    if (!this.roads.length || !W || !H) return;
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const r of this.roads) for (const [x, y] of r.pts) {
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
    const pad = 70;
    const k = Math.min((W - 2 * pad) / ((x1 - x0) || 1), (H - 2 * pad) / ((y1 - y0) || 1));
    this.view = { k, cx: W / 2 - k * (x0 + x1) / 2, cy: H / 2 + k * (y0 + y1) / 2 };
    this.userMoved = false;
    this.render();
  }

  screen([x, y]) {
    return [this.view.cx + this.view.k * x, this.view.cy - this.view.k * y];
  }

  pathD(pts) {
    return pts.map((p, i) => {
      const [x, y] = this.screen(p);
      return (i ? 'L' : 'M') + x.toFixed(1) + ' ' + y.toFixed(1);
    }).join('');
  }

  /** Colours segments: style(road, segment) → {color, title}. */
  styleSegments(style) {
    for (const r of this.roads) for (const s of r.segs) {
      const { color, title } = style(r, s);
      s.path.setAttribute('stroke', color);
      s.title.textContent = title;
    }
  }

  isSelected(road, index) {
    return !!this.selected && this.selected.road === road && this.selected.seg === index;
  }

  select(road, seg) {
    this.selected = road == null ? null : { road, seg };
    for (const r of this.roads) for (const s of r.segs) {
      s.path.classList.toggle('selected', this.isSelected(r.id, s.index));
    }
    this.schedule();
  }

  /** The selected segment's points, or null. */
  selectedPts() {
    if (!this.selected) return null;
    const r = this.roads.find((x) => x.id === this.selected.road);
    const s = r && r.segs.find((x) => x.index === this.selected.seg);
    return s ? s.pts : null;
  }

  /**
   * Hexagons under the roads: features are GeoJSON Polygons, style(feature)
   * → {fill, cls, title, avoid}; null or [] removes them. The roads stay on
   * top; labels keep off the hexagons marked avoid.
   */
  setHexes(features, style) {
    this.gHex.replaceChildren();
    this.hexes = [];
    for (const f of features || []) {
      if (!f.geometry || f.geometry.type !== 'Polygon' || !this.project) continue;
      const { fill, cls, title, avoid } = style(f);
      const path = el('path', { class: 'hex' + (cls ? ' ' + cls : ''), fill: fill || 'none' }, this.gHex);
      if (title) el('title', {}, path).textContent = title;
      const pts = f.geometry.coordinates[0].map(this.project);
      this.hexes.push({ path, pts, avoid: !!avoid });
    }
    this.wrap.classList.toggle('with-hexes', this.hexes.length > 0);
    this.schedule();
  }

  /**
   * Numbered markers above the roads (the patrol plan's visits): items are
   * {lon, lat, label, title, road, seg}; clicking one selects its segment;
   * null or [] removes them.
   */
  setMarkers(items) {
    this.gMarks.replaceChildren();
    this.marks = [];
    for (const m of items || []) {
      if (!this.project) break;
      const g = el('g', { class: 'mark' }, this.gMarks);
      const c = el('circle', { r: 9 }, g);
      const t = el('text', { 'text-anchor': 'middle', dy: '0.35em' }, g);
      t.textContent = m.label;
      el('title', {}, g).textContent = m.title;
      for (const e of [c, t]) { e.dataset.road = m.road; e.dataset.seg = m.seg; }
      c.setAttribute('r', String(Math.max(9, 3.5 * m.label.length + 3)));
      this.marks.push({ g, road: m.road, seg: m.seg, pt: this.project([m.lon, m.lat]) });
    }
    this.schedule();
  }

  /**
   * Printing: on, the roads and their labels as they are on screen scale to
   * whatever box the page gives the map (a viewBox around them on both SVG
   * layers); off, pixels again.
   */
  printView(on) {
    const origin = this.wrap.getBoundingClientRect();
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const add = (x, y) => { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); };
    for (const r of this.roads) for (const p of r.pts) add(...this.screen(p));
    for (const r of this.roads) {
      const b = r.label.getBoundingClientRect();
      if (b.width) { add(b.left - origin.left, b.top - origin.top); add(b.right - origin.left, b.bottom - origin.top); }
    }
    const pad = 12;
    for (const s of [this.svg, this.labelSvg]) {
      if (on && x1 > x0) {
        s.setAttribute('viewBox', `${x0 - pad} ${y0 - pad} ${x1 - x0 + 2 * pad} ${y1 - y0 + 2 * pad}`);
        s.setAttribute('preserveAspectRatio', 'xMidYMid meet');
      } else {
        s.removeAttribute('viewBox');
      }
    }
  }

  /** Dots: {records, color(record)} or null to hide. */
  setDots(dots) {
    this.dots = dots;
    this.wrap.classList.toggle('with-dots', !!dots);
    this.schedule();
  }

  schedule() {
    if (!this.frame) this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  render() {
    for (const hx of this.hexes) hx.path.setAttribute('d', this.pathD(hx.pts) + 'Z');
    for (const r of this.roads) {
      r.casing.setAttribute('d', this.pathD(r.pts));
      for (const s of r.segs) {
        const d = this.pathD(s.pts);
        s.path.setAttribute('d', d);
        s.hit.setAttribute('d', d);
      }
    }
    for (const m of this.marks) {
      const [x, y] = this.screen(m.pt);
      m.g.setAttribute('transform', `translate(${x.toFixed(1)} ${y.toFixed(1)})`);
      m.g.classList.toggle('selected', this.isSelected(m.road, m.seg));
    }
    const sel = this.selectedPts();
    this.selRing.setAttribute('d', sel ? this.pathD(sel) : '');
    this.placeLabels();
    this.drawDots();
    this.drawScale();
  }

  /**
   * Places each road's label next to a point of the road, trying a few
   * points and sides and taking the first that overlaps no label placed
   * before it (longest roads first).
   */
  placeLabels() {
    // The map's furniture (tools, legend, scale) counts as placed already.
    const origin = this.wrap.getBoundingClientRect();
    const placed = [...this.wrap.querySelectorAll('.layerbar, .maptools, .legend, .scalebar, .attribution')]
      .map((e) => e.getBoundingClientRect())
      .filter((q) => q.width)
      .map((q) => ({ x: q.left - origin.left, y: q.top - origin.top, width: q.width, height: q.height }));
    const overlaps = (b) => placed.some((q) =>
      b.x < q.x + q.width && q.x < b.x + b.width && b.y < q.y + q.height && q.y < b.y + b.height);
    const roadPts = this.roads.flatMap((r) => this.samples(r.pts, 6));
    const hexPts = this.hexes.filter((x) => x.avoid).flatMap((x) => x.pts.map((p) => this.screen(p)));
    const covers = (pts) => (b) => pts.some(([x, y]) => x > b.x && x < b.x + b.width && y > b.y && y < b.y + b.height);
    const onRoad = covers(roadPts), onHex = covers(hexPts);
    const W = this.wrap.clientWidth, H = this.wrap.clientHeight;
    const outside = (b) => b.x < 0 || b.y < 0 || b.x + b.width > W || b.y + b.height > H;
    // Tests from strictest to loosest: the first candidate passing the
    // strictest test that any candidate passes wins.
    const tests = [(b) => !outside(b) && !overlaps(b) && !onRoad(b) && !onHex(b),
      (b) => !outside(b) && !overlaps(b) && !onHex(b), (b) => !outside(b) && !overlaps(b),
      (b) => !outside(b), () => true];
    const fracs = [0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9, 0.05, 0.95, 0.275, 0.425, 0.575, 0.725];
    const order = [...this.roads].sort((a, b) => b.props.length_m - a.props.length_m);
    for (const r of order) {
      const box = r.label.getBBox();
      const cands = [];
      for (const frac of fracs) {
        const [x, y] = this.screen(pointAlong(r.pts, frac));
        for (const [dx, dy] of [[12, -box.height - 4], [12, 10], [-box.width - 12, -box.height - 4], [-box.width - 12, 10]]) {
          const b = { x: x + dx - 3, y: y + dy - 3, width: box.width + 6, height: box.height + 6 };
          cands.push({ b, tx: x + dx - box.x, ty: y + dy - box.y });
        }
      }
      let best = null;
      for (const ok of tests) { best = cands.find((c) => ok(c.b)); if (best) break; }
      placed.push(best.b);
      r.label.setAttribute('transform', `translate(${best.tx.toFixed(1)} ${best.ty.toFixed(1)})`);
    }
  }

  /** Screen points every `step` px along a projected polyline. */
  samples(pts, step) {
    const out = [];
    const sp = pts.map((p) => this.screen(p));
    for (let i = 1; i < sp.length; i++) {
      const [x0, y0] = sp[i - 1], [x1, y1] = sp[i];
      const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / step));
      for (let j = 0; j <= n; j++) out.push([x0 + (x1 - x0) * j / n, y0 + (y1 - y0) * j / n]);
    }
    return out;
  }

  resize() {
    const W = this.wrap.clientWidth, H = this.wrap.clientHeight;
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(W * dpr);
    this.canvas.height = Math.round(H * dpr);
    // Keep the roads fitted until the user pans or zooms.
    if (!this.userMoved && this.roads.length && W && H) { this.fit(); return; }
    this.render();
  }

  drawDots() {
    const ctx = this.canvas.getContext('2d');
    const dpr = window.devicePixelRatio || 1;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (!this.dots || !this.project) return;
    // Drawn in chunks of records (in load order), each chunk batched by
    // colour: categories interleave instead of the last colour covering all.
    ctx.globalAlpha = 0.75;
    const recs = this.dots.records;
    for (let i = 0; i < recs.length; i += 400) {
      const byColor = new Map();
      for (const r of recs.slice(i, i + 400)) {
        if (Number.isNaN(r.lon)) continue;
        const c = this.dots.color(r);
        if (!byColor.has(c)) byColor.set(c, []);
        byColor.get(c).push(this.screen(this.project([r.lon, r.lat])));
      }
      for (const [color, pts] of byColor) {
        ctx.fillStyle = color;
        ctx.beginPath();
        for (const [x, y] of pts) { ctx.moveTo(x + 2.2, y); ctx.arc(x, y, 2.2, 0, 2 * Math.PI); }
        ctx.fill();
      }
    }
  }

  drawScale() {
    const maxPx = 120;
    const m = niceBelow(maxPx / this.view.k);
    const px = m * this.view.k;
    const svg = this.scalebar;
    svg.replaceChildren();
    el('path', { class: 'bar', d: `M4 10V16H${(4 + px).toFixed(1)}V10` }, svg);
    el('text', { x: 8 + px, y: 17, class: 'label' }, svg).textContent =
      m >= 1000 ? `${m / 1000} km` : `${m} m`;
  }

  bindEvents() {
    let drag = null;
    this.svg.addEventListener('pointerdown', (e) => {
      drag = { x: e.clientX, y: e.clientY, moved: false, target: e.target };
      this.svg.setPointerCapture(e.pointerId);
    });
    this.svg.addEventListener('pointermove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) < 4) return;
      drag.moved = true;
      this.userMoved = true;
      this.wrap.classList.add('dragging');
      this.view.cx += dx; this.view.cy += dy;
      drag.x = e.clientX; drag.y = e.clientY;
      this.schedule();
    });
    this.svg.addEventListener('pointerup', () => {
      if (drag && !drag.moved) {
        const d = drag.target.dataset || {};
        if (d.road) this.onSelect(d.road, Number(d.seg));
        else this.onSelect(null, null);
      }
      drag = null;
      this.wrap.classList.remove('dragging');
    });
    this.svg.addEventListener('wheel', (e) => {
      e.preventDefault();
      const rect = this.svg.getBoundingClientRect();
      const px = e.clientX - rect.left, py = e.clientY - rect.top;
      const f = Math.exp(-e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.0015));
      const k = Math.min(Math.max(this.view.k * f, 0.005), 50);
      const g = k / this.view.k;
      this.view = { k, cx: px - (px - this.view.cx) * g, cy: py - (py - this.view.cy) * g };
      this.userMoved = true;
      this.schedule();
    }, { passive: false });
  }
}
