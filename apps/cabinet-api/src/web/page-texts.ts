import { MONTH_NAMES_RU, type VerificationStanding } from '@gw/domain';
import type { CabinetErrorCode } from '../cabinet.errors';

/** What a resident reads when a use case refuses a form; typed as total, so a new code needs its text. */
export const ERROR_TEXTS_RU: Record<CabinetErrorCode, string> = {
  PAYMENT_DOCUMENT_MISMATCH:
    'Данные не совпадают ни с одним из трёх последних платёжных документов (ЕПД). ' +
    'Проверьте номер лицевого счёта, месяц и сумму «Итого начислено».',
  CODE_INVALID: 'Неверный код. Проверьте код из последнего письма.',
  CODE_EXPIRED: 'Срок действия кода истёк. Запросите новый код.',
  CODE_ATTEMPTS_EXHAUSTED: 'Код введён неверно слишком много раз. Запросите новый код.',
  METER_NOT_ON_ACCOUNT: 'Этот счётчик не относится к лицевому счёту. Обновите страницу.',
  METER_REPEATED:
    'Счётчик указан в форме несколько раз. Обновите страницу и введите показания заново.',
  IDEMPOTENCY_KEY_REUSED:
    'С этой формы уже отправлены другие показания. Проверьте показания и отправьте форму ещё раз.',
  REGISTRATION_NOT_FOUND:
    'Регистрация не найдена: код подтверждения устарел или уже использован. Зарегистрируйтесь заново.',
  ACCOUNT_NOT_FOUND: 'Такого лицевого счёта нет в вашем личном кабинете.',
  LINK_NOT_FOUND: 'Такого подключения к счёту нет: возможно, оно уже отключено.',
  LINK_NOT_REVOCABLE: 'Отключить можно только тех, кто подключился к счёту позже вас.',
  LINK_REVOKED:
    'Пользователи этого лицевого счёта отключили ваш доступ к нему. ' +
    'Если это ошибка, обратитесь в расчётный центр.',
  TOO_MANY_ATTEMPTS: 'Слишком много попыток.',
  TOO_MANY_CODES: 'Код уже отправлен недавно.',
  MAIL_UNAVAILABLE: 'Не удалось отправить письмо. Повторите немного позже.',
};

/** "Повторите через 5 мин." for an answer with Retry-After; nothing without one. */
export function retryText(seconds: number | undefined): string {
  if (seconds === undefined || seconds <= 0) return '';
  return seconds < 60
    ? ` Повторите через ${seconds} с.`
    : ` Повторите через ${Math.ceil(seconds / 60)} мин.`;
}

export const VERIFICATION_TEXTS_RU: Record<VerificationStanding, string> = {
  valid: 'действует',
  due_soon: 'скоро истекает',
  expired: 'истекла',
  decommissioned: 'счётчик снят',
  unfit: 'непригоден',
};

/** `2026-11` as `ноябрь 2026`. */
export function periodText(period: string): string {
  const [year, month] = period.split('-').map(Number);
  return MONTH_NAMES_RU[month - 1] ? `${MONTH_NAMES_RU[month - 1]} ${year}` : period;
}

/** `2026-11-20` as `20.11.2026`. */
export function dateText(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : date;
}

/** `2026-11-20T10:15:02.311+03:00` as `20.11.2026 10:15` (the wire times are Moscow time already). */
export function dateTimeText(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]} ${m[4]}:${m[5]}` : iso;
}

/** Zone names as the meter's display and the payment document call them. */
export const ZONE_TEXTS_RU: Record<string, string> = {
  T1: 'Т1 (день или единый тариф)',
  T2: 'Т2 (ночь)',
  T3: 'Т3 (пик/полупик)',
};

export const zoneValuesText = (values: { zone: string; value: string }[]) =>
  values
    .map((v) => (values.length > 1 ? `${v.zone.replace('T', 'Т')}: ${v.value}` : v.value))
    .join(', ');
