import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { functionCatalogue } from './template-functions/index.js';

const FunctionEntry = Type.Object({
  name: Type.String({ description: 'What follows "|" in a template.' }),
  family: Type.Union(['dates', 'durations', 'numbers', 'strings', 'lists', 'values'].map((family) => Type.Literal(family))),
  signature: Type.String({ description: 'How to call it: name:argument,[optional argument].' }),
  description: Type.String(),
  example: Type.String({ description: 'A template using the function.' }),
  input: Type.Unknown({ description: "The value the example's expression points at." }),
  result: Type.Unknown({ description: 'What the example renders to with that input.' }),
});

const FunctionList = Type.Object({ functions: Type.Array(FunctionEntry) });

/** The template functions a flow can use, for the docs and the editor's completion. */
export async function templateFunctionRoutes(ui: FastifyInstance) {
  ui.get(
    '/ui/flows/functions',
    {
      schema: {
        tags: ['flows'],
        summary: 'Template functions usable in flow templates: `{{ event.timeInterval.duration | hours | round:1 }}`.',
        description:
          'Each function is applied with `| name` or `| name:arg1,arg2` after a field path; arguments are quoted strings, numbers, true, false or null. Functions chain left to right; a missing value passes through so `default` can replace it. Unknown functions and wrong arguments are refused when the flow is saved.',
        response: { 200: FunctionList },
      },
    },
    async () => ({ functions: functionCatalogue() }),
  );
}
