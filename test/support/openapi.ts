/**
 * Checks that every operation under `prefix` of an OpenAPI document answers the per-address 429:
 * the gate runs before every route, so each operation may meet it.
 */
export function expectEveryOperationRateLimited(
  doc: { paths: Record<string, unknown> },
  prefix: string,
): void {
  const refusals = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith(prefix))
    .flatMap(([path, operations]) =>
      Object.entries(operations as Record<string, { responses: Record<string, unknown> }>).map(
        ([method, op]) => ({ operation: `${method} ${path}`, refusal: op.responses['429'] }),
      ),
    );
  expect(refusals.length).toBeGreaterThan(0);
  expect(refusals).toEqual(
    refusals.map(({ operation }) => ({
      operation,
      refusal: expect.objectContaining({
        description: expect.stringContaining('TOO_MANY_REQUESTS'),
      }),
    })),
  );
}
