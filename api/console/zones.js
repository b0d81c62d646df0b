// zones.js — the pilot-zones card: each recommended stretch of
// /api/v1/recommendations/pilot-zones with its rank, score, split and the
// evidence of each segment (emerging class, recurrence, dose–response), and
// the criteria in small print. Clicking a stretch selects it on the map.

import { h } from './dom.js';
import { t, fmt } from './i18n.js';
import { pct, num } from './analytics.js';
import { outcomeLabel } from './metrics.js';

/** The kinds of zone, how each is drawn and named. */
export const ZONE_KINDS = {
  pilot: { color: '#d7301f', zh: '建议划线', en: 'paint (pilot)' },
  control: { color: '#3182bd', zh: '对照', en: 'keep as control' },
  candidate: { color: '#fd8d3c', zh: '候选', en: 'candidate' },
  under: { color: '#969696', zh: '已在试点', en: 'already under a pilot' },
};
const zoneKind = (p) => (p.under_pilot ? 'under' : p.split || 'candidate');

/** The zones answer for the map: each polygon with its kind's colour. */
export function zoneFeatures(doc) {
  return { type: 'FeatureCollection', features: ((doc && doc.features) || []).map((f) => ({
    ...f, properties: { road: f.properties.road, rank: f.properties.rank || 0, color: ZONE_KINDS[zoneKind(f.properties)].color },
  })) };
}

/** The card: slot is {doc, error, forbidden}; onSelect(road, seg). */
export function renderZones(box, slot, { onSelect }) {
  box.replaceChildren();
  if (!slot.doc) {
    box.append(h('p', 'muted', slot.forbidden ? t('试点候选需调度员密钥（scheduler）。', 'Pilot zones need a scheduler key.')
      : slot.error ? t('加载失败：', 'Failed: ') + slot.error : t('计算中…', 'Computing…')));
    return;
  }
  const feats = slot.doc.features || [];
  if (!feats.length) box.append(h('p', 'muted', t('无符合条件的路段。', 'No stretch meets the criteria.')));
  const list = h('ol', 'zone-list');
  for (const f of feats) {
    const p = f.properties, kind = zoneKind(p);
    const li = h('li', 'zone ' + kind);
    const head = h('div', 'zone-head');
    const b = h('button', 'link');
    b.type = 'button';
    b.append(`${p.road_name} ${fmt(p.from_m)}–${fmt(p.to_m)} m`);
    const first = (p.segments || [])[0];
    if (first) b.addEventListener('click', () => onSelect(p.road, first.segment));
    head.append(h('span', 'rank-no', p.rank ? String(p.rank) : '–'), b, h('span', 'vtag ' + kind, t(ZONE_KINDS[kind].zh, ZONE_KINDS[kind].en)));
    li.append(head, h('div', 'zone-sub', t(
      `得分 ${fmt(p.score)} · ${fmt(p.count)} 起 · 复发 ${pct(p.recurrent_share)} · ${fmt(p.length_m)} 米`,
      `score ${fmt(p.score)} · ${fmt(p.count)} violations · recurrent ${pct(p.recurrent_share)} · ${fmt(p.length_m)} m`)));
    const segs = h('ul', 'zone-segs');
    for (const s of p.segments || []) {
      const dr = s.dose_response || {};
      const ci = dr.ci95 ? `[${num(dr.ci95[0])}, ${num(dr.ci95[1])}]` : '—';
      segs.append(h('li', null, `#${s.segment} · ${outcomeLabel(s.emerging)} · ` + t(
        `复发 ${pct(s.recurrent_share)} · 巡查 ${num(s.patrol_hours, 0)} h · 剂量反应 ${num(dr.slope)} ${ci}（${dr.weeks ?? '—'} 周）`,
        `recurrent ${pct(s.recurrent_share)} · patrol ${num(s.patrol_hours, 0)} h · dose–response ${num(dr.slope)} ${ci} (${dr.weeks ?? '—'} wk)`)));
    }
    li.append(segs);
    list.append(li);
  }
  box.append(list);
  const d = slot.doc;
  const crit = h('ul', 'muted small zone-crit');
  for (const c of d.criteria || []) crit.append(h('li', null, c));
  box.append(crit, h('p', 'muted small', `${d.score || ''} · ${d.split || ''} · ${t('种子', 'seed')} ${d.seed ?? '—'} · ${d.not_a_rule || ''}`));
}
