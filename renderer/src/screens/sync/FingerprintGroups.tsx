import { fingerprintGroups } from './sync-format.js';

/** A certificate fingerprint in full, in groups of four, for comparing by eye. */
export function FingerprintGroups({
  fingerprint,
  label,
}: {
  fingerprint: string;
  label: string;
}): React.JSX.Element {
  const groups = fingerprintGroups(fingerprint);
  return (
    <div className="key-groups" role="group" aria-label={label}>
      <span className="muted">SHA-256</span>
      {/* Four rows of four groups, to compare a row at a time. */}
      <div className="key-groups-grid">
        {groups.map((group, index) => (
          // The same group can occur twice; its place is what identifies it.
          <code key={index}>{index === 0 ? group : ` ${group}`}</code>
        ))}
      </div>
    </div>
  );
}
