/**
 * Every error reply is an RFC 9457 problem document with a stable `type`, a human `detail`,
 * the request id, and for validation failures the list of bad fields.
 */
export interface FieldProblem {
  field: string;
  message: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: FieldProblem[];
}

export const PROBLEM_BASE = 'https://clockify-addon-platform.dev/problems/';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly slug: string,
    detail: string,
    readonly errors?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export const problems = {
  badRequest: (slug: string, detail: string, errors?: FieldProblem[]) => new HttpProblem(400, slug, detail, errors),
  unauthorized: (slug: string, detail: string) => new HttpProblem(401, slug, detail),
  forbidden: (slug: string, detail: string) => new HttpProblem(403, slug, detail),
  notFound: (slug: string, detail: string) => new HttpProblem(404, slug, detail),
  conflict: (slug: string, detail: string) => new HttpProblem(409, slug, detail),
  tooLarge: (detail: string) => new HttpProblem(413, 'payload-too-large', detail),
  unavailable: (slug: string, detail: string) => new HttpProblem(503, slug, detail),
};

export function problemDocument(status: number, slug: string, detail: string, extra: Partial<ProblemDocument> = {}): ProblemDocument {
  return { type: PROBLEM_BASE + slug, title: TITLES[status] ?? 'Error', status, detail, ...extra };
}
