/**
 * A resident's e-mail in the form it is stored and looked up by: trimmed and lower-cased (mail
 * providers treat the local part case-insensitively in practice); null when it is not an address.
 */
export function canonicalEmail(text: string): string | null {
  const email = text.trim().toLowerCase();
  if (email.length > 254) return null;
  const at = email.lastIndexOf('@');
  if (at < 1 || at > 64) return null;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!/^[a-z0-9!#$%&'*+/=?^_`{|}~.-]+$/.test(local) || /^\.|\.$|\.\./.test(local)) return null;
  const labels = domain.split('.');
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  if (labels.length < 2 || !labels.every((l) => label.test(l))) return null;
  return /^[a-z]{2,}$/.test(labels[labels.length - 1]) ||
    labels[labels.length - 1].startsWith('xn--')
    ? email
    : null;
}

/**
 * A phone number in E.164 ("+79161234567"). Russian numbers may be written the local way
 * ("8 (916) 123-45-67", "7 916 …", "916 …", "495 …"); other countries need their "+" and code.
 */
export function canonicalPhone(text: string): string | null {
  const compact = text.trim().replace(/[\s()-]/g, '');
  if (compact.startsWith('+7')) return /^\+7\d{10}$/.test(compact) ? compact : null;
  if (/^\+[1-9]\d{9,14}$/.test(compact)) return compact;
  if (/^[78]\d{10}$/.test(compact)) return `+7${compact.slice(1)}`;
  // Ten digits without the country code: a mobile (9xx) or a landline area code (3xx, 4xx).
  if (/^[349]\d{9}$/.test(compact)) return `+7${compact}`;
  return null;
}
