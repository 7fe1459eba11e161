import { AllRuns } from './all-runs';
import { FlowDetail } from './flow-detail';
import { FlowList } from './flow-list';
import { ImportFlow } from './import-flow';
import { NewFlow } from './new-flow';
import { RunDetail } from './run-detail';
import { TemplatesGallery } from './templates-gallery';

/** Routes: #/flows, #/flows/new, #/flows/templates, #/flows/import, #/flows/runs (every flow), #/flows/<id>[/runs[/<runId>]|/history]. */
export function FlowsView({ parts }: { parts: string[] }) {
  const [first, second, third] = parts;
  if (!first) return <FlowList />;
  if (first === 'new') return <NewFlow />;
  if (first === 'templates') return <TemplatesGallery />;
  if (first === 'import') return <ImportFlow />;
  if (first === 'runs') return <AllRuns />;
  if (second === 'runs' && third) return <RunDetail key={third} flowId={first} runId={third} />;
  return <FlowDetail key={first} flowId={first} tab={second === 'runs' ? 'runs' : second === 'history' ? 'history' : 'definition'} />;
}
