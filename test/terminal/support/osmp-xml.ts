/** An element of an OSMP answer as a strict reader sees it. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** Escaped character data: no raw `<`, and `&` only as a reference. */
const CHARACTER_DATA = '(?:[^<&]|&(?:amp|lt|gt|quot|apos|#\\d+);)*';
const TOKEN = new RegExp(
  `</([a-z_][a-z0-9_]*)>|<([a-z_][a-z0-9_]*)((?:\\s+[a-z_][a-z0-9_]*="(?:[^"<&]|&(?:amp|lt|gt|quot|apos|#\\d+);)*")*)\\s*(/?)>|(${CHARACTER_DATA.replace('*', '+')})`,
  'y',
);

const decode = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, ref: string) =>
    ref.startsWith('#') ? String.fromCodePoint(Number(ref.slice(1))) : ENTITIES[ref],
  );

/**
 * Reads an answer the way a strict XML parser would, for the subset the gateway writes (no
 * comments, CDATA or processing instructions besides the declaration). Throws on anything not
 * well-formed: an unescaped `<` or `&`, a stray quote in an attribute, unbalanced tags.
 */
export function parseXml(body: string): XmlElement {
  if (!body.startsWith(DECLARATION)) throw new Error('missing XML declaration');
  const rest = body.slice(DECLARATION.length);
  const document: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack = [document];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < rest.length) {
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(rest);
    if (!m) throw new Error(`not well-formed at ${at}: ${JSON.stringify(rest.slice(at, at + 40))}`);
    const top = stack[stack.length - 1];
    const [, close, open, attributes, selfClosing, text] = m;
    if (close !== undefined) {
      if (top.name !== close) throw new Error(`</${close}> closes <${top.name}>`);
      stack.pop();
    } else if (open !== undefined) {
      const element: XmlElement = { name: open, attributes: {}, children: [], text: '' };
      for (const [, key, value] of attributes.matchAll(/([a-z_][a-z0-9_]*)="([^"]*)"/g)) {
        if (key in element.attributes) throw new Error(`attribute ${key} twice`);
        element.attributes[key] = decode(value);
      }
      if (top === document && document.children.length > 0) throw new Error('two root elements');
      top.children.push(element);
      if (selfClosing !== '/') stack.push(element);
    } else {
      if (top === document && text.trim() !== '') throw new Error('text outside the root');
      top.text += decode(text);
    }
  }
  if (stack.length !== 1 || document.children.length !== 1) throw new Error('unbalanced document');
  return document.children[0];
}

/** The answer's fields by name, and the attributes of its `<meters>` or `<readings>` entries. */
export interface OsmpAnswer {
  fields: Record<string, string>;
  order: string[];
  items: Record<string, string>[];
}

export function readAnswer(body: string): OsmpAnswer {
  const root = parseXml(body);
  if (root.name !== 'response') throw new Error(`root is <${root.name}>`);
  const fields: Record<string, string> = {};
  const items: Record<string, string>[] = [];
  for (const child of root.children) {
    if (child.name === 'meters' || child.name === 'readings')
      items.push(...child.children.map((c) => c.attributes));
    else fields[child.name] = child.text;
  }
  return { fields, order: root.children.map((c) => c.name), items };
}
