import { verificationReminderRu } from '@gw/domain';

/** The cabinet's e-mails, in Russian. Plain text: codes must survive any mail client. */
export interface MailText {
  subject: string;
  text: string;
}

const FOOTER = '\n\nЭто письмо отправлено автоматически, отвечать на него не нужно.';

export function registrationCodeMail(code: string): MailText {
  return {
    subject: 'Код подтверждения регистрации в личном кабинете',
    text:
      `Здравствуйте!\n\nКод подтверждения регистрации в личном кабинете: ${code}\n\n` +
      'Код действует 10 минут. Никому не сообщайте его.\n' +
      'Если вы не регистрировались, просто не обращайте внимания на это письмо.' +
      FOOTER,
  };
}

export function signInCodeMail(code: string): MailText {
  return {
    subject: 'Код для входа в личный кабинет',
    text:
      `Здравствуйте!\n\nКод для входа в личный кабинет: ${code}\n\n` +
      'Код действует 10 минут. Никому не сообщайте его.\n' +
      'Если вы не входили в личный кабинет, просто не обращайте внимания на это письмо.' +
      FOOTER,
  };
}

/** Tells a resident that someone else linked their account, and how to undo it. */
export function accountLinkedMail(notice: {
  accountNumber: string;
  newcomer: string;
  linkedAt: string;
  linkId: string;
}): MailText {
  return {
    subject: `К лицевому счёту ${notice.accountNumber} подключился ещё один пользователь`,
    text:
      `Здравствуйте!\n\n${notice.linkedAt} (время московское) к лицевому счёту ` +
      `${notice.accountNumber} в личном кабинете подключился ещё один пользователь: ` +
      `${notice.newcomer}. Он указал реквизиты платёжного документа (ЕПД) по этому счёту.\n\n` +
      'Если это вы, член вашей семьи или тот, кому вы доверяете, ничего делать не нужно.\n' +
      'Если нет, отключите этого пользователя в личном кабинете, в сведениях о счёте: он ' +
      `перестанет видеть счёт и не сможет подключить его снова. Номер подключения: ${notice.linkId}.` +
      FOOTER,
  };
}

/** One verification reminder (contract section 9) to a resident who has the account in the cabinet. */
export function verificationReminderMail(reminder: {
  accountNumber: string;
  meterSerial: string;
  resourceName: string;
  dueOn: string;
  daysLeft: number;
}): MailText {
  return {
    subject: `Поверка счётчика ${reminder.meterSerial}: срок ${reminder.dueOn.split('-').reverse().join('.')}`,
    text:
      `Здравствуйте!\n\nЛицевой счёт ${reminder.accountNumber}, счётчик «${reminder.resourceName}» ` +
      `№ ${reminder.meterSerial}.\n\n${verificationReminderRu(reminder.daysLeft, reminder.dueOn)}\n\n` +
      'Срок поверки и напоминания видны в личном кабинете, в разделе счётчиков.' +
      FOOTER,
  };
}

/** Answers a sign-in request for an address without a cabinet, so the API never tells. */
export function noCabinetMail(): MailText {
  return {
    subject: 'Вход в личный кабинет',
    text:
      'Здравствуйте!\n\nС этим адресом запрошен вход в личный кабинет, но кабинет на этот адрес ' +
      'не зарегистрирован. Чтобы зарегистрироваться, возьмите один из трёх последних платёжных ' +
      'документов (ЕПД) и укажите номер лицевого счёта, расчётный период и сумму начисления.\n' +
      'Если вы ничего не запрашивали, просто не обращайте внимания на это письмо.' +
      FOOTER,
  };
}
