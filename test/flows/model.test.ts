import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { FLOW_TEMPLATES } from '../../src/flows/library.js';
import { getCatalog } from '../../src/clockify/catalog/index.js';
import { flowDefinitionJsonSchema, type CatalogLike } from '../../src/flows/model.js';
import { validateFlowDefinition } from '../../src/flows/validate.js';

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

describe('CatalogLike', () => {
  it('is satisfied by the real operation catalog, which validates the library flows', () => {
    const catalog: CatalogLike = getCatalog();
    for (const template of FLOW_TEMPLATES) {
      const inputs = {
        projectId: 'p1',
        tagId: 't1',
        description: 'd',
        taskNames: 'a',
        url: 'https://example.com/hook',
        hours: 8,
        timeZone: 'Europe/Berlin',
        groupName: 'Everyone',
        tagName: 'ticket',
      };
      const result = validateFlowDefinition(template.build(inputs), {
        allowedEvents: [
          'NEW_TIME_ENTRY',
          'NEW_PROJECT',
          'TIME_OFF_REQUESTED',
          'TIMER_STOPPED',
          'NEW_TIMER_STARTED',
          'USER_JOINED_WORKSPACE',
        ],
        httpActionsEnabled: true,
        catalog,
      });
      expect(result.ok, template.id).toBe(true);
    }
  });
});
