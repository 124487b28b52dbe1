import { ApiProperty } from '@nestjs/swagger';
import {
  ACCOUNT_NUMBER,
  canonicalAmount,
  canonicalEmail,
  canonicalPhone,
  PERIOD_FORMAT,
} from '@gw/domain';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';

const canonical =
  (parse: (text: string) => string | null) =>
  ({ value }: { value: unknown }) =>
    typeof value === 'string' || typeof value === 'number' ? parse(String(value)) : null;

/** The details of one of the resident's last three payment documents (ЕПД). */
export class PaymentDocumentDto {
  @ApiProperty({ example: '5001234567', description: 'Account number (ЛС), 10 digits' })
  @Matches(ACCOUNT_NUMBER, { message: 'accountNumber must be 10 digits' })
  accountNumber: string;

  @ApiProperty({
    example: '2026-10',
    description:
      'Billing period of the document, YYYY-MM: one of the last three issued (the document for a month is issued at the start of the next one)',
  })
  @Matches(PERIOD_FORMAT, { message: 'period must be a month YYYY-MM' })
  period: string;

  @ApiProperty({
    example: '4598.70',
    description:
      'Amount charged on the document, rubles; a dot or a comma, at most 2 kopeck digits',
  })
  @Transform(canonical(canonicalAmount))
  @IsString({ message: 'amountCharged must be an amount in rubles such as "4598.70"' })
  amountCharged: string;
}

export class RegistrationRequestDto extends PaymentDocumentDto {
  @ApiProperty({ example: 'ivanova@example.ru', description: 'Where codes are sent' })
  @Transform(canonical(canonicalEmail))
  @IsString({ message: 'email must be an e-mail address' })
  email: string;

  @ApiProperty({
    example: '+79161234567',
    description: 'Phone; Russian numbers may be written 8 (916) 123-45-67',
  })
  @Transform(canonical(canonicalPhone))
  @IsString({ message: 'phone must be a phone number such as +79161234567' })
  phone: string;
}

export class RegistrationCreatedDto {
  @ApiProperty({ format: 'uuid' })
  registrationId: string;
}

export class CodeDto {
  @ApiProperty({ example: '123456', description: 'The 6-digit code from the e-mail' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

export class SessionDto {
  @ApiProperty({ description: 'Send as Authorization: Bearer <token>' })
  token: string;

  @ApiProperty({ example: '2026-11-20T22:00:00.000+03:00' })
  expiresAt: string;
}
