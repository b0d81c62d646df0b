// hash.js — the URL fragment as the console's shareable state:
// #sel=houtai-xilu:4&layer=gistar&week=2026-11-16&lang=en (the key, #key=…,
// is taken out by api.js as soon as the page opens).

/** One parameter of the fragment, or null. */
export function hashParam(name) {
  return new URLSearchParams(location.hash.replace(/^#/, '')).get(name);
}

/** Sets (or with null removes) one parameter of the fragment, without a history entry. */
export function setHashParam(name, value) {
  const params = new URLSearchParams(location.hash.replace(/^#/, ''));
  if (value == null) params.delete(name); else params.set(name, value);
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? '#' + rest : ''));
}

/** The segment the fragment selects (#sel=road:index) as {road, seg}, or null. */
export function selectionParam() {
  const m = /^(.+):(\d+)$/.exec(hashParam('sel') || '');
  return m ? { road: m[1], seg: Number(m[2]) } : null;
}
