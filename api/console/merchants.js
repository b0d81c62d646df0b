// merchants.js — merchant flags in the selected-segment card: the
// merchants recorded on the segment (its violations in the window, from
// GET /api/v1/violations), with their 三必罚 / 三不罚 flags from
// /api/v1/merchants and the reasons behind them, and the notice that the
// flags are information for the officer and legal review, not a decision.

import { h } from './dom.js';
import { t, fmt } from './i18n.js';
import { segmentBBox } from './roads.js';

export const MERCHANTS_URL = '/api/v1/merchants?limit=10000';
const SHOWN = 8;

/** The URL of a segment's violations under the filter: the road's, in the segment's box. */
export function segmentURL(road, seg, { q, crs }) {
  const p = new URLSearchParams(q);
  p.set('road', road.id);
  p.set('bbox', segmentBBox(seg, (road.props.buffer_m || 30) + 10));
  p.set('limit', '10000');
  if (crs !== 'wgs84') p.set('crs', crs);
  return '/api/v1/violations?' + p;
}

/** Merchant ids of a segment's violations (GeoJSON features), most records first. */
export function segmentMerchants(features, seg) {
  const n = new Map();
  for (const f of features) {
    const p = f.properties;
    if (p.merchant_id && p.segment === seg) n.set(p.merchant_id, (n.get(p.merchant_id) || 0) + 1);
  }
  return [...n.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

/** The merchants section: slot is {doc, error, forbidden}; ids from segmentMerchants, null while loading. */
export function renderMerchants(box, slot, ids) {
  box.replaceChildren();
  box.append(h('p', 'sub', t('商户（记录按当前筛选，标记按近 12 个月）', 'Merchants (records under the filter, flags over the last 12 months)')));
  if (ids && !ids.length) { box.append(h('p', 'muted small', t('本路段无记名商户记录。', 'No merchant recorded on this segment.'))); return; }
  if (!slot.doc || !ids) {
    box.append(h('p', 'muted small', slot.forbidden ? t('商户执法记录需调度员密钥（scheduler）。', 'Merchant records need a scheduler key.')
      : slot.error ? t('加载失败：', 'Failed: ') + slot.error : t('加载中…', 'Loading…')));
    return;
  }
  const byId = new Map((slot.doc.merchants || []).map((m) => [m.merchant, m]));
  const list = h('ul', 'merchant-list');
  for (const id of ids.slice(0, SHOWN)) {
    const m = byId.get(id);
    const li = h('li', 'merchant');
    li.append(h('span', 'merchant-id', id), h('span', 'merchant-n', m ? t(`${fmt(m.violations)} 起`, `${fmt(m.violations)} violations`) : '—'));
    if (m && m.sanbibifa_candidate.flag) li.append(flagTag('bibifa', t('三必罚候选', '三必罚 repeat-offender candidate'), m.sanbibifa_candidate));
    if (m && m.sanbufa_eligible.flag) li.append(flagTag('bufa', t('三不罚可适用', '三不罚 first-offence eligible'), m.sanbufa_eligible));
    if (m) li.title = dispositions(m.by_disposition);
    list.append(li);
  }
  box.append(list);
  if (ids.length > SHOWN) box.append(h('p', 'muted small', t(`另有 ${ids.length - SHOWN} 家`, `and ${ids.length - SHOWN} more`)));
  box.append(h('p', 'notice', slot.doc.notice || ''));
}

function flagTag(cls, text, flag) {
  const tag = h('span', 'vtag ' + cls, text);
  tag.title = flag.reasons.join('; ') + t(`（记录 ${flag.records.length} 条）`, ` (${flag.records.length} records)`);
  return tag;
}

const DISPOSITIONS = { warned: ['警告', 'warned'], exempted: ['免罚', 'exempted'], ordered: ['责令改正', 'ordered'],
  fined: ['罚款', 'fined'], corrected: ['已改正', 'corrected'], '': ['未结', 'open'] };

function dispositions(by) {
  return Object.entries(by || {}).map(([k, n]) => `${DISPOSITIONS[k] ? t(...DISPOSITIONS[k]) : k}: ${n}`).join(' · ');
}
