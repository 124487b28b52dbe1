import { Injectable } from '@nestjs/common';
import { moscowDate, verificationStatus } from '@gw/domain';
import { type AccountMeter, MeterRepository } from '@gw/persistence';
import { OsmpError } from '../osmp/osmp-errors';
import { type OsmpParams, parseAccount, parseSum, parseTxnId } from '../osmp/osmp-params';
import { OSMP_RESULT } from '../osmp/osmp-result';
import type { OsmpReply, XmlNode } from '../osmp/osmp-xml';

/** One `<meter/>` per meter, so the terminal can prompt for each value. */
function metersNode(meters: AccountMeter[], now: Date): XmlNode {
  const today = moscowDate(now);
  return {
    name: 'meters',
    children: meters.map((m) => ({
      name: 'meter',
      attributes: {
        serial: m.serial,
        resource: m.resource,
        zones: m.zones,
        status: verificationStatus(
          { dueOn: m.verificationDueOn, decommissionedOn: m.decommissionedOn },
          today,
        ),
        due_on: m.verificationDueOn,
        integer_digits: m.integerDigits,
        fraction_digits: m.fractionDigits,
      },
    })),
  };
}

/** `command=check`: does the account exist, and which meters may the terminal ask for. */
@Injectable()
export class CheckAccountUseCase {
  constructor(private readonly meters: MeterRepository) {}

  async execute(params: OsmpParams): Promise<OsmpReply> {
    const txnId = parseTxnId(params);
    const account = parseAccount(params);
    const sum = parseSum(params);
    const meters = await this.meters.listByAccount(account);
    if (meters.length === 0 && !(await this.meters.accountExists(account)))
      throw new OsmpError('ACCOUNT_NOT_FOUND', 'account not found');
    return {
      osmpTxnId: txnId,
      sum,
      result: OSMP_RESULT.ok,
      comment: 'OK',
      details: metersNode(meters, new Date()),
    };
  }
}
