// taxonomy.js — the five sources of violations and the categories of the
// taxonomy (GET /api/v1/categories) with the colour each is drawn in.

import { t } from './i18n.js';

export const SOURCES = [
  { code: 'patrol', zh: '巡查', en: 'Patrol' },
  { code: 'hotline', zh: '12345 热线', en: 'Hotline' },
  { code: 'camera', zh: '视频监控', en: 'Camera' },
  { code: 'campaign', zh: '专项整治', en: 'Campaign' },
  { code: 'citizen', zh: '市民上报', en: 'Citizen' },
];

// Fixed for the known codes so a category keeps its colour; others take
// the spare colours in turn.
const CATEGORY_COLORS = {
  'street-vending': '#e15759', 'outside-shop': '#4e79a7', 'piled-materials': '#9c755f',
  'garbage-sorting': '#59a14f', dumping: '#76b7b2', 'outdoor-ads': '#edc948',
  'frontage-duties': '#f28e2b', barbecue: '#b07aa1', 'illegal-construction': '#ff9da7', other: '#8c8c8c',
};
const SPARE_COLORS = ['#17becf', '#bcbd22', '#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

/** The categories answer as a Map code → {zh, en, shopFront, color}. */
export function categoryMap(doc) {
  let spare = 0;
  return new Map((doc.categories || []).map((c) => [c.code, {
    zh: c.name_zh, en: c.name_en, shopFront: c.shop_front,
    color: CATEGORY_COLORS[c.code] || SPARE_COLORS[spare++ % SPARE_COLORS.length],
  }]));
}

/** A category's name in the page's language; unknown codes as themselves. */
export function categoryName(cats, code) {
  const c = cats.get(code);
  return c ? t(c.zh, c.en) : code;
}

/** The MapLibre expression that colours a feature by its 'category'. */
export function categoryColorExpression(cats) {
  const pairs = [...cats].flatMap(([code, c]) => [code, c.color]);
  return pairs.length ? ['match', ['get', 'category'], ...pairs, '#8c8c8c'] : '#8c8c8c';
}
