import { useEffect, useState } from 'react';
import { coffer } from '../../api/coffer-client.js';

/** Rows the running import has written, from the core's `progress` events (task `import`). */
export function useImportProgress(active: boolean): number | null {
  const [done, setDone] = useState<number | null>(null);
  useEffect(() => {
    if (!active) return undefined;
    setDone(null);
    return coffer().events.subscribe((event) => {
      if (event.name !== 'progress' || event.data['task'] !== 'import') return;
      const value = event.data['done'];
      if (typeof value === 'number') setDone(value);
    });
  }, [active]);
  return active ? done : null;
}
