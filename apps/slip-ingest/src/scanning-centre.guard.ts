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
 * The 401 tells missing credentials from wrong ones, never an unknown login from a wrong password.
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
    if (!credentials)
      throw unauthorized(
        http.getResponse(),
        'missing scanning centre credentials: send its login and password by HTTP Basic',
      );
    const centre = await this.centres.findByLogin(credentials.login);
    const valid = await verifyPassword(
      credentials.password,
      centre?.passwordHash ?? (await (this.decoy ??= hashPassword(generateSecret()))),
    );
    if (!centre || !valid || centre.disabled)
      throw unauthorized(http.getResponse(), 'wrong scanning centre login or password');
    await upgradeWeakHash(centre.passwordHash, credentials.password, (stronger) =>
      this.centres.upgradePasswordHash(centre.centreId, centre.passwordHash, stronger),
    );
    req.scanningCentreId = centre.centreId;
    return true;
  }
}

function unauthorized(res: Response, message: string): UnauthorizedException {
  res.set('WWW-Authenticate', 'Basic realm="slip-ingest", charset="UTF-8"');
  return new UnauthorizedException(message);
}

/** The id of the scanning centre the guard authenticated. */
export const ScanningCentre = createParamDecorator(
  (_: unknown, context: ExecutionContext): string =>
    context.switchToHttp().getRequest<CentreRequest>().scanningCentreId as string,
);
