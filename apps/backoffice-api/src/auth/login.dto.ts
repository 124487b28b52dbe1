import { ApiProperty } from '@nestjs/swagger';
import { OPERATOR_ROLES, type OperatorRole } from '@gw/persistence';
import { IsString, Length } from 'class-validator';

export class LoginRequestDto {
  @ApiProperty({ example: 'ivanova', minLength: 1, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  login: string;

  @ApiProperty({ example: 'q3Vb-Jx0mZ8rT1yLkP2sWn4c', minLength: 1, maxLength: 256 })
  @IsString()
  @Length(1, 256)
  password: string;
}

export class LoginResponseDto {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>` on every other call' })
  token: string;

  @ApiProperty({
    example: '2026-11-20T18:15:02.000+03:00',
    description: 'When the token stops working (RFC 3339, Moscow time); log in again then',
  })
  expiresAt: string;

  @ApiProperty({ enum: OPERATOR_ROLES })
  role: OperatorRole;
}
