export const OSMP_CONTENT_TYPE = 'text/xml; charset=utf-8';
const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** Characters XML 1.0 cannot carry at all, not even as references (controls, lone surrogates, U+FFFE/F). */
const NOT_XML_CHAR = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Parsers fold raw whitespace in attributes into spaces; references keep it.
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

/** Text safe inside an element or a quoted attribute; characters XML cannot carry become U+FFFD. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"'\t\n\r]/g, (c) => ESCAPES[c]);
}

export interface XmlNode {
  name: string;
  attributes?: Record<string, string | number>;
  text?: string;
  children?: XmlNode[];
}

const NAME = /^[a-z_][a-z0-9_]*$/;

function checkedName(name: string): string {
  if (!NAME.test(name)) throw new Error(`not an XML name: ${name}`);
  return name;
}

/** Serialises a tree whose names are the program's own and whose text and attribute values are escaped. */
export function renderNode(node: XmlNode): string {
  const name = checkedName(node.name);
  const attributes = Object.entries(node.attributes ?? {})
    .map(([key, value]) => ` ${checkedName(key)}="${escapeXml(String(value))}"`)
    .join('');
  const content =
    node.text !== undefined
      ? escapeXml(node.text)
      : (node.children ?? []).map((child) => renderNode(child)).join('');
  return content === '' ? `<${name}${attributes}/>` : `<${name}${attributes}>${content}</${name}>`;
}

/** One OSMP answer (contract section 7.2). */
export interface OsmpReply {
  /** The terminal's `txn_id` echoed back; null when the request had none. */
  osmpTxnId: string | null;
  /** The provider's transaction: only a pay that was kept has one. */
  prvTxn?: string;
  /** Two fraction digits. */
  sum?: string;
  result: number;
  comment: string;
  /** Added after `comment`: the meters of a check, the readings of a status. */
  details?: XmlNode;
}

export function renderOsmpReply(reply: OsmpReply): string {
  const children: XmlNode[] = [];
  if (reply.osmpTxnId !== null) children.push({ name: 'osmp_txn_id', text: reply.osmpTxnId });
  if (reply.prvTxn !== undefined) children.push({ name: 'prv_txn', text: reply.prvTxn });
  if (reply.sum !== undefined) children.push({ name: 'sum', text: reply.sum });
  children.push({ name: 'result', text: String(reply.result) });
  children.push({ name: 'comment', text: reply.comment });
  if (reply.details) children.push(reply.details);
  return `${XML_DECLARATION}\n${renderNode({ name: 'response', children })}`;
}
