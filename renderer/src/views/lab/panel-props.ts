// What every panel beside the guide is given: the lab, its file as the renderer draws it, and
// whether it runs now (a stopped lab's panels say how to start it).
import type { LabDetail } from '../../../../shared/api.js';

export interface LabPanelProps {
  labId: string;
  detail: LabDetail;
  running: boolean;
}
