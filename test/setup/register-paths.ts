// Jest's global setup and teardown run outside its module mapper: resolve the `@gw/*` aliases here.
import { register } from 'tsconfig-paths';
import { resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');
register({ baseUrl: root, paths: require(resolve(root, 'tsconfig.json')).compilerOptions.paths });
