// merchants.js — merchant flags in the selected-segment card: the
// merchants recorded on the segment, with their 三必罚 / 三不罚 flags from
// /api/v1/merchants and the reasons behind them, and the notice that the
// flags are information for the officer and legal review, not a decision.

import { h } from './dom.js';
import { fmt } from './panel.js';

export const MERCHANTS_URL = '/api/v1/merchants?limit=10000';
const SHOWN = 8;

/** Merchant ids of a segment's records under the filter, most records first. */
export function segmentMerchants(records, passes, road, seg) {
  const n = new Map();
  for (const r of records) {
    if (r.m && r.road === road && r.seg === seg && passes(r)) n.set(r.m, (n.get(r.m) || 0) + 1);
  }
  return [...n.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

/** The merchants section: slot is {doc, error, forbidden}; ids from segmentMerchants. */
export function renderMerchants(box, slot, ids) {
  box.replaceChildren();
  box.append(h('p', 'sub', '商户 Merchants（记录按当前筛选，标记按近 12 个月 records under the filter, flags over the last 12 months）'));
  if (!ids.length) { box.append(h('p', 'muted small', '本路段无记名商户记录 No merchant recorded on this segment.')); return; }
  if (!slot.doc) {
    box.append(h('p', 'muted small', slot.forbidden ? '商户执法记录需调度员密钥（scheduler）。Merchant records need a scheduler key.'
      : slot.error ? '加载失败 Failed: ' + slot.error : '加载中… Loading…'));
    return;
  }
  const byId = new Map((slot.doc.merchants || []).map((m) => [m.merchant, m]));
  const list = h('ul', 'merchant-list');
  for (const id of ids.slice(0, SHOWN)) {
    const m = byId.get(id);
    const li = h('li', 'merchant');
    li.append(h('span', 'merchant-id', id), h('span', 'merchant-n', m ? `${fmt(m.violations)} 起` : '—'));
    if (m && m.sanbibifa_candidate.flag) li.append(flagTag('bibifa', '三必罚候选 repeat-offender candidate', m.sanbibifa_candidate));
    if (m && m.sanbufa_eligible.flag) li.append(flagTag('bufa', '三不罚可适用 first-offence eligible', m.sanbufa_eligible));
    if (m) li.title = dispositions(m.by_disposition);
    list.append(li);
  }
  box.append(list);
  if (ids.length > SHOWN) box.append(h('p', 'muted small', `另有 ${ids.length - SHOWN} 家 and ${ids.length - SHOWN} more`));
  box.append(h('p', 'notice', slot.doc.notice || ''));
}

function flagTag(cls, text, flag) {
  const t = h('span', 'vtag ' + cls, text);
  t.title = flag.reasons.join('；') + `（记录 records ${flag.records.length}）`;
  return t;
}

const DISPOSITIONS = { warned: '警告 warned', exempted: '免罚 exempted', ordered: '责令改正 ordered', fined: '罚款 fined', corrected: '已改正 corrected', '': '未结 open' };

function dispositions(by) {
  return Object.entries(by || {}).map(([k, n]) => `${DISPOSITIONS[k] || k}: ${n}`).join(' · ');
}
