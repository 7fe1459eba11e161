/** A file part of a multipart/form-data request, as the sandbox keeps it. */
export class UploadedFile {
  constructor(
    readonly filename: string,
    readonly type: string,
    readonly bytes: Buffer,
  ) {}

  get size(): number {
    return this.bytes.length;
  }

  /** The spec declares file parts as `type: string, format: binary`: validation sees the file name. */
  toJSON(): string {
    return this.filename;
  }
}

export type MultipartBody = Record<string, string | string[] | UploadedFile>;

/**
 * Parses a multipart/form-data body with the platform's own parser (undici's `Response.formData`).
 * Repeated fields become lists; file parts become `UploadedFile`s.
 */
export async function parseMultipart(contentType: string, raw: Buffer): Promise<MultipartBody> {
  const form = await new Response(new Uint8Array(raw), { headers: { 'content-type': contentType } }).formData();
  const out: MultipartBody = {};
  for (const [name, value] of form.entries()) {
    const item = typeof value === 'string' ? value : new UploadedFile(value.name, value.type, Buffer.from(await value.arrayBuffer()));
    const previous = out[name];
    if (previous === undefined) out[name] = item;
    else if (typeof item === 'string' && (typeof previous === 'string' || Array.isArray(previous)))
      out[name] = [...(Array.isArray(previous) ? previous : [previous]), item];
    else out[name] = item;
  }
  return out;
}

/** The body as the validator sees it: file parts by name (a string, like the spec's `format: binary`). */
export function forValidation(body: MultipartBody): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body).map(([name, value]) => [
      name,
      value instanceof UploadedFile ? value.filename || 'file' : Array.isArray(value) ? [...value] : value,
    ]),
  );
}
