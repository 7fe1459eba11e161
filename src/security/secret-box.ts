import { createCipheriv, createDecipheriv, createHmac, hash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** AES-256-GCM for tokens and secrets at rest. Ciphertext text: `v1.<iv>.<tag>.<data>` (base64url). */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  /** A key for another purpose derived from this one (HMAC), so it needs no storage of its own. */
  derive(label: string): Buffer {
    return createHmac('sha256', this.key).update(label).digest();
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('not a sealed secret');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }
}

export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/**
 * The configured key, or in development one generated once and kept in the data folder
 * (so restarts can still read what was stored). Returns whether it was generated, for a warning.
 */
export function resolveEncryptionKey(configured: Buffer | undefined, dataDir: string): { key: Buffer; generated: boolean; path?: string } {
  if (configured) return { key: configured, generated: false };
  const path = join(dataDir, 'encryption.key');
  if (existsSync(path)) return { key: Buffer.from(readFileSync(path, 'utf8').trim(), 'hex'), generated: true, path };
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('hex'), { mode: 0o600 });
  chmodSync(path, 0o600);
  return { key, generated: true, path };
}
