// messages.js — what the console tells its user outside the cards: the
// status line, errors, the readiness banner and the key form.

import { ApiError, getKey, readiness } from './api.js';
import { t } from './i18n.js';
import { $, state } from './state.js';

export const setStatus = (text) => { $('status').textContent = text; };

export function showError(text) {
  $('error').textContent = text ? t('错误：', 'Error: ') + text : '';
  $('error').hidden = !text;
}

export function showBanner(text) {
  $('banner').textContent = text;
  $('banner').hidden = !text;
}

export function showKeyForm(message) {
  state.generation++;
  if (state.abort) state.abort.abort();
  $('main').hidden = true;
  $('logout').hidden = true;
  $('keyform').hidden = false;
  $('keyform-msg').textContent = message || '';
  $('keyform-msg').hidden = !message;
  showBanner('');
  showError('');
  setStatus('');
  $('keyform-input').focus();
}

export function handleFailure(err) {
  if (err.name === 'AbortError') return;
  if (err instanceof ApiError && err.status === 401) {
    showKeyForm(t('密钥无效：', 'The key was refused: ') + err.message);
    return;
  }
  showError(err.message || String(err));
}

/** A failure of the map's own data: said on the page and in the console. */
export function mapFailure(err) {
  console.error(err);
  showError(err.message || String(err));
}

/** Polls /readyz every 2 s while it is not 200; then calls onReady if it had to wait. */
export async function watchReadiness(onReady) {
  let waited = false;
  for (;;) {
    const r = await readiness();
    if (r.ready) break;
    waited = true;
    showBanner(t('数据仍在加载，完成后页面将自动刷新。', 'Data still loading; the page reloads when done.') + ' ' + r.detail);
    await new Promise((res) => setTimeout(res, 2000));
  }
  showBanner('');
  if (waited && getKey()) onReady();
}
