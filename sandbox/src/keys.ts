import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, type CryptoKey } from 'jose';

/** The sandbox's own RS256 key pair: it signs every token the way Clockify's private key does. */
export interface SigningKeys {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicKeyPem: string;
}

export const KEY_FILE_NAME = 'sandbox-keys.json';

interface KeyFile {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** Loads `${dataDir}/sandbox-keys.json`, creating it on first use; without a dataDir the pair lives in memory only. */
export async function loadOrCreateKeys(dataDir?: string): Promise<SigningKeys> {
  if (dataDir) {
    const file = join(dataDir, KEY_FILE_NAME);
    if (existsSync(file)) {
      const stored = JSON.parse(await readFile(file, 'utf8')) as KeyFile;
      return {
        privateKey: await importPKCS8(stored.privateKeyPem, 'RS256'),
        publicKey: await importSPKI(stored.publicKeyPem, 'RS256'),
        publicKeyPem: stored.publicKeyPem,
      };
    }
  }
  const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const publicKeyPem = await exportSPKI(publicKey);
  if (dataDir) {
    await mkdir(dataDir, { recursive: true });
    const stored: KeyFile = { privateKeyPem: await exportPKCS8(privateKey), publicKeyPem };
    // The private key is a credential of this fake Clockify: readable by the owner only.
    await writeFile(join(dataDir, KEY_FILE_NAME), JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return { privateKey, publicKey, publicKeyPem };
}
