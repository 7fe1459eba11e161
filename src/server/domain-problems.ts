import type { DomainError, DomainErrorCode } from '../errors/domain-error.js';
import { problemDocument } from './problems.js';
import type { ProblemDocument } from './problems.js';

/**
 * The HTTP status of each domain error code; the code itself is the problem's `type` slug, so a
 * client matching on `type` sees the same names as before the codes left HTTP. Every code must be
 * listed (the Record makes a missing one a type error).
 */
const STATUS: Record<DomainErrorCode, number> = {
  'not-installed': 404,
  'invalid-settings': 400,
  'bootstrap-running': 409,
  'nothing-to-retry': 409,
  'no-previous-run': 409,
};

export function domainProblem(error: DomainError): ProblemDocument {
  return problemDocument(STATUS[error.code], error.code, error.message, error.fields ? { errors: error.fields } : {});
}
