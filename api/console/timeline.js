// timeline.js — the time slider: the whole span (the last 52 weeks and the
// current one) or one week of it, Monday 00:00 to Monday 00:00 in Tianjin
// (UTC+8), with a play button that steps through the weeks.

import { h } from './dom.js';
import { t } from './i18n.js';

const ZONE_MS = 8 * 3600e3;
const DAY_MS = 86400e3;
const WEEK_MS = 7 * DAY_MS;
const MONDAY_MS = 4 * DAY_MS; // 1970-01-05 was a Monday
const SPAN_WEEKS = 52;
const PLAY_MS = 1400;

/** Start (ms) of the Tianjin Monday-based week that holds t. */
export function weekStart(ms) {
  return Math.floor((ms + ZONE_MS - MONDAY_MS) / WEEK_MS) * WEEK_MS + MONDAY_MS - ZONE_MS;
}

/** YYYY-MM-DD of an instant in Tianjin. */
export const localDate = (ms) => new Date(ms + ZONE_MS).toISOString().slice(0, 10);

/** The weeks of the span, oldest first: [{start, end}] in ms, the last one running to now. */
export function spanWeeks(now = Date.now()) {
  const last = weekStart(now);
  return Array.from({ length: SPAN_WEEKS + 1 }, (_, i) => {
    const start = last - (SPAN_WEEKS - i) * WEEK_MS;
    return { start, end: start + WEEK_MS };
  });
}

export class Timeline {
  /** @param {{box: HTMLElement, weeks: {start,end}[], onChange: () => void}} o */
  constructor({ box, weeks, onChange }) {
    this.weeks = weeks;
    this.onChange = onChange;
    this.index = 0; // 0: the whole span; i: weeks[i - 1]
    this.timer = 0;
    this.range = h('input');
    Object.assign(this.range, { type: 'range', min: 0, max: weeks.length, step: 1, value: 0, id: 'week' });
    this.range.addEventListener('input', () => this.set(Number(this.range.value)));
    this.play = h('button', 'small play');
    this.play.type = 'button';
    this.play.addEventListener('click', () => (this.timer ? this.stop() : this.start()));
    this.all = h('button', 'small');
    this.all.type = 'button';
    this.all.addEventListener('click', () => { this.stop(); this.set(0); });
    this.label = h('span', 'week-label');
    this.label.setAttribute('aria-live', 'polite');
    this.title = h('label', 'week-title');
    this.title.htmlFor = 'week';
    const row = h('div', 'timeline-row');
    row.append(this.play, this.range, this.all);
    box.replaceChildren(this.title, this.label, row);
    this.renderText();
  }

  /** The window shown: {from, to} in ms (to null: up to now) and whether it is one week. */
  window() {
    if (!this.index) return { from: this.weeks[0].start, to: null, week: false };
    const w = this.weeks[this.index - 1];
    return { from: w.start, to: w.end, week: true };
  }

  /** Shows position i (0 the whole span); onChange runs when it changes. */
  set(i, quiet = false) {
    i = Math.max(0, Math.min(this.weeks.length, i));
    const changed = i !== this.index;
    this.index = i;
    this.range.value = String(i);
    this.renderText();
    if (changed && !quiet) this.onChange();
  }

  /** Shows the week that starts on date (YYYY-MM-DD), if it is in the span. */
  setWeek(date, quiet) {
    const i = this.weeks.findIndex((w) => localDate(w.start) === date);
    if (i >= 0) this.set(i + 1, quiet);
  }

  /** The shown week's first day (YYYY-MM-DD), or null for the whole span. */
  weekDate() {
    return this.index ? localDate(this.weeks[this.index - 1].start) : null;
  }

  start() {
    if (this.index === 0 || this.index === this.weeks.length) this.set(1);
    this.timer = setInterval(() => {
      if (this.index >= this.weeks.length) { this.stop(); return; }
      this.set(this.index + 1);
    }, PLAY_MS);
    this.renderText();
  }

  stop() {
    clearInterval(this.timer);
    this.timer = 0;
    this.renderText();
  }

  renderText() {
    const w = this.window();
    this.title.textContent = t('时间', 'Time');
    this.label.textContent = w.week
      ? t(`第 ${this.index} / ${this.weeks.length} 周：${localDate(w.from)} 至 ${localDate(w.to - DAY_MS)}`,
        `week ${this.index} of ${this.weeks.length}: ${localDate(w.from)} to ${localDate(w.to - DAY_MS)}`)
      : t(`全部 ${this.weeks.length} 周：${localDate(w.from)} 至今`, `all ${this.weeks.length} weeks: ${localDate(w.from)} to now`);
    this.range.setAttribute('aria-valuetext', this.label.textContent);
    this.range.title = this.label.textContent;
    this.play.textContent = this.timer ? t('⏸ 暂停', '⏸ Pause') : t('▶ 播放', '▶ Play');
    this.play.setAttribute('aria-pressed', String(!!this.timer));
    this.all.textContent = t('全部', 'All');
    this.all.disabled = !this.index;
  }
}
