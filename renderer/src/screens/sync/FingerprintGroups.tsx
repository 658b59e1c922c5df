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
    <p className="key-groups" role="group" aria-label={label}>
      <span className="muted">SHA-256 </span>
      {groups.map((group, index) => (
        // The same group can occur twice; its place is what identifies it.
        <code key={index}>{group} </code>
      ))}
    </p>
  );
}
