// The production entry point of the built output: `node dist/apps/terminal-gateway/main.js`.
import { registerAliases } from '../../libs/platform/src/aliases/register-aliases';

registerAliases();
// Loaded only now: its imports of @gw/* need the aliases registered.
(require('./src/main') as typeof import('./src/main')).main();
