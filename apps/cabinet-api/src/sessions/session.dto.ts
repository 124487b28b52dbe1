import { ApiProperty } from '@nestjs/swagger';
import { canonicalEmail } from '@gw/domain';
import { Transform } from 'class-transformer';
import { IsString, Matches } from 'class-validator';

const email = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? canonicalEmail(value) : null;

export class SignInRequestDto {
  @ApiProperty({ example: 'ivanova@example.ru' })
  @Transform(email)
  @IsString({ message: 'email must be an e-mail address' })
  email: string;
}

export class SignInConfirmDto extends SignInRequestDto {
  @ApiProperty({ example: '123456', description: 'The 6-digit code from the e-mail' })
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;
}

export class CodeSentDto {
  @ApiProperty({ example: 600, description: 'How long the e-mailed code stays valid' })
  expiresInSeconds: number;
}
