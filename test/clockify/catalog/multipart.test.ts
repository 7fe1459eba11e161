import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  curlSnippet,
  exampleBody,
  getCatalog,
  validateCall,
  withoutFileContents,
  type Operation,
} from '../../../src/clockify/catalog/index.js';

const catalog = getCatalog();
const op = (id: string): Operation => catalog.get(id)!;
const fields = (problems: { field: string }[]) => problems.map((problem) => problem.field).sort();
const urls = { backendUrl: 'https://api.clockify.me/api', reportsUrl: 'https://reports.api.clockify.me' };
const receipt = { filename: 'receipt.png', contentType: 'image/png', base64: Buffer.from('png-bytes').toString('base64') };

describe('multipart operations', () => {
  it('are the three the spec declares', () => {
    expect(
      catalog.operations
        .filter((o) => o.requestBody?.contentType === 'multipart/form-data')
        .map((o) => o.operationId)
        .sort(),
    ).toEqual(['createExpense', 'updateExpense', 'uploadImage']);
  });

  it('take file values in file fields, and name what is wrong', () => {
    const body = { amount: 12.5, categoryId: 'c1', date: '2024-03-01T00:00:00Z', projectId: 'p1', userId: 'u1', file: receipt };
    expect(validateCall(op('createExpense'), { params: { workspaceId: 'ws1' }, body })).toEqual([]);
    expect(fields(validateCall(op('createExpense'), { params: { workspaceId: 'ws1' }, body: { ...body, file: 'receipt.png' } }))).toEqual([
      'body.file',
    ]);
    expect(
      fields(
        validateCall(op('createExpense'), {
          params: { workspaceId: 'ws1' },
          body: { ...body, file: { ...receipt, base64: 'not base64!' } },
        }),
      ),
    ).toEqual(['body.file']);
    expect(fields(validateCall(op('uploadImage'), { body: {} }))).toEqual(['body.file']);
  });

  it('are encoded as multipart/form-data: a file part with its name and type, lists as repeated fields', async () => {
    const request = buildRequest(
      op('updateExpense'),
      {
        params: { workspaceId: 'ws1', expenseId: 'e1' },
        body: { amount: 3, categoryId: 'c1', date: '2024-03-01T00:00:00Z', userId: 'u1', changeFields: ['NOTES', 'AMOUNT'], file: receipt },
      },
      urls,
    );
    expect(request.body).toBeInstanceOf(FormData);
    expect(request.headers['content-type']).toBeUndefined(); // the HTTP layer writes it with the boundary
    const form = request.body as FormData;
    expect(form.getAll('changeFields')).toEqual(['NOTES', 'AMOUNT']);
    expect(form.get('amount')).toBe('3');
    const file = form.get('file') as File;
    expect(file.name).toBe('receipt.png');
    expect(file.type).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('png-bytes');
    expect(curlSnippet(request)).toContain("-F 'file=@receipt.png'");
  });

  it('offer a runnable example with a file, and are recorded without file contents', () => {
    const example = exampleBody(op('uploadImage')) as { file: { filename: string; base64: string } };
    expect(example.file.filename).toBe('example.png');
    expect(validateCall(op('uploadImage'), { body: example })).toEqual([]);
    expect(withoutFileContents({ file: receipt, notes: 'x' })).toEqual({
      file: { filename: 'receipt.png', contentType: 'image/png', bytes: 9 },
      notes: 'x',
    });
  });
});
