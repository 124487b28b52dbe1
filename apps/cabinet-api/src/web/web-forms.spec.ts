import { codeForm, paymentDocumentForm, registrationForm, signInForm } from './web-forms';

const periods = ['2026-10', '2026-09', '2026-08'];

describe('the pages’ forms', () => {
  it('reads a payment document as residents type it', () => {
    expect(
      paymentDocumentForm(
        { accountNumber: ' 500 123 4567 ', period: '2026-09', amountCharged: '4 598,7' },
        periods,
      ),
    ).toEqual({
      ok: true,
      value: { accountNumber: '5001234567', period: '2026-09', amountCharged: '4598.70' },
    });
  });

  it.each([
    ['accountNumber', { accountNumber: '123', period: '2026-09', amountCharged: '1' }],
    ['period', { accountNumber: '5001234567', period: '2026-07', amountCharged: '1' }],
    ['amountCharged', { accountNumber: '5001234567', period: '2026-09', amountCharged: '1,234' }],
    ['amountCharged', { accountNumber: '5001234567', period: '2026-09' }],
  ])('names the wrong field: %s', (field, form) => {
    const parsed = paymentDocumentForm(form, periods);
    expect(parsed.ok).toBe(false);
    expect(Object.keys(parsed.ok ? {} : parsed.errors)).toEqual([field]);
  });

  it('checks each field whole, however long: text past the 200th character still counts', () => {
    const far = ' '.repeat(200);
    const document = { accountNumber: '5001234567', period: '2026-09', amountCharged: '1' };
    expect(
      paymentDocumentForm({ ...document, accountNumber: `5001234567${far}8` }, periods).ok,
    ).toBe(false);
    expect(paymentDocumentForm({ ...document, amountCharged: `4598${far}0` }, periods)).toEqual({
      ok: true,
      value: { ...document, amountCharged: '45980.00' },
    });
    expect(
      registrationForm({ ...document, email: 'a@example.ru', phone: `+7 916 123-45-67${far}8` }, [
        '2026-09',
      ]).ok,
    ).toBe(false);
    expect(codeForm({ code: `123456${far}7` }).ok).toBe(false);
  });

  it('canonicalises the e-mail and phone of a registration', () => {
    const parsed = registrationForm(
      {
        accountNumber: '5001234567',
        period: '2026-10',
        amountCharged: '10',
        email: ' Ivanova@Example.RU ',
        phone: '8 (916) 123-45-67',
      },
      periods,
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: { email: 'ivanova@example.ru', phone: '+79161234567', amountCharged: '10.00' },
    });
  });

  it.each([
    [{ email: 'x' }, false],
    [{ email: ['a@b.ru'] }, false],
    [{ email: 'a@example.ru' }, true],
  ])('sign-in form %p', (form, ok) => {
    expect(signInForm(form).ok).toBe(ok);
  });

  it.each([
    ['123456', true],
    ['123 456', true],
    ['12345', false],
    ['abcdef', false],
    [undefined, false],
  ])('code %p', (code, ok) => {
    expect(codeForm({ code }).ok).toBe(ok);
  });
});
