import type { FastifyInstance } from 'fastify';
import type { TimeEntryRecord } from '../data/records.js';
import type { WorkspaceData } from '../data/workspace.js';
import { badRequest } from '../errors.js';
import { body, callerUserId, workspaceOf, type RouteContext } from './context.js';

/**
 * `POST /reports/v1/workspaces/{ws}/reports/summary` (generateSummaryReport), computed from the
 * workspace's time entries: `totals` (seconds, as the reports API counts) and `groupOne` grouped by
 * the first of `summaryFilter.groups`, with the next groups as `children`. The spec check has already
 * refused bodies that do not fit the schema; this refuses what Clockify refuses beyond it (dates
 * that are not dates, a range ending before it starts, unknown groups and time
 * zones) with 400, and changes nothing.
 */
const GROUPS = ['PROJECT', 'CLIENT', 'TASK', 'TAG', 'USER', 'DATE', 'TIMEENTRY'] as const;
type Group = (typeof GROUPS)[number];
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})?$/;

interface ReportBody {
  dateRangeStart: string;
  dateRangeEnd: string;
  timeZone?: string;
  summaryFilter: { groups?: string[] };
  users?: { ids?: string[]; contains?: string };
  projects?: { ids?: string[]; contains?: string };
  billable?: boolean;
}

interface Node {
  id: string;
  name: string;
  duration: number;
  entries: TimeEntryRecord[];
}

export function registerReportRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/reports/v1/workspaces/:workspaceId/reports/summary', async (request) => {
    const ws = workspaceOf(ctx, request);
    const filter = body<ReportBody>(ctx, request);
    const zone = filter.timeZone ?? ws.users.get(callerUserId(request))?.timeZone ?? 'UTC';
    if (!isTimeZone(zone)) throw badRequest(`Unknown time zone: ${zone}`);
    const from = instantIn(filter.dateRangeStart, zone, 'dateRangeStart');
    const to = instantIn(filter.dateRangeEnd, zone, 'dateRangeEnd');
    if (to < from) throw badRequest('dateRangeEnd must not be before dateRangeStart');
    const groups = filter.summaryFilter.groups ?? [];
    if (groups.length === 0 || groups.length > 3) throw badRequest('summaryFilter.groups needs one to three groups');
    const unknown = groups.find((group) => !(GROUPS as readonly string[]).includes(group));
    if (unknown !== undefined) throw badRequest(`Unknown summary group: ${unknown} (one of ${GROUPS.join(', ')})`);

    const entries = selected(ws, filter, from, to);
    const totalTime = sum(entries, () => true);
    return {
      chart: [],
      totals:
        entries.length === 0
          ? []
          : [{ id: '', totalTime, totalBillableTime: sum(entries, (e) => e.billable), entriesCount: entries.length, amounts: [] }],
      groupOne: groupBy(ws, entries, groups as Group[], zone),
    };
  });
}

/** Finished entries overlapping nothing outside the range: Clockify reports an entry by its start. */
function selected(ws: WorkspaceData, filter: ReportBody, from: number, to: number): TimeEntryRecord[] {
  const users = idFilter(filter.users);
  const projects = idFilter(filter.projects);
  return [...ws.timeEntries.all()].filter(
    (entry) =>
      entry.end !== null &&
      entry.start >= from &&
      entry.start <= to &&
      users(entry.userId) &&
      projects(entry.projectId ?? '') &&
      (filter.billable === undefined || entry.billable === filter.billable),
  );
}

function idFilter(option: { ids?: string[]; contains?: string } | undefined): (id: string) => boolean {
  if (!option?.ids || option.ids.length === 0) return () => true;
  const ids = new Set(option.ids);
  return option.contains === 'DOES_NOT_CONTAIN' ? (id) => !ids.has(id) : (id) => ids.has(id);
}

function seconds(entry: TimeEntryRecord): number {
  return Math.round(((entry.end ?? entry.start) - entry.start) / 1000);
}

function sum(entries: TimeEntryRecord[], which: (entry: TimeEntryRecord) => boolean): number {
  return entries.filter(which).reduce((total, entry) => total + seconds(entry), 0);
}

function groupBy(ws: WorkspaceData, entries: TimeEntryRecord[], groups: Group[], zone: string): unknown[] {
  const [group, ...rest] = groups;
  if (!group) return [];
  const nodes = new Map<string, Node>();
  for (const entry of entries) {
    for (const [id, name] of keysOf(ws, entry, group, zone)) {
      const node = nodes.get(id) ?? { id, name, duration: 0, entries: [] };
      node.duration += seconds(entry);
      node.entries.push(entry);
      nodes.set(id, node);
    }
  }
  return [...nodes.values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((node) => ({
      id: node.id,
      name: node.name,
      nameLowerCase: node.name.toLowerCase(),
      duration: node.duration,
      amount: 0,
      clientName: group === 'PROJECT' ? (ws.clients.get(ws.projects.get(node.id)?.clientId ?? '')?.name ?? '') : '',
      children: groupBy(ws, node.entries, rest, zone),
      // Per-day totals belong to the weekly report; the summary answers none.
      days: [],
    }));
}

/** The group(s) an entry falls in, as [id, name]; an entry with several tags counts under each. */
function keysOf(ws: WorkspaceData, entry: TimeEntryRecord, group: Group, zone: string): [string, string][] {
  switch (group) {
    case 'PROJECT':
      return [[entry.projectId ?? '', ws.projects.get(entry.projectId ?? '')?.name ?? 'Without project']];
    case 'CLIENT': {
      const clientId = ws.projects.get(entry.projectId ?? '')?.clientId ?? '';
      return [[clientId, ws.clients.get(clientId)?.name ?? 'Without client']];
    }
    case 'TASK':
      return [[entry.taskId ?? '', ws.tasks.get(entry.taskId ?? '')?.name ?? 'Without task']];
    case 'TAG':
      return entry.tagIds.length === 0 ? [['', 'Without tag']] : entry.tagIds.map((id) => [id, ws.tags.get(id)?.name ?? id]);
    case 'USER':
      return [[entry.userId, ws.users.get(entry.userId)?.name ?? entry.userId]];
    case 'DATE': {
      const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
        entry.start,
      );
      return [[day, day]];
    }
    case 'TIMEENTRY':
      return [[entry.id, entry.description]];
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** A report date: with an offset (`…Z`) it is that instant; without one, a wall-clock time in `zone`. */
function instantIn(value: string, zone: string, name: string): number {
  const match = LOCAL_DATE_TIME.exec(value);
  const parsed = match ? Date.parse(match[8] ? value : `${value}Z`) : Number.NaN;
  if (!match || Number.isNaN(parsed)) throw badRequest(`${name} must be a date-time like 2024-01-01T00:00:00.000Z`);
  if (match[8]) return parsed;
  // Wall clock to instant: subtract the zone's offset at that moment (twice, to settle across a change).
  let instant = parsed - offsetAt(parsed, zone);
  instant = parsed - offsetAt(instant, zone);
  return instant;
}

function offsetAt(instant: number, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(instant / 1000) * 1000;
}
