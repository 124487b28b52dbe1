import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import {
  generateSecret,
  hashPassword,
  parseBasicAuth,
  upgradeWeakHash,
  verifyPassword,
} from '@gw/platform';
import type { Request, Response } from 'express';
import { ScanningCentreRepository } from './persistence/scanning-centre.repository';

type CentreRequest = Request & { scanningCentreId?: string };

/**
 * Authenticates the scanning centre by HTTP Basic auth (its login and password from `ctl scanner
 * add`). The centre is read on every request, so `ctl scanner disable` takes effect at the next one;
 * a disabled centre gets the same 401 as a wrong password, after the (remembered) password check.
 * A hash older than today's scrypt parameters is replaced at the centre's first successful request.
 */
@Injectable()
export class ScanningCentreGuard implements CanActivate {
  /** Checked against for unknown logins, so that timing does not tell which logins exist. */
  private decoy: Promise<string> | null = null;

  constructor(private readonly centres: ScanningCentreRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<CentreRequest>();
    const credentials = parseBasicAuth(req.headers.authorization);
    const centre = credentials ? await this.centres.findByLogin(credentials.login) : null;
    const valid = await verifyPassword(
      credentials?.password ?? '',
      centre?.passwordHash ?? (await (this.decoy ??= hashPassword(generateSecret()))),
    );
    if (!centre || !valid || centre.disabled) {
      http
        .getResponse<Response>()
        .set('WWW-Authenticate', 'Basic realm="slip-ingest", charset="UTF-8"');
      throw new UnauthorizedException(
        'a scanning centre login and password are required (HTTP Basic)',
      );
    }
    await upgradeWeakHash(centre.passwordHash, credentials?.password ?? '', (stronger) =>
      this.centres.upgradePasswordHash(centre.centreId, centre.passwordHash, stronger),
    );
    req.scanningCentreId = centre.centreId;
    return true;
  }
}

/** The id of the scanning centre the guard authenticated. */
export const ScanningCentre = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<CentreRequest>().scanningCentreId as string,
);
