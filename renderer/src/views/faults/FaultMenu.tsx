// Break/Fix for one node: the faults it can take, each with the symptom to look for, a Break or
// Fix button, and what the last break or fix did. The symptom itself shows in the live panel,
// the IPVS table and the terminals, not here: this menu only says where to look.
import { useEffect, useState } from 'react';
import type { FaultInfo } from '../../../../shared/results.js';
import { useFaultsStore } from '../../stores/faults-store.js';
import { ErrorNotice } from '../common/ErrorNotice.js';
import { FaultOutcome } from './FaultOutcome.js';

export function FaultMenu({ labId, node }: { labId: string; node: string }) {
  const [open, setOpen] = useState(false);
  const faults = useFaultsStore((s) => s.faults);
  const error = useFaultsStore((s) => s.error);
  const last = useFaultsStore((s) => s.last);
  const load = useFaultsStore((s) => s.load);
  // Read on mount, so that the button can say how many faults are on, and again on opening,
  // since the CLI may have broken or fixed something meanwhile.
  useEffect(() => {
    void load(labId);
  }, [labId, open, load]);
  const mine = faults.filter((f) => f.node === node);
  const broken = mine.filter((f) => f.brokenAt !== undefined).length;
  return (
    <div className="fault-menu">
      <button
        type="button"
        className={broken > 0 ? 'small fault-toggle fault-on' : 'small fault-toggle'}
        aria-expanded={open}
        onClick={() => {
          setOpen(!open);
        }}
      >
        {broken > 0 ? `Break/Fix (${broken} broken)` : 'Break/Fix'}
      </button>
      {open ? (
        <section className="fault-popover" aria-label={`Faults for ${node}`}>
          <header className="fault-popover-head">
            <strong>{`Break something on ${node}`}</strong>
            <button
              type="button"
              className="small"
              aria-label="Close"
              onClick={() => {
                setOpen(false);
              }}
            >
              ×
            </button>
          </header>
          {mine.length === 0 ? (
            <p className="dim">{`No fault applies to ${node}.`}</p>
          ) : (
            <ul className="fault-list">
              {mine.map((fault) => (
                <FaultItem key={fault.id} labId={labId} fault={fault} />
              ))}
            </ul>
          )}
          {last !== null && last.node === node ? <FaultOutcome result={last} /> : null}
          {error === null ? null : <ErrorNotice error={error} />}
        </section>
      ) : null}
    </div>
  );
}

function FaultItem({ labId, fault }: { labId: string; fault: FaultInfo }) {
  const busy = useFaultsStore((s) => s.busy);
  const breakFault = useFaultsStore((s) => s.breakFault);
  const fixFault = useFaultsStore((s) => s.fixFault);
  const on = fault.brokenAt !== undefined;
  const running = busy === `${fault.node}/${fault.id}`;
  return (
    <li className={on ? 'fault fault-broken' : 'fault'} data-fault={fault.id}>
      <div className="fault-title">
        <strong>{fault.title}</strong>
        {fault.runsOn === fault.node ? null : <span className="dim">{` (runs on ${fault.runsOn})`}</span>}
        {fault.origin === 'lab' ? <span className="dim"> · this lab&apos;s own</span> : null}
      </div>
      <p className="fault-symptom dim">{fault.symptom}</p>
      <button
        type="button"
        className="small"
        disabled={busy !== null}
        onClick={() => {
          void (on ? fixFault : breakFault)(labId, fault.node, fault.id);
        }}
      >
        {running ? (on ? 'Fixing…' : 'Breaking…') : on ? 'Fix' : 'Break'}
      </button>
      {fault.brokenAt === undefined ? null : (
        <span className="fault-since">{`broken since ${new Date(fault.brokenAt).toLocaleTimeString()}`}</span>
      )}
    </li>
  );
}
