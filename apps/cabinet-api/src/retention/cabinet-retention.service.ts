import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { RateLimiter, RevokedSessionRepository } from '@gw/persistence';
import { CabinetEnv } from '../cabinet.env';
import { Clock } from '../clock';
import { OneTimeCodeRepository } from '../persistence/one-time-code.repository';
import { ResidentRepository } from '../persistence/resident.repository';
import { SubmissionKeyRepository } from '../persistence/submission-key.repository';
import { pendingRegistrationsSince } from '../registration/pending-registration';

const DAY_MS = 24 * 3600 * 1000;
/** How long a form's Idempotency-Key answers its retries: far beyond any retry of a form. */
const SUBMISSION_KEY_DAYS = 7;

/**
 * Keeps personal data only as long as it serves its purpose: unconfirmed registrations (with their
 * e-mail and phone) go after CABINET_PENDING_REGISTRATION_HOURS, codes a day after they stopped
 * mattering, rate-limit counters (keyed by HMACs) when their window has passed, logged-out sessions
 * (operators' too) once their tokens have expired, Idempotency-Keys of readings after a week. Residents and their links stay while they use
 * the cabinet.
 */
@Injectable()
export class CabinetRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(CabinetRetention.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly residents: ResidentRepository,
    private readonly codes: OneTimeCodeRepository,
    private readonly limits: RateLimiter,
    private readonly revokedSessions: RevokedSessionRepository,
    private readonly submissionKeys: SubmissionKeyRepository,
    private readonly clock: Clock,
    private readonly env: CabinetEnv,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () =>
        void this.sweep().catch((error: Error) =>
          this.logger.warn({ msg: 'retention sweep failed', error: error.message }),
        ),
      this.env.CABINET_RETENTION_SWEEP_MINUTES * 60 * 1000,
    );
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async sweep(): Promise<{
    registrations: number;
    codes: number;
    rateLimitCounters: number;
    revokedSessions: number;
    submissionKeys: number;
  }> {
    const now = this.clock.now();
    const [registrations, codes, rateLimitCounters, revokedSessions, submissionKeys] =
      await Promise.all([
        this.residents.purgeRegistrations(pendingRegistrationsSince(this.env, now)),
        this.codes.purge(new Date(now.getTime() - DAY_MS)),
        this.limits.purgeExpired(now),
        this.revokedSessions.purgeExpired(now),
        this.submissionKeys.purge(new Date(now.getTime() - SUBMISSION_KEY_DAYS * DAY_MS)),
      ]);
    const swept = { registrations, codes, rateLimitCounters, revokedSessions, submissionKeys };
    if (registrations + codes + rateLimitCounters + revokedSessions + submissionKeys > 0)
      this.logger.log({ msg: 'retention sweep', ...swept });
    return swept;
  }
}
