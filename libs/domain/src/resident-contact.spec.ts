import { canonicalEmail, canonicalPhone } from './resident-contact';

describe('canonicalEmail', () => {
  it.each([
    ['ivanov@example.ru', 'ivanov@example.ru'],
    ['  Ivanov.Petr@Example.RU ', 'ivanov.petr@example.ru'],
    ['a+tag@mail.example.com', 'a+tag@mail.example.com'],
    ['user@xn--d1acufc.xn--p1ai', 'user@xn--d1acufc.xn--p1ai'],
  ])('%p -> %p', (text, email) => {
    expect(canonicalEmail(text)).toBe(email);
  });

  it.each([
    [''],
    ['ivanov'],
    ['ivanov@'],
    ['@example.ru'],
    ['ivanov@example'],
    ['ivanov@@example.ru'],
    ['iva nov@example.ru'],
    ['.ivanov@example.ru'],
    ['iva..nov@example.ru'],
    ['ivanov@-example.ru'],
    ['ivanov@example.r'],
    ['иванов@пример.рф'],
    [`${'a'.repeat(65)}@example.ru`],
    [`a@${'b'.repeat(250)}.ru`],
  ])('%p is not an address', (text) => {
    expect(canonicalEmail(text)).toBeNull();
  });
});

describe('canonicalPhone', () => {
  it.each([
    ['+79161234567', '+79161234567'],
    ['+7 (916) 123-45-67', '+79161234567'],
    ['8 916 123 45 67', '+79161234567'],
    ['89161234567', '+79161234567'],
    ['79161234567', '+79161234567'],
    ['9161234567', '+79161234567'],
    ['(495) 123-45-67', '+74951234567'],
    ['+375291234567', '+375291234567'],
    ['+4915112345678', '+4915112345678'],
  ])('%p -> %p', (text, phone) => {
    expect(canonicalPhone(text)).toBe(phone);
  });

  it.each([
    [''],
    ['12345'],
    ['+7916123456'],
    ['+791612345678'],
    ['8916123456'],
    ['5951234567'],
    ['+0123456789012'],
    ['+7916123456a'],
    ['phone'],
  ])('%p is not a phone number', (text) => {
    expect(canonicalPhone(text)).toBeNull();
  });
});
