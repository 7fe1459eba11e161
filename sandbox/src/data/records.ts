/** The sandbox's in-memory entities. They are close to Clockify's DTOs; `dto.ts` shapes them for replies. */

export type WorkspaceRole = 'OWNER' | 'ADMIN' | 'TEAM_MANAGER' | 'PROJECT_MANAGER' | 'REGULAR';
export type MembershipStatus = 'PENDING' | 'ACTIVE' | 'DECLINED' | 'INACTIVE';

export interface Rate {
  amount: number;
  currency: string;
}

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: WorkspaceRole;
  membershipStatus: MembershipStatus;
  timeZone: string;
}

export interface ClientRecord {
  id: string;
  name: string;
  archived: boolean;
  address: string;
  email: string;
  note: string;
  ccEmails: string[];
}

export interface ProjectRecord {
  id: string;
  name: string;
  /** '' when the project has no client, as Clockify sends it. */
  clientId: string;
  billable: boolean;
  color: string;
  archived: boolean;
  note: string;
  public: boolean;
  template: boolean;
  hourlyRate: Rate | null;
  costRate: Rate | null;
  memberUserIds: string[];
  /** The time estimate set when the project was created (ISO 8601 duration); absent: none (PT0S, AUTO). */
  estimate?: { estimate: string; type: 'AUTO' | 'MANUAL' };
}

export interface TaskRecord {
  id: string;
  name: string;
  projectId: string;
  assigneeIds: string[];
  userGroupIds: string[];
  estimate: string;
  status: 'ACTIVE' | 'DONE';
  billable: boolean;
  budgetEstimate: number;
  hourlyRate: Rate | null;
  costRate: Rate | null;
}

export interface TagRecord {
  id: string;
  name: string;
  archived: boolean;
}

export interface CustomFieldRecord {
  id: string;
  name: string;
  type: 'TXT' | 'NUMBER' | 'DROPDOWN_SINGLE' | 'DROPDOWN_MULTIPLE' | 'CHECKBOX' | 'LINK';
  entityType: 'TIMEENTRY' | 'USER';
  status: 'INACTIVE' | 'VISIBLE' | 'INVISIBLE';
  allowedValues: string[];
  placeholder: string;
  onlyAdminCanEdit: boolean;
  required: boolean;
  workspaceDefaultValue: unknown;
  /** projectId -> the project's default value and status. */
  projectDefaults: Map<string, { value: unknown; status: string }>;
}

export interface UserGroupRecord {
  id: string;
  name: string;
  userIds: string[];
}

export interface CustomFieldValue {
  customFieldId: string;
  value: unknown;
}

export interface TimeEntryRecord {
  id: string;
  userId: string;
  description: string;
  projectId: string | null;
  taskId: string | null;
  tagIds: string[];
  billable: boolean;
  /** Epoch milliseconds. */
  start: number;
  /** Epoch milliseconds; null while the timer runs. */
  end: number | null;
  type: 'REGULAR' | 'BREAK';
  isLocked: boolean;
  customFieldValues: CustomFieldValue[];
}
