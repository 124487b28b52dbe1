import { markup, type SafeHtml } from '@gw/platform';
import { periodText } from '../page-texts';
import { type FieldErrors, field } from './layout.page';

export interface DocumentValues {
  accountNumber: string;
  period: string;
  amountCharged: string;
}

/**
 * The fields of a payment document (ЕПД), for registration and for linking an account: the
 * account number, the month of one of the last three documents, and the amount charged.
 */
export function documentFields(
  values: DocumentValues,
  errors: FieldErrors,
  periods: string[],
): SafeHtml {
  const periodError = errors.period;
  return markup`${field({
    id: 'accountNumber',
    name: 'accountNumber',
    label: 'Номер лицевого счёта',
    value: values.accountNumber,
    error: errors.accountNumber,
    hint: '10 цифр, в верхней части платёжного документа (ЕПД).',
    attrs: markup` inputmode="numeric" autocomplete="off" maxlength="20" required`,
  })}
<div class="field"><label for="period">Месяц платёжного документа</label><span class="hint" id="period-hint">Один из трёх последних ЕПД.</span>${
    periodError ? markup`<span class="field-error" id="period-error">${periodError}</span>` : null
  }<select id="period" name="period" aria-describedby="period-hint${periodError ? ' period-error' : ''}"${periodError ? markup` aria-invalid="true"` : null}>${periods.map(
    (p) =>
      markup`<option value="${p}"${p === values.period ? markup` selected` : null}>${periodText(p)}</option>`,
  )}</select></div>
${field({
  id: 'amountCharged',
  name: 'amountCharged',
  label: 'Сумма «Итого начислено», ₽',
  value: values.amountCharged,
  error: errors.amountCharged,
  hint: 'Как в документе, с копейками: например, 4598,70.',
  attrs: markup` inputmode="decimal" autocomplete="off" maxlength="20" required`,
})}`;
}
