// slot.js — one answer the console shows: the URL asked for, its answer or
// error, and the request in flight. Asking again for the same URL does
// nothing; a new URL aborts the old request.

import { ApiError } from './api.js';
import { cachedJSON } from './analytics.js';

export class Slot {
  /** @param {(err) => void} onUnauthorized — a 401: the key was refused */
  constructor(onUnauthorized) {
    this.onUnauthorized = onUnauthorized;
    this.reset();
  }

  reset() {
    if (this.abort) this.abort.abort();
    Object.assign(this, { url: null, doc: null, error: '', forbidden: false, abort: null });
  }

  /** Asks for url (null: nothing) and calls onChange now and when the answer comes. */
  fetch(url, onChange) {
    if (this.url === url) return;
    this.reset();
    this.url = url;
    if (url) {
      const abort = new AbortController();
      this.abort = abort;
      cachedJSON(url, abort.signal).then((doc) => {
        if (this.url !== url) return;
        this.doc = doc;
        onChange();
      }, (err) => {
        if (err.name === 'AbortError' || this.url !== url) return;
        if (err instanceof ApiError && err.status === 401) { this.onUnauthorized(err); return; }
        this.error = err.message || String(err);
        this.forbidden = err instanceof ApiError && err.status === 403;
        onChange();
      });
    }
    onChange();
  }
}
