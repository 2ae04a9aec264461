// Why OutPkts stays 0: the point of LVS-TUN, said where the numbers are.

export function TunCallout() {
  return (
    <aside className="callout" aria-label="Why OutPkts stays 0">
      <strong>{'Why OutPkts stays 0 in TUN mode. '}</strong>
      {'The director only sees the requests: it wraps each one in an IPIP packet to a real server, '}
      {'and the real server answers the client directly from the VIP. Replies bypass the director, '}
      {'so its OutPkts and OutBytes stay 0 while InPkts grows. A non-zero OutPkts means replies go '}
      {'back through the director (NAT mode, or a routing mistake).'}
    </aside>
  );
}
