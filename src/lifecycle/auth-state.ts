/**
 * A counter of changes to what authorises a webhook (installations, webhook registrations) made by
 * this process. A cached authorisation is only good while the counter has not moved. Changes by
 * other processes or connections are seen through SQLite's data_version instead.
 */
let version = 0;

export function authStateChanged(): void {
  version += 1;
}

export function authStateVersion(): number {
  return version;
}
