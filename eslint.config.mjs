import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;
const INFRASTRUCTURE = /^(@nestjs\/|typeorm(\/|$)|kafkajs(\/|$)|pg(\/|$))/;
const ORM = /^(typeorm|@nestjs\/typeorm|pg)(\/|$)/;

/** Whether a file of an app is part of its data access (apps/<app>/src/persistence/...). */
const inPersistence = (file) => file.split(path.sep).includes('persistence');

/** What @gw/persistence exports for repositories only: SQL on a Transaction, a bare transaction. */
const PERSISTENCE_INTERNALS = new Set(['queryable', 'transaction']);
const isDataAccess = (file) => !file.startsWith(`apps${path.sep}`) || inPersistence(file);

/** The repository path an import names: `@gw/x` is libs/x, a relative path is resolved, a package stays as written. */
function importTarget(source, filename) {
  const alias = /^@gw\/([^/]+)/.exec(source);
  if (alias) return { path: `libs/${alias[1]}` };
  if (source.startsWith('.')) {
    return { path: path.relative(ROOT, path.resolve(path.dirname(filename), source)) };
  }
  return { package: source };
}

/** Libraries that hold plain rules and data, so any edge or test can use them without infrastructure. */
const PURE_LIBS = new Set(['domain', 'contracts']);

/** Why an import crosses the layers (apps are edges over libs; use cases do not see the ORM), or null. */
function layerViolation(file, target) {
  const [top, unit] = file.split(path.sep);
  const [targetTop, targetUnit] = (target.path ?? '').split(path.sep);
  const pkg = target.package ?? '';
  if (top === 'libs' && PURE_LIBS.has(unit) && INFRASTRUCTURE.test(pkg)) {
    return `libs/${unit} stays free of Nest, TypeORM, Kafka and pg`;
  }
  if (top === 'apps' && !inPersistence(file) && ORM.test(pkg)) {
    return 'apps reach the database through repositories in a persistence/ folder (a Transaction from @gw/persistence)';
  }
  if (top === 'libs' && targetTop === 'apps') return 'libs never import from apps';
  if (top === 'apps' && targetTop === 'apps' && targetUnit !== unit) {
    return `apps/${unit} never imports from apps/${targetUnit}`;
  }
  return null;
}

const layers = {
  rules: {
    imports: {
      meta: { type: 'problem', schema: [], messages: { layer: '{{reason}} ("{{source}}")' } },
      create(context) {
        const file = path.relative(ROOT, context.filename);
        const check = (node) => {
          if (node?.type !== 'Literal' || typeof node.value !== 'string') return;
          const reason = layerViolation(file, importTarget(node.value, context.filename));
          if (reason)
            context.report({ node, messageId: 'layer', data: { reason, source: node.value } });
        };
        return {
          ImportDeclaration: (node) => {
            check(node.source);
            if (node.source.value !== '@gw/persistence' || isDataAccess(file)) return;
            for (const specifier of node.specifiers) {
              const name = specifier.imported?.name;
              if (PERSISTENCE_INTERNALS.has(name))
                context.report({
                  node: specifier,
                  messageId: 'layer',
                  data: {
                    reason: 'only repositories open a Transaction to query through it',
                    source: name,
                  },
                });
            }
          },
          ExportNamedDeclaration: (node) => check(node.source),
          ExportAllDeclaration: (node) => check(node.source),
          ImportExpression: (node) => check(node.source),
          CallExpression: (node) => {
            if (node.callee.type === 'Identifier' && node.callee.name === 'require')
              check(node.arguments[0]);
          },
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', '.cache/**', '.data/**', 'coverage/**', 'artifacts/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['apps/**/*.ts', 'libs/**/*.ts'],
    plugins: { layers },
    rules: {
      'layers/imports': 'error',
      // Settings load with implicit conversion, which makes every non-empty string true first.
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'class-validator',
              importNames: ['IsBoolean'],
              message:
                "A boolean setting is StrictBoolean('NAME') from @gw/platform: 'false' stays false.",
            },
          ],
        },
      ],
    },
  },
);
