import { type AccountLinkFacts, linkRevocability, maskedEmail } from './account-link';

const link = (linkId: string, residentId: string, linkedAt: string): AccountLinkFacts => ({
  linkId,
  residentId,
  linkedAt: new Date(linkedAt),
});

const ALICE = link('l-alice', 'alice', '2026-11-01T10:00:00Z');

describe('linkRevocability', () => {
  it.each<[string, AccountLinkFacts, string]>([
    [
      'a link made after the actor’s',
      link('l-mallory', 'mallory', '2026-11-20T10:00:00Z'),
      'revocable',
    ],
    ['a link made a millisecond after', link('l-m', 'm', '2026-11-01T10:00:00.001Z'), 'revocable'],
    ['a link made at the same instant', link('l-m', 'm', '2026-11-01T10:00:00Z'), 'not_newer'],
    ['a link made before the actor’s', link('l-bob', 'bob', '2026-10-01T10:00:00Z'), 'not_newer'],
    ['the actor’s own link', ALICE, 'own_link'],
    [
      'another link id of the same resident',
      link('l-x', 'alice', '2026-11-20T10:00:00Z'),
      'own_link',
    ],
  ])('%s -> %s', (_name, target, expected) => {
    expect(linkRevocability(ALICE, target)).toBe(expected);
  });
});

describe('maskedEmail', () => {
  it.each([
    ['maria.ivanova@mail.ru', 'm***@mail.ru'],
    ['a@example.ru', 'a***@example.ru'],
    ['odd"at@sign"@host.ru', 'o***@host.ru'],
    ['no-at-sign', '***'],
    ['@example.ru', '***'],
  ])('%s -> %s', (email, expected) => {
    expect(maskedEmail(email)).toBe(expected);
  });
});
