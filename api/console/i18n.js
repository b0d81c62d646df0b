// i18n.js — the console's two languages: Chinese (default) and English.
// The choice is kept in localStorage and may be given in the URL fragment
// (#lang=en). Static text in index.html is written twice, in
// <span class="zh"> and <span class="en">, and style.css shows the one
// that matches <html lang>; script text goes through t(zh, en).

const LANG_STORE = 'hotspot.lang';

/** The current language: 'zh' or 'en'. */
export function lang() {
  return document.documentElement.lang === 'en' ? 'en' : 'zh';
}

/** The Chinese or the English text, whichever the page is in. */
export function t(zh, en) {
  return lang() === 'en' && en != null ? en : zh;
}

/** A place's name: the Chinese name, or in English its pinyin with the name after it. */
export function placeName(zh, pinyin) {
  return lang() === 'en' && pinyin ? `${pinyin} (${zh})` : zh;
}

/** The language asked for by the fragment, then the stored one, then Chinese. */
export function initialLang() {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('lang');
  if (fromHash === 'en' || fromHash === 'zh') return fromHash;
  try { return localStorage.getItem(LANG_STORE) === 'en' ? 'en' : 'zh'; } catch { return 'zh'; }
}

/**
 * Puts the page in language l: <html lang>, the stored choice, and the
 * attributes (aria-label, title, placeholder) of elements that carry
 * data-zh-ATTR / data-en-ATTR pairs.
 */
export function applyLang(l) {
  document.documentElement.lang = l === 'en' ? 'en' : 'zh-CN';
  try { localStorage.setItem(LANG_STORE, lang()); } catch { /* private mode: not kept */ }
  for (const attr of ['aria-label', 'title', 'placeholder']) {
    for (const e of document.querySelectorAll(`[data-zh-${attr}]`)) {
      e.setAttribute(attr, t(e.getAttribute(`data-zh-${attr}`), e.getAttribute(`data-en-${attr}`)));
    }
  }
  document.title = t('街面秩序热点 · 大直沽街道', 'Street-order hotspots · Dazhigu street');
}

/** A number in the page's language. */
export const fmt = (n) => Number(n).toLocaleString(lang() === 'en' ? 'en-GB' : 'zh-CN');
