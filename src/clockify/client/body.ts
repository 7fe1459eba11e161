/** Turn a request body into what goes on the wire, and measure it before anything is sent. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

export interface EncodedBody {
  payload: string | Uint8Array | FormData | undefined;
  bytes: number;
  /** Set when the encoding decides the type (JSON); multipart sets its own boundary. */
  contentType?: string;
}

export function encodeBody(body: unknown): EncodedBody {
  if (body === undefined) return { payload: undefined, bytes: 0 };
  if (typeof body === 'string') return { payload: body, bytes: Buffer.byteLength(body) };
  if (body instanceof Uint8Array) return { payload: body, bytes: body.byteLength };
  if (body instanceof FormData) return { payload: body, bytes: formDataBytes(body) };
  const json = JSON.stringify(body);
  return { payload: json, bytes: Buffer.byteLength(json), contentType: 'application/json' };
}

/** The size of the fields and files; the multipart framing adds a little on top. */
function formDataBytes(form: FormData): number {
  let total = 0;
  for (const [name, value] of form.entries()) {
    total += Buffer.byteLength(name) + (typeof value === 'string' ? Buffer.byteLength(value) : value.size);
  }
  return total;
}
