import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { FLOW_TEMPLATES } from '../../src/flows/library.js';
import { flowDefinitionJsonSchema } from '../../src/flows/model.js';

describe('flowDefinitionJsonSchema', () => {
  const schema = flowDefinitionJsonSchema();

  it('is plain JSON that a standard validator compiles', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(schema);
    const flow = FLOW_TEMPLATES[0]!.build({ projectId: 'p1', tagId: 't1' });
    expect(validate(flow)).toBe(true);
    expect(validate({ ...flow, actions: [] })).toBe(false);
    expect(validate({ ...flow, conditions: { mode: 'all', rules: [{ mode: 'any', rules: [{ path: '$.a', op: 'nope' }] }] } })).toBe(false);
  });

  it('documents the operators and action kinds', () => {
    const text = JSON.stringify(schema);
    for (const word of ['matches', 'not_exists', 'operationId', 'continueOnFailure', 'backoffMs', 'sourceId']) expect(text).toContain(word);
  });
});
