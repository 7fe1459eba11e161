import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../src/index.js';
import { matchSpecRoute } from '../src/spec/openapi.js';
import { SpecValidator } from '../src/spec/validator.js';
import { api, installedBody, manifestFor, startReceiver, type Receiver } from './helpers.js';

// The summary report is computed from the workspace's time entries, and refuses what Clockify refuses.
let sandbox: Sandbox;
let receiver: Receiver;
let call: ReturnType<typeof api>;
let ws: string;
const validator = new SpecValidator('response');
const summary = () => `/v1/workspaces/${ws}/reports/summary`;
const operation = () => matchSpecRoute('POST', `/reports${summary()}`)!.route.operation;

beforeAll(async () => {
  receiver = await startReceiver();
  sandbox = await startSandbox({
    seed: { seed: 3, users: 1, projects: 2, timeEntries: 5 },
    rateLimitPerSecond: 10_000,
    validateResponses: true,
  });
  await sandbox.install({ manifest: manifestFor(receiver) });
  const installed = installedBody(receiver);
  call = api(sandbox, installed.authToken);
  ws = installed.workspaceId;
  // Entries in 2021, long before the seeded ones (the 30 days before now).
  const [alpha, beta] = (await call('GET', `/v1/workspaces/${ws}/projects`)).json as { id: string }[];
  const entries = [
    { start: '2021-03-01T08:00:00Z', end: '2021-03-01T10:00:00Z', projectId: alpha!.id, billable: true },
    { start: '2021-03-01T22:30:00Z', end: '2021-03-01T23:00:00Z', projectId: beta!.id, billable: false },
    { start: '2021-03-02T09:00:00Z', end: '2021-03-02T10:30:00Z', projectId: alpha!.id, billable: false },
    { start: '2021-03-09T09:00:00Z', end: '2021-03-09T10:00:00Z', projectId: alpha!.id },
  ];
  for (const entry of entries) expect((await call('POST', `/v1/workspaces/${ws}/time-entries`, entry)).status).toBe(201);
});

afterAll(async () => {
  // Every answer had every field the spec declares; the only requests refused are the bad ones below.
  expect(sandbox.specViolations().filter((violation) => violation.kind === 'response')).toEqual([]);
  await sandbox?.close();
  await receiver?.close();
});

describe('summary report', () => {
  it('totals the entries started in the range (seconds) and groups them by project, then by date', async () => {
    const res = await call(
      'POST',
      summary(),
      { dateRangeStart: '2021-03-01T00:00:00Z', dateRangeEnd: '2021-03-07T23:59:59.999Z', summaryFilter: { groups: ['PROJECT', 'DATE'] } },
      'reports',
    );
    expect(res.status, res.text).toBe(200);
    expect(validator.validateResponse(operation(), res.json)).toBeUndefined();
    expect(res.json.totals).toEqual([expect.objectContaining({ totalTime: 4 * 3600, totalBillableTime: 2 * 3600, entriesCount: 3 })]);
    const projects = (await call('GET', `/v1/workspaces/${ws}/projects`)).json as { id: string; name: string }[];
    const byId = Object.fromEntries(res.json.groupOne.map((group: { id: string }) => [group.id, group]));
    expect(byId[projects[0]!.id]).toMatchObject({ name: projects[0]!.name, duration: 3.5 * 3600 });
    expect(byId[projects[0]!.id].children.map((day: { name: string; duration: number }) => [day.name, day.duration])).toEqual([
      ['2021-03-01', 7200],
      ['2021-03-02', 5400],
    ]);
    expect(byId[projects[1]!.id]).toMatchObject({ duration: 1800 });
  });

  it('reads dates without an offset in the time zone asked for', async () => {
    // In Tokyo, 1 March ends at 14:59:59Z: the 22:30Z entry is on 2 March there (in UTC it is on the 1st).
    const res = await call(
      'POST',
      summary(),
      {
        dateRangeStart: '2021-03-01T00:00:00',
        dateRangeEnd: '2021-03-01T23:59:59.999',
        timeZone: 'Asia/Tokyo',
        summaryFilter: { groups: ['USER'] },
      },
      'reports',
    );
    expect(res.status, res.text).toBe(200);
    expect(res.json.totals[0]).toMatchObject({ totalTime: 7200, entriesCount: 1 });
  });

  it('filters by user and answers empty totals for a range without entries', async () => {
    const owner = sandbox.workspaces()[0]!.ownerId;
    const mine = await call(
      'POST',
      summary(),
      {
        dateRangeStart: '2021-03-08T00:00:00Z',
        dateRangeEnd: '2021-03-14T00:00:00Z',
        users: { ids: [owner], contains: 'CONTAINS' },
        summaryFilter: { groups: ['USER'] },
      },
      'reports',
    );
    expect(mine.json.totals[0]).toMatchObject({ totalTime: 3600 });
    const none = await call(
      'POST',
      summary(),
      { dateRangeStart: '2020-01-01T00:00:00Z', dateRangeEnd: '2020-01-02T00:00:00Z', summaryFilter: { groups: ['PROJECT'] } },
      'reports',
    );
    expect(none.status).toBe(200);
    expect(none.json).toMatchObject({ totals: [], groupOne: [] });
  });

  it.each([
    ['a missing summaryFilter', { dateRangeStart: '2021-03-01T00:00:00Z', dateRangeEnd: '2021-03-02T00:00:00Z' }, 'summaryFilter'],
    [
      'a date that is not a date',
      { dateRangeStart: 'monday', dateRangeEnd: '2021-03-02T00:00:00Z', summaryFilter: { groups: ['PROJECT'] } },
      'dateRangeStart',
    ],
    [
      'an end before the start',
      { dateRangeStart: '2021-03-02T00:00:00Z', dateRangeEnd: '2021-03-01T00:00:00Z', summaryFilter: { groups: ['PROJECT'] } },
      'dateRangeEnd',
    ],
    [
      'an unknown group',
      { dateRangeStart: '2021-03-01T00:00:00Z', dateRangeEnd: '2021-03-02T00:00:00Z', summaryFilter: { groups: ['PLANET'] } },
      'PLANET',
    ],
    ['no group', { dateRangeStart: '2021-03-01T00:00:00Z', dateRangeEnd: '2021-03-02T00:00:00Z', summaryFilter: { groups: [] } }, 'groups'],
    [
      'an unknown time zone',
      {
        dateRangeStart: '2021-03-01T00:00:00',
        dateRangeEnd: '2021-03-02T00:00:00',
        timeZone: 'Mars/Olympus',
        summaryFilter: { groups: ['PROJECT'] },
      },
      'Mars/Olympus',
    ],
  ])('refuses %s with 400', async (_, body, named) => {
    const res = await call('POST', summary(), body, 'reports');
    expect(res.status, res.text).toBe(400);
    expect(res.json).toMatchObject({ code: 400 });
    expect(res.json.message).toContain(named);
  });
});
