import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { QueryNumber } from './query-number.decorator';

class Query {
  @QueryNumber(1, 500)
  limit?: number;

  @QueryNumber(0, 48, { fraction: true })
  hours?: number;
}

/** The query as the handler would get it, or what is wrong with it. */
function read(query: Record<string, unknown>): Query | string[] {
  const dto = plainToInstance(Query, query);
  const problems = validateSync(dto).flatMap((e) => Object.values(e.constraints ?? {}));
  return problems.length > 0 ? problems : { ...dto };
}

const LIMIT = 'limit must be a whole number 1 to 500, written in digits';
const HOURS = 'hours must be a number 0 to 48, written in digits with at most one decimal point';

describe('QueryNumber', () => {
  it.each<[string, Record<string, unknown>, Query | string[]]>([
    ['absent', {}, {}],
    ['a whole number', { limit: '20' }, { limit: 20 }],
    ['leading zeros', { limit: '007' }, { limit: 7 }],
    ['the bounds', { limit: '1', hours: '48' }, { limit: 1, hours: 48 }],
    ['a fraction where allowed', { hours: '0.5' }, { hours: 0.5 }],
    ['zero hours', { hours: '0' }, { hours: 0 }],
    ['an empty value', { limit: '', hours: '' }, [LIMIT, HOURS]],
    ['blanks', { limit: ' ', hours: '\t' }, [LIMIT, HOURS]],
    ['blanks around digits', { limit: ' 5', hours: '5 ' }, [LIMIT, HOURS]],
    ['hexadecimal', { limit: '0x10', hours: '0x10' }, [LIMIT, HOURS]],
    ['an exponent', { limit: '1e2', hours: '1e1' }, [LIMIT, HOURS]],
    ['a sign', { limit: '+5', hours: '-1' }, [LIMIT, HOURS]],
    ['a fraction where not allowed', { limit: '2.5' }, [LIMIT]],
    ['a bare decimal point', { hours: '.5' }, [HOURS]],
    ['a decimal comma', { hours: '0,5' }, [HOURS]],
    ['two decimal points', { hours: '1.2.3' }, [HOURS]],
    ['below the minimum', { limit: '0' }, [LIMIT]],
    ['above the maximum', { limit: '501', hours: '48.001' }, [LIMIT, HOURS]],
    ['beyond any integer', { limit: '9'.repeat(400) }, [LIMIT]],
    ['a word', { limit: 'ten' }, [LIMIT]],
    ['a repeated parameter', { limit: ['1', '2'] }, [LIMIT]],
    ['a nested parameter', { hours: { gt: '1' } }, [HOURS]],
  ])('%s', (_name, query, expected) => {
    expect(read(query)).toEqual(expected);
  });
});
