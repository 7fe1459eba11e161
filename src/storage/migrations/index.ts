import { initial } from './001-initial.js';
import { bootstrapIndexes } from './002-bootstrap.js';
import { credentialsAndReplay } from './003-credentials-and-replay.js';
import { webhookReconciliation } from './004-reconciliation.js';
import { rejectedRequests } from './005-rejected-requests.js';
import { customEventTypeLocation } from './006-custom-event-type.js';
import { flowSchedules } from './007-flow-schedules.js';
import { flowSteps } from './008-flow-steps.js';
import type { Migration } from './types.js';

/** Forward-only, applied in order at start-up. Append; never edit a migration that has shipped. */
export const MIGRATIONS: readonly Migration[] = [initial, bootstrapIndexes, credentialsAndReplay, webhookReconciliation, rejectedRequests, customEventTypeLocation, flowSchedules, flowSteps];
export type { Dialect, Migration } from './types.js';
