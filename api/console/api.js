// api.js — the API key and the HTTP calls the console makes.
// The key comes from the URL fragment (#key=hs_…), is kept in localStorage
// and sent as a Bearer token; problem+json errors become ApiError.

import { t } from './i18n.js';

const KEY_STORE = 'hotspot.key';

/** An API failure with the server's problem+json detail. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** Takes a key from the address bar's fragment, stores it and removes it from the URL. */
export function takeKeyFromFragment() {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  const key = params.get('key');
  if (!key) return;
  setKey(key);
  params.delete('key');
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
}

export function getKey() {
  try { return localStorage.getItem(KEY_STORE) || ''; } catch { return ''; }
}

export function setKey(key) {
  try { localStorage.setItem(KEY_STORE, key.trim()); } catch { /* private mode: keep nothing */ }
}

export function clearKey() {
  try { localStorage.removeItem(KEY_STORE); } catch { /* ignore */ }
}

/** Reads a failed response's problem+json detail, or a plain description. */
async function problemDetail(res) {
  try {
    const body = await res.json();
    if (body && body.detail) return body.detail;
    if (body && body.title) return body.title;
  } catch { /* not JSON */ }
  return `HTTP ${res.status} ${res.statusText}`;
}

/** GETs path with the stored key; a failure becomes ApiError, a 401 forgets the key. */
async function request(path, accept, signal) {
  const headers = { Accept: accept };
  const key = getKey();
  if (key) headers.Authorization = 'Bearer ' + key;
  let res;
  try {
    res = await fetch(path, { headers, signal, cache: 'no-store' });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new ApiError(0, t('无法连接服务器：', 'Cannot reach the server: ') + err.message);
  }
  if (!res.ok) {
    const detail = await problemDetail(res);
    if (res.status === 401) clearKey();
    throw new ApiError(res.status, detail);
  }
  return res;
}

/** GETs a JSON document with the stored key. */
export async function getJSON(path, signal) {
  return (await request(path, 'application/json, application/geo+json', signal)).json();
}

/** Downloads path (CSV, iCalendar) with the stored key as a file named name. */
export async function download(path, name) {
  const blob = await (await request(path, '*/*')).blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10e3);
}

/** Asks /readyz once: {ready, detail}. */
export async function readiness() {
  try {
    const res = await fetch('/readyz', { cache: 'no-store' });
    if (res.ok) return { ready: true, detail: '' };
    return { ready: false, detail: await problemDetail(res) };
  } catch (err) {
    return { ready: false, detail: t('无法连接服务器：', 'Cannot reach the server: ') + err.message };
  }
}

/** RFC 3339 in +08:00 (Tianjin) for a Date. */
export function rfc3339Beijing(date) {
  const t = new Date(date.getTime() + 8 * 3600e3);
  const p = (n) => String(n).padStart(2, '0');
  return `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}` +
    `T${p(t.getUTCHours())}:${p(t.getUTCMinutes())}:${p(t.getUTCSeconds())}+08:00`;
}

/**
 * GETs a GeoJSON FeatureCollection and up to maxPages - 1 more pages
 * after it (its 'next' cursor): one place's records, never a district's.
 * Returns {features, truncated}.
 */
export async function getFeatures(path, { maxPages = 3, signal } = {}) {
  const features = [];
  let cursor = '';
  for (let page = 1; page <= maxPages; page++) {
    const fc = await getJSON(cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path, signal);
    for (const f of fc.features || []) features.push(f);
    cursor = fc.next || '';
    if (!cursor) return { features, truncated: false };
  }
  return { features, truncated: true };
}
