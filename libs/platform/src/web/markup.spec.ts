import { escapeHtml, markup, SafeHtml } from './markup';

describe('markup', () => {
  const cases: [string, SafeHtml, string][] = [
    [
      'escapes text',
      markup`<p>${'<script>alert(1)</script>'}</p>`,
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    ],
    [
      'escapes attribute quotes',
      markup`<a title="${'" onclick="x'}"></a>`,
      '<a title="&quot; onclick=&quot;x"></a>',
    ],
    ['escapes single quotes and backticks', markup`${"'`"}`, '&#39;&#96;'],
    [
      'keeps nested safe markup',
      markup`<div>${markup`<b>${'a&b'}</b>`}</div>`,
      '<div><b>a&amp;b</b></div>',
    ],
    [
      'joins arrays',
      markup`<ul>${['a', 'b'].map((x) => markup`<li>${x}</li>`)}</ul>`,
      '<ul><li>a</li><li>b</li></ul>',
    ],
    ['renders numbers', markup`${0}/${12.5}`, '0/12.5'],
    ['drops null, undefined and false', markup`[${null}${undefined}${false}]`, '[]'],
  ];
  it.each(cases)('%s', (_name, built, expected) => {
    expect(built.value).toBe(expected);
  });

  it('escapes every character that can break out of text or a quoted attribute', () => {
    expect(escapeHtml(`&<>"'\``)).toBe('&amp;&lt;&gt;&quot;&#39;&#96;');
  });
});
