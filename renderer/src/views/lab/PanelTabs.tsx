// Beside the guide: terminals, the live round-robin panel, the IPVS table, or packet captures.
import { useUiStore, type Panel } from '../../stores/ui-store.js';
import { Tabs, type TabItem } from '../common/Tabs.js';

const PANELS: TabItem<Panel>[] = [
  { id: 'terminals', label: 'Terminals', title: 'Ctrl+Shift+1' },
  { id: 'probe', label: 'Live round robin', title: 'Ctrl+Shift+2' },
  { id: 'ipvs', label: 'IPVS table', title: 'Ctrl+Shift+3' },
  { id: 'capture', label: 'Packets', title: 'Ctrl+Shift+4' },
];

export function PanelTabs() {
  const panel = useUiStore((s) => s.panel);
  const setPanel = useUiStore((s) => s.setPanel);
  return <Tabs label="Panels" className="panel-tabs" tabs={PANELS} active={panel} onSelect={setPanel} />;
}
