import { EDITIONS } from '../editions/index.js';

const editions = EDITIONS.map((e) => e.id).join(', ');
const portVariables = EDITIONS.map((e) => `${e.envPrefix}_PORT (${e.defaultPort})`).join(', ');
const CLI = 'npm run cli --';

/** The CLI's help, one text per verb, every option listed. `npm run cli -- <verb> --help` prints it. */
export const VERB_HELP: Record<string, string> = {
  start: `Usage: ${CLI} start [--edition ID] [--port N] [--json]

Runs the add-ons. Without --edition, all three, each in its own process under a supervisor that
restarts a crashed edition (with backoff) and stops all on Ctrl+C; prints where they run.
With --edition, that one edition in the foreground (what a container runs).

  --edition ID   one of: ${editions}
  --port N       port of that edition (with --edition; else set the variables)
  --json         print the start-up summary as JSON (all editions)
  --help         this text

Ports: ${portVariables}; HOST (interface). Logs: JSON lines on stderr (stdout with --edition);
LOG_FORMAT=pretty for readable lines, LOG_LEVEL for verbosity.`,
  migrate: `Usage: ${CLI} migrate [--edition ID] [--json]

Applies the database migrations of all editions (or one) and exits.

  --edition ID   one of: ${editions}
  --json         print the result as JSON
  --help         this text`,
  retention: `Usage: ${CLI} retention [--edition ID] [--json]

Runs the retention clean-up once now (the editions also run it on a timer, one instance at a time).

  --edition ID   one of: ${editions}
  --json         print the report as JSON
  --help         this text`,
  manifest: `Usage: ${CLI} manifest <edition>

Prints an edition's manifest (its baseUrl comes from API_STUDIO_BASE_URL, UNIVERSAL_WEBHOOK_BASE_URL
or CLOCKIFY_ADDON_BASE_URL). Editions: ${editions}.`,
  'env-example': `Usage: ${CLI} env-example

Prints every environment variable with its meaning and default (the source of .env.example).`,
  install: `Usage: ${CLI} install <edition> [--workspace ID] [--sandbox URL] [--json]

Installs an edition into a workspace of the running sandbox (as Clockify's marketplace would).

  <edition>        one of: ${editions}
  --workspace ID   the sandbox workspace (default: its first)
  --sandbox URL    the sandbox (default: the running demo or sandbox, else http://127.0.0.1:8100)
  --json           print the sandbox's answer as JSON
  --help           this text`,
  uninstall: `Usage: ${CLI} uninstall <edition> [--workspace ID] [--sandbox URL] [--json]

Uninstalls an edition from a workspace of the running sandbox.

  <edition>        one of: ${editions}
  --workspace ID   the sandbox workspace (default: its first)
  --sandbox URL    the sandbox (default: the running demo or sandbox, else http://127.0.0.1:8100)
  --json           print the sandbox's answer as JSON
  --help           this text`,
  trigger: `Usage: ${CLI} trigger <EVENT> [--replay | --payload file.json] [--edition ID] [--workspace ID] [--sandbox URL] [--json]

Sends a signed Clockify webhook from the sandbox to every edition subscribed to EVENT (e.g.
NEW_TIME_ENTRY, NEW_PROJECT) and prints what each answered. Each call is a new event (new id,
the current time, a user, project and tags of the workspace).

  --replay         send the last triggered event again: the editions answer "duplicate"
  --payload FILE   send this JSON body instead of a generated one
  --edition ID     only to this edition (${editions})
  --workspace ID   the sandbox workspace (default: its first)
  --sandbox URL    the sandbox (default: the running demo or sandbox, else http://127.0.0.1:8100)
  --json           print the deliveries as JSON
  --help           this text`,
  token: `Usage: ${CLI} token <edition> [--role OWNER|ADMIN|TEAM_MANAGER|PROJECT_MANAGER|REGULAR] [--theme DEFAULT|DARK] [--workspace ID] [--sandbox URL] [--json]

Prints a user token (valid 30 minutes) and the sidebar URL that opens with it. The token also
authorizes the sidebar API: Authorization: Bearer <token>.

  <edition>        one of: ${editions}
  --role R         the viewer's role (default: the workspace owner's)
  --theme T        DEFAULT or DARK
  --workspace ID   the sandbox workspace (default: its first)
  --sandbox URL    the sandbox (default: the running demo or sandbox, else http://127.0.0.1:8100)
  --json           print {token, sidebarUrl}
  --help           this text`,
  settings: `Usage: ${CLI} settings <edition> [SETTING=VALUE ...] [--workspace ID] [--sandbox URL] [--json]

Shows an installed edition's settings in a sandbox workspace or, given SETTING=VALUE pairs, changes
them the way Clockify's settings screen does (the add-on receives SETTINGS_UPDATED).
Example: ${CLI} settings universal-webhook enable_http_actions=true

  <edition>        one of: ${editions}
  SETTING=VALUE    a setting id and its new value (true/false, a number or text)
  --workspace ID   the sandbox workspace (default: its first)
  --sandbox URL    the sandbox (default: the running demo or sandbox, else http://127.0.0.1:8100)
  --json           print the settings as JSON
  --help           this text`,
  demo: `Usage: ${CLI} demo [--free-ports | --sandbox-port N] [--time-entries N] [--json]

Starts the Clockify sandbox and the three editions wired to it, installs each into a seeded
workspace and prints a sidebar link per edition. Follow-up commands (trigger, token, install,
settings) find it through data/demo/demo.json, whatever its ports. Logs go to data/logs/demo.log.

  --free-ports       let the system pick free ports for the sandbox and the editions
  --sandbox-port N   the sandbox's port (default 8100)
  --time-entries N   time entries to seed (default 2000)
  --json             print the links as JSON
  --help             this text

Edition ports: ${portVariables}.`,
};

export const USAGE = `Usage: ${CLI} <command> [options]     (after a build: node dist/src/main.js <command>)

Commands:
  start [--edition ID] [--port N]   all three editions under a supervisor (default), or one in the foreground
  migrate [--edition ID]            apply database migrations and exit
  retention [--edition ID]          run the retention clean-up once now
  manifest <edition>                print an edition's manifest
  env-example                       print every environment variable with its meaning
  sandbox [options]                 the local Clockify stand-in (default port 8100)
  demo [--free-ports]               sandbox + the three editions, installed; prints links
  install <edition>                 install an edition into the running sandbox
  uninstall <edition>               uninstall it
  trigger <EVENT> [--replay]        a fresh signed Clockify webhook from the sandbox
  token <edition> [--role R]        a user token and the sidebar URL
  settings <edition> [ID=VALUE]     show or change a demo workspace's add-on settings

Editions: ${editions}
Ports: ${portVariables}, sandbox --port / demo --sandbox-port (8100)
Every command takes --help (all its options); most take --json.`;
