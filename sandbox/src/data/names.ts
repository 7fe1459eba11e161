/** Word lists for realistic demo data. */
export const FIRST_NAMES = [
  'Ana', 'Marko', 'Jelena', 'Nikola', 'Sofia', 'Liam', 'Olivia', 'Noah', 'Emma', 'Lucas', 'Mia', 'Ethan',
  'Ava', 'Mateo', 'Isabella', 'Leon', 'Amelia', 'Hugo', 'Chloe', 'Daniel', 'Nora', 'Felix', 'Zoe', 'Adam',
] as const;

export const LAST_NAMES = [
  'Jovanovic', 'Smith', 'Petrovic', 'Garcia', 'Muller', 'Rossi', 'Nguyen', 'Kowalski', 'Dubois', 'Silva',
  'Novak', 'Johnson', 'Brown', 'Schmidt', 'Lopez', 'Horvat', 'Andersen', 'Kim', 'Ivanova', 'Moreau',
] as const;

export const COMPANY_PREFIXES = [
  'Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell',
  'Cyberdyne', 'Aperture', 'Wonka', 'Gringotts', 'Oscorp', 'Massive', 'Monarch', 'Nakatomi',
] as const;

export const COMPANY_SUFFIXES = ['Inc', 'LLC', 'GmbH', 'Ltd', 'Group', 'Labs', 'Partners', 'Systems'] as const;

export const PROJECT_TOPICS = [
  'Website Redesign', 'Mobile App', 'Marketing Campaign', 'Data Migration', 'API Integration', 'Onboarding',
  'Support Retainer', 'Brand Refresh', 'Analytics Dashboard', 'Security Audit', 'Cloud Migration',
  'E-commerce Launch', 'Internal Tools', 'Research', 'Payroll Automation', 'CRM Rollout', 'SEO',
  'Documentation', 'Training Program', 'Quarterly Review',
] as const;

export const TASK_NAMES = [
  'Planning', 'Design', 'Development', 'Testing', 'Code review', 'Deployment', 'Meetings', 'Bugfixing',
  'Documentation', 'Research', 'QA', 'Client call',
] as const;

export const TAG_NAMES = [
  'billable', 'internal', 'urgent', 'meeting', 'remote', 'on-site', 'overtime', 'travel', 'review',
  'support', 'sales', 'training', 'admin', 'research', 'design',
] as const;

export const DESCRIPTIONS = [
  'Sprint planning', 'Fixing login bug', 'Weekly sync', 'Writing specs', 'Reviewing pull requests',
  'Client workshop', 'Updating dashboards', 'Preparing invoice', 'Refactoring services', 'Customer support',
  'Designing mockups', 'Load testing', 'Deploying release', 'Research spike', 'Email follow-ups', '',
] as const;

export const COLORS = [
  '#03A9F4', '#4CAF50', '#F44336', '#9C27B0', '#FF9800', '#795548', '#607D8B', '#E91E63', '#3F51B5', '#009688',
] as const;

export const TIME_ZONES = ['Europe/Belgrade', 'America/New_York', 'Europe/London', 'Asia/Tokyo', 'Australia/Sydney'] as const;
