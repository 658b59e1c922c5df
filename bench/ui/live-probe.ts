/**
 * Run inside device B's page (sent as source text: no imports, closures or named inner
 * functions, as in page-probes.ts): resolves with Date.now() once a ledger row holding
 * `text` is in the DOM. The DOM is declared here with just what it touches.
 */
interface ProbeNode {
  textContent: string | null;
}
declare const document: {
  readonly body: unknown;
  querySelectorAll(selector: string): ArrayLike<ProbeNode> & Iterable<ProbeNode>;
};
declare class MutationObserver {
  constructor(callback: (records: unknown[], observer: MutationObserver) => void);
  observe(target: unknown, options: Record<string, boolean>): void;
  disconnect(): void;
}

export const LEDGER_ROW = '[data-testid="ledger-row"]';

export const rowShownAt = ({ text, selector }: { text: string; selector: string }) =>
  new Promise<number>((resolve) => {
    if (
      [...document.querySelectorAll(selector)].some((row) => (row.textContent ?? '').includes(text))
    ) {
      resolve(Date.now());
      return;
    }
    new MutationObserver((_records, observer) => {
      if (
        ![...document.querySelectorAll(selector)].some((row) =>
          (row.textContent ?? '').includes(text),
        )
      ) {
        return;
      }
      observer.disconnect();
      resolve(Date.now());
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
