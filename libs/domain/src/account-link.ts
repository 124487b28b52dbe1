/** One resident's link to an account, as the account's other residents may see it. */
export interface AccountLinkFacts {
  linkId: string;
  residentId: string;
  linkedAt: Date;
}

export type LinkRevocability = 'revocable' | 'own_link' | 'not_newer';

/**
 * Whether `actor` may revoke `target` on an account they both hold: only a link made after the
 * actor's own. Whoever was there first can remove a stranger who guessed the payment document;
 * the stranger cannot remove them, nor can two residents remove each other.
 */
export function linkRevocability(
  actor: AccountLinkFacts,
  target: AccountLinkFacts,
): LinkRevocability {
  if (target.linkId === actor.linkId || target.residentId === actor.residentId) return 'own_link';
  return target.linkedAt.getTime() > actor.linkedAt.getTime() ? 'revocable' : 'not_newer';
}

/**
 * An e-mail address as the account's other residents are shown it: the first character of the
 * local part and the domain (`m***@mail.ru`), enough to recognise a relative, not to write to them.
 */
export function maskedEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***${email.slice(at)}`;
}
