import { QueryFailedError } from 'typeorm';
import { main } from '../../../apps/terminal-gateway/src/main';

/** terminal-gateway's entry point, with a failed query whose promise nothing handles. */
main();
void Promise.reject(
  new QueryFailedError(
    'UPDATE terminals SET password_hash = $1 WHERE login = $2',
    ['scrypt$16384$8$1$SECRET', 'T-REJECTING'],
    Object.assign(new Error('duplicate key value violates unique constraint'), {
      detail: 'Key (login)=(T-REJECTING) already exists.',
    }),
  ),
);
