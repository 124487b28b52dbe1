/**
 * The Mosenergosbyt partner message (contract section 7.5), on `partner.mosenergosbyt.readings.v1`
 * (from the partner) and `partner.mosenergosbyt.outbound.v1` (to the partner). Ids are the
 * partner's own, decimals use a comma and dates are `DD.MM.YYYY`.
 */
export interface PartnerReadingMessage {
  msgId: string;
  /** The partner's account number (лицевой счёт Мосэнергосбыта). */
  lsMes: string;
  /** The partner's meter number. */
  counterNo: string;
  t1: string | null;
  t2: string | null;
  t3: string | null;
  readDate: string;
  /** Where the reading was taken: the partner's own channel inbound, ours (`kiosk`, …) outbound. */
  src: string | null;
}
