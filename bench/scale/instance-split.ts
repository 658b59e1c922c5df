/**
 * How the scale section spreads a workspace over server instances, as a proxy would: each
 * device's socket stays on one instance, and a workspace's pushes alternate between them,
 * so on two or more instances most announcements have to cross to another instance
 * (PostgreSQL LISTEN/NOTIFY) to reach the sockets. On one instance everything is local.
 */

/** The instance holding the socket of `device` of workspace `workspace`. */
export function socketInstance(workspace: number, device: number, instances: number): number {
  checkInstances(instances);
  return (workspace + device) % instances;
}

/**
 * The instance that takes push `pushIndex` of the run, where push i goes to workspace
 * i mod `workspaces`: the k-th push of a workspace goes to instance (workspace + k) mod n.
 */
export function pushInstance(pushIndex: number, workspaces: number, instances: number): number {
  checkInstances(instances);
  if (!Number.isInteger(workspaces) || workspaces < 1) {
    throw new RangeError(`workspaces must be a whole number >= 1, got ${workspaces}`);
  }
  const workspace = pushIndex % workspaces;
  const round = Math.floor(pushIndex / workspaces);
  return (workspace + round) % instances;
}

/**
 * Of the (push, listening device) pairs of a run, the share whose socket sits on another
 * instance than the one that took the push: how much of the latency measured is the
 * cross-instance path.
 */
export function crossInstanceShare(options: {
  pushes: number;
  workspaces: number;
  devicesPerWorkspace: number;
  instances: number;
  /** The device of each workspace that pushes; its own socket does not listen. */
  writer: number;
}): number {
  let pairs = 0;
  let crossing = 0;
  for (let push = 0; push < options.pushes; push++) {
    const workspace = push % options.workspaces;
    const taker = pushInstance(push, options.workspaces, options.instances);
    for (let device = 0; device < options.devicesPerWorkspace; device++) {
      if (device === options.writer) continue;
      pairs++;
      if (socketInstance(workspace, device, options.instances) !== taker) crossing++;
    }
  }
  return pairs === 0 ? 0 : crossing / pairs;
}

function checkInstances(instances: number): void {
  if (!Number.isInteger(instances) || instances < 1) {
    throw new RangeError(`instances must be a whole number >= 1, got ${instances}`);
  }
}
