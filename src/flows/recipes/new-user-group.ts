import type { FlowTemplate } from '../template-inputs.js';
import { TemplateInputError, literalText, readText } from '../template-inputs.js';

/** A filter selecting the group of exactly this name (Clockify's `name` parameter matches any group containing it). */
function exactName(name: string): string {
  return `$.steps.groups.body[?@.name == '${name.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}']`;
}

/** Everyone who joins the workspace lands in one user group, created the first time. */
export const newUserGroup: FlowTemplate = {
  id: 'new-user-group',
  name: 'Put people who join into a user group',
  description:
    'When someone joins the workspace, add them to the user group you name; the group is created the first time. Only the group with exactly that name is used.',
  editions: ['universal-webhook', 'clockify-addon'],
  requiredInputs: [{ name: 'groupName', label: 'User group', type: 'text' }],
  build(inputs) {
    const name = readText(inputs, 'groupName').trim();
    if (name.length > 100) throw new TemplateInputError('groupName', 'must be at most 100 characters');
    const literal = literalText(name);
    return {
      name: `New members join "${name}"`,
      enabled: true,
      trigger: { kind: 'clockify', events: ['USER_JOINED_WORKSPACE'] },
      conditions: { mode: 'all', rules: [] },
      actions: [
        { id: 'groups', name: 'Groups with that name', kind: 'clockify', operationId: 'getUserGroups', params: { name: literal } },
        {
          id: 'hasGroup',
          kind: 'branch',
          if: { mode: 'all', rules: [{ path: exactName(name), op: 'exists' }] },
          then: [
            {
              id: 'eachGroup',
              kind: 'for-each',
              items: '$.steps.groups.body',
              steps: [
                {
                  id: 'addToGroup',
                  name: 'Add to the group',
                  kind: 'clockify',
                  onlyIf: { mode: 'all', rules: [{ path: '$.item.name', op: 'equals', value: name }] },
                  operationId: 'addUser',
                  params: { userGroupId: '{{ item.id }}' },
                  body: { userId: '{{ event.id }}' },
                  retry: { attempts: 3, backoffMs: 2_000 },
                },
              ],
            },
          ],
          else: [
            { id: 'newGroup', name: 'Create the group', kind: 'clockify', operationId: 'createUserGroup', body: { name: literal } },
            {
              id: 'addToNewGroup',
              name: 'Add to the new group',
              kind: 'clockify',
              operationId: 'addUser',
              params: { userGroupId: '{{ steps.newGroup.body.id }}' },
              body: { userId: '{{ event.id }}' },
              retry: { attempts: 3, backoffMs: 2_000 },
            },
          ],
        },
      ],
    };
  },
};
