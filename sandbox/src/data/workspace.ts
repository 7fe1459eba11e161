import { randomBytes } from 'node:crypto';
import type {
  ClientRecord,
  CustomFieldRecord,
  ProjectRecord,
  TagRecord,
  TaskRecord,
  UserGroupRecord,
  UserRecord,
} from './records.js';
import { GenericState } from '../generic/store.js';
import { TimeEntryIndex } from './time-entry-index.js';

/** One Clockify workspace held in memory. Maps keep insertion order, which is the default list order. */
export class WorkspaceData {
  readonly users = new Map<string, UserRecord>();
  readonly clients = new Map<string, ClientRecord>();
  readonly projects = new Map<string, ProjectRecord>();
  readonly tasks = new Map<string, TaskRecord>();
  readonly tags = new Map<string, TagRecord>();
  readonly customFields = new Map<string, CustomFieldRecord>();
  readonly userGroups = new Map<string, UserGroupRecord>();
  readonly timeEntries = new TimeEntryIndex();
  readonly currency = { id: objectId(), code: 'USD' };
  /** State of the operations without a hand-written route (expenses, invoices, time off, …): src/generic. */
  readonly generic = new GenericState();

  constructor(
    readonly id: string,
    public name: string,
    readonly ownerId: string,
  ) {}

  owner(): UserRecord {
    const owner = this.users.get(this.ownerId);
    if (!owner) throw new Error('workspace has no owner');
    return owner;
  }

  tasksOf(projectId: string): TaskRecord[] {
    return [...this.tasks.values()].filter((t) => t.projectId === projectId);
  }
}

/** A fresh 24-hex id like a MongoDB ObjectId (current time + random bytes), for entities created at run time. */
export function objectId(): string {
  return Math.floor(Date.now() / 1000).toString(16).padStart(8, '0') + randomBytes(8).toString('hex');
}
