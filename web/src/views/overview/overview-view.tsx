import { BootstrapCard } from './bootstrap-card';
import { InstallationCard } from './installation-card';
import { RecentRunsCard } from './recent-runs-card';
import { RecentWebhooksCard } from './recent-webhooks-card';
import { RegistrationsCard } from './registrations-card';

export function OverviewView() {
  return (
    <div>
      <div class="page-header">
        <div>
          <h1>Overview</h1>
          <p>The add-on's state in this workspace at a glance.</p>
        </div>
      </div>
      <div class="grid-2 overview-grid">
        <div class="stack">
          <BootstrapCard />
          <InstallationCard />
        </div>
        <div class="stack">
          <RecentWebhooksCard />
          <RecentRunsCard />
          <RegistrationsCard />
        </div>
      </div>
    </div>
  );
}
