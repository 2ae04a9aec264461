// Shown while the browser client's WebSocket is down: events, terminal output and keystrokes
// do not flow until it is back.
import { useEffect, useState } from 'react';
import { useConnectionStore } from '../../stores/connection-store.js';

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => {
      setNow(Date.now());
    }, 500);
    return () => {
      window.clearInterval(timer);
    };
  }, [active]);
  return now;
}

export function ConnectionBanner() {
  const state = useConnectionStore((s) => s.state);
  const source = useConnectionStore((s) => s.source);
  const lost = state.status === 'reconnecting';
  const now = useNow(lost);
  if (!lost) return null;
  const seconds = state.retryAt === null ? 0 : Math.max(0, Math.ceil((state.retryAt - now) / 1000));
  return (
    <div className="banner banner-warn" role="alert">
      <span>
        {'Connection to the lab server lost: terminals, progress and the live panel are paused. '}
        {seconds > 0 ? `Reconnecting in ${seconds} s (attempt ${state.attempt}).` : 'Reconnecting…'}
      </span>
      <button
        type="button"
        onClick={() => {
          source?.retryNow();
        }}
      >
        Retry now
      </button>
    </div>
  );
}
