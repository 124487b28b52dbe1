import type { Channel, OutcomeStatus, ReasonCode, WarningCode } from '@gw/contracts';
import type { VerificationStanding, VerificationStatus } from '@gw/domain';
import type { OperatorRole } from '@gw/persistence';
import type {
  BrokerUnavailableError,
  ClientRateLimitedError,
  DatabaseUnavailableError,
  PasswordChecksBusyError,
} from '@gw/platform';
import type { BACKOFFICE_AUDIT_ACTIONS } from '../audit/audit.dto';
import type { BackofficeErrorCode } from '../backoffice.errors';

/** The web UI's words for the contract's codes; the codes themselves stay visible next to them. */
export const CHANNEL_NAMES: Record<Channel, string> = {
  cabinet: 'Личный кабинет',
  'payment-terminal': 'Платёжные терминалы',
  kiosk: 'Киоски',
  'paper-slip': 'Бумажные квитанции',
  mosenergosbyt: 'Мосэнергосбыт',
};

export const STATUS_NAMES: Record<OutcomeStatus, string> = {
  accepted: 'принято',
  rejected: 'отклонено',
  needs_review: 'на проверке',
  duplicate: 'повтор',
};

/** Where a verification record came from. */
export const VERIFICATION_SOURCE_NAMES: Record<'registry' | 'operator' | 'arshin', string> = {
  registry: 'реестр',
  operator: 'оператор',
  arshin: 'ФГИС «Аршин»',
};

export const REASON_NAMES: Record<ReasonCode, string> = {
  UNKNOWN_ACCOUNT: 'неизвестный лицевой счёт',
  UNKNOWN_METER: 'неизвестный прибор учёта',
  METER_NOT_ON_ACCOUNT: 'прибор учёта на другом лицевом счёте',
  METER_DECOMMISSIONED: 'прибор учёта снят',
  VERIFICATION_EXPIRED: 'поверка просрочена',
  VERIFICATION_FAILED: 'признан непригодным при поверке',
  ZONES_MISMATCH: 'зоны тарифа не совпадают',
  VALUE_FORMAT: 'неверный формат показания',
  VALUE_DECREASED: 'показание меньше предыдущего',
  READ_IN_FUTURE: 'дата показания в будущем',
  READ_TOO_OLD: 'показание устарело',
  CONSUMPTION_SPIKE: 'резкий рост расхода',
  LOW_CONFIDENCE: 'низкая уверенность распознавания',
  SUSPECTED_SWAP: 'возможно, перепутаны ХВС и ГВС',
};

export const WARNING_NAMES: Record<WarningCode, string> = {
  VERIFICATION_DUE_SOON: 'скоро поверка',
  ROLLOVER: 'переход счётчика через ноль',
  OUTSIDE_WINDOW: 'вне окна приёма, учтено в следующем периоде',
};

export const VERIFICATION_NAMES: Record<VerificationStanding, string> = {
  valid: 'действует',
  due_soon: 'скоро истекает',
  expired: 'просрочена',
  decommissioned: 'прибор снят',
  unfit: 'непригоден',
};

/** A meter's verification standing as the pages name it: unfit, when found so, over the contract's status. */
export const verificationName = (meter: {
  verificationStatus: VerificationStatus;
  unfitSince?: string;
}) =>
  meter.unfitSince && meter.verificationStatus !== 'decommissioned'
    ? VERIFICATION_NAMES.unfit
    : VERIFICATION_NAMES[meter.verificationStatus];

export const ROLE_NAMES: Record<string, string> = {
  operator: 'оператор',
  supervisor: 'старший оператор',
  admin: 'администратор',
} satisfies Record<OperatorRole, string>;

export const ACTION_NAMES: Record<(typeof BACKOFFICE_AUDIT_ACTIONS)[number], string> = {
  'auth.login': 'вход',
  'auth.logout': 'выход',
  'meter.revalidate': 'перепроверка показаний',
  'meter.verification': 'запись поверки',
  'meter.verification.arshin': 'поверка из ФГИС «Аршин»',
  'review.approve': 'принятие показания',
  'review.approve_swapped': 'принятие с заменой ХВС/ГВС',
  'review.claim': 'взятие в работу',
  'review.reject': 'отклонение показания',
  'review.release': 'возврат в очередь',
};

/** An audit action in Russian; one written by another tool (`ctl`) keeps its code. */
export const actionName = (action: string) =>
  ACTION_NAMES[action as keyof typeof ACTION_NAMES] ?? action;

/** The codes of every error the web UI shows: the back office's own, and the platform's it meets. */
export type WebErrorCode =
  | BackofficeErrorCode
  | (
      | BrokerUnavailableError
      | ClientRateLimitedError
      | DatabaseUnavailableError
      | PasswordChecksBusyError
    )['code'];

/** Messages for the back office's error codes, shown after a refused form. */
export const ERROR_TEXTS: Record<WebErrorCode, string> = {
  CONCURRENT_CHANGE: 'Данные изменились во время операции. Повторите.',
  INVALID_CREDENTIALS: 'Неверный логин или пароль.',
  INVALID_REQUEST: 'Неверный запрос.',
  INVALID_VERIFICATION:
    'Такая поверка невозможна (дата в будущем, до установки или после снятия прибора).',
  LOGIN_THROTTLED: 'Слишком много попыток входа с этого адреса. Попробуйте позже.',
  NOT_CLAIMED: 'Эта запись не закреплена за вами.',
  NOT_FOUND: 'Не найдено.',
  NOT_SWAPPABLE:
    'Показание нельзя перенести на другой счётчик воды: это не подозрение на перепутанные ХВС и ГВС ' +
    'или у лицевого счёта нет ровно одного счётчика ХВС и одного ГВС.',
  PASSWORD_CHECKS_BUSY: 'Слишком много входов одновременно. Повторите через секунду.',
  REVALIDATION_FAILED: 'Показание не прошло проверку',
  REVIEW_CLAIMED: 'Запись уже взята в работу другим оператором.',
  REVIEW_DECIDED: 'По записи уже принято решение.',
  SESSION_ENDED: 'Сеанс завершён. Войдите снова.',
  VERIFICATION_CONFLICT: 'Поверка должна быть позже текущей; на эту дату уже записана другая.',
  BAD_FORM: 'Форма заполнена неверно.',
  BROKER_UNAVAILABLE: 'Брокер сообщений недоступен. Повторите позже.',
  DATABASE_UNAVAILABLE: 'База данных недоступна. Повторите позже.',
  TOO_MANY_REQUESTS: 'Слишком много запросов с этого адреса. Повторите через несколько секунд.',
};

export const reasonText = (code: string) => `${REASON_NAMES[code as ReasonCode] ?? code} (${code})`;
