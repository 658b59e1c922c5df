/**
 * Write-to-seen latency: from the moment a device sent a push to the moment each other
 * device of the workspace heard, on its WebSocket, of a seq at least that push's. A socket
 * may be told only of the newest seq when several land close together, so a later
 * announcement counts as seeing every earlier push too.
 */

export interface SentPush {
  workspace: number;
  /** The device that pushed; its own socket does not count. */
  device: number;
  seq: number;
  /** performance.now() just before the request went out. */
  sentAt: number;
}

export interface Receipt {
  workspace: number;
  device: number;
  seq: number;
  /** performance.now() when the announcement arrived. */
  at: number;
}

export interface WriteToSeen {
  /** One per push and listening device, in milliseconds. */
  latencies: number[];
  /** Push × device pairs never announced before the run ended. */
  missing: number;
}

export function writeToSeen(
  sent: readonly SentPush[],
  receipts: readonly Receipt[],
  devicesPerWorkspace: number,
): WriteToSeen {
  const heard = new Map<string, Receipt[]>();
  for (const receipt of receipts) {
    const key = `${receipt.workspace}/${receipt.device}`;
    const list = heard.get(key);
    if (list === undefined) heard.set(key, [receipt]);
    else list.push(receipt);
  }
  for (const list of heard.values()) list.sort((a, b) => a.at - b.at);
  const latencies: number[] = [];
  let missing = 0;
  for (const push of sent) {
    for (let device = 0; device < devicesPerWorkspace; device++) {
      if (device === push.device) continue;
      const first = heard
        .get(`${push.workspace}/${device}`)
        ?.find((receipt) => receipt.seq >= push.seq && receipt.at >= push.sentAt);
      if (first === undefined) missing++;
      else latencies.push(first.at - push.sentAt);
    }
  }
  return { latencies, missing };
}
