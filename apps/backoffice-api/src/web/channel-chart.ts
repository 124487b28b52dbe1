import { markup, type SafeHtml } from './markup';
import { ruDate } from './pages/view-helpers';

export const CHANNEL_COLOURS = ['#2f6db5', '#e28a1b', '#3a9a5b', '#9b4dca', '#c43c3c'];

const WIDTH = 960;
const HEIGHT = 300;
const LEFT = 48;
const RIGHT = 12;
const TOP = 14;
const BOTTOM = 30;

/** The smallest of 1, 2, 5 x 10^k at or above `value`: a round top for the axis. */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((m) => m * magnitude).find((m) => m >= value) as number;
}

export interface ChartDay {
  date: string;
  channel: string;
  received: number;
}

/**
 * Readings received per day as bars stacked by channel (in `channels` order, coloured like the
 * legend), as inline SVG: no script, nothing fetched. Each segment has a tooltip with its count.
 */
export function channelChart(
  days: ChartDay[],
  channels: readonly string[],
  names: Record<string, string>,
): SafeHtml {
  const dates = [...new Set(days.map((d) => d.date))];
  const count = new Map(days.map((d) => [`${d.date}|${d.channel}`, d.received]));
  const totals = dates.map((date) =>
    channels.reduce((sum, c) => sum + (count.get(`${date}|${c}`) ?? 0), 0),
  );
  const top = niceMax(Math.max(0, ...totals));
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, dates.length);
  const barWidth = Math.max(2, slot * 0.7);
  const y = (value: number) => TOP + plotHeight - (value / top) * plotHeight;
  const round = (n: number) => Math.round(n * 10) / 10;
  // niceMax tops (1, 2, 5, 10, 20, 50, ...) split into whole steps: fifths from 5 up, else ones.
  const step = top >= 5 ? top / 5 : 1;
  const ticks = Array.from({ length: top / step + 1 }, (_, i) => i * step);
  const labelEvery = Math.ceil(dates.length / 31);
  // Days of one month are labelled by their number; across months by day and month.
  const oneMonth = new Set(dates.map((d) => d.slice(0, 7))).size <= 1;
  const dayLabel = (date: string) => (oneMonth ? date.slice(8) : ruDate(date).slice(0, 5));
  const bar = (date: string, x: number, channel: string, c: number, from: number, to: number) =>
    markup`<rect class="bar" data-date="${date}" data-channel="${channel}" x="${x}" y="${round(y(to))}" width="${round(barWidth)}" height="${round(y(from) - y(to))}" fill="${CHANNEL_COLOURS[c % CHANNEL_COLOURS.length]}"><title>${ruDate(date)} · ${names[channel] ?? channel}: ${to - from}</title></rect>`;
  const grid = ticks.map(
    (t) =>
      markup`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${round(y(t))}" y2="${round(y(t))}" stroke="#e3e7ee"/><text x="${LEFT - 6}" y="${round(y(t) + 4)}" text-anchor="end" font-size="11" fill="#5b6777">${t}</text>`,
  );
  const columns = dates.map((date, i) => {
    const x = round(LEFT + i * slot + (slot - barWidth) / 2);
    let base = 0;
    const segments = channels.map((channel, c) => {
      const n = count.get(`${date}|${channel}`) ?? 0;
      if (n === 0) return null;
      base += n;
      return bar(date, x, channel, c, base - n, base);
    });
    const label =
      i % labelEvery === 0
        ? markup`<text x="${round(x + barWidth / 2)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" fill="#5b6777">${dayLabel(date)}</text>`
        : null;
    return markup`${segments}${label}`;
  });
  return markup`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Показания по дням и каналам" xmlns="http://www.w3.org/2000/svg">${grid}${columns}<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP + plotHeight}" y2="${TOP + plotHeight}" stroke="#8a96a6"/></svg>`;
}
