// Puts every store back to its initial state, so that tests do not see each other's data.
import { useCaptureStore } from '../../../../renderer/src/stores/capture-store.js';
import { useConnectionStore } from '../../../../renderer/src/stores/connection-store.js';
import { cancelEngineTimers, useEngineStore } from '../../../../renderer/src/stores/engine-store.js';
import { useFaultsStore } from '../../../../renderer/src/stores/faults-store.js';
import { useFeaturesStore } from '../../../../renderer/src/stores/features-store.js';
import { useIpvsStore } from '../../../../renderer/src/stores/ipvs-store.js';
import { useLabFilesStore } from '../../../../renderer/src/stores/lab-files-store.js';
import { useLabStore } from '../../../../renderer/src/stores/lab-store.js';
import { useLabsStore } from '../../../../renderer/src/stores/labs-store.js';
import { usePreflightStore } from '../../../../renderer/src/stores/preflight-store.js';
import { useProbeStore } from '../../../../renderer/src/stores/probe-store.js';
import { useStepsStore } from '../../../../renderer/src/stores/steps-store.js';
import { useTerminalsStore } from '../../../../renderer/src/stores/terminals-store.js';
import { useUiStore } from '../../../../renderer/src/stores/ui-store.js';

export function resetStores(): void {
  useCaptureStore.setState(useCaptureStore.getInitialState(), true);
  useConnectionStore.setState(useConnectionStore.getInitialState(), true);
  useEngineStore.setState(useEngineStore.getInitialState(), true);
  cancelEngineTimers();
  useFaultsStore.setState(useFaultsStore.getInitialState(), true);
  useFeaturesStore.setState(useFeaturesStore.getInitialState(), true);
  useIpvsStore.setState(useIpvsStore.getInitialState(), true);
  useLabFilesStore.setState(useLabFilesStore.getInitialState(), true);
  useLabStore.setState(useLabStore.getInitialState(), true);
  useLabsStore.setState(useLabsStore.getInitialState(), true);
  usePreflightStore.setState(usePreflightStore.getInitialState(), true);
  useStepsStore.setState(useStepsStore.getInitialState(), true);
  useTerminalsStore.setState(useTerminalsStore.getInitialState(), true);
  useUiStore.setState(useUiStore.getInitialState(), true);
  useProbeStore.setState(useProbeStore.getInitialState(), true);
  // The probe's ring buffer is one mutable object shared with the initial state.
  useProbeStore.getState().samples.clear();
}
