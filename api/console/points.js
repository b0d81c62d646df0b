// points.js — single violations as clustered points, only when the map is
// zoomed in to street level: the violations inside the view (GET
// /api/v1/violations?bbox=…, at most MAX_POINTS), under the filter and
// the slider's window, never the district's.

import { getJSON } from './api.js';
import { t, fmt } from './i18n.js';

const MIN_ZOOM = 16;
const MAX_POINTS = 5000;

/** The violations URL of the view's bbox under the filter. */
function pointsURL(bbox, { q, crs }) {
  const p = new URLSearchParams(q);
  p.set('bbox', bbox);
  p.set('limit', String(MAX_POINTS));
  if (crs !== 'wgs84') p.set('crs', crs);
  return '/api/v1/violations?' + p;
}

export class Points {
  /** @param {{onData: (fc|null) => void, onNote: (text) => void, onError: (err) => void}} o */
  constructor(o) {
    Object.assign(this, o);
    this.on = false;
    this.url = null;
    this.abort = null;
  }

  /** Asks for the view's points when on and zoomed in, or clears them. */
  update(view, aq) {
    const url = this.on && view.zoom >= MIN_ZOOM && !aq.empty ? pointsURL(view.bbox, aq) : null;
    if (!this.on) this.onNote('');
    else if (view.zoom < MIN_ZOOM) this.onNote(t(`放大到 ${MIN_ZOOM} 级以上显示单起违法`, `Zoom in to level ${MIN_ZOOM} to see single violations`));
    if (url === this.url) return;
    this.url = url;
    if (this.abort) this.abort.abort();
    if (!url) { this.onData(null); return; }
    const abort = new AbortController();
    this.abort = abort;
    getJSON(url, abort.signal).then((fc) => {
      if (this.url !== url) return;
      this.onData(fc);
      const n = (fc.features || []).length;
      this.onNote(n >= MAX_POINTS ? t(`仅显示前 ${fmt(MAX_POINTS)} 起，请放大`, `First ${fmt(MAX_POINTS)} only: zoom in`)
        : t(`视野内 ${fmt(n)} 起违法`, `${fmt(n)} violations in view`));
    }, (err) => {
      if (err.name !== 'AbortError') this.onError(err);
    });
  }
}
