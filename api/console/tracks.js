// tracks.js — an officer's patrol track for a day: GET /api/v1/tracks for
// that day (LineStrings of GPS fixes, in the basemap's datum), a choice of
// officer, and the chosen officer's tracks drawn on the map.

import { getFeatures } from './api.js';
import { h } from './dom.js';
import { t, fmt } from './i18n.js';
import { localDate } from './timeline.js';

/** The tracks URL of one Tianjin day (YYYY-MM-DD). */
function tracksURL(date, crs) {
  const p = new URLSearchParams({ datetime: `${date}T00:00:00+08:00/${nextDay(date)}T00:00:00+08:00`, limit: '1000' });
  if (crs !== 'wgs84') p.set('crs', crs);
  return '/api/v1/tracks?' + p;
}

const nextDay = (date) => localDate(Date.parse(`${date}T00:00:00+08:00`) + 86400e3);

export class Tracks {
  /** @param {{box: HTMLElement, crs: string, onShow: (fc|null) => void, onError: (err) => void}} o */
  constructor(o) {
    Object.assign(this, o);
    this.date = localDate(Date.now() - 86400e3);
    this.officer = '';
    this.features = null;
    this.render();
  }

  async load() {
    this.features = null;
    this.error = '';
    this.loading = true;
    this.render();
    const date = this.date;
    try {
      const { features } = await getFeatures(tracksURL(date, this.crs), { maxPages: 2 });
      if (date !== this.date) return;
      this.features = features.filter((f) => f.geometry);
      const officers = this.officers();
      if (!officers.has(this.officer)) this.officer = officers.keys().next().value || '';
    } catch (err) {
      this.error = err.message || String(err);
      this.onError(err);
    }
    this.loading = false;
    this.render();
    this.draw();
  }

  /** Officers of the day's tracks, with their tracks' count and presence. */
  officers() {
    const m = new Map();
    for (const f of this.features || []) {
      const o = m.get(f.properties.officer) || { tracks: 0, seconds: 0 };
      o.tracks++;
      o.seconds += f.properties.presence_s || 0;
      m.set(f.properties.officer, o);
    }
    return new Map([...m].sort((a, b) => a[0].localeCompare(b[0])));
  }

  draw() {
    const feats = (this.features || []).filter((f) => f.properties.officer === this.officer);
    this.onShow(this.features ? { type: 'FeatureCollection', features: feats } : null);
  }

  render() {
    const form = h('div', 'row');
    const date = h('input');
    Object.assign(date, { type: 'date', value: this.date, id: 'track-date' });
    date.setAttribute('aria-label', t('日期', 'Date'));
    date.addEventListener('change', () => { this.date = date.value; if (this.features) this.load(); });
    const go = h('button', 'small', this.features ? t('刷新', 'Reload') : t('显示轨迹', 'Show tracks'));
    go.type = 'button';
    go.addEventListener('click', () => this.load());
    form.append(date, go);
    const parts = [form];
    if (this.loading) parts.push(h('p', 'muted', t('加载中…', 'Loading…')));
    else if (this.error) parts.push(h('p', 'muted', t('加载失败：', 'Failed: ') + this.error));
    else if (this.features) {
      const officers = this.officers();
      if (!officers.size) parts.push(h('p', 'muted', t('当日无轨迹。', 'No tracks that day.')));
      else {
        const sel = h('select');
        sel.id = 'track-officer';
        sel.setAttribute('aria-label', t('巡查员', 'Officer'));
        for (const [id, o] of officers) {
          sel.append(new Option(`${id} · ${t(`${o.tracks} 条，在岗 ${fmt(Math.round(o.seconds / 60))} 分钟`,
            `${o.tracks} tracks, ${fmt(Math.round(o.seconds / 60))} min present`)}`, id, false, id === this.officer));
        }
        sel.addEventListener('change', () => { this.officer = sel.value; this.draw(); });
        const hide = h('button', 'small', t('隐藏', 'Hide'));
        hide.type = 'button';
        hide.addEventListener('click', () => { this.features = null; this.onShow(null); this.render(); });
        const row = h('div', 'row');
        row.append(sel, hide);
        parts.push(row, h('p', 'muted small', t(`${officers.size} 名巡查员有轨迹；绿色线为所选巡查员当日 GPS 轨迹。`,
          `${officers.size} officers have tracks; the green line is the chosen officer's GPS track that day.`)));
      }
    }
    this.box.replaceChildren(...parts);
  }
}
