import { channelChart, niceMax } from './channel-chart';

describe('niceMax', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [10, 10],
    [11, 20],
    [180, 200],
    [4200, 5000],
  ])('%p -> %p', (value, expected) => {
    expect(niceMax(value)).toBe(expected);
  });
});

describe('channelChart', () => {
  const names = { kiosk: 'Киоски', cabinet: '<Кабинет>' };
  const days = [
    { date: '2026-11-01', channel: 'kiosk', received: 3 },
    { date: '2026-11-01', channel: 'cabinet', received: 2 },
    { date: '2026-11-02', channel: 'kiosk', received: 0 },
    { date: '2026-11-02', channel: 'cabinet', received: 1 },
  ];
  const svg = channelChart(days, ['kiosk', 'cabinet'], names).value;
  const bars = [
    ...svg.matchAll(
      /<rect class="bar" data-date="([^"]+)" data-channel="([^"]+)" x="[^"]+" y="([^"]+)" width="[^"]+" height="([^"]+)"/g,
    ),
  ].map((m) => ({ date: m[1], channel: m[2], y: Number(m[3]), height: Number(m[4]) }));

  it('draws one segment per non-zero day and channel, stacked in channel order', () => {
    expect(bars.map((b) => [b.date, b.channel])).toEqual([
      ['2026-11-01', 'kiosk'],
      ['2026-11-01', 'cabinet'],
      ['2026-11-02', 'cabinet'],
    ]);
    // The busiest day (5) reaches the axis top (niceMax 5); the cabinet segment sits on the kiosk one.
    const [kiosk, cabinet, second] = bars;
    expect(cabinet.y).toBe(14);
    expect(cabinet.y + cabinet.height).toBeCloseTo(kiosk.y, 0);
    expect(kiosk.height / cabinet.height).toBeCloseTo(1.5, 1);
    expect(second.height).toBeCloseTo(cabinet.height / 2, 0);
  });

  it('labels days and escapes channel names in tooltips', () => {
    expect(svg).toContain('>01</text>');
    expect(svg).toContain('>02</text>');
    expect(svg).toContain('<title>01.11.2026 · &lt;Кабинет&gt;: 2</title>');
    expect(svg).not.toContain('<Кабинет>');
  });

  it('draws an empty month as axes without bars', () => {
    const empty = channelChart(
      [{ date: '2026-11-01', channel: 'kiosk', received: 0 }],
      ['kiosk'],
      names,
    ).value;
    expect(empty).not.toContain('class="bar"');
    expect(empty).toContain('<svg');
  });
});
