/**
 * `npm run check:cycles`: no two folders under src/ may import each other, directly or round a loop
 * (and no module cycle at all). A folder is a room or a shared part; its dependencies point one way.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      severity: 'error',
      comment: 'Folders under src/ import each other: move the shared piece down (see docs/architecture.md, "Folders point one way").',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      // Type-only imports are left out: rooms name the Runtime type that the edition core builds from them.
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'Modules import each other in a loop at run time.',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
