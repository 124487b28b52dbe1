import { keysetPage } from './keyset-page';

describe('keysetPage', () => {
  const id = (n: number) => n;

  it.each<[string, number[], number[], number | null]>([
    ['more rows than the page: the cursor of the last shown', [1, 2, 3], [1, 2], 2],
    ['exactly a full last page: no cursor', [1, 2], [1, 2], null],
    ['a short last page: no cursor', [1], [1], null],
    ['nothing: no cursor', [], [], null],
  ])('%s', (_name, read, shown, next) => {
    expect(keysetPage(read, 2, id)).toEqual({ rows: shown, next });
  });
});
