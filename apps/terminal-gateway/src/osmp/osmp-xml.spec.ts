import { escapeXml, renderNode, renderOsmpReply } from './osmp-xml';

describe('escapeXml', () => {
  it.each([
    ['plain', 'plain'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    [`a&b "c" 'd'`, 'a&amp;b &quot;c&quot; &apos;d&apos;'],
    ['&amp;', '&amp;amp;'],
    [']]>', ']]&gt;'],
    ['tab\tnew\nline\r', 'tab&#9;new&#10;line&#13;'],
    ['nul\u0000bell\u0007', 'nul\uFFFDbell\uFFFD'],
    ['lone \uD800 surrogate', 'lone \uFFFD surrogate'],
    ['\uFFFE\uFFFF', '\uFFFD\uFFFD'],
    ['счётчик №1', 'счётчик №1'],
    ['emoji 😀 stays', 'emoji 😀 stays'],
  ])('%j -> %j', (text, expected) => {
    expect(escapeXml(text)).toBe(expected);
  });
});

describe('renderNode', () => {
  it.each([
    [{ name: 'meters', children: [] }, '<meters/>'],
    [{ name: 'comment', text: '' }, '<comment/>'],
    [{ name: 'comment', text: 'a<b' }, '<comment>a&lt;b</comment>'],
    [
      { name: 'meter', attributes: { serial: '"><x', zones: 2 } },
      '<meter serial="&quot;&gt;&lt;x" zones="2"/>',
    ],
    [
      { name: 'meters', children: [{ name: 'meter', attributes: { serial: 'A' } }] },
      '<meters><meter serial="A"/></meters>',
    ],
  ])('%j', (node, expected) => {
    expect(renderNode(node)).toBe(expected);
  });

  it.each(['bad name', '<x', ''])('refuses the element name %j', (name) => {
    expect(() => renderNode({ name })).toThrow('not an XML name');
  });

  it('refuses an attribute name that is not the program’s own', () => {
    expect(() => renderNode({ name: 'a', attributes: { 'x="1"': 'v' } })).toThrow(
      'not an XML name',
    );
  });
});

describe('renderOsmpReply', () => {
  it.each([
    [
      'a pay that was kept',
      { osmpTxnId: '1234567', prvTxn: '42', sum: '0.00', result: 0, comment: 'OK' },
      '<response><osmp_txn_id>1234567</osmp_txn_id><prv_txn>42</prv_txn><sum>0.00</sum><result>0</result><comment>OK</comment></response>',
    ],
    [
      'a refusal without prv_txn',
      { osmpTxnId: '5', sum: '10.00', result: 5, comment: 'account not found' },
      '<response><osmp_txn_id>5</osmp_txn_id><sum>10.00</sum><result>5</result><comment>account not found</comment></response>',
    ],
    [
      'a request without txn_id',
      { osmpTxnId: null, result: 300, comment: 'txn_id is required' },
      '<response><result>300</result><comment>txn_id is required</comment></response>',
    ],
    [
      'details after the comment',
      {
        osmpTxnId: '1',
        result: 0,
        comment: 'OK',
        details: { name: 'meters', children: [{ name: 'meter', attributes: { serial: 'S&1' } }] },
      },
      '<response><osmp_txn_id>1</osmp_txn_id><result>0</result><comment>OK</comment><meters><meter serial="S&amp;1"/></meters></response>',
    ],
    [
      'an echoed hostile txn_id',
      { osmpTxnId: '</osmp_txn_id><result>0</result>', result: 300, comment: 'bad' },
      '<response><osmp_txn_id>&lt;/osmp_txn_id&gt;&lt;result&gt;0&lt;/result&gt;</osmp_txn_id><result>300</result><comment>bad</comment></response>',
    ],
  ])('%s', (_name, reply, body) => {
    expect(renderOsmpReply(reply)).toBe(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  });
});
