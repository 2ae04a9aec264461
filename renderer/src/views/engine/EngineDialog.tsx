// The engine panel over the lab view, from the lab header's "Engine" button.
import { Dialog } from '../common/Dialog.js';
import { EnginePanel } from './EnginePanel.js';

export function EngineDialog({ onClose }: { onClose: () => void }) {
  return (
    <Dialog label="Engine" className="engine-dialog" onClose={onClose}>
      <EnginePanel onClose={onClose} />
    </Dialog>
  );
}
