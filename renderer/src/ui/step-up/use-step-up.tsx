import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { StepUpDialog } from './StepUpDialog.js';
import { runWithStepUp } from './step-up-decision.js';

export interface StepUp {
  /**
   * `call` made step-up aware: when the server wants a step-up the dialog opens over the
   * screen (which keeps what was typed), and the call is retried once after it. Use it as
   * a mutation's `mutationFn`.
   */
  guard: <I, O>(call: (input: I) => Promise<O>) => (input: I) => Promise<O>;
  /** Render this once in the screen: the dialog while it is asking, else nothing. */
  dialog: ReactNode;
}

/**
 * Step-up in place for a screen's sensitive calls. Several guarded calls refused at once
 * share one dialog and are each retried when it is done.
 */
export function useStepUp(): StepUp {
  const [open, setOpen] = useState(false);
  const waiting = useRef<{ promise: Promise<boolean>; resolve: (done: boolean) => void } | null>(
    null,
  );

  const ask = useCallback((): Promise<boolean> => {
    if (waiting.current !== null) return waiting.current.promise;
    let resolve: (done: boolean) => void = () => undefined;
    const promise = new Promise<boolean>((settle) => {
      resolve = settle;
    });
    waiting.current = { promise, resolve };
    setOpen(true);
    return promise;
  }, []);

  const finish = useCallback((done: boolean) => {
    const current = waiting.current;
    waiting.current = null;
    setOpen(false);
    current?.resolve(done);
  }, []);

  // A screen left while its dialog is open: the waiting call ends as declined, not never.
  useEffect(
    () => () => {
      const current = waiting.current;
      waiting.current = null;
      current?.resolve(false);
    },
    [],
  );

  const guard = useCallback(
    <I, O>(call: (input: I) => Promise<O>) =>
      (input: I): Promise<O> =>
        runWithStepUp(() => call(input), ask),
    [ask],
  );

  return {
    guard,
    dialog: open ? (
      <StepUpDialog onConfirmed={() => finish(true)} onCancel={() => finish(false)} />
    ) : null,
  };
}
