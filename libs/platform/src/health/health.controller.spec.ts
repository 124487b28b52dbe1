import 'reflect-metadata';
import type { Response } from 'express';
import type { HttpDrain } from '../lifecycle/http-drain';
import type { HealthCheckResult, HealthIndicator } from './health-check';
import { HealthController } from './health.controller';

const indicator = (name: string, result: HealthCheckResult): HealthIndicator => ({
  name,
  check: async () => result,
});

async function ready(...indicators: HealthIndicator[]) {
  const res = { status: jest.fn() };
  const body = await new HealthController(indicators, { accepting: true } as HttpDrain).ready(
    res as unknown as Response,
  );
  return { status: res.status.mock.calls[0][0], body };
}

describe('HealthController.ready', () => {
  it('is 200 when every check is up', async () => {
    expect(await ready(indicator('kafka', true), indicator('topics', true))).toEqual({
      status: 200,
      body: { status: 'ok', checks: { kafka: 'up', topics: 'up' } },
    });
  });

  it('is 503 and shows the detail of a check that reports one', async () => {
    const problems = ['meter-readings.submitted.v1: replication factor 1, configured 3'];
    expect(
      await ready(
        indicator('postgres', false),
        indicator('topics', { up: false, detail: problems }),
      ),
    ).toEqual({
      status: 503,
      body: {
        status: 'unavailable',
        checks: { postgres: 'down', topics: 'down' },
        details: { topics: problems },
      },
    });
  });

  it('counts a check that throws as down', async () => {
    const failing: HealthIndicator = {
      name: 'kafka',
      check: () => Promise.reject(new Error('no broker')),
    };
    expect(await ready(failing)).toMatchObject({
      status: 503,
      body: { checks: { kafka: 'down' } },
    });
  });
});
