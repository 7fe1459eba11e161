import { defineRoom } from '../room.js';
import { JOBS_TABLES } from './tables.js';

/** The durable queue: its table. The worker that runs the rooms' job kinds is built by the edition (src/edition.ts). */
export const jobsRoom = defineRoom({ name: 'jobs', tables: JOBS_TABLES, setup: () => ({}) });
