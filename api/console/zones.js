// zones.js — the pilot-zones card: each recommended stretch of
// /api/v1/recommendations/pilot-zones with its rank, score, split and the
// evidence of each segment (emerging class, recurrence, dose–response), and
// the criteria in small print. Clicking a stretch selects it on the map.

import { h } from './dom.js';
import { bilingual, fmt } from './panel.js';
import { outcomeLabel, pct, num, zoneKind } from './analytics.js';

const KIND = { pilot: '建议划线 paint', control: '对照 control', candidate: '候选 candidate', under: '已在试点 under a pilot' };

/** The card: slot is {doc, error, forbidden}; onSelect(road, seg). */
export function renderZones(box, slot, { onSelect }) {
  box.replaceChildren();
  if (!slot.doc) {
    box.append(h('p', 'muted', slot.forbidden ? '试点候选需调度员密钥（scheduler）。Pilot zones need a scheduler key.'
      : slot.error ? '加载失败 Failed: ' + slot.error : '计算中… Computing…'));
    return;
  }
  const feats = slot.doc.features || [];
  if (!feats.length) box.append(h('p', 'muted', '无符合条件的路段 No stretch meets the criteria.'));
  const list = h('ol', 'zone-list');
  for (const f of feats) {
    const p = f.properties, kind = zoneKind(p);
    const li = h('li', 'zone ' + kind);
    const head = h('div', 'zone-head');
    const b = h('button', 'link');
    b.type = 'button';
    b.append(bilingual(p.road_name, ''), ` ${fmt(p.from_m)}–${fmt(p.to_m)} m`);
    const first = (p.segments || [])[0];
    if (first) b.addEventListener('click', () => onSelect(p.road, first.segment));
    head.append(h('span', 'rank-no', p.rank ? String(p.rank) : '–'), b, h('span', 'vtag ' + kind, KIND[kind]));
    li.append(head, h('div', 'zone-sub',
      `得分 score ${fmt(p.score)} · ${fmt(p.count)} 起 violations · 复发 recurrent ${pct(p.recurrent_share)} · ${fmt(p.length_m)} m`));
    const segs = h('ul', 'zone-segs');
    for (const s of p.segments || []) {
      const dr = s.dose_response || {};
      const ci = dr.ci95 ? `[${num(dr.ci95[0])}, ${num(dr.ci95[1])}]` : '—';
      segs.append(h('li', null,
        `#${s.segment} · ${outcomeLabel(s.emerging)} · 复发 ${pct(s.recurrent_share)} · 巡查 ${num(s.patrol_hours, 0)} h · ` +
        `剂量反应 dose–response ${num(dr.slope)} ${ci} (${dr.weeks ?? '—'} 周 wk)`));
    }
    li.append(segs);
    list.append(li);
  }
  box.append(list);
  const d = slot.doc;
  const crit = h('ul', 'muted small zone-crit');
  for (const c of d.criteria || []) crit.append(h('li', null, c));
  box.append(crit, h('p', 'muted small', `${d.score || ''} · ${d.split || ''} · 种子 seed ${d.seed ?? '—'} · ${d.not_a_rule || ''}`));
}
