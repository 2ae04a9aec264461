// One packet of the merged timeline: when (from the first packet), where, which way, the frame's
// sender, the outer IPv4 header, and the inner one of IPIP with ports and TCP flags.
import { describePacket, type TimelineEntry } from '../../../../shared/capture.js';

/** The connection a packet belongs to, either way round: what "follow" marks. */
export function connectionOf(entry: TimelineEntry): string {
  const { packet } = entry;
  const ip = packet.inner ?? packet.outer;
  if (!ip || packet.sourcePort === undefined || packet.destinationPort === undefined)
    return describePacket(packet);
  const ends = [`${ip.source}:${packet.sourcePort}`, `${ip.destination}:${packet.destinationPort}`].sort();
  return ends.join(' ');
}

export function TimelineRow({
  entry,
  first,
  followed,
  onFollow,
}: {
  entry: TimelineEntry;
  first: number;
  followed: boolean;
  onFollow: () => void;
}) {
  const { packet } = entry;
  const outer = packet.outer;
  const ipip = packet.inner !== undefined;
  const inner = packet.inner ?? packet.outer;
  const ports =
    inner && packet.sourcePort !== undefined
      ? `${inner.source}:${packet.sourcePort} → ${inner.destination}:${packet.destinationPort ?? ''}`
      : describePacket(packet);
  return (
    <tr
      className={`${followed ? 'followed ' : ''}${ipip ? 'ipip' : ''}`}
      onClick={onFollow}
      title={describePacket(packet)}
    >
      <td className="num">{`+${((entry.timeUs - first) / 1000).toFixed(3)} ms`}</td>
      <td>{`${entry.node}:${entry.iface}`}</td>
      <td>{packet.direction ?? ''}</td>
      <td className="mono">{packet.macSource ?? ''}</td>
      <td className="mono">
        {ipip && outer ? `${outer.source} → ${outer.destination} (IPIP, proto 4)` : ''}
      </td>
      <td className="mono">
        {ports}
        {packet.tcpFlags === undefined ? '' : ` [${packet.tcpFlags}]`}
        {packet.icmp?.mtu === undefined ? '' : ` ICMP frag-needed mtu ${packet.icmp.mtu}`}
      </td>
    </tr>
  );
}
